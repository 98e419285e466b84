"""A built report read as an outline, and two outlines aligned block by block.

A *block* is a heading, a paragraph or a table of the document body.  Headings
are found by their style (``Heading 1`` … ``Heading 4``), or, in a document
that does not use heading styles, by their number (``一、`` ``（一）``).  The
annexes after the body (GB/T 9704: the list ``附件：1. …`` and each annex's
label ``附件1``) open sections of their own, at the top level, so an annex is
compared with the same annex of the other year, not read as part of the last
section of the body.
Sections are matched by heading text with the numbering and the years taken
away, so ``（二）2022年度总体工作`` meets ``（三）2023年度总体工作`` even when a new
format renumbered or moved it; paragraphs are then matched inside matched
sections, and what is left over across the whole document.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from . import textdiff
from .extract import _cell_texts, plain_text

HEADING, PARA, TABLE = "heading", "p", "table"

_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.I)
_NUMBERED = [
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (3, re.compile(r"^\d+[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
]
# the annex list after the body (``附件：1. 标题``) and an annex's label (``附件1``, ``附件``)
_ANNEX_STYLES = {"Annex List", "Annex Label"}
_ANNEX_LIST = re.compile(r"^附件\s*[:：]")
_ANNEX_LABEL = re.compile(r"^附件\s*\d*$")
_NUMBER_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、](?!\d))\s*")


@dataclass
class Block:
    kind: str  # HEADING, PARA or TABLE
    text: str  # a table: its rows, cells joined by " | ", rows by newlines
    level: int = 0  # a heading's level, 1 … 4
    style: str = ""
    element: Any = None  # the w:p or w:tbl element (for the redline)
    rows: list[list[str]] = field(default_factory=list)
    section: int = 0  # index of the section the block belongs to


@dataclass
class Section:
    heading: Block | None  # None: the opening, before the first heading
    blocks: list[int]  # indices of the section's blocks (its heading first)

    @property
    def title(self) -> str:
        return self.heading.text if self.heading else "（开头）"

    @property
    def key(self) -> str:
        return heading_key(self.heading.text) if self.heading else ""


@dataclass
class Outline:
    blocks: list[Block]
    sections: list[Section]
    document: Any = None  # the python-docx Document


def heading_key(text: str) -> str:
    """A heading as matched across years: no number, no spaces, years as ``####``."""
    text = unicodedata.normalize("NFKC", text).strip()
    if _ANNEX_LIST.match(text):
        return "附件:"  # the list of annexes, whatever it lists
    text = _NUMBER_PREFIX.sub("", text)
    text = re.sub(r"\s+", "", text)
    return re.sub(r"(?:19|20)\d{2}", "####", text)


def _heading_level(style: str, text: str) -> int:
    match = _HEADING_STYLE.match(style)
    if match:
        return int(match.group(1))
    if style in _ANNEX_STYLES:
        return 1
    plain = style in ("Normal", "Body Text", "正文")
    if plain and len(text) <= 60 and (_ANNEX_LIST.match(text) or _ANNEX_LABEL.match(text)):
        return 1
    if plain and len(text) <= 40 and not text.endswith(("。", "：", ":", "；")):
        for level, pattern in _NUMBERED:
            if pattern.match(text):
                return level
    return 0


def read(source: Path | str | bytes) -> Outline:
    """The outline of a .docx (a path or its bytes)."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    doc = Document(stream)
    blocks: list[Block] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = Paragraph(child, doc)
            text = plain_text(child)
            if not text.strip():
                continue
            style = p.style.name if p.style is not None else ""
            level = _heading_level(style, text.strip())
            blocks.append(Block(HEADING if level else PARA, text, level, style, child))
        elif child.tag == qn("w:tbl"):
            rows = [_cell_texts(row) for row in Table(child, doc).rows]
            blocks.append(Block(TABLE, "\n".join(" | ".join(r) for r in rows), element=child, rows=rows))
    sections = [Section(None, [])]
    for index, block in enumerate(blocks):
        if block.kind == HEADING:
            sections.append(Section(block, []))
        block.section = len(sections) - 1
        sections[-1].blocks.append(index)
    return Outline(blocks, sections, doc)


# --- alignment ---------------------------------------------------------------------


def match_sections(a: Outline, b: Outline, threshold: float = 0.6) -> list[tuple[int, int]]:
    """Pairs of (section of A, section of B): same heading first, then alike headings."""
    keys_a = [s.key for s in a.sections]
    keys_b = [s.key for s in b.sections]
    a_free, b_free = set(range(1, len(keys_a))), set(range(1, len(keys_b)))
    pairs = [(0, 0)]  # the openings
    pairs += textdiff.pair_exact(keys_a, keys_b, a_free, b_free)
    pairs += textdiff.pair_similar(keys_a, keys_b, a_free, b_free, threshold)
    return sorted(pairs, key=lambda p: p[1])


@dataclass
class Alignment:
    a: Outline
    b: Outline
    sections: list[tuple[int, int]]  # matched sections
    pairs: list[tuple[int, int]]  # matched blocks (index in A, index in B)

    def order(self) -> list[tuple[int | None, int | None]]:
        """Every block of both documents once, in B's reading order (see :func:`textdiff.interleave`)."""
        return textdiff.interleave(len(self.a.blocks), len(self.b.blocks), self.pairs)


def _kind_key(block: Block) -> str:
    return TABLE if block.kind == TABLE else PARA


def _table_key(block: Block) -> str:
    """A table compared by its labels (first column and header row), not by its figures."""
    head = " | ".join(block.rows[0]) if block.rows else ""
    labels = " ".join(r[0] for r in block.rows[1:] if r)
    return heading_key(head + "\n" + labels)


def align(a: Outline, b: Outline, threshold: float = 0.5) -> Alignment:
    """Match headings by section, then paragraphs and tables within matched sections, then anywhere."""
    section_pairs = match_sections(a, b)
    pairs: list[tuple[int, int]] = []
    for sa, sb in section_pairs:
        ha, hb = a.sections[sa].heading, b.sections[sb].heading
        if ha is not None and hb is not None:
            pairs.append((a.sections[sa].blocks[0], b.sections[sb].blocks[0]))
    a_used = {i for i, _ in pairs}
    b_used = {j for _, j in pairs}

    def body(outline: Outline, used: set[int], section: int | None, kind: str) -> list[int]:
        return [
            i
            for i, blk in enumerate(outline.blocks)
            if i not in used
            and blk.kind != HEADING
            and _kind_key(blk) == kind
            and (section is None or blk.section == section)
        ]

    def text_of(block: Block) -> str:
        return _table_key(block) if block.kind == TABLE else block.text

    scopes: list[tuple[int | None, int | None]] = [(sa, sb) for sa, sb in section_pairs] + [(None, None)]
    for scope_a, scope_b in scopes:
        for kind in (PARA, TABLE):
            ia_all = body(a, a_used, scope_a, kind)
            ib_all = body(b, b_used, scope_b, kind)
            # anywhere in the document, only paragraphs that are clearly the same text in the same
            # role (a table's caption is not an annex's title, however alike their words)
            roles = [None] if scope_a is not None else sorted({a.blocks[i].style for i in ia_all}, key=str)
            for role in roles:
                ia = [i for i in ia_all if role is None or a.blocks[i].style == role]
                ib = [j for j in ib_all if role is None or b.blocks[j].style == role]
                if not ia or not ib:
                    continue
                texts_a = [text_of(a.blocks[i]) for i in ia]
                texts_b = [text_of(b.blocks[j]) for j in ib]
                limit = threshold if scope_a is not None else max(threshold, 0.6)
                for x, y in textdiff.pair_paragraphs(texts_a, texts_b, limit):
                    pairs.append((ia[x], ib[y]))
                    a_used.add(ia[x])
                    b_used.add(ib[y])
    return Alignment(a, b, section_pairs, sorted(pairs, key=lambda p: p[1]))

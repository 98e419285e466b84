"""A Word report's paragraphs placed in the format's outline (``reportgen import``, step 2).

The document's headings are found by style or outline level, or — where the clerk used
direct formatting — by their number (一、 （一） 1.) on a short line; each is matched to
the template's next headings by its words (numbering, whitespace and years ignored;
wording drift by :mod:`difflib` similarity).  A heading the template does not have, in a
section whose template repeats a titled item (``{{ item.title }}``), opens an item.
Between headings, a paragraph the template writes itself (a fixed sentence) is recognised
by its pattern and its figures captured; the others go, in order, to the section's
narrative slots (``t.KEY``) or to the open item's text.  No I/O.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from .docx_in import Block, Para
from .docx_in import Table as DocTable
from .import_pattern import NUMBER, PARA
from .import_template import (
    BLOCK,
    FIXED,
    HEADING,
    ITEM_HEADING,
    ITEM_TEXT,
    NARRATIVE,
    TABLE,
    Expr,
    Piece,
    heading_level,
    literal,
    norm,
    norm_map,
    original,
)

SIMILAR = 0.75
MOVED_WORDS = 6  # a sentence found outside its section needs this many fixed characters
# a sentence the template writes is far shorter: longer paragraphs are narrative, never matched
# against the templates' patterns (which bounds the time a hostile paragraph can take)
LONGEST_SENTENCE = 1500
LONGEST_BLOCK = 20_000  # a heading reworded this much still matches
_YEAR = re.compile(r"\d{4}年度?")
_END = ("。", ";", ":", ",")


@dataclass
class Capture:
    """A name the template prints, found printed in a fixed sentence."""

    expr: Expr
    printed: str
    section: str  # the heading of the section it was found in (``（四）部门整体收支情况``)
    para: int
    items: list[dict[str, Any]] | None = None  # a loop: each item's printed names (nested loops: lists)
    where: tuple[str, str] | None = None  # a table cell: its row and column as printed


@dataclass
class Item:
    """An item of a titled list (a problem, a measure): its title and its paragraphs by column."""

    title: str
    title_column: str
    text: dict[str, list[str]] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # other columns a sentence of the item prints
    nested: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # a block's loops: path → items
    section: str = ""
    paras: dict[str, list[int]] = field(default_factory=dict)  # the paragraphs' numbers, as text


@dataclass
class Placement:
    narrative: dict[str, list[str]] = field(default_factory=dict)
    items: dict[str, list[Item]] = field(default_factory=dict)
    captures: list[Capture] = field(default_factory=list)
    tables: list[tuple[DocTable, str]] = field(default_factory=list)  # with their section's heading
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # (paragraph number from 1, text)
    headings: int = 0
    format_headings: int = 0  # of them, the format's own (not items' titles)
    template_headings: int = 0  # the format's own headings in the template
    fixed: int = 0
    placed: int = 0


def heading_words(text: str, number: str = NUMBER) -> str:
    """A heading as compared: no number, whitespace or year."""
    t = norm(text)
    m = re.match(number, t)
    t = t[m.end() :] if m else t
    return _YEAR.sub("", t)


def looks_like_heading(p: Para, number: str = NUMBER) -> int | None:
    """A heading's level by style, else by its typed number on a short line; None: a paragraph."""
    level = heading_level(p)
    if level is not None:
        return level
    t = norm(p.text)
    if len(t) > 40 or t.endswith(_END):
        return None
    if re.match(r"[一二三四五六七八九十]+[、.]", t):
        return 1
    if re.match(r"\([一二三四五六七八九十]+\)", t):
        return 2
    if re.match(r"\d+[.、](?!\d)", t):
        return 3
    if re.match(r"\(\d+\)", t):
        return 4
    if p.numbering:
        return 3
    if number != NUMBER and re.match(number, t):
        return 0  # a number of the format's own style (<一>): level unknown
    if p.bold and len(t) <= 30:
        return 0  # a bold short line: a heading typed with direct formatting, level unknown
    return None


def _heading_similarity(piece: Piece, text: str, number: str = NUMBER) -> float:
    assert piece.pattern is not None
    if piece.pattern.match(norm(text)):
        return 1.0
    return difflib.SequenceMatcher(
        None, heading_words(literal(piece.text), number), heading_words(text, number)
    ).ratio()


class _Walk:
    def __init__(self, pieces: list[Piece], number: str = NUMBER):
        self.number = number  # the heading numbers the format prints
        self.pieces = pieces
        self.out = Placement()
        self.region = (0, self._next_heading(0))  # piece indices of the current section
        self.section = ""
        self.anchor = -1  # the last piece matched in the region
        self.item: tuple[str, Item] | None = None
        self.item_slot: Piece | None = None
        self.used: set[int] = set()
        self.in_annex = False  # after the annex list (附件：…): the annexes' labels and titles
        self.after_label = False  # the paragraph before was an annex's label: this one is its title
        self.last_fixed = -1  # the annex list's piece: closing lines (署名) may follow it

    def _next_heading(self, start: int) -> int:
        for i in range(start, len(self.pieces)):
            if self.pieces[i].kind == HEADING:
                return i
        return len(self.pieces)

    def _region_pieces(self) -> list[tuple[int, Piece]]:
        a, b = self.region
        return [(i, self.pieces[i]) for i in range(a, b)]

    def heading(self, p: Para, level: int) -> bool:
        start = self.region[0] + 1 if self.section or self.region[0] else 0
        best, best_i = 0.0, -1
        for i in range(start, len(self.pieces)):
            piece = self.pieces[i]
            if piece.kind != HEADING:
                continue
            score = _heading_similarity(piece, p.text, self.number)
            if score > best:
                best, best_i = score, i
            if score == 1.0:
                break
        if best >= SIMILAR:
            self._heading_names(self.pieces[best_i], p)
            self.region = (best_i, self._next_heading(best_i + 1))
            self.section, self.anchor, self.item, self.item_slot = p.text.strip(), best_i, None, None
            self.out.headings += 1
            self.out.format_headings += 1
            return True
        if self.in_annex:
            return False  # after the annex list: its lines (2. 标题), not items
        for i, piece in self._region_pieces():  # an item of the section's titled list
            if piece.kind == ITEM_HEADING and piece.level and piece.pattern is not None:
                m = piece.pattern.match(norm(p.text))
                if m is None:
                    continue
                title = _strip_number(p.text, self.number)
                column = piece.exprs[0].path.split(".", 1)[1] if piece.exprs else "title"
                item = Item(title, column)
                self.out.items.setdefault(piece.key, []).append(item)
                self.item, self.anchor = (piece.key, item), i
                self.item_slot = next(
                    (q for j, q in self._region_pieces() if j > i and q.kind == ITEM_TEXT and q.in_list == piece.key),
                    None,
                )
                self.out.headings += 1
                return True
        return False

    def block(self, blocks: list[Block], k: int) -> int:
        """Paragraphs from ``k`` on that a block of the open item prints (a loop over its own list):
        the last block index they take, or 0."""
        assert self.item is not None
        name, item = self.item
        candidates = [q for _, q in self._region_pieces() if q.kind == BLOCK and q.in_list == name]
        if not candidates:
            return 0
        paras: list[tuple[int, Para]] = []
        for i in range(k, min(len(blocks), k + 400)):
            b = blocks[i]
            stop = isinstance(b, DocTable) or (looks_like_heading(b, self.number) is not None and bool(b.text.strip()))
            if stop and i > k:
                break  # a block ends at a table or a heading
            if not isinstance(b, DocTable) and b.text.strip():
                paras.append((i, b))
        joined, owners = _joined([p for _, p in paras])
        if len(joined) > LONGEST_BLOCK:
            cut = joined.rfind(PARA, 0, LONGEST_BLOCK) + 1
            joined, owners = joined[:cut], owners[:cut]
        for piece in candidates:
            assert piece.reader is not None
            m = piece.reader.regex.match(joined)
            if m is None or m.end() == 0 or joined[m.end() - 1] != PARA:
                continue
            found = piece.reader._groups(m, joined)
            if found is None:
                continue
            count = joined[: m.end()].count(PARA)
            for loop in found[1]:
                path = loop.path.split(".", 1)[1] if loop.path.startswith(piece.item_var + ".") else loop.path
                item.nested.setdefault(path, []).extend(_joined_strings(loop.items, owners, [p for _, p in paras]))
            self.out.fixed += count
            return paras[count - 1][0]
        return 0

    def _heading_names(self, piece: Piece, p: Para) -> None:
        """The names a heading prints (``{{ dept.short_name }}主要职责……``), where it reads as the template."""
        if not piece.exprs or piece.reader is None:
            return
        text, where = norm_map(p.text)
        if len(text) > LONGEST_SENTENCE:
            return
        found = piece.reader.read(text)
        if found is None:
            return
        for slot, a, b in found[0]:
            value = _clean(original(p.text, where, a, b))
            if value:
                self.out.captures.append(Capture(Expr(slot.name, slot.filter), value, p.text.strip(), p.index + 1))

    def fixed(self, p: Para, only: list[int] | None = None) -> bool:
        """A sentence the template writes itself (``only``: one of these pieces, the closing lines)."""
        text, where = norm_map(p.text)
        if len(text) > LONGEST_SENTENCE:
            return False
        region = [(i, q) for i, q in self._region_pieces() if i not in self.used]
        candidates = [(i, q) for i, q in region if q.kind == FIXED or (q.kind == ITEM_HEADING and not q.level)]
        # elsewhere in the template (a sentence the clerk moved): only one with words enough to be recognised
        candidates += [
            (i, q)
            for i, q in enumerate(self.pieces)
            if q.kind == FIXED and i not in self.used and len(literal(q.text)) >= MOVED_WORDS
        ]
        if only is not None:
            candidates = [(i, self.pieces[i]) for i in only]
        elif self.in_annex:
            return self._next_closing(p, text, where) or self._annex_line(p)
        for i, piece in candidates:
            if piece.reader is None or (not piece.exprs and piece.in_list and piece.kind == FIXED):
                continue
            bare = not literal(piece.text) and (not piece.exprs or not piece.exprs[0].path.startswith("a."))
            if bare and only is None:
                continue  # a bare name matches anything: not a sentence to recognise
            annex = bool(piece.exprs) and piece.exprs[0].path.startswith("a.")
            if annex and not re.match(r"附件[:：]", p.text.strip()):
                continue  # the annex list starts with its word
            found = piece.reader.read(text)
            if found is None:
                continue
            values, loops = found
            if self.region[0] <= i < self.region[1]:
                self.anchor = max(self.anchor, i)
            if piece.kind == ITEM_HEADING:
                self._open_item(i, piece, {s.name: _clean(original(p.text, where, a, b)) for s, a, b in values}, p)
                return True
            if piece.item_var and piece.key and self.item is not None and self.item[0] == piece.key:
                for slot, a, b in values:  # more of the open item's fields
                    value = _clean(original(p.text, where, a, b))
                    if slot.name.startswith(piece.item_var + ".") and value:
                        self.item[1].fields.setdefault(slot.name.split(".", 1)[1], value)
                values = [v for v in values if not v[0].name.startswith(piece.item_var + ".")]
                loops = [lp for lp in loops if not lp.path.startswith(piece.item_var + ".")]
            for slot, a, b in values:
                value = _clean(original(p.text, where, a, b))
                if value:
                    self.out.captures.append(Capture(Expr(slot.name, slot.filter), value, self.section, p.index + 1))
            for loop in loops:
                items = _strings(loop.items, p.text, where)
                self.out.captures.append(Capture(Expr(loop.path), "", self.section, p.index + 1, items))
            if annex:
                self.in_annex, self.item, self.last_fixed = True, None, i
            elif piece.exprs or loops:
                self.used.add(i)
            self.out.fixed += 1
            return True
        return False

    def _next_closing(self, p: Para, text: str, where: list[int]) -> bool:
        """A closing line the template writes right after the annex list (署名、日期 under 附件：…)."""
        if self.last_fixed < 0 or len(text) > 40:
            return False
        for i in range(self.last_fixed + 1, len(self.pieces)):
            piece = self.pieces[i]
            if piece.kind != FIXED or piece.reader is None:
                return False
            if piece.exprs and piece.exprs[0].path.split(".")[0] in ("a", "annex"):
                continue
            found = piece.reader.read(text)
            if found is None:
                continue
            for slot, a, b in found[0]:
                value = _clean(original(p.text, where, a, b))
                if value:
                    self.out.captures.append(Capture(Expr(slot.name, slot.filter), value, self.section, p.index + 1))
            self.last_fixed = i
            self.out.fixed += 1
            return True
        return False

    def _annex_line(self, p: Para) -> bool:
        """After the annex list: more of the list (``2. 标题``), an annex's label (``附件1``) or its title."""
        text = norm(p.text)
        if re.fullmatch(r"附件\d*", text):
            self.after_label = True
        else:
            name = "a.title" if self.after_label else "a.listed"
            self.after_label = False
            self.out.captures.append(Capture(Expr(name), _clean(p.text), self.section, p.index + 1))
        self.out.fixed += 1
        return True

    def _open_item(self, i: int, piece: Piece, values: dict[str, str], p: Para) -> None:
        """An item whose title shares the line with its first paragraph (``1.标题。说明……``)."""
        title_column, title, first, text_column = "title", "", "", ""
        fields: dict[str, str] = {}
        for name, value in values.items():
            if piece.item_var and not name.startswith(piece.item_var + "."):
                if value:
                    self.out.captures.append(Capture(Expr(name), value, self.section, p.index + 1))
                continue
            column = name.split(".", 1)[1] if "." in name else name
            if column.endswith("[0]"):
                first, text_column = value, column[:-3]
            elif not title:
                title_column, title = column, value
            else:
                fields[column] = value
        item = Item(title, title_column, fields=fields, section=self.section)
        self.out.items.setdefault(piece.key, []).append(item)
        self.item, self.anchor = (piece.key, item), i
        self.item_slot = next(
            (q for j, q in self._region_pieces() if j > i and q.kind == ITEM_TEXT and q.in_list == piece.key), None
        )
        if first:
            item.text.setdefault(text_column, []).append(first)
            item.paras.setdefault(text_column, []).append(p.index + 1)
        self.out.headings += 1

    def paragraph(self, p: Para) -> None:
        text = p.text.replace("\n", "").strip()
        if self.item is not None:
            name, item = self.item
            slots = [q for _, q in self._region_pieces() if q.kind == ITEM_TEXT and q.in_list == name]
            for q in slots:  # a later column announced by its lead words (建议：…)
                if q.lead and norm(text).startswith(q.lead):
                    self.item_slot = q
                    text = _strip_lead(text, q.lead)
            if self.item_slot is not None:
                item.paras.setdefault(self.item_slot.key, []).append(p.index + 1)
                item.text.setdefault(self.item_slot.key, []).append(
                    _strip_number(text, self.number) if self.item_slot.numbered else text
                )
                self.out.placed += 1
                return
        narrative = [(i, q) for i, q in self._region_pieces() if q.kind == NARRATIVE and not q.in_list]
        after = [(i, q) for i, q in narrative if i > self.anchor]
        chosen = after[0] if after else (narrative[-1] if narrative else None)
        if chosen is None:
            self.out.unplaced.append((p.index + 1, text))
            return
        self.out.narrative.setdefault(chosen[1].key, []).append(
            _strip_number(text, self.number) if chosen[1].numbered else text
        )
        self.anchor = max(self.anchor, chosen[0] - 1)
        self.out.placed += 1


def _joined(paras: list[Para]) -> tuple[str, list[tuple[int, int]]]:
    """Paragraphs normalised and joined, each ending in ¶; for each character: (paragraph, index in its text)."""
    out: list[str] = []
    owners: list[tuple[int, int]] = []
    for n, p in enumerate(paras):
        text, where = norm_map(p.text)
        out.append(text + PARA)
        owners += [(n, w) for w in where] + [(-1, -1)]
    return "".join(out), owners


def _joined_strings(
    items: list[dict[str, Any]], owners: list[tuple[int, int]], paras: list[Para]
) -> list[dict[str, Any]]:
    out = []
    for item in items:
        row: dict[str, Any] = {}
        for key, value in item.items():
            if isinstance(value, list):
                row[key] = _joined_strings(value, owners, paras)
                continue
            start, end = value
            if start >= end or owners[start][0] < 0:
                continue
            n = owners[start][0]
            row[key] = _clean(paras[n].text[owners[start][1] : owners[end - 1][1] + 1])
        out.append(row)
    return out


def _clean(value: str) -> str:
    return value.replace("\n", "").strip()  # a line break the layout set (titles)


def _strings(items: list[dict[str, Any]], text: str, where: list[int]) -> list[dict[str, Any]]:
    """A loop's items with each printed name's span as the text it came from."""
    out = []
    for item in items:
        row: dict[str, Any] = {}
        for key, value in item.items():
            row[key] = (
                _strings(value, text, where) if isinstance(value, list) else _clean(original(text, where, *value))
            )
        out.append(row)
    return out


def _strip_number(text: str, number: str = NUMBER) -> str:
    t = text.strip()
    normalised, where = norm_map(t)
    m = re.match(number, normalised)
    if not m or m.end() == 0:
        return t
    return t[where[m.end() - 1] + 1 :].strip()


def _strip_lead(text: str, lead: str) -> str:
    n, out = 0, text
    for i, ch in enumerate(text):
        if n == len(lead):
            return text[i:].strip()
        if not ch.isspace():
            n += 1
    return "" if n == len(lead) else out


def _closing(blocks: list[Block], pieces: list[Piece]) -> dict[int, int]:
    """The body's last short paragraphs (before the annexes) matched to the template's closing
    lines (署名, 日期): paragraph index → piece index."""
    end = next((i for i, q in enumerate(pieces) if q.exprs and q.exprs[0].path.startswith("a.")), len(pieces))
    tail: list[int] = []
    for i in range(end - 1, -1, -1):
        if pieces[i].kind != FIXED or pieces[i].in_list:
            break
        tail.insert(0, i)
    paras: list[Para] = []
    for b in blocks:
        if isinstance(b, DocTable) or not b.text.strip():
            continue
        if re.match(r"附件[:：]", b.text.strip()):
            break
        paras.append(b)
    if not tail or len(paras) < len(tail):
        return {}
    last = paras[len(paras) - len(tail) :]
    out: dict[int, int] = {}
    for para, i in zip(last, tail, strict=True):
        reader = pieces[i].reader
        if len(norm(para.text)) > 40 or reader is None or reader.read(norm(para.text)) is None:
            return {}
        out[para.index] = i
    return out


def _split_adjacent(out: Placement, pieces: list[Piece], labels: dict[str, str]) -> None:
    """Narrative slots the template prints one after another (目标, 目标完成情况): the paragraphs
    of the first shared out, each later slot starting at the paragraph most like its label."""
    runs: list[list[str]] = []
    for prev, piece in zip([None, *pieces], pieces, strict=False):
        if piece.kind != NARRATIVE or piece.in_list:
            continue
        if prev is not None and prev.kind == NARRATIVE and not prev.in_list and runs and runs[-1][-1] == prev.key:
            runs[-1].append(piece.key)
        else:
            runs.append([piece.key])
    for run in runs:
        if len(run) < 2 or any(out.narrative.get(k) for k in run[1:]):
            continue
        paras = out.narrative.get(run[0], [])
        if len(paras) < len(run):
            continue
        start = 0
        cuts = []
        for j, key in enumerate(run[1:], start=1):
            last = len(paras) - (len(run) - j)
            label = norm(labels.get(key, ""))

            def likeness(i: int, label: str = label, paras: list[str] = paras) -> int:
                m = difflib.SequenceMatcher(None, label, norm(paras[i])[:60])
                return m.find_longest_match(0, len(label), 0, min(60, len(norm(paras[i])))).size

            best = max(range(start + 1, last + 1), key=lambda i: (likeness(i), -i))
            cuts.append(best)
            start = best
        bounds = [0, *cuts, len(paras)]
        for key, a, b in zip(run, bounds, bounds[1:], strict=False):
            out.narrative[key] = paras[a:b]


def place(
    blocks: list[Block], pieces: list[Piece], labels: dict[str, str] | None = None, number: str = NUMBER
) -> Placement:
    """Every block of the document placed in the template's outline, or listed as unplaced.

    ``labels``: the narrative keys' labels (to share paragraphs between adjacent slots).
    """
    walk = _Walk(pieces, number)
    walk.out.template_headings = sum(1 for q in pieces if q.kind == HEADING and not q.exprs and not q.in_list)
    closing = _closing(blocks, pieces)
    skip_to = -1
    for k, block in enumerate(blocks):
        if k <= skip_to:
            continue
        if walk.item is not None and not isinstance(block, DocTable) and block.text.strip():
            used = walk.block(blocks, k)
            if used:
                skip_to = used
                continue
        if not isinstance(block, DocTable) and block.index in closing:
            walk.fixed(block, [closing[block.index]])
            continue
        if isinstance(block, DocTable):
            walk.out.tables.append((block, walk.section))
            for i, piece in walk._region_pieces():
                if piece.kind == TABLE:
                    walk.anchor = max(walk.anchor, i)
            continue
        if not block.text.strip():
            continue
        level = looks_like_heading(block, walk.number)
        if level is not None and walk.heading(block, level):
            continue
        if walk.fixed(block):
            continue
        walk.paragraph(block)
    _split_adjacent(walk.out, pieces, labels or {})
    return walk.out

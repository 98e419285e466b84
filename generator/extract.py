"""A .docx as plain text in reading order: paragraphs, and table rows as cells.

Used by the golden tests and by ``reportgen text`` (a git textconv driver).
Merged cells are printed once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def plain_text(p) -> str:
    """A paragraph's text without the line breaks the layout step sets (titles, headers).

    Templates and data hold no line breaks of their own: a ``w:br`` only says
    where a line ends on the page, not what the text is.
    """
    parts = []
    for el in p.iter(qn("w:t"), qn("w:tab")):
        parts.append("\t" if el.tag == qn("w:tab") else el.text or "")
    return "".join(parts)


def _cell_texts(row) -> list[str]:
    texts = []
    for tc in row._tr.iterchildren(qn("w:tc")):
        tcpr = tc.tcPr
        vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
        if vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue"):
            texts.append("")
            continue
        texts.append("\n".join(plain_text(p) for p in tc.iterchildren(qn("w:p"))).strip())
    return texts


def blocks(path: Path | str) -> Iterator[tuple[str, tuple[str, str] | list[str]]]:
    """Yield ("p", (style, text)) and ("row", cells) items in document order."""
    doc = Document(str(path))
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = Paragraph(child, doc)
            yield ("p", (p.style.name if p.style is not None else "", plain_text(child)))
        elif child.tag == qn("w:tbl"):
            table = Table(child, doc)
            for row in table.rows:
                yield ("row", _cell_texts(row))


def text_lines(path: Path | str) -> list[str]:
    """The document as lines: a paragraph a line, a table row as cells joined by `` | ``."""
    lines = []
    for _kind, value in blocks(path):
        if isinstance(value, tuple):  # a paragraph
            _style, text = value
            if text.strip():
                lines.append(text)
        else:
            lines.append(" | ".join(value))
    return lines


def tables(path: Path | str) -> list[list[list[str]]]:
    """Every table as a list of rows of cell texts."""
    doc = Document(str(path))
    out = []
    for table in doc.tables:
        out.append([_cell_texts(row) for row in table.rows])
    return out

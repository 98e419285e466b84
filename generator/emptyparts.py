"""What prints when there is nothing to print.

After rendering, before the layout step:

- a heading with nothing under it (the next heading is of the same or a
  higher level, or the body ends) gets the format's filler (``empty_section:``,
  e.g. ``无。``) as a body paragraph; without a filler it is returned so the
  caller can warn;
- a table row whose cells are all empty (only a vertical merge running through
  it) is removed;
- a table column whose header has a name but whose every other cell is empty
  (like the 二级指标 of a 自评表 whose indicators have no 二级) is removed; a
  cell spanning it and other columns just spans one column less.
"""

from __future__ import annotations

import re

from docx.document import Document
from docx.oxml import OxmlElement

from .qnames import qn
from .stylemap import normal_id, ui_names

_HEADING = re.compile(r"^Heading (\d)$")
# paragraphs that end the body: the annex list and the signature
_BODY_END = ("Annex List", "Annex Label", "Annex Title", "Signature")


def _style(p, names: dict[str, str]) -> str:
    ppr = p.find(qn("w:pPr"))
    ps = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return names.get(ps.get(qn("w:val")), "") if ps is not None else ""


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t"))).strip()


def empty_headings(document: Document) -> list:
    """The heading paragraphs with nothing under them."""
    names = ui_names(document)
    blocks = []  # (kind, level, element): kind heading / content / end
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            blocks.append(("content", 0, child))
        elif child.tag == qn("w:p"):
            style = _style(child, names)
            match = _HEADING.match(style)
            if match:
                blocks.append(("heading", int(match.group(1)), child))
            elif style.startswith(_BODY_END):
                blocks.append(("end", 0, child))
            elif _text(child):
                blocks.append(("content", 0, child))
    empty = []
    for i, (kind, level, element) in enumerate(blocks):
        if kind != "heading":
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else ("end", 0, None)
        if following[0] == "end" or (following[0] == "heading" and following[1] <= level):
            empty.append(element)
    return empty


def fill_empty_sections(document: Document, filler: str | None) -> list[str]:
    """Put ``filler`` under every empty heading; return the texts of the headings left empty."""
    names = ui_names(document)
    normal = normal_id(document)
    left = []
    for heading in empty_headings(document):
        if not filler:
            left.append(_text(heading))
            continue
        p = OxmlElement("w:p")
        if normal and _style(heading, names) != "Normal":
            ppr = OxmlElement("w:pPr")
            ps = OxmlElement("w:pStyle")
            ps.set(qn("w:val"), normal)
            ppr.append(ps)
            p.append(ppr)
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = filler
        r.append(t)
        p.append(r)
        heading.addnext(p)
    return left


def drop_empty_rows(document: Document) -> None:
    """Remove table rows with no text in any cell (keeping a vertical merge's first cell first)."""
    for tbl in document.element.body.iter(qn("w:tbl")):
        rows = tbl.findall(qn("w:tr"))
        for tr in rows[1:]:
            if any(_text(tc) for tc in tr.findall(qn("w:tc"))):
                continue
            nxt = tr.getnext()
            _restart_merges(tr, nxt)
            tbl.remove(tr)


def _grid_cells(tr) -> dict[int, object]:
    cells, col = {}, 0
    for tc in tr.findall(qn("w:tc")):
        cells[col] = tc
        tcpr = tc.find(qn("w:tcPr"))
        span = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
        col += int(span.get(qn("w:val"))) if span is not None else 1
    return cells


def _vmerge(tc):
    tcpr = tc.find(qn("w:tcPr"))
    return tcpr.find(qn("w:vMerge")) if tcpr is not None else None


def _restart_merges(removed, nxt) -> None:
    """A merge that began in ``removed`` now begins in the next row."""
    if nxt is None or nxt.tag != qn("w:tr"):
        return
    below = _grid_cells(nxt)
    for col, tc in _grid_cells(removed).items():
        vm = _vmerge(tc)
        if vm is None or vm.get(qn("w:val")) != "restart" or col not in below:
            continue
        vm_below = _vmerge(below[col])
        if vm_below is not None and vm_below.get(qn("w:val"), "continue") == "continue":
            vm_below.set(qn("w:val"), "restart")


def _header_rows(tbl) -> int:
    """How many rows at the top repeat as the header (``w:tblHeader``); at least one."""
    n = 0
    for tr in tbl.findall(qn("w:tr")):
        if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None:
            break
        n += 1
    return max(n, 1)


def _span(tc) -> int:
    tcpr = tc.find(qn("w:tcPr"))
    span = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
    return int(span.get(qn("w:val"))) if span is not None else 1


def drop_empty_columns(document: Document) -> None:
    """Remove the columns that print nothing below their header."""
    for tbl in document.element.body.iter(qn("w:tbl")):
        grid = tbl.find(qn("w:tblGrid"))
        rows = tbl.findall(qn("w:tr"))
        head = _header_rows(tbl)
        if grid is None or len(rows) <= head:
            continue
        for col in reversed(range(len(grid.findall(qn("w:gridCol"))))):
            if _column_is_empty(rows, head, col):
                _remove_column(grid, rows, col)


def _column_is_empty(rows, head: int, col: int) -> bool:
    named = False
    for i, tr in enumerate(rows):
        cells = _grid_cells(tr)
        tc = cells.get(col)
        if tc is None:  # covered by a cell spanning from the left
            continue
        if i < head:
            named = named or (bool(_text(tc)) and _span(tc) == 1)
            if _span(tc) > 1:
                return False
        elif _span(tc) == 1 and _text(tc):
            return False
    return named


def _remove_column(grid, rows, col: int) -> None:
    grid.remove(grid.findall(qn("w:gridCol"))[col])
    for tr in rows:
        start = 0
        for tc in tr.findall(qn("w:tc")):
            span = _span(tc)
            if start <= col < start + span:
                if span == 1:
                    tr.remove(tc)
                else:
                    tc.find(qn("w:tcPr")).find(qn("w:gridSpan")).set(qn("w:val"), str(span - 1))
                break
            start += span

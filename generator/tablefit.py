"""Fit every table of a rendered report to its content and to the text width.

Part of the layout step (:func:`generator.layout.apply_layout`), so every format
and every future table gets it.  Column widths come from what the cells print:

- figures (amounts, rates, scores, counts) never wrap: ``w:noWrap`` and a column
  at least as wide as the widest figure;
- headers break only between words (:func:`generator.textfit.words`): a header
  that does not fit on one line gets an explicit line break at the best word
  boundary, so no renderer can break it elsewhere;
- short labels (up to :data:`SHORT_LABEL_EM`) stay on one line; long texts wrap;
- the table spans the text width (A4 minus the margins of ``layout.yaml``);
  slack goes to the columns in proportion to what they print.

A table whose figures and headers cannot fit even so is switched to the small
table styles (``Table … Small``, 五号); a table still too wide keeps its minimum
widths (the layout check in the tests then names it).

Widths are measured per character (:func:`generator.textfit.text_em`): CJK is
one em, ASCII half an em, at the cell paragraph's font size.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .stylemap import name_pairs, raw_names
from .textfit import best_lines, text_em

TWIPS_PER_PT = 20
TWIPS_PER_MM = 1440 / 25.4
SHORT_LABEL_EM = 8  # a label this short never wraps
LONG_TEXT_MIN_EM = 5  # a wrapping text column is at least this wide
SLACK_EM = 0.4  # room for the renderer's rounding, per cell
DEFAULT_CELL_MARGIN = 108  # twips, Table Grid's left/right cell margin
NARROW_CELL_MARGIN = 57

_FIGURE = re.compile(r"^[-+−]?[\d,]*\.?\d+%?$|^[-+−]?\d[\d,]*(\.\d+)?(%|万元|元|分|个|人)?$|^[—–-]$")

# tcPr children that must come after w:noWrap (ECMA-376 order)
_AFTER_NOWRAP = ("w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def text_width_twips(layout: dict[str, Any]) -> int:
    page = layout["page"]
    return int((float(page["width_mm"]) - float(page["left_mm"]) - float(page["right_mm"])) * TWIPS_PER_MM)


def is_figure(text: str) -> bool:
    return bool(_FIGURE.match(text.strip())) and any(c.isdigit() or c in "—–-" for c in text)


@dataclass
class Cell:
    tc: Any
    col: int
    span: int
    text: str
    kind: str  # figure / header / label / text / empty
    size_pt: float
    indent_em: float = 0.0  # the paragraph's left indent (a child row under its parent)
    lines: list[str] = field(default_factory=list)

    def full_em(self) -> float:
        return text_em(self.text) + self.indent_em

    def min_em(self) -> float:
        if self.kind in ("figure", "label") or not self.text:
            return self.full_em()
        if self.kind == "header":
            return max(text_em(line) for line in best_lines(self.text, max_lines=_max_header_lines(self.text)))
        return min(self.full_em(), LONG_TEXT_MIN_EM + self.indent_em)


def _max_header_lines(text: str) -> int:
    return 2 if text_em(text) <= 10 else 3


def _style_sizes(document: Document, layout: dict[str, Any]) -> dict[str, float]:
    """Paragraph style id -> font size in points, from ``layout.yaml`` (by style name)."""
    sizes: dict[str, float] = {}
    specs = layout["styles"]
    for style_id, name in name_pairs(document):
        if name in specs:
            sizes[style_id] = float(specs[name]["size_pt"])
    return sizes


def _style_names(document: Document) -> dict[str, str]:
    return raw_names(document)


def _para_style(p) -> str | None:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        return None
    ps = ppr.find(qn("w:pStyle"))
    return ps.get(qn("w:val")) if ps is not None else None


def _indent_chars(p) -> float:
    ind = p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    chars = ind.get(qn("w:leftChars")) if ind is not None else None
    return int(chars) / 100 if chars else 0.0


def _cell_text(tc) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.findall(qn("w:p"))).strip()


def _classify(style_name: str, text: str) -> str:
    if not text:
        return "empty"
    if "Header" in style_name:
        return "header"
    if "Number" in style_name or is_figure(text):
        return "figure"
    return "label" if text_em(text) <= SHORT_LABEL_EM and "\n" not in text else "text"


def _cells(tbl, sizes: dict[str, float], names: dict[str, str], default_size: float) -> list[Cell]:
    cells = []
    for tr in tbl.findall(qn("w:tr")):
        col = 0
        grid_before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        if grid_before is not None:
            col = int(grid_before.get(qn("w:val"), "0"))
        for tc in tr.findall(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span = 1
            continued = False
            if tcpr is not None:
                gs = tcpr.find(qn("w:gridSpan"))
                if gs is not None:
                    span = int(gs.get(qn("w:val"), "1"))
                vm = tcpr.find(qn("w:vMerge"))
                continued = vm is not None and vm.get(qn("w:val"), "continue") == "continue"
            paragraphs = tc.findall(qn("w:p"))
            style_id = _para_style(paragraphs[0]) if paragraphs else None
            text = "" if continued else _cell_text(tc)
            kind = _classify(names.get(style_id or "", ""), text)
            indent = _indent_chars(paragraphs[0]) if paragraphs else 0.0
            cells.append(Cell(tc, col, span, text, kind, sizes.get(style_id or "", default_size), indent))
            col += span
    return cells


def _margins(tbl) -> int:
    mar = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    total = 0
    for side in ("left", "right"):
        el = mar.find(qn(f"w:{side}")) if mar is not None else None
        total += int(el.get(qn("w:w"))) if el is not None else DEFAULT_CELL_MARGIN
    return total


def _twips(em: float, size_pt: float) -> float:
    return (em + SLACK_EM) * size_pt * TWIPS_PER_PT


def column_widths(cells: list[Cell], n_cols: int, available: int, margins: int) -> tuple[list[int], bool]:
    """Widths in twips that sum to ``available``, and whether the minimum fits at all."""
    mins = [float(margins)] * n_cols
    prefs = [float(margins)] * n_cols
    for cell in cells:
        if cell.span == 1 and cell.col < n_cols:
            mins[cell.col] = max(mins[cell.col], _twips(cell.min_em(), cell.size_pt) + margins)
            prefs[cell.col] = max(prefs[cell.col], _twips(cell.full_em(), cell.size_pt) + margins)
    for cell in cells:  # spanning cells: widen the columns they span evenly when short
        if cell.span > 1 and cell.text:
            cols = range(cell.col, min(cell.col + cell.span, n_cols))
            for widths, em in ((mins, cell.min_em()), (prefs, cell.full_em())):
                need = _twips(em, cell.size_pt) + margins - sum(widths[c] for c in cols)
                if need > 0:
                    for c in cols:
                        widths[c] += need / len(cols)
    prefs = [max(p, m) for p, m in zip(prefs, mins, strict=True)]
    fits = sum(mins) <= available
    if sum(prefs) <= available:
        extra = available - sum(prefs)
        widths = [p + extra * p / sum(prefs) for p in prefs]
    elif fits:
        give = [p - m for p, m in zip(prefs, mins, strict=True)]
        extra = available - sum(mins)
        widths = [m + extra * g / sum(give) for m, g in zip(mins, give, strict=True)]
    else:
        widths = mins
    out = [int(w) for w in widths]
    if fits:
        out[-1] += available - sum(out)
    return out, fits


def _insert_before(parent, element, successors: tuple[str, ...]) -> None:
    """Insert ``element`` before the first of ``successors`` present (schema order), else append."""
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(element)
            return
    parent.append(element)


_AFTER_TBLW = (
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
)
_AFTER_TCW = (
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
)


def _set_width(parent, tag: str, twips: int) -> None:
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        _insert_before(parent, el, _AFTER_TBLW if tag == "w:tblW" else _AFTER_TCW)
    el.set(qn("w:w"), str(twips))
    el.set(qn("w:type"), "dxa")


def _no_wrap(tc) -> None:
    tcpr = tc.get_or_add_tcPr()
    if tcpr.find(qn("w:noWrap")) is not None:
        return
    el = OxmlElement("w:noWrap")
    _insert_before(tcpr, el, _AFTER_NOWRAP)


def _plain_single_paragraph(tc) -> bool:
    """A cell of one paragraph of plain text runs (safe to rewrite with line breaks)."""
    paragraphs = tc.findall(qn("w:p"))
    if len(paragraphs) != 1:
        return False
    for r in paragraphs[0].iter(qn("w:r")):
        if any(child.tag not in (qn("w:rPr"), qn("w:t")) for child in r):
            return False
    return all(
        child.tag in (qn("w:pPr"), qn("w:r"), qn("w:proofErr"), qn("w:bookmarkStart"), qn("w:bookmarkEnd"))
        for child in paragraphs[0]
    )


def _write_lines(tc, lines: list[str]) -> None:
    """Replace the cell's single paragraph text by ``lines`` joined with line breaks."""
    paragraphs = tc.findall(qn("w:p"))
    p = paragraphs[0]
    runs = p.findall(qn("w:r"))
    rpr = runs[0].find(qn("w:rPr")) if runs else None
    for r in runs:
        p.remove(r)
    for i, line in enumerate(lines):
        r = OxmlElement("w:r")
        if rpr is not None:
            r.append(_copy(rpr))
        if i:
            r.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = line
        r.append(t)
        p.append(r)


def _copy(element):
    return deepcopy(element)


def _use_small_styles(tbl, names: dict[str, str]) -> bool:
    """Switch ``Table X`` paragraphs to ``Table X Small``; False when there is nothing to switch."""
    by_name = {name: sid for sid, name in names.items()}
    changed = False
    for p in tbl.iter(qn("w:p")):
        sid = _para_style(p)
        name = names.get(sid or "")
        if name and name.startswith("Table ") and not name.endswith(" Small") and name + " Small" in by_name:
            p.find(qn("w:pPr")).find(qn("w:pStyle")).set(qn("w:val"), by_name[name + " Small"])
            changed = True
    return changed


def _mark_header_rows(tbl, cells_by_tr: dict[Any, list[Cell]]) -> None:
    """Rows made only of headers at the top of the table repeat on every page."""
    for tr in tbl.findall(qn("w:tr")):
        row = cells_by_tr.get(tr, [])
        if not row or any(c.kind not in ("header", "empty") for c in row):
            break
        trpr = tr.get_or_add_trPr()
        if trpr.find(qn("w:tblHeader")) is None:
            el = OxmlElement("w:tblHeader")
            trpr.append(el)
        if trpr.find(qn("w:cantSplit")) is None:
            trpr.insert(0, OxmlElement("w:cantSplit"))


def fit_table(tbl, document: Document, layout: dict[str, Any], available: int) -> bool:
    """Fit one table; True when its figures and headers fit the width."""
    sizes = _style_sizes(document, layout)
    names = _style_names(document)
    default = float(layout["styles"]["Normal"]["size_pt"])
    grid = tbl.find(qn("w:tblGrid"))
    cols = grid.findall(qn("w:gridCol")) if grid is not None else []
    n_cols = len(cols)
    if n_cols == 0:
        return True
    margins = _margins(tbl)
    cells = _cells(tbl, sizes, names, default)
    widths, fits = column_widths(cells, n_cols, available, margins)
    narrow = 2 * NARROW_CELL_MARGIN
    if not fits and narrow < margins:  # first narrower cell margins, then the small (五号) styles
        widths, fits = column_widths(cells, n_cols, available, narrow)
        if fits:
            _set_margins(tbl, NARROW_CELL_MARGIN)
    if not fits and _use_small_styles(tbl, names):
        cells = _cells(tbl, sizes, names, default)
        widths, fits = column_widths(cells, n_cols, available, margins)
        if not fits:
            widths, fits = column_widths(cells, n_cols, available, _set_margins(tbl, NARROW_CELL_MARGIN))
    if not fits and _margins(tbl) > narrow:  # the minimum widths above assume the narrow cell margins
        _set_margins(tbl, NARROW_CELL_MARGIN)
    for col, w in zip(cols, widths, strict=True):
        col.set(qn("w:w"), str(w))
    tblpr = tbl.find(qn("w:tblPr"))
    _set_width(tblpr, "w:tblW", sum(widths))
    layout_el = tblpr.find(qn("w:tblLayout"))
    if layout_el is None:
        layout_el = OxmlElement("w:tblLayout")
        _insert_before(tblpr, layout_el, ("w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"))
    layout_el.set(qn("w:type"), "fixed")
    margins = _margins(tbl)
    cells_by_tr: dict[Any, list[Cell]] = {}
    for cell in cells:
        cells_by_tr.setdefault(cell.tc.getparent(), []).append(cell)
        width = sum(widths[cell.col : cell.col + cell.span])
        _set_width(cell.tc.get_or_add_tcPr(), "w:tcW", width)
        room_em = (width - margins) / (cell.size_pt * TWIPS_PER_PT) - SLACK_EM
        if cell.kind in ("figure", "label"):
            _no_wrap(cell.tc)
        elif cell.kind == "header" and _plain_single_paragraph(cell.tc):
            if text_em(cell.text) > room_em:
                lines = best_lines(cell.text, max_lines=_max_header_lines(cell.text), width=room_em)
                _write_lines(cell.tc, lines)
            _no_wrap(cell.tc)
    _mark_header_rows(tbl, cells_by_tr)
    return fits


def _set_margins(tbl, twips: int) -> int:
    tblpr = tbl.find(qn("w:tblPr"))
    mar = tblpr.find(qn("w:tblCellMar"))
    if mar is None:
        mar = OxmlElement("w:tblCellMar")
        _insert_before(tblpr, mar, ("w:tblLook", "w:tblCaption", "w:tblDescription"))
    for side in ("left", "right"):
        el = mar.find(qn(f"w:{side}"))
        if el is None:
            el = OxmlElement(f"w:{side}")
            mar.append(el)
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
    return 2 * twips


def fit_tables(document: Document, layout: dict[str, Any]) -> None:
    """Fit every top-level table of the body to its content and the text width."""
    available = text_width_twips(layout)
    for tbl in document.element.body.findall(qn("w:tbl")):
        fit_table(tbl, document, layout, available)

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
table styles (``Table … Small``, 五号).  A table still too wide with its labels
on one line (an indicator table of eight columns) lets its labels wrap, as a
last resort (:func:`share_by_need`): figures still never break; a label of up to
:data:`LABEL_WHOLE_EM` stays whole; longer labels break between words
(:func:`generator.textfit.wrap_positions`) by explicit line breaks, and the width
goes where it saves the most lines.  A table too wide even so keeps its minimum
widths (the layout check in the tests then names it).

The text width is that of the table's section: a landscape section (a wide
自评表 on a page of its own) gives its tables the long side of the page.

Widths are measured per character (:func:`generator.textfit.text_em`): CJK is
one em, ASCII half an em, at the cell paragraph's font size.
"""

from __future__ import annotations

import re
from copy import deepcopy
from functools import lru_cache
from typing import Any

from docx.document import Document
from docx.oxml import OxmlElement
from lxml import etree

from .qnames import ppr_after, qn
from .record import Record
from .sections import is_landscape, landscape_page, section_of
from .stylemap import name_pairs, raw_names
from .textfit import best_lines, char_em, text_em, wrap_positions

TWIPS_PER_PT = 20
TWIPS_PER_MM = 1440 / 25.4
SHORT_LABEL_EM = 8  # a label this short never wraps
LONG_TEXT_MIN_EM = 5  # a wrapping text column is at least this wide
LABEL_WHOLE_EM = 4  # when labels must wrap, one this short breaks only where it saves the most (产出指标)
WORDY_MAX_EM = 10  # a text this short, without sentence punctuation, breaks between words (a long name)
BROKEN_LABEL_COST = 0.25  # lines: what a label broken in two costs, against a line of table height
BROKEN_SHORT_LABEL_COST = 0.5  # the same for a label of up to LABEL_WHOLE_EM (产出／指标)
MEND_STEP = 20  # twips: the widths :func:`mend_breaks` tries for a badly broken column
SLACK_EM = 0.4  # room for the renderer's rounding, per cell
CJK_SLACK_EM = 0.1  # when labels wrap: for a cell of full-width characters only (each exactly one em, as printed)
TIGHT_SLACK_EM = 0.2  # when labels wrap: for other cells (digits are measured generously already)
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


class Cell(Record):
    _fields = ("tc", "col", "span", "text", "kind", "size_pt", "indent_em", "lines", "slack")
    tc: Any
    col: int
    span: int
    text: str
    kind: str  # figure / header / label / text / empty
    size_pt: float
    indent_em: float  # the paragraph's left indent (a child row under its parent)
    lines: list[str]
    slack: float  # em kept free for the renderer's rounding

    def __init__(
        self,
        tc: Any,
        col: int,
        span: int,
        text: str,
        kind: str,
        size_pt: float,
        indent_em: float = 0.0,
        lines: list[str] | None = None,
        slack: float = SLACK_EM,
    ) -> None:
        self.tc = tc
        self.col = col
        self.span = span
        self.text = text
        self.kind = kind
        self.size_pt = size_pt
        self.indent_em = indent_em
        self.lines = [] if lines is None else lines
        self.slack = slack

    def full_em(self) -> float:
        return text_em(self.text) + self.indent_em

    def min_em(self, wrap: bool = False) -> float:
        """The narrowest the cell may print; ``wrap``: when labels must wrap (:func:`share_by_need`)."""
        if wrap and self.wordy():
            return _label_min_em(self.text) + self.indent_em
        if self.kind in ("figure", "label") or not self.text:
            return self.full_em()
        if self.kind == "header":
            return max(text_em(line) for line in self.header_lines(wrap))
        return min(self.full_em(), LONG_TEXT_MIN_EM + self.indent_em)

    def header_lines(self, wrap: bool = False, width: float | None = None) -> list[str]:
        """The header broken between words (with the indicator tables' words when labels wrap)."""
        cuts = wrap_positions(self.text) if wrap else None
        return best_lines(self.text, max_lines=_max_header_lines(self.text), width=width, cuts=cuts)

    def wordy(self) -> bool:
        """A label, or a name-like text (short, no sentence punctuation, breakable to
        :data:`LONG_TEXT_MIN_EM`): breaks only between words.  Other texts flow as the renderer wraps them."""
        if self.kind == "label":
            return True
        return (
            self.kind == "text"
            and "\n" not in self.text
            and text_em(self.text) <= WORDY_MAX_EM
            and not any(ch in self.text for ch in "，。；：,; ")
            and _label_min_em(self.text) <= LONG_TEXT_MIN_EM
        )

    def lines_at(self, room_em: float) -> int:
        """How many lines the cell prints in ``room_em`` (labels broken as :func:`share_by_need` breaks them)."""
        if not self.text or self.kind == "figure":
            return 1
        mode = "header" if self.kind == "header" else "label" if self.wordy() else "text"
        return _lines_at(mode, self.text, round(room_em - self.indent_em, 3))


@lru_cache(maxsize=8192)
def _lines_at(mode: str, text: str, room: float) -> int:
    if mode == "header":
        return len(best_lines(text, max_lines=_max_header_lines(text), width=room, cuts=wrap_positions(text)))
    if mode == "label":
        return len(_label_lines(text, room))
    return _flowed_lines(text, room)


def for_wrapping(cells: list[Cell]) -> list[Cell]:
    """The cells as :func:`share_by_need` sees them: a word in a figure column (``按计划印发``, a
    ``Table Number`` cell) is a label; full-width text needs less slack (each character is one em)."""
    out = []
    for cell in cells:
        kind = cell.kind
        if kind == "figure" and not is_figure(cell.text):
            kind = "label" if text_em(cell.text) <= SHORT_LABEL_EM and "\n" not in cell.text else "text"
        full_width = kind != "figure" and all(char_em(ch) == 1.0 for ch in cell.text.replace("\n", ""))
        out.append(cell.replaced(kind=kind, slack=CJK_SLACK_EM if full_width else TIGHT_SLACK_EM))
    return out


def _label_min_em(text: str) -> float:
    """The widest line of the label broken between words into two lines (three beyond ten em)."""
    lines = best_lines(text, max_lines=_max_header_lines(text), cuts=wrap_positions(text), min_chars=2)
    return max(text_em(line) for line in lines)


def _label_lines(text: str, room_em: float) -> list[str]:
    return best_lines(text, max_lines=6, width=room_em, cuts=wrap_positions(text), min_chars=2)


def _flowed_lines(text: str, room_em: float) -> int:
    """Lines of a text the renderer wraps itself (anywhere between CJK characters), estimated."""
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0.0
        for ch in paragraph:
            em = char_em(ch)
            if used + em > room_em and used > 0:
                count += 1
                used = 0.0
            used += em
    return count


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


def _twips(em: float, size_pt: float, slack: float = SLACK_EM) -> float:
    return (em + slack) * size_pt * TWIPS_PER_PT


def column_widths(
    cells: list[Cell], n_cols: int, available: int, margins: int, wrap: bool = False
) -> tuple[list[int], bool]:
    """Widths in twips that sum to ``available``, and whether the minimum fits at all.

    ``wrap``: labels may wrap (the last resort, :func:`share_by_need`)."""
    mins = [float(margins)] * n_cols
    prefs = [float(margins)] * n_cols
    for cell in cells:
        if cell.span == 1 and cell.col < n_cols:
            mins[cell.col] = max(mins[cell.col], _twips(cell.min_em(wrap), cell.size_pt, cell.slack) + margins)
            prefs[cell.col] = max(prefs[cell.col], _twips(cell.full_em(), cell.size_pt, cell.slack) + margins)
    for cell in cells:  # spanning cells: widen the columns they span evenly when short
        if cell.span > 1 and cell.text:
            cols = range(cell.col, min(cell.col + cell.span, n_cols))
            for widths, em in ((mins, cell.min_em(wrap)), (prefs, cell.full_em())):
                need = _twips(em, cell.size_pt, cell.slack) + margins - sum(widths[c] for c in cols)
                if need > 0:
                    for c in cols:
                        widths[c] += need / len(cols)
    prefs = [max(p, m) for p, m in zip(prefs, mins, strict=True)]
    fits = sum(mins) <= available
    if sum(prefs) <= available:
        extra = available - sum(prefs)
        widths = [p + extra * p / sum(prefs) for p in prefs]
    elif fits and wrap:
        widths = share_by_need(cells, mins, available, margins)
    elif fits:
        give = [p - m for p, m in zip(prefs, mins, strict=True)]
        extra = available - sum(mins)
        widths = [m + extra * g / sum(give) for m, g in zip(mins, give, strict=True)]
        widths = mend_breaks(cells, widths, mins, margins)
    else:
        widths = mins
    out = [int(w) for w in widths]
    if fits:
        out[-1] += available - sum(out)
    return out, fits


def flowed(text: str, room_em: float) -> list[str]:
    """The lines of one paragraph as the renderer wraps it (anywhere between characters), estimated."""
    lines = [""]
    used = 0.0
    for ch in text:
        em = char_em(ch)
        if used + em > room_em and used > 0:
            lines.append("")
            used = 0.0
        lines[-1] += ch
        used += em
    return lines


def bad_break(cell: Cell, room_em: float) -> bool:
    """A text cell the renderer would wrap leaving one character alone on its last line
    (社会保障和就业支／出), or a name-like text (:meth:`Cell.wordy`) it would break inside a word."""
    if cell.kind != "text" or not cell.text:
        return False
    room = room_em - cell.indent_em
    for paragraph in cell.text.split("\n"):
        lines = flowed(paragraph, room)
        if len(lines) < 2:
            continue
        if len(lines[-1]) == 1 and char_em(lines[-1]) == 1.0:
            return True
        if cell.wordy():
            offsets = [sum(len(line) for line in lines[: i + 1]) for i in range(len(lines) - 1)]
            if not set(offsets) <= set(wrap_positions(paragraph)):
                return True
    return False


def _badly_broken(cell: Cell, width: float, margins: int) -> bool:
    """:func:`bad_break` in ``width`` twips, with the renderer's room anywhere from what :func:`_twips`
    counts (the slack kept free) to the whole width: where it breaks within that is not known."""
    room = _room_em(width, margins, cell)
    return bad_break(cell, room) or bad_break(cell, room + cell.slack)


def _bad_cells(cells: list[Cell], widths: list[float], margins: int) -> list[Cell]:
    n_cols = len(widths)
    return [c for c in cells if c.span == 1 and c.col < n_cols and _badly_broken(c, widths[c.col], margins)]


def mend_breaks(cells: list[Cell], widths: list[float], mins: list[float], margins: int) -> list[float]:
    """Move a text column whose cells would print badly broken (:func:`bad_break`) to the width nearest
    its own at which none is: wider, taking the width from the other columns' room above their minimum
    (a figure column's minimum is its widest figure: figures never wrap) in proportion to that room;
    or narrower (社会保障和就业／支出 on two lines), giving the width to the others in proportion to
    theirs.  Kept when it leaves fewer badly broken cells in the table; otherwise the renderer wraps
    the cell as before (a line break written into a name would change the name read back by import).
    """
    widths = list(widths)
    for col in range(len(widths)):
        if not any(c.col == col for c in _bad_cells(cells, widths, margins)):
            continue
        column = [c for c in cells if c.span == 1 and c.col == col]
        spare = {d: widths[d] - mins[d] for d in range(len(widths)) if d != col and widths[d] > mins[d]}
        room = sum(spare.values())
        candidates = [
            mins[col] + step * MEND_STEP for step in range(int((widths[col] + room - mins[col]) / MEND_STEP) + 1)
        ]
        clean = [w for w in candidates if not any(_badly_broken(c, w, margins) for c in column)]
        if not clean:
            continue
        target = min(clean, key=lambda w: abs(w - widths[col]))
        change = target - widths[col]
        if change > 0:
            trial = [w - change * spare.get(d, 0.0) / room for d, w in enumerate(widths)]
        else:
            others = sum(w for d, w in enumerate(widths) if d != col)
            trial = [w - change * w / others for w in widths]
        trial[col] = target
        if len(_bad_cells(cells, trial, margins)) < len(_bad_cells(cells, widths, margins)):
            widths = trial
    return widths


def _room_em(width: float, margins: int, cell: Cell) -> float:
    """The ems ``cell``, ``width`` twips wide, holds (as :func:`_twips` counts them)."""
    return (width - margins) / (cell.size_pt * TWIPS_PER_PT) - cell.slack


def _needs(cell: Cell, narrowest: float, margins: int) -> list[int]:
    """The widths (twips) at which ``cell`` prints one line fewer, from ``narrowest`` up."""
    if not cell.text or cell.kind == "figure":
        return []
    widest = _twips(cell.full_em(), cell.size_pt, cell.slack) + margins
    lines = cell.lines_at(_room_em(narrowest, margins, cell))
    needs = []
    low = narrowest
    for k in range(lines - 1, 0, -1):
        lo, hi = low, widest + 1
        while hi - lo > 2:  # the narrowest width printing at most k lines, to within 2 twips
            mid = (lo + hi) / 2
            if cell.lines_at(_room_em(mid, margins, cell)) <= k:
                hi = mid
            else:
                lo = mid
        needs.append(int(hi) + 1)
        low = hi
    return needs


def share_by_need(cells: list[Cell], mins: list[float], available: int, margins: int) -> list[float]:
    """Widths from ``mins`` up to ``available`` where they save the most: lines of table height first,
    then labels broken in two (:data:`BROKEN_LABEL_COST`); the rest in proportion to the widths.

    Greedy: each step widens one column to the next width at which one of its cells prints a line
    fewer, the step that saves the most per twip; as a greedy choice can shut out a better one,
    then one column gives up width to another while that saves more.
    """
    n_cols = len(mins)
    single = [c for c in cells if c.span == 1 and c.col < n_cols and c.text]
    needs: dict[int, set[int]] = {col: set() for col in range(n_cols)}
    for c in single:
        needs[c.col].update(_needs(c, mins[c.col], margins))

    def cost(ws: list[float]) -> float:
        rows: dict[Any, int] = {}
        broken = 0.0
        for cell in cells:
            if not cell.text:
                continue
            width = sum(ws[cell.col : cell.col + cell.span])
            n = cell.lines_at(_room_em(width, margins, cell))
            tr = cell.tc.getparent()
            rows[tr] = max(rows.get(tr, 1), n)
            if n > 1 and (cell.wordy() or cell.kind == "header"):
                broken += BROKEN_SHORT_LABEL_COST if cell.full_em() <= LABEL_WHOLE_EM else BROKEN_LABEL_COST
        return sum(rows.values()) + broken

    def steps(ws: list[float]):
        budget = available - sum(ws)
        for col in range(n_cols):
            for target in sorted(needs[col]):
                if 0 < target - ws[col] <= budget:
                    yield col, float(target), ws[:col] + [float(target)] + ws[col + 1 :]

    def greedy(ws: list[float]) -> tuple[float, list[float]]:
        current = cost(ws)
        while True:
            best: tuple[float, list[float], float] | None = None
            for col, target, trial in steps(ws):
                after = cost(trial)
                if current - after > 1e-9:
                    gain = (current - after) / (target - ws[col])
                    if best is None or gain > best[0]:
                        best = (gain, trial, after)
            if best is None:
                return current, ws
            _, ws, current = best

    current, widths = greedy(list(mins))
    options = [sorted({mins[col], *needs[col]}) for col in range(n_cols)]
    while True:  # then trade: one column narrower, another wider, while that saves
        best: tuple[float, list[float]] | None = None
        for a in range(n_cols):
            for lower in (w for w in options[a] if w < widths[a]):
                for b in range(n_cols):
                    room = available - sum(widths) + widths[a] - lower
                    for higher in (w for w in options[b] if 0 < w - widths[b] <= room and b != a):
                        trial = list(widths)
                        trial[a], trial[b] = lower, higher
                        after = cost(trial)
                        if after < current - 1e-9 and (best is None or after < best[0]):
                            best = (after, trial)
        if best is None:
            break
        current, widths = greedy(best[1])
    budget = available - sum(widths)
    if budget > 0:
        total = sum(widths)
        widths = [w + budget * w / total for w in widths]
    return widths


def _insert_before(parent, element, successors: tuple[str, ...]) -> None:
    """Insert ``element`` before the first of ``successors`` present (schema order), else append."""
    first: dict[Any, Any] = {}  # each tag's first child: what parent.find(tag) gives, in one pass
    for child in parent:
        first.setdefault(child.tag, child)
    for tag in successors:
        found = first.get(qn(tag))
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


def _tcpr(tc):
    """The cell's ``w:tcPr`` (python-docx's ``get_or_add_tcPr``, without its lookup machinery when present)."""
    tcpr = tc.find(qn("w:tcPr"))
    return tcpr if tcpr is not None else tc.get_or_add_tcPr()


def _no_wrap(tc) -> None:
    tcpr = _tcpr(tc)
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


def _one_format(tc) -> bool:
    """All the cell's runs formatted alike (rewriting it with line breaks keeps the first run's format)."""
    formats = {
        etree.tostring(r.find(qn("w:rPr"))) if r.find(qn("w:rPr")) is not None else b"" for r in tc.iter(qn("w:r"))
    }
    return len(formats) <= 1


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


def fit_table(
    tbl, document: Document, layout: dict[str, Any], available: int, sizes: dict[str, float] | None = None
) -> bool:
    """Fit one table; True when its figures and headers fit the width (``sizes``: :func:`_style_sizes`)."""
    if sizes is None:
        sizes = _style_sizes(document, layout)
    names = _style_names(document)
    default = float(layout["styles"]["Normal"]["size_pt"])
    grid = tbl.find(qn("w:tblGrid"))
    cols = grid.findall(qn("w:gridCol")) if grid is not None else []
    n_cols = len(cols)
    if n_cols == 0:
        return True
    margins = _margins(tbl)
    _no_first_line_indent(tbl, names, layout)
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
    wrap = not fits
    if wrap:  # the last resort: labels wrap, between words
        cells = for_wrapping(cells)
        widths, fits = column_widths(cells, n_cols, available, _margins(tbl), wrap=True)
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
        _set_width(_tcpr(cell.tc), "w:tcW", width)
        room_em = _room_em(width, margins, cell)
        if wrap and cell.wordy() and cell.kind != "figure":
            if cell.full_em() > room_em and _plain_single_paragraph(cell.tc) and _one_format(cell.tc):
                raw = "".join(t.text or "" for t in cell.tc.iter(qn("w:t")))  # spaces and all
                _write_lines(cell.tc, _label_lines(raw, room_em - cell.indent_em))
                _not_justified(cell.tc, names, layout)
                _no_wrap(cell.tc)
            elif cell.full_em() <= room_em:
                _no_wrap(cell.tc)
        elif cell.kind in ("figure", "label"):
            _no_wrap(cell.tc)
        elif cell.kind == "header" and _plain_single_paragraph(cell.tc):
            if text_em(cell.text) > room_em:
                _write_lines(cell.tc, cell.header_lines(wrap, room_em))
            _no_wrap(cell.tc)
    _mark_header_rows(tbl, cells_by_tr)
    return fits


def _not_justified(tc, names: dict[str, str], layout: dict[str, Any]) -> None:
    """A cell broken into lines by line breaks, in a justified style (Normal), is set left: a justified
    line that ends in a line break is spread over the cell (资　　金)."""
    p = tc.find(qn("w:p"))
    ppr = p.get_or_add_pPr()
    jc = ppr.find(qn("w:jc"))
    spec = layout["styles"].get(names.get(_para_style(p) or "", "Normal"), {})
    if jc is None and spec.get("align", "justify") != "justify":
        return
    if jc is None:
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), "both")
        _insert_before(ppr, jc, ppr_after("w:jc"))
    if jc.get(qn("w:val")) in ("both", "distribute"):
        jc.set(qn("w:val"), "left")


def _no_first_line_indent(tbl, names: dict[str, str], layout: dict[str, Any]) -> None:
    """A cell paragraph in a style that indents its first line (Normal: 2 characters, for body text;
    a table typed in Word keeps it) gets no first-line indent: it would push the cell's first line
    two characters right of the others, past the width measured for it."""
    specs = layout["styles"]
    for p in tbl.iter(qn("w:p")):
        if not any(t.text for t in p.iter(qn("w:t"))):  # an empty paragraph prints nothing to indent
            continue
        name = names.get(_para_style(p) or "", "Normal")
        spec = specs.get(name)
        if spec is None or not float(spec.get("first_line_chars", 0)):
            continue
        ppr = p.get_or_add_pPr()
        if ppr.find(qn("w:ind")) is not None:  # the template's own indent stands
            continue
        ind = OxmlElement("w:ind")
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:firstLine"), "0")
        _insert_before(ppr, ind, _AFTER_PPR_IND)


# pPr children after w:ind, in schema order
_AFTER_PPR_IND = ppr_after("w:ind")


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
    """Fit every top-level table of the body to its content and its section's text width."""
    portrait = text_width_twips(layout)
    turned = text_width_twips({**layout, "page": landscape_page(layout["page"])})
    body = document.element.body
    sections = section_of(body)
    sizes = _style_sizes(document, layout)  # the styles of the document: the same for each table
    for tbl in body.findall(qn("w:tbl")):
        fit_table(tbl, document, layout, turned if is_landscape(sections.get(tbl)) else portrait, sizes)

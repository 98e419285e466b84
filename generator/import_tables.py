"""A Word report's tables read into the format's tables (``reportgen import``, step 3).

Each document table is matched to a template table by its header words; a table split
across pages (its header repeated, or its body going on in a table of the same width) is
joined first.  Columns are found by their header words, rows by their printed names: a
row numbered ``一、`` is a top row and the unnumbered rows after it are its children, as
the templates print a tree; the row named as the table's total row is the total.  Each
cell is kept as printed (:class:`Cell`); which cells are inputs and which are figures to
record under ``reported:`` is decided by the caller with the declaration.  No I/O.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .docx_in import Table as DocTable
from .import_pattern import Pattern
from .import_template import Expr, FixedRow, TableShape, TableTemplate, literal, norm, norm_map, original

_CN_PREFIX = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*")
NOTHING = {"", "-", "—", "——", "–", "/", "－"}


def number(printed: str) -> Decimal | None:
    """A number as printed: ``4,506.89`` ``４５０６．８９`` ``17534.51万元`` ``99.79%``; None for ``—`` or empty."""
    t = unicodedata.normalize("NFKC", printed).strip().replace(",", "").replace(" ", "")
    t = re.sub(r"(万元|元|%|分|人|个)$", "", t)
    if t in NOTHING:
        return None
    try:
        value = Decimal(t)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass
class Row:
    name: str  # the name as the template prints it, without its number or fixed words
    printed_name: str  # the name cell as printed
    cells: dict[str, str]  # column key → printed text
    children: list[Row] = field(default_factory=list)


@dataclass
class ReadTable:
    shape: TableShape
    section: str
    headers: dict[str, str]  # column key → the header words as printed
    rows: list[Row]
    total: Row | None


SAME = "\0"  # a cell merged with the one above it (a vertical merge's continuation)


def _texts(row) -> list[str]:
    width = max((c.col + c.span for c in row), default=0)
    out = [""] * width
    for cell in row:  # a cell spanning columns heads each of them
        text = SAME if cell.merged_below and not cell.text.strip() else cell.text
        for i in range(cell.col, cell.col + max(1, cell.span)):
            out[i] = text
    return out


def _header_words(rows: list[list[str]], col: int) -> str:
    words: list[str] = []
    for r in rows:
        if col < len(r) and r[col].strip() and (not words or words[-1] != r[col]):
            words.append(r[col])
    return norm("".join(words))


def _lowest(rows: list[list[str]], col: int) -> str:
    """The header words right above a column (``调整金额`` under ``预算调整``)."""
    for r in reversed(rows):
        if col < len(r) and r[col].strip():
            return r[col].strip()
    return ""


def join_split(tables: list[tuple[DocTable, str]]) -> list[tuple[list[list[str]], str, int]]:
    """Tables as rows of texts (by grid column), a table's continuation on the next page joined to it."""
    out: list[tuple[list[list[str]], str, int]] = []
    prev_width = -1
    for table, section in tables:
        rows = [_texts(r) for r in table.rows]
        width = max((len(r) for r in rows), default=0)
        if out and rows:
            head = out[-1][0][: max(1, out[-1][2])]
            repeated = [norm("".join(r)) for r in rows[: len(head)]] == [norm("".join(r)) for r in head]
            adjacent = width == prev_width and not _looks_like_header(rows[0])
            if repeated or adjacent:
                out[-1][0].extend(rows[len(head) :] if repeated else rows)
                continue
        out.append((rows, section, table.header_rows))
        prev_width = width
    return out


def _looks_like_header(row: list[str]) -> bool:
    return all(number(c) is None for c in row if c.strip()) and any(c.strip() for c in row)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio() if a and b else 0.0


def match(shapes: list[TableTemplate], tables: list[tuple[list[list[str]], str, int]]) -> list[tuple[int, int]]:
    """(template table, document table) pairs by header words, each used once."""
    pairs: list[tuple[float, int, int]] = []
    for i, shape in enumerate(shapes):
        want = norm("".join("".join(r) for r in shape.header))
        for j, (rows, _section, _h) in enumerate(tables):
            got = norm("".join("".join(r) for r in rows[: len(shape.header)]))
            pairs.append((_similar(want, got), i, j))
    used_i, used_j, out = set(), set(), []
    for score, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if score >= 0.6 and i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            out.append((i, j))
    return sorted(out)


def read(shape: TableShape, rows: list[list[str]], section: str, total_word: str) -> ReadTable:
    """The document table's rows by name and its cells by column key."""
    n = len(shape.header)
    header = [[c.replace(SAME, "") for c in r] for r in rows[:n]]
    grid = rows[n:]
    body = [[c.replace(SAME, "") for c in r] for r in grid]
    cols: dict[str, int] = {}
    for tcol, expr in list(shape.columns.items()) + list(shape.total.items()):
        if expr.path in cols:
            continue
        want = _header_words(shape.header, tcol)
        found = [c for c in range(max((len(r) for r in header), default=0)) if _header_words(header, c) == want]
        if not found:
            scored = [(_similar(want, _header_words(header, c)), c) for c in range(max(len(r) for r in header))]
            scored = [s for s in scored if s[0] >= 0.6]
            found = [max(scored)[1]] if scored else []
        if not found and tcol < min(len(r) for r in body or [[]]):
            found = [tcol]
        # columns sharing a group header (预算调整 › 调整金额) are told apart by their order
        taken = set(cols.values())
        free = [c for c in found if c not in taken]
        if free:
            cols[expr.path] = free[0]
    headers = {k: _lowest(header, c) for k, c in cols.items()}
    width = max((len(r) for r in rows), default=0)
    pcols = _column_map(shape.header, header, list(shape.patterns), width)
    patterned = {pcols[t]: shape.patterns[t] for t in shape.patterns if t in pcols}
    for dcol, pattern in patterned.items():  # the names a patterned cell prints, headed by its column
        for slot in pattern.slots:
            headers.setdefault(slot.name.rsplit(".", 1)[-1], _lowest(header, dcol))
    if shape.levels:
        return _read_grid(shape, header, grid, cols, headers, section, total_word, patterned)
    name_col = shape.name_col if shape.name_col is not None else 0
    fixed_words = literal(shape.name_cell).replace("、", "")
    top: list[Row] = []
    total: Row | None = None
    numbered = any(_CN_PREFIX.match(r[name_col]) for r in body if name_col < len(r))
    for r in body:
        if norm("".join(r)) in {norm("".join(h)) for h in header}:
            continue  # a header repeated inside the table
        printed = r[name_col].strip() if name_col < len(r) else ""
        cells = {k: r[c] for k, c in cols.items() if c < len(r) and c != name_col}
        cells.update(_patterned(r, patterned))
        name = _CN_PREFIX.sub("", printed).strip()
        if fixed_words and norm(name).endswith(fixed_words):
            name = name[: len(name.rstrip()) - _tail_len(name, fixed_words)].strip()
        row = Row(name, printed, cells)
        if norm(name) in (norm(total_word), "合计", "总计"):
            total = row
        elif numbered and not _CN_PREFIX.match(printed) and top:
            top[-1].children.append(row)
        elif name or any(v.strip() for v in cells.values()):
            top.append(row)
    return ReadTable(shape, section, headers, top, total)


def _read_grid(
    shape: TableShape,
    header: list[list[str]],
    grid: list[list[str]],
    cols: dict[str, int],
    headers: dict[str, str],
    section: str,
    total_word: str,
    patterned: dict[int, Pattern] | None = None,
) -> ReadTable:
    """A tree printed one level a column (一级指标 | 二级指标 | 三级指标), merged cells for a parent's
    later rows, ``小计`` rows for a parent's sums.  A level the document does not print (a column
    left out because no row names it) is a level of unnamed rows."""
    levels: dict[int, int] = {}  # document column → level
    for tcol, level in sorted(shape.levels.items()):
        want = _header_words(shape.header, tcol)
        for c in range(max((len(r) for r in header), default=0)):
            if c not in levels and _header_words(header, c) == want:
                levels[c] = level
    by_level = {level: c for c, level in levels.items()}
    top: list[Row] = []
    path: list[Row] = []
    total: Row | None = None

    def cells_of(r: list[str]) -> dict[str, str]:
        out = {k: r[c].replace(SAME, "") for k, c in cols.items() if c < len(r) and c not in levels}
        out.update(_patterned([c.replace(SAME, "") for c in r], patterned or {}))
        return out

    for r in grid:
        names = {lv: (r[c] if c < len(r) else "") for lv, c in by_level.items()}
        shown = [lv for lv, t in names.items() if t.strip() and t != SAME]
        first = names.get(min(names)) if names else ""
        if first and norm(first) in (norm(total_word), "合计", "总计"):
            total = Row("total", first.strip(), cells_of(r))
            continue
        sub = [lv for lv in shown if norm(names[lv]) == "小计"]
        if sub:  # a parent's sums: the deepest named row above the 小计
            owner = next((row for row in reversed(path[: sub[0]]) if row.name), None)
            if owner is not None:
                owner.cells.update({k: v for k, v in cells_of(r).items() if k not in owner.cells})
            continue
        if not shown:
            continue
        deepest = max(shown)
        for level in range(deepest + 1):
            text = names.get(level)
            siblings = path[level - 1].children if level else top
            if text == SAME and len(path) > level:  # the same row as above
                continue
            if text is None or not text.strip() or text == SAME:  # a level without a name
                if len(path) > level and not path[level].name:
                    continue
                node = Row("", "", {})
            else:
                node = Row(text.strip(), text.strip(), {})
            siblings.append(node)
            del path[level:]
            path.append(node)
        path[deepest].cells = cells_of(r)
        del path[deepest + 1 :]
    return ReadTable(shape, section, headers, top, total)


def _patterned(r: list[str], patterned: dict[int, Pattern]) -> dict[str, str]:
    """The names printed in cells read by their pattern (``=365天`` → nature, target, unit)."""
    out: dict[str, str] = {}
    for dcol, pattern in patterned.items():
        if dcol >= len(r) or not r[dcol].strip():
            continue
        text, where = norm_map(r[dcol])
        if len(text) > 1500:
            continue  # no cell the template fills is this long: not read by pattern
        found = pattern.read(text)
        if found is None:
            continue
        for slot, a, b in found[0]:
            value = original(r[dcol], where, a, b).strip()
            if value:
                out.setdefault(slot.name.rsplit(".", 1)[-1], value)
    return out


def _tail_len(name: str, words: str) -> int:
    """How many characters of ``name`` (from its end) the fixed words take."""
    n = 0
    for count, ch in enumerate(reversed(name.rstrip()), start=1):
        if not ch.isspace():
            n += 1
        if n == len(words):
            return count
    return 0


@dataclass
class CellRead:
    """A cell of a row the template writes itself (a total row, a fixed row): the name it prints."""

    expr: Expr
    printed: str
    row: str  # the row's first cell as printed
    column: str  # the header words above the cell


def _column_map(theader: list[list[str]], header: list[list[str]], tcols: list[int], width: int) -> dict[int, int]:
    """Template grid column → document grid column, by the header words above them."""
    out: dict[int, int] = {}
    doc_cols = range(max((len(r) for r in header), default=width))
    for tcol in tcols:
        want = _header_words(theader, tcol)
        found = [c for c in doc_cols if _header_words(header, c) == want and c not in out.values()]
        if not found:
            scored = [(_similar(want, _header_words(header, c)), c) for c in doc_cols if c not in out.values()]
            scored = [x for x in scored if x[0] >= 0.6]
            found = [max(scored)[1]] if scored else ([tcol] if tcol < width else [])
        if found:
            out[tcol] = found[0]
    return out


def read_table(
    template: TableTemplate, rows: list[list[str]], section: str, total_word: Callable[[str], str]
) -> tuple[list[ReadTable], list[CellRead]]:
    """A document table read by its template: each loop's rows, and the cells of the rows it writes itself.

    A document row is one the template writes itself when its first cell has that row's words
    (``合计``, ``预算``) or, for a total row, the table's total name (``本年支出合计``); the other
    rows belong to the loop the template has there.  ``total_word(key)``: a table's total name.
    """
    n = len(template.header)
    header = [[c.replace(SAME, "") for c in r] for r in rows[:n]]
    body = rows[n:]
    width = max((len(r) for r in rows), default=0)
    fixed = [(i, p) for i, p in enumerate(template.parts) if isinstance(p, FixedRow)]
    loops = [(i, p) for i, p in enumerate(template.parts) if isinstance(p, TableShape)]
    segments: dict[int, list[list[str]]] = {i: [] for i, _p in loops}
    cells: list[CellRead] = []
    at = 0  # the template part reached
    current = loops[0][0] if loops else None
    for r in body:
        first = norm(r[0].replace(SAME, "")) if r else ""
        if norm("".join(r).replace(SAME, "")) in {norm("".join(h)) for h in header}:
            continue  # a header repeated inside the table
        hit = next((i for i, f in fixed if i >= at and first and first == _fixed_label(f, total_word)), None)
        if hit is None and not loops:
            hit = next((i for i, _f in fixed if i >= at), None)
        if hit is None:
            if current is not None:
                segments[current].append(r)
            continue
        row = template.parts[hit]
        assert isinstance(row, FixedRow)
        columns = _column_map(template.header, header, list(row.cells), width)
        for tcol, expr in row.cells.items():
            dcol = columns.get(tcol)
            if dcol is not None and dcol < len(r) and r[dcol].replace(SAME, "").strip():
                printed = _without(r[dcol].replace(SAME, "").strip(), *row.words.get(tcol, ("", "")))
                cells.append(CellRead(expr, printed, r[0].strip(), _lowest(header, dcol)))
        at = hit + 1
        later = [i for i, _p in loops if i > hit]
        current = later[0] if later else (current if current is not None else None)
    read_rows = []
    for i, shape in loops:
        if segments[i]:
            word = total_word(shape.key)
            read_rows.append(read(shape, rows[:n] + segments[i], section, word))
    return read_rows, cells


def _without(printed: str, before: str, after: str) -> str:
    """A cell's value without the fixed words the template prints around it (``自评等级：优`` → ``优``)."""
    text, where = norm_map(printed)
    if before and text.startswith(before):
        text, where = text[len(before) :], where[len(before) :]
    if after and text.endswith(after):
        text, where = text[: len(text) - len(after)], where[: len(where) - len(after)]
    return printed[where[0] : where[-1] + 1].strip() if where else printed


def _fixed_label(row: FixedRow, total_word: Callable[[str], str]) -> str:
    if row.label:
        return row.label
    if row.label_expr.endswith(".total.name"):
        return norm(total_word(row.label_expr.split(".")[0]))
    return ""


def cell_expr(shape: TableShape, key: str) -> Expr | None:
    for expr in list(shape.columns.values()) + list(shape.total.values()):
        if expr.path == key:
            return expr
    return None

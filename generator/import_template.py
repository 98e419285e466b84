"""The template read as the import's grammar (``reportgen import``, step 1).

A format's ``template.docx`` says what a report of that format holds, in order:
headings (``{{ h.h2() }}部门整体收支情况``), narrative slots (``{%p for p in t.KEY %}``),
lists of titled items (``{%p for item in problems.rows %}`` with ``{{ item.title }}``),
fixed sentences the template writes itself (``编制人数{{ staffing.authorized }}人``) and
tables (``{%tr for row in spending.rows %}``).  Each becomes a :class:`Piece`; a fixed
sentence and a table cell become a regular expression whose groups are the names the
template prints there (:class:`Expr`).  No I/O: the blocks come from ``docx_in``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .docx_in import Block, Para
from .docx_in import Table as DocTable
from .import_pattern import PARA, Compiler, Pattern

HEADING, NARRATIVE, FIXED, ITEM_HEADING, ITEM_TEXT, TABLE = (
    "heading",
    "narrative",
    "fixed",
    "item_heading",
    "item",
    "table",
)
BLOCK = "block"  # paragraphs a loop over an item's own list prints (each group's line and rows)

TAG = re.compile(r"\{\{(.*?)\}\}|\{%-?\s*(.*?)\s*-?%\}", re.S)
_STYLE_LEVEL = re.compile(r"(?:heading|标题)\s*(\d)", re.I)
_LOOP = re.compile(r"for\s+(\w+)\s+in\s+([\w.]+)")


def norm(text: str) -> str:
    """Text as compared: NFKC (full-width digits and brackets), no whitespace at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def norm_map(text: str) -> tuple[str, list[int]]:
    """:func:`norm` of ``text`` and, for each of its characters, where it came from in ``text``."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for n in re.sub(r"\s+", "", unicodedata.normalize("NFKC", ch)):
            out.append(n)
            where.append(i)
    return "".join(out), where


def original(text: str, where: list[int], start: int, end: int) -> str:
    """The part of ``text`` that the normalised span ``start:end`` came from."""
    if start >= end:
        return ""
    return text[where[start] : where[end - 1] + 1]


@dataclass(frozen=True)
class Expr:
    """A name the template prints: ``spending.total.initial|money``; ``sep``: a loop over a series."""

    path: str
    filter: str = ""
    sep: str | None = None
    var: str = ""  # the loop variable it is read through (``row`` in ``row.initial``), "" for none


@dataclass
class TableShape:
    key: str  # the template's name of the table (``spending``, ``scores``)
    view: str  # rows, top, grid, …
    header: list[list[str]]  # the header rows' cell texts by grid column
    columns: dict[int, Expr]  # grid column → the name printed in a body row
    name_col: int | None  # the column that names a row
    name_cell: str  # the template text of that cell (its literal parts are not the name)
    total: dict[int, Expr] = field(default_factory=dict)  # grid column → the total row's name
    levels: dict[int, int] = field(default_factory=dict)  # a tree printed level by level: grid column → level
    patterns: dict[int, Pattern] = field(default_factory=dict)  # a cell printing several names: its pattern


@dataclass
class Piece:
    kind: str
    order: int
    level: int = 0
    text: str = ""  # the template's text
    key: str = ""  # narrative: the text key; list pieces: the list; item text: its column
    pattern: re.Pattern[str] | None = None
    exprs: tuple[Expr, ...] = ()
    reader: Pattern | None = None  # reads the sentence back: its names and loops
    table: TableTemplate | None = None
    in_list: str = ""  # the list (``problems``) whose items repeat this piece
    lead: str = ""  # narrative: the words its first paragraph starts with (``存在的问题：``)
    numbered: bool = False  # narrative: the template numbers each paragraph (（1）…): the number is not text
    item_var: str = ""  # in a list: the loop variable an item's names are read through (``item``)


def heading_level(p: Para) -> int | None:
    """A paragraph's heading level (1 …) by its outline level or its style name; None: not by style."""
    if p.outline_level is not None and 0 <= p.outline_level < 9:
        return p.outline_level + 1
    m = _STYLE_LEVEL.search(p.style or "")
    return int(m.group(1)) if m else None


def _expr(source: str, var: str = "") -> Expr:
    parts = [s.strip() for s in source.split("|")]
    filt = parts[1].split("(")[0].strip() if len(parts) > 1 else ""
    return Expr(parts[0], filt, None, var)


def _control(text: str) -> str | None:
    """``for``/``endfor``/``if``… of a ``{%p … %}`` paragraph, else None."""
    m = re.fullmatch(r"\s*\{%[pr]?\s*(.*?)\s*%\}\s*", text, re.S)
    return m.group(1) if m else None


def skeleton(blocks: list[Block], compiler: Compiler) -> list[Piece]:
    """The template's pieces in order (``compiler``: the format's and year's, :mod:`import_pattern`)."""
    pieces: list[Piece] = []
    loops: list[tuple[str, str]] = []  # open {%p for %}: (variable, list name) or ("", "") for other blocks
    narrative: str | None = None
    skip_to = -1
    for k, block in enumerate(blocks):
        if k <= skip_to:
            continue
        order = len(pieces)
        if isinstance(block, DocTable):
            shape = table_shape(block, compiler)
            if shape is not None:
                pieces.append(Piece(TABLE, order, table=shape, key=shape.key, in_list=_list_of(loops)))
            continue
        control = _control(block.text)
        if control is not None:
            word = control.split()[0] if control.split() else ""
            if word == "for":
                m = _LOOP.match(control)
                var, path = (m.group(1), m.group(2)) if m else ("", "")
                if path.startswith("t.") and var:
                    narrative = path[2:]
                    pieces.append(Piece(NARRATIVE, order, key=narrative, in_list=_list_of(loops)))
                elif (
                    var and loops and loops[-1][0] and path.startswith(loops[-1][0] + ".") and _is_block(blocks, k, var)
                ):
                    end = _matching_end(blocks, k)
                    text = _block_text(blocks[k : end + 1])
                    reader = compiler.compile_block(text)
                    pieces.append(
                        Piece(
                            BLOCK,
                            order,
                            0,
                            text,
                            loops[-1][1],
                            reader.regex,
                            reader=reader,
                            in_list=loops[-1][1],
                            item_var=loops[-1][0],
                        )
                    )
                    skip_to = end
                    continue
                elif var and loops and path.startswith(loops[-1][0] + "."):
                    column = path.split(".", 1)[1].split("[")[0]
                    pieces.append(Piece(ITEM_TEXT, order, key=column, in_list=loops[-1][1]))
                    narrative = column
                else:
                    loops.append((var, path.split(".")[0]) if path.endswith(".rows") else ("", ""))
                    continue
                loops.append(("", ""))
            elif word == "endfor":
                if loops:
                    loops.pop()
                narrative = None
            continue
        if narrative is not None:  # the {{ p }} of a narrative loop: its lead words, if any
            m = re.search(r"\{%-?\s*if\s+loop\.first\s*-?%\}(.*?)\{%-?\s*endif", block.text, re.S)
            if m and pieces and pieces[-1].kind in (NARRATIVE, ITEM_TEXT):
                pieces[-1].lead = literal(m.group(1))
            if (
                re.match(r"\s*\{\{\s*h\.h\d\(\)\s*\}\}", block.text)
                and pieces
                and pieces[-1].kind in (NARRATIVE, ITEM_TEXT)
            ):
                pieces[-1].numbered = True
            continue
        text = block.text
        if not text.strip():
            continue
        level = heading_level(block)
        reader = compiler.compile(text, heading=level is not None)
        pattern = reader.regex
        exprs = tuple(Expr(slot.name, slot.filter) for slot in reader.slots if slot.kind == "var")
        list_name = _list_of(loops)
        item_var = loops[-1][0] if loops and loops[-1][0] else ""
        if level is not None and item_var and any(e.path.startswith(item_var + ".") for e in exprs):
            pieces.append(
                Piece(
                    ITEM_HEADING,
                    order,
                    level,
                    text,
                    list_name,
                    pattern,
                    exprs,
                    reader=reader,
                    in_list=list_name,
                    item_var=item_var,
                )
            )
        elif level is not None:
            pieces.append(Piece(HEADING, order, level, text, "", pattern, exprs, reader=reader, in_list=list_name))
        else:
            names_item = bool(item_var) and any(e.path.startswith(item_var + ".") for e in exprs)
            opened = any(q.kind == ITEM_HEADING and q.key == list_name for q in pieces[loop_start(loops, pieces) :])
            # an item's first line opens it (its title, perhaps with its first paragraph); a later
            # sentence of the item gives more of its fields
            kind = ITEM_HEADING if names_item and not opened else FIXED
            key = list_name if names_item else ""
            pieces.append(
                Piece(kind, order, 0, text, key, pattern, exprs, reader=reader, in_list=list_name, item_var=item_var)
            )
    return pieces


def _matching_end(blocks: list[Block], k: int) -> int:
    """The index of the ``{%p endfor %}`` closing the loop opened at ``k``."""
    depth = 0
    for i in range(k, len(blocks)):
        b = blocks[i]
        control = None if isinstance(b, DocTable) else _control(b.text)
        word = control.split()[0] if control and control.split() else ""
        if word == "for":
            depth += 1
        elif word == "endfor":
            depth -= 1
            if depth == 0:
                return i
    return len(blocks) - 1


def _is_block(blocks: list[Block], k: int, var: str) -> bool:
    """A loop whose paragraphs are more than its variable printed (``{{ p }}``): read as one block."""
    body = blocks[k + 1 : _matching_end(blocks, k)]
    if any(isinstance(b, DocTable) for b in body):
        return False
    texts = [b.text for b in body if isinstance(b, Para) and _control(b.text) is None and b.text.strip()]
    return not (len(texts) == 1 and re.search(r"\{\{\s*" + re.escape(var) + r"\s*\}\}", texts[0]))


def _block_text(blocks: list[Block]) -> str:
    """A loop's paragraphs as one templated text, each paragraph ending in the paragraph mark ¶."""
    out = []
    for b in blocks:
        if isinstance(b, DocTable):
            continue
        control = _control(b.text)
        if control is not None:
            out.append("{% " + control + " %}")
        elif b.text.strip():
            out.append(b.text + PARA)
    return "".join(out)


def loop_start(loops: list[tuple[str, str]], pieces: list[Piece]) -> int:
    """Where the innermost list loop's pieces begin (its pieces are those with its name)."""
    name = _list_of(loops)
    for i in range(len(pieces) - 1, -1, -1):
        if pieces[i].in_list != name:
            return i + 1
    return 0


def _list_of(loops: list[tuple[str, str]]) -> str:
    for var, name in reversed(loops):
        if var:
            return name
    return ""


def literal(text: str) -> str:
    """A template text without its tags (a heading's words, a table cell's fixed words)."""
    return norm(TAG.sub("", text))


@dataclass
class FixedRow:
    """A table row the template writes itself: its first cell's words or name, and a name a cell."""

    label: str  # the literal words of its first cell ("" when the cell prints a name)
    label_expr: str  # the name its first cell prints (``spending.total.name``), else ""
    cells: dict[int, Expr]  # grid column → the name printed there
    words: dict[int, tuple[str, str]] = field(default_factory=dict)  # grid column → fixed words before, after it


@dataclass
class TableTemplate:
    """A template table: header rows, then rows the template writes and loops over a table's rows."""

    header: list[list[str]]
    parts: list[FixedRow | TableShape]

    @property
    def key(self) -> str:
        return next((p.key for p in self.parts if isinstance(p, TableShape)), "")


def table_shape(table: DocTable, compiler: Compiler | None = None) -> TableTemplate | None:
    """A template table: its header rows, each loop's row names by column, the rows it writes itself."""
    header: list[list[str]] = []
    parts: list[FixedRow | TableShape] = []
    loop: tuple[str, str] | None = None
    shape: TableShape | None = None
    started = False
    for row in table.rows:
        texts = [c.text for c in row]
        joined = "".join(texts)
        if not started and "{{" not in joined and "{%" not in joined:
            header.append(_by_grid(row))
            continue
        started = True
        if "{%tr" in joined:
            m = _LOOP.search(joined)
            if m and re.search(r"\{%tr\s+for\b", joined):
                loop = (m.group(1), m.group(2))
                key, _, view = loop[1].partition(".")
                shape = TableShape(key, view, header, {}, None, "")
                parts.append(shape)
            elif re.search(r"\{%tr\s+endfor\b", joined):
                loop, shape = None, None
            continue
        if loop is not None and shape is not None:
            if not shape.columns and not shape.patterns:
                _loop_row(row, loop[0], shape, compiler, loop[1])
            continue
        cells: dict[int, Expr] = {}
        words: dict[int, tuple[str, str]] = {}
        label, label_expr = "", ""
        for n, cell in enumerate(row):
            m = TAG.search(cell.text)
            name = m.group(1).strip() if m and m.group(1) else ""
            if n == 0:
                label, label_expr = literal(cell.text), _expr(name).path if name else ""
                if name.endswith(".name"):
                    continue
            if name:
                cells[cell.col] = _expr(name)
                if m is not None:
                    words[cell.col] = (literal(cell.text[: m.start()]), literal(cell.text[m.end() :]))
        if cells:
            parts.append(FixedRow(label, label_expr, cells, words))
    if not any(isinstance(p, TableShape) and (p.columns or p.patterns) for p in parts) and not any(
        isinstance(p, FixedRow) for p in parts
    ):
        return None
    parts = [p for p in parts if not isinstance(p, TableShape) or p.columns or p.patterns]
    return TableTemplate(header, parts)


def _loop_row(row, var: str, shape: TableShape, compiler: Compiler | None, path: str) -> None:
    """The names a loop's row prints, by column: the row's name, its level names, its columns;
    a cell printing several names (``{{ r.nature }}{{ r.target }}``) read by its pattern."""
    for cell in row:
        names = [m.group(1).strip() for m in TAG.finditer(cell.text) if m.group(1)]
        var_names = [n for n in names if n.startswith(var + ".")]
        if not var_names:
            continue
        first = _expr(var_names[0], var)
        tail = first.path[len(var) + 1 :]
        tails = [_expr(n, var).path[len(var) + 1 :] for n in var_names]
        level = re.match(r"cells\[(\d+)\]", tail)
        if level:
            shape.levels[cell.col] = int(level.group(1))
        if any(t.split(".")[-1] in ("name", "title") or "cells" in t for t in tails):
            if shape.name_col is None:
                shape.name_col, shape.name_cell = cell.col, cell.text
            continue
        if len(var_names) == 1 and TAG.fullmatch(cell.text.strip()):
            shape.columns[cell.col] = Expr(tail.split(".")[-1], first.filter, None, var)
        elif compiler is not None:
            shape.patterns[cell.col] = compiler.compile_item(cell.text, var, path)


def _by_grid(row) -> list[str]:
    width = max((c.col + c.span for c in row), default=0)
    out = [""] * width
    for cell in row:
        for i in range(cell.col, cell.col + cell.span):
            out[i] = cell.text
    return out

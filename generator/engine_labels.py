"""The Chinese labels of a place in a data file, as a clerk reads it.

``("spending", 0, "children", 0, "initial")`` → ``["基本支出", "人员经费", "年初预算"]``:
the labels of the groups it is in, the names of the rows (or 「表名第 N 行」 for a row
without a name), and the label of the field.  A table's own label is not repeated
before its rows (the rows' names say where they are).  Messages of the validator,
of the placeholders ``待填`` and of ``checks:`` name a field by these.
"""

from __future__ import annotations

import re
from typing import Any

from .declare import Declaration, Group, Input, Months, Scalar, Series, Table
from .errors import WORD_CANNOT_KEEP, field_path

# Characters a Word document cannot keep, and the noncharacters U+FDD0–U+FDEF, which no text holds
# and which the layout steps use as marks (indent.py, vmerge.py)
XML_ILLEGAL = re.compile(f"[{WORD_CANNOT_KEEP}\ufdd0-\ufdef]")


def bad_character(char: str) -> str:
    """What a message says of a character :data:`XML_ILLEGAL` found (含有 …)."""
    code = ord(char)
    if 0xFDD0 <= code <= 0xFDEF:
        return f"含有不是文字的非字符 U+{code:04X}"
    return f"含有 Word 文档无法保存的控制字符 U+{code:04X}"


def row_label(table: Table, row: Any, index: int) -> str:
    """A row as messages name it: its name, or 「表名第 N 行」."""
    name = row.get(table.name) if isinstance(row, dict) and table.name else None
    if isinstance(name, str) and name.strip() and not XML_ILLEGAL.search(name):
        return name
    return f"{table.label}第 {index + 1} 行"


def labels_at(decl: Declaration, data: Any, loc: tuple) -> list[str]:
    """The labels of ``loc`` in the data file ``data`` (as far as the declaration knows it)."""
    if not loc:
        return []
    head, rest = loc[0], loc[1:]
    if head == "year" and not rest:
        return ["年度"]
    if head == "text":
        if rest and rest[0] in decl.text:
            return [decl.text[rest[0]][0]]
        return ["文字段落"] if not rest else []
    if head in decl.figures and not rest:
        return [decl.figures[head].label]
    spec = decl.inputs.get(head) if isinstance(head, str) else None
    if spec is None:
        return []
    value = data.get(head) if isinstance(data, dict) else None
    return _input(spec, value, rest, [], lambda key: _figure_at(decl, loc, key))


def _figure_at(decl: Declaration, loc: tuple, key: Any) -> str | None:
    """A figure typed where an alias puts it (``staffing.control_rate``) or beside its input
    (``monthly_execution.monthly_n``): its label."""
    target = decl.aliases.get(".".join(str(p) for p in loc))
    name = target[0] if target and len(target) == 1 else key
    fig = decl.figures.get(name) if isinstance(name, str) else None
    if fig is None:  # typed beside its input by its alias's last part: monthly_execution.average (monthly.average)
        for alias, path in decl.aliases.items():
            if alias.split(".")[-1] == key and len(path) == 1 and path[0] in decl.figures:
                fig = decl.figures[path[0]]
                break
    return fig.label if fig is not None else None


def _input(spec: Input, value: Any, rest: tuple, out: list[str], figure) -> list[str]:
    if isinstance(spec, Scalar):
        return out + [spec.label]
    if isinstance(spec, Series):
        if rest and isinstance(rest[0], int):
            return out + [spec.label, f"第 {rest[0] + 1} 项"]
        return out + [spec.label]
    if isinstance(spec, Months):
        out = out + [spec.label]
        if rest[:1] == ("from",):
            return out + ["起始月份"]
        if len(rest) == 1 and rest[0] != "rates" and figure(rest[0]):
            return out + [figure(rest[0])]
        return out
    if isinstance(spec, Group):
        out = out + [spec.label]
        if not rest:
            return out
        key = rest[0]
        inner = value.get(key) if isinstance(value, dict) else None
        if key in spec.fields:
            return _input(spec.fields[key], inner, rest[1:], out, figure)
        if key in spec.computed:
            return out + [spec.computed[key].label]
        found = figure(key) if len(rest) == 1 else None
        return out + [found] if found else out
    return _rows(spec, value, rest, out, True)


def _rows(table: Table, value: Any, rest: tuple, out: list[str], top: bool = False) -> list[str]:
    """Labels inside a table: its rows' names, then a column's label (the table's own label only for
    the table itself, ``final_accounts.by_class``; ``children`` and nested lists are named by their row)."""
    index = rest[0] if rest else None
    if not isinstance(index, int) or not isinstance(value, list) or not 0 <= index < len(value):
        return out + [table.label] if top else out
    row = value[index]
    out = out + [row_label(table, row, index)]
    rest = rest[1:]
    if not rest or not isinstance(row, dict):
        return out
    key = rest[0]
    if key == "children" and table.tree:
        return _rows(table, row.get("children"), rest[1:], out)
    if key in table.lists:
        inner = table.lists[key]
        return _rows(inner, row.get(key), rest[1:], out) if rest[1:] else out + [inner.label]
    if key in table.columns:
        return out + [table.columns[key].label]
    if key in table.computed:
        return out + [table.computed[key].label]
    return out


def named(loc: tuple, labels: list[str]) -> str:
    """A field as a message names it: ``spending[0].initial（基本支出 › 年初预算）``."""
    return field_path(loc) + (f"（{' › '.join(labels)}）" if labels else "")

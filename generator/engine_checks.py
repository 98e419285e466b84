"""A declared format's consistency rules (``checks:``): each row of a table, each rule.

A rule holds where its ``when`` formula is 1; its message names the row's figures
(``{score}`` printed as the report prints it, ``{who}`` the row's name in quotes or
（未列名称的指标）).  A row is not flagged when a row under it was, by the same rule, or
when a row under it has an error by any rule: the cause is named where it is.  A rule without ``table:`` is evaluated once over the
figures, totals and scalars (``{spending.total.amount}`` in its message), and told at
its ``field:``.  Pure: figures in, problems out.
"""

from __future__ import annotations

import re
from typing import Any

from . import formula
from .declare import Check, Declaration, Group, Months, Scalar, Table, input_at
from .engine_compute import DeclaredFigures, TableFigures, _resolve
from .engine_labels import labels_at, named
from .errors import Problem
from .load import Loaded


def run_checks(decl: Declaration, figures: DeclaredFigures, loaded: Loaded, printed) -> list[Problem]:
    """Every rule over every row; ``printed(value, kind)`` prints a figure as the report does."""
    problems: list[Problem] = []
    by_table: dict[str, list[tuple[int, Check]]] = {}
    for i, check in enumerate(decl.checks):
        if check.table:
            by_table.setdefault(check.table, []).append((i, check))
        else:
            problems += _figure_check(check, decl, figures, loaded, printed)
    for name, checks in by_table.items():
        table = input_at(decl.inputs, tuple(name.split(".")))
        assert isinstance(table, Table)
        value: Any = figures.values
        for key in name.split("."):  # a table in a group: staffing.kinds
            value = value.get(key) if isinstance(value, dict) else None
        if not isinstance(value, TableFigures):
            continue  # a group not written
        for row in value.top:
            _walk(checks, table, value, row, decl, loaded, printed, problems)
    problems.sort(key=lambda p: p.line or 0)
    return problems


def _figure_check(check: Check, decl: Declaration, figures: DeclaredFigures, loaded: Loaded, printed) -> list[Problem]:
    def value_of(path: tuple[str, ...]) -> Any:
        return _resolve(decl.tables, figures.values, figures.figures, path)

    try:
        holds = formula.evaluate(check.node, lambda ref: value_of(ref.path), decl.settings)
    except formula.FormulaError:
        return []
    if not holds:
        return []

    def one(match: re.Match) -> str:
        path = tuple(match.group(1).split("."))
        return printed(value_of(path), _print_of(decl, path))

    loc = tuple(check.field.split("."))
    message = re.sub(r"\{([\w.]+)\}", one, check.message)
    where = named(loc, labels_at(decl, loaded.data, loc))
    return [Problem(loaded.path, loaded.line_of(loc), where, message, "warning" if check.warning else "error")]


def _print_of(decl: Declaration, path: tuple[str, ...]) -> str:
    """How a name of a figure's formula prints (a message's ``{spending.total.amount}``)."""
    head, rest = path[0], path[1:]
    if head in decl.figures and not rest:
        return decl.figures[head].print
    spec: Any = decl.tables.get(head)
    while isinstance(spec, Group) and rest:
        if rest[0] in spec.computed:
            return spec.computed[rest[0]].print
        spec, rest = spec.fields.get(rest[0]), rest[1:]
    if isinstance(spec, Scalar):
        return _column_print(spec)
    if isinstance(spec, Months):
        return "count"
    if isinstance(spec, Table) and rest:
        column = rest[-1]
        if column in spec.columns:
            return _column_print(spec.columns[column])
        if column in spec.computed:
            return spec.computed[column].print
    return "text"


def _column_print(col: Scalar) -> str:
    return {"amount": "money", "number": "score"}.get(col.type, col.print)


def _walk(checks, table: Table, value: TableFigures, row: dict, decl, loaded, printed, problems) -> tuple[set, bool]:
    """The rules of one table over a row, after the rows under it; returns the rules flagged in
    this subtree and whether an error was.  A row is not flagged by a rule that flagged a row
    under it, nor by any rule when a row under it has an error: its sums come from that row
    (a child's missing score leaves its parent's undefined too)."""
    flagged: set[int] = set()
    error = False
    for child in row["children"]:
        below, wrong = _walk(checks, table, value, child, decl, loaded, printed, problems)
        flagged |= below
        error |= wrong
    if error:
        return flagged, True
    here = set()
    for i, check in checks:
        if i in flagged:
            continue
        try:
            holds = formula.evaluate(check.node, lambda ref: row[ref.path[0]], decl.settings)
        except formula.FormulaError:
            continue
        if not holds:
            continue
        loc = value.locs.get(id(row), (table.key,)) + (check.field,)
        problems.append(
            Problem(
                loaded.path,
                loaded.line_of(loc),
                named(loc, labels_at(decl, loaded.data, loc)),
                _message(check.message, table, row, printed),
                "warning" if check.warning else "error",
            )
        )
        here.add(i)
        error |= not check.warning
    return flagged | here, error


def _message(template: str, table: Table, row: dict, printed) -> str:
    def one(match: re.Match) -> str:
        key = match.group(1)
        if key == "who":
            name = row.get(table.name) if table.name else None
            return f"“{name}”" if isinstance(name, str) and name else f"（未列名称的{table.row_word}）"
        if key in table.columns:
            kind: Any = _column_print(table.columns[key])
        elif key in table.computed:
            kind = table.computed[key].print
        else:
            return match.group(0)
        return printed(row.get(key), kind)

    return re.sub(r"\{(\w+)\}", one, template)

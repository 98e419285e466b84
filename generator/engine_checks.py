"""A declared format's consistency rules (``checks:``): each row of a table, each rule.

A rule holds where its ``when`` formula is 1; its message names the row's figures
(``{score}`` printed as the report prints it, ``{who}`` the row's name in quotes or
（未列名称的指标）).  A row is not flagged when a row under it was, by the same rule:
the cause is named where it is.  Pure: figures in, problems out.
"""

from __future__ import annotations

import re
from typing import Any

from . import formula
from .declare import Check, Declaration, Table, input_at
from .engine_compute import DeclaredFigures, TableFigures
from .engine_labels import labels_at, named
from .errors import Problem
from .load import Loaded


def run_checks(decl: Declaration, figures: DeclaredFigures, loaded: Loaded, printed) -> list[Problem]:
    """Every rule over every row; ``printed(value, kind)`` prints a figure as the report does."""
    problems: list[Problem] = []
    for check in decl.checks:
        table = input_at(decl.inputs, tuple(check.table.split(".")))
        assert isinstance(table, Table)
        value: Any = figures.values
        for key in check.table.split("."):  # a table in a group: staffing.kinds
            value = value.get(key) if isinstance(value, dict) else None
        if not isinstance(value, TableFigures):
            continue  # a group not written
        for row in value.top:
            _walk(check, table, value, row, decl, loaded, printed, problems)
    problems.sort(key=lambda p: p.line or 0)
    return problems


def _walk(check: Check, table: Table, value: TableFigures, row: dict, decl, loaded, printed, problems) -> bool:
    flagged = False
    for child in row["children"]:
        flagged |= _walk(check, table, value, child, decl, loaded, printed, problems)
    if flagged:
        return True
    try:
        holds = formula.evaluate(check.node, lambda ref: row[ref.path[0]], decl.settings)
    except formula.FormulaError:
        return False
    if not holds:
        return False
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
    return True


def _message(template: str, table: Table, row: dict, printed) -> str:
    def one(match: re.Match) -> str:
        key = match.group(1)
        if key == "who":
            name = row.get(table.name) if table.name else None
            return f"“{name}”" if isinstance(name, str) and name else f"（未列名称的{table.row_word}）"
        if key in table.columns:
            col = table.columns[key]
            kind: Any = {"amount": "money", "number": "score"}.get(col.type, col.print)
        elif key in table.computed:
            kind = table.computed[key].print
        else:
            return match.group(0)
        return printed(row.get(key), kind)

    return re.sub(r"\{(\w+)\}", one, template)

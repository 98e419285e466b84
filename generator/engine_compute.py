"""Compute a declared format's columns and figures from validated inputs.

Pure: values in, values out; ``Decimal`` throughout, ``None`` for undefined.
A table's rows are dicts (input and computed columns, plus ``level`` and
``children``) so that templates and narrative references read them alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import engine_views as views
from . import formula
from .declare import NUMERIC, Declaration, Group, Months, Scalar, Series, Table
from .engine_validate import InputRow, Inputs
from .errors import field_path


class ComputeError(Exception):
    """A formula that cannot be evaluated on this data (e.g. a share of a negative amount)."""

    def __init__(self, loc: tuple, field: str, message: str):
        super().__init__(message)
        self.loc = loc
        self.field = field
        self.message = message


@dataclass
class TableFigures:
    """A computed table: its rows in reading order, top rows, leaves and total row."""

    rows: list[dict]
    top: list[dict]
    leaves: list[dict]
    total: dict
    row: dict[str, dict]  # rows by name
    keyed: dict[str, dict] = field(default_factory=dict)  # rows by their key column (``T.KEY``)
    grid: list[dict] = field(default_factory=list)  # the tree as a grid (engine_views.grid)
    grouped: dict[str, dict] = field(default_factory=dict)  # nested lists grouped by row
    locs: dict[int, tuple] = field(default_factory=dict)  # where each row is written (id → loc)

    def as_names(self) -> dict[str, Any]:
        fixed = {"rows": self.rows, "top": self.top, "leaves": self.leaves, "total": self.total, "row": self.row}
        # the total row's columns by the table's name too: ``spending.initial`` = ``spending.total.initial``
        totals = {k: v for k, v in self.total.items() if k not in ("children", "level", "number")}
        # rows by name and by key as names too: ``spending.基本支出.initial``, ``scores.output.score``
        return {**self.row, **self.keyed, **totals, **fixed, "grid": self.grid, "grouped": self.grouped}


@dataclass
class DeclaredFigures:
    values: dict[str, Any]  # inputs: scalars, groups (dict), tables (TableFigures)
    figures: dict[str, Any]
    mismatches: list = field(default_factory=list)  # stated parents that differ from their sums


def _build(row: InputRow, level: int, loc: tuple, locs: dict[int, tuple], table: Table, settings) -> dict:
    values = dict(row.values)
    for key, inner in table.lists.items():
        values[key] = compute_table(inner, row.values.get(key) or [], settings, loc + (key,)).rows
    for key, col in table.columns.items():
        if row.children or values[key] is not None:
            continue
        if col.parts is not None and values[col.parts]:
            values[key] = formula.f_sum(settings, *(p[key] for p in values[col.parts]))
        elif col.count_of is not None:  # as many as listed; none listed nor stated: 0
            values[key] = len(values[col.count_of])
    values["level"] = level
    values["number"] = loc[-1] + 1 if isinstance(loc[-1], int) else 1  # among its siblings, from 1
    values["children"] = [
        _build(c, level + 1, loc + ("children", i), locs, table, settings) for i, c in enumerate(row.children)
    ]
    locs[id(values)] = loc
    return values


def _post_order(row: dict) -> list[dict]:
    out: list[dict] = []
    for child in row["children"]:
        out.extend(_post_order(child))
    out.append(row)
    return out


def compute_table(
    table: Table, rows: list[InputRow], settings: formula.Settings, loc: tuple | None = None, problems: list | None = None
) -> TableFigures:
    """The table's rows with computed columns; a stated parent that differs from the sum of its
    children is added to ``problems`` as (loc, table, column, stated, summed, row)."""
    locs: dict[int, tuple] = {}
    mismatches: list = [] if problems is None else problems
    base = (table.key,) if loc is None else loc
    top = [_build(r, 1, base + (i,), locs, table, settings) for i, r in enumerate(rows)]
    total: dict[str, Any] = {key: None for key in table.columns}
    total.update({key: [] for key in table.lists})
    if table.name:
        total[table.name] = table.total
    total.update(level=0, number=0, children=top)
    ordered = _post_order(total)  # children before parents, total last
    for row in ordered:
        if row["children"]:
            for key, col in table.columns.items():
                if col.rollup:
                    summed = formula.f_sum(settings, *(c[key] for c in row["children"]))
                    stated = row.get(key) if col.stated else None
                    if stated is not None and summed is not None and stated != summed and row is not total:
                        mismatches.append((locs[id(row)] + (key,), table, col, stated, summed, row))
                    row[key] = stated if stated is not None else summed
    parents = {id(c): row for row in ordered for c in row["children"]}
    share_cache: dict[tuple[int, str], list] = {}

    def share_of(row: dict, column: str) -> Any:
        parent = parents.get(id(row))
        siblings = parent["children"] if parent is not None else [row]
        key = (id(parent), column)
        if key not in share_cache:
            share_cache[key] = formula.shares([s[column] for s in siblings], settings)
        return share_cache[key][[id(s) for s in siblings].index(id(row))]

    for key in table.order:
        comp = table.computed[key]
        for row in ordered:
            if comp.rollup and row["children"]:
                row[key] = formula.f_sum(settings, *(c[key] for c in row["children"]))
                continue
            try:
                row[key] = _evaluate_row(comp.node, row, settings, share_of)
            except formula.FormulaError as exc:
                name = row.get(table.name) if table.name else None
                where = f"{name} › " if isinstance(name, str) else ""
                loc = locs.get(id(row), (table.key,))
                field = f"{field_path(loc)}（{where}{comp.label}）"
                raise ComputeError(loc, field, f"无法计算{comp.label}（{comp.source}）：{exc}") from None
    reading = _pre_order(total)[1:]
    leaves = [r for r in reading if not r["children"]]
    by_name = {r[table.name]: r for r in reading if table.name and isinstance(r.get(table.name), str)}
    by_key = {r[table.row_key]: r for r in reading if table.row_key and isinstance(r.get(table.row_key), str)}
    grouped = {
        key: views.grouped(
            reading,
            key,
            inner.group_label,
            table.name,
            [c for c, col in inner.columns.items() if col.type in NUMERIC],
        )
        for key, inner in table.lists.items()
    }
    grid = views.grid(top, table.name, table.levels)
    return TableFigures(reading, top, leaves, total, by_name, by_key, grid, grouped, locs)


def _evaluate_row(
    node: formula.Node, row: dict, settings: formula.Settings, share_of: Callable[[dict, str], Any]
) -> Any:
    def lookup(ref: formula.Ref) -> Any:
        if len(ref.path) == 2:  # a column of a nested list
            return [item[ref.path[1]] for item in row[ref.path[0]]]
        return row[ref.path[0]]

    def share(column: str) -> Any:
        return share_of(row, column)

    return formula.evaluate(node, lookup, settings, share)


def _pre_order(row: dict) -> list[dict]:
    out = [row]
    for child in row["children"]:
        out.extend(_pre_order(child))
    return out


def compute_declared(decl: Declaration, inputs: Inputs) -> DeclaredFigures:
    values: dict[str, Any] = {}
    mismatches: list = []
    for key, spec in decl.inputs.items():
        if isinstance(spec, Table):
            values[key] = compute_table(spec, inputs.values[key], decl.settings, None, mismatches)
        else:
            values[key] = inputs.values[key]
    figures: dict[str, Any] = {}

    def lookup(ref: formula.Ref) -> Any:
        head, rest = ref.path[0], ref.path[1:]
        if head in figures and not rest:
            return figures[head]
        spec = decl.inputs[head]
        value = values[head]
        if isinstance(spec, (Scalar, Series)):
            return value
        if isinstance(spec, (Group, Months)):
            return None if value is None else value[rest[0]]
        assert isinstance(value, TableFigures)
        if rest[0] == "total":
            return value.total[rest[1]]
        if rest[0] == "leaves":
            return [r[rest[1]] for r in value.leaves]
        return [r[rest[0]] for r in value.top]

    for key in decl.order:
        fig = decl.figures[key]
        try:
            figures[key] = formula.evaluate(fig.node, lookup, decl.settings)
        except formula.FormulaError as exc:
            raise ComputeError((), f"{key}（{fig.label}）", f"无法计算{fig.label}（{fig.source}）：{exc}") from None
    return DeclaredFigures(values, figures, mismatches)

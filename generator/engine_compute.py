"""Compute a declared format's columns and figures from validated inputs.

Pure: values in, values out; ``Decimal`` throughout, ``None`` for undefined.
A table's rows are dicts (input and computed columns, plus ``level`` and
``children``) so that templates and narrative references read them alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import formula
from .declare import Declaration, Group, Scalar, Series, Table
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

    def as_names(self) -> dict[str, Any]:
        return {"rows": self.rows, "top": self.top, "leaves": self.leaves, "total": self.total, "row": self.row}


@dataclass
class DeclaredFigures:
    values: dict[str, Any]  # inputs: scalars, groups (dict), tables (TableFigures)
    figures: dict[str, Any]


def _build(row: InputRow, level: int, loc: tuple, locs: dict[int, tuple]) -> dict:
    values = dict(row.values)
    values["level"] = level
    values["children"] = [_build(c, level + 1, loc + ("children", i), locs) for i, c in enumerate(row.children)]
    locs[id(values)] = loc
    return values


def _post_order(row: dict) -> list[dict]:
    out: list[dict] = []
    for child in row["children"]:
        out.extend(_post_order(child))
    out.append(row)
    return out


def compute_table(table: Table, rows: list[InputRow], settings: formula.Settings) -> TableFigures:
    locs: dict[int, tuple] = {}
    top = [_build(r, 1, (table.key, i), locs) for i, r in enumerate(rows)]
    total: dict[str, Any] = {key: None for key in table.columns}
    if table.name:
        total[table.name] = table.total
    total.update(level=0, children=top)
    ordered = _post_order(total)  # children before parents, total last
    for row in ordered:
        if row["children"]:
            for key, col in table.columns.items():
                if col.rollup:
                    row[key] = formula.f_sum(settings, *(c[key] for c in row["children"]))
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
    return TableFigures(reading, top, leaves, total, by_name)


def _evaluate_row(
    node: formula.Node, row: dict, settings: formula.Settings, share_of: Callable[[dict, str], Any]
) -> Any:
    def lookup(ref: formula.Ref) -> Any:
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
    for key, spec in decl.inputs.items():
        if isinstance(spec, Table):
            values[key] = compute_table(spec, inputs.values[key], decl.settings)
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
        if isinstance(spec, Group):
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
    return DeclaredFigures(values, figures)

"""Compute a declared format's columns and figures from validated inputs.

Pure: values in, values out; ``Decimal`` throughout, ``None`` for undefined.
A table's rows are dicts (input and computed columns, plus ``level`` and
``children``) so that templates and narrative references read them alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import formula
from .declare import Computed, Declaration, Group, Input, Scalar, Series, Table
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
    groups: dict[str, list[dict]] = field(default_factory=dict)  # text column → its groups (group_rows)

    def as_names(self) -> dict[str, Any]:
        """``T.rows`` …, and a row by its name as ``T['名称']`` too (short for ``T.row['名称']``)."""
        structure = {
            "rows": self.rows,
            "top": self.top,
            "leaves": self.leaves,
            "total": self.total,
            "row": self.row,
            "groups": self.groups,
        }
        return {**self.row, **structure}


def group_rows(rows: list[dict], column: str) -> list[dict]:
    """``T.groups.COL``: the rows with the same value of a text column, in the order each value first appears.

    Each group is ``{"value": …, "rows": [...]}``; a row that leaves the column empty is in no group
    (e.g. team members by duty: 甲、丙：统筹；乙：协助).
    """
    groups: dict[str, list[dict]] = {}
    for row in rows:
        value = row.get(column)
        if isinstance(value, str) and value:
            groups.setdefault(value, []).append(row)
    return [{"value": value, "rows": members} for value, members in groups.items()]


@dataclass
class DeclaredFigures:
    values: dict[str, Any]  # inputs: scalars, groups (dict, with their computed figures), tables (TableFigures)
    figures: dict[str, Any]
    misread: dict[str, tuple[tuple[str, Any], ...]] = field(default_factory=dict)  # dotted path → (misreading, value)


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


def compute_table(
    table: Table, rows: list[InputRow], settings: formula.Settings, loc: tuple | None = None
) -> TableFigures:
    """``loc`` is where the data file writes the table (its key, or a group's key and its key)."""
    locs: dict[int, tuple] = {}
    at = loc if loc is not None else (table.key,)
    top = [_build(r, 1, at + (i,), locs) for i, r in enumerate(rows)]
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
                loc = locs.get(id(row), at)
                named = f"{field_path(loc)}（{where}{comp.label}）"
                raise ComputeError(loc, named, f"无法计算{comp.label}（{comp.source}）：{exc}") from None
    reading = _pre_order(total)[1:]
    leaves = [r for r in reading if not r["children"]]
    row_names = [r[table.name] for r in reading if table.name and isinstance(r.get(table.name), str)]
    # a name two rows share (中央 under two parents) finds neither: T.row['中央'] would be a guess
    by_name = {r[table.name]: r for r in reading if table.name and row_names.count(r.get(table.name)) == 1}
    texts = [key for key, col in table.columns.items() if col.type in ("text", "choice") and key != table.name]
    return TableFigures(reading, top, leaves, total, by_name, {key: group_rows(leaves, key) for key in texts})


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


def _resolve(specs: dict[str, Input], values: dict[str, Any], figures: dict[str, Any], path: tuple) -> Any:
    """The value a formula's name ``path`` stands for, among ``specs`` (inputs) and ``figures``."""
    head, rest = path[0], path[1:]
    if head in figures and not rest:
        return figures[head]
    spec = specs[head]
    value = values[head]
    if isinstance(spec, (Scalar, Series)):
        return value
    if isinstance(spec, Group):
        if value is None:  # an optional group that is not written
            return None
        if rest[0] in spec.computed:
            return value[rest[0]]
        return _resolve(spec.fields, value, {}, rest)
    assert isinstance(value, TableFigures)
    if rest[0] == "total":
        return value.total[rest[1]]
    if rest[0] == "leaves":
        return [r[rest[1]] for r in value.leaves]
    return [r[rest[0]] for r in value.top]


def _scope(
    specs: dict[str, Input],
    raw: dict[str, Any],
    settings: formula.Settings,
    loc: tuple,
    labels: tuple[str, ...],
    misread: dict[str, tuple[tuple[str, Any], ...]],
) -> dict[str, Any]:
    """Inputs computed: tables as :class:`TableFigures`, groups (with their computed figures) as dicts."""
    out: dict[str, Any] = {}
    for key, spec in specs.items():
        value = raw[key]
        if isinstance(spec, Table):
            out[key] = compute_table(spec, value, settings, loc + (key,))
        elif isinstance(spec, Group) and value is not None:
            inner = _scope(spec.fields, value, settings, loc + (key,), labels + (spec.label,), misread)
            out[key] = _group_figures(spec, inner, settings, loc + (key,), labels, misread)
        else:
            out[key] = value
    for key, spec in specs.items():  # a field not written, computed from the inputs its formula names
        if isinstance(spec, Scalar) and spec.otherwise is not None and out[key] is None:
            fig = Computed(key, spec.label, spec.help, spec.otherwise, spec.otherwise_source, spec.print)
            lookup = lambda r: _resolve(specs, out, {}, r.path)  # noqa: E731
            out[key] = _evaluate(fig, lookup, settings, loc, labels + (spec.label,), key)
    return out


def _group_figures(
    spec: Group,
    inner: dict[str, Any],
    settings: formula.Settings,
    loc: tuple,
    labels: tuple[str, ...],
    misread: dict[str, tuple[tuple[str, Any], ...]],
) -> dict[str, Any]:
    """A group's values with its computed figures added, in their order."""
    done: dict[str, Any] = {}

    def lookup(ref: formula.Ref) -> Any:
        return _resolve(spec.fields, inner, done, ref.path)

    for name in spec.order:
        comp = spec.computed[name]
        done[name] = _evaluate(comp, lookup, settings, loc, labels + (spec.label, comp.label), name)
        if comp.misread:
            misread[".".join(map(str, loc + (name,)))] = _misread(comp, lookup, settings)
    return inner | done


def _evaluate(fig: Any, lookup: Callable[[formula.Ref], Any], settings: formula.Settings, loc: tuple, labels: tuple, key: str) -> Any:
    try:
        return formula.evaluate(fig.node, lookup, settings)
    except formula.FormulaError as exc:
        field = ".".join(str(p) for p in loc + (key,)) if loc else key
        raise ComputeError(loc, f"{field}（{' › '.join(labels)}）", f"无法计算{fig.label}（{fig.source}）：{exc}") from None


def _misread(fig: Any, lookup: Callable[[formula.Ref], Any], settings: formula.Settings) -> tuple[tuple[str, Any], ...]:
    """A figure's known misreadings and their values (one that cannot be computed is left out)."""
    out = []
    for name, node in fig.misread:
        try:
            out.append((name, formula.evaluate(node, lookup, settings)))
        except formula.FormulaError:
            continue
    return tuple(out)


def compute_declared(decl: Declaration, inputs: Inputs) -> DeclaredFigures:
    misread: dict[str, tuple[tuple[str, Any], ...]] = {}
    values = _scope(decl.inputs, inputs.values, decl.settings, (), (), misread)
    figures: dict[str, Any] = {}
    for key in decl.order:
        fig = decl.figures[key]
        lookup = lambda r: _resolve(decl.inputs, values, figures, r.path)  # noqa: E731
        figures[key] = _evaluate(fig, lookup, decl.settings, (), (fig.label,), key)
        if fig.misread:
            misread[key] = _misread(fig, lookup, decl.settings)
    return DeclaredFigures(values, figures, misread)

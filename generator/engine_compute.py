"""Compute a declared format's columns and figures from validated inputs.

Pure: values in, values out; ``Decimal`` throughout, ``None`` for undefined.
A table's rows are dicts (input and computed columns, plus ``level`` and
``children``) so that templates and narrative references read them alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import engine_views as views
from . import formula
from .declare import NUMERIC, Collect, Computed, Declaration, Group, Input, Months, Scalar, Series, Table
from .engine_validate import InputRow, Inputs
from .errors import field_path
from .record import Frozen, Record


class ComputeError(Exception):
    """A formula that cannot be evaluated on this data (e.g. a share of a negative amount)."""

    def __init__(self, loc: tuple, field: str, message: str, column: str | None = None):
        super().__init__(message)
        self.loc = loc
        self.field = field
        self.message = message
        self.column = column  # a computed column of the row at ``loc``: its label (named with the row's labels)


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class TableFigures(Record):
    """A computed table: its rows in reading order, top rows, leaves and total row."""

    _fields = ("rows", "top", "leaves", "total", "row", "keyed", "grid", "grouped", "locs", "groups")
    rows: list[dict]
    top: list[dict]
    leaves: list[dict]
    total: dict
    row: dict[str, dict]  # rows by name
    keyed: dict[str, dict]  # rows by their key column (``T.KEY``)
    grid: list[dict]  # the tree as a grid (engine_views.grid)
    grouped: dict[str, dict]  # nested lists grouped by row
    locs: dict[int, tuple]  # where each row is written (id → loc)
    groups: dict[str, list[dict]]  # text column → its groups (group_rows)

    def __init__(
        self,
        rows: list[dict],
        top: list[dict],
        leaves: list[dict],
        total: dict,
        row: dict[str, dict],
        keyed: dict[str, dict] | None = None,
        grid: list[dict] | None = None,
        grouped: dict[str, dict] | None = None,
        locs: dict[int, tuple] | None = None,
        groups: dict[str, list[dict]] | None = None,
    ) -> None:
        self.rows = rows
        self.top = top
        self.leaves = leaves
        self.total = total
        self.row = row
        self.keyed = {} if keyed is None else keyed
        self.grid = [] if grid is None else grid
        self.grouped = {} if grouped is None else grouped
        self.locs = {} if locs is None else locs
        self.groups = {} if groups is None else groups

    def as_names(self) -> dict[str, Any]:
        """``T.rows`` …, a row by its name as ``T['名称']`` (short for ``T.row['名称']``) or by its key
        (``scores.output``), the total row's columns by the table's name (``spending.initial``)."""
        structure = {
            "rows": self.rows,
            "top": self.top,
            "leaves": self.leaves,
            "total": self.total,
            "row": self.row,
            "groups": self.groups,
        }
        totals = {k: v for k, v in self.total.items() if k not in ("children", "level", "number")}
        return {**self.row, **self.keyed, **totals, **structure, "grid": self.grid, "grouped": self.grouped}


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


class DeclaredFigures(Record):
    _fields = ("values", "figures", "mismatches", "misread")
    values: dict[str, Any]  # inputs: scalars, groups (dict, with their computed figures), tables (TableFigures)
    figures: dict[str, Any]
    mismatches: list  # stated parents that differ from their sums
    misread: dict[str, tuple[tuple[str, Any], ...]]  # dotted path → (misreading, value)

    def __init__(
        self,
        values: dict[str, Any],
        figures: dict[str, Any],
        mismatches: list | None = None,
        misread: dict[str, tuple[tuple[str, Any], ...]] | None = None,
    ) -> None:
        self.values = values
        self.figures = figures
        self.mismatches = [] if mismatches is None else mismatches
        self.misread = {} if misread is None else misread


def _build(row: InputRow, level: int, loc: tuple, locs: dict[int, tuple], table: Table, settings) -> dict:
    values = dict(row.values)
    for key, inner in table.lists.items():
        values[key] = compute_table(inner, row.values.get(key) or [], settings, loc + (key,)).rows
    for key, col in table.columns.items():
        if row.children or values[key] is not None:
            continue
        if col.sum_of is not None and values[col.sum_of]:
            values[key] = formula.f_sum(settings, *(p[col.summed] for p in values[col.sum_of]))
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
    table: Table,
    rows: list[InputRow],
    settings: formula.Settings,
    loc: tuple | None = None,
    problems: list | None = None,
) -> TableFigures:
    """``loc`` is where the data file writes the table (its key, or a group's key and its key); a stated
    parent that differs from the sum of its children is added to ``problems`` as (loc, table, column, stated,
    summed, row)."""
    locs: dict[int, tuple] = {}
    mismatches: list = [] if problems is None else problems
    at = loc if loc is not None else (table.key,)
    top = [_build(r, 1, at + (i,), locs, table, settings) for i, r in enumerate(rows)]
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
    _count_by(table, ordered, total, settings)
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
                raise ComputeError(loc, named, f"无法计算{comp.label}（{comp.source}）：{exc}", comp.label) from None
    reading = _pre_order(total)[1:]
    leaves = [r for r in reading if not r["children"]]
    row_names = [r[table.name] for r in reading if table.name and isinstance(r.get(table.name), str)]
    # a name two rows share (中央 under two parents) finds neither: T.row['中央'] would be a guess
    by_name = {r[table.name]: r for r in reading if table.name and row_names.count(r.get(table.name)) == 1}
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
    if table.count_by is not None:  # a tree's leaves grouped under the row they are children of
        column = table.count_by.column
        grouped[column] = views.grouped(
            reading,
            column,
            table.group_label,
            table.name,
            [c for c, col in table.columns.items() if col.type in NUMERIC],
            items=lambda r: [c for c in r["children"] if not c["children"] and _written(c.get(column))],
        )
    grid = views.grid(top, table.name, table.levels)
    texts = [key for key, col in table.columns.items() if col.type in ("text", "choice") and key != table.name]
    groups = {key: group_rows(leaves, key) for key in texts}
    return TableFigures(reading, top, leaves, total, by_name, by_key, grid, grouped, locs, groups)


def _written(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _count_by(table: Table, ordered: list[dict], total: dict, settings: formula.Settings) -> None:
    """``count_by: {column: COLUMN, name: NAME, label: …}``: each row's items (the leaves below it, or the items of a nested list
    in it and in the rows below it) counted and grouped by COLUMN, in the order each value first appears.

    A row gets NAME (how many items have COLUMN written), ``groups.COLUMN`` (``value``, ``rows``, NAME
    and the sums of the items' number columns) and each group by its value (``row.产出指标.NAME``) where
    that is no name the row already has; a leaf of a tree lists nothing (NAME undefined).
    """
    sources: list[tuple[str | None, Table]] = [(None, table)] if table.count_by else []
    sources += [(key, inner) for key, inner in table.lists.items() if inner.count_by]
    for source, spec in sources:
        assert spec.count_by is not None
        column, name = spec.count_by.column, spec.count_by.name
        numbers = [c for c, col in spec.columns.items() if col.type in NUMERIC and c not in ("value", "rows")]
        below: dict[int, list[dict]] = {}
        for row in ordered:  # children before their parents
            if source is None:
                items = [leaf for c in row["children"] for leaf in (below[id(c)] if c["children"] else [c])]
            else:
                items = list(row.get(source) or []) + [i for c in row["children"] for i in below[id(c)]]
            below[id(row)] = items
            groups: dict[str, list[dict]] = {}
            for item in items:
                if _written(item.get(column)):
                    groups.setdefault(item[column], []).append(item)
            listed = [
                {"value": value, "rows": members}
                | {c: formula.f_sum(settings, *(m.get(c) for m in members)) for c in numbers}
                | {name: len(members)}
                for value, members in groups.items()
            ]
            row.setdefault("groups", {})[column] = listed
            row[name] = None if source is None and not row["children"] else sum(len(m) for m in groups.values())
            if row is not total:
                for group in listed:
                    row.setdefault(group["value"], group)


def _evaluate_row(
    node: formula.Node, row: dict, settings: formula.Settings, share_of: Callable[[dict, str], Any]
) -> Any:
    def lookup(ref: formula.Ref) -> Any:
        if ref.path[0] == "children" and len(ref.path) == 2:  # a column of the row's children
            return [child[ref.path[1]] for child in row["children"]]
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


def _resolve(specs: dict[str, Input], values: dict[str, Any], figures: dict[str, Any], path: tuple) -> Any:
    """The value a formula's name ``path`` stands for, among ``specs`` (inputs) and ``figures``."""
    head, rest = path[0], path[1:]
    if head in figures and not rest:
        return figures[head]
    spec = specs[head]
    value = values[head]
    if isinstance(spec, (Scalar, Series)):
        return value
    if isinstance(spec, Months):
        return None if value is None else value[rest[0]]
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
    mismatches: list | None = None,
) -> dict[str, Any]:
    """Inputs computed: tables as :class:`TableFigures`, groups (with their computed figures) as dicts."""
    out: dict[str, Any] = {}
    for key, spec in specs.items():
        value = raw[key]
        if isinstance(spec, Table):
            out[key] = compute_table(spec, value, settings, loc + (key,), mismatches)
        elif isinstance(spec, Group) and value is not None:
            inner = _scope(spec.fields, value, settings, loc + (key,), labels + (spec.label,), misread, mismatches)
            out[key] = _group_figures(spec, inner, settings, loc + (key,), labels, misread)
        else:
            out[key] = value
    for key, spec in specs.items():  # a field not written, computed from the inputs its formula names
        if isinstance(spec, Scalar) and spec.otherwise is not None and (out[key] is None or spec.stated):
            if spec.stated and not any(raw.get(p) not in (None, [], ()) for p in spec.parts):
                continue  # sum_or_stated without its parts: as written (or no figure)
            fig = Computed(key, spec.label, spec.help, spec.otherwise, spec.otherwise_source, spec.print)
            lookup = lambda r: _resolve(specs, out, {}, r.path)  # noqa: E731
            summed = _evaluate(fig, lookup, settings, loc, labels + (spec.label,), key)
            if out[key] is None:
                out[key] = summed
            elif summed is not None and summed != out[key] and mismatches is not None:
                # written and given by its parts: they must agree
                source = "和".join(specs[p].label for p in spec.parts if p in specs)
                parts = _parts_of(spec, specs, out)
                mismatches.append(
                    StatedMismatch(loc + (key,), labels + (spec.label,), spec, out[key], summed, source, parts)
                )
    return out


class StatedMismatch(Frozen):
    """A group's field written (``rollup: sum_or_stated``) that is not what its parts give."""

    _fields = ("loc", "labels", "spec", "stated", "summed", "source", "parts")
    loc: tuple
    labels: tuple[str, ...]
    spec: Scalar
    stated: Any
    summed: Any
    source: str  # the labels of the inputs it is summed from
    parts: tuple[tuple[str, Any], ...]  # the rows it is summed from: (name, value), to name them

    def __init__(
        self,
        loc: tuple,
        labels: tuple[str, ...],
        spec: Scalar,
        stated: Any,
        summed: Any,
        source: str,
        parts: tuple[tuple[str, Any], ...],
    ) -> None:
        _set(self, "loc", loc)
        _set(self, "labels", labels)
        _set(self, "spec", spec)
        _set(self, "stated", stated)
        _set(self, "summed", summed)
        _set(self, "source", source)
        _set(self, "parts", parts)


def _parts_of(spec: Scalar, specs: dict[str, Input], values: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The rows of a list the field is summed from (``kinds.total.actual``): each row's name and value."""
    out: list[tuple[str, Any]] = []
    if spec.otherwise is None:
        return ()
    for ref in formula.refs(spec.otherwise):
        table, value = specs.get(ref.path[0]), values.get(ref.path[0])
        column = ref.path[-1]
        if (
            isinstance(table, Table)
            and isinstance(value, TableFigures)
            and table.name
            and ref.path[1:] in ((column,), ("total", column))
        ):
            out += [(str(row.get(table.name) or ""), row.get(column)) for row in value.top]
    return tuple(out)


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


def _evaluate(
    fig: Any, lookup: Callable[[formula.Ref], Any], settings: formula.Settings, loc: tuple, labels: tuple, key: str
) -> Any:
    try:
        return formula.evaluate(fig.node, lookup, settings)
    except formula.FormulaError as exc:
        field = ".".join(str(p) for p in loc + (key,)) if loc else key
        raise ComputeError(
            loc, f"{field}（{' › '.join(labels)}）", f"无法计算{fig.label}（{fig.source}）：{exc}"
        ) from None


def _misread(fig: Any, lookup: Callable[[formula.Ref], Any], settings: formula.Settings) -> tuple[tuple[str, Any], ...]:
    """A figure's known misreadings and their values (one that cannot be computed is left out)."""
    out = []
    for name, node in fig.misread:
        try:
            out.append((name, formula.evaluate(node, lookup, settings)))
        except formula.FormulaError:
            continue
    return tuple(out)


def collect_rows(spec: Collect, values: dict[str, Any], settings: formula.Settings) -> TableFigures:
    """A ``collect:`` list: the items the source table's rows list (where ``where`` holds), in reading order."""
    source: Any = values
    for part in spec.source:
        source = source.get(part) if isinstance(source, dict) else None
    rows: list[InputRow] = []
    columns = list(spec.table.columns)
    for row in source.rows if isinstance(source, TableFigures) else []:
        if spec.where is not None and _where(spec, row, settings) != 1:
            continue
        items = row.get(spec.items) or []
        for item in items:
            rows.append(InputRow({c: item.get(c) for c in columns}, []))
        if not items and spec.bare:
            own = {c: row.get(t) for c, t in spec.bare.items()}
            if any(v not in (None, 0) for v in own.values()):  # a row that is all 0 is no item
                name = {spec.table.name: row.get(spec.source_name)} if spec.table.name and spec.source_name else {}
                rows.append(InputRow({c: None for c in columns} | name | own, []))
    return compute_table(spec.table, rows, settings, (spec.key,))


def _where(spec: Collect, row: dict, settings: formula.Settings) -> Any:
    assert spec.where is not None
    try:
        return formula.evaluate(spec.where, lambda r: row[r.path[0]], settings)
    except formula.FormulaError as exc:
        label = spec.table.label
        raise ComputeError((), f"{spec.key}（{label}）", f"无法汇集{label}（{spec.where_source}）：{exc}") from None


def compute_declared(decl: Declaration, inputs: Inputs) -> DeclaredFigures:
    misread: dict[str, tuple[tuple[str, Any], ...]] = {}
    mismatches: list = []
    values = _scope(decl.inputs, inputs.values, decl.settings, (), (), misread, mismatches)
    for key, spec in decl.collect.items():
        values[key] = collect_rows(spec, values, decl.settings)
    figures: dict[str, Any] = {}
    tables = decl.tables
    for key in decl.order:
        fig = decl.figures[key]
        lookup = lambda r: _resolve(tables, values, figures, r.path)  # noqa: E731
        figures[key] = _evaluate(fig, lookup, decl.settings, (), (fig.label,), key)
        if fig.misread:
            misread[key] = _misread(fig, lookup, decl.settings)
    return DeclaredFigures(values, figures, mismatches, misread)

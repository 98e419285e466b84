"""A declared report's figures as a flat list: path, Chinese label, kind, value, printed form.

Derived from the declaration alone (no format is named here), for ``reported:``
and ``audit``, ``diff`` and the consistency warnings.  Paths, written with dots
in ``reported:`` (``funds.财政拨款.rate``)::

    KEY                         a scalar input or a figure (``total_score``; a figure may declare
                                ``also: [monthly.average]``, other names it is reported by)
    KEY.FIELD                   a field of a group (``staff.actual``), or its computed figure; groups
                                nest (``budget.projects.rate``, ``budget.basic.人员经费.actual``)
    KEY.N                       the N-th number of a series, from 1 (``monthly.3``)
    KEY.ROW.COL                 a column of a table row named ROW (its ``name`` column)
    KEY.PARENT.ROW.COL          … a row of a tree, by the names from the top (the row's own name
                                is enough when it is unique in the table: ``spending.人员经费.actual``)
    KEY.total.COL               the total row (also by its name: ``funds.合计.rate``)
    KEY.ROWKEY.COL              a row by its ``key`` column, when the table has one

Rows without a name are ``第N项``; a second row of the same name is ``NAME#2`` (so that
two years pair their rows by name).
Pure: the declaration and the computed values in, figures out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import formula
from .declare import CountBy, Declaration, Group, Input, Months, Scalar, Series, Table
from .engine_compute import DeclaredFigures, TableFigures
from .engine_context import printed
from .flat import AMOUNT, COMPUTED, COUNT, INPUT, PERCENT, RATE, SCORE, WORD, Flat
from .formats import FormatSettings
from .record import Frozen

# a declared print kind → the kind of figure the diff measures changes in
DIFF_KIND = {"money": AMOUNT, "percent": RATE, "score": SCORE, "number": SCORE, "count": COUNT, "text": WORD}


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class DeclaredFigure(Frozen):
    _fields = (
        "path",
        "labels",
        "kind",
        "value",
        "settings",
        "source",
        "share_of",
        "loc",
        "table",
        "column",
        "aliases",
        "row_key",
        "alternatives",
        "diff_path",
        "diff_labels",
        "in_diff",
        "typed_percent",
        "in_group",
        "shown",
    )
    _compared = (
        "path",
        "labels",
        "kind",
        "value",
        "source",
        "share_of",
        "loc",
        "table",
        "column",
        "row_key",
        "alternatives",
        "diff_path",
        "diff_labels",
        "in_diff",
        "typed_percent",
        "in_group",
        "shown",
    )  # not its settings nor aliases
    _unshown = ("settings",)
    path: tuple[str, ...]
    labels: tuple[str, ...]
    kind: str  # the declared print kind: money percent score count number text
    value: Any
    settings: Any  # the format's (FormatSettings): how it is printed
    source: str  # INPUT or COMPUTED
    share_of: tuple[tuple[Any, ...], int] | None  # a share column: (the siblings' values, index)
    loc: tuple  # where the data file writes it (inputs), for warnings
    table: str | None  # the table key of a row figure
    column: str | None
    aliases: tuple[str, ...]  # other dotted names of the same figure
    row_key: str | None  # the row's ``key`` column, when the table has one
    alternatives: tuple[tuple[str, Any], ...]  # declared misreadings (misread:) and their values
    diff_path: tuple[str, ...] | None  # its name in ``diff`` when not its path (unnamed levels left out)
    diff_labels: tuple[str, ...] | None  # … and its label there
    in_diff: bool  # an unnamed grouping row's own figures are not listed by ``diff``
    typed_percent: bool  # a rate the data file types in % (a month's 执行率): diff shows it so
    in_group: bool  # a figure of a row's group (count_by): ``T.ROW.VALUE.COL``
    shown: str | None  # its printed text, when not as the settings print its value

    def __init__(
        self,
        path: tuple[str, ...],
        labels: tuple[str, ...],
        kind: str,
        value: Any,
        settings: Any,
        source: str,
        share_of: tuple[tuple[Any, ...], int] | None = None,
        loc: tuple = (),
        table: str | None = None,
        column: str | None = None,
        aliases: tuple[str, ...] = (),
        row_key: str | None = None,
        alternatives: tuple[tuple[str, Any], ...] = (),
        diff_path: tuple[str, ...] | None = None,
        diff_labels: tuple[str, ...] | None = None,
        in_diff: bool = True,
        typed_percent: bool = False,
        in_group: bool = False,
        shown: str | None = None,
    ) -> None:
        _set(self, "path", path)
        _set(self, "labels", labels)
        _set(self, "kind", kind)
        _set(self, "value", value)
        _set(self, "settings", settings)
        _set(self, "source", source)
        _set(self, "share_of", share_of)
        _set(self, "loc", loc)
        _set(self, "table", table)
        _set(self, "column", column)
        _set(self, "aliases", aliases)
        _set(self, "row_key", row_key)
        _set(self, "alternatives", alternatives)
        _set(self, "diff_path", diff_path)
        _set(self, "diff_labels", diff_labels)
        _set(self, "in_diff", in_diff)
        _set(self, "typed_percent", typed_percent)
        _set(self, "in_group", in_group)
        _set(self, "shown", shown)

    @property
    def printed(self) -> str:
        """The value as the report prints it: made when asked (check prints few of them)."""
        return self.shown if self.shown is not None else printed(self.value, self.kind, self.settings)

    @property
    def id(self) -> str:
        return ".".join(self.path)

    @property
    def label(self) -> str:
        return " › ".join(self.labels)


def _flat(fig: DeclaredFigure) -> Flat:
    path = fig.diff_path or fig.path
    # a row with a key is paired across years by its key too (a renamed row)
    alias = (path[0], fig.row_key, path[-1]) if fig.row_key else path
    names = tuple(tuple(a.split(".")) for a in fig.aliases)
    label = " › ".join(fig.diff_labels) if fig.diff_labels else fig.label
    if fig.typed_percent and isinstance(fig.value, Decimal):
        # typed as 147.27 (%), kept as the rate 1.4727: listed as typed
        return Flat(path, fig.value.scaleb(2), PERCENT, fig.source, alias, label, names)
    return Flat(path, fig.value, DIFF_KIND[fig.kind], fig.source, alias, label, names)


def as_flats(figures: list[DeclaredFigure]) -> list[Flat]:
    """The figures as ``diff`` pairs them (dates and input words are no figures of a change)."""
    return [
        _flat(f) for f in figures if f.in_diff and f.kind in DIFF_KIND and not (f.kind == "text" and f.source == INPUT)
    ]


def _share_column(node: formula.Node) -> str | None:
    if isinstance(node, formula.Call) and node.func == "share" and len(node.args) == 1:
        arg = node.args[0]
        if isinstance(arg, formula.Ref) and len(arg.path) == 1:
            return arg.path[0]
    return None


def _list_of(table: Table, count: CountBy) -> str:
    """The nested list whose ``count_by`` is ``count``."""
    return next(key for key, inner in table.lists.items() if inner.count_by is count)


def _row_names(table: Table, rows: list[dict]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for index, row in enumerate(rows, start=1):
        name = row.get(table.name) if table.name else None
        name = name if isinstance(name, str) and name.strip() else f"第{index}项"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return out


def _named(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _table(
    spec: Table, value: TableFigures, settings: FormatSettings, at: tuple[str, ...] = (), above: tuple[str, ...] = ()
) -> list[DeclaredFigure]:
    """A table's figures; ``at`` and ``above`` are the keys and labels of the groups it is in."""
    out: list[DeclaredFigure] = []
    prefix, labels0, where = at + (spec.key,), above + (spec.label,), ".".join(at + (spec.key,))
    shares = {key: _share_column(c.node) for key, c in spec.computed.items()}
    columns: list[tuple[str, str, str, bool]] = []  # key, print, label, computed
    for key, col in spec.columns.items():
        if col.type in ("amount", "count", "percent", "number") and key != spec.name:
            columns.append((key, col.print, col.label, False))
    for key, comp in spec.computed.items():
        if comp.print != "date":
            columns.append((key, comp.print, comp.label, True))
    counts = spec.counted()
    columns += [(c.name, "count", c.label, True) for c in counts]
    # a group of counted items (count_by): its count and the sums of the items' number columns
    group_columns = {
        c.column: [(c.name, "count", c.label)]
        + [
            (key, col.print, col.label)
            for key, col in (spec if c is spec.count_by else spec.lists[_list_of(spec, c)]).columns.items()
            if col.type in ("amount", "count", "percent", "number") and key not in ("value", "rows")
        ]
        for c in counts
    }
    unique: dict[str, int] = {}

    def walk(
        rows: list[dict], names: tuple[str, ...], labels: tuple[str, ...], loc: tuple, seen: tuple[str, ...]
    ) -> None:
        # ``seen``: the names of the rows above that diff lists this row under
        for i, (row, name) in enumerate(zip(rows, _row_names(spec, rows), strict=True)):
            here = loc + ((i,) if not names else ("children", i))
            path, row_labels = names + (name,), labels + (name,)
            # a level the source leaves unnamed (name: ~) over named rows: left out of diff's
            # names, so its rows keep the names they have in a year without that level
            unnamed = bool(row["children"]) and not _named(row.get(spec.name or "")) and not _named(row.get("key"))
            shown = seen if unnamed else seen + (name,)
            unique[name] = unique.get(name, 0) + 1
            for key, kind, label, is_computed in columns:
                if is_computed and key not in spec.computed and row.get(key) is None:
                    continue  # a count_by count of a leaf: it lists nothing
                summed = bool(row["children"]) and key in spec.columns and spec.columns[key].rollup
                share = None
                if shares.get(key):
                    share = (tuple(r.get(shares[key]) for r in rows), i)
                out.append(
                    DeclaredFigure(
                        prefix + path + (key,),
                        labels0 + row_labels + (label,),
                        kind,
                        row.get(key),
                        settings,
                        COMPUTED if is_computed or summed else INPUT,
                        share,
                        here + (key,),
                        where,
                        key,
                        row_key=row.get("key") if isinstance(row.get("key"), str) and row.get("key") else None,
                        diff_path=None if shown == path else prefix + shown + (key,),
                        diff_labels=None if shown == path else labels0 + shown + (label,),
                        in_diff=not unnamed,
                    )
                )
            for column, group_cols in group_columns.items():
                for group in (row.get("groups") or {}).get(column, []):
                    value = group["value"]
                    by_key = row.get("key") if isinstance(row.get("key"), str) and row.get("key") else None
                    for key, kind, label in group_cols:
                        by_row_key = [f"{where}.{by_key}.{value}.{key}"] if by_key else []
                        out.append(
                            DeclaredFigure(
                                prefix + path + (value, key),
                                labels0 + row_labels + (value, label),
                                kind,
                                group[key],
                                settings,
                                COMPUTED,
                                table=where,
                                column=key,
                                aliases=tuple(by_row_key),
                                diff_path=None if shown == path else prefix + shown + (value, key),
                                diff_labels=None if shown == path else labels0 + shown + (value, label),
                                in_diff=not unnamed,
                                in_group=True,
                            )
                        )
            walk(row["children"], path, row_labels, here, shown)

    walk(value.top, (), (), prefix, ())
    for key, kind, label, _computed in columns:
        if key not in spec.columns or spec.columns[key].rollup:
            total = value.total.get(key)
            if total is None and not value.top:
                continue  # a list left out (staffing.kinds): no total to name
            out.append(
                DeclaredFigure(
                    prefix + (spec.total, key),
                    labels0 + (spec.total, label),
                    kind,
                    total,
                    settings,
                    COMPUTED,
                    ((total,), 0) if shares.get(key) else None,
                    (),
                    where,
                    key,
                    aliases=(f"{where}.total.{key}",),
                )
            )
    # a row's own name is enough when no other row of the table has it; a row with a ``key``
    # column is also found by its key (``scores.performance.rate``)
    for fig in out:
        aliases = list(fig.aliases)
        if fig.in_group:  # a group below a row: the row's own name is enough when it is unique
            if len(fig.path) > len(prefix) + 3 and unique.get(fig.path[-3]) == 1:
                aliases.append(f"{where}.{'.'.join(fig.path[-3:])}")
        elif len(fig.path) > len(prefix) + 2 and fig.path[-2] != spec.total and unique.get(fig.path[-2]) == 1:
            aliases.append(f"{where}.{fig.path[-2]}.{fig.path[-1]}")
        if fig.loc and fig.row_key:
            aliases.append(f"{where}.{fig.row_key}.{fig.path[-1]}")
        if len(aliases) > len(fig.aliases):
            _own(fig, "aliases", tuple(aliases))
    return out


def declared_figures(decl: Declaration, computed: DeclaredFigures, settings: FormatSettings) -> list[DeclaredFigure]:
    """Every input and computed figure of a declared report, in the declaration's order."""
    out = _scope(decl.inputs, computed.values, settings, (), ())
    for key, spec in decl.collect.items():  # a collected list: computed from the items its source lists
        value = computed.values.get(key)
        if isinstance(value, TableFigures):
            out += [
                DeclaredFigure(**{**f.__dict__, "table": None, "loc": (), "source": COMPUTED})
                for f in _table(spec.table, value, settings)
            ]
    for key, fig in decl.figures.items():
        if fig.print == "date":
            continue
        v = computed.figures.get(key)
        out.append(DeclaredFigure((key,), (fig.label,), fig.print, v, settings, COMPUTED, aliases=fig.also))
    if computed.misread:
        for f in out:
            if f.id in computed.misread:
                _own(f, "alternatives", computed.misread[f.id])
    if decl.aliases:
        _by_aliases(decl, out)
    return out


def _own(fig: DeclaredFigure, name: str, value: Any) -> None:
    """Complete a figure made by this module and not yet returned (frozen once it leaves it)."""
    object.__setattr__(fig, name, value)


def _by_aliases(decl: Declaration, figures: list[DeclaredFigure]) -> None:
    """A figure is also named through the format's ``aliases:`` (``scores.total.score`` for ``scoring.total.score``)."""
    by_target: dict[str, list[tuple[int, str]]] = {}  # an alias's target → (its place in aliases:, alias)
    for i, (alias, path) in enumerate(decl.aliases.items()):
        by_target.setdefault(".".join(path), []).append((i, alias))
    for fig in figures:
        names = [fig.id, *fig.aliases]
        # a name is under a target when one of its dotted beginnings is the target (n == target or
        # n.startswith(target + ".")); the aliases in the order of aliases:, then of the names
        found = []
        for j, n in enumerate(names):
            target = None
            for part in n.split("."):
                target = part if target is None else f"{target}.{part}"
                hits = by_target.get(target)
                if hits:
                    found += [(i, j, alias + n[len(target) :]) for i, alias in hits]
        if found:
            extra = [text for _i, _j, text in sorted(found)]
            _own(fig, "aliases", tuple(dict.fromkeys([*fig.aliases, *extra])))


def _scope(
    specs: dict[str, Input],
    values: dict[str, Any] | None,
    settings: FormatSettings,
    at: tuple[str, ...],
    above: tuple[str, ...],
) -> list[DeclaredFigure]:
    """The figures of ``specs`` (the inputs, or a group's fields) under the groups ``at`` (labels ``above``)."""
    out: list[DeclaredFigure] = []
    for key, spec in specs.items():
        value = None if values is None else values.get(key)
        path, labels = at + (key,), above + (spec.label,)
        if isinstance(spec, Scalar):
            if spec.type in ("amount", "count", "percent", "number"):
                kind = spec.print
                source = (
                    COMPUTED
                    if spec.otherwise is not None and values is not None and _computed_here(spec, values)
                    else INPUT
                )
                out.append(DeclaredFigure(path, labels, kind, value, settings, source, loc=path))
        elif isinstance(spec, Series):
            for i, item in enumerate(value or (), start=1):
                kind = spec.item.print
                out.append(
                    DeclaredFigure(
                        path + (str(i),),
                        labels + (f"第{i}项",),
                        kind,
                        item,
                        settings,
                        INPUT,
                        loc=path + (i - 1,),
                    )
                )
        elif isinstance(spec, Months) and isinstance(value, dict):
            first = value["first"]
            out.append(
                DeclaredFigure(
                    path + ("from",),
                    labels + ("起始月份",),
                    "count",
                    first,
                    settings,
                    INPUT,
                    loc=path + ("from",),
                    shown=str(first),
                )
            )
            for i, rate in enumerate(value["rates"]):
                month = f"{(first + i - 1) % 12 + 1}月"
                out.append(
                    DeclaredFigure(
                        path + (month,),
                        labels + (month,),
                        "percent",
                        rate,
                        settings,
                        INPUT,
                        loc=path + ("rates", i),
                        typed_percent=True,
                    )
                )
        elif isinstance(spec, Group):
            out.extend(_scope(spec.fields, value, settings, path, labels))
            for name, comp in spec.computed.items():
                if comp.print != "date":
                    v = None if value is None else value.get(name)
                    out.append(
                        DeclaredFigure(
                            path + (name,),
                            labels + (comp.label,),
                            comp.print,
                            v,
                            settings,
                            COMPUTED,
                        )
                    )
        elif isinstance(spec, Table) and isinstance(value, TableFigures):
            out.extend(_table(spec, value, settings, at, above))
    return out


def _computed_here(spec: Scalar, values: dict[str, Any]) -> bool:
    """Whether an ``otherwise`` field was computed from its parts (they are written) rather than written."""
    return any(values.get(part) not in (None, [], ()) for part in spec.parts)


def index(figures: list[DeclaredFigure]) -> dict[str, DeclaredFigure]:
    """Every dotted name a ``reported:`` entry may use, to its figure (full paths win over short ones)."""
    out: dict[str, DeclaredFigure] = {fig.id: fig for fig in figures}
    for fig in figures:
        for alias in fig.aliases:
            out.setdefault(alias, fig)
    return out


def numeric(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    return Decimal(value)

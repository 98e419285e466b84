"""A declared report's figures as a flat list: path, Chinese label, kind, value, printed form.

Derived from the declaration alone (no format is named here), for ``reported:``
and ``audit``, ``diff`` and the consistency warnings.  Paths, written with dots
in ``reported:`` (``funds.财政拨款.rate``)::

    KEY                         a scalar input or a figure (``total_score``; a figure may declare
                                ``also: [monthly.average]``, other names it is reported by)
    KEY.FIELD                   a field of a group (``staff.actual``)
    KEY.N                       the N-th number of a series, from 1 (``monthly.3``)
    KEY.ROW.COL                 a column of a table row named ROW (its ``name`` column)
    KEY.PARENT.ROW.COL          … a row of a tree, by the names from the top (the row's own name
                                is enough when it is unique in the table: ``spending.人员经费.actual``)
    KEY.total.COL               the total row (also by its name: ``funds.合计.rate``)
    KEY.ROWKEY.COL              a row by its ``key`` column, when the table has one

Rows without a name are ``第N项``; a second row of the same name is ``NAME#2`` (as the
old formats' flat list does, so that two years pair their rows by name).
Pure: the declaration and the computed values in, figures out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import formula
from .declare import Declaration, Group, Scalar, Series, Table
from .engine_compute import DeclaredFigures, TableFigures
from .engine_context import printed
from .figures_flat import AMOUNT, COMPUTED, COUNT, INPUT, RATE, SCORE, WORD, Flat
from .formats import FormatSettings

# a declared print kind → the kind of figure the diff measures changes in
DIFF_KIND = {"money": AMOUNT, "percent": RATE, "score": SCORE, "number": SCORE, "count": COUNT, "text": WORD}


@dataclass(frozen=True)
class DeclaredFigure:
    path: tuple[str, ...]
    labels: tuple[str, ...]
    kind: str  # the declared print kind: money percent score count number text
    value: Any
    printed: str
    source: str  # INPUT or COMPUTED
    share_of: tuple[tuple[Any, ...], int] | None = None  # a share column: (the siblings' values, index)
    loc: tuple = ()  # where the data file writes it (inputs), for warnings
    table: str | None = None  # the table key of a row figure
    column: str | None = None
    aliases: tuple[str, ...] = field(default=(), compare=False)  # other dotted names of the same figure
    row_key: str | None = None  # the row's ``key`` column, when the table has one

    @property
    def id(self) -> str:
        return ".".join(self.path)

    @property
    def label(self) -> str:
        return " › ".join(self.labels)


@dataclass(frozen=True)
class DeclaredFlat(Flat):
    """A figure for ``diff``, labelled in Chinese by the declaration."""

    chinese: str = ""

    @property
    def label(self) -> str:
        return self.chinese


def _flat(fig: DeclaredFigure) -> Flat:
    # a row with a key is paired across years by its key too (a renamed row)
    alias = (fig.path[0], fig.row_key, fig.path[-1]) if fig.row_key else fig.path
    return DeclaredFlat(fig.path, fig.value, DIFF_KIND[fig.kind], fig.source, alias, fig.label)


def as_flats(figures: list[DeclaredFigure]) -> list[Flat]:
    """The figures as ``diff`` pairs them (dates and input words are no figures of a change)."""
    return [_flat(f) for f in figures if f.kind in DIFF_KIND and not (f.kind == "text" and f.source == INPUT)]


def _share_column(node: formula.Node) -> str | None:
    if isinstance(node, formula.Call) and node.func == "share" and len(node.args) == 1:
        arg = node.args[0]
        if isinstance(arg, formula.Ref) and len(arg.path) == 1:
            return arg.path[0]
    return None


def _row_names(table: Table, rows: list[dict]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for index, row in enumerate(rows, start=1):
        name = row.get(table.name) if table.name else None
        name = name if isinstance(name, str) and name.strip() else f"第{index}项"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return out


def _table(spec: Table, value: TableFigures, settings: FormatSettings) -> list[DeclaredFigure]:
    out: list[DeclaredFigure] = []
    shares = {key: _share_column(c.node) for key, c in spec.computed.items()}
    columns: list[tuple[str, str, str, bool]] = []  # key, print, label, computed
    for key, col in spec.columns.items():
        if col.type in ("amount", "count", "percent", "number") and key != spec.name:
            columns.append((key, col.print, col.label, False))
    for key, comp in spec.computed.items():
        if comp.print != "date":
            columns.append((key, comp.print, comp.label, True))
    unique: dict[str, int] = {}

    def walk(rows: list[dict], names: tuple[str, ...], labels: tuple[str, ...], loc: tuple) -> None:
        for i, (row, name) in enumerate(zip(rows, _row_names(spec, rows), strict=True)):
            here = loc + ((i,) if not names else ("children", i))
            path, row_labels = names + (name,), labels + (name,)
            unique[name] = unique.get(name, 0) + 1
            for key, kind, label, is_computed in columns:
                summed = bool(row["children"]) and key in spec.columns and spec.columns[key].rollup
                share = None
                if shares.get(key):
                    share = (tuple(r.get(shares[key]) for r in rows), i)
                out.append(
                    DeclaredFigure(
                        (spec.key,) + path + (key,),
                        (spec.label,) + row_labels + (label,),
                        kind,
                        row.get(key),
                        printed(row.get(key), kind, settings),
                        COMPUTED if is_computed or summed else INPUT,
                        share,
                        here + (key,),
                        spec.key,
                        key,
                        row_key=row.get("key") if isinstance(row.get("key"), str) and row.get("key") else None,
                    )
                )
            walk(row["children"], path, row_labels, here)

    walk(value.top, (), (), (spec.key,))
    for key, kind, label, _computed in columns:
        if key in spec.computed or spec.columns[key].rollup:
            total = value.total.get(key)
            out.append(
                DeclaredFigure(
                    (spec.key, spec.total, key),
                    (spec.label, spec.total, label),
                    kind,
                    total,
                    printed(total, kind, settings),
                    COMPUTED,
                    ((total,), 0) if shares.get(key) else None,
                    (),
                    spec.key,
                    key,
                    aliases=(f"{spec.key}.total.{key}",),
                )
            )
    # a row's own name is enough when no other row of the table has it; a row with a ``key``
    # column is also found by its key (``scores.performance.rate``, as the old formats write it)
    result = []
    for fig in out:
        aliases = list(fig.aliases)
        if len(fig.path) > 3 and fig.path[-2] != spec.total and unique.get(fig.path[-2]) == 1:
            aliases.append(f"{spec.key}.{fig.path[-2]}.{fig.path[-1]}")
        if fig.loc and fig.row_key:
            aliases.append(f"{spec.key}.{fig.row_key}.{fig.path[-1]}")
        result.append(DeclaredFigure(**{**fig.__dict__, "aliases": tuple(aliases)}))
    return result


def declared_figures(decl: Declaration, computed: DeclaredFigures, settings: FormatSettings) -> list[DeclaredFigure]:
    """Every input and computed figure of a declared report, in the declaration's order."""
    out: list[DeclaredFigure] = []
    for key, spec in decl.inputs.items():
        value = computed.values[key]
        if isinstance(spec, Scalar):
            if spec.type in ("amount", "count", "percent", "number"):
                out.append(
                    DeclaredFigure((key,), (spec.label,), spec.print, value, printed(value, spec.print, settings), INPUT, loc=(key,))
                )
        elif isinstance(spec, Series):
            for i, item in enumerate(value or (), start=1):
                kind = spec.item.print
                out.append(
                    DeclaredFigure(
                        (key, str(i)), (spec.label, f"第{i}项"), kind, item, printed(item, kind, settings), INPUT, loc=(key, i - 1)
                    )
                )
        elif isinstance(spec, Group):
            for name, f in spec.fields.items():
                if f.type in ("amount", "count", "percent", "number"):
                    v = None if value is None else value.get(name)
                    out.append(
                        DeclaredFigure(
                            (key, name), (spec.label, f.label), f.print, v, printed(v, f.print, settings), INPUT, loc=(key, name)
                        )
                    )
        elif isinstance(value, TableFigures):
            out.extend(_table(spec, value, settings))
    for key, fig in decl.figures.items():
        if fig.print == "date":
            continue
        v = computed.figures.get(key)
        out.append(
            DeclaredFigure((key,), (fig.label,), fig.print, v, printed(v, fig.print, settings), COMPUTED, aliases=fig.also)
        )
    return out


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

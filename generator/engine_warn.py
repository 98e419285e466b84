"""Consistency warnings of a declared report, from its declaration (``reportgen check``).

Two kinds, neither naming a format:

- ``warn: {min: …, max: …}`` on an input, a computed column or a figure: a value outside
  the bounds (in print units, a percent as 100 for 100%) is a warning; an ``amount``
  input has ``{min: 0}`` unless it says otherwise (``warn: {}`` for none);
- a ``ratio(a, b)`` (a computed column, or a figure) whose divisor is 0 while the
  dividend is not: the rate cannot be computed (spending against a zero budget).

Pure: the declaration and the flat figures in, problems (severity ``warning``) out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import formatting, formula
from .declare import Declaration, Scalar, Series, Table, Warn, input_at
from .engine_flat import DeclaredFigure, numeric
from .engine_labels import labels_at, named
from .errors import Problem
from .load import Loaded

WARNING = "warning"
HUNDRED = Decimal(100)


def _warn_of(decl: Declaration, fig: DeclaredFigure) -> Warn | None:
    if fig.table is not None:
        spec = input_at(decl.inputs, tuple(fig.table.split(".")))
        assert isinstance(spec, Table) and fig.column is not None
        if fig.column in spec.columns:
            return spec.columns[fig.column].warn if fig.source == "input" else None
        if fig.in_group or fig.column not in spec.computed:  # a count_by count or a group's sum
            return None
        return spec.computed[fig.column].warn
    head = fig.path[0]
    if head in decl.figures and len(fig.path) == 1:
        return decl.figures[head].warn
    given = input_at(decl.inputs, fig.path)  # a field, in groups too
    if isinstance(given, Scalar):
        return given.warn
    series = input_at(decl.inputs, fig.path[:-1])
    if isinstance(series, Series):
        return series.item.warn
    return None  # a group's computed figure


def _bound(value: Decimal, kind: str) -> str:
    return formatting.plain(value) + ("%" if kind == "percent" else "")


def _ratio_parts(node: formula.Node) -> tuple[formula.Ref, formula.Ref] | None:
    if isinstance(node, formula.Call) and node.func == "ratio" and len(node.args) == 2:
        a, b = node.args
        if isinstance(a, formula.Ref) and isinstance(b, formula.Ref):
            return a, b
    return None


def warnings(
    decl: Declaration, figures: list[DeclaredFigure], names: dict[str, DeclaredFigure], loaded: Loaded
) -> list[Problem]:
    out: list[Problem] = []

    def add(fig: DeclaredFigure, message: str) -> None:
        loc = fig.loc
        # a place in the data file is named as the validator names it; a total or a figure by its flat labels
        where = named(loc, labels_at(decl, loaded.data, loc)) if loc else f"{fig.id}（{fig.label}）"
        out.append(Problem(loaded.path, loaded.line_of(loc) if loc else None, where, message, WARNING))

    for fig in figures:
        value = numeric(fig.value)
        warn = _warn_of(decl, fig)
        if value is not None and warn is not None:
            shown = value * HUNDRED if fig.kind == "percent" else value
            if warn.min is not None and shown < warn.min:
                what = "为负数" if warn.min == 0 else f"低于 {_bound(warn.min, fig.kind)}"
                add(fig, f"{fig.printed}{what}，请核对")
            elif warn.max is not None and shown > warn.max:
                add(fig, f"{fig.printed}超过 {_bound(warn.max, fig.kind)}，请核对")
        parts = _ratio_parts(_node_of(decl, fig))
        if parts is not None and fig.value is None:
            a, b = (_operand(fig, ref, figures, names) for ref in parts)
            if a is not None and b is not None and numeric(b.value) == 0 and numeric(a.value) not in (None, 0):
                add(fig, f"{b.labels[-1]}为 0 而{a.labels[-1]}为 {a.printed}，{fig.labels[-1]}无法计算，请核对")
    return out


def _node_of(decl: Declaration, fig: DeclaredFigure) -> Any:
    if fig.table is not None and fig.column is not None:
        spec = input_at(decl.inputs, tuple(fig.table.split(".")))
        assert isinstance(spec, Table)
        comp = spec.computed.get(fig.column)
        return comp.node if comp is not None and not comp.rollup else None
    head = fig.path[0]
    return decl.figures[head].node if head in decl.figures and len(fig.path) == 1 else None


def _operand(
    fig: DeclaredFigure, ref: formula.Ref, figures: list[DeclaredFigure], names: dict[str, DeclaredFigure]
) -> DeclaredFigure | None:
    """The figure a ratio's operand names: a column of the same row, or a dotted name."""
    if fig.table is not None:
        path = fig.path[:-1] + (ref.path[0],)
        return next((f for f in figures if f.path == path), None)
    return names.get(".".join(ref.path))

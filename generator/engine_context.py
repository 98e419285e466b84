"""A declared format's names: the template context, ``reportgen names`` and printing.

The template sees every input and figure by its declared key, tables as
``T.rows`` / ``T.top`` / ``T.leaves`` / ``T.total`` / ``T.row['名称']``, the
narrative as ``t.KEY`` (references resolved), ``year`` and ``unit``; it prints
them with the format's filters (``money``, ``percent``, ``score`` …).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import formatting
from .context import NarrativeError, _Resolver, make_env, render_paragraph
from .declare import Declaration, Group, Scalar, Series, Table
from .engine_compute import DeclaredFigures, TableFigures
from .engine_validate import Inputs
from .errors import DataError, Problem, field_path
from .formats import FormatSettings
from .load import Loaded


def base_names(decl: Declaration, inputs: Inputs, figures: DeclaredFigures, settings: FormatSettings) -> dict[str, Any]:
    names: dict[str, Any] = {"year": inputs.year, "unit": settings.unit}
    for key, value in figures.values.items():
        names[key] = value.as_names() if isinstance(value, TableFigures) else value
    names.update(figures.figures)
    return names


def build_declared_context(
    decl: Declaration, inputs: Inputs, figures: DeclaredFigures, settings: FormatSettings, loaded: Loaded
) -> dict[str, Any]:
    """The template context; every unresolvable narrative reference is reported at once."""
    names = base_names(decl, inputs, figures, settings)
    env = make_env(settings, autoescape=False)
    resolver = _Resolver(names, env.filters)
    problems: list[Problem] = []
    text: dict[str, tuple[str, ...]] = {}
    for key, paragraphs in inputs.text.items():
        out = []
        for i, paragraph in enumerate(paragraphs):
            loc = ("text", key, i)
            try:
                out.append(render_paragraph(env, paragraph, resolver))
            except NarrativeError as exc:
                label = decl.text[key][0]
                problems.append(Problem(loaded.path, loaded.line_of(loc), f"{field_path(loc)}（{label}）", str(exc)))
                out.append(paragraph)
        text[key] = tuple(out)
    if problems:
        raise DataError(problems)
    return names | {"t": text}


# --- printing as the report prints ----------------------------------------------------


def printed(value: Any, kind: str, settings: FormatSettings) -> str:
    """``value`` as the report prints it with the ``kind`` of figure it is."""
    if kind == "percent":
        return formatting.percent(value, 2, settings.rounding, settings.zero_division)
    if value is None:
        return settings.undefined
    if kind == "money":
        return formatting.money(value, 2, settings.rounding)
    if kind == "score":
        return formatting.score(value, 2)
    if kind == "count":
        return formatting.plain(Decimal(value))
    if kind == "number":
        return formatting.plain(Decimal(value)) if isinstance(value, (int, Decimal)) else str(value)
    if kind == "date" and isinstance(value, _dt.date):
        return formatting.cn_date(value)
    return str(value)


@dataclass(frozen=True)
class Name:
    """A name a narrative paragraph or template can use, its printed value and meaning."""

    name: str
    printed: str
    meaning: str


def _columns(table: Table) -> Iterator[tuple[str, str, str]]:
    for key, col in table.columns.items():
        yield key, col.print, col.label
    for key, comp in table.computed.items():
        yield key, comp.print, comp.label


def declared_names(decl: Declaration, inputs: Inputs, figures: DeclaredFigures, settings: FormatSettings) -> list[Name]:
    out = [Name("year", str(inputs.year), "年度"), Name("unit", settings.unit, "金额单位")]
    for key, spec in decl.inputs.items():
        value = figures.values[key]
        if isinstance(spec, Scalar):
            out.append(Name(key, printed(value, spec.print, settings), spec.label))
        elif isinstance(spec, Series):
            for i, item in enumerate(value):
                out.append(
                    Name(f"{key}[{i}]", printed(item, spec.item.print, settings), f"{spec.label} › 第 {i + 1} 项")
                )
        elif isinstance(spec, Group):
            for name, f in spec.fields.items():
                shown = printed(None if value is None else value[name], f.print, settings)
                out.append(Name(f"{key}.{name}", shown, f"{spec.label} › {f.label}"))
        else:
            assert isinstance(spec, Table) and isinstance(value, TableFigures)
            for row_name, row in value.row.items():
                for col, kind, label in _columns(spec):
                    if col != spec.name:
                        out.append(
                            Name(
                                f"{key}.row['{row_name}'].{col}",
                                printed(row[col], kind, settings),
                                f"{spec.label} › {row_name} › {label}",
                            )
                        )
            for col, kind, label in _columns(spec):
                if col != spec.name and (col in spec.computed or spec.columns[col].rollup):
                    out.append(
                        Name(
                            f"{key}.total.{col}",
                            printed(value.total[col], kind, settings),
                            f"{spec.label} › {spec.total} › {label}",
                        )
                    )
    for key, fig in decl.figures.items():
        out.append(Name(key, printed(figures.figures[key], fig.print, settings), fig.label))
    for key, (label, _help) in decl.text.items():
        out.append(Name(f"t.{key}", f"（{len(inputs.text.get(key, ()))} 段文字）", f"文字段落：{label}"))
    return out

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

from . import engine_views as views
from . import formatting
from .context import NarrativeError, _Resolver, make_env, render_paragraph
from .declare import Declaration, Group, Months, Scalar, Series, Table
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
    defaults = [(a.key, a.title) for a in settings.annexes]
    if defaults:
        listed = views.annexes(defaults, inputs.annexes, views.empty_annexes(settings.annexes, figures.values))
        names.update(annexes=listed, annex={a.key: a for a in listed})
    for alias, path in decl.aliases.items():
        *outer, last = alias.split(".")
        place = names
        for part in outer:
            if not isinstance(place.get(part), dict):
                place[part] = {}
            place = place[part]
        place[last] = _follow(names, path)
    return names


def _follow(names: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value a dotted declared name stands for (an alias's target); None where data leaves it out."""
    value: Any = names
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


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
    for key, spec in decl.inputs.items():
        value = figures.values[key]
        if isinstance(spec, Scalar) and spec.type == "paragraphs" and value is not None:
            names[key] = _resolved(value, (key,), [spec.label], env, resolver, loaded, problems)
        elif isinstance(spec, Table) and isinstance(value, TableFigures):
            for i, row in enumerate(value.top):
                _resolve_row(spec, row, (key, i), [], env, resolver, loaded, problems)
    if problems:
        raise DataError(problems)
    return names | {"t": text}


def _resolved(paragraphs, loc, labels, env, resolver, loaded, problems) -> tuple[str, ...]:
    """Paragraphs with their ``{{ … }}`` references resolved; a failure is a problem with its line."""
    out = []
    for paragraph in paragraphs:
        try:
            out.append(render_paragraph(env, paragraph, resolver))
        except NarrativeError as exc:
            problems.append(Problem(loaded.path, loaded.line_of(loc), f"{field_path(loc)}（{' › '.join(labels)}）", str(exc)))
            out.append(paragraph)
    return tuple(out)


def _resolve_row(spec: Table, row: dict, loc: tuple, labels: list[str], env, resolver, loaded, problems) -> None:
    """Resolve the references in a row's paragraphs columns (and its children's, nested lists')."""
    name = row.get(spec.name) if spec.name else None
    here = labels + ([name] if isinstance(name, str) else [])
    for col, scalar in spec.columns.items():
        if scalar.type == "paragraphs" and row.get(col) is not None:
            row[col] = _resolved(row[col], loc + (col,), here + [scalar.label], env, resolver, loaded, problems)
    for col, inner in spec.lists.items():
        for j, item in enumerate(row.get(col) or []):
            _resolve_row(inner, item, loc + (col, j), here, env, resolver, loaded, problems)
    for j, child in enumerate(row.get("children") or []):
        _resolve_row(spec, child, loc + ("children", j), here, env, resolver, loaded, problems)


# --- printing as the report prints ----------------------------------------------------


def printed(value: Any, kind: str, settings: FormatSettings) -> str:
    """``value`` as the report prints it with the ``kind`` of figure it is."""
    if isinstance(value, tuple):  # paragraphs
        return f"（{len(value)} 段文字）"
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
        elif isinstance(spec, Months):
            if value is not None:
                out.append(Name(f"{key}.first", str(value["first"]), f"{spec.label} › 起始月份"))
                for i, item in enumerate(value["rates"]):
                    month = f"{(value['first'] + i - 1) % 12 + 1}月"
                    out.append(Name(f"{key}.rates[{i}]", printed(item, "percent", settings), f"{spec.label} › {month}"))
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
                    shown = printed(value.total[col], kind, settings)
                    meaning = f"{spec.label} › {spec.total} › {label}"
                    out.append(Name(f"{key}.total.{col}", shown, meaning))
                    out.append(Name(f"{key}.{col}", shown, f"{meaning}（同 {key}.total.{col}）"))
    for key, fig in decl.figures.items():
        out.append(Name(key, printed(figures.figures[key], fig.print, settings), fig.label))
    for alias, path in decl.aliases.items():
        out.append(Name(alias, "（同 " + ".".join(path) + "）", f"{'.'.join(path)} 的另一个名称"))
    for key, (label, _help) in decl.text.items():
        out.append(Name(f"t.{key}", f"（{len(inputs.text.get(key, ()))} 段文字）", f"文字段落：{label}"))
    return out

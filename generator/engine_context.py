"""A declared format's names: the template context, ``reportgen names`` and printing.

The template sees every input and figure by its declared key, tables as
``T.rows`` / ``T.top`` / ``T.leaves`` / ``T.total`` / ``T.row['名称']`` / ``T.groups.COL``, the
narrative as ``t.KEY`` (references resolved), ``year`` and ``unit``; it prints
them with the format's filters (``money``, ``percent``, ``score`` …).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from . import engine_views as views
from . import formatting
from .declare import Declaration, Group, Input, Months, Scalar, Series, Table, blank_texts
from .engine_compute import DeclaredFigures, TableFigures
from .engine_labels import labels_at, named
from .engine_validate import Inputs
from .errors import DataError, Problem
from .filters import make_env
from .formats import FormatSettings
from .load import Loaded
from .narrative import NarrativeError, Resolver, render_paragraph
from .record import Frozen


def base_names(decl: Declaration, inputs: Inputs, figures: DeclaredFigures, settings: FormatSettings) -> dict[str, Any]:
    names: dict[str, Any] = {"year": inputs.year, "unit": settings.unit}
    names.update(_as_names(figures.values))
    names.update(figures.figures)
    defaults = [(a.key, a.title) for a in settings.annexes]
    if defaults:
        listed = views.annexes(defaults, inputs.annexes, views.left_out(settings, figures.values))
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


def _as_names(values: dict[str, Any]) -> dict[str, Any]:
    """Tables as their names (``rows``, ``total`` …), in groups too."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, TableFigures):
            out[key] = value.as_names()
        elif isinstance(value, dict):
            out[key] = _as_names(value)
        else:
            out[key] = value
    return out


def build_declared_context(
    decl: Declaration, inputs: Inputs, figures: DeclaredFigures, settings: FormatSettings, loaded: Loaded
) -> dict[str, Any]:
    """The template context; every unresolvable narrative reference is reported at once."""
    names = base_names(decl, inputs, figures, settings)
    for key in blank_texts(decl) & set(decl.inputs):  # an optional text not written prints as nothing
        if names.get(key) is None:
            names[key] = ""
    env = make_env(settings, autoescape=False)
    resolver = Resolver(names, env.filters, blank_texts(decl))
    problems: list[Problem] = []
    text: dict[str, tuple[str, ...]] = {}
    for key, paragraphs in inputs.text.items():
        out = []
        for i, paragraph in enumerate(paragraphs):
            loc = ("text", key, i)
            try:
                out.append(render_paragraph(env, paragraph, resolver))
            except NarrativeError as exc:
                where = named(loc, labels_at(decl, loaded.data, loc))
                problems.append(Problem(loaded.path, loaded.line_of(loc), where, str(exc)))
                out.append(paragraph)
        text[key] = tuple(out)
    for holder, key, loc, _labels in _paragraph_fields(decl.inputs, names, ()):
        out = []
        for i, paragraph in enumerate(holder[key]):
            try:
                out.append(render_paragraph(env, paragraph, resolver))
            except NarrativeError as exc:
                where = named(loc + (i,), labels_at(decl, loaded.data, loc + (i,)))
                problems.append(Problem(loaded.path, loaded.line_of(loc + (i,)), where, str(exc)))
                out.append(paragraph)
        holder[key] = tuple(out)
    if problems:
        raise DataError(problems)
    return names | {"t": text}


def _paragraph_fields(
    specs: dict[str, Input], values: dict[str, Any], loc: tuple
) -> Iterator[tuple[dict, str, tuple, list[str]]]:
    """Every ``paragraphs`` value: (the dict that holds it, its key, where the data writes it, labels)."""
    for key, spec in specs.items():
        value = values.get(key)
        if isinstance(spec, Scalar) and spec.type == "paragraphs" and value:
            yield values, key, loc + (key,), [spec.label]
        elif isinstance(spec, Group) and isinstance(value, dict):
            for found in _paragraph_fields(spec.fields, value, loc + (key,)):
                yield found[0], found[1], found[2], [spec.label] + found[3]
        elif isinstance(spec, Table) and isinstance(value, dict):
            columns = [c for c, col in spec.columns.items() if col.type == "paragraphs"]
            yield from _row_paragraphs(spec, columns, value["top"], loc + (key,))


def _row_paragraphs(
    spec: Table, columns: list[str], rows: list[dict], loc: tuple
) -> Iterator[tuple[dict, str, tuple, list[str]]]:
    for i, row in enumerate(rows):
        name = row.get(spec.name) if spec.name else None
        row_label = name if isinstance(name, str) else f"{spec.label}第 {i + 1} 行"
        for col in columns:
            if row.get(col):
                yield row, col, loc + (i, col), [row_label, spec.columns[col].label]
        for key, inner in spec.lists.items():  # a list inside the row
            inner_columns = [c for c, col in inner.columns.items() if col.type == "paragraphs"]
            for found in _row_paragraphs(inner, inner_columns, row.get(key) or [], loc + (i, key)):
                yield found[0], found[1], found[2], [row_label] + found[3]
        yield from _row_paragraphs(spec, columns, row["children"], loc + (i, "children"))


# --- printing as the report prints ----------------------------------------------------


def printed(value: Any, kind: str, settings: FormatSettings) -> str:
    """``value`` as the report prints it with the ``kind`` of figure it is."""
    if isinstance(value, tuple):  # paragraphs
        return f"（{len(value)} 段文字）"
    if kind == "percent":
        return formatting.percent(value, 2, settings.rounding, settings.zero_division)
    if value is None:
        return settings.undefined
    if isinstance(value, tuple):  # paragraphs
        return f"（{len(value)} 段文字）"
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


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class Name(Frozen):
    """A name a narrative paragraph or template can use, its printed value and meaning."""

    _fields = ("name", "printed", "meaning")
    name: str
    printed: str
    meaning: str

    def __init__(self, name: str, printed: str, meaning: str) -> None:
        _set(self, "name", name)
        _set(self, "printed", printed)
        _set(self, "meaning", meaning)


def _columns(table: Table) -> Iterator[tuple[str, str, str]]:
    for key, col in table.columns.items():
        yield key, col.print, col.label
    for key, comp in table.computed.items():
        yield key, comp.print, comp.label


def declared_names(decl: Declaration, inputs: Inputs, figures: DeclaredFigures, settings: FormatSettings) -> list[Name]:
    out = [Name("year", str(inputs.year), "年度"), Name("unit", settings.unit, "金额单位")]
    out += _scope_names(decl.inputs, figures.values, "", "", settings)
    out += _scope_names({k: c.table for k, c in decl.collect.items()}, figures.values, "", "", settings)
    for key, fig in decl.figures.items():
        out.append(Name(key, printed(figures.figures[key], fig.print, settings), fig.label))
    for alias, path in decl.aliases.items():
        out.append(Name(alias, "（同 " + ".".join(path) + "）", f"{'.'.join(path)} 的另一个名称"))
    for key, (label, _help) in decl.text.items():
        out.append(Name(f"t.{key}", f"（{len(inputs.text.get(key, ()))} 段文字）", f"文字段落：{label}"))
    return out


def _scope_names(
    specs: dict[str, Input], values: dict[str, Any] | None, prefix: str, meaning: str, settings: FormatSettings
) -> list[Name]:
    """The names of ``specs`` (top-level inputs or a group's fields), ``prefix`` and ``meaning`` before each."""
    out: list[Name] = []
    for key, spec in specs.items():
        value = None if values is None else values.get(key)
        name = prefix + key
        if isinstance(spec, Scalar):
            out.append(Name(name, printed(value, spec.print, settings), meaning + spec.label))
        elif isinstance(spec, Series):
            for i, item in enumerate(value or ()):
                out.append(
                    Name(
                        f"{name}[{i}]",
                        printed(item, spec.item.print, settings),
                        f"{meaning}{spec.label} › 第 {i + 1} 项",
                    )
                )
        elif isinstance(spec, Months):
            if value is not None:
                out.append(Name(f"{name}.first", str(value["first"]), f"{meaning}{spec.label} › 起始月份"))
                for i, item in enumerate(value["rates"]):
                    month = f"{(value['first'] + i - 1) % 12 + 1}月"
                    shown = printed(item, "percent", settings)
                    out.append(Name(f"{name}.rates[{i}]", shown, f"{meaning}{spec.label} › {month}"))
        elif isinstance(spec, Group):
            out += _scope_names(spec.fields, value, name + ".", f"{meaning}{spec.label} › ", settings)
            for c_key, comp in spec.computed.items():
                shown = printed(None if value is None else value[c_key], comp.print, settings)
                out.append(Name(f"{name}.{c_key}", shown, f"{meaning}{spec.label} › {comp.label}"))
        else:
            assert isinstance(spec, Table) and isinstance(value, TableFigures)
            for row_name, row in value.row.items():
                for col, kind, label in _columns(spec):
                    if col != spec.name:
                        out.append(
                            Name(
                                f"{name}.row['{row_name}'].{col}",
                                printed(row[col], kind, settings),
                                f"{meaning}{spec.label} › {row_name} › {label}",
                            )
                        )
            for count in spec.counted():  # count_by: each row's count, and by value
                owner = next((t for t in [spec, *spec.lists.values()] if t.count_by is count), spec)
                by = owner.columns[count.column].label
                for row_name, row in value.row.items():
                    if row.get(count.name) is None:
                        continue
                    at, where = f"{name}.row['{row_name}']", f"{meaning}{spec.label} › {row_name}"
                    out.append(Name(f"{at}.{count.name}", str(row[count.name]), f"{where} › {count.label}"))
                    for group in row.get("groups", {}).get(count.column, []):
                        shown = str(group[count.name])
                        out.append(
                            Name(
                                f"{at}.{group['value']}.{count.name}",
                                shown,
                                f"{where} › {group['value']} › {count.label}",
                            )
                        )
                    out.append(
                        Name(
                            f"{at}.groups.{count.column}",
                            f"（{len(row['groups'][count.column])} 组）",
                            f"{where} › 按{by}分组（value、rows、{count.name}）",
                        )
                    )
                shown = printed(value.total.get(count.name), "count", settings)
                out.append(
                    Name(f"{name}.total.{count.name}", shown, f"{meaning}{spec.label} › {spec.total} › {count.label}")
                )
            for col, groups in value.groups.items():
                shown = f"（{len(groups)} 组）"
                out.append(
                    Name(
                        f"{name}.groups.{col}",
                        shown,
                        f"{meaning}{spec.label} › 按{spec.label_of(col)}分组（value、rows）",
                    )
                )
            for col, kind, label in _columns(spec):
                if col != spec.name and (col in spec.computed or spec.columns[col].rollup):
                    shown = printed(value.total[col], kind, settings)
                    total_meaning = f"{meaning}{spec.label} › {spec.total} › {label}"
                    out.append(Name(f"{name}.total.{col}", shown, total_meaning))
                    out.append(Name(f"{name}.{col}", shown, f"{total_meaning}（同 {name}.total.{col}）"))
    return out

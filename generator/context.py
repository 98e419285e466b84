"""Turn a validated report and its computed figures into the template context.

This is the "format" step of the pipeline: it binds the format's number
settings into the Jinja filters, numbers the rows of tables, and renders
the figure references (``{{ scores.output.score|score }}``) that narrative
paragraphs may contain, so that no figure is ever typed into the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from . import formatting
from .annex import build_annexes
from .compute import Figures, LineFigures
from .errors import DataError, Problem
from .formats import FormatSettings
from .load import Loaded
from .schema import Item, Report
from .vmerge import vm

MISSING = "—"


def make_filters(settings: FormatSettings) -> dict[str, Callable[..., str]]:
    """The Jinja filters, bound to the format's rounding and division-by-zero settings."""

    def money(value: Decimal | None, places: int = 2) -> str:
        if value is None:
            return MISSING
        return formatting.money(Decimal(value), places, settings.rounding)

    def percent(value: Decimal | None, places: int = 2) -> str:
        return formatting.percent(
            None if value is None else Decimal(value), places, settings.rounding, settings.zero_division
        )

    def score(value: Decimal | None, places: int = 2, missing: str = MISSING) -> str:
        return missing if value is None else formatting.score(Decimal(value), places)

    filters = dict(formatting.FILTERS)
    filters.update(money=money, percent=percent, score=score, vm=vm)
    return filters


def make_env(settings: FormatSettings, autoescape: bool) -> SandboxedEnvironment:
    """A sandboxed Jinja environment: undefined names are errors, filters are ours."""
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=autoescape, keep_trailing_newline=False)
    env.filters.update(make_filters(settings))
    return env


@dataclass(frozen=True)
class TableRow:
    """A row of a rendered table: its printed label, its depth and its figures."""

    label: str
    level: int
    fig: Any


def numbered_rows(total: LineFigures) -> list[TableRow]:
    """Rows in reading order; top-level rows are numbered 一、二、…, the total row comes last."""
    rows: list[TableRow] = []
    for index, top in enumerate(total.children, start=1):
        rows.append(TableRow(f"{formatting.cn_number(index)}、{top.name}", 1, top))
        rows.extend(TableRow(row.name, row.level, row) for row in top.rows())
    rows.append(TableRow(total.name, 0, total))
    return rows


def base_context(report: Report, figures: Figures, settings: FormatSettings) -> dict[str, Any]:
    """The names narrative and templates can use (without the narrative itself)."""
    annexes = build_annexes(figures.scores, settings, report.annexes)
    return {
        "year": report.year,
        "dept": report.department,
        "unit": settings.unit,
        "staffing": figures.staffing,
        "staffing_as_of": report.staffing.as_of if report.staffing else None,
        "spending": figures.spending,
        "spending_rows": numbered_rows(figures.spending) if figures.spending else [],
        "scores": figures.scores,
        "grade": figures.scores.grade,
        "monthly": figures.monthly,
        "key_task_count": report.key_task_count,
        "indicator_count": figures.indicator_count,
        "annexes": annexes,
        "annex": {a.key: a for a in annexes},
    }


def _render_paragraphs(
    env: SandboxedEnvironment, paragraphs: tuple[str, ...], names: dict[str, Any], where: tuple[Loaded, tuple]
) -> tuple[str, ...]:
    out = []
    loaded, loc = where
    for paragraph in paragraphs:
        if "{" not in paragraph:
            out.append(paragraph)
            continue
        try:
            out.append(env.from_string(paragraph).render(names))
        except jinja2.TemplateError as exc:
            field = ".".join(str(p) for p in loc)
            raise DataError([Problem(loaded.path, loaded.line_of(loc), field, f"文字中的数字引用有误：{_explain(exc)}")]) from exc
    return tuple(out)


def _explain(exc: Exception) -> str:
    message = str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        return f"没有这个数字（{message}）"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"写法错误（{message}）"
    return message


@dataclass(frozen=True)
class RenderedItem:
    title: str
    text: tuple[str, ...]


def build_context(report: Report, figures: Figures, settings: FormatSettings, loaded: Loaded) -> dict[str, Any]:
    """The full template context: figures, narrative with its references resolved, and lists."""
    names = base_context(report, figures, settings)
    env = make_env(settings, autoescape=False)
    text = {
        key: _render_paragraphs(env, paragraphs, names, (loaded, ("text", key)))
        for key, paragraphs in report.text.items()
    }

    def items(kind: str, values: tuple[Item, ...]) -> list[RenderedItem]:
        return [
            RenderedItem(item.title, _render_paragraphs(env, item.text, names, (loaded, (kind, i, "text"))))
            for i, item in enumerate(values)
        ]

    context = dict(names)
    context.update(t=text, problems=items("problems", report.problems), measures=items("measures", report.measures))
    return context

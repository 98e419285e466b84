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
from .compute import Figures, LineFigures, duty_groups, ratio
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
    filters.update(hunan_filters(settings))
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
        "staffing_kinds": report.staffing.kinds if report.staffing else (),
        # 河北区县简表 (fengnan)
        "budget_execution": figures.budget_execution,
        # --- 湛江 format (seed 002) ---
        "notice": report.notice,
        "cover": report.cover,
        "income": figures.income,
        "team": report.evaluation_team,
        "team_duties": duty_groups(report.evaluation_team.members) if report.evaluation_team else (),
        "key_tasks": figures.key_tasks,
        "annexes": annexes,
        "annex": {a.key: a for a in annexes},
    } | hunan_context(report, figures, settings)


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
    context.update(project_reviews=project_reviews(env, report, names, loaded))  # 河北区县简表 (fengnan)
    context.update(work_items=items("work_items", report.work_items), goal_items=items("goal_items", report.goal_items))
    # 广州 2023 edition (seed 001)
    context.update(
        achievements=items("achievements", report.achievements),
        key_task_sections=[
            RenderedKeyTask(fig, _render_paragraphs(env, task.text, names, (loaded, ("key_tasks", i, "text"))))
            for i, (task, fig) in enumerate(zip(report.key_tasks, figures.key_tasks))
        ],
    )
    return context


# --- 河北区县简表 (fengnan) -------------------------------------------------------


@dataclass(frozen=True)
class RenderedProjectReview:
    name: str
    problems: tuple[str, ...]
    suggestions: tuple[str, ...]


def project_reviews(
    env: SandboxedEnvironment, report: Report, names: dict[str, Any], loaded: Loaded
) -> list[RenderedProjectReview]:
    """Each project's 存在的问题 and 建议, figure references resolved."""
    return [
        RenderedProjectReview(
            review.name,
            _render_paragraphs(env, review.problems, names, (loaded, ("project_reviews", i, "problems"))),
            _render_paragraphs(env, review.suggestions, names, (loaded, ("project_reviews", i, "suggestions"))),
        )
        for i, review in enumerate(report.project_reviews)
    ]


@dataclass(frozen=True)
class RenderedKeyTask:
    """A key task for the template: its figures and its narrative, references resolved."""

    fig: Any
    text: tuple[str, ...]


# --- Hunan county format (seed 003) ----------------------------------------------


def hunan_filters(settings: FormatSettings) -> dict[str, Callable[..., str]]:
    """Filters for lists of named amounts and changes on last year, bound to the format's rounding."""

    def change(value: Decimal | None, unit: str = "", places: int = 2) -> str:
        """``0.13|change("万元")`` → ``增加0.13万元``; ``减少…``; ``持平``."""
        if value is None:
            return MISSING
        return formatting.change(Decimal(value), places, settings.rounding, unit)

    def amounts(items: Any, unit: str = "", sep: str = "；", places: int = 2) -> str:
        """Named amounts in a sentence: ``红网建设经费6.00万；网信工作经费2.00万``."""
        return sep.join(
            f"{item.name}{formatting.money(Decimal(item.amount), places, settings.rounding)}{unit}" for item in items
        )

    def names(items: Any, sep: str = "、") -> str:
        """The names of a list joined: ``办公费、印刷费、咨询费``."""
        return sep.join(item.name for item in items)

    return {"change": change, "amounts": amounts, "names": names}


def share_column(values: list[Decimal], settings: FormatSettings) -> tuple[Decimal | None, ...]:
    """Each value's share of their sum; printed summing to exactly 100% when the format says so."""
    if settings.share_sum_exact:
        return formatting.shares(values, 2, settings.rounding)
    total = sum(values, Decimal(0))
    return tuple(ratio(v, total) for v in values)


@dataclass(frozen=True)
class ShareRow:
    """A table or text row: a named amount and its share of the column total."""

    name: str
    key: str | None
    amount: Decimal
    share: Decimal | None


@dataclass(frozen=True)
class ShareRows:
    """Rows with their total; ``rows.wages`` finds a row by key in Jinja."""

    rows: tuple[ShareRow, ...]
    total: Decimal
    share: Decimal | None

    def __getitem__(self, key: str) -> ShareRow:
        for row in self.rows:
            if key in (row.key, row.name):
                return row
        raise KeyError(key)

    def __iter__(self):
        return iter(self.rows)


def share_rows(items: list[tuple[str, str | None, Decimal]], settings: FormatSettings) -> ShareRows:
    """(name, key, amount) rows with each amount's share of their total."""
    amounts = [amount for _, _, amount in items]
    shares = share_column(amounts, settings)
    total = sum(amounts, Decimal(0))
    rows = tuple(ShareRow(name, key, amount, share) for (name, key, amount), share in zip(items, shares))
    return ShareRows(rows, total, ratio(total, total))


def hunan_context(report: Report, figures: Figures, settings: FormatSettings) -> dict[str, Any]:
    """Names for the Hunan county format: 预决算 figures and shares, headcount, lists of amounts,
    the declared grade (as ``grade``) and the signature."""
    names: dict[str, Any] = {}
    final = figures.final
    if final is not None:
        basic, project = final.basic.actual, final.project.actual
        basic_share, project_share = share_column([basic, project], settings)
        names.update(
            final=final,
            spending_share={"basic": basic_share, "project": project_share},
            # each economic class's share of 基本支出, and each running cost's share of 公用经费
            by_class=share_rows([(c.name, c.key, c.basic) for c in final.classes], settings),
            running=share_rows([(i.name, i.key, i.amount) for i in final.running_items], settings),
        )
    if report.headcount is not None:
        names["people"] = figures.headcount
    names["initial_projects"] = figures.initial_projects
    names["three_public"] = figures.three_public
    if report.self_grade is not None:
        names["grade"] = report.self_grade
    names["signature"] = report.signature
    return names

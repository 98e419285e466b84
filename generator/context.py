"""Turn a validated report and its computed figures into the template context.

This is the "format" step of the pipeline: it binds the format's number
settings into the Jinja filters, numbers the rows of tables, and resolves
the figure references (``{{ scores.output.score|score }}``) that narrative
paragraphs may contain, so that no figure is ever typed into the data.

A narrative paragraph is data, typed or pasted by whoever edits the file, so
its references are not run as Jinja: they are parsed, and only a name, its
fields (``.name`` or ``['name']``) and our filters with constant arguments
are evaluated, here, against an allow-list of names.  No statement, no
operator, no call: the work a paragraph can cause is bounded by its length,
and every mistake is named precisely.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel

from . import formatting
from .errors import DataError, Problem, field_path
from .formats import FormatSettings
from .indent import MARK as INDENT_MARK
from .load import Loaded
from .vmerge import vm

if TYPE_CHECKING:
    from .compute import Figures, LineFigures
    from .schema import Item, Report

MISSING = "—"


class FigureError(jinja2.TemplateRuntimeError):
    """A filter cannot format the value it was given; the message says why, in Chinese."""


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


def _filter_message(name: str, value: Any, args: tuple, exc: Exception) -> str:
    if value is None:
        return f"过滤器 {name} 得到的是空值（数据中没有填写这一项）"
    places = args[0] if args else None
    if places is not None and not (
        isinstance(places, int) and not isinstance(places, bool) and 0 <= places <= formatting.MAX_PLACES
    ):
        return f"过滤器 {name} 的小数位数应为 0 到 {formatting.MAX_PLACES} 的整数，得到 {_shown(places)}"
    if name == "cn_date":
        return f"过滤器 cn_date 要用于日期，得到 “{_shown(value)}”"
    if name in ("cn_number", "cn_ordinal"):
        return f"过滤器 {name} 只能用于 0 到 99,999,999 的整数，得到 “{_shown(value)}”"
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return f"过滤器 {name} 要用于数字，得到 “{_shown(value)}”"
    if name == "rmb_upper":
        return f"金额 {_shown(value)} 过大，无法写成大写金额（须小于一亿亿元）"
    return f"过滤器 {name} 无法处理 {_shown(value)}（{exc}）"


def _guard(name: str, func: Callable[..., str]) -> Callable[..., str]:
    """``func`` with its Python errors turned into a :class:`FigureError` naming the filter."""

    def guarded(value: Any, *args: Any, **kwargs: Any) -> str:
        try:
            return func(value, *args, **kwargs)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise FigureError(_filter_message(name, value, args, exc)) from exc

    guarded.__name__ = name
    return guarded


def make_filters(settings: FormatSettings) -> dict[str, Callable[..., str]]:
    """The Jinja filters, bound to the format's rounding and division-by-zero settings."""

    def money(value: Decimal | None, places: int = 2) -> str:
        if value is None:
            return settings.undefined
        if settings.zero_amount is not None and value == 0:
            return settings.zero_amount
        return formatting.money(value, places, settings.rounding)

    def percent(value: Decimal | None, places: int = 2) -> str:
        return formatting.percent(value, places, settings.rounding, settings.zero_division)

    def score(value: Decimal | None, places: int = 2, missing: str | None = None) -> str:
        if value is None:
            return settings.undefined if missing is None else missing
        return formatting.score(value, places)

    def plain(value: Decimal | None) -> str:
        return settings.undefined if value is None else formatting.plain(value)

    def indented(name: Any, level: Any) -> str:
        """A child row's name, marked to be indented by the format's child_row_indent per level below 1."""
        depth = level - 1 if isinstance(level, int) and not isinstance(level, bool) and level > 1 else 0
        return INDENT_MARK * (settings.child_row_indent * depth) + ("" if name is None else str(name))

    filters = dict(formatting.FILTERS)
    filters.update(money=money, percent=percent, score=score, plain=plain, vm=vm, indented=indented)
    filters.update(hunan_filters(settings))
    return {name: _guard(name, func) for name, func in filters.items()}


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


def numbered_rows(total: LineFigures, indent: int = 0) -> list[TableRow]:
    """Rows in reading order; top-level rows are numbered 一、二、…, the total row comes last.

    A child row's label is indented ``indent`` characters per level under its parent (the
    format's ``child_row_indent``): marks that ``indent.indent_marked_cells`` turns into layout.
    """
    rows: list[TableRow] = []
    for index, top in enumerate(total.children, start=1):
        rows.append(TableRow(f"{formatting.cn_number(index)}、{top.name}", 1, top))
        rows.extend(TableRow(INDENT_MARK * (indent * (row.level - 1)) + row.name, row.level, row) for row in top.rows())
    rows.append(TableRow(total.name, 0, total))
    return rows


def base_context(report: Report, figures: Figures, settings: FormatSettings) -> dict[str, Any]:
    """The names narrative and templates can use (without the narrative itself)."""
    from .annex import build_annexes

    annexes = build_annexes(figures.scores, settings, report.annexes)
    return {
        "year": report.year,
        "dept": report.department,
        "unit": settings.unit,
        "staffing": figures.staffing,
        "staffing_as_of": report.staffing.as_of if report.staffing else None,
        "spending": figures.spending,
        "spending_rows": numbered_rows(figures.spending, settings.child_row_indent) if figures.spending else [],
        "scores": figures.scores,
        "grade": figures.scores.grade,
        "monthly": figures.monthly,
        "key_task_count": report.key_task_count,
        "indicator_count": figures.indicator_count,
        "staffing_kinds": report.staffing.kinds if report.staffing else (),
        "key_tasks": figures.key_tasks,
        "annexes": annexes,
        "annex": {a.key: a for a in annexes},
    } | hunan_context(report, figures, settings)


# --- figure references in narrative paragraphs ------------------------------------

_HOW = "引用数字请写成 {{ 名称.字段|过滤器 }}，如 {{ scores.total.score|score }}"
_LITERAL = "如要原样印出“{}”，请写成 {{{{ '{}' }}}}"
_REFERENCE = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.DOTALL)


class NarrativeError(Exception):
    """A reference in a narrative paragraph that cannot be resolved; the message is Chinese."""


# a table's total row is the table itself (``spending.initial``); ``spending.total.initial`` names it too
TOTAL_ROW = "total"


@functools.lru_cache(maxsize=256)
def _class_names(klass: type) -> tuple[str, ...]:
    """A dataclass's fields and public properties (the same for every instance)."""
    names = [f.name for f in dataclasses.fields(klass)]
    for base in klass.__mro__:
        names += [n for n, attr in vars(base).items() if isinstance(attr, property) and not n.startswith("_")]
    return tuple(names)


def _is_total_line(value: Any) -> bool:
    """Whether ``value`` is an older format's table (its total row): none exists unless
    :mod:`generator.compute` was loaded, and a declared format's build never loads it."""
    compute = sys.modules.get(f"{__package__}.compute")
    return compute is not None and isinstance(value, compute.LineFigures) and value.level == 0


def _public_names(value: Any) -> list[str]:
    """The names a reference may use on ``value`` (an allow-list; never ``_private`` ones)."""
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, BaseModel):
        return list(type(value).model_fields)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = list(_class_names(type(value)))
        by_key = getattr(value, "by_key", None)
        if isinstance(by_key, dict):
            names += [k for k in by_key if isinstance(k, str)]
        if _is_total_line(value):
            names.append(TOTAL_ROW)
        return list(dict.fromkeys(n for n in names if n != "by_key"))
    return []


def _lookup(base: Any, key: Any, where: str) -> Any:
    """``base.key`` / ``base[key]`` for the allowed names only."""
    if base is None:
        raise NarrativeError(f"“{where}”没有数值（数据中没有填写），不能再取“{key}”")
    if isinstance(key, int) and not isinstance(key, bool) and isinstance(base, (list, tuple)):
        if -len(base) <= key < len(base):
            return base[key]
        raise NarrativeError(f"“{where}”只有 {len(base)} 项，没有第 {key} 项（从 0 数起）")
    if key == TOTAL_ROW and _is_total_line(base):
        return base  # ``spending.total.initial``, as reported: names it, is ``spending.initial``
    names = _public_names(base)
    if isinstance(key, str) and key in names:
        if isinstance(base, dict):
            return base[key]
        by_key = getattr(base, "by_key", None)
        if (
            isinstance(by_key, dict)
            and key in by_key
            and not hasattr(type(base), key)
            and key not in _field_names(base)
        ):
            return by_key[key]
        return getattr(base, key)
    getitem = getattr(type(base), "__getitem__", None)
    if isinstance(key, str) and dataclasses.is_dataclass(base) and getitem is not None:
        try:  # a figures object that looks up its rows by name or key (e.g. a table's rows)
            return getitem(base, key)
        except (KeyError, LookupError):
            pass
    shown = "、".join(names) if names else "无"
    raise NarrativeError(f"“{where}”下没有“{key}”（可用：{shown}）")


def _field_names(value: Any) -> set[str]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name for f in dataclasses.fields(value)}
    return set()


def _describe(node: nodes.Node) -> str:
    """A reference written back as text, for messages."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_describe(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Filter) and node.node is not None:
        args = (
            "(" + ", ".join(repr(a.value) for a in node.args if isinstance(a, nodes.Const)) + ")" if node.args else ""
        )
        return f"{_describe(node.node)}|{node.name}{args}"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "…"


# filters a narrative reference may use: the number formats and the list/change filters
_NARRATIVE_FILTERS = tuple(formatting.FILTERS) + ("change", "amounts", "names")


class _Resolver:
    def __init__(
        self, names: dict[str, Any], filters: dict[str, Callable[..., str]], blank: frozenset[str] = frozenset()
    ):
        self.names = names
        self.filters = {name: filters[name] for name in _NARRATIVE_FILTERS if name in filters}
        self.blank = blank  # optional texts: not written, they print as nothing (as in the template)

    def value(self, node: nodes.Node) -> Any:
        if isinstance(node, nodes.Const):
            return node.value
        if isinstance(node, nodes.Name):
            if node.name not in self.names:
                raise NarrativeError(f"没有“{node.name}”这个名称（可用：{'、'.join(self.names)}）")
            return self.names[node.name]
        if isinstance(node, nodes.Getattr):
            if node.attr.startswith("_"):
                raise NarrativeError(f"不能引用以下划线开头的名称“{node.attr}”")
            return _lookup(self.value(node.node), node.attr, _describe(node.node))
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            key = node.arg.value
            if isinstance(key, str) and key.startswith("_"):
                raise NarrativeError(f"不能引用以下划线开头的名称“{key}”")
            return _lookup(self.value(node.node), key, _describe(node.node))
        if isinstance(node, nodes.Filter) and node.node is not None:
            if node.name not in self.filters:
                raise NarrativeError(f"没有“{node.name}”这个过滤器（可用：{'、'.join(self.filters)}）")
            if (
                node.kwargs
                or node.dyn_args
                or node.dyn_kwargs
                or not all(isinstance(a, nodes.Const) for a in node.args)
            ):
                raise NarrativeError(f"过滤器 {node.name} 的参数只能是数字，如 {node.name}(1)")
            value = self.value(node.node)
            args = [a.value for a in node.args if isinstance(a, nodes.Const)]  # all of them, checked above
            try:
                return self.filters[node.name](value, *args)
            except FigureError as exc:
                raise NarrativeError(str(exc)) from None
        raise NarrativeError(f"只能引用“名称.字段|过滤器”，不能做运算、比较或调用。{_HOW}")

    def text(self, node: nodes.Node, source: str) -> str:
        value = self.value(node)
        if value is None:
            last = node.attr if isinstance(node, nodes.Getattr) else None
            if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
                last = node.arg.value
            if last in self.blank:
                return ""
            raise NarrativeError(f"“{source}”没有数值（数据中没有填写这一项）")
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal, _dt.date)):
            names = _public_names(value)
            hint = f"请写到具体的字段（可用：{'、'.join(names)}）" if names else "请写到具体的数字"
            raise NarrativeError(f"“{source}”是一组内容，不是一个数字；{hint}")
        return str(value)


_PARSED: dict[str, nodes.Template] = {}  # paragraph → its syntax tree (read only), for this process
_PARSED_LIMIT = 4096


def _parsed(env: jinja2.Environment, paragraph: str) -> nodes.Template:
    """The paragraph's syntax tree; the parse depends on the text only (no filter is looked up)."""
    tree = _PARSED.get(paragraph)
    if tree is not None:
        return tree
    try:
        tree = env.parse(paragraph)
    except jinja2.TemplateSyntaxError as exc:
        raise NarrativeError(f"“{{{{ … }}}}”写法有误（{exc.message}）。{_HOW}；{_LITERAL.format('{{', '{{')}") from None
    except RecursionError:
        raise NarrativeError(f"“{{{{ … }}}}”中的括号嵌套过深。{_HOW}") from None
    if len(_PARSED) >= _PARSED_LIMIT:
        _PARSED.clear()
    _PARSED[paragraph] = tree
    return tree


def render_paragraph(env: jinja2.Environment, paragraph: str, resolver: _Resolver) -> str:
    """A paragraph with its ``{{ … }}`` references replaced by the figures they name."""
    if "{" not in paragraph:
        return paragraph
    for opener, closer, kind in (("{#", "#}", "注释"), ("{%", "%}", "语句")):
        if opener in paragraph:
            raise NarrativeError(
                f"文字中不能写 {opener} … {closer} {kind}（只能用 {{{{ … }}}} 引用数字）；{_LITERAL.format(opener, opener)}"
            )
    tree = _parsed(env, paragraph)
    sources = _REFERENCE.findall(paragraph)
    out: list[str] = []
    index = 0
    for statement in tree.body:
        if not isinstance(statement, nodes.Output):  # cannot happen without {% %}; refuse anyway
            raise NarrativeError(f"文字中只能用 {{{{ … }}}} 引用数字。{_HOW}")
        for child in statement.nodes:
            if isinstance(child, nodes.TemplateData):
                out.append(child.data)
                continue
            source = sources[index] if index < len(sources) else _describe(child)
            index += 1
            try:
                out.append(resolver.text(child, source))
            except NarrativeError as exc:
                raise NarrativeError(f"“{{{{ {source} }}}}”：{exc}") from None
    return "".join(out)


@dataclass(frozen=True)
class RenderedItem:
    title: str
    text: tuple[str, ...]


def build_context(report: Report, figures: Figures, settings: FormatSettings, loaded: Loaded) -> dict[str, Any]:
    """The full template context: figures, narrative with its references resolved, and lists.

    Every unresolvable reference in the narrative is reported at once, each with its line.
    """
    names = base_context(report, figures, settings)
    env = make_env(settings, autoescape=False)
    resolver = _Resolver(names, env.filters)
    problems: list[Problem] = []

    def paragraphs(values: tuple[str, ...], loc: tuple) -> tuple[str, ...]:
        out = []
        for i, paragraph in enumerate(values):
            try:
                out.append(render_paragraph(env, paragraph, resolver))
            except NarrativeError as exc:
                problems.append(Problem(loaded.path, loaded.line_of(loc + (i,)), field_path(loc + (i,)), str(exc)))
                out.append(paragraph)
        return tuple(out)

    text = {key: paragraphs(values, ("text", key)) for key, values in report.text.items()}

    def items(kind: str, values: tuple[Item, ...]) -> list[RenderedItem]:
        return [RenderedItem(item.title, paragraphs(item.text, (kind, i, "text"))) for i, item in enumerate(values)]

    context = dict(names)
    context.update(t=text, problems=items("problems", report.problems), measures=items("measures", report.measures))
    context.update(work_items=items("work_items", report.work_items))
    # 广州 2023 edition (seed 001)
    context.update(
        achievements=items("achievements", report.achievements),
        key_task_sections=[
            RenderedKeyTask(fig, paragraphs(task.text, ("key_tasks", i, "text")))
            for i, (task, fig) in enumerate(zip(report.key_tasks, figures.key_tasks, strict=True))
        ],
    )
    if problems:
        raise DataError(problems)
    return context


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
            f"{_field(item, 'name')}{formatting.money(Decimal(_field(item, 'amount')), places, settings.rounding)}{unit}"
            for item in _rows(items)
        )

    def names(items: Any, sep: str = "、") -> str:
        """The names of a list joined: ``办公费、印刷费、咨询费``."""
        return sep.join(str(_field(item, "name")) for item in _rows(items))

    return {"change": change, "amounts": amounts, "names": names}


def _rows(items: Any) -> Any:
    """A list's rows: a declared table (its names, a dict) stands for its ``rows``."""
    return items["rows"] if isinstance(items, dict) and "rows" in items else items


def _field(item: Any, name: str) -> Any:
    """A column of a row: a declared row is a dict, an old format's row an object."""
    return item.get(name) if isinstance(item, dict) else getattr(item, name)


def share_column(values: list[Decimal], settings: FormatSettings) -> tuple[Decimal | None, ...]:
    """Each value's share of their sum; printed summing to exactly 100% when the format says so."""
    if settings.share_sum_exact:
        return formatting.shares(values, 2, settings.rounding)
    total = sum(values, Decimal(0))
    from .compute import ratio

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
    rows = tuple(ShareRow(name, key, amount, share) for (name, key, amount), share in zip(items, shares, strict=True))
    from .compute import ratio

    return ShareRows(rows, total, ratio(total, total))


def hunan_context(report: Report, figures: Figures, settings: FormatSettings) -> dict[str, Any]:
    """Names for the Hunan county format: 预决算 figures and shares, headcount, lists of amounts,
    the declared grade (as ``grade``) and the signature."""
    names: dict[str, Any] = {}
    final = figures.final
    if final is not None:
        basic, project = final.basic.actual, final.project.actual
        assert basic is not None and project is not None  # 决算数 computed from the classes, never unknown
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

"""Figures as printed: name a computed figure by its path, read a printed value.

A data file's ``reported:`` entries say which computed figure a printed value
claims to be (``spending.total.adjustment_rate``) and how it was printed
(``"11.51%"``).  This module resolves those paths against the computed
:class:`~generator.compute.Figures` and parses the printed text; comparing the
two is :mod:`generator.audit`'s job.  Pure: no I/O.

Paths::

    spending.total.<attr>          the total row of the spending table (also by its name, 本年支出合计)
    spending.<row name>.<attr>     any row, by its name in the data
        attr: initial adjusted actual adjustment adjustment_rate execution_rate difference_rate
    scores.total.<attr>            the whole scoring
    scores.<key>.<attr>            a scoring block or indicator, by its key
        attr: weight score rate weight_percent indicator_count child_weight
    scores.<key>.<category>.<attr> the indicators of one category below a block (产出数量指标…)
        attr: indicator_count weight score
    scores.grade                   自评等级
    monthly.average | monthly.n    一般公共预算支出年度平均执行率, number of months
    staffing.authorized | staffing.actual | staffing.control_rate
    indicator_count                number of 绩效指标 in all blocks
    key_tasks.<name>.<attr>        a key task (重点任务): budget actual execution_rate indicator_count
    key_tasks.<name>.<category>.indicator_count
    final.<row>.<attr>             整体收支预决算 (湖南县级): row income (收入合计), an income row by
        name, spending (支出小计), basic, personnel, running, project, carry_over (年末结转结余),
        or their names (基本支出, 人员经费, 公用经费, 项目支出, 年末结转结余)
        attr: initial (预算) actual (决算) difference_rate (差异率) share (决算数占上级的比重)
    final.classes.<class key or name, or total>.<basic|project|total>   支出决算按经济分类
    by_class.<key or name, or total>.<amount|share>   基本支出 by economic class and shares of it
    running.<key or name, or total>.<amount|share>    公用经费明细 and shares of it
    three_public.<key or name, or total>.<amount|previous|change|change_rate>   “三公”经费
    initial_projects.<key or name, or total>.<amount|previous|change|change_rate>
    people.<authorized|in_post|retired|survivors|cars|total>   人员情况 (total = 在职 + 离退休)

A share of a column the format prints summing to exactly 100% (``share_sum_exact``)
carries the adjusted values (largest remainder, :func:`generator.formatting.shares`)
under either rounding rule, and is compared against those.

A new kind of figure is added by appending a root to ``ROOTS``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from . import formatting
from .formatting import ratio

if TYPE_CHECKING:  # the older formats' figures: a declared format's entries never load them
    from .compute import Figures, ItemsFigures, LineFigures, ScoreFigures

MONEY = "money"  # an amount in the format's unit: 17,534.51
PERCENT = "percent"  # a ratio printed as a percentage: 99.79%
SCORE = "score"  # points, or a percent number without the sign: 45.5
COUNT = "count"  # a whole number, Arabic or Chinese: 10, 四
WORD = "word"  # a word: 优

KIND_NAMES = {MONEY: "金额", PERCENT: "百分比", SCORE: "分数", COUNT: "个数", WORD: "文字"}

SHARE_PLACES = 2  # a share column is adjusted to sum to 100% at two decimals of a percent
RULES = ("half_up", "truncate")


class FigureError(ValueError):
    """A path that names no figure; the message (Chinese) says what is available."""


@dataclass(frozen=True)
class Figure:
    """A computed figure: its value (``None`` when a rate divides by zero) and how it prints."""

    path: str
    kind: str
    value: Any
    alternatives: tuple[tuple[str, Any], ...] = ()  # (what it would be under a known misreading, value)
    # a share in a column printed summing to 100%: (rounding rule, the share as adjusted under that rule)
    adjusted: tuple[tuple[str, Any], ...] = ()


_LINE_ATTRS = {
    "initial": MONEY,
    "adjusted": MONEY,
    "actual": MONEY,
    "adjustment": MONEY,
    "adjustment_rate": PERCENT,
    "execution_rate": PERCENT,
    "difference_rate": PERCENT,
}
_SCORE_ATTRS = {
    "weight": SCORE,
    "score": SCORE,
    "rate": PERCENT,
    "weight_percent": SCORE,
    "indicator_count": COUNT,
    "child_weight": SCORE,
}
_CATEGORY_ATTRS = {"indicator_count": COUNT, "weight": SCORE, "score": SCORE}
_MONTHLY_ATTRS = {"average": PERCENT, "n": COUNT}
_STAFF_ATTRS = {"authorized": COUNT, "actual": COUNT, "control_rate": PERCENT}
_TASK_ATTRS = {"budget": MONEY, "actual": MONEY, "execution_rate": PERCENT, "indicator_count": COUNT}
_FINAL_ATTRS = {"initial": MONEY, "actual": MONEY, "difference_rate": PERCENT, "share": PERCENT}
_FINAL_ROWS = ("income", "spending", "basic", "personnel", "running", "project", "carry_over")
_CLASS_ATTRS = {"basic": MONEY, "project": MONEY, "total": MONEY}
_SHARE_ATTRS = {"amount": MONEY, "share": PERCENT}
_ITEM_ATTRS = {"amount": MONEY, "previous": MONEY, "change": MONEY, "change_rate": PERCENT}
_PEOPLE_ATTRS = {n: COUNT for n in ("authorized", "in_post", "retired", "survivors", "cars", "total")}


def _choices(names) -> str:
    return "、".join(names)


def _attr(attrs: dict[str, str], name: str, what: str) -> str:
    if name not in attrs:
        raise FigureError(f"{what}没有“{name}”这个数字（可用：{_choices(attrs)}）")
    return attrs[name]


def _split(rest: list[str], attrs: dict[str, str], form: str) -> tuple[str, str]:
    """``<name with dots>.<attr>`` → (name, attr)."""
    if len(rest) < 2:
        raise FigureError(f"应写成 {form}（数字可用：{_choices(attrs)}）")
    return ".".join(rest[:-1]), rest[-1]


def _find_row(top: LineFigures, name: str) -> LineFigures | None:
    """A row below ``top`` by its name, or by a dotted path of names (``专项转移支付.中央``)."""
    for row in top.rows():
        if row.name == name:
            return row
    node = top
    for part in name.split("."):
        child = next((c for c in node.children if c.name == part), None)
        if child is None:
            return None
        node = child
    return node if node is not top else None


@functools.lru_cache(maxsize=256)
def _column_shares(values: tuple[str, ...], rule: str) -> tuple[Decimal | None, ...]:
    """A column's adjusted shares, computed once per column (each of its rows asks)."""
    return tuple(formatting.shares([Decimal(v) for v in values], SHARE_PLACES, rule))


def _share_figure(path: str, values: list, index: int) -> Figure:
    """The share of ``values[index]`` in their sum, with the column's adjusted shares under each rule."""
    values = [Decimal(v) for v in values]
    exact = ratio(values[index], sum(values, Decimal(0)))
    try:
        adjusted = tuple((rule, _column_shares(tuple(str(v) for v in values), rule)[index]) for rule in RULES)
    except ValueError:  # negative amounts: no adjusted column
        adjusted = ()
    return Figure(path, PERCENT, exact, adjusted=adjusted)


def _spending(figures: Figures, rest: list[str], path: str) -> Figure:
    total = figures.spending
    if total is None:
        raise FigureError("数据中没有支出表（spending）")
    row_name, attr = _split(rest, _LINE_ATTRS, "spending.<行名或 total>.<数字>")
    row: LineFigures | None
    if row_name in ("total", total.name):
        row = total
    else:
        row = _find_row(total, row_name)
        if row is None:
            names = ["total"] + [r.name for r in total.rows()]
            raise FigureError(f"支出表没有“{row_name}”这一行（可用：{_choices(names)}）")
    kind = _attr(_LINE_ATTRS, attr, "支出表的行")
    alternatives: tuple = ()
    if attr == "execution_rate":
        other = row.initial if row.execution_base == "adjusted" else row.adjusted
        base = "年初预算" if row.execution_base == "adjusted" else "调整后预算"
        alternatives = ((f"以{base}为分母", ratio(row.actual, other)),)
    return Figure(path, kind, getattr(row, attr), alternatives)


def _category(node: ScoreFigures, category: str, attr: str, path: str) -> Figure:
    """The indicators of one category below ``node``: how many, their weights and scores summed."""
    found = [(i.weight, i.score) for i in node.leaf_indicators(category)]
    found += [(i.weight, i.score) for i in node.indicators if i.category == category]
    for child in node.rows():
        found += [(i.weight, i.score) for i in child.indicators if i.category == category]
    if not found:
        categories = dict.fromkeys(
            [i.category for i in node.leaf_indicators()]
            + [i.category for n in (node, *node.rows()) for i in n.indicators]
        )
        names = [c for c in categories if c]
        raise FigureError(f"“{node.name or node.key}”下没有类别为“{category}”的指标（可用：{_choices(names) or '无'}）")
    kind = _attr(_CATEGORY_ATTRS, attr, "一类指标")
    if attr == "indicator_count":
        return Figure(path, kind, len(found))
    values = [w if attr == "weight" else s for w, s in found]
    known = [v for v in values if v is not None]
    value = sum(known, Decimal(0)) if len(known) == len(values) else None
    return Figure(path, kind, value)


def _scores(figures: Figures, rest: list[str], path: str) -> Figure:
    scores = figures.scores
    if rest == ["grade"]:
        return Figure(path, WORD, scores.grade)
    if len(rest) < 2:
        raise FigureError(f"应写成 scores.<key 或 total>.<数字>，或 scores.grade（数字可用：{_choices(_SCORE_ATTRS)}）")
    key, attr = ".".join(rest[:-1]), rest[-1]
    nodes = {"total": scores.total, **scores.by_key}
    if key not in nodes and len(rest) >= 3 and ".".join(rest[:-2]) in nodes:
        return _category(nodes[".".join(rest[:-2])], rest[-2], attr, path)
    if key not in nodes:
        raise FigureError(f"评分中没有 key 为“{key}”的指标（可用：{_choices(nodes)}）")
    node: ScoreFigures = nodes[key]
    kind = _attr(_SCORE_ATTRS, attr, "评分指标")
    if attr == "weight_percent":
        return Figure(path, kind, scores.weight_percent(node))
    if attr == "child_weight":  # 每个指标分值: the weight every part has, if they all have the same
        weights = {c.weight for c in node.children} or {i.weight for i in node.indicators}
        return Figure(path, kind, weights.pop() if len(weights) == 1 else None)
    return Figure(path, kind, getattr(node, attr))


def _monthly(figures: Figures, rest: list[str], path: str) -> Figure:
    if len(rest) != 1:
        raise FigureError(f"应写成 monthly.<数字>（可用：{_choices(_MONTHLY_ATTRS)}）")
    kind = _attr(_MONTHLY_ATTRS, rest[0], "每月执行率")
    monthly = figures.monthly
    alternatives: tuple = ()
    if rest[0] == "average" and monthly.cap is not None:
        alternatives = ((f"每月不按 {monthly.cap}% 封顶的平均数", monthly.average_uncapped),)
    return Figure(path, kind, getattr(monthly, rest[0]), alternatives)


def _staffing(figures: Figures, rest: list[str], path: str) -> Figure:
    if figures.staffing is None:
        raise FigureError("数据中没有人员情况（staffing）")
    if len(rest) != 1:
        raise FigureError(f"应写成 staffing.<数字>（可用：{_choices(_STAFF_ATTRS)}）")
    kind = _attr(_STAFF_ATTRS, rest[0], "人员情况")
    return Figure(path, kind, getattr(figures.staffing, rest[0]))


def _indicator_count(figures: Figures, rest: list[str], path: str) -> Figure:
    if rest:
        raise FigureError("indicator_count 后面不能再接名称")
    return Figure(path, COUNT, figures.indicator_count)


def _key_tasks(figures: Figures, rest: list[str], path: str) -> Figure:
    tasks = {t.name: t for t in figures.key_tasks}
    if not tasks:
        raise FigureError("数据中没有重点任务（key_tasks）")
    name, attr = _split(rest, _TASK_ATTRS, "key_tasks.<任务名称>.<数字>")
    category = None
    if name not in tasks and len(rest) >= 3 and ".".join(rest[:-2]) in tasks:
        name, category = ".".join(rest[:-2]), rest[-2]
    if name not in tasks:
        raise FigureError(f"没有名为“{name}”的重点任务（可用：{_choices(tasks)}）")
    task = tasks[name]
    if category is not None:
        if attr != "indicator_count":
            raise FigureError(f"一类指标只有 indicator_count 这个数字，没有“{attr}”")
        if not task.count(category):
            names = [g.category for g in task.groups if g.category]
            raise FigureError(f"重点任务“{name}”没有类别为“{category}”的指标（可用：{_choices(names) or '无'}）")
        return Figure(path, COUNT, task.count(category))
    kind = _attr(_TASK_ATTRS, attr, "重点任务")
    value = task.count() if attr == "indicator_count" else getattr(task, attr)
    return Figure(path, kind, value)


def _final(figures: Figures, rest: list[str], path: str) -> Figure:
    final = figures.final
    if final is None:
        raise FigureError("数据中没有整体收支预决算（final_accounts）")
    if rest and rest[0] == "classes":
        return _classes(final, rest[1:], path)
    row_name, attr = _split(rest, _FINAL_ATTRS, "final.<行>.<数字>，或 final.classes.<经济分类>.<数字>")
    named = {r: getattr(final, r) for r in _FINAL_ROWS}
    row = named.get(row_name)
    if row is None:
        candidates = [r for r in named.values()] + list(final.income.rows())
        row = next((r for r in candidates if r.name == row_name), None)
    if row is None:
        names = [*_FINAL_ROWS] + [r.name for r in named.values()] + [r.name for r in final.income.rows()]
        raise FigureError(f"整体收支预决算没有“{row_name}”这一行（可用：{_choices(dict.fromkeys(names))}）")
    kind = _attr(_FINAL_ATTRS, attr, "整体收支预决算的行")
    if attr == "share":
        for parent in (final.income, final.spending, *final.spending.rows(), *final.income.rows()):
            index = next((i for i, c in enumerate(parent.children) if c is row), None)
            if index is not None:
                siblings = [c.actual or Decimal(0) for c in parent.children]
                return _share_figure(path, siblings, index)
        raise FigureError(f"“{row.name}”不是某一行的组成部分，没有占比")
    return Figure(path, kind, getattr(row, attr))


def _classes(final, rest: list[str], path: str) -> Figure:
    name, attr = _split(rest, _CLASS_ATTRS, "final.classes.<经济分类的 key、名称或 total>.<数字>")
    kind = _attr(_CLASS_ATTRS, attr, "经济分类")
    if name == "total":
        value = {"basic": final.class_basic_total, "project": final.class_project_total}.get(attr)
        if value is None:
            value = final.class_basic_total + final.class_project_total
        return Figure(path, kind, value)
    found = next((c for c in final.classes if name in (c.key, c.name)), None)
    if found is None:
        raise FigureError(
            f"支出决算没有“{name}”这一经济分类（可用：{_choices(['total', *(c.key or c.name for c in final.classes)])}）"
        )
    return Figure(path, kind, getattr(found, attr))


def _share_rows(name: str, rows_of: Callable[[Figures], list[tuple[str, str | None, Decimal]] | None], what: str):
    """A root over rows that each have an amount and a share of their total (a printed column)."""

    def root(figures: Figures, rest: list[str], path: str) -> Figure:
        rows = rows_of(figures)
        if rows is None:
            raise FigureError(f"数据中没有{what}")
        row_name, attr = _split(rest, _SHARE_ATTRS, f"{name}.<key、名称或 total>.<数字>")
        kind = _attr(_SHARE_ATTRS, attr, what)
        amounts = [amount for _, _, amount in rows]
        if row_name == "total":
            total = sum(amounts, Decimal(0))
            return Figure(path, kind, total if attr == "amount" else ratio(total, total))
        index = next((i for i, (n, k, _) in enumerate(rows) if row_name in (k, n)), None)
        if index is None:
            raise FigureError(f"{what}没有“{row_name}”（可用：{_choices(['total', *(k or n for n, k, _ in rows)])}）")
        if attr == "amount":
            return Figure(path, kind, amounts[index])
        return _share_figure(path, amounts, index)

    return root


def _by_class(figures: Figures):
    final = figures.final
    return None if final is None else [(c.name, c.key, c.basic) for c in final.classes]


def _running(figures: Figures):
    final = figures.final
    return None if final is None else [(i.name, i.key, i.amount) for i in final.running_items]


def _items(name: str, what: str):
    """A root over a list of named amounts (:class:`~generator.compute.ItemsFigures`)."""

    def root(figures: Figures, rest: list[str], path: str) -> Figure:
        items: ItemsFigures | None = getattr(figures, name)
        if not items:
            raise FigureError(f"数据中没有{what}（{name}）")
        item_name, attr = _split(rest, _ITEM_ATTRS, f"{name}.<key、名称或 total>.<数字>")
        kind = _attr(_ITEM_ATTRS, attr, what)
        if item_name == "total":
            value = items.total if attr == "amount" else getattr(items, attr)
            return Figure(path, kind, value)
        item = next((i for i in items if item_name in (i.key, i.name)), None)
        if item is None:
            raise FigureError(
                f"{what}没有“{item_name}”（可用：{_choices(['total', *(i.key or i.name for i in items)])}）"
            )
        return Figure(path, kind, getattr(item, attr))

    return root


def _people(figures: Figures, rest: list[str], path: str) -> Figure:
    if figures.headcount is None:
        raise FigureError("数据中没有人员情况（headcount）")
    if len(rest) != 1:
        raise FigureError(f"应写成 people.<数字>（可用：{_choices(_PEOPLE_ATTRS)}）")
    kind = _attr(_PEOPLE_ATTRS, rest[0], "人员情况")
    return Figure(path, kind, getattr(figures.headcount, rest[0]))


ROOTS: dict[str, Callable[[Figures, list[str], str], Figure]] = {
    "spending": _spending,
    "scores": _scores,
    "monthly": _monthly,
    "staffing": _staffing,
    "indicator_count": _indicator_count,
    "key_tasks": _key_tasks,
    "final": _final,
    "by_class": _share_rows("by_class", _by_class, "基本支出按经济分类"),
    "running": _share_rows("running", _running, "公用经费明细"),
    "three_public": _items("three_public", "“三公”经费"),
    "initial_projects": _items("initial_projects", "年初预算项目资金"),
    "people": _people,
}


def resolve(figures: Figures, path: str) -> Figure:
    """The computed figure ``path`` names; :class:`FigureError` (Chinese message) if none."""
    parts = path.strip().split(".")
    root = ROOTS.get(parts[0])
    if root is None:
        raise FigureError(f"没有这个数字“{path}”（应以 {_choices(ROOTS)} 开头）")
    return root(figures, parts[1:], path)


# --- printed values -------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """A printed figure read back: its number and decimal places, or its word."""

    text: str
    value: Decimal | None = None  # percent figures in percent units (11.51 for "11.51%")
    places: int = 0
    word: str | None = None
    dash: bool = False  # "—" or "-": printed as not applicable
    grouped: bool = False  # written with thousands separators
    unit: str | None = None  # 万元 / 元 (or 万 for 万元) written after an amount
    change: str | None = None  # an amount written as a change: 增加 / 减少 (its sign) or 持平 (zero)


_CHANGE_SIGNS = {"增加": 1, "增长": 1, "减少": -1, "下降": -1}  # 增加0.13万元 = +0.13
_UNIT_ALIASES = {"万": "万元"}  # 40万 is 40万元
_DASHES = {"—", "-", "–", "－", "/", "——", "—%"}
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.(\d+))?$")


def cn_to_int(text: str) -> int:
    """``"四"`` → 4, ``"十"`` → 10, ``"二十三"`` → 23, ``"一百零五"`` → 105, ``"一万二千"`` → 12000."""
    if not text:
        raise ValueError("empty")
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10_000
            section, digit = 0, None
        else:
            raise ValueError(ch)
    return total + section + (digit or 0)


def _strip(text: str) -> str:
    """NFKC (full-width digits and ％), no spaces (text extraction leaves "4542. 55")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_printed(kind: str, text: str, unit: str | None = None) -> Printed:
    """Read ``text`` as a figure of ``kind``; :class:`ValueError` (Chinese message) if it is not one."""
    raw = text
    text = _strip(text)
    if kind == WORD:
        return Printed(raw, word=text.strip("“”\"'「」"))
    if text in _DASHES:
        return Printed(raw, dash=True)
    found_unit = None
    if kind == PERCENT:
        if text.endswith("%"):
            text = text[:-1]
        elif text not in ("0",):
            raise ValueError(f"“{raw}”不是百分比（应带 %）")
    elif kind == MONEY:
        if text == "持平":
            return Printed(raw, Decimal(0), 2, change="持平")
        change = next((w for w in _CHANGE_SIGNS if text.startswith(w)), None)
        text = text[len(change) :] if change else text
        for suffix in ("万元", "元", "万"):
            if text.endswith(suffix):
                found_unit, text = suffix, text[: -len(suffix)]
                break
        if found_unit and unit and _UNIT_ALIASES.get(found_unit, found_unit) != unit:
            raise ValueError(f"“{raw}”的单位是{found_unit}，格式规定为{unit}")
    elif kind == SCORE:
        text = text.removesuffix("分")
    elif kind == COUNT:
        text = re.sub(r"(个|人|项|名|条|次|台)$", "", text)
        if text and all(ch in _CN_DIGITS or ch in _CN_UNITS or ch == "万" for ch in text):
            return Printed(raw, Decimal(cn_to_int(text)), 0)
    match = _NUMBER.match(text)
    if not match:
        raise ValueError(f"“{raw}”不是{KIND_NAMES[kind]}")
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"“{raw}”不是{KIND_NAMES[kind]}") from None
    places = len(match.group(4) or "")
    if kind == COUNT and places:
        raise ValueError(f"“{raw}”不是整数")
    if kind == MONEY and change:
        return Printed(raw, _CHANGE_SIGNS[change] * value, places, grouped="," in text, unit=found_unit, change=change)
    return Printed(raw, value, places, grouped="," in text, unit=found_unit)

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
        attr: weight score rate weight_percent indicator_count
    scores.grade                   自评等级
    monthly.average | monthly.n    一般公共预算支出年度平均执行率, number of months
    staffing.authorized | staffing.actual | staffing.control_rate
    indicator_count                number of 绩效指标 in all blocks

A new kind of figure is added by appending a root to ``ROOTS``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from .compute import Figures, ScoreFigures, ratio

MONEY = "money"  # an amount in the format's unit: 17,534.51
PERCENT = "percent"  # a ratio printed as a percentage: 99.79%
SCORE = "score"  # points, or a percent number without the sign: 45.5
COUNT = "count"  # a whole number, Arabic or Chinese: 10, 四
WORD = "word"  # a word: 优

KIND_NAMES = {MONEY: "金额", PERCENT: "百分比", SCORE: "分数", COUNT: "个数", WORD: "文字"}


class FigureError(ValueError):
    """A path that names no figure; the message (Chinese) says what is available."""


@dataclass(frozen=True)
class Figure:
    """A computed figure: its value (``None`` when a rate divides by zero) and how it prints."""

    path: str
    kind: str
    value: Any
    alternatives: tuple[tuple[str, Any], ...] = ()  # (what it would be under a known misreading, value)


_LINE_ATTRS = {
    "initial": MONEY,
    "adjusted": MONEY,
    "actual": MONEY,
    "adjustment": MONEY,
    "adjustment_rate": PERCENT,
    "execution_rate": PERCENT,
    "difference_rate": PERCENT,
}
_SCORE_ATTRS = {"weight": SCORE, "score": SCORE, "rate": PERCENT, "weight_percent": SCORE, "indicator_count": COUNT}
_MONTHLY_ATTRS = {"average": PERCENT, "n": COUNT}
_STAFF_ATTRS = {"authorized": COUNT, "actual": COUNT, "control_rate": PERCENT}


def _choices(names) -> str:
    return "、".join(names)


def _attr(attrs: dict[str, str], name: str, what: str) -> str:
    if name not in attrs:
        raise FigureError(f"{what}没有“{name}”这个数字（可用：{_choices(attrs)}）")
    return attrs[name]


def _spending(figures: Figures, rest: list[str], path: str) -> Figure:
    total = figures.spending
    if total is None:
        raise FigureError("数据中没有支出表（spending）")
    if len(rest) < 2:
        raise FigureError(f"应写成 spending.<行名或 total>.<数字>（数字可用：{_choices(_LINE_ATTRS)}）")
    row_name, attr = ".".join(rest[:-1]), rest[-1]
    if row_name in ("total", total.name):
        row = total
    else:
        try:
            row = total.find(row_name)
        except KeyError:
            names = ["total"] + [r.name for r in total.rows()]
            raise FigureError(f"支出表没有“{row_name}”这一行（可用：{_choices(names)}）") from None
    kind = _attr(_LINE_ATTRS, attr, "支出表的行")
    alternatives: tuple = ()
    if attr == "execution_rate":
        other = row.initial if row.execution_base == "adjusted" else row.adjusted
        base = "年初预算" if row.execution_base == "adjusted" else "调整后预算"
        alternatives = ((f"以{base}为分母", ratio(row.actual, other)),)
    return Figure(path, kind, getattr(row, attr), alternatives)


def _scores(figures: Figures, rest: list[str], path: str) -> Figure:
    scores = figures.scores
    if rest == ["grade"]:
        return Figure(path, WORD, scores.grade)
    if len(rest) < 2:
        raise FigureError(f"应写成 scores.<key 或 total>.<数字>，或 scores.grade（数字可用：{_choices(_SCORE_ATTRS)}）")
    key, attr = ".".join(rest[:-1]), rest[-1]
    if key == "total":
        node: ScoreFigures = scores.total
    elif key in scores.by_key:
        node = scores.by_key[key]
    else:
        raise FigureError(f"评分中没有 key 为“{key}”的指标（可用：{_choices(['total', *scores.by_key])}）")
    kind = _attr(_SCORE_ATTRS, attr, "评分指标")
    if attr == "weight_percent":
        return Figure(path, kind, scores.weight_percent(node))
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


ROOTS: dict[str, Callable[[Figures, list[str], str], Figure]] = {
    "spending": _spending,
    "scores": _scores,
    "monthly": _monthly,
    "staffing": _staffing,
    "indicator_count": _indicator_count,
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
    unit: str | None = None  # 万元 / 元 written after an amount


_DASHES = {"—", "-", "–", "－", "/", "——", "—%"}
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
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
        for suffix in ("万元", "元"):
            if text.endswith(suffix):
                found_unit, text = suffix, text[: -len(suffix)]
                break
        if found_unit and unit and found_unit != unit:
            raise ValueError(f"“{raw}”的单位是{found_unit}，格式规定为{unit}")
    elif kind == SCORE:
        text = text.removesuffix("分")
    elif kind == COUNT:
        text = re.sub(r"(个|人|项|名|条|次)$", "", text)
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
    return Printed(raw, value, places, grouped="," in text, unit=found_unit)

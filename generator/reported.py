"""Figures as printed: a computed figure as ``reported:`` names it, and a printed value read back.

A data file's ``reported:`` entries say which computed figure a printed value
claims to be (``spending.total.adjustment_rate``, a dotted name of
:mod:`generator.engine_flat`) and how it was printed (``"11.51%"``).  This module
holds the figure as resolved and parses the printed text; comparing the two is
:mod:`generator.audit`'s job.  Pure: no I/O.

A share of a column the format prints summing to exactly 100% (``share_sum_exact``)
carries the adjusted values (largest remainder, :func:`generator.formatting.shares`)
under either rounding rule, and is compared against those.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from . import formatting
from .formatting import ratio
from .record import Frozen

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


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class Figure(Frozen):
    """A computed figure: its value (``None`` when a rate divides by zero) and how it prints."""

    _fields = ("path", "kind", "value", "alternatives", "adjusted")
    path: str
    kind: str
    value: Any
    alternatives: tuple[tuple[str, Any], ...]  # (what it would be under a known misreading, value)
    # a share in a column printed summing to 100%: (rounding rule, the share as adjusted under that rule)
    adjusted: tuple[tuple[str, Any], ...]

    def __init__(
        self,
        path: str,
        kind: str,
        value: Any,
        alternatives: tuple[tuple[str, Any], ...] = (),
        adjusted: tuple[tuple[str, Any], ...] = (),
    ) -> None:
        _set(self, "path", path)
        _set(self, "kind", kind)
        _set(self, "value", value)
        _set(self, "alternatives", alternatives)
        _set(self, "adjusted", adjusted)


@functools.lru_cache(maxsize=256)
def _column_shares(values: tuple[str, ...], rule: str) -> tuple[Decimal | None, ...]:
    """A column's adjusted shares, computed once per column (each of its rows asks)."""
    return tuple(formatting.shares([Decimal(v) for v in values], SHARE_PLACES, rule))


def share_figure(path: str, values: list, index: int) -> Figure:
    """The share of ``values[index]`` in their sum, with the column's adjusted shares under each rule."""
    values = [Decimal(v) for v in values]
    exact = ratio(values[index], sum(values, Decimal(0)))
    try:
        adjusted = tuple((rule, _column_shares(tuple(str(v) for v in values), rule)[index]) for rule in RULES)
    except ValueError:  # negative amounts: no adjusted column
        adjusted = ()
    return Figure(path, PERCENT, exact, adjusted=adjusted)


# --- printed values -------------------------------------------------------------


class Printed(Frozen):
    """A printed figure read back: its number and decimal places, or its word."""

    _fields = ("text", "value", "places", "word", "dash", "grouped", "unit", "change")
    text: str
    value: Decimal | None  # percent figures in percent units (11.51 for "11.51%")
    places: int
    word: str | None
    dash: bool  # "—" or "-": printed as not applicable
    grouped: bool  # written with thousands separators
    unit: str | None  # 万元 / 元 (or 万 for 万元) written after an amount
    change: str | None  # an amount written as a change: 增加 / 减少 (its sign) or 持平 (zero)

    def __init__(
        self,
        text: str,
        value: Decimal | None = None,
        places: int = 0,
        word: str | None = None,
        dash: bool = False,
        grouped: bool = False,
        unit: str | None = None,
        change: str | None = None,
    ) -> None:
        _set(self, "text", text)
        _set(self, "value", value)
        _set(self, "places", places)
        _set(self, "word", word)
        _set(self, "dash", dash)
        _set(self, "grouped", grouped)
        _set(self, "unit", unit)
        _set(self, "change", change)


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

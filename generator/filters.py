"""The Jinja filters a template and a narrative reference print figures with.

Bound to the format's settings (unit rounding, what a zero division and an
undefined figure print, the indent of child rows); a filter given a value it
cannot print raises :class:`FigureError` with a Chinese message naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from . import formatting
from .formats import FormatSettings
from .indent import MARK as INDENT_MARK
from .vmerge import vm

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
    filters.update(list_filters(settings))
    return {name: _guard(name, func) for name, func in filters.items()}


def make_env(settings: FormatSettings, autoescape: bool) -> SandboxedEnvironment:
    """A sandboxed Jinja environment: undefined names are errors, filters are ours."""
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=autoescape, keep_trailing_newline=False)
    env.filters.update(make_filters(settings))
    return env


def list_filters(settings: FormatSettings) -> dict[str, Callable[..., str]]:
    """Filters for lists of named amounts and changes on last year, bound to the format's rounding."""

    def change(value: Decimal | None, unit: str = "", places: int = 2) -> str:
        """``0.13|change("万元")`` → ``增加0.13万元``; ``减少…``; ``持平``."""
        if unit.strip() in ("%", "％", "个百分点"):
            raise FigureError(
                f'过滤器 change 只用于金额（change("{unit}") 会把比率印错）；增减率请用 rate_change，如 增长2.14%'
            )
        if value is None:
            return MISSING
        return formatting.change(Decimal(value), places, settings.rounding, unit)

    def rate_change(
        value: Decimal | None, up: str = "增长", down: str = "下降", same: str = "持平", places: int = 2
    ) -> str:
        """A rate of change in words: ``0.0214|rate_change`` → ``增长2.14%``; ``下降12.98%``; ``持平``."""
        if value is None:
            return settings.zero_division
        printed = formatting.percent(abs(Decimal(value)), places, settings.rounding)
        if formatting.quantize(abs(Decimal(value)) * 100, places, settings.rounding) == 0:
            return same
        return (up if value > 0 else down) + printed

    def amounts(items: Any, unit: str = "", sep: str = "；", places: int = 2) -> str:
        """Named amounts in a sentence: ``办公费6.00万；印刷费2.00万``."""
        return sep.join(
            f"{_field(item, 'name')}{formatting.money(Decimal(_field(item, 'amount')), places, settings.rounding)}{unit}"
            for item in _rows(items)
        )

    def names(items: Any, sep: str = "、") -> str:
        """The names of a list joined: ``办公费、印刷费、咨询费``."""
        return sep.join(str(_field(item, "name")) for item in _rows(items))

    return {"change": change, "rate_change": rate_change, "amounts": amounts, "names": names}


def _rows(items: Any) -> Any:
    """A list's rows: a table (its names, a dict) stands for its ``rows``."""
    return items["rows"] if isinstance(items, dict) and "rows" in items else items


def _field(item: Any, name: str) -> Any:
    """A column of a row (a dict), or an attribute of an object."""
    return item.get(name) if isinstance(item, dict) else getattr(item, name)

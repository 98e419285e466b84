"""Number, numeral, date and heading-number formatting for the report generator.

Every function here is pure (no I/O). Money and rates are ``decimal.Decimal``
(``int`` is accepted as an exact value); ``float`` is always rejected with
``TypeError`` because it cannot represent amounts such as 0.1 exactly.

Rounding follows accounting practice (四舍五入, ``ROUND_HALF_UP``) unless a
format declares truncation (``ROUND_DOWN``). Values are always quantized here
*before* they reach Babel, and Babel is told not to re-round, because Babel
(like Python's ``round()``) rounds half-even.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

__all__ = [
    "FILTERS",
    "Numbering",
    "cn_date",
    "cn_number",
    "cn_ordinal",
    "enumerate_cn",
    "money",
    "percent",
    "plain",
    "points",
    "quantize",
    "rmb_upper",
    "score",
]

_ROUNDING_MODES = {
    "half_up": ROUND_HALF_UP,
    "truncate": ROUND_DOWN,
}

# Upper bound (exclusive) for 大写金额: groups up to 万亿 are supported.
_RMB_LIMIT = 10**16
# Upper bound (inclusive) for cn_number.
_CN_NUMBER_MAX = 99_999_999

_UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UPPER_SMALL_UNITS = ("", "拾", "佰", "仟")
_LOWER_DIGITS = "零一二三四五六七八九"
_LOWER_SMALL_UNITS = ("", "十", "百", "千")


# ---------------------------------------------------------------------------
# Internal helpers
# ---------------------------------------------------------------------------


def _to_decimal(value: object, name: str = "value") -> Decimal:
    """Return ``value`` as a finite Decimal; reject float, bool and other types."""
    if isinstance(value, float):
        raise TypeError(f"{name} must be a Decimal, not float ({value!r})")
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a Decimal, not bool")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    else:
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
    if not d.is_finite():
        raise ValueError(f"{name} must be finite, got {d}")
    return d


def _to_int(value: object, name: str = "n") -> int:
    """Return ``value`` if it is an int (not bool); raise TypeError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


MAX_PLACES = 10  # more would only print noise; a huge number would exhaust memory


def _check_places(places: object) -> int:
    """Validate a number of decimal places (an int from 0 to ``MAX_PLACES``)."""
    places = _to_int(places, "places")
    if places < 0:
        raise ValueError(f"places must be >= 0, got {places}")
    if places > MAX_PLACES:
        raise ValueError(f"places must be <= {MAX_PLACES}, got {places}")
    return places


def _rounding_mode(rounding: str) -> str:
    """Map our rounding name to a ``decimal`` rounding constant."""
    try:
        return _ROUNDING_MODES[rounding]
    except (KeyError, TypeError):
        raise ValueError(f"unknown rounding {rounding!r}; expected one of {sorted(_ROUNDING_MODES)}") from None


def _shift(d: Decimal, places: int) -> Decimal:
    """Multiply a finite Decimal by 10**places exactly (no context rounding)."""
    sign, digits, exponent = d.as_tuple()
    assert isinstance(exponent, int), "a finite Decimal"  # 'n', 'N', 'F' for NaN and Infinity
    return Decimal((sign, digits, exponent + places))


def _precision_for(d: Decimal, places: int) -> int:
    """A context precision large enough to hold ``d`` with ``places`` decimals."""
    return max(28, d.adjusted() + places + 3, len(d.as_tuple().digits) + 3)


def _format_fixed(q: Decimal, places: int, grouping: bool) -> str:
    """Format an already quantized Decimal with exactly ``places`` decimals.

    zh_CN writes numbers as Python's ``format`` does (``,`` groups of three, ``.``, ``-``),
    which formats a Decimal from its digits, exactly, whatever the context's precision:
    the same text Babel's ``format_decimal`` gave with ``#,##0.00`` patterns (checked on
    1.4 million values, signed zeros and 25-digit amounts among them), without loading
    Babel's locale data (a third of a single build's start).
    """
    return format(q, f"{',' if grouping else ''}.{places}f")


def _group_to_cn(group: int, digits: str, small_units: tuple[str, ...]) -> str:
    """Convert 1..9999 to Chinese: interior zero runs give one 零, trailing zeros none."""
    out: list[str] = []
    zero_pending = False
    for pos in (3, 2, 1, 0):
        digit = (group // 10**pos) % 10
        if digit == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append(digits[0])
            zero_pending = False
        out.append(digits[digit] + small_units[pos])
    return "".join(out)


def _integer_to_cn(n: int, digits: str, small_units: tuple[str, ...]) -> str:
    """Convert 1 <= n < 10**16 to Chinese numerals with 万/亿 groups.

    Zero rules: a group with leading zeros, or a run of all-zero groups, that
    precedes a non-zero digit is written as a single 零; zeros at the end of a
    group are absorbed by the group unit (107000 -> 拾万柒仟, not 拾万零柒仟).
    """
    if n <= 0 or n >= _RMB_LIMIT:
        raise ValueError(f"out of range: {n}")
    groups: list[int] = []
    while n:
        n, group = divmod(n, 10_000)
        groups.append(group)
    out: list[str] = []
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            if out:
                zero_pending = True
            continue
        if out and (zero_pending or group < 1000):
            out.append(digits[0])
        zero_pending = False
        if index == 3:
            # 万亿: when the 亿 group is empty, 亿 must still be written here.
            unit = "万" if groups[2] else "万亿"
        else:
            unit = ("", "万", "亿")[index]
        out.append(_group_to_cn(group, digits, small_units) + unit)
    return "".join(out)


# ---------------------------------------------------------------------------
# Rounding and numbers
# ---------------------------------------------------------------------------


def quantize(value: Decimal, places: int = 2, rounding: str = "half_up") -> Decimal:
    """Round ``value`` to ``places`` decimal places.

    ``rounding`` is ``"half_up"`` (四舍五入, ROUND_HALF_UP, the default) or
    ``"truncate"`` (ROUND_DOWN, towards zero). Unknown names raise ValueError,
    float input raises TypeError, NaN/Infinity raise ValueError. A result of
    zero is returned without a sign (``-0.001`` -> ``Decimal("0.00")``).
    """
    d = _to_decimal(value)
    places = _check_places(places)
    mode = _rounding_mode(rounding)
    with localcontext() as ctx:
        ctx.prec = _precision_for(d, places)
        result = d.quantize(Decimal(1).scaleb(-places), rounding=mode)
    if result.is_zero():
        result = result.copy_abs()
    return result


def money(
    value: Decimal,
    places: int = 2,
    rounding: str = "half_up",
    grouping: bool = True,
) -> str:
    """Format an amount (万元 or 元 alike) with fixed decimals and zh_CN grouping.

    ``Decimal("17534.51")`` -> ``"17,534.51"``; ``Decimal("-1234.5")`` ->
    ``"-1,234.50"``; with ``grouping=False`` -> ``"17534.51"``. The value is
    quantized with our rounding first, so Babel never rounds half-even.
    """
    q = quantize(value, places, rounding)
    return _format_fixed(q, places, grouping)


def percent(
    ratio: Decimal | None,
    places: int = 2,
    rounding: str = "half_up",
    zero_division: str = "0",
) -> str:
    """Format a ratio (a fraction, 0.997947) as a percentage (``"99.79%"``).

    ``None`` stands for an undefined rate (division by zero) and returns
    ``zero_division`` unchanged (e.g. ``"0"`` or ``"—"``). The percentage is
    rounded (half-up or truncate) after multiplying by 100 exactly; no
    thousands separators are used.
    """
    if ratio is None:
        if not isinstance(zero_division, str):
            raise TypeError("zero_division must be a str")
        return zero_division
    d = _to_decimal(ratio, "ratio")
    places = _check_places(places)
    q = quantize(_shift(d, 2), places, rounding)
    return _format_fixed(q, places, grouping=False) + "%"


def points(value: Decimal, places: int = 2, rounding: str = "half_up") -> str:
    """Format a change already expressed in percentage points: ``"1.23个百分点"``.

    ``Decimal("1.234")`` -> ``"1.23个百分点"``; ``Decimal("-1.235")`` ->
    ``"-1.24个百分点"`` (half-up, away from zero on ties). The value is *not*
    multiplied by 100: pass the difference of two percentages, not of two
    fractions.
    """
    q = quantize(value, places, rounding)
    return _format_fixed(q, places, grouping=False) + "个百分点"


def plain(value: Decimal) -> str:
    """Write a Decimal without exponent and without trailing fractional zeros.

    ``Decimal("1E+1")`` -> ``"10"``; ``Decimal("109.60")`` -> ``"109.6"``;
    ``Decimal("0.00")`` -> ``"0"``; negative zero prints as ``"0"``. No
    rounding is applied.
    """
    d = _to_decimal(value)
    text = format(d, "f")  # exact, never scientific
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


def score(value: Decimal, places: int = 2, rounding: str = "half_up") -> str:
    """Format a score: round half-up to ``places``, then drop trailing zeros.

    ``95.5`` -> ``"95.5"``, ``50`` -> ``"50"``, ``45.50`` -> ``"45.5"``,
    ``44.98`` -> ``"44.98"``, ``Decimal("1E+2")`` -> ``"100"``.
    """
    return plain(quantize(value, places, rounding))


# ---------------------------------------------------------------------------
# Chinese numerals and dates
# ---------------------------------------------------------------------------


def rmb_upper(amount: Decimal, zheng_after_jiao: bool = False) -> str:
    """Write an amount in 元 as 大写金额 (PBOC rules, 会计基础工作规范 第五十二条).

    The amount is rounded half-up to 分 first. Whole yuan ends in 整
    (``10`` -> ``"壹拾元整"``); an amount ending in 角 takes 整 only when
    ``zheng_after_jiao`` is true. 零 is written once for a run of zeros, after
    元 when the 元 digit is 0 and 角 is not (``1680.32`` ->
    ``"壹仟陆佰捌拾元零叁角贰分"``) and when 角 is 0 but 分 is not
    (``325.04`` -> ``"叁佰贰拾伍元零肆分"``); zeros at the end of a 万/亿 group are
    not written (``107000.53`` -> ``"壹拾万柒仟元零伍角叁分"``). Negative amounts
    are prefixed with 负. Amounts whose absolute value is 10**16 or more raise
    ValueError.
    """
    q = quantize(amount, 2, "half_up")
    if abs(q) >= _RMB_LIMIT:
        raise ValueError(f"amount too large for 大写金额: {amount}")
    cents = int(_shift(abs(q), 2))
    if cents == 0:
        return "零元整"
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)

    parts: list[str] = ["负"] if q < 0 else []
    if yuan:
        parts.append(_integer_to_cn(yuan, _UPPER_DIGITS, _UPPER_SMALL_UNITS) + "元")
    if jiao == 0 and fen == 0:
        parts.append("整")
        return "".join(parts)
    if yuan and (jiao == 0 or yuan % 10 == 0):
        parts.append("零")
    if jiao:
        parts.append(_UPPER_DIGITS[jiao] + "角")
    if fen:
        parts.append(_UPPER_DIGITS[fen] + "分")
    elif zheng_after_jiao:
        parts.append("整")
    return "".join(parts)


def cn_number(n: int) -> str:
    """Write a count 0..99,999,999 in Chinese numerals.

    ``0`` -> ``"零"``, ``10`` -> ``"十"``, ``11`` -> ``"十一"``, ``110`` ->
    ``"一百一十"``, ``10010`` -> ``"一万零一十"``, ``100000`` -> ``"十万"``.
    A leading 一十 is shortened to 十. Negative or larger numbers raise
    ValueError.
    """
    n = _to_int(n)
    if n < 0:
        raise ValueError(f"cn_number needs n >= 0, got {n}")
    if n > _CN_NUMBER_MAX:
        raise ValueError(f"cn_number supports up to {_CN_NUMBER_MAX}, got {n}")
    if n == 0:
        return _LOWER_DIGITS[0]
    text = _integer_to_cn(n, _LOWER_DIGITS, _LOWER_SMALL_UNITS)
    if text.startswith("一十"):
        text = text[1:]
    return text


def cn_ordinal(n: int) -> str:
    """Write an ordinal: ``1`` -> ``"第一"``, ``12`` -> ``"第十二"`` (n >= 1)."""
    n = _to_int(n)
    if n < 1:
        raise ValueError(f"cn_ordinal needs n >= 1, got {n}")
    return "第" + cn_number(n)


def enumerate_cn(i: int) -> str:
    """Lead-in of an in-paragraph enumeration: ``1`` -> ``"一是"``, ``2`` -> ``"二是"``."""
    i = _to_int(i, "i")
    if i < 1:
        raise ValueError(f"enumerate_cn needs i >= 1, got {i}")
    return cn_number(i) + "是"


def cn_date(d: datetime.date) -> str:
    """Write a date with Arabic numerals and no leading zeros: ``"2022年5月18日"``."""
    if not isinstance(d, datetime.date):
        raise TypeError(f"cn_date needs a datetime.date, not {type(d).__name__}")
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------------------
# Heading numbers
# ---------------------------------------------------------------------------


class Numbering:
    """Heading numbers generated in document order.

    Each level has a counter; numbering a heading increments its level and
    resets every deeper level, so adding or removing a section renumbers all
    that follow. A style is a ``str.format`` template using ``{cn}`` (Chinese
    numeral of the counter) and/or ``{n}`` (Arabic counter). The default is
    ``一、`` -> ``（一）`` -> ``1.`` -> ``（1）`` with full-width brackets.
    """

    DEFAULT_STYLES = ("{cn}、", "（{cn}）", "{n}.", "（{n}）")

    def __init__(self, styles: tuple[str, ...] | list[str] = DEFAULT_STYLES) -> None:
        """Validate ``styles`` (one per level) and start all counters at zero."""
        if isinstance(styles, str):
            raise TypeError("styles must be a sequence of strings, not a string")
        styles = tuple(styles)
        if not styles:
            raise ValueError("at least one style is needed")
        for style in styles:
            self._validate_style(style)
        self._styles = styles
        self._counters = [0] * len(styles)

    @staticmethod
    def _validate_style(style: object) -> None:
        """Raise ValueError unless ``style`` uses only and at least one of {cn}/{n}."""
        if not isinstance(style, str):
            raise ValueError(f"style must be a string, got {style!r}")
        try:
            fields = {field for _, field, _, _ in string.Formatter().parse(style) if field is not None}
            style.format(cn="一", n=1)
        except (ValueError, KeyError, IndexError, AttributeError) as exc:
            raise ValueError(f"invalid numbering style {style!r}: {exc}") from None
        if not fields or not fields <= {"cn", "n"}:
            raise ValueError(f"numbering style {style!r} must use {{cn}} and/or {{n}} and nothing else")

    @property
    def depth(self) -> int:
        """Number of levels (one per style)."""
        return len(self._styles)

    def level(self, k: int) -> str:
        """Number a heading of level ``k`` (1-based) and return its prefix."""
        k = _to_int(k, "k")
        if not 1 <= k <= len(self._styles):
            raise ValueError(f"level must be in 1..{len(self._styles)}, got {k}")
        self._counters[k - 1] += 1
        for deeper in range(k, len(self._counters)):
            self._counters[deeper] = 0
        count = self._counters[k - 1]
        return self._styles[k - 1].format(cn=cn_number(count), n=count)

    def h1(self) -> str:
        """Number a level-1 heading (default ``一、``)."""
        return self.level(1)

    def h2(self) -> str:
        """Number a level-2 heading (default ``（一）``)."""
        return self.level(2)

    def h3(self) -> str:
        """Number a level-3 heading (default ``1.``)."""
        return self.level(3)

    def h4(self) -> str:
        """Number a level-4 heading (default ``（1）``)."""
        return self.level(4)

    def reset(self) -> None:
        """Set every counter back to zero."""
        self._counters = [0] * len(self._styles)


FILTERS: dict[str, Callable[..., str]] = {
    "money": money,
    "percent": percent,
    "points": points,
    "score": score,
    "plain": plain,
    "rmb_upper": rmb_upper,
    "cn_number": cn_number,
    "cn_ordinal": cn_ordinal,
    "cn_date": cn_date,
}


# ---------------------------------------------------------------------------
# Shares that print summing to exactly 100%
# ---------------------------------------------------------------------------


def ratio(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """``numerator / denominator``, or ``None`` when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def shares(values, places: int = 2, rounding: str = "half_up") -> tuple[Decimal | None, ...]:
    """Each value's share of their sum, as fractions that print summing to exactly 100%.

    Every share is first rounded to ``places`` decimals of a percent with ``rounding``;
    when the rounded shares do not add up to 100%, the last digit is adjusted by one
    unit at a time where the rounding error is largest (largest remainder method):
    units are added to the shares rounded down the most, or taken from the shares
    rounded up the most; ties go to the earlier value.  ``[45.77, 46.94, 5.49, 0]`` ->
    ``(0.4661, 0.4780, 0.0559, 0.0000)``.  When the values sum to zero every share is
    ``None`` (undefined).  Values must be non-negative.
    """
    values = [_to_decimal(v, "value") for v in values]
    places = _check_places(places)
    if any(v < 0 for v in values):
        raise ValueError("shares need non-negative values")
    total = sum(values, Decimal(0))
    if total == 0:
        return tuple(None for _ in values)
    unit = Decimal(1).scaleb(-places)  # one unit of the last printed digit, in percent
    with localcontext() as ctx:
        ctx.prec = 50
        exact = [v * 100 / total for v in values]
        rounded = [quantize(e, places, rounding) for e in exact]
        missing = int((Decimal(100) - sum(rounded, Decimal(0))) / unit)  # units to add (or take)
        error = [e - r for e, r in zip(exact, rounded, strict=True)]  # > 0: rounded down, < 0: rounded up
        if missing > 0:
            for i in sorted(range(len(values)), key=lambda i: (-error[i], i))[:missing]:
                rounded[i] += unit
        elif missing < 0:
            for i in sorted(range(len(values)), key=lambda i: (error[i], i))[:-missing]:
                rounded[i] -= unit
        return tuple(_shift(r, -2) for r in rounded)


def change(
    value: Decimal,
    places: int = 2,
    rounding: str = "half_up",
    unit: str = "",
    words: tuple[str, str, str] = ("增加", "减少", "持平"),
) -> str:
    """A change of an amount in words: ``0.13`` -> ``"增加0.13万元"`` (with ``unit="万元"``),
    ``-0.13`` -> ``"减少0.13万元"``, a change that rounds to zero -> ``"持平"``."""
    q = quantize(value, places, rounding)
    up, down, same = words
    if q == 0:
        return same
    return (up if q > 0 else down) + money(abs(q), places, rounding) + unit

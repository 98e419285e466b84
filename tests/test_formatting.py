"""Tests for generator.formatting. Expected values are checked by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.formatting import (
    FILTERS,
    Numbering,
    cn_date,
    cn_number,
    cn_ordinal,
    enumerate_cn,
    money,
    percent,
    plain,
    points,
    quantize,
    rmb_upper,
    score,
)

# ---------------------------------------------------------------------------
# quantize
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, places, rounding, expected",
    [
        ("2.675", 2, "half_up", "2.68"),
        ("2.665", 2, "half_up", "2.67"),
        ("-2.675", 2, "half_up", "-2.68"),
        ("0.125", 2, "half_up", "0.13"),
        ("2.679", 2, "truncate", "2.67"),
        ("-2.679", 2, "truncate", "-2.67"),
        ("1234.5", 0, "half_up", "1235"),
        ("1234.5", 0, "truncate", "1234"),
        ("7", 2, "half_up", "7.00"),
        ("1E+2", 2, "half_up", "100.00"),
        ("0.89468", 4, "half_up", "0.8947"),
    ],
)
def test_quantize(value, places, rounding, expected):
    result = quantize(D(value), places, rounding)
    assert isinstance(result, D)
    assert str(result) == expected


def test_quantize_default_is_two_places_half_up():
    assert str(quantize(D("1.005"))) == "1.01"


def test_quantize_negative_zero_loses_sign():
    result = quantize(D("-0.001"))
    assert str(result) == "0.00"
    assert not result.is_signed()
    assert str(quantize(D("-0.009"), 2, "truncate")) == "0.00"


def test_quantize_accepts_int():
    assert str(quantize(5)) == "5.00"


def test_quantize_more_digits_than_default_context():
    value = D("12345678901234567890123456789.125")
    assert str(quantize(value)) == "12345678901234567890123456789.13"


@pytest.mark.parametrize("bad", ["bankers", "HALF_UP", "half_even", "", None])
def test_quantize_unknown_rounding(bad):
    with pytest.raises(ValueError):
        quantize(D("1"), 2, bad)


def test_quantize_bad_places():
    with pytest.raises(ValueError):
        quantize(D("1"), -1)
    with pytest.raises(ValueError):  # would build a billion-digit number
        quantize(D("1"), 10**9)
    with pytest.raises(TypeError):
        quantize(D("1"), 2.0)


@pytest.mark.parametrize("bad", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_quantize_non_finite(bad):
    with pytest.raises(ValueError):
        quantize(bad)


# ---------------------------------------------------------------------------
# float and other types are rejected everywhere
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("func", [quantize, money, percent, points, score, plain, rmb_upper])
def test_float_rejected(func):
    with pytest.raises(TypeError):
        func(1.5)


@pytest.mark.parametrize("func", [quantize, money, percent, points, score, plain, rmb_upper])
@pytest.mark.parametrize("bad", ["1.5", True])
def test_str_and_bool_rejected(func, bad):
    with pytest.raises(TypeError):
        func(bad)


# ---------------------------------------------------------------------------
# money
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("17534.51", "17,534.51"),
        ("0", "0.00"),
        ("-1234.5", "-1,234.50"),
        ("2.675", "2.68"),
        ("2.665", "2.67"),
        ("0.125", "0.13"),
        ("1234567.891", "1,234,567.89"),
        ("8159635.29", "8,159,635.29"),
        ("999.995", "1,000.00"),
        ("1E+3", "1,000.00"),
        ("-0.004", "0.00"),
        ("100", "100.00"),
        ("0.5", "0.50"),
        (
            "12345678901234567890123456789.125",
            "12,345,678,901,234,567,890,123,456,789.13",
        ),
    ],
)
def test_money(value, expected):
    assert money(D(value)) == expected


def test_money_int():
    assert money(10) == "10.00"


def test_money_no_grouping():
    assert money(D("17534.51"), grouping=False) == "17534.51"
    assert money(D("-8159635.294"), grouping=False) == "-8159635.29"


def test_money_places():
    assert money(D("1234.5"), places=0) == "1,235"
    assert money(D("1234.5678"), places=4) == "1,234.5678"
    assert money(D("1234.5"), places=3) == "1,234.500"


def test_money_truncate():
    assert money(D("2.679"), rounding="truncate") == "2.67"
    assert money(D("-1234.569"), rounding="truncate") == "-1,234.56"


def test_money_differs_from_babel_half_even():
    # Babel alone rounds half-even; our output must be half-up.
    assert format_decimal(D("0.125"), format="#,##0.00", locale="zh_CN") == "0.12"
    assert format_decimal(D("2.665"), format="#,##0.00", locale="zh_CN") == "2.66"
    assert money(D("0.125")) == "0.13"
    assert money(D("2.665")) == "2.67"


def test_money_errors():
    with pytest.raises(ValueError):
        money(D("NaN"))
    with pytest.raises(ValueError):
        money(D("1"), rounding="nearest")


@settings(database=None)  # keep no .hypothesis/ directory in the repo
@given(st.decimals(min_value=D("-1e15"), max_value=D("1e15"), allow_nan=False, places=4))
def test_money_matches_python_fixed_format(value):
    expected = format(quantize(value), ",.2f")
    assert money(value) == expected
    assert money(value, grouping=False) == expected.replace(",", "")


# ---------------------------------------------------------------------------
# percent
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ratio, expected",
    [
        ("0.997947", "99.79%"),
        ("1", "100.00%"),
        ("0.00925", "0.93%"),
        ("-0.1234", "-12.34%"),
        ("0", "0.00%"),
        ("-0.00001", "0.00%"),
        ("12.3456", "1234.56%"),
        ("0.999951", "100.00%"),
        ("0.5", "50.00%"),
    ],
)
def test_percent(ratio, expected):
    assert percent(D(ratio)) == expected


def test_percent_half_up_vs_truncate():
    ratio = D("343.82") / D("384.29")  # 0.894688...
    assert str(ratio).startswith("0.894688")
    assert percent(ratio) == "89.47%"
    assert percent(ratio, rounding="truncate") == "89.46%"
    assert percent(D("-0.12345"), rounding="truncate") == "-12.34%"


def test_percent_half_up_where_babel_would_round_half_even():
    # 0.00925 -> 0.925 % : half-even would give 0.92 %
    assert percent(D("0.00925")) == "0.93%"
    assert percent(D("0.00125")) == "0.13%"


def test_percent_places():
    assert percent(D("0.995"), places=0) == "100%"
    assert percent(D("0.994"), places=0) == "99%"
    assert percent(D("0.12345"), places=1) == "12.3%"
    assert percent(D("0.12355"), places=1) == "12.4%"


def test_percent_int():
    assert percent(1) == "100.00%"


def test_percent_none_is_zero_division():
    assert percent(None) == "0"
    assert percent(None, zero_division="—") == "—"
    assert percent(None, zero_division="") == ""


def test_percent_zero_division_must_be_str():
    with pytest.raises(TypeError):
        percent(None, zero_division=0)


def test_percent_errors():
    with pytest.raises(ValueError):
        percent(D("Infinity"))
    with pytest.raises(ValueError):
        percent(D("0.5"), rounding="up")


def test_percent_many_digits_no_double_rounding():
    # 30 significant digits: multiplying by 100 must stay exact.
    ratio = D("0.123449999999999999999999999999")
    assert percent(ratio) == "12.34%"
    assert percent(D("0.123450000000000000000000000001")) == "12.35%"


# ---------------------------------------------------------------------------
# points
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1.23", "1.23个百分点"),
        ("-1.23", "-1.23个百分点"),
        ("1.235", "1.24个百分点"),
        ("-1.235", "-1.24个百分点"),
        ("0", "0.00个百分点"),
        ("12", "12.00个百分点"),
        ("-0.001", "0.00个百分点"),
    ],
)
def test_points(value, expected):
    assert points(D(value)) == expected


def test_points_places_and_truncate():
    assert points(D("1.25"), places=1) == "1.3个百分点"
    assert points(D("1.239"), rounding="truncate") == "1.23个百分点"


# ---------------------------------------------------------------------------
# score and plain
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("95.5", "95.5"),
        ("50", "50"),
        ("45.50", "45.5"),
        ("44.98", "44.98"),
        ("0", "0"),
        ("0.000", "0"),
        ("1E+2", "100"),
        ("44.985", "44.99"),
        ("44.984", "44.98"),
        ("99.999", "100"),
        ("95.00", "95"),
        ("-2.50", "-2.5"),
        ("-0.001", "0"),
    ],
)
def test_score(value, expected):
    assert score(D(value)) == expected


def test_score_places():
    assert score(D("95.55"), places=1) == "95.6"
    assert score(D("95.44"), places=0) == "95"
    assert score(D("95.5"), places=0) == "96"


def test_score_int():
    assert score(100) == "100"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1E+1", "10"),
        ("109.60", "109.6"),
        ("0.00", "0"),
        ("-0.0", "0"),
        ("-0", "0"),
        ("100", "100"),
        ("1.23E-5", "0.0000123"),
        ("-1.50", "-1.5"),
        ("17534.51", "17534.51"),
        ("1.2345678901234567890123456789012", "1.2345678901234567890123456789012"),
    ],
)
def test_plain(value, expected):
    assert plain(D(value)) == expected


# ---------------------------------------------------------------------------
# rmb_upper
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, expected",
    [
        # PBOC examples
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        # whole yuan
        ("10", "壹拾元整"),
        ("15", "壹拾伍元整"),
        ("100", "壹佰元整"),
        ("1000000", "壹佰万元整"),
        ("100000000", "壹亿元整"),
        ("100000", "壹拾万元整"),
        ("1010", "壹仟零壹拾元整"),
        ("10010", "壹万零壹拾元整"),
        ("100100", "壹拾万零壹佰元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("1001000", "壹佰万壹仟元整"),
        ("1000001", "壹佰万零壹元整"),
        ("20000", "贰万元整"),
        ("1.00", "壹元整"),
        # zero runs between groups
        ("100000001", "壹亿零壹元整"),
        ("1000010000", "壹拾亿零壹万元整"),
        ("1000000000000", "壹万亿元整"),
        ("10000000000000", "壹拾万亿元整"),
        ("1000100000000", "壹万零壹亿元整"),
        ("1000000010000", "壹万亿零壹万元整"),
        ("1000000000001", "壹万亿零壹元整"),
        ("1234500000000", "壹万贰仟叁佰肆拾伍亿元整"),
        # large
        (
            "123456789012.34",
            "壹仟贰佰叁拾肆亿伍仟陆佰柒拾捌万玖仟零壹拾贰元叁角肆分",
        ),
        (
            "9999999999999999.99",
            "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        ),
        ("8159635.29", "捌佰壹拾伍万玖仟陆佰叁拾伍元贰角玖分"),
        # fractions
        ("10.50", "壹拾元零伍角"),
        ("1.05", "壹元零伍分"),
        ("1.50", "壹元伍角"),
        ("1680.02", "壹仟陆佰捌拾元零贰分"),
        # less than one yuan
        ("0.5", "伍角"),
        ("0.05", "伍分"),
        ("0.55", "伍角伍分"),
        # zero and rounding to 分
        ("0", "零元整"),
        ("0.00", "零元整"),
        ("0.004", "零元整"),
        ("-0.004", "零元整"),
        ("0.005", "壹分"),
        ("1409.495", "壹仟肆佰零玖元伍角"),
        ("99.995", "壹佰元整"),
        # negatives
        ("-1680.32", "负壹仟陆佰捌拾元零叁角贰分"),
        ("-10", "负壹拾元整"),
        ("-0.05", "负伍分"),
    ],
)
def test_rmb_upper(amount, expected):
    assert rmb_upper(D(amount)) == expected


@pytest.mark.parametrize(
    "amount, expected",
    [
        ("1409.50", "壹仟肆佰零玖元伍角整"),
        ("1680.30", "壹仟陆佰捌拾元零叁角整"),
        ("0.5", "伍角整"),
        # no effect when 分 is present or the amount is whole yuan
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("10", "壹拾元整"),
    ],
)
def test_rmb_upper_zheng_after_jiao(amount, expected):
    assert rmb_upper(D(amount), zheng_after_jiao=True) == expected


def test_rmb_upper_int():
    assert rmb_upper(100) == "壹佰元整"


@pytest.mark.parametrize(
    "amount",
    ["10000000000000000", "-10000000000000000", "9999999999999999.995", "1E+20"],
)
def test_rmb_upper_too_large(amount):
    with pytest.raises(ValueError):
        rmb_upper(D(amount))


def test_rmb_upper_non_finite():
    with pytest.raises(ValueError):
        rmb_upper(D("NaN"))


_UPPER_VALUES = {ch: i for i, ch in enumerate("零壹贰叁肆伍陆柒捌玖")}
_UPPER_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _parse_upper(text: str) -> int:
    """Parse a 大写金额 back into 分 (test helper, independent of the module)."""
    sign = 1
    if text.startswith("负"):
        sign, text = -1, text[1:]
    text = text.removesuffix("整")
    integer_text, _, fraction_text = text.rpartition("元")
    total = section = number = 0
    for ch in integer_text:
        if ch in _UPPER_VALUES:
            number = _UPPER_VALUES[ch]
        elif ch in _UPPER_UNITS:
            section += number * _UPPER_UNITS[ch]
            number = 0
        elif ch == "万":
            section = (section + number) * 10_000
            number = 0
        elif ch == "亿":
            total = (total + section + number) * 100_000_000
            section = number = 0
        else:
            raise AssertionError(f"unexpected {ch!r} in {text!r}")
    yuan = total + section + number
    cents = 0
    pending = 0
    for ch in fraction_text:
        if ch in _UPPER_VALUES:
            pending = _UPPER_VALUES[ch]
        elif ch == "角":
            cents += pending * 10
        elif ch == "分":
            cents += pending
        else:
            raise AssertionError(f"unexpected {ch!r} in {text!r}")
    return sign * (yuan * 100 + cents)


@settings(database=None)
@given(st.integers(min_value=-(10**18) + 1, max_value=10**18 - 1))
def test_rmb_upper_round_trip(cents):
    text = rmb_upper(D(cents).scaleb(-2))
    assert _parse_upper(text) == cents
    assert "零零" not in text
    assert "零元" not in text or text == "零元整"
    assert "零万" not in text and "零亿" not in text
    assert not text.endswith("零")
    assert text.endswith(("整", "角", "分"))


# ---------------------------------------------------------------------------
# cn_number, cn_ordinal, enumerate_cn
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, expected",
    [
        (0, "零"),
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (23, "二十三"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (10000, "一万"),
        (10001, "一万零一"),
        (10010, "一万零一十"),
        (100000, "十万"),
        (150000, "十五万"),
        (100001, "十万零一"),
        (1001000, "一百万一千"),
        (99999999, "九千九百九十九万九千九百九十九"),
    ],
)
def test_cn_number(n, expected):
    assert cn_number(n) == expected


def test_cn_number_errors():
    with pytest.raises(ValueError):
        cn_number(-1)
    with pytest.raises(ValueError):
        cn_number(100_000_000)
    with pytest.raises(TypeError):
        cn_number(1.0)
    with pytest.raises(TypeError):
        cn_number("1")


def test_cn_ordinal():
    assert cn_ordinal(1) == "第一"
    assert cn_ordinal(12) == "第十二"
    assert cn_ordinal(20) == "第二十"
    with pytest.raises(ValueError):
        cn_ordinal(0)


def test_enumerate_cn():
    assert enumerate_cn(1) == "一是"
    assert enumerate_cn(2) == "二是"
    assert enumerate_cn(10) == "十是"
    assert enumerate_cn(11) == "十一是"
    with pytest.raises(ValueError):
        enumerate_cn(0)


# ---------------------------------------------------------------------------
# cn_date
# ---------------------------------------------------------------------------


def test_cn_date():
    assert cn_date(datetime.date(2023, 12, 31)) == "2023年12月31日"
    assert cn_date(datetime.date(2022, 5, 18)) == "2022年5月18日"
    assert cn_date(datetime.date(2024, 1, 1)) == "2024年1月1日"
    assert cn_date(datetime.datetime(2022, 5, 8, 13, 45)) == "2022年5月8日"


def test_cn_date_rejects_strings():
    with pytest.raises(TypeError):
        cn_date("2022-05-18")


# ---------------------------------------------------------------------------
# Numbering
# ---------------------------------------------------------------------------


def test_numbering_default_sequence():
    num = Numbering()
    assert num.h1() == "一、"
    assert num.h2() == "（一）"
    assert num.h3() == "1."
    assert num.h4() == "（1）"
    assert num.h4() == "（2）"
    assert num.h3() == "2."
    assert num.h4() == "（1）"  # reset by h3
    assert num.h2() == "（二）"
    assert num.h3() == "1."  # reset by h2
    assert num.h1() == "二、"
    assert num.h2() == "（一）"  # reset by h1
    assert num.h1() == "三、"


def test_numbering_many_sections():
    num = Numbering()
    prefixes = [num.h1() for _ in range(12)]
    assert prefixes[9] == "十、"
    assert prefixes[10] == "十一、"
    assert prefixes[11] == "十二、"


def test_numbering_renumbers_when_a_section_is_removed():
    def render(sections):
        num = Numbering()
        out = []
        for title, subs in sections:
            out.append(num.h1() + title)
            out.extend(num.h2() + sub for sub in subs)
        return out

    full = [("基本情况", ["a", "b", "c", "d"]), ("绩效分析", ["e"])]
    assert render(full) == [
        "一、基本情况",
        "（一）a",
        "（二）b",
        "（三）c",
        "（四）d",
        "二、绩效分析",
        "（一）e",
    ]
    without_c = [("基本情况", ["a", "b", "d"]), ("绩效分析", ["e"])]
    assert render(without_c)[1:4] == ["（一）a", "（二）b", "（三）d"]
    without_first = [("绩效分析", ["e"])]
    assert render(without_first) == ["一、绩效分析", "（一）e"]


def test_numbering_level_and_reset():
    num = Numbering()
    assert num.level(1) == "一、"
    assert num.level(2) == "（一）"
    assert num.level(2) == "（二）"
    num.reset()
    assert num.level(1) == "一、"
    assert num.level(3) == "1."
    assert num.depth == 4


def test_numbering_custom_styles():
    num = Numbering(styles=("{n}、", "{cn}是", "{n}）", "第{cn}条（{n}）", "({n:02d})"))
    assert num.h1() == "1、"
    assert num.h2() == "一是"
    assert num.h3() == "1）"
    assert num.h4() == "第一条（1）"
    assert num.level(5) == "(01)"
    assert num.h1() == "2、"


@pytest.mark.parametrize("style", ["abc", "{x}", "{cn", "{0}", "{}", "{n}{x}", "{cn:d}", "{n.real}"])
def test_numbering_invalid_style(style):
    with pytest.raises(ValueError):
        Numbering(styles=("{cn}、", style))


def test_numbering_invalid_level():
    num = Numbering(styles=("{cn}、", "（{cn}）", "{n}."))
    with pytest.raises(ValueError):
        num.h4()
    with pytest.raises(ValueError):
        num.level(0)
    with pytest.raises(ValueError):
        Numbering(styles=())
    with pytest.raises(TypeError):
        Numbering(styles="{cn}、")


# ---------------------------------------------------------------------------
# FILTERS
# ---------------------------------------------------------------------------


def test_filters_mapping():
    assert {
        "money": money,
        "percent": percent,
        "points": points,
        "score": score,
        "plain": plain,
        "rmb_upper": rmb_upper,
        "cn_number": cn_number,
        "cn_ordinal": cn_ordinal,
        "cn_date": cn_date,
    } == FILTERS


def test_filters_in_jinja():
    jinja2 = pytest.importorskip("jinja2")
    env = jinja2.Environment()
    env.filters.update(FILTERS)
    template = env.from_string(
        "{{ a|money }} {{ r|percent }} {{ none|percent(zero_division='—') }} "
        "{{ s|score }} {{ a|rmb_upper }} {{ 3|cn_ordinal }} {{ d|cn_date }}"
    )
    text = template.render(
        a=D("1680.32"),
        r=D("0.997947"),
        none=None,
        s=D("95.50"),
        d=datetime.date(2022, 5, 18),
    )
    assert text == ("1,680.32 99.79% — 95.5 壹仟陆佰捌拾元零叁角贰分 第三 2022年5月18日")

"""Figure paths, printed values, and the comparison at the printed precision."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator import pipeline
from generator.audit import OK, ROUNDING, WRONG, compare
from generator.formats import FormatSettings
from generator.reported import (
    COUNT,
    MONEY,
    PERCENT,
    SCORE,
    WORD,
    Figure,
    FigureError,
    cn_to_int,
    parse_printed,
    resolve,
)

from .conftest import ROOT

HALF_UP = FormatSettings(name="t")
TRUNCATE = FormatSettings(name="t", rounding="truncate")


@pytest.fixture(scope="module")
def figures():
    return pipeline.check(pipeline.Project(ROOT), "guangzhou", 2023)


@pytest.mark.parametrize(
    "path, kind, value",
    [
        ("spending.total.initial", MONEY, D("17534.51")),
        ("spending.total.adjustment", MONEY, D("163.19")),
        ("spending.本年支出合计.adjustment", MONEY, D("163.19")),
        ("spending.人员经费.adjusted", MONEY, D("4143.00")),
        ("spending.基本建设类项目.execution_rate", PERCENT, None),
        ("scores.total.score", SCORE, D("95.5")),
        ("scores.management.rate", PERCENT, D("0.91")),
        ("scores.performance.weight_percent", SCORE, D("50")),
        ("scores.output.indicator_count", COUNT, 6),
        ("scores.grade", WORD, "优"),
        ("monthly.n", COUNT, 10),
        ("monthly.average", PERCENT, D("0.99263")),
        ("staffing.authorized", COUNT, 118),
        ("indicator_count", COUNT, 10),
    ],
)
def test_resolve(figures, path, kind, value):
    fig = resolve(figures, path)
    assert (fig.kind, fig.value) == (kind, value)


@pytest.mark.parametrize(
    "path, message",
    [
        ("budget.total.initial", "没有这个数字“budget.total.initial”（应以 spending、scores、monthly、staffing、indicator_count 开头）"),
        ("spending.公用经费.actual", "支出表没有“公用经费”这一行（可用：total、基本支出、人员经费、日常公用经费、项目支出、基本建设类项目、行政事业类项目）"),
        ("spending.total.rate", "支出表的行没有“rate”这个数字（可用：initial、adjusted、actual、adjustment、adjustment_rate、execution_rate、difference_rate）"),
        ("scores.nothing.score", "评分中没有 key 为“nothing”的指标（可用：total、performance、output、benefit、execution、management）"),
        ("monthly.max", "每月执行率没有“max”这个数字（可用：average、n）"),
    ],
)
def test_unknown_paths_say_what_there_is(figures, path, message):
    with pytest.raises(FigureError) as info:
        resolve(figures, path)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "kind, text, value, places",
    [
        (PERCENT, "11.51%", D("11.51"), 2),
        (PERCENT, "100%", D("100"), 0),
        (PERCENT, "99. 99%", D("99.99"), 2),  # a space left by text extraction
        (PERCENT, "９９.７９％", D("99.79"), 2),  # full-width
        (PERCENT, "0", D("0"), 0),
        (MONEY, "17,534.51", D("17534.51"), 2),
        (MONEY, "17534.51万元", D("17534.51"), 2),
        (MONEY, "-1,234.5", D("-1234.5"), 1),
        (SCORE, "45.5", D("45.5"), 1),
        (SCORE, "45.5分", D("45.5"), 1),
        (COUNT, "10", D("10"), 0),
        (COUNT, "四", D("4"), 0),
        (COUNT, "二十三个", D("23"), 0),
    ],
)
def test_parse_printed(kind, text, value, places):
    printed = parse_printed(kind, text, "万元")
    assert (printed.value, printed.places) == (value, places)


def test_parse_words_dashes_and_grouping():
    assert parse_printed(WORD, "“优”").word == "优"
    assert parse_printed(PERCENT, "—").dash
    assert parse_printed(MONEY, "1,234.00").grouped
    assert parse_printed(MONEY, "1234.00万元").unit == "万元"


@pytest.mark.parametrize(
    "kind, text, message",
    [
        (PERCENT, "11.51", "“11.51”不是百分比（应带 %）"),
        (MONEY, "12.3元", "“12.3元”的单位是元，格式规定为万元"),
        (MONEY, "12,34.5", "“12,34.5”不是金额"),
        (COUNT, "4.0", "“4.0”不是整数"),
        (SCORE, "四十五", "“四十五”不是分数"),
    ],
)
def test_parse_refusals(kind, text, message):
    with pytest.raises(ValueError) as info:
        parse_printed(kind, text, "万元")
    assert str(info.value) == message


@pytest.mark.parametrize(
    "text, n", [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("一百零五", 105), ("一千二百三十四", 1234), ("一万二千", 12000)]
)
def test_cn_to_int(text, n):
    assert cn_to_int(text) == n


def check(kind, value, text, settings=HALF_UP, alternatives=()):
    return compare(Figure("x", kind, value, alternatives), parse_printed(kind, text), settings)


def test_compare_at_the_printed_precision():
    # 0.999974 → half-up 100.00%, truncated 99.99%
    assert check(PERCENT, D("0.999974"), "100.00%")[0] == OK
    assert check(PERCENT, D("0.999974"), "100%")[0] == OK
    status, expected, note = check(PERCENT, D("0.999974"), "99.99%")
    assert (status, expected) == (ROUNDING, "100.00%")
    assert note.startswith("报告按截尾取数，格式规定四舍五入")
    assert check(PERCENT, D("0.999974"), "99.98%")[:2] == (WRONG, "100.00%")
    # a format that truncates: a half-up print is the rounding difference
    assert check(PERCENT, D("0.999974"), "99.99%", TRUNCATE)[0] == OK
    assert check(PERCENT, D("0.999974"), "100.00%", TRUNCATE)[:2] == (ROUNDING, "99.99%")


def test_compare_money_keeps_the_printed_style():
    assert check(MONEY, D("17534.51"), "17,534.51")[:2] == (OK, "17,534.51")
    assert check(MONEY, D("17534.51"), "17534.5万元")[:2] == (OK, "17534.5万元")
    assert check(MONEY, D("17534.51"), "17543.51")[:2] == (WRONG, "17534.51")


def test_compare_scores_drop_trailing_zeros_without_claiming_precision():
    assert check(SCORE, D("45.5"), "45.50")[0] == OK
    assert check(SCORE, D("50"), "50")[0] == OK
    # 46 printed for 45.5 is not a rounding: scores print every decimal they have
    assert check(SCORE, D("45.5"), "46")[:2] == (WRONG, "45.5")
    assert check(SCORE, D("44.98"), "46.98")[:2] == (WRONG, "44.98")


def test_compare_division_by_zero_counts_and_words():
    assert check(PERCENT, None, "0")[0] == OK
    assert check(PERCENT, None, "—")[0] == OK
    assert check(PERCENT, None, "12.00%")[:3] == (WRONG, "0", "（分母为 0，无法计算）")
    assert check(COUNT, 10, "十")[0] == OK
    assert check(COUNT, 10, "12")[:2] == (WRONG, "10")
    assert check(WORD, "优", "优")[0] == OK
    assert check(WORD, "良", "优")[:2] == (WRONG, "良")


def test_compare_names_a_known_misreading():
    status, expected, note = check(PERCENT, D("0.99263"), "107.06%", alternatives=(("不封顶的平均数", D("1.07061")),))
    assert (status, expected, note) == (WRONG, "99.26%", "（报告数等于不封顶的平均数）")

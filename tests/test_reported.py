"""Figure paths, printed values, and the comparison at the printed precision."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator import engine_reported, pipeline
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
)

from .conftest import ROOT

HALF_UP = FormatSettings(name="t")
TRUNCATE = FormatSettings(name="t", rounding="truncate")


@pytest.fixture(scope="module")
def figures():
    """广州 2023's figures by the names ``reported:`` uses (its format is declared: engine_reported)."""
    return engine_reported.resolver(pipeline.load_declared(pipeline.Project(ROOT), "guangzhou", 2023).names)


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
    fig = figures(path)
    assert (fig.kind, fig.value) == (kind, value)


@pytest.mark.parametrize(
    "path, message",
    [
        (
            "budget.total.initial",
            "没有这个数字“budget.total.initial”（应以 staffing、spending、monthly_execution、key_task_count、scoring、"
            "total_score、indicator_count、grade、monthly_n、monthly_average、monthly_average_uncapped、control_rate、"
            "scores、monthly 开头）",
        ),
        (
            "spending.公用经费.actual",
            "没有这个数字“spending.公用经费.actual”（spending. 之后可用：基本支出、项目支出、本年支出合计、人员经费、"
            "日常公用经费、基本建设类项目、行政事业类项目、total）",
        ),
        (
            "spending.total.rate",
            "没有这个数字“spending.total.rate”（spending.total. 之后可用：initial、adjusted、actual、adjustment、"
            "adjustment_rate、execution_rate）",
        ),
        (
            "scores.output.产出指标.indicator_count",
            "没有这个数字“scores.output.产出指标.indicator_count”（scores.output. 之后可用：weight、score、"
            "indicator_count、rate、weight_percent、grade）",
        ),
        ("monthly.max", "没有这个数字“monthly.max”（monthly. 之后可用：n、average、average_uncapped）"),
    ],
)
def test_unknown_paths_say_what_there_is(figures, path, message):
    with pytest.raises(FigureError) as info:
        figures(path)
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
    "text, n",
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("一百零五", 105),
        ("一千二百三十四", 1234),
        ("一万二千", 12000),
    ],
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


# --- path kinds added for the other four seeds --------------------------------------


@pytest.mark.parametrize(
    "dept, year, path, kind, value",
    [
        # 广州 2022: indicators by category, the weight every indicator has, a key task
        ("guangzhou", 2022, "scores.output.产出数量指标.indicator_count", COUNT, 7),
        ("guangzhou", 2022, "scores.benefit.社会效益指标.indicator_count", COUNT, 2),
        ("guangzhou", 2022, "scores.benefit.社会效益指标.weight", SCORE, D("10")),
        ("guangzhou", 2022, "scores.output.child_weight", SCORE, D("2.5")),
        ("guangzhou", 2022, "key_tasks.网络信息内容生态治理.budget", MONEY, D("2275.13")),
        ("guangzhou", 2022, "key_tasks.网络信息内容生态治理.indicator_count", COUNT, 5),
        ("guangzhou", 2022, "key_tasks.网络信息内容生态治理.效益指标.indicator_count", COUNT, 2),
    ],
)
def test_resolve_new_kinds(dept, year, path, kind, value):
    names = pipeline.load_declared(pipeline.Project(ROOT), dept, year).names
    fig = engine_reported.resolver(names)(path)
    assert (fig.kind, fig.value) == (kind, value)


def beita():
    """北塔 2020's figures by the names ``reported:`` uses (its format is declared: engine_reported)."""
    return engine_reported.resolver(pipeline.load_declared(pipeline.Project(ROOT), "beita", 2020).names)


@pytest.mark.parametrize(
    "path, kind, value",
    [
        # 北塔 2020: 预决算 figures (the old names, aliases:), income rows, economic classes, named amounts,
        # headcount
        ("final.income.initial", MONEY, D("80.6")),
        ("final_accounts.income.财政拨款.actual", MONEY, D("91.51")),
        ("final.spending.actual", MONEY, D("98.20")),
        ("final.carry_over.initial", MONEY, D("0")),
        ("final_accounts.income.年初结转和结余.difference_rate", PERCENT, None),
        ("final.classes.goods.basic", MONEY, D("46.94")),
        ("final.classes.工资福利支出.basic", MONEY, D("45.77")),
        ("final.classes.total.project", MONEY, D("0")),
        ("by_class.total.basic", MONEY, D("98.20")),
        ("running.total.share", PERCENT, D("1")),
        ("three_public.total.amount", MONEY, D("0.13")),
        ("three_public.公务接待费.change", MONEY, D("0.13")),
        ("three_public.total.change", MONEY, None),  # only one item states last year
        ("initial_projects.total.amount", MONEY, D("40")),
        ("people.total", COUNT, 6),
    ],
)
def test_resolve_beita(path, kind, value):
    fig = beita()(path)
    assert (fig.kind, fig.value) == (kind, value)


def test_a_share_carries_the_adjusted_column():
    resolve_ = beita()
    # 工会经费 2.72 ÷ 46.94 = 5.7946% → 5.79% half-up; the column sums to 99.99%, so the largest
    # remainder (0.0046) gets the missing unit: 5.80%
    fig = resolve_("running.工会经费.share")
    assert round(fig.value, 6) == D("0.057946")
    assert dict(fig.adjusted) == {"half_up": D("0.0580"), "truncate": D("0.0580")}
    # 基本支出 98.2 of 支出小计 98.2: 100%, 项目支出 0%
    assert resolve_("final.basic.share").value == 1
    assert resolve_("final.project.share").value == 0


def test_share_comparison_uses_the_adjusted_value():
    exact = D("0.0579463")
    fig = Figure("x", PERCENT, exact, adjusted=(("half_up", D("0.0580")), ("truncate", D("0.0580"))))
    sum_exact = FormatSettings(name="t", share_sum_exact=True)
    assert compare(fig, parse_printed(PERCENT, "5.80%"), sum_exact)[:2] == (OK, "5.80%")
    assert compare(fig, parse_printed(PERCENT, "5.8%"), sum_exact)[0] == OK
    status, expected, note = compare(fig, parse_printed(PERCENT, "5.79%"), sum_exact)
    assert (status, expected) == (ROUNDING, "5.80%") and note.startswith("报告未按最大余数法调整末位")
    assert compare(fig, parse_printed(PERCENT, "5.81%"), sum_exact)[0] == WRONG
    # a format that does not adjust compares with the share itself
    assert compare(fig, parse_printed(PERCENT, "5.79%"), FormatSettings(name="t", share_sum_exact=False))[0] == OK


@pytest.mark.parametrize(
    "path, message",
    [
        (
            "final.总计.actual",
            "final. 之后可用：income、personnel、running、project、classes、project_carry_over、basic、spending、carry_over",
        ),
        ("final.income.rate", "final.income. 之后可用：actual、initial、difference_rate"),
        ("final.carry_over.share", "final.carry_over. 之后可用：initial、actual、difference_rate"),
        (
            "final.classes.fuel.basic",
            "final.classes. 之后可用：工资福利支出、wages、商品和服务支出、goods、对个人和家庭的补助、transfers、"
            "资本性支出、capital、合计、total",
        ),
        ("people.staff", "people. 之后可用：authorized、in_post、retired、survivors、cars、total"),
    ],
)
def test_new_kinds_say_what_there_is(path, message):
    with pytest.raises(FigureError) as info:
        beita()(path)
    assert str(info.value) == f"没有这个数字“{path}”（{message}）"


def test_parse_changes_and_the_short_unit():
    assert parse_printed(MONEY, "增加0.13万元", "万元").value == D("0.13")
    assert parse_printed(MONEY, "减少0.13万元", "万元").value == D("-0.13")
    assert (parse_printed(MONEY, "持平").value, parse_printed(MONEY, "持平").change) == (D("0"), "持平")
    assert parse_printed(MONEY, "40万", "万元").unit == "万"
    with pytest.raises(ValueError):
        parse_printed(MONEY, "40万", "元")
    assert parse_printed(COUNT, "0台").value == 0
    # the expected value is written the way the printed one was
    fig = Figure("x", MONEY, D("-0.1"))
    assert compare(fig, parse_printed(MONEY, "增加0.13万元"), HALF_UP)[:2] == (WRONG, "减少0.10万元")


def test_a_count_names_a_known_misreading():
    fig = Figure("x", COUNT, 8, (("年初安排的项目个数", 7),))
    assert check(COUNT, 8, "8个")[0] == OK
    assert compare(fig, parse_printed(COUNT, "7个"), HALF_UP) == (WRONG, "8", "（报告数等于年初安排的项目个数）")

"""A report's figures as diff pairs them: named by path and meaning (engine_flat.as_flats)."""

from __future__ import annotations

from decimal import Decimal as D

from generator import pipeline
from generator.engine_flat import as_flats
from generator.flat import AMOUNT, COMPUTED, COUNT, INPUT, PERCENT, RATE, SCORE, normalise_name

from .conftest import ROOT


def flat_2023():
    """广州 2023 (format guangzhou-2024, declared): its figures as diff lists them (engine_flat)."""
    declared = pipeline.load_declared(pipeline.Project(ROOT), "guangzhou", 2023)
    return declared, {f.id: f for f in as_flats(declared.flat)}


def flat_2022():
    """广州 2022 (format guangzhou-2023, declared): its figures as diff lists them (engine_flat)."""
    declared = pipeline.load_declared(pipeline.Project(ROOT), "guangzhou", 2022)
    return declared, {f.id: f for f in as_flats(declared.flat)}


def test_inputs_and_computed_figures_are_named_by_path():
    _, flats = flat_2023()
    leaf = flats["spending/基本支出/人员经费/initial"]
    assert (leaf.value, leaf.kind, leaf.source) == (D("4118.22"), AMOUNT, INPUT)
    assert leaf.label == "支出表 › 基本支出 › 人员经费 › 年初预算"
    parent = flats["spending/基本支出/adjusted"]  # 4143.00 + 399.55
    assert (parent.value, parent.source) == (D("4542.55"), COMPUTED)
    assert flats["spending/本年支出合计/execution_rate"].kind == RATE
    # months by name (the 通报 starts in March), listed in % as typed
    assert flats["monthly_execution/3月"].kind == PERCENT
    assert flats["monthly_execution/3月"].label == "每月执行率 › 3月"
    assert flats["monthly_execution/12月"].value == D("99.79")
    assert flats["monthly_execution/from"].label == "每月执行率 › 起始月份"
    # (6×100 + 97.71 + 97.69 + 97.44 + 99.79) ÷ 10 = 99.263%
    assert flats["monthly_average"].value == D("0.99263")
    assert flats["scoring/管理效能/score"].kind == SCORE
    assert flats["scoring/管理效能/score"].alias == ("scoring", "management", "score")
    assert flats["staffing/actual"].label == "人员情况 › 实有在编人数"
    assert flats["key_task_count"].kind == COUNT
    assert flats["grade"].value == "优"
    assert not any(f.startswith(("text", "department", "year", "format")) for f in flats)


def test_the_two_editions_name_their_figures_alike():
    """广州 2022 (the 2023 edition) and 2023 (the 2024 edition) are both declared: diff pairs their figures by id."""
    _, flats = flat_2023()
    _, earlier = flat_2022()
    for name in ("monthly_average", "monthly_n", "grade", "indicator_count", "scoring/管理效能/score"):
        assert name in flats and name in earlier, name
    assert (earlier["monthly_average"].value, flats["monthly_average"].value) == (D("0.9962"), D("0.99263"))


def test_names_compare_without_numbering_or_spacing():
    assert normalise_name("一、基本支出") == normalise_name("基本支出") == normalise_name(" 基本 支出")
    assert normalise_name("（二）项目支出") == "项目支出"


def test_an_unnamed_level_is_transparent_and_counts_are_computed():
    """2023 groups output/benefit/execution under ``name: ~`` and lists indicators: paths skip that
    level (as a year that does not have it names them), and each block's count is a figure."""
    _, flats = flat_2023()
    output = "scoring/履职效能/部门整体绩效目标产出指标完成情况"
    assert flats[f"{output}/weight"].value == D("20")
    assert flats[f"{output}/weight"].label == "评分 › 履职效能 › 部门整体绩效目标产出指标完成情况 › 分值"
    assert (flats[f"{output}/indicator_count"].value, flats[f"{output}/indicator_count"].kind) == (6, COUNT)
    assert flats["scoring/履职效能/部门整体绩效目标效益指标完成情况/indicator_count"].value == 4
    # the block weight no longer typed: the sum of its parts, 20 + 20 + 10
    assert (flats["scoring/履职效能/weight"].value, flats["scoring/履职效能/weight"].source) == (D("50"), COMPUTED)
    assert flats["scoring/履职效能/weight"].alias == ("scoring", "performance", "weight")
    assert not [f for f in flats if f.startswith("scoring") and "第" in f]
    # no figure without a value but the rates of 基本建设类项目, whose budget is 0 (0 ÷ 0)
    assert sorted(f for f, flat in flats.items() if flat.value is None) == [
        "spending/项目支出/基本建设类项目/adjustment_rate",
        "spending/项目支出/基本建设类项目/execution_rate",
    ]


def test_reported_annexes_and_absent_sections_are_no_figures():
    declared, flats = flat_2023()
    earlier, old = flat_2022()
    for item in (declared, earlier):  # both files have reported:, and 2022's has annexes:
        assert "\nreported:\n" in item.path.read_text(encoding="utf-8")
    assert "\nannexes:\n" in earlier.path.read_text(encoding="utf-8")
    for names in (flats, old):
        assert not [f for f in names if f.startswith(("reported", "annexes"))]
        # the Hunan lists these reports do not have are not figures of 0
        assert not [f for f in names if f.startswith(("initial_projects", "three_public"))]


def test_key_tasks_are_named_and_labelled():
    _, flats = flat_2022()
    task = "key_tasks/网络信息内容生态治理"
    assert (flats[f"{task}/budget"].value, flats[f"{task}/budget"].source) == (D("2275.13"), INPUT)
    assert flats[f"{task}/actual"].label == "重点任务 › 网络信息内容生态治理 › 实际支出"
    assert flats[f"{task}/execution_rate"].label == "重点任务 › 网络信息内容生态治理 › 预算执行率"
    # indicators grouped by category, named by it: 3 产出 and 2 效益 indicators, 5 in all
    assert (flats[f"{task}/产出指标/indicator_count"].value, flats[f"{task}/效益指标/indicator_count"].value) == (3, 2)
    assert flats[f"{task}/效益指标/indicator_count"].label == "重点任务 › 网络信息内容生态治理 › 效益指标 › 指标个数"
    assert (flats[f"{task}/indicator_count"].value, flats[f"{task}/indicator_count"].kind) == (5, COUNT)


def test_indicators_by_category_below_a_score_block():
    _, flats = flat_2022()
    output = "scoring/履职效能/部门整体绩效目标产出指标完成情况"
    assert flats[f"{output}/indicator_count"].value == 8
    assert flats[f"{output}/产出数量指标/indicator_count"].value == 7
    # the 社会效益 indicators' weights and scores summed: 5 + 5
    benefit = "scoring/履职效能/部门整体绩效目标效益指标完成情况/社会效益指标"
    assert (flats[f"{benefit}/weight"].value, flats[f"{benefit}/weight"].kind) == (D("10"), SCORE)
    # an indicator lists nothing below it: no count of its own
    assert f"{output}/舆情日报数量/indicator_count" not in flats
    assert flats[f"{output}/舆情日报数量/weight"].value == D("2.5")

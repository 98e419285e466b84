"""广州 2023 (seed 000): every computed figure against values worked out by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator import pipeline
from generator.extract import tables, text_lines

from .conftest import ROOT


@pytest.fixture(scope="module")
def figures():
    """The report's names as the template sees them (format.yaml declares them)."""
    return pipeline.context(pipeline.Project(ROOT), "guangzhou", 2023)


def test_spending_totals(figures):
    total = figures["spending"]["total"]
    # 4118.22 + 388.67 + 0 + 13027.62
    assert total["initial"] == D("17534.51")
    # 4143.00 + 399.55 + 0 + 13155.15
    assert total["adjusted"] == D("17697.70")
    # 4142.98 + 399.45 + 0 + 13118.93
    assert total["actual"] == D("17661.36")
    assert total["adjustment"] == D("163.19")
    basic = figures["spending"]["row"]["基本支出"]
    assert (basic["initial"], basic["adjusted"], basic["actual"]) == (D("4506.89"), D("4542.55"), D("4542.43"))
    assert basic["adjustment"] == D("35.66")


def test_spending_rates(figures):
    total = figures["spending"]["total"]
    # 163.19 / 17534.51 = 0.0093067…  → 0.93% (the seed printed 11.51%)
    assert round(total["adjustment_rate"], 6) == D("0.009307")
    # 17661.36 / 17697.70 = 0.997946…  → 99.79% (the seed printed 99.83% and 99.97%)
    assert round(total["execution_rate"], 6) == D("0.997947")
    running = figures["spending"]["row"]["日常公用经费"]
    # 10.88 / 388.67 = 0.027993 → half-up 2.80% (the seed truncated to 2.79%)
    assert round(running["adjustment_rate"], 6) == D("0.027993")
    construction = figures["spending"]["row"]["基本建设类项目"]
    assert construction["adjustment_rate"] is None and construction["execution_rate"] is None


def test_scores_and_grade(figures):
    scores = figures["scores"]
    assert scores["total"]["score"] == D("95.5")
    assert scores["total"]["weight"] == D("100")
    assert scores["performance"]["score"] == D("50")
    assert scores["performance"]["rate"] == D("1")
    assert scores["management"]["rate"] == D("0.91")
    assert scores["grade"] == figures["grade"] == "优"
    # 6 产出 + 4 效益 listed; 管理效能 lists none
    assert figures["indicator_count"] == 10
    assert (scores["output"]["indicator_count"], scores["benefit"]["indicator_count"]) == (6, 4)


def test_monthly_average_caps_each_month(figures):
    monthly = figures["monthly"]
    # capped: 6 × 100 + 97.71 + 97.69 + 97.44 + 99.79 = 992.63; ÷ 10 = 99.263%
    assert monthly["average"] == D("0.99263")
    # the seed's printed 107.06% is the uncapped mean: 1070.61 ÷ 10
    assert monthly["average_uncapped"] == D("1.07061")
    assert monthly["n"] == 10


def test_document_tables(built):
    spending, scores, _evaluation = tables(built[("guangzhou", 2023)])
    assert spending[0] == ["按支出性质分类", "年初预算数", "预算调整", "实际支出"]
    assert spending[-1] == ["本年支出合计", "17,534.51", "163.19", "17,697.70", "0.93%", "17,661.36", "99.79%"]
    assert spending[2] == ["一、基本支出", "4,506.89", "35.66", "4,542.55", "0.79%", "4,542.43", "100.00%"]
    # rates over a zero budget are undefined: the format's "—", not 0 beside 0.00
    assert spending[6] == ["基本建设类项目", "0.00", "0.00", "0.00", "—", "0.00", "—"]
    assert scores[1] == ["履职效能评价", "50", "50", "50", "100.00%"]
    assert scores[2] == ["管理效能评价", "50", "50", "45.5", "91.00%"]
    assert scores[3] == ["合计", "100", "100", "95.5", "95.50%"]


def test_document_text(built):
    lines = text_lines(built[("guangzhou", 2023)])
    assert lines[0] == "2023年度中共广州市委网络安全和信息化委员会办公室部门整体支出绩效自评报告"
    headings = [l for l in lines if l[:1] in "一二三四" and l[1:2] == "、" and "|" not in l]
    assert headings == ["一、部门基本情况", "二、绩效自评情况", "三、存在的主要问题", "四、下一步改进措施"]
    # the seed's measures go （一）（二）（三）（五）: generated numbering gives （四）
    after = lines[lines.index("四、下一步改进措施") :]
    subs = [l[:3] for l in after if l.startswith("（")]
    assert subs == ["（一）", "（二）", "（三）", "（四）"]
    assert "截止2023年12月31日，市委网信办编制人数118人，实有在编人数115人。" in lines
    assert any("预算执行率99.79%" in l for l in lines)
    assert "=(100.00%+100.00%+97.71%+100.00%+100.00%+97.69%+100.00%+100.00%+97.44%+99.79%)/10=99.26%" in lines
    assert any("总体综合评分为95.5分" in l and "自评结果为“优”" in l for l in lines)
    assert any("设定重点任务四个，对应绩绩效指标10个" in l for l in lines)


def test_one_input_changes_every_dependent_figure(project):
    from .conftest import edit

    data = project.data_dir / "guangzhou" / "2023.yaml"
    edit(
        data,
        "{name: 人员经费,     initial: 4118.22, adjusted: 4143.00, actual: 4142.98}",
        "{name: 人员经费,     initial: 4118.22, adjusted: 4143.00, actual: 4042.98}",
    )
    out = pipeline.build(project, "guangzhou", 2023)
    spending = tables(out)[0]
    # 人员经费 4042.98 / 4143.00 = 97.586% ; 基本支出 4442.43 / 4542.55 = 97.796%
    assert spending[3] == ["人员经费", "4,118.22", "24.78", "4,143.00", "0.60%", "4,042.98", "97.59%"]
    assert spending[2][-2:] == ["4,442.43", "97.80%"]
    # total 17561.36 / 17697.70 = 99.2296%
    assert spending[-1][-2:] == ["17,561.36", "99.23%"]
    assert any("实际支出17,561.36万元，预算执行率99.23%" in l for l in text_lines(out))


def test_building_twice_gives_identical_bytes(project, tmp_path):
    first = pipeline.build(project, "guangzhou", 2023, tmp_path / "a.docx").read_bytes()
    second = pipeline.build(project, "guangzhou", 2023, tmp_path / "b.docx").read_bytes()
    assert first == second

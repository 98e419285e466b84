"""广州 2022 (seed 001, 广州市财政局 2023 版): computed figures against values worked out by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator import pipeline
from generator.extract import tables, text_lines

from .conftest import ROOT, edit


@pytest.fixture(scope="module")
def figures():
    """The report's names as the template sees them (templates/guangzhou-2023/format.yaml declares them)."""
    return pipeline.context(pipeline.Project(ROOT), "guangzhou", 2022)


@pytest.fixture(scope="module")
def lines(built):
    return text_lines(built[("guangzhou", 2022)])


def test_spending_summary(figures):
    total = figures["spending"]["total"]
    assert (total["initial"], total["adjusted"], total["actual"]) == (D("21015.25"), D("23434.12"), D("23395.51"))
    # 23395.51 / 23434.12 = 0.9983524…  → 99.84% (as printed)
    assert round(total["execution_rate"], 6) == D("0.998352")


def test_indicators_are_listed_and_counted(figures):
    scores = figures["scores"]
    output, benefit = scores["output"], scores["benefit"]
    # 8 产出 indicators: 7 产出数量 + 1 产出质量, each 2.5 points; 8 × 2.5 = 20
    assert output["indicator_count"] == 8
    assert output["产出数量指标"]["indicator_count"] == 7
    assert output["产出质量指标"]["indicator_count"] == 1
    assert [(g["value"], g["indicator_count"]) for g in output["groups"]["category"]] == [
        ("产出数量指标", 7),
        ("产出质量指标", 1),
    ]
    assert output["child_weight"] == D("2.5")
    assert sum(c["weight"] for c in output["children"]) == output["weight"] == D("20")
    assert output["score"] == D("20")
    assert output["children"][2]["name"] == "i公益·i广州”网络公益活动数量"
    # 4 效益 indicators: 2 社会效益 + 1 可持续影响 + 1 满意度, each 5 points; 4 × 5 = 20
    assert benefit["indicator_count"] == 4
    assert [benefit[c]["indicator_count"] for c in ("社会效益指标", "可持续影响指标", "满意度指标")] == [2, 1, 1]
    # the 社会效益 indicators' weights summed: 5 + 5
    assert benefit["社会效益指标"]["weight"] == D("10")
    assert benefit["child_weight"] == D("5")
    assert sum(c["weight"] for c in benefit["children"]) == benefit["weight"] == D("20")
    assert benefit["score"] == D("20")
    # 8 + 4 = 12 indicators in all; 履职效能 counts those below it (支出率 has no category); 管理效能 none
    assert figures["indicator_count"] == 12
    assert scores["performance"]["indicator_count"] == 12
    assert scores["management"]["indicator_count"] is None
    # 履职效能's parts weigh 20, 20 and 10: no common weight
    assert scores["performance"]["child_weight"] is None


def test_scores(figures):
    scores = figures["scores"]
    # 履职效能 = 20 + 20 + 10 = 50, its children's weights 20 + 20 + 10 = 50
    assert scores["performance"]["score"] == D("50")
    assert sum(c["weight"] for c in scores["performance"]["children"]) == D("50")
    # 管理效能: the text's 46.98 (the table printed 44.98); total 50 + 46.98 = 96.98
    assert scores["management"]["score"] == D("46.98")
    assert scores["total"]["score"] == D("96.98")
    assert scores["total"]["weight"] == D("100")
    # 46.98 / 50 = 0.9396 → 93.96% (the table printed 89.96% for 44.98)
    assert scores["management"]["rate"] == D("0.9396")
    assert scores["performance"]["rate"] == D("1")
    assert scores["grade"] == figures["grade"] == "优"


def test_monthly_average_caps_each_month(figures):
    monthly = figures["monthly"]
    # capped: 8 × 100 + 96.39 + 99.81 = 996.20; ÷ 10 = 99.62%
    assert monthly["average"] == D("0.9962")
    # the seed's printed 112.39% is the uncapped mean: 1123.86 ÷ 10 = 112.386%
    assert monthly["average_uncapped"] == D("1.12386")
    assert monthly["n"] == 10
    assert monthly["first_month"] == 3


def test_key_task(figures):
    (task,) = figures["key_tasks"]["rows"]
    assert task["name"] == "网络信息内容生态治理"
    # 2255.79 / 2275.13 = 0.9914993…  → 99.15% (the seed printed 99.01%)
    assert round(task["execution_rate"], 6) == D("0.991499")
    assert [(g["value"], g["indicator_count"]) for g in task["groups"]["category"]] == [
        ("产出指标", 3),
        ("效益指标", 2),
    ]
    assert task["indicator_count"] == 5 and task["效益指标"]["indicator_count"] == 2


def test_score_table(built):
    scores, _evaluation, _indicators = tables(built[("guangzhou", 2022)])  # then the two annexes
    assert scores == [
        ["评价内容", "权重（%）", "分值配置", "实际得分", "得分率"],
        ["履职效能评价", "50", "50", "50", "100.00%"],
        ["管理效能评价", "50", "50", "46.98", "93.96%"],
    ]


def test_headings_in_the_seed_order(lines):
    numbered = [l for l in lines if l[:1] in "一二三四" and l[1:2] == "、"]
    assert numbered == ["一、基本情况", "二、综合评价分析", "三、存在的主要问题", "四、下一步改进措施"]
    start, end = lines.index("二、综合评价分析"), lines.index("三、存在的主要问题")
    section = [l for l in lines[start:end] if l.startswith(("（", "<")) or l[:2] in {f"{n}." for n in range(1, 10)}]
    assert section == [
        "（一）自评结论综述",
        "<一>履职效能",
        "1.部门整体绩效目标产出指标完成情况",
        "2.部门整体绩效目标效益指标完成情况",
        "3.部门预算资金支出率",
        "<二>管理效能",
        "（二）各项工作任务绩效目标完成情况",
        "1.重大主题网络网络宣传",
        "2.市属新媒体和自有网络管理平台扶持",
        "3.网络信息舆论引导暨网络评论队伍建设",
        "4.网络监管与涉穗重大舆情处置",
        "5.网络安全宣教",
        "6.网络安全应急专项",
        "（三）各重点任务项目支出完成情况分析",
        "（四）主要工作成效",
        "1.强化思想政治引领，全力以赴做好迎接服务保障和学习宣传贯彻党的二十大工作",
        "2.激发创新活力，凝心聚力共建向上向善网络文明环境",
        "3.聚焦网络综合治理，多措并举营造良好网络生态",
        "4.筑牢网络安全屏障，积极统筹推进信息化工作",
        "5.全面推进从严治党，持续建设风清气正的政治机关",
    ]
    assert lines[lines.index("一、基本情况") + 1] == "（一）市委网信办主要职责和机构人员情况"
    assert "（二）2022年度总体工作和重点工作任务" in lines
    after = lines[end:]
    assert [l[:3] for l in after if l.startswith("（")] == ["（一）", "（二）", "（三）"] * 2


def test_key_text_lines(lines):
    assert lines[0] == "2022年度中共广州市委网络安全和信息化委员会办公室部门整体支出绩效自评报告"
    assert (
        "2022年度，市委网信办部门整体支出情况如下：年初预算21,015.25万元，调整后预算23,434.12万元，"
        "实际支出23,395.51万元，预算执行率99.84%。" in lines
    )
    assert any("设定重点任务两三个，对应绩绩效指标12个" in l for l in lines)
    assert any("履职效能指标50分，管理效能指标50分" in l and "设产出指标8个，效益指标4个" in l for l in lines)
    assert any(
        "总体综合评分为96.98分，其中：履职效能评价综合自评得分50分，得分率为100.00%；"
        "管理效能评价综合自评得分46.98分，得分率为93.96%；" in l
        for l in lines
    )
    assert any("其中产出数量指标7个，产出质量指标1个" in l and "以上8个指标每个分值2.5分" in l for l in lines)
    assert any("每个指标分值5分，其中社会效益指标2个" in l and "可持续影响指标1个" in l for l in lines)
    assert "=(100.00%+100.00%+100.00%+100.00%+100.00%+100.00%+100.00%+100.00%+96.39%+99.81%)/10=99.62%" in lines
    assert "管理效能23个三级指标分值和计算详见附表。管理效能共计得分46.98分。" in lines
    assert (
        "该项重点任务项目支出情况如下，项目预算2,275.13万元，支出2,255.79万元，预算执行率99.15%。"
        "该重点任务设产出指标三个，效益指标二个，完成情况如下：" in lines
    )
    i = lines.index("产出指标完成情况：")
    assert lines[i : i + 7] == [
        "产出指标完成情况：",
        "重大主题网络宣传推出文章数量，预计1000篇次，实际完成1435篇次；",
        "网络信息内容生态治理基地建设数量，预计4个，实际完成4个；",
        "新媒体合作数量，预计不少于4家，实际合作数量10家。",
        "效益指标完成情况：",
        "新媒体宣传网络阅读量，预计不少于5000万人次，实际完成14.2亿人次；",
        "可持续发展，广州发布预计获得社会奖项2个，实际获得社会奖项4个。",
    ]


def test_removing_an_indicator_updates_counts_and_scores(project):
    data = project.data_dir / "guangzhou" / "2022.yaml"
    edit(
        data,
        "          - {name: 广州发布全年微博推文数量,                  category: 产出数量指标, weight: 2.5, score: 2.5}\n",
        "",
    )
    edit(
        data,
        "      - {category: 效益指标, name: 新媒体宣传网络阅读量,               target: 不少于5000万人次, actual: 14.2亿人次}\n",
        "",
    )
    lines = text_lines(pipeline.build(project, "guangzhou", 2022))
    # 7 产出 indicators now: 6 数量 + 1 质量, score 7 × 2.5 = 17.5; total 17.5 + 20 + 10 + 46.98 = 94.48
    assert any("我办设7个产出指标" in l and "其中产出数量指标6个" in l and "合计得分17.5分" in l for l in lines)
    assert any("对应绩绩效指标11个" in l for l in lines)
    assert any("总体综合评分为94.48分" in l for l in lines)
    assert any("该重点任务设产出指标三个，效益指标一个" in l for l in lines)


def test_unequal_weights_print_a_dash_for_each_weight(project):
    data = project.data_dir / "guangzhou" / "2022.yaml"
    edit(data, "category: 满意度指标,     weight: 5, score: 5}", "category: 满意度指标,     weight: 4, score: 4}")
    lines = text_lines(pipeline.build(project, "guangzhou", 2022))
    assert any("每个指标分值—分" in l for l in lines)

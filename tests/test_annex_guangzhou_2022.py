"""广州 2022 (seed 001): the report ends with 附件1 and 附件2, built from the twelve indicators.

Seed 001 cites “附件1：部门整体支出绩效评价指标体系” and “附表” but prints neither; it names the
twelve 绩效指标 with their 分值 (“以上8个指标每个分值2.5分”, “每个指标分值5分”) and says each
reached its target (得分 = 分值).  It prints no 年度指标值 or 实际完成值, and does not itemize the
23 三级指标 of 管理效能: those cells stay empty.
"""

from __future__ import annotations

from generator.extract import blocks, tables, text_lines

# The names as seed 001 prints them (the missing opening quote of “i公益·i广州” included)
OUTPUT = [
    "舆情日报数量",
    "网络生态治理基地建设数量",
    "i公益·i广州”网络公益活动数量",
    "800兆数字集群共网通信保障项目服务用户数量",
    "广州发布微信号发布文章数量",
    "广州发布全年微博推文数量",
    "年度重大主题网络宣传报道数量",
    "800兆数字集群共网通信保障项目信覆盖率",
]
BENEFIT = [
    "重大主题网络宣传阅读量",
    "网络文明大会视频阅读量",
    "广州发布行业认可情况",
    "800兆数字集群共网通信用户满意度",
]


def test_report_ends_with_annex_1_and_annex_2(built):
    lines = text_lines(built[("guangzhou", 2022)])
    start = lines.index("附件：1. 部门整体支出绩效评价指标体系")
    assert lines[start - 1].startswith("一是从制度上完善细化合同管理要求")  # the last paragraph of the body
    assert lines[start + 1] == "2. 部门整体支出绩效指标完成情况统计表"
    labels = [
        text
        for kind, (style, text) in ((k, v) for k, v in blocks(built[("guangzhou", 2022)]) if k == "p")
        if style == "Annex Label"
    ]
    assert labels == ["附件1", "附件2"]
    first, second = lines.index("附件1"), lines.index("附件2")
    assert start < first < second
    assert lines[first + 1] == "部门整体支出绩效评价指标体系"
    assert lines[second + 1] == "部门整体支出绩效指标完成情况统计表"
    assert lines[-1] == "合计 | 40 | 40"  # nothing after the second annex's table
    # the body's reference names the annex as the annex is named
    assert "（详见附件1：部门整体支出绩效评价指标体系）。" in next(l for l in lines if "总体综合评分" in l)


def test_annex_1_self_evaluation_cells(built):
    _scores, evaluation, _ = tables(built[("guangzhou", 2022)])
    full = "100.00%"
    assert evaluation == [
        ["一级指标", "二级指标", "三级指标", "分值", "得分", "得分率"],
        ["履职效能", "部门整体绩效目标产出指标完成情况", OUTPUT[0], "2.5", "2.5", full],
        *[["", "", name, "2.5", "2.5", full] for name in OUTPUT[1:]],
        ["", "部门整体绩效目标效益指标完成情况", BENEFIT[0], "5", "5", full],
        *[["", "", name, "5", "5", full] for name in BENEFIT[1:]],
        ["", "部门预算资金支出率", "", "10", "10", full],  # 10分, 得分10分
        ["", "小计", "50", "50", full],  # 履职效能 50分, 得分50分
        ["管理效能", "", "", "50", "46.98", "93.96%"],  # the seed's conclusion: 46.98分, 93.96%
        ["合计", "100", "96.98", "96.98%"],  # 总体综合评分 96.98分
    ]


def test_annex_2_indicator_cells(built):
    _scores, _, indicators = tables(built[("guangzhou", 2022)])
    # the seed prints no 年度指标值 or 实际完成值: those two empty columns are not printed
    assert (
        indicators
        == [
            ["指标类型", "绩效指标", "分值", "得分"],
            ["产出指标", OUTPUT[0], "2.5", "2.5"],
            *[["", name, "2.5", "2.5"] for name in OUTPUT[1:]],
            ["", "小计", "20", "20"],  # “合计得分20分”
            ["效益指标", BENEFIT[0], "5", "5"],
            *[["", name, "5", "5"] for name in BENEFIT[1:]],
            ["", "小计", "20", "20"],
            ["合计", "40", "40"],
        ]
    )

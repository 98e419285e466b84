"""`reportgen diff` and `reportgen redline` on the real pair: 广州 2022 → 2023.

The two years are in different format editions (2022: 广州市财政局 2023 版, guangzhou-2023;
2023: 2024 版, guangzhou-2024): other headings and numbering, other sections, spending as one
line in 2022 and by 性质 in 2023, 2022's indicators listed as scored children where 2023 lists
them (unscored) under a level it leaves unnamed; each year's ``reported:`` (the figures its
source printed, misprints included) is not compared.
The figures below were worked by hand from data/guangzhou/2022.yaml and 2023.yaml.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D

import pytest
from docx import Document
from docx.oxml.ns import qn
from markdown_it import MarkdownIt

from generator import diff, diff_output, pipeline, redline
from generator.cli import main

from .conftest import ROOT
from .test_redline import lines_of, resolve


@pytest.fixture(scope="module")
def result():
    return diff.compare(pipeline.Project(ROOT), "guangzhou", 2022, 2023)


def by_id(result, figure_id):
    (found,) = [f for f in result.figures if f.id == figure_id]
    return found


def test_two_format_editions_same_unit(result):
    assert (result.a.format, result.b.format) == ("guangzhou-2023", "guangzhou-2024")
    assert result.a.unit == result.b.unit == "万元"  # amounts are compared


def test_adjusted_budget(result):
    fig = by_id(result, "spending/本年支出合计/adjusted")
    assert (fig.a, fig.b, fig.status) == (D("23434.12"), D("17697.70"), diff.CHANGED)
    # 17697.70 − 23434.12 = −5736.42; −5736.42 ÷ 23434.12 = −0.244789… → −24.48%
    assert fig.change == D("-5736.42")
    assert D("-0.24479") < fig.change_rate < D("-0.24478")
    assert diff_output.change_text(fig, result.b) == ("-5,736.42", "-24.48%")
    row = diff_output.figure_row(fig, result)
    assert (row["a"], row["b"]) == ("23,434.12", "17,697.70")


def test_rates_change_in_percentage_points(result):
    fig = by_id(result, "spending/本年支出合计/execution_rate")
    # 23395.51 ÷ 23434.12 = 0.998352… (99.84%) → 17661.36 ÷ 17697.70 = 0.997947… (99.79%):
    # −0.0406 个百分点 from the exact rates (not 99.79 − 99.84 = −0.05 from the printed ones)
    row = diff_output.figure_row(fig, result)
    assert (row["a"], row["b"]) == ("99.84%", "99.79%")
    assert diff_output.change_text(fig, result.b) == ("-0.04个百分点", "")
    # monthly rates capped at 100: 2022 (8×100 + 96.39 + 99.81) ÷ 10 = 99.62%;
    # 2023 (6×100 + 97.71 + 97.69 + 97.44 + 99.79) ÷ 10 = 99.263%: −0.357 → −0.36 个百分点
    # both editions declare the average as monthly_average: paired by that name (no other name for A)
    average = by_id(result, "monthly_average")
    assert (average.a_id, average.a, average.b) == (None, D("0.9962"), D("0.99263"))
    assert diff_output.change_text(average, result.b) == ("-0.36个百分点", "")


def test_scores_and_indicator_counts(result):
    management = by_id(result, "scoring/管理效能/score")
    # 46.98 → 45.5: −1.48, −1.48 ÷ 46.98 = −3.150…%
    assert (management.a, management.b, management.change) == (D("46.98"), D("45.5"), D("-1.48"))
    assert diff_output.change_text(management, result.b) == ("-1.48", "-3.15%")
    total = by_id(result, "scoring/合计/score")
    # 96.98 → 95.5 (50 + 46.98 → 50 + 45.5): −1.48 ÷ 96.98 = −1.526…%
    assert diff_output.change_text(total, result.b) == ("-1.48", "-1.53%")
    assert diff_output.change_text(by_id(result, "scoring/合计/rate"), result.b) == ("-1.48个百分点", "")
    # 2022 lists 8 output indicators as scored children; 2023 lists 6 under a level it leaves
    # unnamed (name: ~), transparent in the path, so the same block is found in both years
    output = by_id(result, "scoring/履职效能/部门整体绩效目标产出指标完成情况/indicator_count")
    assert (output.a, output.b, output.status) == (8, 6, diff.CHANGED)
    benefit = by_id(result, "scoring/履职效能/部门整体绩效目标效益指标完成情况/indicator_count")
    assert (benefit.a, benefit.b, benefit.status) == (4, 4, diff.UNCHANGED)
    assert (by_id(result, "indicator_count").a, by_id(result, "indicator_count").b) == (12, 10)
    # the 履职效能 weight neither year types is computed from its parts: 20 + 20 + 10
    performance = by_id(result, "scoring/履职效能/weight")
    assert (performance.a, performance.b, performance.source) == (50, 50, "computed")
    assert not [f.id for f in result.figures if f.id.startswith("scoring") and "第" in f.id]


def test_rows_only_one_year_has_are_named(result):
    removed = {f.id for f in result.figures_with(diff.REMOVED)}
    added = {f.id for f in result.figures_with(diff.ADDED)}
    assert "spending/部门整体支出/adjusted" in removed  # 2022's single line
    assert {"spending/基本支出/人员经费/initial", "spending/项目支出/行政事业类项目/actual"} <= added
    # 2022's scored indicators, which 2023 does not list by name
    assert "scoring/履职效能/部门整体绩效目标产出指标完成情况/舆情日报数量/weight" in removed
    assert by_id(result, "scoring/履职效能/部门整体绩效目标产出指标完成情况/舆情日报数量/weight").a == D("2.5")
    # 2022's key task (2023 writes only how many there are)
    assert by_id(result, "key_tasks/网络信息内容生态治理/budget").a == D("2275.13")
    assert by_id(result, "key_tasks/网络信息内容生态治理/budget").label == "重点任务 › 网络信息内容生态治理 › 项目预算"


def test_reported_figures_are_not_compared(result):
    """reported: (the source's printed figures, for audit) are not figures of the report: 2022's
    source printed 管理效能 44.98 in places, the data (and the comparison) has 46.98."""
    assert not [f.id for f in result.figures if f.id.startswith(("reported", "annexes"))]
    assert by_id(result, "scoring/管理效能/score").a == D("46.98")


def test_renamed_and_renumbered_sections_are_matched(result):
    matched = {(s.a_title, s.b_title) for s in result.sections if s.status == diff.MATCHED}
    assert {
        ("（三）部门整体收支情况", "（四）部门整体收支情况"),
        ("（一）自评结论综述", "（一）自评结论"),
        ("<一>履职效能", "（二）履职效能分析"),
        ("<二>管理效能", "（三）管理效能分析"),
        ("（二）2022年度总体工作和重点工作任务", "（二）2023年度总体工作和重点工作任务"),
    } <= matched


ONLY_2022 = [
    "二、综合评价分析",
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
    # 2023 attaches no 统计表 (its indicators have no values), so 2022's 附件2 has no counterpart
    "附件2",
    "5.全面推进从严治党，持续建设风清气正的政治机关",
    "（二）部门预算项目预算编制有待细化和进行整合",
]
ONLY_2023 = [
    "（三）部门整体支出绩效目标",
    "二、绩效自评情况",
    "（二）部门预算项目预算编制水平需要进一步提升",
    "（四）固定资产管理的水平有待加强",
    "（四）加强对及基层单位的指导，进一步提高资产管理水平",
]


def test_sections_that_cannot_be_matched_are_listed(result):
    unmatched = result.unmatched_sections
    assert sorted(s.title for s in unmatched if s.status == diff.REMOVED) == sorted(ONLY_2022)
    assert sorted(s.title for s in unmatched if s.status == diff.ADDED) == sorted(ONLY_2023)
    # with their paragraphs, never dropped
    (review,) = [s for s in unmatched if s.title == "二、综合评价分析"]
    assert [p.status for p in review.paragraphs] == [diff.DELETED]
    assert review.paragraphs[0].a.startswith("依据市财政要求及我办细化的2023年绩效评价自评工作方案")
    # the annexes are sections of their own, not part of the last measure: 2022's 附件1 is compared
    # with 2023's only annex (附件, its title renamed), the annex list with the annex list, whose
    # second entry is gone with 2022's 附件2
    (annex,) = [s for s in result.sections if s.title == "附件"]
    assert (annex.status, annex.a_title) == (diff.MATCHED, "附件1")
    assert [(p.status, p.a, p.b) for p in annex.paragraphs] == [
        (diff.CHANGED, "部门整体支出绩效评价指标体系", "部门整体支出绩效评价自评表（无专项资金）")
    ]
    listed = [s for s in result.sections if s.title.startswith("附件：")]
    assert [(s.status, s.a_title) for s in listed] == [(diff.MATCHED, "附件：1. 部门整体支出绩效评价指标体系")]
    assert [(p.status, p.a) for p in listed[0].paragraphs] == [(diff.DELETED, "2. 部门整体支出绩效指标完成情况统计表")]
    (removed,) = [s for s in unmatched if s.title == "附件2"]
    assert [(p.status, p.a) for p in removed.paragraphs] == [(diff.DELETED, "部门整体支出绩效指标完成情况统计表")]


def test_cli_json_parses(cli_runner):
    args = ["diff", "guangzhou", "2022", "2023", "--root", str(ROOT), "--format", "json"]
    out = cli_runner.invoke(main, args)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert (data["a"]["format"], data["b"]["format"]) == ("guangzhou-2023", "guangzhou-2024")
    figures = {f["id"]: f for f in data["figures"]}
    adjusted = figures["spending/本年支出合计/adjusted"]
    assert (adjusted["a"], adjusted["b"], adjusted["change"]) == ("23434.12", "17697.70", "-5736.42")
    assert adjusted["printed"] == {"a": "23,434.12", "b": "17,697.70", "change": "-5,736.42", "change_rate": "-24.48%"}
    rate = figures["spending/本年支出合计/execution_rate"]
    assert (rate["change_unit"], rate["printed"]["change"]) == ("个百分点", "-0.04个百分点")
    assert {s["status"] for s in data["sections"]} == {"matched", "added", "removed"}
    only_2022 = [s["a_title"] for s in data["sections"] if s["status"] == "removed"]
    assert sorted(only_2022) == sorted(ONLY_2022)


def test_cli_markdown_parses(cli_runner, result):
    args = ["diff", "guangzhou", "2022", "2023", "--root", str(ROOT), "--format", "md"]
    out = cli_runner.invoke(main, args)
    assert out.exit_code == 0, out.output
    text = out.output
    assert text.startswith("# guangzhou：2022 年 → 2023 年")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows = [t for t in tokens if t.type == "tr_open"]
    # the figures table (a row per figure and its header), the carried-over table and its header
    assert len(rows) == len(result.figures) + 1 + len(result.carried_over()) + 1
    assert "| 支出表 › 本年支出合计 › 调整后预算 | 23,434.12 | 17,697.70 | -5,736.42 | -24.48% | **变化** |" in text
    assert "| 支出表 › 本年支出合计 › 执行率（实际支出率） | 99.84% | 99.79% | -0.04个百分点 |  | **变化** |" in text
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h3"]
    assert "仅 2022 年有：二、综合评价分析" in headings and "仅 2023 年有：二、绩效自评情况" in headings
    assert "附件<del>1</del>" in headings and "仅 2022 年有：附件2" in headings


def test_cli_terminal(cli_runner):
    out = cli_runner.invoke(main, ["diff", "guangzhou", "2022", "2023", "--root", str(ROOT)])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("guangzhou：2022 年 → 2023 年")
    assert "格式 guangzhou-2023：广州市财政局 2023 版" in out.output
    assert "仅 2022 年有：二、综合评价分析" in out.output


# --- redline -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redlined(tmp_path_factory):
    out = tmp_path_factory.mktemp("redline") / "gz-2022-2023.docx"
    project = pipeline.Project(ROOT)
    date = dt.datetime(2024, 5, 31, tzinfo=dt.UTC)
    path, counts = redline.redline_years(project, "guangzhou", 2022, 2023, out, date=date)
    return path.read_bytes(), counts


def test_cli_redline_opens_with_tracked_changes(cli_runner, tmp_path):
    out = tmp_path / "r.docx"
    args = ["redline", "guangzhou", "2022", "2023", "-o", str(out), "--date", "2024-05-31", "--root", str(ROOT)]
    result = cli_runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"已生成 {out}（修订：插入 ")
    body = Document(str(out)).element.body
    ins, dels = list(body.iter(qn("w:ins"))), list(body.iter(qn("w:del")))
    assert ins and dels
    assert {e.get(qn("w:author")) for e in ins + dels} == {"reportgen"}


def test_redline_accept_all_gives_2023_and_reject_all_gives_2022(redlined):
    data, counts = redlined
    assert counts.inserted > 0 and counts.deleted > 0
    project = pipeline.Project(ROOT)
    a = diff.build_year(project, "guangzhou", 2022)
    b = diff.build_year(project, "guangzhou", 2023)
    assert lines_of(resolve(data, accept=True)) == lines_of(b.docx)
    assert lines_of(resolve(data, accept=False)) == lines_of(a.docx)


def test_redline_tracks_tables_by_row_and_cell(redlined):
    data, _ = redlined
    doc = Document(io.BytesIO(data))

    def table_with(text):
        (found,) = [t for t in doc.tables if text in "".join(t._tbl.itertext())]
        return list(found._tbl.iterchildren(qn("w:tr")))

    # 2022 gives its spending in prose only: 2023's spending table is inserted, row by row
    spending = table_with("本年支出合计")
    assert all(tr.find(qn("w:trPr") + "/" + qn("w:ins")) is not None for tr in spending)
    # the score table is in both years: 管理效能's 实际得分 46.98 → 45.5 is tracked in its cell
    (management,) = [tr for tr in table_with("评价内容") if "管理效能评价" in "".join(tr.itertext())]
    score = list(management.iterchildren(qn("w:tc")))[3]
    assert [t.text for t in score.iter(qn("w:delText"))] == ["46.98"]
    assert [t.text for ins in score.iter(qn("w:ins")) for t in ins.iter(qn("w:t"))] == ["45.5"]

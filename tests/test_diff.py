"""`reportgen diff`: figures and text of two years, on pairs whose differences are known exactly.

tests/fixtures/yoy/guangzhou-2022.yaml is data/guangzhou/2023.yaml with the edits listed in its
header (a 2022 as the real 2022 report has it: spending as one total line, 8 output indicators
given as a count where 2023 lists 6, a score of 44.98, other monthly rates, one problem replaced,
and its own ``reported:`` figures).
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D

import pytest
from markdown_it import MarkdownIt

from generator import diff, diff_output, pipeline
from generator.cli import main

from .conftest import edit


@pytest.fixture
def result(yoy_project):
    return diff.compare(yoy_project, "guangzhou", 2022, 2023)


def by_id(result, figure_id):
    (found,) = [f for f in result.figures if f.id == figure_id]
    return found


def test_adjusted_budget_total(result):
    fig = by_id(result, "spending/本年支出合计/adjusted")
    assert (fig.a, fig.b, fig.status) == (D("23434.12"), D("17697.70"), diff.CHANGED)
    assert fig.change == D("-5736.42")
    # -5736.42 / 23434.12 = -0.244789…
    assert diff_output.change_text(fig, result.b) == ("-5,736.42", "-24.48%")
    assert diff_output.figure_row(fig, result)["a"] == "23,434.12"
    assert diff_output.figure_row(fig, result)["b"] == "17,697.70"


def test_rates_change_in_percentage_points(result):
    fig = by_id(result, "spending/本年支出合计/execution_rate")
    # 23395.51 / 23434.12 = 99.835% → 17661.36 / 17697.70 = 99.795%: −0.0406 个百分点
    assert diff_output.change_text(fig, result.b) == ("-0.04个百分点", "")
    monthly = by_id(result, "monthly_execution/3月")
    assert (monthly.a, monthly.b) == (D("147.27"), D("136.18"))
    assert diff_output.change_text(monthly, result.b) == ("-11.09个百分点", "")
    score_rate = by_id(result, "scoring/管理效能/rate")
    assert diff_output.change_text(score_rate, result.b) == ("+1.04个百分点", "")


def test_scores_and_counts(result):
    total = by_id(result, "scoring/合计/score")
    assert (total.a, total.b, total.change) == (D("94.98"), D("95.5"), D("0.52"))
    assert diff_output.change_text(total, result.b) == ("+0.52", "+0.55%")
    # 2022 types the count, 2023 lists 6 indicators under an unnamed level (name: ~), which
    # is transparent in the path: the same figure either way
    output = by_id(result, "scoring/履职效能/部门整体绩效目标产出指标完成情况/indicator_count")
    assert (output.a, output.b, output.status) == (8, 6, diff.CHANGED)
    assert diff_output.change_text(output, result.b) == ("-2", "-25.00%")
    total_count = by_id(result, "indicator_count")  # 8 + 4 → 6 + 4
    assert (total_count.a, total_count.b, total_count.change) == (12, 10, -2)
    # the block weight 2023 no longer types is computed from its parts (20 + 20 + 10)
    performance = by_id(result, "scoring/履职效能/weight")
    assert (performance.a, performance.b, performance.status, performance.source) == (
        50,
        50,
        diff.UNCHANGED,
        "computed",
    )
    assert by_id(result, "grade").status == diff.UNCHANGED
    assert by_id(result, "staffing/authorized").status == diff.UNCHANGED


def test_rows_added_and_removed_are_named(result):
    removed = {f.id for f in result.figures_with(diff.REMOVED)}
    added = {f.id for f in result.figures_with(diff.ADDED)}
    assert "spending/部门整体支出/adjusted" in removed
    assert {"spending/基本支出/人员经费/initial", "spending/项目支出/行政事业类项目/actual"} <= added
    assert all(f.id.startswith("spending/") for f in result.figures_with(diff.ADDED, diff.REMOVED))


def test_reported_figures_are_not_the_reports_figures(yoy_project, result):
    """``reported:`` holds what another source printed (2022's and 2023's differ): not compared."""
    assert not [f.id for f in result.figures if f.id.startswith(("reported", "annexes"))]
    for year in (2022, 2023):
        path = yoy_project.data_path("guangzhou", year)
        text = path.read_text(encoding="utf-8")
        assert "\nreported:\n" in text
        path.write_text(text[: text.index("\nreported:\n")] + "\n", encoding="utf-8")
    without = diff.compare(yoy_project, "guangzhou", 2022, 2023)
    assert [(f.id, f.a, f.b, f.status) for f in without.figures] == [(f.id, f.a, f.b, f.status) for f in result.figures]


def test_the_fixture_is_valid_data(yoy_project):
    """The fictional 2022 passes check, and its reported: figures agree with what it computes."""
    pipeline.check(yoy_project, "guangzhou", 2022)
    audit = pipeline.audit(yoy_project, "guangzhou", 2022)
    assert audit.count("ok") == len(audit.findings) == 6 and not audit.mismatches


def test_every_figure_of_either_year_is_listed(yoy_project, result):
    ids = {f.id for f in result.figures}
    for year in (2022, 2023):
        built = diff.build_year(yoy_project, "guangzhou", year)
        assert {f.id for f in built.flat()} <= ids


def test_matched_by_meaning_not_by_position(yoy_project):
    """Reordering rows and blocks in the file changes nothing."""
    path = yoy_project.data_path("guangzhou", 2022)
    edit(path, "  - name: 履职效能\n", "  - name: 履职效能_MOVE\n")
    text = path.read_text(encoding="utf-8")
    start = text.index("  - name: 履职效能_MOVE")
    end = text.index("  - name: 管理效能")
    block = text[start:end].replace("履职效能_MOVE", "履职效能")
    end_mgmt = text.index("\n\n", end)  # the end of the scoring section
    mgmt = text[end:end_mgmt]
    path.write_text(text[:start] + mgmt.rstrip("\n") + "\n" + block + text[end_mgmt:], encoding="utf-8")
    result = diff.compare(yoy_project, "guangzhou", 2022, 2023)
    assert not result.figures_with(diff.ADDED, diff.REMOVED) or all(
        f.id.startswith("spending/") for f in result.figures_with(diff.ADDED, diff.REMOVED)
    )
    assert by_id(result, "scoring/管理效能/score").change == D("0.52")


def paragraphs(result, status):
    return [p for s in result.sections for p in s.paragraphs if p.status == status]


def test_changed_paragraphs_mark_characters(result):
    (section,) = [s for s in result.sections if s.title == "（一）部门主要职能和机构人员情况"]
    changed = [p for p in section.paragraphs if p.status == diff.CHANGED]
    ops = changed[0].ops
    assert ("-", "五") in ops and ("+", "四") in ops and ("-", "及机关党委（机关纪委）") in ops
    inserted = [p for p in section.paragraphs if p.status == diff.INSERTED]
    assert inserted[0].b.startswith("2024年机构改革")


def test_renamed_heading_is_matched_and_marked(result):
    (section,) = [s for s in result.sections if s.b_title == "（二）2023年度总体工作和重点工作任务"]
    assert section.a_title == "（二）2022年度总体工作和重点工作任务"
    assert section.heading_ops == [("=", "（二）"), ("-", "2022"), ("+", "2023"), ("=", "年度总体工作和重点工作任务")]


def test_carried_over_paragraphs_are_listed_with_stale_phrases(result):
    carried = result.carried_over()
    # 29 paragraphs of the body, and in the annex (a section of its own, after the body) its title
    assert len(carried) == 30
    assert [(s.title, p.b) for s, p in carried[29:]] == [
        ("附件", "部门整体支出绩效评价自评表（无专项资金）"),
    ]
    goals = [p for s, p in carried if p.b.startswith("2023年度，我办设定的部门整体支出绩效目标")]
    assert goals and goals[0].flags == ["2023年", "疫情"]


def test_unmatched_sections_are_listed_not_dropped(result):
    unmatched = {(s.status, s.title) for s in result.unmatched_sections}
    assert unmatched == {
        (diff.REMOVED, "（四）预算执行进度有待加快"),
        (diff.ADDED, "（四）固定资产管理的水平有待加强"),
    }
    (removed,) = [s for s in result.unmatched_sections if s.status == diff.REMOVED]
    assert removed.paragraphs[0].status == diff.DELETED and "疫情" in removed.paragraphs[0].a


def test_identical_years_show_no_change(project, tmp_path):
    shutil.copy(project.data_path("guangzhou", 2023), project.data_path("guangzhou", 2024))
    edit(project.data_path("guangzhou", 2024), "year: 2023", "year: 2024")
    result = diff.compare(project, "guangzhou", 2023, 2024)
    assert not result.figures_with(diff.CHANGED, diff.ADDED, diff.REMOVED)
    changed = paragraphs(result, diff.CHANGED)
    # only what the template writes with the report's year: title, spending sentence, two captions
    assert [p.b[:8] for p in changed] == ["2024年度中共", "2024年度，市", "2024年度部门", "2024年度部门"]
    assert all(p.ops[:2] == [("-", "2023"), ("+", "2024")] for p in changed)
    assert not paragraphs(result, diff.INSERTED) and not paragraphs(result, diff.DELETED)


def test_one_number_and_one_sentence(project):
    """A constructed pair: one amount and one sentence changed, nothing else."""
    shutil.copy(project.data_path("guangzhou", 2023), project.data_path("guangzhou", 2024))
    new = project.data_path("guangzhou", 2024)
    edit(new, "year: 2023", "year: 2024")
    edit(new, "initial: 388.67,", "initial: 400.00,")
    edit(new, "营造清朗网络空间、助力疫情防控和经济发展", "营造清朗网络空间、助力经济发展")
    result = diff.compare(project, "guangzhou", 2023, 2024)
    changed = {f.id: f for f in result.figures_with(diff.CHANGED)}
    assert changed["spending/基本支出/日常公用经费/initial"].change == D("11.33")
    assert changed["spending/本年支出合计/initial"].change == D("11.33")
    assert changed["spending/本年支出合计/initial"].b == D("17545.84")
    # the adjustment and its rates follow; adjusted and actual do not move
    assert "spending/本年支出合计/adjusted" not in changed and "spending/本年支出合计/actual" not in changed
    assert set(changed) == {
        f"spending/{row}/{field}"
        for row in ("基本支出/日常公用经费", "基本支出", "本年支出合计")
        for field in ("initial", "adjustment", "adjustment_rate")
    }
    goals = [p for p in paragraphs(result, diff.CHANGED) if "助力" in p.b]
    assert [op for op in goals[0].ops if op[0] != "="] == [("-", "疫情防控和")]


def test_markdown_parses_and_has_a_row_per_figure(result):
    text = diff_output.to_markdown(result)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == len(result.figures) + 1 + len(result.carried_over()) + 1
    assert "| 支出表 › 本年支出合计 › 调整后预算 | 23,434.12 | 17,697.70 | -5,736.42 | -24.48% | **变化** |" in text
    assert "<del>五</del><ins>四</ins>" in text
    assert "### 仅 2022 年有：（四）预算执行进度有待加快" in text


def test_json_parses(result):
    data = json.loads(diff_output.to_json(result))
    (fig,) = [f for f in data["figures"] if f["id"] == "spending/本年支出合计/adjusted"]
    assert (fig["a"], fig["b"], fig["change"]) == ("23434.12", "17697.70", "-5736.42")
    assert fig["printed"] == {"a": "23,434.12", "b": "17,697.70", "change": "-5,736.42", "change_rate": "-24.48%"}
    statuses = {s["status"] for s in data["sections"]}
    assert statuses == {"matched", "added", "removed"}


def test_terminal_output(result):
    text = diff_output.to_terminal(result)
    assert "支出表 › 本年支出合计 › 调整后预算" in text
    assert "市委网信办内设处室[-五-]{+四+}个" in text
    assert "⚠ 2023年、疫情" in text
    assert "仅 2022 年有：（四）预算执行进度有待加快" in text
    assert "\x1b[" not in text
    assert "\x1b[" in diff_output.to_terminal(result, color=True)


def test_cli_diff_formats(cli_runner, yoy_project):
    args = ["diff", "guangzhou", "2022", "2023", "--root", str(yoy_project.root)]
    plain = cli_runner.invoke(main, args)
    assert plain.exit_code == 0, plain.output
    assert plain.output.startswith("guangzhou：2022 年 → 2023 年")
    as_json = cli_runner.invoke(main, args + ["--format", "json"])
    assert json.loads(as_json.output)["b"]["year"] == 2023
    as_md = cli_runner.invoke(main, args + ["--format", "md"])
    assert as_md.output.startswith("# guangzhou：2022 年 → 2023 年")


def test_cli_diff_missing_year(cli_runner, yoy_project):
    result = cli_runner.invoke(main, ["diff", "guangzhou", "2021", "2023", "--root", str(yoy_project.root)])
    assert result.exit_code == 1
    assert "2021.yaml: 找不到数据文件（该部门已有年度：2022、2023）" in result.output


def test_annexes_open_sections_of_their_own():
    from generator import outline

    # by style (the guangzhou templates) or, in a plain paragraph, by the words GB/T 9704 prescribes
    assert outline._heading_level("Annex List", "附件：1. 部门整体支出绩效评价自评表") == 1
    assert outline._heading_level("Annex Label", "附件1") == 1
    assert outline._heading_level("Normal", "附件2") == outline._heading_level("Normal", "附件：评价表") == 1
    assert outline._heading_level("Normal", "附件：" + "很长的一段正文，" * 10) == 0
    assert outline._heading_level("Normal", "附件是指……") == 0
    # the list is the same section whatever it lists; an annex is matched by its number
    assert outline.heading_key("附件：1. 自评表") == outline.heading_key("附件：1. 自评表（无专项资金）")
    assert outline.heading_key("附件1") != outline.heading_key("附件2")

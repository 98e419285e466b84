"""``reportgen check`` consistency rules: errors stop build, warnings are printed."""

from __future__ import annotations

from generator import pipeline
from generator.cli import main

from .conftest import edit

STAFFING = """staffing:
  as_of: 2023-12-31
  authorized: 118      # 编制人数
  actual: 115          # 实有在编人数
"""


def run(cli_runner, project, *args):
    return cli_runner.invoke(main, [*args, "guangzhou", "2023", "--root", str(project.root)])


def data_file(project):
    return project.data_dir / "guangzhou" / "2023.yaml"


def line_of(path, text: str) -> int:
    return 1 + next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines()) if text in l)


def test_the_repository_data_is_consistent(cli_runner, project):
    out = run(cli_runner, project, "check")
    assert (out.exit_code, out.output) == (0, f"{data_file(project)}: 通过\n")


def test_a_stated_whole_must_equal_its_parts(cli_runner, project):
    data = data_file(project)
    edit(data, "  - name: 基本支出\n", "  - name: 基本支出\n    initial: 4506.98\n")
    out = run(cli_runner, project, "check")
    assert out.exit_code == 1
    assert out.output.splitlines() == [
        f"{data}:21: spending[0].initial（基本支出 › 年初预算）: 年初预算写了 4,506.98，但下级各行合计为 4,506.89",
        "1 个文件有错误",
    ]


def test_a_score_within_its_weight(cli_runner, project):
    data = data_file(project)
    edit(
        data,
        "            key: execution\n            weight: 10\n            score: 10",
        "            key: execution\n            weight: 10\n            score: 12",
    )
    out = run(cli_runner, project, "check")
    assert out.exit_code == 1
    assert out.output.splitlines() == [
        f"{data}:{line_of(data, 'score: 12')}: scoring[0].children[0].children[2].score（履职效能 › 评分第 1 行 › 部门预算资金支出率 › 得分）: “部门预算资金支出率”得分 12 超过分值 10",
        "1 个文件有错误",
    ]


def test_a_parent_weight_and_score_are_derived_and_refused_when_typed(cli_runner, project):
    data = data_file(project)
    edit(data, "    key: performance\n", "    key: performance\n    weight: 50\n    score: 50\n")
    out = run(cli_runner, project, "check")
    assert out.exit_code == 1
    assert out.output.splitlines() == [
        f"{data}:{line_of(data, 'weight: 50')}: scoring[0].weight（履职效能 › 分值）: 有下级指标（children）时，分值 weight 由下级合计得出，请删除这一行",
        f"{data}:{line_of(data, 'score: 50')}: scoring[0].score（履职效能 › 得分）: 有下级指标（children）时，得分 score 由下级合计得出，请删除这一行",
        "1 个文件有错误",
    ]


def test_a_block_with_every_indicator_scored_takes_their_sums(cli_runner, project):
    data = data_file(project)
    edit(
        data,
        "              - name: 区块链贸易平台链上交易值",
        "              - {name: 区块链贸易平台链上交易值, weight: 5, score: 5}",
    )
    edit(
        data,
        "              - name: 阅读量\n              - {}             # 其余 2 个效益指标原报告未列名称\n              - {}",
        "              - {name: 阅读量, weight: 5, score: 4}\n              - {weight: 5, score: 5}\n              - {weight: 5, score: 5}",
    )
    out = run(cli_runner, project, "check")
    assert out.exit_code == 1
    weight, score = (
        line_of(data, "score: 20          # 各效益指标") - 1,
        line_of(data, "score: 20          # 各效益指标"),
    )
    assert out.output.splitlines() == [
        f"{data}:{weight}: scoring[0].children[0].children[1].weight（履职效能 › 评分第 1 行 › 部门整体绩效目标效益指标完成情况 › 分值）: 所列绩效指标（indicators）都写了分值时，分值 weight 由各绩效指标合计得出，请删除这一行",
        f"{data}:{score}: scoring[0].children[0].children[1].score（履职效能 › 评分第 1 行 › 部门整体绩效目标效益指标完成情况 › 得分）: 所列绩效指标（indicators）都写了得分时，得分 score 由各绩效指标合计得出，请删除这一行",
        "1 个文件有错误",
    ]
    # with the typed figures gone, the block's are the indicators' sums
    edit(
        data,
        "            weight: 20\n            score: 20          # 各效益指标的分值、得分原报告未印出，这里只有合计\n",
        "",
    )
    out = run(cli_runner, project, "check")
    assert (out.exit_code, out.output) == (0, f"{data}: 通过\n")


def test_an_indicator_block_without_all_scores_needs_its_own(cli_runner, project):
    data = data_file(project)
    edit(
        data,
        "            weight: 20\n            score: 20          # 各效益指标的分值、得分原报告未印出，这里只有合计\n",
        "            weight: 20\n",
    )
    out = run(cli_runner, project, "check")
    assert out.exit_code == 1
    assert out.output.splitlines()[0].endswith(
        "scoring[0].children[0].children[1].score（履职效能 › 评分第 1 行 › 部门整体绩效目标效益指标完成情况 › 得分）: “部门整体绩效目标效益指标完成情况”所列绩效指标（indicators）没有全部写明得分时要填写得分 score"
    )


def test_the_same_count_in_two_places(cli_runner, project):
    data = data_file(project)
    edit(
        data,
        "            indicator_type: 产出指标\n",
        "            indicator_type: 产出指标\n            indicator_count: 8\n",
    )
    out = run(cli_runner, project, "check")
    assert out.exit_code == 1
    assert (
        f"{data}:{line_of(data, 'indicator_count: 8')}: scoring[0].children[0].children[0].indicator_count（履职效能 › 评分第 1 行 › 部门整体绩效目标产出指标完成情况 › 指标个数）: “部门整体绩效目标产出指标完成情况”写了 8 个绩效指标，但 indicators 列出了 6 个"
        in out.output
    )


def test_a_missing_score_is_an_error(cli_runner, project):
    data = data_file(project)
    edit(data, "    weight: 50\n    score: 45.5", "    weight: 50")
    out = run(cli_runner, project, "check")
    assert out.exit_code == 1
    assert out.output.splitlines() == [
        f"{data}:{line_of(data, 'key: management') - 1}: scoring[1].score（管理效能 › 得分）: “管理效能”没有下级指标时要填写得分 score",
        "1 个文件有错误",
    ]


def test_staff_kinds_sum_to_the_total_and_overstaffing_warns(cli_runner, project):
    data = data_file(project)
    edit(
        data,
        STAFFING,
        STAFFING
        + "  kinds:\n    - {name: 行政编制, authorized: 100, actual: 101}\n    - {name: 事业编制, authorized: 18, actual: 13}\n",
    )
    out = run(cli_runner, project, "check")
    assert out.exit_code == 1
    assert out.output.splitlines() == [
        # the declared rule (staffing.actual: rollup: sum_or_stated, otherwise: kinds.total.actual), in the engine's words
        f"{data}:16: staffing.actual（人员情况 › 实有在编人数）: 实有在编人数写了 115，但人员类别合计为 114（行政编制101、事业编制13）",
        f"{data}:18: staffing.kinds[0].actual（人员情况 › 行政编制 › 实有人数）: 警告：行政编制实有 101 人，超过编制 100 人",
        "1 个文件有错误",
    ]


def test_staff_totals_follow_from_the_kinds_when_not_written(cli_runner, project):
    """Totals left out: the sums of the kinds (100 + 18 编制, 101 + 13 实有); agreeing totals are fine too."""
    data = data_file(project)
    kinds = "  kinds:\n    - {name: 行政编制, authorized: 100, actual: 101}\n    - {name: 事业编制, authorized: 18, actual: 13}\n"
    edit(data, STAFFING, "staffing:\n  as_of: 2023-12-31\n" + kinds)
    declared = pipeline.load_declared(project, "guangzhou", 2023)
    assert (declared.names["staffing.authorized"].value, declared.names["staffing.actual"].value) == (118, 114)
    # 114 ÷ 118 = 0.966101…
    assert str(declared.names["control_rate"].printed) == "96.61%"
    edit(data, "staffing:\n  as_of: 2023-12-31\n", "staffing:\n  as_of: 2023-12-31\n  authorized: 118\n  actual: 114\n")
    out = run(cli_runner, project, "check")
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == [
        f"{data}:18: staffing.kinds[0].actual（人员情况 › 行政编制 › 实有人数）: 警告：行政编制实有 101 人，超过编制 100 人",
        f"{data}: 通过（1 条警告）",
    ]


def test_warnings_do_not_stop_build(cli_runner, project):
    data = data_file(project)
    edit(
        data,
        "{name: 基本建设类项目, initial: 0,        adjusted: 0,        actual: 0}",
        "{name: 基本建设类项目, initial: 0,        adjusted: 0,        actual: 5}",
    )
    edit(
        data,
        "initial: 388.67,  adjusted: 399.55,  actual: 399.45",
        "initial: 388.67,  adjusted: 399.55,  actual: 400.45",
    )
    edit(data, "[136.18, 115.62,", "[-136.18, 115.62,")
    out = run(cli_runner, project, "check")
    assert out.exit_code == 0
    assert out.output.splitlines() == [
        f"{data}:23: spending[0].children[1].actual（基本支出 › 日常公用经费 › 决算数）: 警告：决算数 400.45 超过调整后预算 399.55（执行率 100.23%，日常公用经费）",
        f"{data}:26: spending[1].children[0].execution_rate（项目支出 › 基本建设类项目 › 执行率（实际支出率））: "
        "警告：调整后预算为 0 而决算数为 5.00，执行率（实际支出率）无法计算，请核对",
        f"{data}:30: monthly_execution.rates[0]（每月执行率 › 3月）: 警告：3月的执行率是负数（-136.18%）",
        f"{data}: 通过（3 条警告）",
    ]
    built = run(cli_runner, project, "build")
    assert built.exit_code == 0
    assert built.output.splitlines()[-1] == f"已生成 {project.root / 'build' / 'guangzhou-2023.docx'}"
    assert "警告：调整后预算为 0 而决算数为 5.00" in built.output


def test_negative_amounts_warn(cli_runner, project):
    data = data_file(project)
    edit(data, "initial: 13027.62", "initial: -13027.62")
    out = run(cli_runner, project, "check")
    assert out.exit_code == 0
    assert (
        f"{data}:27: spending[1].children[1].initial（项目支出 › 行政事业类项目 › 年初预算）: 警告：年初预算是负数（-13,027.62），请核对"
        in out.output
    )


def test_errors_stop_build(cli_runner, project):
    edit(data_file(project), "    weight: 50\n    score: 45.5", "    weight: 50\n    score: 55")
    out = run(cli_runner, project, "build")
    assert out.exit_code == 1
    assert "scoring[1].score（管理效能 › 得分）: “管理效能”得分 55 超过分值 50" in out.output
    assert not (project.root / "build").exists()


def test_reported_entries_must_name_a_figure_and_print_one(cli_runner, project):
    data = data_file(project)
    edit(data, "figure: spending.total.adjustment_rate,", "figure: spending.total.adjust_rate,")
    edit(data, "printed: 107.06%}", "printed: 107.06}")
    out = run(cli_runner, project, "check")
    assert out.exit_code == 1
    lines = out.output.splitlines()
    assert lines[0] == (
        f"{data}:{line_of(data, 'adjust_rate')}: reported[31].figure: 没有这个数字“spending.total.adjust_rate”"
        "（spending.total. 之后可用：initial、adjusted、actual、adjustment、adjustment_rate、execution_rate）"
    )
    assert lines[1] == f"{data}:{line_of(data, 'printed: 107.06}')}: reported[61].printed: “107.06”不是百分比（应带 %）"


def test_reported_entries_say_where_they_were_printed(cli_runner, project):
    data = data_file(project)
    edit(data, "table: 收支表, row: 人员经费, column: 调整金额,", "row: 人员经费, column: 调整金额,")
    out = run(cli_runner, project, "check")
    assert out.exit_code == 1
    assert "应写明印在哪里：表格写 table/row/column，文字写 paragraph/item（二者选一）" in out.output


def test_unknown_annex(cli_runner, project):
    data = data_file(project)
    edit(data, "annexes:\n", "annexes:\n  - {key: indicator_table}\n")
    out = run(cli_runner, project, "check")
    assert out.exit_code == 1
    assert "annexes[0].key（附件）: 本格式没有这个附件（可用：self_evaluation、indicators）" in out.output


def test_audit_needs_consistent_data(cli_runner, project):
    edit(data_file(project), "    weight: 50\n    score: 45.5", "    weight: 50\n    score: 55")
    out = run(cli_runner, project, "audit")
    assert out.exit_code == 1
    assert out.output.splitlines()[0].endswith("scoring[1].score（管理效能 › 得分）: “管理效能”得分 55 超过分值 50")
    assert "核对" not in out.output

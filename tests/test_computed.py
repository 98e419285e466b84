"""A figure the program computes, typed into a data file: named, with what it is and that it is computed."""

from __future__ import annotations

from generator.cli import main

from .conftest import edit


def check(cli_runner, project):
    return cli_runner.invoke(main, ["check", "guangzhou", "2023", "--root", str(project.root)])


def lines_of(path, text: str) -> int:
    return 1 + next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()) if text in line)


def test_computed_figures_typed_at_every_level(cli_runner, project):
    data = project.data_dir / "guangzhou" / "2023.yaml"
    edit(data, "year: 2023\n", "year: 2023\ngrade: 良\ntotal_score: 95.5\nindicator_count: 10\n")
    edit(data, "actual: 115          # 实有在编人数\n", "actual: 115          # 实有在编人数\n  control_rate: 97.46%\n")
    edit(data, "adjusted: 4143.00, actual: 4142.98}", "adjusted: 4143.00, actual: 4142.98, adjustment: 24.78}")
    edit(data, "  - name: 项目支出\n", "  - name: 项目支出\n    execution_rate: 99.72%\n    adjustment_rate: 0.98%\n")
    edit(data, "    weight: 50\n    score: 45.5\n", "    weight: 50\n    score: 45.5\n    rate: 91%\n    grade: 良\n")
    out = check(cli_runner, project)
    assert out.exit_code == 1
    line = lambda text: lines_of(data, text)  # noqa: E731
    assert out.output.splitlines() == [
        f"{data}:7: grade（等级）: 等级由程序按得分计算，请删除这一行",
        f"{data}:8: total_score（总分）: 总分由程序按各评分指标的得分合计得出，请删除这一行",
        f"{data}:9: indicator_count（绩效指标总数）: 绩效指标总数由程序按各评分指标的指标个数合计得出，请删除这一行",
        f"{data}:{line('control_rate')}: staffing.control_rate（人员情况 › 财政在职人员控制率）: 财政在职人员控制率由程序按实有人数 ÷ 编制数计算，请删除这一行",
        f"{data}:{line('adjustment: 24.78')}: spending[0].children[0].adjustment（基本支出 › 人员经费 › 调整金额）: 调整金额由程序按调整后预算 − 年初预算计算，"
        "请从这一行删去“adjustment: …”",
        f"{data}:{line('execution_rate: 99.72%')}: spending[1].execution_rate（项目支出 › 执行率（实际支出率））: 执行率（实际支出率）由程序按决算数 ÷ 预算计算，请删除这一行",
        f"{data}:{line('adjustment_rate: 0.98%')}: spending[1].adjustment_rate（项目支出 › 预算调整率）: 预算调整率由程序按调整金额 ÷ 年初预算计算，请删除这一行",
        f"{data}:{line('rate: 91%')}: scoring[1].rate（管理效能 › 得分率）: 得分率由程序按得分 ÷ 分值计算，请删除这一行",
        f"{data}:{line('rate: 91%') + 1}: scoring[1].grade（管理效能 › 等级）: 等级由程序按得分计算，请删除这一行",
        "1 个文件有错误",
    ]


def test_a_misspelt_field_is_still_a_possible_typo(cli_runner, project):
    data = project.data_dir / "guangzhou" / "2023.yaml"
    edit(data, "year: 2023\n", "year: 2023\ngarde: 良\n")
    out = check(cli_runner, project)
    assert out.output.splitlines()[0] == f"{data}:7: garde: 未知字段（是否拼写错误？）"


def test_a_computed_block_is_removed_whole(cli_runner, project):
    data = project.data_dir / "guangzhou" / "2023.yaml"
    edit(data, "year: 2023\n", "year: 2023\nscores:\n  total: 95.5\n  grade: 优\n")
    edit(data, "{from: 3, rates:", "{from: 3, average: 107.06, rates:")
    out = check(cli_runner, project)
    assert out.output.splitlines() == [
        f"{data}:7: scores: 评分的计算结果由程序按 scoring 计算，请删除从这一行起的这一段",
        f"{data}:33: monthly_execution.average（每月执行率 › 年度平均执行率）: 年度平均执行率由程序按各月执行率（超过 100% 的按 100%）计算，请从这一行删去“average: …”",
        "1 个文件有错误",
    ]

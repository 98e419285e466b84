"""广州 2023 (seed 000): the audit finds every internal inconsistency of the printed report.

Each expected finding below was worked out by hand from the seed's own cells
(figures in 万元; the format rounds half-up).
"""

from __future__ import annotations

import json

import pytest

from generator import pipeline
from generator.audit import CONFLICT, OK, ROUNDING, WRONG
from generator.cli import main

from .conftest import ROOT, edit

DATA = "data/guangzhou/2023.yaml"

# (where printed, as printed, status, as computed at the printed precision)
EXPECTED = [
    # text before the table: 17661.36 ÷ 17697.70 = 0.997947 → 99.79%, printed 99.97%
    ("（四）部门整体收支情况 预算执行率", "99.97%", WRONG, "99.79%"),
    # 基本支出: (4142.98 + 399.45) ÷ (4143.00 + 399.55) = 4542.43 ÷ 4542.55 = 0.999974
    #   → half-up 100.00%, truncated 99.99% (printed)
    ("收支表 一、基本支出 实际支出率", "99.99%", ROUNDING, "100.00%"),
    # 人员经费: 4142.98 ÷ 4143.00 = 0.999995 → half-up 100.00%, truncated 99.99%
    ("收支表 人员经费 实际支出率", "99.99%", ROUNDING, "100.00%"),
    # 日常公用经费: (399.55 − 388.67) ÷ 388.67 = 10.88 ÷ 388.67 = 0.027993 → half-up 2.80%, truncated 2.79%
    ("收支表 日常公用经费 预算调整率", "2.79%", ROUNDING, "2.80%"),
    # 本年支出合计: 163.19 ÷ 17534.51 = 0.009307 → 0.93%, printed 11.51%
    ("收支表 本年支出合计 预算调整率", "11.51%", WRONG, "0.93%"),
    # 本年支出合计: 17661.36 ÷ 17697.70 = 0.997947 → 99.79%, printed 99.83%
    ("收支表 本年支出合计 实际支出率", "99.83%", WRONG, "99.79%"),
    # 履职效能: 20 + 20 + 10 = 50 of 50 → 100.00%, printed 99.86% (the table beside it prints 100%)
    ("（一）自评结论 履职效能得分率", "99.86%", WRONG, "100.00%"),
    # each month capped at 100%: (6 × 100 + 97.71 + 97.69 + 97.44 + 99.79) ÷ 10 = 992.63 ÷ 10 = 99.263% → 99.26%;
    # printed 107.06% = 1070.61 ÷ 10, the uncapped mean
    ("3.部门预算资金支出率 年度平均执行率", "107.06%", WRONG, "99.26%"),
]

# the same figure printed twice, differently: (later print, earlier print)
EXPECTED_CONFLICTS = [
    ("收支表 本年支出合计 实际支出率", "99.83%", "（四）部门整体收支情况 预算执行率", "99.97%"),
    ("综合得分情况表 履职效能评价 得分率", "100%", "（一）自评结论 履职效能得分率", "99.86%"),
]


@pytest.fixture(scope="module")
def result():
    return pipeline.audit(pipeline.Project(ROOT), "guangzhou", 2023)


def test_expected_mismatches(result):
    found = [(f.where, f.printed, f.status, f.expected) for f in result.mismatches if f.status != CONFLICT]
    assert found == EXPECTED


def test_expected_conflicts(result):
    found = [(f.where, f.printed, f.other.where, f.other.printed) for f in result.conflicts]
    assert found == EXPECTED_CONFLICTS


def test_everything_else_agrees(result):
    # every derived figure the seed prints is recorded: 4 in the 收支 paragraph, 30 table cells,
    # 1 indicator count, 12 in the conclusion, 8 score-table cells, 10 in the analyses
    assert len(result.findings) == 65
    assert result.count(OK) == 65 - len(EXPECTED)
    assert result.count(WRONG) == 5 and result.count(ROUNDING) == 3
    # the zero-budget row prints 0 where the rates divide by zero: that agrees with the format
    zero_rows = [f for f in result.findings if "基本建设类项目" in f.where]
    assert [(f.printed, f.status) for f in zero_rows] == [("0", OK)] * 3


def test_the_uncapped_average_is_named(result):
    average = next(f for f in result.findings if f.figure == "monthly.average")
    assert "不按 100% 封顶" in average.note


def test_cli_text_lines_carry_file_and_line(cli_runner):
    out = cli_runner.invoke(main, ["audit", "guangzhou", "2023", "--root", str(ROOT)])
    assert out.exit_code == 1
    lines = out.output.splitlines()
    text = (ROOT / DATA).read_text(encoding="utf-8").splitlines()
    line = 1 + next(i for i, l in enumerate(text) if "spending.total.adjustment_rate" in l)
    assert f"{ROOT / DATA}:{line}: 收支表 本年支出合计 预算调整率：报告为 11.51%，按数据计算为 0.93%" in lines
    assert lines[-1] == f"{ROOT / DATA}: 核对 65 个数字：57 个一致，3 个舍入差异，5 个错误，2 处前后不一致"
    assert len(lines) == len(EXPECTED) + len(EXPECTED_CONFLICTS) + 1


def test_cli_json(cli_runner):
    out = cli_runner.invoke(main, ["audit", "guangzhou", "2023", "--format", "json", "--root", str(ROOT)])
    assert out.exit_code == 1
    data = json.loads(out.output)
    assert data["ok"] is False
    (report,) = data["files"]
    assert report["counts"] == {"ok": 57, "rounding": 3, "wrong": 5, "invalid": 0, "conflict": 2}
    wrong = [f for f in report["findings"] if f["status"] == "wrong"]
    assert wrong[1]["figure"] == "spending.total.adjustment_rate"
    assert (wrong[1]["printed"], wrong[1]["expected"], wrong[1]["exact"]) == ("11.51%", "0.93%", "0.930679%")


def test_a_changed_printed_figure_is_caught_with_file_and_line(cli_runner, project):
    data = project.data_dir / "guangzhou" / "2023.yaml"
    old = 'column: 调整金额,   printed: "35.66"}'
    edit(data, old, old.replace("35.66", "36.66"))
    line = 1 + next(i for i, l in enumerate(data.read_text(encoding="utf-8").splitlines()) if "36.66" in l)
    out = cli_runner.invoke(main, ["audit", "guangzhou", "2023", "--root", str(project.root)])
    assert out.exit_code == 1
    assert f"{data}:{line}: 收支表 一、基本支出 调整金额：报告为 36.66，按数据计算为 35.66" in out.output.splitlines()
    assert "6 个错误" in out.output.splitlines()[-1]


def test_all_agree_exit_0_rounding_only_with_strict_exit_1(cli_runner, project):
    data = project.data_dir / "guangzhou" / "2023.yaml"
    for old, new in [
        ("item: 预算执行率, printed: 99.97%", "item: 预算执行率, printed: 99.79%"),
        ("printed: 11.51%", "printed: 0.93%"),
        ("printed: 99.83%", "printed: 99.79%"),
        ("printed: 99.86%", "printed: 100.00%"),
        ("printed: 107.06%", "printed: 99.26%"),
    ]:
        edit(data, old, new)
    args = ["audit", "guangzhou", "2023", "--root", str(project.root)]
    out = cli_runner.invoke(main, args)
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[-1].endswith("核对 65 个数字：62 个一致，3 个舍入差异，0 个错误")
    assert cli_runner.invoke(main, args + ["--strict"]).exit_code == 1

"""丰南 2024 (seed 004): the audit finds every internal inconsistency of the printed report.

Each expected finding below was worked out by hand from the seed's own figures
(amounts in 万元; the format truncates, as the seed does: 89.4688…% is printed 89.46%).
"""

from __future__ import annotations

import json

import pytest

from generator import pipeline
from generator.audit import CONFLICT, OK, WRONG
from generator.cli import main

from .conftest import ROOT

DATA = "data/fengnan/2024.yaml"

# (where printed, as printed, status, as computed at the printed precision)
EXPECTED = [
    # 二（二）“对涉及到的7个项目支出综合情况进行客观评价”, while 一（二） prints 项目8个:
    # 年初安排 7 + 追加 1 = 8 (三、“年初预算安排7个项目……故追加1个项目”); 7 is the 年初 count alone
    ("（二）绩效自评工作组织开展情况 评价的项目个数", "7个", WRONG, "8"),
]

# the same figure printed twice, differently: (later print, earlier print)
EXPECTED_CONFLICTS = [
    ("（二）绩效自评工作组织开展情况 评价的项目个数", "7个", "（二）部门预算执行情况等 项目个数", "8个"),
]

# every figure that agrees, with its arithmetic
AGREE = {
    # 编制: 行政 6 + 全额事业 13 = 19 (聘用制、劳务派遣 have no 编制)
    "（一）部门主要职责职能及人员情况 共有编制": "19人",
    # 实有: 6 + 6 + 1 (聘用制) + 6 (劳务派遣) = 19
    "（一）部门主要职责职能及人员情况 实有": "19人",
    # 其中 sums, budget and spending alike: 中央 0 + 省 0 + 市 0 = 0
    "（二）部门预算执行情况等 预算资金其中共同财政事权转移支付": "0万元",
    "（二）部门预算执行情况等 预算资金其中专项转移支付": "0万元",
    "（二）部门预算执行情况等 实际支出其中共同财政事权转移支付": "0万元",
    "（二）部门预算执行情况等 实际支出其中专项转移支付": "0万元",
    # 实际支出: 人员经费 222.8 + 日常公用经费 14.95 + 项目 106.07 = 343.82
    "（二）部门预算执行情况等 实际支出": "343.82万元",
    # 343.82 ÷ 384.29 = 0.894688 → truncated 89.46% (half-up would be 89.47%)
    "（二）部门预算执行情况等 预算执行率": "89.46%",
    # 年初 7 + 追加 1 = 8
    "（二）部门预算执行情况等 项目个数": "8个",
    # 106.07 ÷ 109.6 = 0.967791 → truncated 96.77% (half-up would be 96.78%)
    "（二）部门预算执行情况等 项目执行率": "96.77%",
}


@pytest.fixture(scope="module")
def result():
    return pipeline.audit(pipeline.Project(ROOT), "fengnan", 2024)


def test_expected_mismatches(result):
    found = [(f.where, f.printed, f.status, f.expected) for f in result.mismatches if f.status != CONFLICT]
    assert found == EXPECTED


def test_the_seven_is_the_count_of_projects_planned_at_the_start_of_the_year(result):
    seven = next(f for f in result.findings if f.status == WRONG)
    assert seven.figure == "budget_execution.project_count"
    assert seven.note == "（报告数等于年初安排的项目个数）"


def test_expected_conflicts(result):
    found = [(f.where, f.printed, f.other.where, f.other.printed) for f in result.conflicts]
    assert found == EXPECTED_CONFLICTS


def test_everything_else_agrees(result):
    # every derived figure the seed prints: 2 staff totals, 4 其中 sums, 实际支出, 预算执行率,
    # 项目个数, 项目执行率 in 一, and the 7 of 二（二）
    assert len(result.findings) == 11
    assert {f.where: f.printed for f in result.findings if f.status == OK} == AGREE
    assert (result.count(OK), result.count(WRONG), result.count(CONFLICT)) == (10, 1, 1)
    assert result.count("rounding") == 0


def test_cli_exit_code_and_lines(cli_runner):
    out = cli_runner.invoke(main, ["audit", "fengnan", "2024", "--root", str(ROOT)])
    assert out.exit_code == 1
    lines = out.output.splitlines()
    text = (ROOT / DATA).read_text(encoding="utf-8").splitlines()
    line = 1 + next(i for i, l in enumerate(text) if "printed: 7个}" in l)
    assert lines[0] == (
        f"{ROOT / DATA}:{line}: （二）绩效自评工作组织开展情况 评价的项目个数：报告为 7个，按数据计算为 8"
        "（报告数等于年初安排的项目个数）"
    )
    assert lines[-1] == f"{ROOT / DATA}: 核对 11 个数字：10 个一致，0 个舍入差异，1 个错误，1 处前后不一致"
    assert len(lines) == len(EXPECTED) + len(EXPECTED_CONFLICTS) + 1


def test_cli_json(cli_runner):
    out = cli_runner.invoke(main, ["audit", "fengnan", "2024", "--format", "json", "--root", str(ROOT)])
    assert out.exit_code == 1
    (report,) = json.loads(out.output)["files"]
    assert report["counts"] == {"ok": 10, "rounding": 0, "wrong": 1, "invalid": 0, "conflict": 1}
    rates = {f["where"]: f["exact"] for f in report["findings"] if f["figure"].endswith("execution_rate")}
    assert rates == {
        "（二）部门预算执行情况等 预算执行率": "89.468891%",
        "（二）部门预算执行情况等 项目执行率": "96.779197%",
    }

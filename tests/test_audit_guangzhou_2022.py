"""广州 2022 (seed 001): the audit finds every internal inconsistency of the printed report.

Each expected finding below was worked out by hand from the seed's own figures
(amounts in 万元; the format rounds half-up and counts a month above 100% as 100%).

管理效能 is printed two ways: 46.98 分 (得分率 93.96%) in the 自评结论, 44.98 分 (89.96%) in the
score table and in <二>管理效能.  The total printed, 96.98 = 履职效能 50 + 46.98, decides: the data
takes 46.98, so the two prints of 44.98 and the table's 89.96% (= 44.98 ÷ 50) are the wrong ones.
"""

from __future__ import annotations

import json

import pytest

from generator import pipeline
from generator.audit import CONFLICT, OK, ROUNDING, WRONG
from generator.cli import main

from .conftest import ROOT, edit

DATA = "data/guangzhou/2022.yaml"

# (where printed, as printed, status, as computed at the printed precision)
EXPECTED = [
    # 管理效能 score: 46.98 (the total 96.98 − 50), printed 44.98
    ("综合得分情况表 管理效能评价 实际得分", "44.98", WRONG, "46.98"),
    # 46.98 ÷ 50 = 0.9396 → 93.96%; printed 89.96% = 44.98 ÷ 50
    ("综合得分情况表 管理效能评价 得分率", "89.96%", WRONG, "93.96%"),
    # each month counted at most 100%: 6 × 100 (147.27, 122.5, 111.03, 124.84, 109.81, 103.06)
    #   + 100 (107.05) + 100 (102.1) + 96.39 + 99.81 = 996.2; ÷ 10 = 99.62%.
    # printed 112.39% = 1123.86 ÷ 10, the mean without the cap the same paragraph states
    ("3.部门预算资金支出率 年度平均执行率", "112.39%", WRONG, "99.62%"),
    # <二>管理效能“管理效能共计得分44.98分”: 46.98 as above
    ("<二>管理效能 管理效能共计得分", "44.98分", WRONG, "46.98"),
    # 重点任务 支出 2255.79 ÷ 项目预算 2275.13 = 0.991499 → 99.15% (truncated 99.14%), printed 99.01%
    ("（三）各重点任务项目支出完成情况分析 预算执行率", "99.01%", WRONG, "99.15%"),
]

# the same figure printed twice, differently: (later print, earlier print)
EXPECTED_CONFLICTS = [
    ("综合得分情况表 管理效能评价 实际得分", "44.98", "（一）自评结论综述 管理效能得分", "46.98分"),
    ("综合得分情况表 管理效能评价 得分率", "89.96%", "（一）自评结论综述 管理效能得分率", "93.96%"),
    ("<二>管理效能 管理效能共计得分", "44.98分", "（一）自评结论综述 管理效能得分", "46.98分"),
]

# the figures that agree, with their arithmetic (by figure: every print of it)
AGREE = {
    # 23,395.51 ÷ 23,434.12 = 0.998352 → 99.84%
    "spending.total.execution_rate": ["99.84%"],
    # 8 产出 + 4 效益 indicators listed = 12
    "indicator_count": ["12个"],
    # 履职效能 = 产出 20 + 效益 20 + 支出率 10 = 50 of 50 → 100%; 50 of a total 100 → 权重 50%
    "scores.performance.weight": ["50分", "50"],
    "scores.performance.score": ["50分", "50"],
    "scores.performance.rate": ["100%", "100%"],
    "scores.performance.weight_percent": ["50"],
    "scores.management.weight": ["50分", "50"],
    "scores.management.weight_percent": ["50"],
    # 96.98 = 50 + 46.98
    "scores.total.score": ["96.98分"],
    # 产出: 8 indicators × 2.5 = 20 分, all achieved: 20; 7 产出数量 + 1 产出质量
    "scores.output.weight": ["20分"],
    "scores.output.indicator_count": ["8个", "8个", "8个"],
    "scores.output.产出数量指标.indicator_count": ["7个"],
    "scores.output.产出质量指标.indicator_count": ["1个"],
    "scores.output.child_weight": ["2.5分"],
    "scores.output.score": ["20分"],
    # 效益: 4 indicators × 5 = 20 分, all exceeded: 20; 2 社会效益 + 1 可持续影响 + 1 满意度
    "scores.benefit.weight": ["20分"],
    "scores.benefit.indicator_count": ["4个", "4个", "4个"],
    "scores.benefit.child_weight": ["5分"],
    "scores.benefit.社会效益指标.indicator_count": ["2个"],
    "scores.benefit.可持续影响指标.indicator_count": ["1个"],
    "scores.benefit.满意度指标.indicator_count": ["1个"],
    "scores.benefit.score": ["20分"],
    # the formula divides by n = 10 reported months
    "monthly.n": ["10"],
    "scores.execution.score": ["10分"],
    # 重点任务: 3 产出指标 + 2 效益指标 listed
    "key_tasks.网络信息内容生态治理.产出指标.indicator_count": ["三个"],
    "key_tasks.网络信息内容生态治理.效益指标.indicator_count": ["二个"],
    # the amounts of the 收支 paragraph (the department's one row and its total)
    "spending.total.initial": ["21,015.25万元"],
    "spending.total.adjusted": ["23,434.12万元"],
    "spending.total.actual": ["23,395.51万元"],
    # the 自评结论 prints of 管理效能 agree (46.98 ÷ 50 = 93.96%)
    "scores.management.score": ["46.98分"],
    "scores.management.rate": ["93.96%"],
}


@pytest.fixture(scope="module")
def result():
    return pipeline.audit(pipeline.Project(ROOT), "guangzhou", 2022)


def test_expected_mismatches(result):
    found = [(f.where, f.printed, f.status, f.expected) for f in result.mismatches if f.status != CONFLICT]
    assert found == EXPECTED


def test_expected_conflicts(result):
    found = [(f.where, f.printed, f.other.where, f.other.printed) for f in result.conflicts]
    assert found == EXPECTED_CONFLICTS


def test_everything_else_agrees(result):
    # every derived figure the seed prints: 4 in the 收支 paragraph, 1 indicator count, 6 in the
    # scoring rules, 5 in the conclusion, 8 score-table cells, 13 in 产出/效益, 3 in 支出率,
    # 1 in 管理效能, 3 in the key task
    assert len(result.findings) == 44
    assert (result.count(OK), result.count(ROUNDING), result.count(WRONG)) == (39, 0, 5)
    ok: dict[str, list[str]] = {}
    for f in result.findings:
        if f.status == OK:
            ok.setdefault(f.figure, []).append(f.printed)
    assert ok == AGREE


def test_the_uncapped_average_is_named(result):
    average = next(f for f in result.findings if f.figure == "monthly.average")
    assert (average.exact, average.note) == ("99.62%", "（报告数等于每月不按 100% 封顶的平均数）")


def test_cli_exit_code_and_lines(cli_runner):
    out = cli_runner.invoke(main, ["audit", "guangzhou", "2022", "--root", str(ROOT)])
    assert out.exit_code == 1
    lines = out.output.splitlines()
    text = (ROOT / DATA).read_text(encoding="utf-8").splitlines()
    line = 1 + next(i for i, l in enumerate(text) if "key_tasks.网络信息内容生态治理.execution_rate" in l)
    assert (
        f"{ROOT / DATA}:{line}: （三）各重点任务项目支出完成情况分析 预算执行率：报告为 99.01%，按数据计算为 99.15%"
        in lines
    )
    assert lines[-1] == f"{ROOT / DATA}: 核对 44 个数字：39 个一致，0 个舍入差异，5 个错误，3 处前后不一致"
    assert len(lines) == len(EXPECTED) + len(EXPECTED_CONFLICTS) + 1


def test_cli_json(cli_runner):
    out = cli_runner.invoke(main, ["audit", "guangzhou", "2022", "--format", "json", "--root", str(ROOT)])
    assert out.exit_code == 1
    (report,) = json.loads(out.output)["files"]
    assert report["counts"] == {"ok": 39, "rounding": 0, "wrong": 5, "invalid": 0, "conflict": 3}
    task = next(f for f in report["findings"] if f["figure"].startswith("key_tasks."))
    assert (task["printed"], task["expected"], task["exact"]) == ("99.01%", "99.15%", "99.149939%")


def test_had_the_data_taken_44_98_the_total_would_be_wrong(cli_runner, project):
    # the other reading of the seed: 管理效能 44.98 makes the table right and the total 96.98 wrong
    data = project.data_dir / "guangzhou" / "2022.yaml"
    edit(data, "    score: 46.98\n", "    score: 44.98\n")
    out = cli_runner.invoke(main, ["audit", "guangzhou", "2022", "--root", str(project.root)])
    assert out.exit_code == 1
    assert "（一）自评结论综述 总体综合评分：报告为 96.98分，按数据计算为 94.98" in out.output
    # now the conclusion's 96.98, 46.98 and 93.96% are wrong instead of the two 44.98 and the 89.96%:
    # still 5 wrong (with 112.39% and 99.01%), and the same three pairs disagree
    assert out.output.splitlines()[-1].endswith("核对 44 个数字：39 个一致，0 个舍入差异，5 个错误，3 处前后不一致")

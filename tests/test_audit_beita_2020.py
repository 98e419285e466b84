"""北塔 2020 (seed 003): the audit finds every internal inconsistency of the printed report.

Each expected finding below was worked out by hand from the seed's own figures
(amounts in 万元; the format rounds half-up and prints a share column summing to
exactly 100%, adjusting the last digit by the largest remainder).
"""

from __future__ import annotations

import json

import pytest

from generator import pipeline
from generator.audit import CONFLICT, OK, ROUNDING, WRONG
from generator.cli import main

from .conftest import ROOT, edit

DATA = "data/beita/2020.yaml"

# 公用经费明细表: 决算支出 46.94 = 5.53 + 6.93 + 0.33 + 0.14 + 0.6 + 9 + 0.13 + 1.26 + 3 + 2.72 + 4.26 + 13.04.
# Each share rounded half-up sums to 99.99%; the missing 0.01 goes to the largest remainder,
# 工会经费 2.72 ÷ 46.94 = 5.7946% → 5.80%.  Three printed shares differ from the adjusted column
# (the printed column also sums to 100.00%: +0.01, −0.02, +0.01 against it):
EXPECTED = [
    # 9 ÷ 46.94 = 0.191734 → 19.17% (truncated too), printed 19.18%
    ("公用经费明细表 维修（护）费 占比", "19.18%", WRONG, "19.17%"),
    # 4.26 ÷ 46.94 = 0.090754 → 9.08% (truncated 9.07%), printed 9.06%
    ("公用经费明细表 其他交通费用 占比", "9.06%", WRONG, "9.08%"),
    # 13.04 ÷ 46.94 = 0.277801 → 27.78% (truncated too), printed 27.79%
    ("公用经费明细表 其他商品和服务支出 占比", "27.79%", WRONG, "27.78%"),
]

EXPECTED_CONFLICTS: list = []  # every figure printed twice is printed the same

# some of the figures that agree, with their arithmetic (the rest are the same figures printed again)
AGREE = {
    # 实际人数 = 在职 6 + 离退休 0
    "3、人员情况 实际人数": "6人",
    # 收入合计 预算 = 年初结转和结余 0 + 财政拨款 80.6 (其他收入 has no 预算)
    "预决算表 预算 收入合计": "80.6",
    # 支出小计 预算 = 人员经费 34.56 + 公用经费 46.04 + 项目支出 0
    "预决算表 预算 支出小计": "80.6",
    # 年末结转结余 = 收入合计 − 支出小计: 80.6 − 80.6 = 0; 98.2 − 98.2 = 0
    "预决算表 预算 年末结转结余": "0",
    "预决算表 决算 年末结转结余": "0",
    # 收入合计 决算 = 6.69 + 91.51 + 0 = 98.2
    "预决算表 决算 收入合计": "98.2",
    # 人员经费 决算 = 工资福利支出 45.77 + 对个人和家庭的补助 5.49 = 51.26
    "预决算表 决算 人员经费": "51.26",
    # 公用经费 决算 = 商品和服务支出 46.94 (Σ 12 items) + 资本性支出 0
    "预决算表 决算 公用经费": "46.94",
    # 支出小计 决算 = 51.26 + 46.94 + 0 = 98.2
    "预决算表 决算 支出小计": "98.2",
    # 差异率 = (决算 − 预算) ÷ 预算
    "预决算表 差异率 收入合计": "21.84%",  # 17.6 ÷ 80.6 = 0.218362
    "预决算表 差异率 财政拨款": "13.54%",  # 10.91 ÷ 80.6 = 0.135360
    "预决算表 差异率 支出小计": "21.84%",  # 17.6 ÷ 80.6
    "预决算表 差异率 人员经费": "48.32%",  # 16.7 ÷ 34.56 = 0.483218
    "预决算表 差异率 公用经费": "1.95%",  # 0.9 ÷ 46.04 = 0.019548
    # 预算 0: the rate divides by zero, which the format prints as 0
    "预决算表 差异率 年初结转、结余": "0",  # (6.69 − 0) ÷ 0
    "预决算表 差异率 项目支出": "0",
    "预决算表 差异率 年末结转结余": "0",
    # 基本支出 98.2 of 98.2 = 100%, 项目支出 0 of 98.2 = 0%
    "2、支出决算 基本支出占总支出": "100%",
    "2、支出决算 项目支出占总支出": "0%",
    # 支出决算明细表 合计: 45.77 + 46.94 + 5.49 + 0 = 98.2; 项目支出 0 + 0 + 0 + 0 = 0
    "支出决算明细表 合计 财政拨款—基本支出": "98.2",
    "支出决算明细表 合计 财政拨款—项目支出": "0",
    # 年初预算项目资金共计 = 6 + 7 + 2 + 20 + 5 = 40
    "（一）基本支出 年初预算项目资金共计": "40万",
    # shares of 基本支出 98.2 (sum 100.00%, no adjustment needed)
    "（一）基本支出 工资福利支出占基本支出": "46.61%",  # 45.77 ÷ 98.2 = 0.466090
    "（一）基本支出 商品服务支出占基本支出": "47.8%",  # 46.94 ÷ 98.2 = 0.478004 → 47.80%
    "（一）基本支出 对个人家庭补助支出占基本支出": "5.59%",  # 5.49 ÷ 98.2 = 0.055906
    "（一）基本支出 资本性支出占基本支出": "0%",
    # “三公” = 因公出国（境）0 + 公务接待 0.13 + 公务用车 0 = 0.13; 公务接待费 0.13 − 0 (2019) = +0.13
    "（四）“三公”经费决算说明 “三公”经费决算支出数": "0.13万元",
    "（四）“三公”经费决算说明 公务接待费同比2019年增减": "增加0.13万元",
    # 工会经费 5.7946% → 5.80% after the adjustment (printed without the trailing 0)
    "公用经费明细表 工会经费 占比": "5.8%",
    "公用经费明细表 合计 占比": "100%",
    # 财政在职人员控制率 = 在职 6 ÷ 编制 8 = 75%
    "（一）预算配置 财政在职人员控制率": "75%",
}


@pytest.fixture(scope="module")
def result():
    return pipeline.audit(pipeline.Project(ROOT), "beita", 2020)


def test_expected_mismatches(result):
    found = [(f.where, f.printed, f.status, f.expected) for f in result.mismatches if f.status != CONFLICT]
    assert found == EXPECTED


def test_no_conflicts(result):
    assert list(result.conflicts) == EXPECTED_CONFLICTS


def test_everything_else_agrees(result):
    # every derived figure the seed prints: 1 headcount, 3 in the 收支 paragraph, 17 预决算 cells,
    # 5 in 支出决算, 3 经济分类 cells, 7 in 基本支出, 1 项目支出, 2 “三公”, 1 公用经费,
    # 14 公用经费明细 cells, 4 in 预算配置
    assert len(result.findings) == 58
    assert (result.count(OK), result.count(ROUNDING), result.count(WRONG)) == (55, 0, 3)
    ok = {f.where: f.printed for f in result.findings if f.status == OK}
    assert {where: ok.get(where) for where in AGREE} == AGREE


def test_the_union_fee_agrees_only_after_the_adjustment(result):
    union = next(f for f in result.findings if f.where == "公用经费明细表 工会经费 占比")
    assert (union.status, union.expected, union.exact) == (OK, "5.8%", "5.794631%")


def test_cli_exit_code_and_lines(cli_runner):
    out = cli_runner.invoke(main, ["audit", "beita", "2020", "--root", str(ROOT)])
    assert out.exit_code == 1
    lines = out.output.splitlines()
    text = (ROOT / DATA).read_text(encoding="utf-8").splitlines()
    line = 1 + next(i for i, l in enumerate(text) if "running.维修（护）费.share" in l)
    assert lines[0] == f"{ROOT / DATA}:{line}: 公用经费明细表 维修（护）费 占比：报告为 19.18%，按数据计算为 19.17%"
    assert lines[-1] == f"{ROOT / DATA}: 核对 58 个数字：55 个一致，0 个舍入差异，3 个错误"
    assert len(lines) == len(EXPECTED) + 1


def test_cli_json(cli_runner):
    out = cli_runner.invoke(main, ["audit", "beita", "2020", "--format", "json", "--root", str(ROOT)])
    assert out.exit_code == 1
    (report,) = json.loads(out.output)["files"]
    assert report["counts"] == {"ok": 55, "rounding": 0, "wrong": 3, "invalid": 0, "conflict": 0}
    wrong = [(f["figure"], f["exact"]) for f in report["findings"] if f["status"] == "wrong"]
    assert wrong == [
        ("running.维修（护）费.share", "19.173413%"),
        ("running.其他交通费用.share", "9.075415%"),
        ("running.其他商品和服务支出.share", "27.780145%"),
    ]


def test_an_unadjusted_share_is_a_rounding_difference(cli_runner, project):
    # 工会经费 printed 5.79%: the plain half-up share, not the adjusted 5.80% the column needs
    data = project.data_dir / "beita" / "2020.yaml"
    edit(data, "column: 占比, printed: 5.8%}", "column: 占比, printed: 5.79%}")
    out = cli_runner.invoke(main, ["audit", "beita", "2020", "--root", str(project.root)])
    assert "工会经费 占比：报告为 5.79%，按数据计算为 5.80%（舍入差异：报告未按最大余数法调整末位" in out.output
    assert out.output.splitlines()[-1].endswith("核对 58 个数字：54 个一致，1 个舍入差异，3 个错误")

"""湛江 2021 (seed 002): the printed report has no internal inconsistency the audit can find.

The seed prints two derived figures, both worked out by hand below (amounts in 元);
everything else it prints is an input (财政拨款收入, 基本支出, 项目支出, each kind of
编制 and 在职 — no staff totals are printed).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from generator import pipeline
from generator.audit import OK
from generator.cli import main

from .conftest import ROOT, edit

DATA = "data/zhanjiang/2021.yaml"

AGREE = [
    # 支出 = 基本支出 3,421,886.78 + 项目支出 4,765,400 = 8,187,286.78 (printed without separators)
    ("spending.total.actual", "（四）部门整体支出情况 支出", "8187286.78元"),
    # 总分 = the one scoring block's score, 100 of 100
    ("scores.total.score", "（一）自评结果 自评得分", "100分"),
]

EXPECTED: list = []  # no mismatch
EXPECTED_CONFLICTS: list = []


@pytest.fixture(scope="module")
def result():
    return pipeline.audit(pipeline.Project(ROOT), "zhanjiang", 2021)


def test_every_printed_figure_agrees(result):
    assert [(f.figure, f.where, f.printed) for f in result.findings] == AGREE
    assert all(f.status == OK for f in result.findings)
    assert [f for f in result.mismatches] == EXPECTED
    assert list(result.conflicts) == EXPECTED_CONFLICTS


def test_spending_above_income_is_no_printed_inconsistency(result):
    # 支出 8,187,286.78 exceeds the one income stated, 财政拨款收入 8,159,635.29, by 27,651.49;
    # the report never prints an income total or a balance, so no printed figure contradicts another
    figures = pipeline.check(pipeline.Project(ROOT), "zhanjiang", 2021).values
    assert figures["spending"].total["actual"] - figures["income"].total["actual"] == Decimal("27651.49")


def test_cli_exit_0(cli_runner):
    out = cli_runner.invoke(main, ["audit", "zhanjiang", "2021", "--root", str(ROOT)])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == [f"{ROOT / DATA}: 核对 2 个数字：2 个一致，0 个舍入差异，0 个错误"]
    out = cli_runner.invoke(main, ["audit", "zhanjiang", "2021", "--strict", "--format", "json", "--root", str(ROOT)])
    assert out.exit_code == 0
    (report,) = json.loads(out.output)["files"]
    assert report["counts"] == {"ok": 2, "rounding": 0, "wrong": 0, "invalid": 0, "conflict": 0}


def test_a_misprinted_total_would_be_caught(cli_runner, project):
    data = project.data_dir / "zhanjiang" / "2021.yaml"
    edit(data, "printed: 8187286.78元}", "printed: 8187287.28元}")
    out = cli_runner.invoke(main, ["audit", "zhanjiang", "2021", "--root", str(project.root)])
    assert out.exit_code == 1
    assert "（四）部门整体支出情况 支出：报告为 8187287.28元，按数据计算为 8187286.78元" in out.output

"""`reportgen new`: next year's draft from this year's file, and the refusal to build it unfilled."""

from __future__ import annotations

import re

import pytest
import yaml

from generator import pipeline, placeholder, scaffold
from generator.cli import main
from generator.errors import DataError

from .conftest import edit


@pytest.fixture
def drafted(cli_runner, project):
    result = cli_runner.invoke(main, ["new", "guangzhou", "2024", "--root", str(project.root)])
    assert result.exit_code == 0, result.output
    return project, result.output


def test_new_keeps_comments_order_and_narrative(drafted):
    project, _ = drafted
    old = project.data_path("guangzhou", 2023).read_text(encoding="utf-8").splitlines()
    new = project.data_path("guangzhou", 2024).read_text(encoding="utf-8").splitlines()
    head = scaffold.header("2023.yaml", 2024, []).count("\n") + 1  # and the $schema line
    assert new[0] == "# yaml-language-server: $schema=../../templates/guangzhou-2024/schema.json"
    assert new[1].startswith("# 【草稿】由 reportgen new 根据 2023.yaml 生成的 2024 年度数据文件")
    # reported: (the last section) is emptied; everything before it is kept line for line
    reported = old.index("reported:")
    assert len(new) == head + reported + 1

    def shape(line: str) -> str:
        return re.sub(r"\d+(?:\.\d+)?(?:-\d+-\d+)?|待填", "#", re.sub(r"\[[\d., ]+\]", "#", line))

    # every line is the same but for its values: comments, order, layout, narrative kept
    assert [shape(l) for l in old[:reported]] == [shape(l) for l in new[head:-1]]
    assert new[-1] == "reported: " + scaffold.CLEARED_NOTE
    assert "      - name: ~" in new and "          - {}" not in new  # the unnamed level and the indicators
    assert [l for l in new if l.startswith("annexes:") or "{key: " in l] == [
        l for l in old if l.startswith("annexes:") or "{key: " in l
    ]
    assert "      - {name: 人员经费,     initial: 待填, adjusted: 待填, actual: 待填}" in new
    assert "  authorized: 待填      # 编制人数" in new
    assert "monthly_execution: {from: 待填, rates: 待填}" in new  # the month the 通报 starts, and the rates
    assert "year: 2024" in new and "  as_of: 2024-12-31" in new
    assert "    weight: 50" in new  # the bureau's 分值 are kept
    assert [l for l in old if "营造清朗网络空间、助力疫情防控" in l] == [l for l in new if "助力疫情防控" in l]


def test_new_reports_what_to_fill_and_what_to_review(drafted):
    project, output = drafted
    path = project.data_path("guangzhou", 2024)
    lines = output.splitlines()
    assert lines[0] == f"已生成 {path}（底本：{project.data_path('guangzhou', 2023)}）"
    # 编制/实有 2, spending 4 rows × 3 = 12, monthly 2 (from, rates), key_task_count 1, scores typed 4 (output,
    # benefit, execution, management); the indicator counts are now the indicators listed
    assert lines[1] == "  待填写的数字：21 处（填完之前 check 和 build 会逐条列出并拒绝生成）"
    assert "  已自动更新：第 19 行 staffing.as_of: 2023-12-31 → 2024-12-31" in lines
    (reported,) = [
        n for n, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("reported:")
    ]
    entries = len(yaml.safe_load(project.data_path("guangzhou", 2023).read_text(encoding="utf-8"))["reported"])
    assert entries > 60  # every derived figure the 2023 source prints
    assert f"  已自动更新：第 {reported} 行 reported: {entries} 条上年报告印出的数字 → []（已清空）" in lines
    text = path.read_text(encoding="utf-8").splitlines()
    (goals,) = [n for n, l in enumerate(text, 1) if "助力疫情防控" in l]
    assert any(l.startswith(f"  {path}:{goals}: 疫情“疫情”：") for l in lines)
    assert any(l.startswith(f"  {path}:") and "年份“2023”" in l for l in lines)


def test_build_and_check_refuse_the_draft_listing_each_figure(cli_runner, drafted):
    project, _ = drafted
    path = project.data_path("guangzhou", 2024)
    text = path.read_text(encoding="utf-8").splitlines()
    expected = [
        f"{path}:{n}: " for n, line in enumerate(text, 1) for _ in range(line.count("待填")) if not line.startswith("#")
    ]
    for command in ("build", "check"):
        result = cli_runner.invoke(main, [command, "guangzhou", "2024", "--root", str(project.root)])
        assert result.exit_code == 1
        problems = [l for l in result.output.splitlines() if "待填写" in l]
        assert len(problems) == 21 == len(expected)
        assert [p[: len(e)] for p, e in zip(problems, expected, strict=True)] == expected
        assert (
            f"{path}:27: spending[0].children[0].initial（基本支出 › 人员经费 › 年初预算）: 待填写：请填入本年度的数字"
            in problems
        )
        assert f"{path}:35: monthly_execution.from（每月执行率 › 起始月份）: 待填写：请填入本年度的数字" in problems
        assert f"{path}:35: monthly_execution.rates（每月执行率）: 待填写：请填入本年度的数字" in problems
        assert "Traceback" not in result.output
    assert not (project.root / "build" / "guangzhou-2024.docx").exists()


def test_new_never_overwrites(cli_runner, drafted):
    project, _ = drafted
    path = project.data_path("guangzhou", 2024)
    before = path.read_bytes()
    result = cli_runner.invoke(main, ["new", "guangzhou", "2024", "--root", str(project.root)])
    assert result.exit_code == 1
    assert result.output == f"{path}: 文件已存在，不会覆盖（如需重新生成，请先自行改名或删除）\n"
    assert path.read_bytes() == before


def test_new_needs_the_previous_year(cli_runner, project):
    result = cli_runner.invoke(main, ["new", "guangzhou", "2026", "--root", str(project.root)])
    assert result.exit_code == 1
    assert "2025.yaml: 找不到上一年度的数据文件（该部门已有年度：2022、2023；可用 --from 指定）" in result.output
    assert not project.data_path("guangzhou", 2026).exists()
    result = cli_runner.invoke(main, ["new", "guangzhou", "2026", "--from", "2023", "--root", str(project.root)])
    assert result.exit_code == 0
    assert "year: 2026" in project.data_path("guangzhou", 2026).read_text(encoding="utf-8")
    assert "as_of: 2026-12-31" in project.data_path("guangzhou", 2026).read_text(encoding="utf-8")


def test_a_filled_draft_has_nothing_to_audit(cli_runner, drafted):
    """Last year's printed figures are gone: audit has nothing to compare until this year's are copied in."""
    project, _ = drafted
    path = project.data_path("guangzhou", 2024)
    text = path.read_text(encoding="utf-8").replace("{from: 待填, rates: 待填}", "{from: 12, rates: [98.5]}")
    path.write_text(text.replace("待填", "1"), encoding="utf-8")
    result = cli_runner.invoke(main, ["audit", "guangzhou", "2024", "--root", str(project.root)])
    assert result.exit_code == 0, result.output
    assert "没有记录报告中印出的数字（reported:），无从核对" in result.output


def test_a_filled_draft_builds(cli_runner, drafted):
    project, _ = drafted
    path = project.data_path("guangzhou", 2024)
    text = path.read_text(encoding="utf-8")
    text = text.replace("{from: 待填, rates: 待填}", "{from: 11, rates: [98.5, 101.2]}")
    text = text.replace("待填", "1")
    path.write_text(text, encoding="utf-8")
    result = cli_runner.invoke(main, ["build", "guangzhou", "2024", "--root", str(project.root)])
    assert result.exit_code == 0, result.output


def test_placeholder_anywhere_is_reported(project):
    path = project.data_path("guangzhou", 2023)
    edit(path, "short_name: 市委网信办", "short_name: 待填")
    edit(path, "    weight: 50\n    score: 45.5\n", "    weight: 50\n    score: 待填写\n")
    with pytest.raises(DataError) as info:
        pipeline.check(project, "guangzhou", 2023)
    assert [(p.line, p.field) for p in info.value.problems] == [
        (10, "department.short_name（部门 › 部门简称）"),
        (76, "scoring[1].score（管理效能 › 得分）"),
    ]
    assert {p.message for p in info.value.problems} == {placeholder.MESSAGE}


def test_new_keeps_the_schema_line_first_when_the_source_has_it(cli_runner, project):
    # data/beita/2020.yaml starts with the modeline itself: the draft's note goes below it, not above
    source = project.data_path("beita", 2020).read_text(encoding="utf-8").splitlines()
    assert source[0] == "# yaml-language-server: $schema=../../templates/hunan-county/schema.json"
    result = cli_runner.invoke(main, ["new", "beita", "2021", "--root", str(project.root)])
    assert result.exit_code == 0, result.output
    new = project.data_path("beita", 2021).read_text(encoding="utf-8").splitlines()
    assert new[0] == source[0]
    assert new[1].startswith("# 【草稿】由 reportgen new 根据 2020.yaml 生成的 2021 年度数据文件")
    assert sum(line.startswith("# yaml-language-server:") for line in new) == 1
    # the lines it reports are the draft's own: 第 12 行 is year: 2021
    assert "第 12 行 year: 2020 → 2021" in result.output
    assert new[11] == "year: 2021"

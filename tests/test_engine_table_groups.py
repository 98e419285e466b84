"""Engine: ``T.groups.COL`` — a table's rows grouped by a text column, in the order each value first appears."""

from __future__ import annotations

from pathlib import Path

from generator.cli import main
from generator.engine_compute import group_rows
from generator.extract import text_lines

from .conftest import format_project

FORMAT = """\
name: 分组印出
unit: 元
inputs:
  team:
    type: list
    label: 评价小组
    help: 成员
    columns:
      name: {type: text, label: 姓名, help: 姓名}
      duty: {type: text, label: 分工, help: 分工, required: false}
"""

DATA = """\
format: grouping
year: 2024
team:
  - {name: 甲, duty: 统筹}
  - {name: 乙, duty: 协助}
  - {name: 丙, duty: 统筹}
  - {name: 丁}
  - {name: 戊, duty: 协助}
"""

TEMPLATE = (
    "{% for g in team.groups.duty %}{{ g.rows|map(attribute='name')|join('、') }}：{{ g.value }}"
    "{% if not loop.last %}；{% endif %}{% endfor %}。"
)


def project(root: Path, data: str = DATA, fmt: str = FORMAT) -> None:
    format_project(root, "grouping", fmt, [TEMPLATE], data, "dept")


def test_group_rows_keeps_first_appearance_order_and_skips_empty():
    rows = [
        {"n": "甲", "d": "统筹"},
        {"n": "乙", "d": "协助"},
        {"n": "丙", "d": "统筹"},
        {"n": "丁", "d": None},
        {"n": "戊", "d": ""},
    ]
    groups = group_rows(rows, "d")
    assert [(g["value"], [r["n"] for r in g["rows"]]) for g in groups] == [("统筹", ["甲", "丙"]), ("协助", ["乙"])]
    assert group_rows([], "d") == []


def test_a_template_prints_rows_grouped_by_a_column(tmp_path, cli_runner):
    project(tmp_path)
    out = tmp_path / "out.docx"
    result = cli_runner.invoke(
        main, ["build", "dept", "2024", "-o", str(out), "--root", str(tmp_path)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    # 丁 has no duty: in no group; 戊 joins 乙 (协助 first appears with 乙)
    assert text_lines(out) == ["甲、丙：统筹；乙、戊：协助。"]
    names = cli_runner.invoke(main, ["names", "dept", "2024", "--root", str(tmp_path)]).output.splitlines()
    assert "team.groups.duty\t（2 组）\t评价小组 › 按分工分组（value、rows）" in names
    # the name column is not grouped
    assert not any(line.startswith("team.groups.name") for line in names)


def test_a_column_named_groups_is_refused(tmp_path, cli_runner):
    project(tmp_path, fmt=FORMAT.replace("      duty:", "      groups:"), data=DATA.replace("duty:", "groups:"))
    result = cli_runner.invoke(main, ["check", "dept", "2024", "--root", str(tmp_path)])
    assert result.exit_code == 1
    path = tmp_path / "templates" / "grouping" / "format.yaml"
    assert result.output.splitlines() == [
        f"{path}:10: inputs.team.columns.groups: “groups”是表格的保留名称，请换一个列名",
        "1 个文件有错误",
    ]

"""format.yaml and templates/_base/layout.yaml: checked before rendering, every problem at once.

Each message is ``file:line: field: 中文说明`` and the build exits 1 without an output file;
never 程序内部错误.  The layout is parsed once per version of the file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import pytest

from generator import diskcache, layout
from generator.cli import main

from .conftest import edit

LAYOUT = "templates/_base/layout.yaml"
FORMAT = "templates/guangzhou-2024/format.yaml"


def build_fails(cli_runner, project, monkeypatch) -> list[str]:
    monkeypatch.chdir(project.root)  # paths in messages start at templates/, as a clerk sees them
    result = cli_runner.invoke(main, ["build", "guangzhou", "2023", "-o", "out.docx"])
    assert result.exit_code == 1, result.output
    assert "内部错误" not in result.output
    assert not (project.root / "out.docx").exists()
    return result.output.splitlines()


def test_the_issue_case_a_layout_with_only_margins(cli_runner, project, monkeypatch):
    (project.root / LAYOUT).write_text("page: {margins: {top: abc}}\n", encoding="utf-8")
    assert build_fails(cli_runner, project, monkeypatch) == [
        f"{LAYOUT}:1: page.width_mm: 缺少必填字段",
        f"{LAYOUT}:1: page.height_mm: 缺少必填字段",
        f"{LAYOUT}:1: page.top_mm: 缺少必填字段",
        f"{LAYOUT}:1: page.bottom_mm: 缺少必填字段",
        f"{LAYOUT}:1: page.left_mm: 缺少必填字段",
        f"{LAYOUT}:1: page.right_mm: 缺少必填字段",
        f"{LAYOUT}:1: page.footer_mm: 缺少必填字段",
        f"{LAYOUT}:1: page.margins: 未知字段（是否拼写错误？）",
        f"{LAYOUT}:1: page_number: 缺少必填字段",
        f"{LAYOUT}:1: styles: 缺少必填字段",
    ]


def test_layout_mistakes_all_at_once_with_their_lines(cli_runner, project, monkeypatch):
    path = project.root / LAYOUT
    edit(path, "  top_mm: 37", "  top_mm: abc")
    edit(path, '  pattern: "— {page} —"', '  pattern: "第 页"')
    edit(path, "    size_pt: 16\n    line_pt: 28.95       # 每页 22 行", "    size_pt: -3\n    line_pt: 28.95")
    edit(
        path,
        "    size_pt: 22\n    line_pt: 35\n    align: center",
        "    szie_pt: 22\n    line_pt: 35\n    align: middle",
    )
    assert build_fails(cli_runner, project, monkeypatch) == [
        f"{LAYOUT}:7: page.top_mm: 应为数字，得到 “abc”",
        f"{LAYOUT}:15: page_number.pattern: 页码格式中要写一次 {{page}}（页码印在那里），如 “— {{page}} —”，得到 “第 页”",
        f"{LAYOUT}:21: styles.Normal.size_pt: 应大于 0，得到 -3",
        f"{LAYOUT}:25: styles.Title.size_pt: 缺少必填字段",
        f"{LAYOUT}:28: styles.Title.szie_pt: 未知字段（是否拼写错误？）",
        f"{LAYOUT}:30: styles.Title.align: 应为 left、right、center、justify 之一，得到 “middle”",
    ]


def test_margins_wider_than_the_page(cli_runner, project, monkeypatch):
    edit(project.root / LAYOUT, "  left_mm: 28", "  left_mm: 200")
    assert build_fails(cli_runner, project, monkeypatch) == [
        f"{LAYOUT}:4: page: 左右页边距之和（226 mm）不小于纸张宽度（210 mm），没有地方写正文",
    ]


@pytest.mark.parametrize(
    "content, expected",
    [
        ("- a\n- b\n", f"{LAYOUT}:1: 文件内容应为一组字段（“名称: 值”）"),
        (
            "page:\n\twidth_mm: 210\n",
            f"{LAYOUT}:2: YAML 语法错误：这里有不能出现在开头的字符：缩进只能用空格，不能用 Tab；以 @ ` % 等符号开头的文字请加引号（found character that cannot start any token，第 1 列）",
        ),
    ],
)
def test_a_layout_that_is_not_settings(cli_runner, project, monkeypatch, content, expected):
    (project.root / LAYOUT).write_text(content, encoding="utf-8")
    assert build_fails(cli_runner, project, monkeypatch) == [expected]


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("rounding: half_up ", "rounding: up ", f"{FORMAT}:5: rounding: 应为 half_up、truncate 之一，得到 “up”"),
        (
            'headings: ["{cn}、"',
            'headings: ["{x}、"',
            f"{FORMAT}:13: headings: 标题编号“{{x}}、”只能用 {{cn}}（一、二、三）和 {{n}}（1、2、3），至少用其中一个；其他花括号不能写",
        ),
        (
            "  - {min: 0, word: 差}",
            "  - {min: 10, word: 差}",
            f"{FORMAT}:8: grades: 最低一档的 min 应为 0，否则低于它的得分没有等级",
        ),
        (
            "template: template.docx",
            "template: ../../x.docx",
            f"{FORMAT}:3: template: 应为与 format.yaml 在同一文件夹的 .docx 文件名，如 template.docx，得到 “../../x.docx”",
        ),
        (
            "template: template.docx",
            "template: other.docx",
            f"{FORMAT}:3: template: 模板文件 other.docx 不在 format.yaml 所在的文件夹里",
        ),
        ("child_row_indent: 1 ", "child_row_indent: 9 ", f"{FORMAT}:34: child_row_indent: 不能大于 4，得到 9"),
        ("unit: 万元", "unit: 万元\nunits: 元", f"{FORMAT}:5: units: 未知字段（是否拼写错误？）"),
    ],
)
def test_format_mistakes(cli_runner, project, monkeypatch, old, new, expected):
    edit(project.root / FORMAT, old, new)
    assert build_fails(cli_runner, project, monkeypatch) == [expected]


def test_a_format_without_inputs_must_declare_them(cli_runner, project, monkeypatch):
    """A format.yaml of settings alone (no inputs:) is refused, naming the file and the guide,
    before its other keys are looked at (text_keys:, monthly_cap: are no settings any more)."""
    path = project.root / FORMAT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("\ninputs:", 1)[0] + "\ntext_keys: {intro: 概述}\nmonthly_cap: 100\n", encoding="utf-8")
    assert build_fails(cli_runner, project, monkeypatch) == [
        f"{FORMAT}:1: inputs: format.yaml 没有声明数据字段：每个格式都要用 inputs: 写明它的数据文件有哪些字段"
        "（每项的类型、label、help），见 docs/新增格式.md"
    ]


@pytest.fixture
def no_disk_cache(monkeypatch):
    """Settings checked in this process only (the disk cache is tested apart)."""
    monkeypatch.setenv("REPORTGEN_CACHE", "off")
    diskcache.folder.cache_clear()
    yield
    diskcache.folder.cache_clear()


def test_the_layout_is_parsed_once_per_version(project, monkeypatch, no_disk_cache):
    parsed = []
    real = layout._check
    monkeypatch.setattr(layout, "_check", lambda *a, **k: parsed.append(1) or real(*a, **k))
    monkeypatch.setattr(layout, "_CACHE", {})
    first = layout.load_layout(project.templates_dir)
    assert layout.load_layout(project.templates_dir) == first
    path = project.templates_dir / "_base" / "layout.yaml"
    path.touch()  # same content: no new parse
    layout.load_layout(project.templates_dir)
    assert len(parsed) == 1
    edit(path, "  top_mm: 37", "  top_mm: 38")
    assert layout.load_layout(project.templates_dir)["page"]["top_mm"] == 38
    assert len(parsed) == 2
    first["page"]["top_mm"] = 99  # a caller changing its copy changes nothing for the next
    edit(path, "  top_mm: 38", "  top_mm: 37")
    assert layout.load_layout(project.templates_dir)["page"]["top_mm"] == 37


LAYOUT_IN_A_NEW_PROCESS = """
import sys
from pathlib import Path
from generator.errors import FormatError
from generator.layout import load_layout
try:
    print(load_layout(Path(sys.argv[1]))["page"]["top_mm"], "pydantic" in sys.modules)
except FormatError as exc:
    print(exc)
"""


def test_a_checked_layout_is_kept_on_disk(project, tmp_path):
    """A new process with the layout unchanged reads it checked from the cache, without pydantic;
    changed, it is checked again; a layout with a mistake is never kept (the same message each time)."""
    env = dict(os.environ, REPORTGEN_CACHE=str(tmp_path / "cache"))

    def run() -> str:
        command = [sys.executable, "-c", LAYOUT_IN_A_NEW_PROCESS, str(project.templates_dir)]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout.strip()

    assert run() == "37 True"
    assert run() == "37 False"
    path = project.templates_dir / "_base" / "layout.yaml"
    edit(path, "  top_mm: 37", "  top_mm: 36")
    assert run() == "36 True"
    assert run() == "36 False"
    edit(path, "  top_mm: 36", "  top_mm: -1")
    first = run()
    assert first.endswith("layout.yaml:7: page.top_mm: 不能小于 0，得到 -1")
    assert run() == first
    env["REPORTGEN_CACHE"] = "off"
    edit(path, "  top_mm: -1", "  top_mm: 37")
    assert run() == "37 True"
    assert run() == "37 True"


def test_the_plain_settings_are_the_checked_ones():
    """format.yaml's settings, checked by the pydantic model, are read as plain data: the same
    fields with the same defaults (a field added to one and not the other fails here)."""
    from dataclasses import fields

    from generator.format_model import FormatModel
    from generator.formats import AnnexSpec, FormatSettings, Grade

    assert [f.name for f in fields(FormatSettings)] == list(FormatModel.model_fields)
    assert FormatModel(name="t").plain() == FormatSettings(name="t")
    checked = FormatModel.model_validate(
        {"name": "t", "unit": "元", "grades": [{"min": 0, "word": "合格"}], "annexes": [{"key": "a", "title": "表"}]}
    ).plain()
    assert checked.unit == "元"
    assert checked.grades == (Grade(Decimal(0), "合格"),)
    assert checked.annexes == (AnnexSpec("a", "表"),)

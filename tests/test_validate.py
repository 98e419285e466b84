"""Subtly wrong data files: each mistake is one line naming file, line and field."""

from __future__ import annotations

import pytest

from generator import pipeline
from generator.errors import DataError

from .conftest import edit


def check_lines(project) -> list[str]:
    """The problems ``check`` reports, without the file name."""
    with pytest.raises(DataError) as info:
        pipeline.check(project, "guangzhou", 2023)
    data = project.data_path("guangzhou", 2023)
    lines = str(info.value).splitlines()
    assert all(line.startswith(f"{data}:") for line in lines), lines
    return [line[len(f"{data}:") :] for line in lines]


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "authorized: 118",
            "authorized: 1,180",
            "15: staffing.authorized（人员情况 › 编制人数）: 应为整数，得到 “1,180”（不要加千分位逗号）",
        ),
        (
            "initial: 4118.22",
            "initial: 4,118.22",
            "22: spending[0].children[0].“118.22”（基本支出 › 人员经费）: 未知字段（在 { } 里逗号分隔各项，数字不要加千分位逗号）",
        ),
        (
            "initial: 4118.22",
            "initial: 4118.22万元",
            "22: spending[0].children[0].initial（基本支出 › 人员经费 › 年初预算）: 应为数字，得到 “4118.22万元”（只写数字，不写单位）",
        ),
        (
            "initial: 4118.22",
            "initial: ４１１８。２２",
            "22: spending[0].children[0].initial（基本支出 › 人员经费 › 年初预算）: 应为数字，得到 “４１１８。２２”（请用半角数字和小数点）",
        ),
        (
            "initial: 4118.22",
            "initial: yes",
            "22: spending[0].children[0].initial（基本支出 › 人员经费 › 年初预算）: 应为数字，得到 true",
        ),
        (
            "initial: 4118.22",
            "initial: " + "9" * 5000,
            "22: spending[0].children[0].initial（基本支出 › 人员经费 › 年初预算）: 数字位数过多：" + "9" * 40 + "…",
        ),
        (
            "initial: 4118.22",
            "initial: 0.0000001",
            "22: spending[0].children[0].initial（基本支出 › 人员经费 › 年初预算）: 小数位数过多：1E-7",
        ),
        ("authorized: 118", "authorized: true", "15: staffing.authorized（人员情况 › 编制人数）: 应为整数，得到 true"),
        (
            "authorized: 118",
            "authorized: " + "9" * 5000,
            "15: staffing.authorized（人员情况 › 编制人数）: 不能大于 10000000，得到 " + "9" * 40 + "…",
        ),
        ("authorized: 118", "authorized: -1", "15: staffing.authorized（人员情况 › 编制人数）: 不能小于 0，得到 -1"),
        ("score: 45.5", "score: -45.5", "57: scoring[1].score（管理效能 › 得分）: 不能小于 0，得到 -45.5"),
        # a stated whole must agree with its parts (reportgen check's consistency rules)
        (
            "  - name: 基本支出\n",
            "  - name: 基本支出\n    actual: 1\n",
            "21: spending[0].actual（基本支出 › 决算数）: 决算数写了 1.00，但下级各行合计为 4,542.43",
        ),
        (
            "    key: management",
            "    key: output",
            "74: scoring[1].key（管理效能）: key 重复：第 45 行（scoring[0].children[0].children[0].key）和第 74 行都是“output”，请改成不同的名称",
        ),
        (
            "  short_name: 市委网信办",
            "  short_name: 2023",
            "10: department.short_name（部门 › 部门简称）: 应为文字，得到数字 2023（如果内容就是这串数字，请加引号，如 '2023'）",
        ),
        (
            "  short_name: 市委网信办",
            '  short_name: "市委\\ud800"',
            "10: YAML 语法错误：双引号中的“\\u”转义写法不对（found invalid Unicode character escape code，第 20 列）",
        ),
        (
            "  short_name: 市委网信办",
            '  short_name: "市委\\r网信办"',
            "10: department.short_name（部门 › 部门简称）: 含有 Word 文档无法保存的控制字符 U+000D（本段第 3 个字符），请删除",
        ),
        (
            "  short_name: 市委网信办",
            '  short_name: "\\e[2J"',
            "10: department.short_name（部门 › 部门简称）: 含有 Word 文档无法保存的控制字符 U+001B（本段第 1 个字符），请删除",
        ),
        (
            "  as_of: 2023-12-31",
            "  as_of: 2023-02-30",
            "14: staffing.as_of（人员情况 › 统计日期）: 应为日期（如 2023-12-31），得到 “2023-02-30”",
        ),
        (
            "format: guangzhou-2024",
            "format: ../../etc",
            "5: format: 格式名称“../../etc”无效：只能用小写字母、数字和连字符（已有格式：guangzhou-2023、guangzhou-2024、hebei-district、hunan-county、zhanjiang）",
        ),
        (
            "format: guangzhou-2024",
            "format: shanghai-2024",
            "5: format: 找不到格式“shanghai-2024”（已有格式：guangzhou-2023、guangzhou-2024、hebei-district、hunan-county、zhanjiang）",
        ),
    ],
)
def test_one_mistake_one_line(project, old, new, expected):
    data = project.data_path("guangzhou", 2023)
    edit(data, old, new)
    # the expected line numbers were counted on an earlier data file: the problem must be
    # reported on the edited lines, with exactly the expected field and message
    first = data.read_text(encoding="utf-8").split(new, 1)[0].count("\n") + 1
    edited = range(first, first + new.count("\n") + 1)
    [line] = check_lines(project)
    number, rest = line.split(": ", 1)
    assert rest == expected.split(": ", 1)[1], line
    assert int(number) in edited or int(number) == int(expected.split(":")[0]), line


def test_a_bad_format_name_comes_with_the_other_problems(project):
    data = project.data_path("guangzhou", 2023)
    edit(data, "format: guangzhou-2024", "format: nowhere")
    edit(data, "actual: 115", "actual: 一百一十五")
    assert check_lines(project) == [
        "5: format: 找不到格式“nowhere”（已有格式：guangzhou-2023、guangzhou-2024、hebei-district、hunan-county、zhanjiang）",
        "16: staffing.actual（人员情况 › 实有在编人数）: 应为整数，得到 “一百一十五”",
    ]


def test_a_missing_format_lists_the_formats_with_the_other_problems(project):
    """No ``format:`` line: the formats there are, and the file's problems under the one it fits."""
    data = project.data_path("guangzhou", 2023)
    edit(data, "format: guangzhou-2024\n", "")
    edit(data, "actual: 115", "actual: 一百一十五")
    assert check_lines(project) == [
        "5: format: 缺少格式名称，应写 format: 格式名称"
        "（已有格式：guangzhou-2023、guangzhou-2024、hebei-district、hunan-county、zhanjiang）",
        "15: staffing.actual（人员情况 › 实有在编人数）: 应为整数，得到 “一百一十五”",
    ]


def test_a_control_character_in_a_paragraph_names_its_own_line(project):
    data = project.data_path("guangzhou", 2023)
    edit(data, "综上，履职效能共计得分", "综上，履职效能\x0c共计得分")
    [line] = check_lines(project)
    here = line_of(data, "综上，履职效能")
    assert line.startswith(f"{here}: text.execution_result: 第 12 列有不可见的字符 U+000C 换页符"), line


@pytest.mark.parametrize("text", ["- 1\n- 2\n", "hello\n", "~\n"])
def test_file_that_is_not_a_mapping(project, text):
    project.data_path("guangzhou", 2023).write_text(text, encoding="utf-8")
    assert check_lines(project) == [
        "1: 文件内容应为一组字段（“名称: 值”），第一行通常是 format: 格式名称（templates/ 下的文件夹名）"
    ]


def test_year_files_with_non_ascii_digits_are_not_listed(project):
    (project.data_dir / "guangzhou" / "²³.yaml").write_text("x: 1\n", encoding="utf-8")
    (project.data_dir / "guangzhou" / "２０２３.yaml").write_text("x: 1\n", encoding="utf-8")
    assert [r for r in project.reports() if r[0] == "guangzhou"] == [("guangzhou", 2022), ("guangzhou", 2023)]


def test_too_many_paragraphs_refused_before_rendering(project):
    edit(project.data_path("guangzhou", 2023), "    本指标得分", "    a\n" * 20_000 + "    本指标得分")
    [line] = check_lines(project)
    key_line = line_of(project.data_path("guangzhou", 2023), "  execution_result: |")
    assert line.startswith(f"{key_line}: text.execution_result（部门预算资金支出率得分及小结）: 文字段落过多（全文 "), (
        line
    )
    assert line.endswith("上限 20,000 段；这里有 20,003 段），请检查是否误粘贴了大量内容"), line


def test_too_many_table_rows_refused_before_rendering(project):
    rows = "".join(f"      - {{name: 行{i}, initial: 1, adjusted: 2, actual: 3}}\n" for i in range(2_000))
    edit(project.data_path("guangzhou", 2023), "      - {name: 人员经费,", rows + "      - {name: 人员经费,")
    assert check_lines(project) == [
        "19: spending（支出表）: 支出表行数过多（2,006 行，上限 2,000 行），请检查是否误粘贴了大量内容"
    ]


def line_of(path, text: str) -> int:
    """The line of ``path`` that holds ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)

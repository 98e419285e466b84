"""The README quotes no message and no name that the program does not print or accept.

Every message quoted (in backticks) in README 「错误输入与提示」 is produced here by the case its
row describes, on a copy of the real data and templates, and compared: the quote with each “…”
standing for any text must be found in what the program printed (a failing disk and a defect of
the program are made with a mock).  Every ``{{ … }}`` reference the README shows is
resolved against the narrative context of a real report.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.filters import make_env
from generator.formats import load_format
from generator.narrative import Resolver, render_paragraph

from .conftest import ROOT
from .test_templates import edit_template

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = "## 错误输入与提示"


def section(title: str) -> str:
    start = README.index(title)
    end = README.find("\n## ", start + len(title))
    return README[start : end if end >= 0 else None]


def cells(row: str) -> list[str]:
    """A Markdown table row's cells; ``\\|`` is a ``|`` inside a cell."""
    parts = re.split(r"(?<!\\)\|", row.strip())[1:-1]
    return [p.strip().replace("\\|", "|") for p in parts]


def quoted_rows() -> list[tuple[str, list[str]]]:
    """(the row's input, the messages quoted in its answer) for each table row that quotes one."""
    rows = []
    for line in section(SECTION).splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        first, answer = cells(line)[:2]
        quotes = re.findall(r"`([^`]+)`", answer)
        if first in ("错误输入", "情况") or not quotes:
            continue
        rows.append((first, quotes))
    return rows


def matches(quote: str, output: str) -> bool:
    pattern = ".*?".join(re.escape(part) for part in quote.split("…"))
    return re.search(pattern, output) is not None


# --- running the cases ------------------------------------------------------------------


class Case:
    """A copy of the repository's data and templates, and ways to break them."""

    def __init__(self, root: Path):
        shutil.copytree(ROOT / "data", root / "data")
        shutil.copytree(ROOT / "templates", root / "templates")
        self.root = root
        self.project = pipeline.Project(root)
        self.data = root / "data" / "guangzhou" / "2023.yaml"
        self.templates_dir = self.project.templates_dir

    def text(self) -> str:
        return self.data.read_text(encoding="utf-8")

    def write(self, text: str | bytes) -> None:
        if isinstance(text, bytes):
            self.data.write_bytes(text)
        else:
            self.data.write_text(text, encoding="utf-8")

    def edit(self, old: str, new: str) -> None:
        text = self.text()
        assert old in text, old
        self.write(text.replace(old, new, 1))

    def line(self, number: int, new: str) -> None:
        lines = self.text().split("\n")
        lines[number - 1] = new
        self.write("\n".join(lines))

    def run(self, *args: str, defect: bool = False) -> str:
        result = CliRunner().invoke(main, [*args, "--root", str(self.root)])
        assert "Traceback" not in result.output, result.output
        assert ("内部错误" in result.output) == defect, result.output
        return result.output

    def check(self) -> str:
        output = self.run("check", "guangzhou", "2023")
        return output

    def build(self, *extra: str, defect: bool = False) -> str:
        return self.run("build", "guangzhou", "2023", *extra, defect=defect)

    def fresh(self) -> None:
        shutil.copy(ROOT / "data" / "guangzhou" / "2023.yaml", self.data)


PARAGRAPH = "    本指标得分{{ scores.execution.score|score }}分。"


def _reference(case: Case, reference: str) -> str:
    case.fresh()
    case.edit(PARAGRAPH, f"    本指标得分{reference}分。")
    return case.check()


def _references(case: Case, *references: str) -> str:
    return "\n".join(_reference(case, r) for r in references)


def _template(case: Case, old: str, new: str) -> str:
    shutil.rmtree(case.templates_dir)
    shutil.copytree(ROOT / "templates", case.templates_dir)
    edit_template(case, old, new)
    return case.build()


TITLE = "<w:t>{{ year }}年度{{ dept.name }}部门整体支出绩效自评报告</w:t>"


def _gbk(case: Case) -> str:
    case.write(case.text().encode("gb18030"))
    return case.check()


def _big(case: Case) -> str:
    text = case.text()
    size = len(text.encode("utf-8"))
    case.write(text + "#" + "x" * (11_110_005 - size - 2) + "\n")
    return case.check()


def _laughs(case: Case) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    case.write("\n".join(lines) + "\n")
    return case.check()


def _paragraphs(case: Case) -> str:
    case.edit("    本指标得分", "    a\n" * 20_000 + "    本指标得分")
    out = case.check()
    case.fresh()
    rows = "".join(f"      - {{name: 行{i}, initial: 1, adjusted: 2, actual: 3}}\n" for i in range(2_000))
    case.edit("      - {name: 人员经费,", rows + "      - {name: 人员经费,")
    return out + case.check()


def _edits(*pairs: tuple[str, str]) -> Callable[[Case], str]:
    """Each (old, new) on a fresh copy, checked; the outputs together."""

    def run(case: Case) -> str:
        out = []
        for old, new in pairs:
            case.fresh()
            case.edit(old, new)
            out.append(case.check())
        return "\n".join(out)

    return run


def _lines(*pairs: tuple[int, str]) -> Callable[[Case], str]:
    def run(case: Case) -> str:
        out = []
        for number, new in pairs:
            case.fresh()
            case.line(number, new)
            out.append(case.check())
        return "\n".join(out)

    return run


def _whole(text: str) -> Callable[[Case], str]:
    def run(case: Case) -> str:
        case.write(text)
        return case.check()

    return run


def _output_folder(case: Case) -> str:
    (case.root / "x").write_text("a file")
    return case.build("-o", str(case.root / "x" / "sub" / "r.docx"))


def _output_is_folder(case: Case) -> str:
    (case.root / "out").mkdir()
    return case.build("-o", str(case.root / "out"))


def _failing_write(*errors: int) -> Callable[[Case], str]:
    """Build once, then again with the output folder failing with each error (as mkstemp or fsync would)."""

    def run(case: Case) -> str:
        assert case.build().startswith("已生成")
        out = []
        for code in errors:

            def fail(*args, code=code, **kwargs):
                raise OSError(code, os.strerror(code))

            target = "os.fsync" if code == errno.ENOSPC else "tempfile.mkstemp"
            with mock.patch(f"generator.write.{target}", fail):
                out.append(case.build())
        return "\n".join(out)

    return run


def _defect(case: Case) -> str:
    with mock.patch("generator.pipeline.render_docx", side_effect=RuntimeError("boom")):
        return case.build(defect=True)


def _unclosed_quote(case: Case) -> str:
    out = _lines((10, '  short_name: "市委网信办'))(case)
    case.fresh()
    case.write(case.text() + 'note: "没有闭合\n')
    return out + case.check()


def _folder_for_data(case: Case) -> str:
    case.data.unlink()
    case.data.mkdir()
    return case.check()


def _refused_reads(case: Case) -> str:
    out = []
    real_open = Path.open
    for code in (errno.EACCES, errno.EIO, errno.ENXIO):

        def refuse(self, *args, code=code, **kwargs):
            if self.name == "2023.yaml":
                raise OSError(code, os.strerror(code), str(self))
            return real_open(self, *args, **kwargs)

        with mock.patch.object(Path, "open", refuse):
            out.append(case.check())
    return "\n".join(out)


def _settings(*edits: tuple[str, str, str]) -> Callable[[Case], str]:
    """Each (file under templates/, old, new) on fresh templates, built; the outputs together.

    ``old`` None: the file's whole content becomes ``new``."""

    def run(case: Case) -> str:
        out = []
        for name, old, new in edits:
            shutil.rmtree(case.templates_dir)
            shutil.copytree(ROOT / "templates", case.templates_dir)
            path = case.templates_dir / name
            text = path.read_text(encoding="utf-8")
            if old is None:
                text = new
            else:
                assert old in text, old
                text = text.replace(old, new, 1)
            path.write_text(text, encoding="utf-8")
            out.append(case.build())
        return "\n".join(out)

    return run


LAYOUT = "_base/layout.yaml"
FORMAT = "guangzhou-2024/format.yaml"


CASES: dict[str, Callable[[Case], str]] = {
    # data file: encoding, size, YAML
    "用 GBK（记事本“ANSI”）保存": _gbk,
    "用 UTF-16 保存": lambda case: (case.write(case.text().encode("utf-16")), case.check())[1],
    "文件超过 10 MB": _big,
    "用 Tab 缩进": _lines((10, "\tshort_name: 市委网信办")),
    "文字里有“: ”": _lines((10, "  short_name: 市委: 网信办")),
    "引号没有闭合": _unclosed_quote,
    "方括号没有闭合": _edits(("99.79]}", "99.79}")),
    "同一字段写了两次": _lines((7, "year: 2023")),
    "`!!python/object/apply:os.system […]` 等标签": _lines(
        (10, "  short_name: !!python/object/apply:os.system [echo]")
    ),
    "合并键 `<<:`": _lines((10, "  <<: {short_name: 市委网信办}")),
    "锚点/别名炸弹（billion laughs）": _laughs,
    "别名反复引用一段长文字": _whole("t: &t " + "x" * 1_000_000 + "\nlist: [" + ", ".join(["*t"] * 20) + "]\n"),
    "锚点引用自己 `a: &a [*a]`": _whole("a: &a [*a]\n"),
    "嵌套超过 64 层": _whole("a: " + "[" * 100_000 + "]" * 100_000 + "\n"),
    "从 Word 粘贴带来的“手动换行”（U+000B）、分页符、ESC 等控制字符": _lines((10, "  short_name: 市委\x0b网信办")),
    "网页带来的 U+2028 行分隔符、编码出错的 U+0085": _edits(("    为贯彻落实中央", "    为\u2028贯彻落实中央")),
    '双引号转义写出的控制字符 `"\\x01"`、回车 `"\\r"`': _edits(
        ("  - title: 合同管理的严谨性有待加强", '  - title: "合同\\x01管理的严谨性有待加强"')
    ),
    '双引号里写错的转义 `"C:\\q"`': _lines((10, '  short_name: "C:\\q"')),
    "数据文件的位置上是一个文件夹": _folder_for_data,
    "没有读取权限、磁盘出错": _refused_reads,
    "文件内容是列表或一个词": _whole("- 一\n- 二\n"),
    "文字超过 20,000 段、支出表超过 2,000 行": _paragraphs,
    # fields and numbers
    "`adjusted: 399.5五`": _edits(("adjusted: 399.55,", "adjusted: 399.5五,")),
    "`authorized: 1,180`": _edits(("authorized: 118 ", "authorized: 1,180 ")),
    "`{…, initial: 4,118.22, …}`": _edits(("initial: 4118.22,", "initial: 4,118.22,")),
    "`initial: 4118.22万元`": _edits(("initial: 4118.22,", "initial: 4118.22万元,")),
    "`initial: ４１１８。２２`": _edits(("initial: 4118.22,", "initial: ４１１８。２２,")),
    "`initial: yes`": _edits(("initial: 4118.22,", "initial: yes,")),
    "31 位或 5000 位的数字": _edits(
        ("initial: 4118.22,", "initial: 1" + "0" * 30 + ","), ("authorized: 118 ", "authorized: " + "9" * 5000 + " ")
    ),
    "小数位过多 `0.0000001`": _edits(("initial: 4118.22,", "initial: 0.0000001,")),
    "负的得分": _edits(("    score: 45.5", "    score: -45.5")),
    "`.inf`、`.nan`": _edits(("initial: 4118.22,", "initial: .inf,")),
    "日期 `2023-02-30`": _edits(("as_of: 2023-12-31", "as_of: 2023-02-30")),
    "名称写成数字 `short_name: 2023`": _edits(("short_name: 市委网信办", "short_name: 2023")),
    "拼错的字段名": _edits(("  name: 中共广州市委", "  nmae: 中共广州市委")),
    "算出来的数写进了数据": _edits(
        ("year: 2023\n", "year: 2023\ngrade: 良\n"),
        ("adjusted: 4143.00, actual: 4142.98}", "adjusted: 4143.00, actual: 4142.98, adjustment: 24.78}"),
    ),
    "末级指标没写得分": _edits(("    weight: 50\n    score: 45.5\n", "    weight: 50\n")),
    "上级指标自己写了分值或得分": _edits(("    key: performance\n", "    key: performance\n    score: 50\n")),
    "所列绩效指标都写了分值": _edits(
        (
            "            key: execution\n",
            "            key: execution\n            indicators: [{weight: 10, score: 10}]\n",
        )
    ),
    "每月执行率写成一列数字（没写从几月起）": _lines(
        (30, "monthly_execution: [136.18, 115.62, 97.71, 111.30, 105.82, 97.69, 108.02, 101.04, 97.44, 99.79]")
    ),
    "多写了月份、某月写 0": _edits(("{from: 3, rates: [", "{from: 3, rates: [0, 0, ")),
    "两个指标用了同一个 key": _edits(("    key: management", "    key: output")),
    "`format: ../../别处`": _edits(("format: guangzhou-2024", "format: ../../etc")),
    "部门代号或年度写得过长、年度不是四位数": lambda case: (
        case.run("build", "a" * 300, "2023") + case.run("build", "guangzhou", "2" * 300)
    ),
    "不存在的格式": _edits(("format: guangzhou-2024", "format: shanghai-2024")),
    # format.yaml and layout.yaml
    "layout.yaml 只写了 `page: {margins: {top: abc}}`": _settings((LAYOUT, None, "page: {margins: {top: abc}}\n")),
    "页边距写成文字 `top_mm: abc`": _settings((LAYOUT, "  top_mm: 37", "  top_mm: abc")),
    "左右页边距比纸宽": _settings((LAYOUT, "  left_mm: 28", "  left_mm: 200")),
    "页码格式里没有 `{page}`": _settings((LAYOUT, '  pattern: "— {page} —"', '  pattern: "第 页"')),
    "字号 0、拼错的属性、不认识的对齐方式": _settings(
        (LAYOUT, "    size_pt: 22\n    line_pt: 35\n", "    size_pt: 0\n    line_pt: 35\n"),
        (LAYOUT, "    size_pt: 22\n    line_pt: 35\n", "    size_pt: 22\n    szie_pt: 22\n    line_pt: 35\n"),
        (LAYOUT, "    line_pt: 35\n    align: center", "    line_pt: 35\n    align: middle"),
    ),
    "`rounding: up`": _settings((FORMAT, "rounding: half_up ", "rounding: up ")),
    '标题编号 `"{x}、"`': _settings((FORMAT, 'headings: ["{cn}、"', 'headings: ["{x}、"')),
    "最低一档等级不是 0 分起": _settings((FORMAT, "  - {min: 0, word: 差}", "  - {min: 10, word: 差}")),
    "`template: ../x.docx`、模板文件不在": _settings(
        (FORMAT, "template: template.docx", "template: ../x.docx"),
        (FORMAT, "template: template.docx", "template: other.docx"),
    ),
    "`child_row_indent: 9`": _settings((FORMAT, "child_row_indent: 1 ", "child_row_indent: 9 ")),
    # references in narrative
    "`{{ scores.managment.score|score }}`": lambda case: _reference(case, "{{ scores.managment.score|score }}"),
    "`{{ staffing.authorized }}`，而没有填编制数": lambda case: (
        case.edit("  authorized: 118      # 编制人数\n", ""),
        case.edit(PARAGRAPH, "    编制{{ staffing.authorized }}人。"),
        case.check(),
    )[2],
    "`{{ dept.name|money }}`": lambda case: _reference(case, "{{ dept.name|money }}"),
    "`{{ x|money(99) }}`、`{{ x|round }}`": lambda case: _references(
        case, "{{ scores.total.score|money(99) }}", "{{ scores.total.score|round }}"
    ),
    "`{{ ''.__class__ }}`": lambda case: _reference(case, "{{ ''.__class__ }}"),
    "`{% for i in range(10**9) %}`、`{# … #}`": lambda case: _references(
        case, "{% for i in range(10**9) %}x{% endfor %}", "{# x #}"
    ),
    "`{{ 9**9**9 }}`、`{{ 'x' * 10**9 }}`、`{{ f() }}`": lambda case: _references(
        case, "{{ 9**9**9 }}", "{{ 'x' * 10**9 }}", "{{ f() }}"
    ),
    "只有 `{{` 没有 `}}`": lambda case: _reference(case, "{{ year"),
    # templates
    "语法错误 `{{ year }`": lambda case: _template(
        case, TITLE, "<w:t>{{ year }年度{{ dept.name }}部门整体支出绩效自评报告</w:t>"
    ),
    "不存在的过滤器": lambda case: _template(
        case, TITLE, "<w:t>{{ year|frob }}年度{{ dept.name }}部门整体支出绩效自评报告</w:t>"
    ),
    "不存在的变量、字段": lambda case: (
        _template(case, TITLE, "<w:t>{{ yaer }}年度{{ dept.name }}部门整体支出绩效自评报告</w:t>")
        + _template(case, TITLE, "<w:t>{{ year }}年度{{ dept.nmae }}部门整体支出绩效自评报告</w:t>")
    ),
    "模板要印的值数据里没有": lambda case: (case.edit("  authorized: 118      # 编制人数\n", ""), case.build())[1],
    "表格外的 `{%tr %}`": lambda case: _template(case, "{%p for p in t.intro %}", "{%tr for p in t.intro %}"),
    "`{%p %}`、`{%tr %}` 所在段落或行里还有文字": lambda case: _template(
        case, "{%p for p in t.intro %}", "{%p for p in t.intro %}重要的一句话"
    ),
    "`{%p endfor %}` 丢了": lambda case: _template(case, "{%p endfor %}", ""),
    "`range(10**100)`": lambda case: "\n".join(
        _template(case, TITLE, f"<w:t>{expression}</w:t>")
        for expression in ("{% for i in range(10**100) %}x{% endfor %}", "{{ range('x') }}")
    ),
    "`{{ ''.__class__.__mro__ }}`": lambda case: _template(case, TITLE, "<w:t>{{ ''.__class__.__mro__ }}</w:t>"),
    "嵌套 `range(99999)` 循环、`'x' * 10**9`、`2**100000`、`lipsum()`": lambda case: "\n".join(
        _template(case, TITLE, f"<w:t>{expression}</w:t>")
        for expression in (
            "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
            "{{ 'x' * 10**9 }}",
            "{{ 2**100000 }}",
            "{{ lipsum() }}",
        )
    ),
    "`|safe` 印出半截 XML、控制字符": lambda case: (
        _template(case, TITLE, "<w:t>{{ '&lt;/w:t&gt;'|safe }}</w:t>")
        + _template(case, TITLE, "<w:t>{{ '\\x01' }}</w:t>")
    ),
    "不是 .docx、XML 损坏": lambda case: (
        (case.templates_dir / "guangzhou-2024" / "template.docx").write_text("not a zip"),
        case.build(),
    )[1],
    # output
    "输出文件夹不存在": _output_folder,
    "`-o` 的文件名或其中一段文件夹名超过 255 字节（一个汉字占 3 字节）": lambda case: case.build(
        "-o", str(case.root / "build" / ("报告" * 43 + ".docx"))
    ),
    "`-o` 指向一个文件夹": _output_is_folder,
    "文件夹只读、没有权限、文件正在 Word 中打开": _failing_write(errno.EACCES, errno.EROFS),
    "磁盘已满（写入或写盘时）": _failing_write(errno.ENOSPC),
    "程序自身的缺陷": _defect,
}

# rows whose message is known to differ today, with the reason
PENDING: dict[str, str] = {}


ROWS = quoted_rows()


def test_the_readme_section_is_found_and_every_row_has_a_case():
    assert len(ROWS) > 60
    rows = {first for first, _ in ROWS}
    assert not rows - set(CASES), sorted(rows - set(CASES))
    assert not set(CASES) - rows, sorted(set(CASES) - rows)  # no case for a row the README lost


@pytest.mark.parametrize("row, quotes", [r for r in ROWS if r[0] in CASES], ids=[r[0] for r in ROWS if r[0] in CASES])
def test_each_quoted_message_is_what_the_program_prints(tmp_path, row, quotes):
    if row in PENDING:
        pytest.xfail(PENDING[row])
    output = CASES[row](Case(tmp_path))
    for quote in quotes:
        assert matches(quote, output), f"README quotes “{quote}”; the program printed:\n{output}"


# --- the names of the README's {{ … }} references ------------------------------------------

# shown in the README but not narrative references: the form itself, template-only heading
# numbers and a table loop's variable, the literal braces
NOT_NARRATIVE = {"名称.字段|过滤器", "…", "h.h1()", "h.h2()", "r.level1|vm", "'{{'", "'{%'", "'}}'"}


def readme_references() -> list[str]:
    """Every ``{{ … }}`` the README shows as something to write, outside the list of mistakes."""
    text = README.replace(section(SECTION), "")
    found = re.findall(r"\{\{ (.+?) \}\}", text.replace("\\|", "|"))
    return list(dict.fromkeys(r for r in found if r not in NOT_NARRATIVE))


@pytest.fixture(scope="module")
def narrative():
    project = pipeline.Project(ROOT)
    names = pipeline.context(project, "guangzhou", 2023)
    env = make_env(load_format(project.templates_dir, "guangzhou-2024").settings, autoescape=False)
    return env, Resolver(names, env.filters)


def test_the_readme_shows_references():
    references = readme_references()
    assert "spending.total.initial|money" in references and "scores.grade" in references, references


@pytest.mark.parametrize("reference", readme_references())
def test_each_readme_reference_resolves_in_a_real_report(narrative, reference):
    env, resolver = narrative
    text = render_paragraph(env, "{{ " + reference + " }}", resolver)
    assert text and "{{" not in text


def test_the_total_row_by_both_names(narrative):
    env, resolver = narrative
    # 17534.51 = 4118.22 + 388.67 + 0 + 13027.62
    assert (
        render_paragraph(env, "{{ spending.total.initial|money }}={{ spending.initial|money }}", resolver)
        == "17,534.51=17,534.51"
    )
    assert render_paragraph(env, "{{ scores.grade }}{{ grade }}", resolver) == "优优"


# --- output shown in the README's code blocks -----------------------------------------------


def block_after(marker: str) -> list[str]:
    """The lines of the first code block after ``marker``."""
    rest = README[README.index(marker) :]
    return re.search(r"```\n(.*?)```", rest, re.S).group(1).splitlines()


def shown_in(lines: list[str], output: str) -> None:
    for line in lines:
        assert matches(line, output), f"README shows “{line}”; the program printed:\n{output}"


def test_the_draft_placeholders_shown_are_those_check_lists(tmp_path):
    case = Case(tmp_path)
    assert case.run("new", "guangzhou", "2024").startswith("已生成")
    lines = block_after("并逐条列出每个待填的位置")
    assert len(lines) == 3
    shown_in(lines, case.run("check", "guangzhou", "2024"))


def test_the_audit_lines_shown_are_what_audit_prints(tmp_path):
    lines = block_after("输出每条一行")
    assert len(lines) == 3
    shown_in(lines, Case(tmp_path).run("audit", "guangzhou", "2023"))


def test_the_names_list_is_what_reportgen_names_prints():
    # the README's list of names is `reportgen names guangzhou 2023`, row for row (make readme rewrites it)
    block = re.search(r"<!-- names: guangzhou 2023 -->\n(.*?)<!-- /names -->", README, re.S)
    assert block, "README.md 缺少 <!-- names: guangzhou 2023 --> 标记"
    rows = [cells(line) for line in block.group(1).splitlines() if line.startswith("| `")]
    result = CliRunner().invoke(main, ["names", "guangzhou", "2023", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    printed = [line.split("\t") for line in result.output.splitlines()]
    assert [[f"`{name}`", value, meaning] for name, value, meaning in printed] == rows
    assert ["`spending.initial`", "17,534.51", "支出表 › 本年支出合计 › 年初预算（同 spending.total.initial）"] in rows

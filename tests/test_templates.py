"""Broken and hostile templates: each mistake names the template and the paragraph, nothing leaks."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from generator import pipeline
from generator.errors import TemplateProblem
from generator.extract import text_lines

TITLE = "<w:t>{{ year }}年度{{ dept.name }}部门整体支出绩效自评报告</w:t>"


def edit_template(project, old: str, new: str, part: str = "word/document.xml") -> None:
    """Replace ``old`` by ``new`` in one XML part of the project's template."""
    path = project.templates_dir / "guangzhou-2024" / "template.docx"
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == part:
                text = data.decode("utf-8")
                assert old in text, f"{old!r} not in {part}"
                data = text.replace(old, new, 1).encode("utf-8")
            target.writestr(name, data)
    path.write_bytes(out.getvalue())


def drop_paragraph(project, text: str) -> None:
    """Remove the template paragraph holding ``text``."""
    path = project.templates_dir / "guangzhou-2024" / "template.docx"
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    at = xml.index(text)
    start, end = xml.rindex("<w:p>", 0, at), xml.index("</w:p>", at) + len("</w:p>")
    edit_template(project, xml[start:end], "")


def build_error(project) -> str:
    """The message of a failed build; the output file must not exist."""
    start = time.monotonic()
    with pytest.raises(TemplateProblem) as info:
        pipeline.build(project, "guangzhou", 2023)
    assert time.monotonic() - start < 10
    assert not project.output_path("guangzhou", 2023).exists()
    message = str(info.value)
    template = project.templates_dir / "guangzhou-2024" / "template.docx"
    assert message.startswith(f"{template}"), message
    return message[len(str(template)) :]


@pytest.mark.parametrize(
    "new, expected",
    [
        (
            "<w:t>{{ year }年度{{ dept.name }}部门整体支出绩效自评报告</w:t>",
            ": 模板语法错误：unexpected '}'（正文中这一段：“{{ year }年度{{ dept.name }}部门整体支出绩效自评报告{% for p in t.intro %}”）",
        ),
        (
            "<w:t>{{ year|frob }}年度{{ dept.name }}部门整体支出绩效自评报告</w:t>",
            ": 使用了不存在的过滤器“frob”（可用：money、percent、points、score、plain、rmb_upper、cn_number、cn_ordinal、cn_date 及 Jinja 自带的过滤器）"
            "（正文中这一段：“{{ year|frob }}年度{{ dept.name }}部门整体支出绩效自评报告{% for p in t.intro %}”）",
        ),
        (
            "<w:t>{{ yaer }}年度{{ dept.name }}部门整体支出绩效自评报告</w:t>",
            ": 引用了不存在的名称“yaer”（正文中这一段：“{{ yaer }}年度{{ dept.name }}部门整体支出绩效自评报告{% for p in t.intro %}”）",
        ),
        (
            "<w:t>{{ year }}年度{{ dept.nmae }}部门整体支出绩效自评报告</w:t>",
            ": 引用了不存在的字段“nmae”（正文中这一段：“{{ year }}年度{{ dept.nmae }}部门整体支出绩效自评报告{% for p in t.intro %}”）",
        ),
        (
            "<w:t>{{ dept.name|money }}</w:t>",
            ": 过滤器 money 要用于数字，得到 “中共广州市委网络安全和信息化委员会办公室”（正文中这一段：“{{ dept.name|money }}{% for p in t.intro %}”）",
        ),
        (
            "<w:t>{{ '\\x01' }}</w:t>",
            ": 模板印出的内容含有 Word 文档无法保存的控制字符 U+0001（正文中这一段：“{{ '\\x01' }}{% for p in t.intro %}”）",
        ),
    ],
)
def test_template_mistakes_name_the_paragraph(project, new, expected):
    edit_template(project, TITLE, new)
    assert build_error(project) == expected


def test_unclosed_block_names_where_it_was_noticed(project):
    drop_paragraph(project, "{%p endfor %}")
    message = build_error(project)
    assert message.startswith(": 模板语法错误：Unexpected end of template.")
    # Jinja notices the missing tag at the end of the body: the message shows that last paragraph
    assert "（正文中这一段：“" in message and message.endswith("{% endfor %}”）"), message


@pytest.mark.parametrize("opener", ["{%p for p in t.management %}", "{%p for p in t.intro %}"])
def test_tr_outside_a_table_is_refused_before_it_swallows_the_document(project, opener):
    edit_template(project, f"<w:t>{opener}</w:t>", f"<w:t>{opener.replace('{%p', '{%tr')}</w:t>")
    tag = opener.replace("{%p", "{%tr")
    assert (
        build_error(project)
        == f"（正文）：“{tag}”只能写在表格的一行里，这里它在表格外的段落中（“{tag}”）；表格外请用 {{%p … %}}"
    )


def test_text_beside_a_paragraph_tag_would_vanish(project):
    edit_template(project, "<w:t>{%p for p in t.intro %}</w:t>", "<w:t>{%p for p in t.intro %}重要的一句话</w:t>")
    assert build_error(project) == (
        "（正文）：“{%p for p in t.intro %}”所在的段落里还有别的内容（“重要的一句话”）。生成时整个段落会被这个标签替换，"
        "这些内容会丢失；请把“{%p for p in t.intro %}”单独放在一个段落里"
    )


def test_text_in_a_row_tag_row_would_vanish(project):
    edit_template(
        project, "<w:t>{%tr for row in spending.rows %}</w:t>", "<w:t>{%tr for row in spending.rows %}（注）</w:t>"
    )
    assert "所在的表格行里还有别的内容（“（注）”）" in build_error(project)


@pytest.mark.parametrize(
    "split",
    [
        "<w:t>{{ ye</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>ar }}",
        "<w:t>{</w:t></w:r><w:r><w:t>{ year }}",
        "<w:t>{{ year }</w:t></w:r><w:r><w:t>}",
        '<w:t>{{ ye</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve">ar }}',
    ],
)
def test_a_tag_split_across_runs_still_works(project, split):
    edit_template(project, "<w:t>{{ year }}", split)
    out = pipeline.build(project, "guangzhou", 2023)
    assert text_lines(out)[0] == "2023年度中共广州市委网络安全和信息化委员会办公室部门整体支出绩效自评报告"


@pytest.mark.parametrize(
    "expression, message",
    [
        (
            "{{ ''.__class__.__mro__ }}",
            "模板试图做不允许的事：access to attribute '__class__' of 'str' object is unsafe.",
        ),
        (
            "{{ '{0.__class__}'.format(1) }}",
            "模板试图做不允许的事：access to attribute '__class__' of 'int' object is unsafe.",
        ),
        (
            "{{ cycler.__init__.__globals__ }}",
            "模板试图做不允许的事：access to attribute '__init__' of 'type' object is unsafe.",
        ),
        (
            "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
            "模板试图做不允许的事：模板中的 range() 循环次数过多（合计超过 1,000,000 次）",
        ),
        (
            "{% for i in range(10**100) %}x{% endfor %}",
            "模板试图做不允许的事：模板中的 range() 循环次数过多（合计超过 1,000,000 次）",
        ),
        ("{{ range(10**100)|length }}", "模板试图做不允许的事：模板中的 range() 循环次数过多（合计超过 1,000,000 次）"),
        (
            "{{ range(0, 10**100, 10**90)|list }}",
            "模板试图做不允许的事：模板中的 range() 循环次数过多（合计超过 1,000,000 次）",
        ),
        ("{{ range('x') }}", "模板试图做不允许的事：模板中 range() 的参数应为整数（步长不能为 0）"),
        ("{{ range(1, 2, 0) }}", "模板试图做不允许的事：模板中 range() 的参数应为整数（步长不能为 0）"),
        ("{{ 'x' * 10**9 }}", "模板试图做不允许的事：模板中用“*”重复的文字或列表过长"),
        ("{{ 2**100000 }}", "模板试图做不允许的事：模板中的乘方指数过大（100000）"),
        ("{{ lipsum(10**6) }}", "引用了不存在的名称“lipsum”"),
        ("{{ '&lt;/w:t&gt;'|safe }}", "生成的正文不是完整的 Word 内容"),
    ],
)
def test_sandbox_and_bounds(project, expression, message):
    edit_template(project, TITLE, f"<w:t>{expression}</w:t>")
    assert message in build_error(project)


def test_not_a_docx(project):
    (project.templates_dir / "guangzhou-2024" / "template.docx").write_bytes(b"PK\x03\x04 not really")
    message = build_error(project)
    assert message.startswith(": 不是有效的 Word 文档（.docx）") and message.endswith("请用 Word 打开后另存为 .docx")


def test_corrupt_document_xml(project):
    edit_template(project, "</w:body>", "")
    assert build_error(project).startswith(": 不是有效的 Word 文档（.docx）")


def test_a_value_missing_from_the_data_is_not_printed_as_none(project):
    data = project.data_path("guangzhou", 2023)
    data.write_text(
        data.read_text(encoding="utf-8").replace("  authorized: 118      # 编制人数\n", ""), encoding="utf-8"
    )
    assert build_error(project) == (
        ": 模板要印出的值在数据中没有填写（请检查数据文件是否填写了这一项）"
        "（正文中这一段：“截止{{ staffing.as_of|cn_date }}，{{ dept.short_name }}编制人数{{ staffing.authorized }}人，实有在编人数{{ staffing.actual }}人。”）"
    )

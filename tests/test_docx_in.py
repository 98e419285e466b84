"""docx_in: a user's Word file read back as paragraphs and tables, and hostile files refused within bounds."""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.shared import Pt

from generator import docx_package, extract
from generator.docx_in import Cell, Para, Table, read_blocks
from generator.docx_numbers import chinese, format_number
from generator.errors import DataError, ImportRefused

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W_NS}"'

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def paras(blocks) -> list[Para]:
    return [b for b in blocks if isinstance(b, Para)]


def tables(blocks) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


def write_docx(path: Path, body: str, *, styles: str | None = None, stored: bool = False, doctype: str = "") -> Path:
    """A minimal .docx around ``body`` (the inside of w:body)."""
    mode = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", mode) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("word/document.xml", f"{doctype}<w:document {NS}><w:body>{body}</w:body></w:document>")
        if styles is not None:
            z.writestr("word/styles.xml", f"<w:styles {NS}>{styles}</w:styles>")
    return path


def refusal(path: Path) -> str:
    """The message read_blocks refuses ``path`` with, without the file name."""
    with pytest.raises(ImportRefused) as caught:
        read_blocks(path)
    assert isinstance(caught.value, DataError)
    text = str(caught.value)
    assert text.startswith(f"{path}: "), text
    return text[len(f"{path}: ") :]


# ---------------------------------------------------------------- the five reports


def test_guangzhou_2023_headings_table_and_counts(built):
    blocks = read_blocks(built[("guangzhou", 2023)])
    ps = paras(blocks)
    assert len(ps) == 73
    assert [p.index for p in ps] == list(range(1, 74))
    title = ps[0]
    assert title.text == "2023年度中共广州市委\n网络安全和信息化委员会办公室\n部门整体支出绩效自评报告"
    assert (title.style, title.align, title.size_pt, title.outline_level) == ("Title", "center", Decimal(22), None)
    headings = [(p.text, p.outline_level, p.style) for p in ps if p.outline_level is not None]
    assert headings[:3] == [
        ("一、部门基本情况", 0, "heading 1"),
        ("（一）部门主要职能和机构人员情况", 1, "heading 2"),
        ("（二）2023年度总体工作和重点工作任务", 1, "heading 2"),
    ]
    assert ("1.部门整体绩效目标产出指标完成情况", 2, "heading 3") in headings
    assert [h[0] for h in headings if h[1] == 0] == [
        "一、部门基本情况",
        "二、绩效自评情况",
        "三、存在的主要问题",
        "四、下一步改进措施",
    ] + [h[0] for h in headings if h[1] == 0][4:]
    body = next(p for p in ps if p.text.startswith("截止2023年12月31日"))
    assert (body.style, body.outline_level, body.bold, body.size_pt, body.align) == ("Normal", None, False, 16, "both")

    spending = tables(blocks)[0]
    assert spending.index == 1 and spending.header_rows == 2
    assert ps[spending.after_para - 1].text == "单位：万元"
    head, second = spending.rows[0], spending.rows[1]
    assert head[2] == Cell("预算调整", col=2, span=3, merged_below=False)
    assert second[0] == Cell("", col=0, span=1, merged_below=True)
    staff = next(row for row in spending.rows if row[0].text == "人员经费")
    assert [c.text for c in staff] == ["人员经费", "4,118.22", "24.78", "4,143.00", "0.60%", "4,142.98", "100.00%"]
    assert [c.col for c in staff] == list(range(7))


@pytest.mark.parametrize(
    "report",
    [("guangzhou", 2022), ("guangzhou", 2023), ("zhanjiang", 2021), ("fengnan", 2024), ("beita", 2020)],
)
def test_reports_agree_with_python_docx(built, report):
    """Every paragraph and every table cell of each generated report, against python-docx's reading."""
    path = built[report]
    blocks = read_blocks(path)
    document = docx.Document(str(path))
    expected = [extract.plain_text(p._p) for p in document.paragraphs]
    assert [p.text.replace("\n", "") for p in paras(blocks)] == expected
    # extract leaves out line breaks (w:br: where the layout step breaks a header such as 年初\n预算数)
    flat = [[[c.text.strip().replace("\n", "") for c in row] for row in t.rows] for t in tables(blocks)]
    assert flat == [[[c.replace("\n", "") for c in row] for row in t] for t in extract.tables(path)]
    headings = [p for p in paras(blocks) if p.style.startswith("heading")]
    assert headings and all(p.outline_level == int(p.style[-1]) - 1 for p in headings)


# ---------------------------------------------------------------- what clerks do in Word


def test_direct_formatting_instead_of_heading_styles(tmp_path):
    document = docx.Document()
    heading = document.add_paragraph()
    run = heading.add_run("一、部门基本情况")
    run.bold = True
    run.font.size = Pt(16)
    heading.alignment = 1  # centre
    mixed = document.add_paragraph()
    mixed.add_run("（一）").bold = True
    mixed.add_run("职能").bold = False
    styled = document.add_paragraph(style="Heading 2")
    styled.add_run("（二）收支情况")
    strong = document.add_paragraph()
    strong.add_run("加粗的字符样式", style="Strong")
    strong.add_run("   ")  # a blank run does not make a paragraph less bold
    path = tmp_path / "direct.docx"
    document.save(str(path))

    ps = paras(read_blocks(path))
    assert [(p.text, p.style, p.outline_level, p.bold, p.size_pt, p.align) for p in ps] == [
        ("一、部门基本情况", "Normal", None, True, Decimal(16), "center"),
        ("（一）职能", "Normal", None, False, Decimal(11), ""),  # the document defaults' size
        ("（二）收支情况", "heading 2", 1, True, Decimal(13), ""),
        ("加粗的字符样式   ", "Normal", None, True, Decimal(11), ""),
    ]


NUMBERING = f"""<w:numbering {NS}>
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:pStyle w:val="Heading2"/><w:numFmt w:val="chineseCounting"/>
      <w:lvlText w:val="（%2）"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
    <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/><w:lvlText w:val="%1.%3.%4"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="1">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%1、"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="2">
    <w:lvl w:ilvl="0"><w:start w:val="9"/>
      <mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
        <mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="一, 二, 三, ..."/></mc:Choice>
        <mc:Fallback><w:numFmt w:val="chineseCountingThousand"/></mc:Fallback>
      </mc:AlternateContent>
      <w:lvlText w:val="第%1条"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="0"/>
    <w:lvlOverride w:ilvl="2"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
  <w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>
</w:numbering>"""


def test_numbering_rendered_from_numbering_xml(tmp_path):
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(NUMBERING):
        numbering.append(child)
    # the heading style carries the list: its paragraphs are numbered without a numPr of their own
    heading_style = document.styles["Heading 1"].element
    heading_style.get_or_add_pPr().append(parse_xml(f"<w:numPr {NS}><w:numId w:val='1'/></w:numPr>"))
    # Heading 2 is linked to level 1 by the level's w:pStyle, its numPr giving no level
    document.styles["Heading 2"].element.get_or_add_pPr().append(
        parse_xml(f"<w:numPr {NS}><w:numId w:val='1'/></w:numPr>")
    )

    def add(text, num=None, level=0, style=None):
        p = document.add_paragraph(text, style=style)
        if num is not None:
            p._p.get_or_add_pPr().append(
                parse_xml(f"<w:numPr {NS}><w:ilvl w:val='{level}'/><w:numId w:val='{num}'/></w:numPr>")
            )

    add("部门基本情况", style="Heading 1")
    add("职能", 1, 1)
    add("人员", 1, 1)
    add("甲项", 1, 2)
    add("乙项", 1, 2)
    add("细目", 1, 3)
    add("收支", style="Heading 2")
    add("丙项", 1, 2)  # restarts under a new level-1 item
    add("未编号的正文")
    add("绩效自评", style="Heading 1")
    add("结论", 1, 1)
    add("另一个列表", 2)
    add("另一个列表", 2)
    add("从 5 开始", 3, 2)  # another instance of the list, restarted at 5 (w:startOverride)
    add("接着", 1, 2)  # instances of one list share its counters
    add("存在问题", style="Heading 1")
    add("去掉编号", 0, style="Heading 1")  # numId 0 switches the style's numbering off
    add("条文", 4)
    add("条文", 4)
    add("条文", 4)
    path = tmp_path / "numbered.docx"
    document.save(str(path))

    labels = [(p.numbering, p.text) for p in paras(read_blocks(path))]
    assert labels == [
        ("一、", "部门基本情况"),
        ("（一）", "职能"),
        ("（二）", "人员"),
        ("1.", "甲项"),
        ("2.", "乙项"),
        ("1.2.1", "细目"),
        ("（三）", "收支"),
        ("1.", "丙项"),
        ("", "未编号的正文"),
        ("二、", "绩效自评"),
        ("（一）", "结论"),
        ("甲、", "另一个列表"),
        ("乙、", "另一个列表"),
        ("5.", "从 5 开始"),
        ("6.", "接着"),
        ("三、", "存在问题"),
        ("", "去掉编号"),
        ("第九条", "条文"),
        ("第十条", "条文"),
        ("第十一条", "条文"),
    ]


@pytest.mark.parametrize(
    ("n", "fmt", "label"),
    [
        (10, "chineseCounting", "十"),
        (21, "chineseCounting", "二十一"),
        (101, "chineseCountingThousand", "一百零一"),
        (110, "chineseCountingThousand", "一百一十"),
        (1010, "chineseCountingThousand", "一千零一十"),
        (12, "chineseLegalSimplified", "壹拾贰"),
        (3, "ideographTraditional", "丙"),
        (11, "ideographTraditional", "甲"),
        (4, "decimalEnclosedCircle", "④"),
        (14, "upperRoman", "XIV"),
        (28, "lowerLetter", "bb"),
        (7, "decimalFullWidth", "７"),
        (3, "none", ""),
    ],
)
def test_number_formats(n, fmt, label):
    assert format_number(n, fmt) == label


def test_chinese_counting_large():
    assert [chinese(n) for n in (1, 19, 20, 99, 100, 105, 1000, 10000, 10001, 120000)] == [
        "一",
        "十九",
        "二十",
        "九十九",
        "一百",
        "一百零五",
        "一千",
        "一万",
        "一万零一",
        "十二万",
    ]


def test_tracked_changes_fields_and_special_characters(tmp_path):
    body = (
        "<w:p><w:r><w:t>原有</w:t></w:r>"
        "<w:ins w:id='1' w:author='a'><w:r><w:t>新增</w:t></w:r></w:ins>"
        "<w:del w:id='2' w:author='a'><w:r><w:delText>删除</w:delText></w:r></w:del>"
        "<w:moveFrom w:id='3' w:author='a'><w:r><w:t>移走</w:t></w:r></w:moveFrom>"
        "<w:moveTo w:id='4' w:author='a'><w:r><w:t>移来</w:t></w:r></w:moveTo></w:p>"
        # a paragraph deleted as a whole: its mark and its text
        "<w:p><w:pPr><w:rPr><w:del w:id='5' w:author='a'/></w:rPr></w:pPr>"
        "<w:del w:id='6' w:author='a'><w:r><w:delText>整段删除</w:delText></w:r></w:del></w:p>"
        # a complex field (code, then its result) and a simple field
        "<w:p><w:r><w:t xml:space='preserve'>第 </w:t></w:r><w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        "<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType='separate'/></w:r>"
        "<w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "<w:r><w:t xml:space='preserve'> 页，共 </w:t></w:r>"
        "<w:fldSimple w:instr=' NUMPAGES '><w:r><w:t>9</w:t></w:r></w:fldSimple><w:r><w:t xml:space='preserve'> 页</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t>"
        "<w:br w:type='page'/><w:t>e</w:t><w:softHyphen/><w:t>f</w:t></w:r></w:p>"
        # a content control around a paragraph, and a hyperlink
        "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:hyperlink><w:r><w:t>控件里的段落</w:t></w:r></w:hyperlink></w:p>"
        "</w:sdtContent></w:sdt>"
        "<w:p><w:r><w:t>最后</w:t></w:r></w:p>"
    )
    ps = paras(read_blocks(write_docx(tmp_path / "tracked.docx", body)))
    assert [(p.index, p.text) for p in ps] == [
        (1, "原有新增移来"),
        (2, "第 3 页，共 9 页"),
        (3, "a\tb\nc-def"),
        (4, "控件里的段落"),
        (5, "最后"),
    ]
    assert all(p.style == "" and p.size_pt is None and not p.bold for p in ps)  # no styles.xml


def test_merged_cells_header_rows_and_nested_tables(tmp_path):
    def tc(text, props=""):
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    nested = (
        "<w:tc><w:p><w:r><w:t>外层</w:t></w:r></w:p><w:tbl>"
        f"<w:tr>{tc('内1')}{tc('内2')}</w:tr><w:tr>{tc('内3')}{tc('内4')}</w:tr></w:tbl><w:p/></w:tc>"
    )
    header = "<w:trPr><w:tblHeader/></w:trPr>"
    restart, below = "<w:vMerge w:val='restart'/>", "<w:vMerge/>"
    span2, span3 = "<w:gridSpan w:val='2'/>", "<w:gridSpan w:val='3'/>"
    body = (
        "<w:p><w:r><w:t>表前</w:t></w:r></w:p>"
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        f"<w:tr>{header}{tc('项目', restart)}{tc('预算', span3)}</w:tr>"
        f"<w:tr>{header}{tc('', below)}{tc('年初')}{tc('调整')}{tc('决算')}</w:tr>"
        f"<w:tr>{tc('人员经费')}{tc('1,000.00')}{tc('—')}{tc('998.00')}</w:tr>"
        f"<w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr>{tc('甲', span2)}{nested}</w:tr>"
        f"<w:tr><w:trPr><w:del w:id='1' w:author='a'/></w:trPr>{tc('删除的行')}</w:tr>"
        "</w:tbl>"
        "<w:tbl><w:tr>" + tc("第二个表") + "</w:tr></w:tbl>"
    )
    blocks = read_blocks(write_docx(tmp_path / "merged.docx", body))
    assert isinstance(blocks[0], Para) and blocks[0].text == "表前"
    first, second = tables(blocks)
    assert (first.index, first.after_para, first.header_rows) == (1, 1, 2)
    assert first.rows == (
        (Cell("项目", 0, 1, False), Cell("预算", 1, 3, False)),
        (Cell("", 0, 1, True), Cell("年初", 1, 1, False), Cell("调整", 2, 1, False), Cell("决算", 3, 1, False)),
        (
            Cell("人员经费", 0, 1, False),
            Cell("1,000.00", 1, 1, False),
            Cell("—", 2, 1, False),
            Cell("998.00", 3, 1, False),
        ),
        (Cell("甲", 1, 2, False), Cell("外层\n内1\t内2\n内3\t内4\n", 3, 1, False)),
    )
    assert (second.index, second.after_para, second.header_rows, second.rows) == (
        2,
        1,
        0,
        ((Cell("第二个表", 0, 1, False),),),
    )


def test_styles_chain_outline_levels_and_defaults(tmp_path):
    styles = (
        "<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val='24'/></w:rPr></w:rPrDefault></w:docDefaults>"
        "<w:style w:type='paragraph' w:default='1' w:styleId='a'><w:name w:val='正文'/>"
        "<w:pPr><w:jc w:val='both'/></w:pPr><w:rPr><w:sz w:val='32'/></w:rPr></w:style>"
        "<w:style w:type='paragraph' w:styleId='t1'><w:name w:val='一级标题'/><w:basedOn w:val='a'/>"
        "<w:pPr><w:outlineLvl w:val='0'/></w:pPr><w:rPr><w:b/></w:rPr></w:style>"
        "<w:style w:type='paragraph' w:styleId='t1x'><w:name w:val='一级标题（居中）'/><w:basedOn w:val='t1'/>"
        "<w:pPr><w:jc w:val='center'/></w:pPr></w:style>"
        "<w:style w:type='paragraph' w:styleId='loop1'><w:name w:val='循环'/><w:basedOn w:val='loop2'/></w:style>"
        "<w:style w:type='paragraph' w:styleId='loop2'><w:name w:val='循环2'/><w:basedOn w:val='loop1'/></w:style>"
    )
    body = (
        "<w:p><w:pPr><w:pStyle w:val='t1x'/></w:pPr><w:r><w:t>一、标题</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:rPr><w:sz w:val='44'/></w:rPr><w:t>大字</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val='t1'/><w:outlineLvl w:val='9'/><w:jc w:val='left'/></w:pPr>"
        "<w:r><w:rPr><w:b w:val='0'/></w:rPr><w:t>改成正文级别</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val='loop1'/><w:outlineLvl w:val='2'/></w:pPr><w:r><w:t>循环样式</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val='missing'/></w:pPr><w:r><w:t>未定义的样式</w:t></w:r></w:p>"
    )
    ps = paras(read_blocks(write_docx(tmp_path / "styles.docx", body, styles=styles)))
    assert [(p.text, p.style, p.outline_level, p.bold, p.size_pt, p.align) for p in ps] == [
        ("一、标题", "一级标题（居中）", 0, True, Decimal(16), "center"),
        ("正文大字", "正文", None, False, Decimal(22), "both"),
        ("改成正文级别", "一级标题", None, False, Decimal(16), "left"),
        ("循环样式", "循环", 2, False, Decimal(12), ""),
        ("未定义的样式", "missing", None, False, Decimal(12), ""),
    ]


# ---------------------------------------------------------------- files that are not what they claim


def test_pdf_is_refused(tmp_path):
    path = tmp_path / "报告.docx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert refusal(path) == (
        "这是 PDF 文件，import 需要 Word 文件（.docx），请找到报告的 Word 原件，或在 Word/WPS 中另存为 .docx"
    )


@pytest.mark.parametrize(
    ("content", "what"),
    [
        ("二〇二三年度部门整体支出绩效自评报告\n一、部门基本情况\n".encode(), "这是纯文本文件"),
        (b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}", "这是 RTF 文件"),
        (b"<html><body>report</body></html>", "这是网页文件（.htm/.mht）"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "这是图片文件"),
        (bytes(range(256)), "无法识别的文件格式"),
    ],
)
def test_not_a_zip_is_refused(tmp_path, content, what):
    path = tmp_path / "report.docx"
    path.write_bytes(content)
    assert (
        refusal(path)
        == f"不是 Word 文件（.docx）：{what}；请在 Word 或 WPS 中打开，另存为 .docx（文件 → 另存为 → Word 文档），再导入"
    )


def test_missing_empty_folder_and_other_zips(tmp_path):
    assert refusal(tmp_path / "没有.docx") == "找不到这个文件，请检查文件名和所在的文件夹"
    assert refusal(tmp_path) == "这是一个文件夹，import 需要 Word 文件（.docx）"
    (tmp_path / "empty.docx").write_bytes(b"")
    assert refusal(tmp_path / "empty.docx").startswith("文件是空的（0 字节），不是 Word 文件")
    with zipfile.ZipFile(tmp_path / "book.docx", "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert refusal(tmp_path / "book.docx") == "这是 Excel 文件（.xlsx），import 需要 Word 文件（.docx）"
    with zipfile.ZipFile(tmp_path / "parts.docx", "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("word/styles.xml", f"<w:styles {NS}/>")
    assert refusal(tmp_path / "parts.docx") == (
        "文件不完整：缺少正文部件 word/document.xml，无法读取；"
        "请在 Word 或 WPS 中打开，另存为 .docx（文件 → 另存为 → Word 文档），再导入"
    )
    with zipfile.ZipFile(tmp_path / "photos.docx", "w") as z:
        z.writestr("photo.jpg", b"\xff\xd8\xff")
    assert refusal(tmp_path / "photos.docx").startswith(
        "不是 Word 文件（.docx）：这是一个 zip 压缩包，里面没有 Word 文档"
    )


def test_truncated_and_corrupt_zip(tmp_path, built):
    data = built[("guangzhou", 2023)].read_bytes()
    damaged = "文件已损坏或不完整（可能是下载或复制时中断），无法作为 Word 文件打开：请重新取得文件，或在 Word/WPS 中打开后另存为 .docx"
    for cut in (len(data) // 2, len(data) - 30, 100):
        path = tmp_path / f"cut-{cut}.docx"
        path.write_bytes(data[:cut])
        assert refusal(path) == damaged
    # the directory intact, document.xml's compressed bytes garbled
    path = tmp_path / "garbled.docx"
    with zipfile.ZipFile(built[("guangzhou", 2023)]) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 200
    path.write_bytes(data[:start] + bytes(400) + data[start + 400 :])
    assert refusal(path) == damaged


def _ole(*streams: str) -> bytes:
    """The start of an OLE2 compound file and its directory's stream names (enough to tell what it holds)."""
    names = b"".join(name.encode("utf-16-le").ljust(64, b"\0") + bytes(64) for name in ("Root Entry", *streams))
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + names


def test_doc_without_libreoffice_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "2022年报告.doc"
    path.write_bytes(_ole("WordDocument", "1Table"))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert refusal(path) == (
        "这是旧版 Word 文件（.doc），import 需要 .docx：请在 Word 或 WPS 中打开，另存为 .docx"
        "（文件 → 另存为 → Word 文档），再导入；或安装 LibreOffice 后重新运行，程序会自动转换"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022年报告.doc"]


def _fake_soffice(tmp_path: Path, monkeypatch, script: str) -> None:
    exe = tmp_path / "bin" / "soffice"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\n" + script + "\n")
    exe.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name: str(exe) if name == "soffice" else None)


def test_doc_conversion_that_fails_or_hangs(tmp_path, monkeypatch):
    path = tmp_path / "report.doc"
    path.write_bytes(_ole("WordDocument"))
    _fake_soffice(tmp_path, monkeypatch, 'echo "Error: source file could not be loaded"; exit 1')
    assert refusal(path) == (
        "这是旧版 Word 文件（.doc），用 LibreOffice 转换为 .docx 失败（退出码 1：Error: source file could not be loaded）："
        "请在 Word 或 WPS 中打开，另存为 .docx（文件 → 另存为 → Word 文档），再导入"
    )
    (tmp_path / "bin" / "soffice").write_text("#!/bin/sh\nexit 0\n")  # ends well, writes nothing
    assert refusal(path).startswith("这是旧版 Word 文件（.doc），用 LibreOffice 转换为 .docx 失败（没有生成 .docx")
    (tmp_path / "bin" / "soffice").write_text("#!/bin/sh\nsleep 60\n")
    monkeypatch.setattr(docx_package, "CONVERT_TIMEOUT", 1)
    start = time.monotonic()
    assert refusal(path).startswith("这是旧版 Word 文件（.doc），用 LibreOffice 转换为 .docx 失败（超过 1 秒仍未完成）")
    assert time.monotonic() - start < 10  # the hung converter was ended, not waited for


def test_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)  # opening it would wait for a writer for ever
    assert refusal(fifo) == "这不是普通文件（可能是设备或管道），import 需要 Word 文件（.docx）"
    link = tmp_path / "zero.docx"
    link.symlink_to("/dev/zero")
    assert refusal(link) == "这不是普通文件（可能是设备或管道），import 需要 Word 文件（.docx）"


def test_encrypted_zip_member(tmp_path):
    path = write_docx(tmp_path / "locked.docx", "<w:p/>", stored=True)
    data = bytearray(path.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set "encrypted" in both headers
        at = data.find(signature)
        while at >= 0:
            data[at + flag_at] |= 1
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    assert refusal(path) == (
        "这个 Word 文件的内容已加密（设置了密码），无法读取：请在 Word 或 WPS 中取消密码后另存为 .docx"
    )


def test_main_part_found_through_relationships(tmp_path):
    path = tmp_path / "renamed.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("_rels/.rels", PACKAGE_RELS.replace("word/document.xml", "/content/main.xml"))
        z.writestr(
            "content/main.xml", f"<w:document {NS}><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>"
        )
    assert [p.text for p in paras(read_blocks(path))] == ["正文"]
    path = tmp_path / "upper.docx"  # part names are case-insensitive
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "Word/Document.xml", f"<w:document {NS}><w:body><w:p><w:r><w:t>大写</w:t></w:r></w:p></w:body></w:document>"
        )
    assert [p.text for p in paras(read_blocks(path))] == ["大写"]


def test_strict_open_xml_no_body_and_broken_xml(tmp_path):
    path = tmp_path / "strict.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body><w:p/></w:body></w:document>',
        )
    assert refusal(path) == (
        "这是“严格 Open XML”格式的 .docx，import 读不了：请在 Word 中打开，"
        "另存为“Word 文档 (*.docx)”（不要选“Strict Open XML 文档”），再导入"
    )
    path = tmp_path / "nobody.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", f"<w:document {NS}/>")
    assert refusal(path) == "文件里没有正文（word/document.xml 中缺少 w:body），文件可能已损坏"
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", f"<w:document {NS}>\n<w:body>\n<w:p>\n</w:body>")
    assert refusal(path) == (
        "其中的 word/document.xml 不是完整的 XML（第 4 行出错），文件可能已损坏："
        "请在 Word 或 WPS 中打开，另存为 .docx（文件 → 另存为 → Word 文档），再导入"
    )


def test_password_protected_and_other_ole_files(tmp_path):
    path = tmp_path / "加密.docx"
    path.write_bytes(_ole("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"))
    assert refusal(path) == (
        "这个 Word 文件设置了打开密码（已加密），无法读取：请在 Word 或 WPS 中输入密码打开，取消密码后另存为 .docx，再导入"
    )
    path = tmp_path / "表.xls"
    path.write_bytes(_ole("Workbook"))
    assert refusal(path) == "这是 Excel 文件（.xls），import 需要 Word 文件（.docx）"


@pytest.mark.libreoffice
def test_doc_converted_through_libreoffice(tmp_path, built, monkeypatch):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path / "doc"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(folder),
            str(built[("guangzhou", 2023)]),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    doc = folder / "guangzhou-2023.doc"
    assert doc.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    blocks = read_blocks(doc)
    texts = [p.text for p in paras(blocks)]
    assert "一、部门基本情况" in texts and "（一）部门主要职能和机构人员情况" in texts
    staff = next(row for t in tables(blocks) for row in t.rows if row[0].text == "人员经费")
    assert staff[1].text == "4,118.22"
    assert list(scratch.iterdir()) == []  # the converted copy and LibreOffice's profile are gone
    assert sorted(p.name for p in folder.iterdir()) == ["guangzhou-2023.doc"]


# ---------------------------------------------------------------- hostile files


def _raw_zip(path: Path, members: list[tuple[str, bytes, int, int]], *, declared: dict[str, int] | None = None) -> Path:
    """A zip written by hand: (name, raw deflate data, crc, size); ``declared`` overrides stated sizes."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, size in members:
        stated = (declared or {}).get(name, size)
        encoded = name.encode()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), stated, len(encoded), 0)
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(data),
            stated,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            len(out),
        )
        central += encoded
        out += header + encoded + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def _deflated_spaces(mib: int, head: bytes = b"", tail: bytes = b"") -> tuple[bytes, int, int]:
    """``head`` + ``mib`` MiB of spaces + ``tail`` deflated, built from one compressed MiB repeated."""
    chunk = b" " * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert block == again  # a full flush forgets the history: the same MiB compresses the same way
    end = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return start + block * mib + end, crc, len(head) + mib * len(chunk) + len(tail)


def _bomb(path: Path, mib: int) -> Path:
    data, crc, size = _deflated_spaces(
        mib, f"<w:document {NS}><w:body><w:p><w:r><w:t>".encode(), b"</w:t></w:r></w:p></w:body></w:document>"
    )
    return _raw_zip(path, [("word/document.xml", data, crc, size)])


def test_zip_directory_checked_before_zipfile_reads_it(tmp_path):
    """The end record's own figures: a directory of millions of entries is refused unread."""
    eocd = struct.Struct("<4s4H2LH")
    path = tmp_path / "entries.docx"
    path.write_bytes(b"PK\x03\x04" + bytes(100) + eocd.pack(b"PK\x05\x06", 0, 0, 60000, 60000, 46, 104, 0))
    assert refusal(path) == "压缩包里有 60,000 个部件，超过上限 5,000 个，不像一份 Word 文件"
    path = tmp_path / "directory.docx"
    path.write_bytes(b"PK\x03\x04" + bytes(100) + eocd.pack(b"PK\x05\x06", 0, 0, 3, 3, 100 << 20, 104, 0))
    assert refusal(path) == "压缩包的目录有 100 MB，超过上限 4.0 MB，不像一份 Word 文件"
    # Zip64: the end record says "see the Zip64 record", which counts two billion entries
    zip64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, 2_000_000_000, 2_000_000_000, 46, 104)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, 104, 1)
    path = tmp_path / "zip64.docx"
    path.write_bytes(
        b"PK\x03\x04" + bytes(100) + zip64 + locator + eocd.pack(b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 46, 104, 0)
    )
    assert refusal(path) == "压缩包里有 2,000,000,000 个部件，超过上限 5,000 个，不像一份 Word 文件"


HOSTILE_MESSAGES = {
    "bomb-1gib.docx": (
        "解压后共 1,024 MB（其中 word/document.xml 1,024 MB），超过上限 256 MB（可能是恶意构造的压缩包），已拒绝读取"
    ),
    "bomb-100mib.docx": "其中的 word/document.xml 解压后有 100 MB，超过上限 64 MB（可能是恶意构造的压缩包），已拒绝读取",
    "ratio.docx": "其中的 word/document.xml 压缩比异常（998 倍，上限 200 倍，可能是恶意构造的压缩包），已拒绝读取",
    "declared-2gib.docx": (
        "解压后共 2,048 MB（其中 word/document.xml 2,048 MB），超过上限 256 MB（可能是恶意构造的压缩包），已拒绝读取"
    ),
    "overlapping.docx": (
        "解压后共 480 MB（其中 word/document.xml 60 MB），超过上限 256 MB（可能是恶意构造的压缩包），已拒绝读取"
    ),
    "many-members.docx": "压缩包里有 5,001 个部件，超过上限 5,000 个，不像一份 Word 文件",
    "laughs.docx": (
        "其中的 word/document.xml 含有 DOCTYPE 声明（Word 从不写这种声明；它可以用来展开实体、读取本机文件），已拒绝读取"
    ),
    "external.docx": (
        "其中的 word/document.xml 含有 DOCTYPE 声明（Word 从不写这种声明；它可以用来展开实体、读取本机文件），已拒绝读取"
    ),
    "styles-entity.docx": (
        "其中的 word/styles.xml 含有 DOCTYPE 声明（Word 从不写这种声明；它可以用来展开实体、读取本机文件），已拒绝读取"
    ),
    "deep.docx": "其中的 word/document.xml 的 XML 嵌套超过 256 层，远超任何 Word 文件，已拒绝读取",
    "long-text.docx": "其中的 word/document.xml 有一段文字或一个属性超过 10 MB，远超任何 Word 文件，已拒绝读取",
    "million.docx": "文档有 1,000,000 个段落，超过上限 200,000 个，不像一份报告，已拒绝读取",
    "cells.docx": "文档有 600,000 个表格单元格，超过上限 500,000 个，不像一份报告，已拒绝读取",
    "elements.docx": "读到其中的 word/document.xml 时，XML 元素已超过 1,000,000 个，远超任何报告，已拒绝读取",
}


def _hostile(folder: Path) -> dict[str, Path]:
    """Every hostile file, built small (the largest is about 20 MB, stored uncompressed)."""
    made = {}
    made["bomb-1gib.docx"] = _bomb(folder / "bomb-1gib.docx", 1024)  # about 1 MB, expands to 1 GiB
    made["bomb-100mib.docx"] = _bomb(folder / "bomb-100mib.docx", 100)
    made["ratio.docx"] = _bomb(folder / "ratio.docx", 10)
    small, crc, size = _deflated_spaces(0, f"<w:document {NS}><w:body/></w:document>".encode())
    made["declared-2gib.docx"] = _raw_zip(
        folder / "declared-2gib.docx",
        [("word/document.xml", small, crc, size)],
        declared={"word/document.xml": 2 << 30},
    )
    # eight directory entries over one compressed kernel of 60 MiB each (the "overlapping files" bomb)
    kernel, crc, size = _deflated_spaces(60)
    made["overlapping.docx"] = _raw_zip(
        folder / "overlapping.docx",
        [("word/document.xml", kernel, crc, size)] + [(f"word/media/{i}.xml", kernel, crc, size) for i in range(7)],
    )
    with zipfile.ZipFile(folder / "many-members.docx", "w") as z:
        z.writestr("word/document.xml", f"<w:document {NS}><w:body/></w:document>")
        for i in range(5000):
            z.writestr(f"word/media/{i}.png", b"")
    made["many-members.docx"] = folder / "many-members.docx"
    # "billion laughs": each entity ten of the one before, &lol9; a billion times "lol"
    entities = '<!ENTITY lol1 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10))
    laughs = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
    made["laughs.docx"] = write_docx(folder / "laughs.docx", "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", doctype=laughs)
    made["external.docx"] = write_docx(
        folder / "external.docx",
        "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>",
        doctype='<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    )
    path = write_docx(folder / "styles-entity.docx", "<w:p/>")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr(
            "word/styles.xml",
            f'<!DOCTYPE s [<!ENTITY e SYSTEM "file:///etc/passwd">]><w:styles {NS}><w:style>&e;</w:style></w:styles>',
        )
        z.writestr(
            "word/_rels/document.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>',
        )
    made["styles-entity.docx"] = path
    made["deep.docx"] = write_docx(
        folder / "deep.docx", "<w:sdt><w:sdtContent>" * 5000 + "<w:p/>" + "</w:sdtContent></w:sdt>" * 5000
    )
    made["long-text.docx"] = write_docx(
        folder / "long-text.docx", "<w:p><w:r><w:t>" + "字" * 4_000_000 + "</w:t></w:r></w:p>", stored=True
    )
    made["million.docx"] = write_docx(folder / "million.docx", "<w:p/>" * 1_000_000, stored=True)
    made["cells.docx"] = write_docx(
        folder / "cells.docx", "<w:tbl>" + ("<w:tr>" + "<w:tc/>" * 1000 + "</w:tr>") * 600 + "</w:tbl>", stored=True
    )
    made["elements.docx"] = write_docx(folder / "elements.docx", "<w:p>" + "<w:r/>" * 1_100_000 + "</w:p>", stored=True)
    return made


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    return _hostile(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("name", sorted(HOSTILE_MESSAGES))
def test_hostile_file_refused(hostile, name):
    folder = hostile[name].parent
    before = sorted(p.name for p in folder.iterdir())
    assert refusal(hostile[name]) == HOSTILE_MESSAGES[name]
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written


def test_hostile_files_refused_within_time_and_memory(hostile):
    """All hostile files read in a fresh process: each refused in seconds, the process's peak memory bounded."""
    script = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        "from generator.docx_in import read_blocks\n"
        "from generator.errors import ImportRefused\n"
        "out = {}\n"
        "for name in sys.argv[1:]:\n"
        "    start = time.monotonic()\n"
        "    try:\n"
        "        read_blocks(Path(name))\n"
        "        out[name] = ['read', time.monotonic() - start]\n"
        "    except ImportRefused:\n"
        "        out[name] = ['refused', time.monotonic() - start]\n"
        # the peak of this process: VmHWM (getrusage's ru_maxrss keeps the pytest process's size from
        # before the exec, so it grows with whatever the test run holds at that moment)
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "try:\n"
        "    hwm = [x for x in open('/proc/self/status') if x.startswith('VmHWM:')]\n"
        "    peak = int(hwm[0].split()[1]) / 1024 if hwm else peak\n"
        "except OSError:\n"
        "    pass\n"
        "print(json.dumps({'files': out, 'peak_mb': peak}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *[str(p) for p in hostile.values()]],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {Path(k).name: v[0] for k, v in result["files"].items()} == dict.fromkeys(hostile, "refused")
    slowest = max(v[1] for v in result["files"].values())
    assert slowest < 10, result
    # measured: about 145 MB, the tree kept up to the element limit; a bomb read whole would take gigabytes
    assert result["peak_mb"] < 300, result


def test_limits_leave_room_for_a_real_report(built):
    """Each generated report is far inside every limit."""
    for path in built.values():
        parts = docx_package.open_parts(path)
        assert parts.counts["paragraphs"] * 100 < docx_package.MAX_PARAGRAPHS
        assert parts.counts["elements"] * 100 < docx_package.MAX_ELEMENTS
        with zipfile.ZipFile(path) as z:
            assert max(i.file_size for i in z.infolist()) * 50 < docx_package.MAX_PART_BYTES
            ratios = [i.file_size / max(i.compress_size, 1) for i in z.infolist()]
            assert max(ratios) * 4 < docx_package.MAX_RATIO


def test_damaged_copies_read_or_refused_never_a_traceback(tmp_path, built):
    """Sixty damaged copies of a report (fixed seed): bytes of the zip changed, or its XML cut, spliced and its
    attribute values replaced; each one is read or refused with ImportRefused, never another exception."""
    rng = random.Random(13)
    source = built[("guangzhou", 2023)].read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        parts = {info.filename: z.read(info.filename) for info in z.infolist()}
    values = ["0", "-1", "9", "99999999999", "", "abc", "restart", "continue", "false", "%1%9%", "F0B7"]
    path = tmp_path / "damaged.docx"
    outcomes = {"read": 0, "refused": 0}
    for _ in range(60):
        if rng.random() < 0.3:
            data = bytearray(source)
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            path.write_bytes(bytes(data))
        else:
            name = rng.choice(["word/document.xml", "word/styles.xml", "_rels/.rels", "word/_rels/document.xml.rels"])
            xml = bytearray(parts[name])
            for _ in range(rng.randint(1, 8)):
                at = rng.randrange(len(xml))
                roll = rng.random()
                if roll < 0.3:
                    del xml[at : at + rng.randint(1, 50)]
                elif roll < 0.6:
                    start = rng.randrange(len(xml))
                    xml[at:at] = xml[start : start + rng.randint(1, 200)]
                else:
                    attrs = list(re.finditer(rb'w:\w+="([^"]*)"', xml))
                    if attrs:
                        found = rng.choice(attrs)
                        xml[found.start(1) : found.end(1)] = rng.choice(values).encode()
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                for member, data in parts.items():
                    z.writestr(member, bytes(xml) if member == name else data)
        try:
            read_blocks(path)
            outcomes["read"] += 1
        except ImportRefused:
            outcomes["refused"] += 1
    assert outcomes["read"] > 5 and outcomes["refused"] > 5, outcomes  # both kinds of damage were met

"""The printed pages (LibreOffice → PDF → pdftotext): what the layout step promises.

For the five reports: no table figure or short header split across lines, no
heading / table title / unit line at the foot of a page, no heading with a
one- or two-character last line, title lines whole and never one or two
characters, nothing beyond the margins.  And the checker itself: a document
broken in each of these ways on purpose is caught, page and text named.
"""

from __future__ import annotations

import shutil

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from generator.layout import apply_page, apply_styles, load_layout
from generator.pagecheck import check_pdf
from generator.preview import soffice, to_pdf
from generator.title import set_lines

from .conftest import ROOT

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        soffice() is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
    ),
    pytest.mark.skipif(
        shutil.which("pdftotext") is None, reason="pdftotext is not installed: apt-get install poppler-utils"
    ),
]

FONTS = ROOT / "templates" / "_base" / "fonts.conf"
LAYOUT = load_layout(ROOT / "templates")


@pytest.fixture(scope="module")
def pdfs(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("print")
    return {key: to_pdf(path, out, FONTS) for key, path in built.items()}


def test_every_report_prints_clean(built, pdfs):
    assert len(pdfs) == 5
    found = []
    for (dept, year), pdf in sorted(pdfs.items()):
        for problem in check_pdf(pdf, built[(dept, year)], LAYOUT, (_department_name(dept, year),)):
            found.append(f"{dept}-{year}: {problem}")
    assert found == []


def _department_name(dept: str, year: int) -> str:
    from generator.load import load_yaml

    return load_yaml(ROOT / "data" / dept / f"{year}.yaml").data["department"]["name"]


def _broken_docx(path):
    """A page of body text ending on a heading, a badly broken title, a cramped table, a too-wide table."""
    doc = Document()
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    apply_styles(doc, LAYOUT["styles"])
    apply_page(doc, LAYOUT["page"], LAYOUT["page_number"])
    for i in range(21):  # 21 one-line paragraphs: the heading is the 22nd and last line of page 1
        doc.add_paragraph(f"第{i + 1}段正文。", style="Normal")
    heading = doc.add_paragraph("二、孤零零的标题", style="Heading 1")
    keep = OxmlElement("w:keepNext")
    keep.set(qn("w:val"), "0")
    heading._p.get_or_add_pPr().insert(1, keep)
    doc.add_paragraph("下一页的正文。", style="Normal")
    title = doc.add_paragraph("x", style="Title")
    set_lines(title._p, ["中共广州市委网络安全和信息化委", "员会办公室部门整体支出绩效自评报", "告"])
    cramped = doc.add_table(rows=2, cols=3)
    cramped.style = doc.styles["Table Grid"]
    cramped.autofit = False
    for c, (head, figure) in enumerate([("项目", "合计"), ("预算调整率", "13,027.62"), ("金额", "4,118.22")]):
        for r, (text, style) in enumerate([(head, "Table Header"), (figure, "Table Number")]):
            cell = cramped.cell(r, c)
            cell.paragraphs[0].style = doc.styles[style]
            cell.paragraphs[0].add_run(text)
    _fixed_widths(cramped, [700, 700, 2000])
    doc.add_paragraph("表后正文。", style="Normal")
    wide = doc.add_table(rows=1, cols=2)
    wide.style = doc.styles["Table Grid"]
    wide.cell(0, 0).paragraphs[0].add_run("左")
    wide.cell(0, 1).paragraphs[0].add_run("超出右边距的格子")
    _fixed_widths(wide, [6000, 6000])
    doc.save(str(path))


def _fixed_widths(table, widths):
    tbl = table._tbl
    for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(w))
    tblpr = tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    for tr in tbl.tr_lst:
        for tc, w in zip(tr.tc_lst, widths, strict=True):
            tcw = tc.get_or_add_tcPr().get_or_add_tcW()
            tcw.set(qn("w:w"), str(w))
            tcw.set(qn("w:type"), "dxa")


def test_the_checker_catches_a_broken_document(tmp_path):
    docx = tmp_path / "broken.docx"
    _broken_docx(docx)
    pdf = to_pdf(docx, tmp_path, FONTS)
    problems = [str(p) for p in check_pdf(pdf, docx, LAYOUT)]
    assert "第 1 页：“二、孤零零的标题”是本页最后一行（标题、表题或单位行应与下文同页）" in problems
    assert "第 2 页：“中共广州市委网络安全和信息化委”是标题的一行，在词中间断开" in problems
    assert "第 2 页：“员会办公室部门整体支出绩效自评报”是标题的一行，在词中间断开" in problems
    assert "第 2 页：“告”是标题中只有一两个字的一行" in problems
    assert "第 2 页：“13,027.62”在表格中被拆成了两行" in problems
    assert "第 2 页：“预算调整率”在表格中被拆成了两行" in problems
    assert any(
        p.startswith("第 2 页：“") and "超出右边距的格子" in p and p.endswith("超出了版心（左右页边距）")
        for p in problems
    )
    # and a short figure that fits is not reported
    assert not any("4,118.22" in p for p in problems)


def test_make_pdf_reads_the_pages_back(built, tmp_path, capsys):
    from generator.preview import main

    assert main([str(built[("beita", 2020)]), str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == str(tmp_path / "beita-2020.pdf")
    assert "版面提示" not in err


def test_build_pdf_tells_the_page_check(tmp_path):
    # reportgen build --pdf (and make pdf) print these after 已生成 ….pdf, on stderr; never an error
    from types import SimpleNamespace

    from generator.batchcli import page_notes

    docx = tmp_path / "broken.docx"
    _broken_docx(docx)
    pdf = to_pdf(docx, tmp_path, FONTS)
    notes = page_notes(SimpleNamespace(templates_dir=ROOT / "templates"), pdf, docx)
    assert f"{pdf}: 版面提示：第 2 页：“13,027.62”在表格中被拆成了两行" in notes
    assert page_notes(SimpleNamespace(templates_dir=ROOT / "templates"), tmp_path / "nothing.pdf", docx) == []

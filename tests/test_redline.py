"""`reportgen redline`: B's report with tracked changes against A's.

Accepting every revision must give B's text and rejecting every revision A's,
paragraph by paragraph and cell by cell.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from generator import diff, redline
from generator.cli import main
from generator.extract import text_lines
from generator.preview import soffice

DATE = dt.datetime(2024, 5, 31, tzinfo=dt.UTC)


@pytest.fixture
def pair(yoy_project):
    a = diff.build_year(yoy_project, "guangzhou", 2022)
    b = diff.build_year(yoy_project, "guangzhou", 2023)
    data, counts = redline.redline(a.docx, b.docx, date=DATE)
    return a.docx, b.docx, data, counts


def lines_of(data: bytes) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.docx"
        path.write_bytes(data)
        return text_lines(path)


def resolve(data: bytes, accept: bool) -> bytes:
    """Accept (or reject) every revision, as Word would."""
    doc = Document(io.BytesIO(data))
    body = doc.element.body
    keep, drop = (qn("w:ins"), qn("w:del")) if accept else (qn("w:del"), qn("w:ins"))
    for tr in list(body.iter(qn("w:tr"))):
        trpr = tr.find(qn("w:trPr"))
        if trpr is not None and trpr.find(drop) is not None:
            tr.getparent().remove(tr)
    for p in list(body.iter(qn("w:p"))):
        rpr = p.find(qn("w:pPr") + "/" + qn("w:rPr"))
        if rpr is not None and rpr.find(drop) is not None:
            p.getparent().remove(p)  # the paragraph and its mark go (its content is all revisions)
    for element in list(body.iter(drop)):
        if element.getparent().tag != qn("w:rPr") and element.getparent().tag != qn("w:trPr"):
            element.getparent().remove(element)
    for element in list(body.iter(keep)):
        parent = element.getparent()
        if parent.tag in (qn("w:rPr"), qn("w:trPr")):
            parent.remove(element)
            continue
        for child in list(element):
            for t in child.iter(qn("w:delText")):
                t.tag = qn("w:t")
            element.addprevious(child)
        parent.remove(element)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_revisions_have_author_and_date(pair):
    _, _, data, counts = pair
    body = Document(io.BytesIO(data)).element.body
    ins, dels = list(body.iter(qn("w:ins"))), list(body.iter(qn("w:del")))
    assert len(ins) == counts.inserted > 0 and len(dels) == counts.deleted > 0
    for element in ins + dels:
        assert element.get(qn("w:author")) == "reportgen"
        assert element.get(qn("w:date")) == "2024-05-31T00:00:00Z"
    ids = [e.get(qn("w:id")) for e in ins + dels]
    assert len(ids) == len(set(ids))


def test_accept_all_gives_b_and_reject_all_gives_a(pair):
    a, b, data, _ = pair
    assert lines_of(resolve(data, accept=True)) == lines_of(b)
    assert lines_of(resolve(data, accept=False)) == lines_of(a)


def test_changed_numbers_are_tracked_in_their_cells(pair):
    _, _, data, _ = pair
    doc = Document(io.BytesIO(data))
    (spending,) = [t for t in doc.tables if "按支出性质分类" in t.cell(0, 0).text]
    total = [tr for tr in spending._tbl.iterchildren(qn("w:tr")) if "本年支出合计" in "".join(tr.itertext())][0]
    cells = list(total.iterchildren(qn("w:tc")))
    adjusted = cells[3]  # 调整后
    assert [t.text for t in adjusted.iter(qn("w:delText"))] == ["23,434.12"]
    assert [t.text for ins in adjusted.iter(qn("w:ins")) for t in ins.iter(qn("w:t"))] == ["17,697.70"]
    # the 2022 single row is a deleted row, the 2023 rows are inserted rows
    rows = list(spending._tbl.iterchildren(qn("w:tr")))
    deleted_rows = [r for r in rows if r.find(qn("w:trPr") + "/" + qn("w:del")) is not None]
    inserted_rows = [r for r in rows if r.find(qn("w:trPr") + "/" + qn("w:ins")) is not None]
    assert ["".join(r.itertext()).startswith("一、部门整体支出") for r in deleted_rows] == [True]
    assert len(inserted_rows) == 6


def test_deleted_section_stays_where_it_was(pair):
    _, _, data, _ = pair
    body = Document(io.BytesIO(data)).element.body
    deleted_text = ["".join(t.text or "" for t in p.iter(qn("w:delText"))) for p in body.iter(qn("w:p"))]
    assert "（四）预算执行进度有待加快" in deleted_text
    order = [p for p in deleted_text if p]
    assert order.index("（四）预算执行进度有待加快") < order.index(
        "受疫情影响，部分项目未能按计划推进，个别月份预算执行进度滞后。"
    )
    inserted_text = [
        "".join(t.text for t in p.iter(qn("w:t")) if t.getparent().getparent().tag == qn("w:ins"))
        for p in body.iter(qn("w:p"))
    ]
    assert "（四）固定资产管理的水平有待加强" in inserted_text


def test_same_inputs_same_bytes(yoy_project):
    a = diff.build_year(yoy_project, "guangzhou", 2022)
    b = diff.build_year(yoy_project, "guangzhou", 2023)
    assert redline.redline(a.docx, b.docx, date=DATE)[0] == redline.redline(a.docx, b.docx, date=DATE)[0]


def test_cli_redline(cli_runner, yoy_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717113600")  # 2024-05-31T00:00:00Z
    result = cli_runner.invoke(main, ["redline", "guangzhou", "2022", "2023", "--root", str(yoy_project.root)])
    assert result.exit_code == 0, result.output
    out = yoy_project.root / "build" / "guangzhou-2022-2023-redline.docx"
    assert result.output.startswith(f"已生成 {out}（修订：插入 ")
    assert b'w:date="2024-05-31T00:00:00Z"' in zipfile.ZipFile(out).read("word/document.xml")
    bad = cli_runner.invoke(
        main, ["redline", "guangzhou", "2022", "2023", "--date", "五月", "--root", str(yoy_project.root)]
    )
    assert bad.exit_code == 2 and "应为日期（如 2024-05-31）" in bad.output


@pytest.mark.libreoffice
@pytest.mark.skipif(
    soffice() is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
)
def test_libreoffice_opens_it_with_tracked_changes(pair, tmp_path):
    _, _, data, _ = pair
    docx = tmp_path / "redline.docx"
    docx.write_bytes(data)
    for target in ("odt", "pdf"):
        subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    content = zipfile.ZipFile(tmp_path / "redline.odt").read("content.xml").decode("utf-8")
    assert content.count("<text:changed-region") > 50
    assert "<text:insertion>" in content and "<text:deletion>" in content
    assert "<dc:creator>reportgen</dc:creator>" in content
    assert (tmp_path / "redline.pdf").stat().st_size > 10_000


def test_rows_merged_differently_are_replaced_whole(project):
    """A year without the unnamed level puts the indicators in the 二级 column of the 自评表, the
    other in the 三级 column under a merged empty cell: a cell's merge is no text revision, so
    such rows are tracked whole (A's row deleted, B's inserted) and reject-all still gives A."""
    text = project.data_path("guangzhou", 2023).read_text(encoding="utf-8")
    head, rest = text.split("      - name: ~\n        children:\n")
    block, tail = rest.split("  # 原报告：管理效能", 1)
    block = "\n".join(line[4:] if line.startswith("    ") else line for line in block.split("\n"))
    lifted = (head + block + "  # 原报告：管理效能" + tail).replace("year: 2023", "year: 2022")
    project.data_path("guangzhou", 2022).write_text(lifted, encoding="utf-8")
    a = diff.build_year(project, "guangzhou", 2022)
    b = diff.build_year(project, "guangzhou", 2023)
    data, _ = redline.redline(a.docx, b.docx, date=DATE)
    assert lines_of(resolve(data, accept=True)) == lines_of(b.docx)
    assert lines_of(resolve(data, accept=False)) == lines_of(a.docx)
    doc = Document(io.BytesIO(data))
    (table,) = [t for t in doc.tables if t.cell(0, 0).text == "一级指标"]
    rows = list(table._tbl.iterchildren(qn("w:tr")))
    marks = [
        "del"
        if tr.find(qn("w:trPr") + "/" + qn("w:del")) is not None
        else "ins"
        if tr.find(qn("w:trPr") + "/" + qn("w:ins")) is not None
        else ""
        for tr in rows
    ]
    # Each year's empty column is not printed (2022: 三级, 2023: 二级), so both tables have five
    # columns and the header is revised in place (二级指标 → 三级指标). In the three 履职效能 rows and
    # in 管理效能's, 2022's indicator cell opens a merge of its own where 2023's is a plain cell: a
    # cell's merge is no text revision, so 2022's row is deleted and 2023's inserted; 小计 and 合计
    # are alike in both
    assert marks == ["", "del", "ins", "del", "ins", "del", "ins", "", "del", "ins", ""]
    assert [t.text for t in rows[0].iter(qn("w:delText"))] == ["二"]
    assert "".join(t.text for t in rows[0].iter(qn("w:t"))) == "一级指标三级指标分值得分得分率"
    first = rows[1]
    assert [t.text for t in first.iter(qn("w:delText"))] == [
        "履职效能",
        "部门整体绩效目标产出指标完成情况",
        "20",
        "20",
        "100.00%",
    ]
    assert [t.text for t in rows[2].iter(qn("w:t"))] == [
        "履职效能",
        "部门整体绩效目标产出指标完成情况",
        "20",
        "20",
        "100.00%",
    ]

"""Comparing across format editions (广州 changed its format between 2022 and 2023).

tests/fixtures/yoy/edition is a made-up older format with other headings, another
section order and a different table; its 2022 data is compared with the real 2023.
What cannot be matched must be listed, never dropped.
"""

from __future__ import annotations

import shutil
from decimal import Decimal as D

import pytest
from docx import Document

from generator import diff, diff_output, pipeline, redline

from .conftest import FIXTURES, ROOT
from .test_redline import DATE, lines_of, resolve


def make_template(path):
    doc = Document()
    doc.add_paragraph("{{ year }}年度{{ dept.name }}部门整体支出绩效自评报告", style="Title")
    doc.add_paragraph("{{ h.h1() }}基本情况", style="Heading 1")
    doc.add_paragraph("{{ h.h2() }}主要职责", style="Heading 2")
    doc.add_paragraph("{%p for para in t.functions %}")
    doc.add_paragraph("{{ para }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ h.h2() }}部门整体收支情况", style="Heading 2")
    doc.add_paragraph(
        "{{ year }}年度，调整后预算{{ spending.adjusted|money }}万元，实际支出{{ spending.actual|money }}万元。"
    )
    table = doc.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["项目", "调整后预算", "决算数"], strict=True):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells,
        ["{{ spending.name }}", "{{ spending.adjusted|money }}", "{{ spending.actual|money }}"],
        strict=True,
    ):
        cell.text = text
    doc.add_paragraph("{{ h.h1() }}综合评价", style="Heading 1")
    doc.add_paragraph("{%p for para in t.summary %}")
    doc.add_paragraph("{{ para }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ h.h1() }}存在的主要问题", style="Heading 1")
    doc.add_paragraph("{%p for item in problems.rows %}")
    doc.add_paragraph("{{ h.h2() }}{{ item.title }}", style="Heading 2")
    doc.add_paragraph("{%p for para in item.text %}")
    doc.add_paragraph("{{ para }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(str(path))


@pytest.fixture
def editions(tmp_path) -> pipeline.Project:
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    edition = tmp_path / "templates" / "edition"
    edition.mkdir()
    shutil.copy(FIXTURES / "yoy" / "edition" / "format.yaml", edition / "format.yaml")
    make_template(edition / "template.docx")
    folder = tmp_path / "data" / "guangzhou"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "guangzhou" / "2023.yaml", folder / "2023.yaml")
    shutil.copy(FIXTURES / "yoy" / "edition" / "2022.yaml", folder / "2022.yaml")
    return pipeline.Project(tmp_path)


@pytest.fixture
def result(editions):
    return diff.compare(editions, "guangzhou", 2022, 2023)


def test_the_total_is_matched_across_formats(result):
    (fig,) = [f for f in result.figures if f.id == "spending/本年支出合计/adjusted"]
    assert (fig.a, fig.b, fig.change) == (D("23434.12"), D("17697.70"), D("-5736.42"))
    (score,) = [f for f in result.figures if f.id == "scoring/管理效能/score"]
    assert (score.a, score.b) == (D("44.98"), D("45.5"))
    assert (result.a.format, result.b.format) == ("edition", "guangzhou-2024")


def test_sections_matched_by_heading_whatever_their_number(result):
    matched = {(s.a_title, s.b_title) for s in result.sections if s.status == diff.MATCHED}
    assert ("（二）部门整体收支情况", "（四）部门整体收支情况") in matched
    assert ("一、基本情况", "一、部门基本情况") in matched
    assert ("三、存在的主要问题", "三、存在的主要问题") in matched


def test_what_cannot_be_matched_is_listed(result):
    only_a = {s.title for s in result.sections if s.status == diff.REMOVED}
    only_b = {s.title for s in result.sections if s.status == diff.ADDED}
    assert {"（一）主要职责", "二、综合评价"} <= only_a
    assert "（一）部门主要职能和机构人员情况" in only_b
    (summary,) = [s for s in result.sections if s.title == "二、综合评价"]
    assert [p.status for p in summary.paragraphs] == [diff.DELETED]
    # every paragraph of either year appears once
    a_text = [p.a for s in result.sections for p in s.paragraphs if p.a]
    assert "本段只在旧版格式里有。" in a_text
    text = diff_output.to_terminal(result)
    assert "仅 2022 年有：（一）主要职责" in text and "仅 2023 年有：（一）部门主要职能和机构人员情况" in text


def test_a_paragraph_carried_into_another_section_is_found(result):
    moved = [p for s in result.sections for p in s.paragraphs if p.moved_from]
    assert any(
        p.status == diff.UNCHANGED and p.moved_from == "（一）主要职责" and p.b.startswith("贯彻执行党中央")
        for p in moved
    )


def test_redline_across_formats(editions):
    a = diff.build_year(editions, "guangzhou", 2022)
    b = diff.build_year(editions, "guangzhou", 2023)
    data, counts = redline.redline(a.docx, b.docx, date=DATE)
    assert counts.inserted and counts.deleted
    assert lines_of(resolve(data, accept=True)) == lines_of(b.docx)
    assert sorted(lines_of(resolve(data, accept=False))) == sorted(lines_of(a.docx))

"""Helpers for writing the *first version* of a format's template.docx.

The .docx template in ``templates/<format>/`` is the source of truth: a
finance clerk edits it in Word or LibreOffice.  The one-off scripts beside
this module only produced its first version; they are not a build step.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.layout import apply_layout, load_layout  # noqa: E402


def new_document() -> Document:
    """An empty document with the shared layout; ``apply_layout`` also removes the default Title
    style's bottom border (Word's blue 4F81BD rule) and the default theme blue."""
    doc = Document()
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    apply_layout(doc, load_layout(ROOT / "templates"))
    return doc


def para(doc, text: str, style: str = "Normal"):
    return doc.add_paragraph(text, style=style)


def heading(doc, level: int, title: str):
    """A heading whose number is generated: ``{{ h.h1() }}title``."""
    return doc.add_paragraph("{{ h.h%d() }}%s" % (level, title), style=f"Heading {level}")


def loop(doc, expr: str, var: str = "p", style: str = "Normal"):
    """One paragraph per item of ``expr`` (a list of strings)."""
    doc.add_paragraph("{%%p for %s in %s %%}" % (var, expr), style=style)
    doc.add_paragraph("{{ %s }}" % var, style=style)
    doc.add_paragraph("{%p endfor %}", style=style)


def items(doc, expr: str, level: int = 2):
    """Titled items (problems, measures): a numbered heading and its paragraphs each."""
    doc.add_paragraph("{%%p for item in %s %%}" % expr)
    heading(doc, level, "{{ item.title }}")
    loop(doc, "item.text")
    doc.add_paragraph("{%p endfor %}")


def set_cell(cell, text: str, style: str):
    cell.text = ""
    p = cell.paragraphs[0]
    p.style = style
    if text:
        p.add_run(text)
    tcpr = cell._tc.get_or_add_tcPr()
    valign = OxmlElement("w:vAlign")
    valign.set(qn("w:val"), "center")
    tcpr.append(valign)


def mark_header(row):
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def no_split(row):
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def table(doc, widths_mm: list[float], header_rows: list[list[str]], body_rows: list[list[tuple[str, str]]]):
    """A grid table. ``header_rows`` cells: text ('' under a merge); ``body_rows`` cells: (text, style)."""
    t = doc.add_table(rows=len(header_rows) + len(body_rows), cols=len(widths_mm))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    grid = t._tbl.tblGrid
    for i, width in enumerate(widths_mm):
        grid.gridCol_lst[i].w = Mm(width)
        for cell in t.columns[i].cells:
            cell.width = Mm(width)
    for r, cells in enumerate(header_rows):
        mark_header(t.rows[r])
        for c, text in enumerate(cells):
            set_cell(t.cell(r, c), text, "Table Header")
    for r, cells in enumerate(body_rows, start=len(header_rows)):
        no_split(t.rows[r])
        for c, (text, style) in enumerate(cells):
            set_cell(t.cell(r, c), text, style)
    return t


def loop_row(n_cols: int, tag: str) -> list[tuple[str, str]]:
    """A docxtpl ``{%tr … %}`` row (removed when rendered)."""
    return [(tag, "Table Text")] + [("", "Table Text")] * (n_cols - 1)


def merge(t, top_left: tuple[int, int], bottom_right: tuple[int, int], text: str):
    """Merge a block of header cells and leave ``text`` once in it (python-docx joins the texts)."""
    cell = t.cell(*top_left).merge(t.cell(*bottom_right))
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    runs = cell.paragraphs[0].runs
    if runs:
        runs[0].text = text
        for run in runs[1:]:
            run._r.getparent().remove(run._r)
    else:
        cell.paragraphs[0].add_run(text)
    return cell


def numbered_loop(doc, expr: str, level: int, var: str = "p", style: str = "Normal"):
    """One paragraph per item of ``expr``, each led by a generated number of heading ``level``
    (``{{ h.h4() }}``) but in body style, so list items do not become document headings."""
    doc.add_paragraph("{%%p for %s in %s %%}" % (var, expr), style=style)
    doc.add_paragraph("{{ h.h%d() }}{{ %s }}" % (level, var), style=style)
    doc.add_paragraph("{%p endfor %}", style=style)


def small(t, suffix: str = " Small"):
    """Use the smaller table styles (``Table Text Small`` …) in every cell of ``t``."""
    for row in t.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                if p.style is not None and p.style.name.startswith("Table ") and not p.style.name.endswith(suffix):
                    p.style = p.part.document.styles[p.style.name + suffix]


def cell_margins(t, mm: float):
    """Left and right cell margins of the whole table (Word's default is 1.9 mm)."""
    tblpr = t._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(round(mm / 25.4 * 1440))))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def keep_together(t):
    """Keep a short table on one page: every row's paragraphs keep with the next row."""
    for row in t.rows[:-1]:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def hmerge(table, row: int, first: int, last: int, text: str, style: str):
    """Merge cells ``first``..``last`` of ``row`` into one holding ``text``."""
    cell = table.cell(row, first).merge(table.cell(row, last))
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    p = cell.paragraphs[0]
    for run in list(p.runs):
        run._r.getparent().remove(run._r)
    p.style = style
    p.add_run(text)
    return cell


def _annex_list_and_heads(doc):
    """The 附件 list under the body, then the start of the loop over the annexes: each one's
    ``附件N`` label and centred title (the tables follow, per annex key, in the caller)."""
    para(doc, "{%p if annexes %}")
    para(doc, "")
    para(doc, "{%p for a in annexes %}")
    para(doc, "{%p if loop.first %}")
    para(doc, "附件：{{ a.listed }}", "Annex List")
    para(doc, "{%p else %}")
    para(doc, "{{ a.listed }}", "Annex List Next")
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "", "Table Text")  # Word wants a paragraph after a closing table
    para(doc, "{%p endif %}")

    para(doc, "{%p for a in annexes %}")
    para(doc, "{{ a.label }}", "Annex Label")
    para(doc, "{{ a.title }}", "Annex Title")


def annex_pages(doc):
    """The annexes after the body, the GB/T 9704 way: the 附件 list under the body, then each
    annex on a page of its own, ``附件1`` at the top left and its title centred, with the table
    its key names (``self_evaluation`` 自评表, ``indicators`` 指标完成情况统计表)."""
    N, T = "Table Number", "Table Text"
    _annex_list_and_heads(doc)
    para(doc, '{%p if a.key == "self_evaluation" %}')
    evaluation = table(
        doc,
        [22, 26, 47, 17, 19, 25],
        [["一级指标", "二级指标", "三级指标", "分值", "得分", "得分率"]],
        [
            loop_row(6, "{%tr for r in a.rows %}"),
            loop_row(6, "{%tr if not r.subtotal %}"),
            [
                ("{{ r.level1|vm }}", T),
                ("{{ r.level2|vm }}", T),
                ("{{ r.level3 }}", T),
                ("{{ r.fig.weight|score }}", N),
                ("{{ r.fig.score|score }}", N),
                ("{{ r.fig.rate|percent }}", N),
            ],
            loop_row(6, "{%tr else %}"),
            [
                ("{{ r.level1|vm }}", T),
                ("", T),
                ("", T),
                ("{{ r.fig.weight|score }}", N),
                ("{{ r.fig.score|score }}", N),
                ("{{ r.fig.rate|percent }}", N),
            ],
            loop_row(6, "{%tr endif %}"),
            loop_row(6, "{%tr endfor %}"),
            [
                ("", T),
                ("", T),
                ("", T),
                ("{{ a.total.weight|score }}", N),
                ("{{ a.total.score|score }}", N),
                ("{{ a.total.rate|percent }}", N),
            ],
        ],
    )
    hmerge(evaluation, 5, 1, 2, "{{ r.level2.text }}", "Table Header")
    hmerge(evaluation, 8, 0, 2, "合计", "Table Header")
    para(doc, "{%p endif %}")
    para(doc, '{%p if a.key == "indicators" %}')
    indicators = table(
        doc,
        [22, 50, 26, 26, 16, 16],
        [["指标类型", "绩效指标", "年度指标值", "实际完成值", "分值", "得分"]],
        [
            loop_row(6, "{%tr for r in a.rows %}"),
            loop_row(6, "{%tr if not r.subtotal %}"),
            [
                ("{{ r.group|vm }}", T),
                ("{{ r.name }}", T),
                ("{{ r.target }}", T),
                ("{{ r.achieved }}", T),
                ('{{ r.weight|score(missing="") }}', N),
                ('{{ r.score|score(missing="") }}', N),
            ],
            loop_row(6, "{%tr else %}"),
            [
                ("{{ r.group|vm }}", T),
                ("", T),
                ("", T),
                ("", T),
                ('{{ r.weight|score(missing="") }}', N),
                ('{{ r.score|score(missing="") }}', N),
            ],
            loop_row(6, "{%tr endif %}"),
            loop_row(6, "{%tr endfor %}"),
            [
                ("", T),
                ("", T),
                ("", T),
                ("", T),
                ('{{ a.total.weight|score(missing="") }}', N),
                ('{{ a.total.score|score(missing="") }}', N),
            ],
        ],
    )
    hmerge(indicators, 5, 1, 3, "{{ r.name }}", "Table Header")
    hmerge(indicators, 8, 0, 3, "合计", "Table Header")
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "", "Table Text")  # Word wants a paragraph after a closing table


def declared_annex_pages(doc, tree: str, listed: str):
    """:func:`annex_pages` for a declared format: the 自评表 from ``{tree}.grid`` (three levels)
    and the 统计表 from ``{tree}.grouped.{listed}`` (see docs/新增格式.md, 附件和附表)."""
    N, T = "Table Number", "Table Text"
    _annex_list_and_heads(doc)
    para(doc, '{%p if a.key == "self_evaluation" %}')
    evaluation = table(
        doc,
        [22, 26, 47, 17, 19, 25],
        [["一级指标", "二级指标", "三级指标", "分值", "得分", "得分率"]],
        [
            loop_row(6, "{%%tr for r in %s.grid %%}" % tree),
            loop_row(6, "{%tr if not r.subtotal %}"),
            [
                ("{{ r.cells[0]|vm }}", T),
                ("{{ r.cells[1]|vm }}", T),
                ("{{ r.cells[2] }}", T),
                ("{{ r.row.weight|score }}", N),
                ("{{ r.row.score|score }}", N),
                ("{{ r.row.rate|percent }}", N),
            ],
            loop_row(6, "{%tr else %}"),
            [
                ("{{ r.cells[0]|vm }}", T),
                ("", T),
                ("", T),
                ("{{ r.row.weight|score }}", N),
                ("{{ r.row.score|score }}", N),
                ("{{ r.row.rate|percent }}", N),
            ],
            loop_row(6, "{%tr endif %}"),
            loop_row(6, "{%tr endfor %}"),
            [
                ("", T),
                ("", T),
                ("", T),
                ("{{ %s.total.weight|score }}" % tree, N),
                ("{{ %s.total.score|score }}" % tree, N),
                ("{{ %s.total.rate|percent }}" % tree, N),
            ],
        ],
    )
    hmerge(evaluation, 5, 1, 2, "{{ r.cells[1].text }}", "Table Header")
    hmerge(evaluation, 8, 0, 2, "合计", "Table Header")
    para(doc, "{%p endif %}")
    para(doc, '{%p if a.key == "indicators" %}')
    group = "%s.grouped.%s" % (tree, listed)
    indicators = table(
        doc,
        [22, 50, 26, 26, 16, 16],
        [["指标类型", "绩效指标", "年度指标值", "实际完成值", "分值", "得分"]],
        [
            loop_row(6, "{%%tr for r in %s.rows %%}" % group),
            loop_row(6, "{%tr if not r.subtotal %}"),
            [
                ("{{ r.group|vm }}", T),
                ("{{ r.item.name or '' }}", T),
                ("{{ r.item.target or '' }}", T),
                ("{{ r.item.actual or '' }}", T),
                ('{{ r.item.weight|score(missing="") }}', N),
                ('{{ r.item.score|score(missing="") }}', N),
            ],
            loop_row(6, "{%tr else %}"),
            [
                ("{{ r.group|vm }}", T),
                ("", T),
                ("", T),
                ("", T),
                ('{{ r.item.weight|score(missing="") }}', N),
                ('{{ r.item.score|score(missing="") }}', N),
            ],
            loop_row(6, "{%tr endif %}"),
            loop_row(6, "{%tr endfor %}"),
            [
                ("", T),
                ("", T),
                ("", T),
                ("", T),
                ('{{ %s.total.weight|score(missing="") }}' % group, N),
                ('{{ %s.total.score|score(missing="") }}' % group, N),
            ],
        ],
    )
    hmerge(indicators, 5, 1, 3, "小计", "Table Header")
    hmerge(indicators, 8, 0, 3, "合计", "Table Header")
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "", "Table Text")  # Word wants a paragraph after a closing table

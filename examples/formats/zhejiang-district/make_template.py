"""Make template.docx for the 浙江省区县 format (python-docx); run from anywhere.

    python examples/formats/zhejiang-district/make_template.py

After this first version the template can be edited in Word directly.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE

HERE = Path(__file__).resolve().parent

TABLE_STYLES = ("Table Unit", "Table Header", "Table Text", "Table Number", "Signature")


def styled(doc, text: str, style: str = "Normal"):
    return doc.add_paragraph(text, style=style)


def fill(row, texts: list[str]) -> None:
    for i, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
        cell.paragraphs[0].text = text
        numeric = i > 0 and "|" in text
        cell.paragraphs[0].style = "Table Number" if numeric else "Table Text"


def loop_table(
    doc, caption: str, header: list[str], loop: str, cells: list[str], total: list[str] | None, unit: bool = True
):
    """A caption, the 单位 line and a table whose body row repeats over `loop`."""
    styled(doc, caption, "Caption")
    if unit:
        styled(doc, "单位：万元", "Table Unit")
    table = doc.add_table(rows=4, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = "Table Header"
    # docxtpl row tags each sit alone in a row of their own
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for r in " + loop + " %}"
    fill(table.rows[2], cells)
    table.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    if total:
        fill(table.add_row(), total)
    return table


def paragraphs(doc, name: str, keep: bool = False) -> None:
    styled(doc, "{%p for p in t." + name + " %}")
    styled(doc, "{{ p }}").paragraph_format.keep_with_next = keep
    styled(doc, "{%p endfor %}")


def main() -> None:
    doc = Document()
    for name in TABLE_STYLES:
        if name not in [s.name for s in doc.styles]:
            doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)

    styled(doc, "{{ unit_name }}{{ year }}年度部门整体支出绩效自评报告", "Title")
    styled(
        doc,
        "根据区财政局关于开展{{ year }}年度部门整体支出绩效自评工作的通知要求，"
        "{{ short_name }}对{{ year }}年度部门整体支出开展了绩效自评，自评总分{{ total_score|score }}分，"
        "等级为“{{ grade }}”。现将有关情况报告如下。",
    )

    styled(doc, "{{ h.h1() }}部门基本情况", "Heading 1")
    paragraphs(doc, "functions")
    # printed by the template, not in a text paragraph: reportgen import reads it back from the report
    styled(doc, "年末编制{{ staff.authorized }}人，实有在编{{ staff.actual }}人。")

    styled(doc, "{{ h.h1() }}部门预算收支情况", "Heading 1")
    styled(doc, "{{ h.h2() }}收入情况", "Heading 2")
    styled(
        doc,
        "{{ year }}年度收入合计{{ income.total.current|money }}万元，比上年{{ income.total.previous|money }}万元"
        "{% if income.total.change < 0 %}下降{% else %}增长{% endif %}{{ income.total.change|abs|percent }}。各项收入见表1。",
    )
    loop_table(
        doc,
        "表1  {{ year }}年度收入情况",
        ["收入来源", "上年决算数", "本年决算数", "增减率"],
        "income.rows",
        ["{{ r.name }}", "{{ r.previous|money }}", "{{ r.current|money }}", "{{ r.change|percent }}"],
        [
            "{{ income.total.name }}",
            "{{ income.total.previous|money }}",
            "{{ income.total.current|money }}",
            "{{ income.total.change|percent }}",
        ],
    )
    paragraphs(doc, "income_note")
    styled(doc, "{{ h.h2() }}支出情况", "Heading 2")
    styled(
        doc,
        "{{ year }}年度支出合计{{ spending.total.actual|money }}万元，为本年预算的{{ spending.total.rate|percent }}。"
        "按支出功能分类见表2。",
    )
    loop_table(
        doc,
        "表2  {{ year }}年度支出情况（按功能分类）",
        ["科目编码", "功能分类", "上年决算数", "本年预算数", "本年决算数", "执行率", "增减率"],
        "spending.rows",
        [
            "{{ r.code }}",
            "{{ r.name }}",
            "{{ r.previous|money }}",
            "{{ r.budget|money }}",
            "{{ r.actual|money }}",
            "{{ r.rate|percent }}",
            "{{ r.change|percent }}",
        ],
        [
            "",
            "{{ spending.total.name }}",
            "{{ spending.total.previous|money }}",
            "{{ spending.total.budget|money }}",
            "{{ spending.total.actual|money }}",
            "{{ spending.total.rate|percent }}",
            "{{ spending.total.change|percent }}",
        ],
    )
    paragraphs(doc, "spending_note")

    styled(doc, "{{ h.h1() }}项目支出执行情况", "Heading 1")
    styled(
        doc,
        "{{ year }}年度共实施项目{{ project_count }}个，预算数{{ projects.total.budget|money }}万元，"
        "执行数{{ projects.total.actual|money }}万元，执行率{{ project_rate|percent }}。各项目执行情况见表3。",
    )
    loop_table(
        doc,
        "表3  {{ year }}年度项目支出执行情况",
        ["项目名称", "预算数", "执行数", "执行率", "未执行原因"],
        "projects.rows",
        ["{{ r.name }}", "{{ r.budget|money }}", "{{ r.actual|money }}", "{{ r.rate|percent }}", "{{ r.reason }}"],
        [
            "{{ projects.total.name }}",
            "{{ projects.total.budget|money }}",
            "{{ projects.total.actual|money }}",
            "{{ projects.total.rate|percent }}",
            "",
        ],
    )

    styled(doc, "{{ h.h1() }}绩效目标完成情况", "Heading 1")
    paragraphs(doc, "goals")
    loop_table(
        doc,
        "表4  {{ year }}年度绩效指标完成情况",
        ["绩效指标", "指标类别", "计量单位", "年度目标值", "实际完成值", "完成率"],
        "indicators.rows",
        [
            "{{ r.name }}",
            "{{ r.kind }}",
            "{{ r.measure }}",
            "{{ r.target|plain }}",
            "{{ r.actual|plain }}",
            "{{ r.completion|percent }}",
        ],
        None,
        unit=False,
    )

    styled(doc, "{{ h.h1() }}自评得分及等级", "Heading 1")
    styled(
        doc,
        "按照部门整体支出绩效评价指标体系，从决策、过程、产出、效益四个方面自评，"
        "自评总分{{ total_score|score }}分，等级为“{{ grade }}”（90分以上为优，80～90分为良，60～80分为中，60分以下为差）。",
    )
    loop_table(
        doc,
        "表5  {{ year }}年度自评得分",
        ["评价内容", "分值", "得分", "得分率"],
        "scores.rows",
        ["{{ r.name }}", "{{ r.weight|score }}", "{{ r.score|score }}", "{{ r.rate|percent }}"],
        [
            "{{ scores.total.name }}",
            "{{ scores.total.weight|score }}",
            "{{ scores.total.score|score }}",
            "{{ scores.total.rate|percent }}",
        ],
        unit=False,
    )

    styled(doc, "{{ h.h1() }}存在的问题和改进措施", "Heading 1")
    styled(doc, "{{ h.h2() }}存在的问题", "Heading 2")
    paragraphs(doc, "problems")
    styled(doc, "{{ h.h2() }}改进措施", "Heading 2")
    # the last paragraphs stay with the signature: no page with a signature alone
    paragraphs(doc, "measures", keep=True)

    # 署名 under the body after one blank line (GB/T 9704 7.3.5.2), 署名 and 成文日期 on one page
    styled(doc, "").paragraph_format.keep_with_next = True
    styled(doc, "{{ unit_name }}", "Signature").paragraph_format.keep_with_next = True
    styled(doc, "{{ report_date|cn_date }}", "Signature")
    doc.save(HERE / "template.docx")


if __name__ == "__main__":
    main()

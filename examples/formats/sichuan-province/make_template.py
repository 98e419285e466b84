"""Make template.docx for the 四川省财政厅 format, as a clerk would type it in Word.

Run once: python make_template.py (needs python-docx). From then on template.docx is the
source: edit it in Word or WPS.
"""

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE

HERE = Path(__file__).parent


def style(doc, name, base="Normal", kind=WD_STYLE_TYPE.PARAGRAPH):
    """The named style, added (based on Normal) when the blank document lacks it."""
    try:
        return doc.styles[name]
    except KeyError:
        s = doc.styles.add_style(name, kind)
        s.base_style = doc.styles[base]
        return s


def para(doc, text, name="Normal"):
    return doc.add_paragraph(text, style=style(doc, name))


def table(doc, header, body, total=None, loop=None, words=(0,)):
    """A table: header row, a {%tr for %} row, the body row, {%tr endfor %}, an optional total row.

    Columns in words hold words: style Table Text (left, may wrap); the others hold figures:
    style Table Number (right, one line). The header row is Table Header.
    """
    rows = [header]
    if loop:
        rows += [[loop] + [""] * (len(header) - 1), body, ["{%tr endfor %}"] + [""] * (len(header) - 1)]
    else:
        rows.append(body)
    if total:
        rows.append(total)
    t = doc.add_table(rows=len(rows), cols=len(header))
    t.style = doc.styles["Table Grid"]
    for i, cells in enumerate(rows):
        for j, text in enumerate(cells):
            p = t.rows[i].cells[j].paragraphs[0]
            p.text = text
            if i == 0:
                p.style = style(doc, "Table Header")
            elif j in words or "{%tr" in text:
                p.style = style(doc, "Table Text")
            else:
                p.style = style(doc, "Table Number")
    return t


def main():
    doc = Document()
    para(doc, "{{ year }}年度{{ dept.name }}部门整体支出绩效自评报告", "Title")

    para(doc, "{{ h.h1() }}部门基本情况", "Heading 1")
    para(doc, "{{ h.h2() }}部门职能职责", "Heading 2")
    para(doc, "{%p for p in t.duties %}")
    para(doc, "{{ p }}")
    para(doc, "{%p endfor %}")
    para(doc, "{{ h.h2() }}机构设置和人员情况", "Heading 2")
    para(
        doc,
        "{{ dept.short_name }}内设机构{{ org.offices }}个，所属单位{{ org.units }}个。"
        "{{ year }}年末核定编制{{ org.authorized }}人，实有在职人员{{ org.actual }}人。",
    )
    para(doc, "{{ h.h2() }}部门预算收支情况", "Heading 2")
    para(
        doc,
        "{{ year }}年，{{ dept.short_name }}年初预算{{ funding.total.initial|money }}万元，"
        "全年预算{{ funding.total.budget|money }}万元，全年执行{{ funding.total.spent|money }}万元，"
        "预算执行率{{ funding.total.rate|percent }}。资金来源和执行情况见表1。",
    )
    para(doc, "表1  年度预算执行情况", "Caption")
    para(doc, "单位：万元", "Table Unit")
    table(
        doc,
        ["资金来源", "年初预算数", "全年预算数", "全年执行数", "执行率"],
        [
            "{{ r.name }}",
            "{{ r.initial|money }}",
            "{{ r.budget|money }}",
            "{{ r.spent|money }}",
            "{{ r.rate|percent }}",
        ],
        total=[
            "{{ funding.total.name }}",
            "{{ funding.total.initial|money }}",
            "{{ funding.total.budget|money }}",
            "{{ funding.total.spent|money }}",
            "{{ funding.total.rate|percent }}",
        ],
        loop="{%tr for r in funding.rows %}",
    )
    para(
        doc,
        "全年支出中，基本支出{{ spending.基本支出.amount|money }}万元，占{{ spending.基本支出.share|percent }}；"
        "项目支出{{ spending.项目支出.amount|money }}万元，占{{ spending.项目支出.share|percent }}。支出结构见表2。",
    )
    para(doc, "表2  支出结构", "Caption")
    para(doc, "单位：万元", "Table Unit")
    table(
        doc,
        ["支出项目", "支出金额", "占比"],
        [
            "{% if r.level == 1 %}{{ r.number|cn_number }}、{% endif %}{{ r.name }}",
            "{{ r.amount|money }}",
            "{{ r.share|percent }}",
        ],
        total=["{{ spending.total.name }}", "{{ spending.total.amount|money }}", "{{ spending.total.share|percent }}"],
        loop="{%tr for r in spending.rows %}",
    )

    para(doc, "{{ h.h1() }}绩效目标及完成情况", "Heading 1")
    para(doc, "{{ h.h2() }}年度总体目标", "Heading 2")
    para(doc, "{%p for p in t.goals %}")
    para(doc, "{{ p }}")
    para(doc, "{%p endfor %}")
    para(doc, "{{ h.h2() }}绩效目标完成情况", "Heading 2")
    para(doc, "{%p for p in t.performance %}")
    para(doc, "{{ p }}")
    para(doc, "{%p endfor %}")

    para(doc, "{{ h.h1() }}绩效自评结论", "Heading 1")
    para(
        doc,
        "经自评，{{ dept.short_name }}{{ year }}年度部门整体支出绩效自评得分{{ total_score|score }}分"
        "（满分{{ total_weight|score }}分），自评等级为“{{ grade }}”。其中，预算执行率{{ exec_rate|percent }}，"
        "得{{ exec_score|score }}分（分值{{ execution_weight|plain }}分）；绩效指标得{{ indicator_score|score }}分"
        "（分值{{ indicators.total.weight|score }}分）。自评情况详见{{ annex.self_eval.label }}。",
    )

    para(doc, "{{ h.h1() }}存在的问题及原因", "Heading 1")
    para(doc, "{%p for q in problems.rows %}")
    para(doc, "{{ h.h2() }}{{ q.title }}", "Heading 2")
    para(doc, "{%p for x in q.text %}")
    para(doc, "{{ x }}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")

    para(doc, "{{ h.h1() }}下一步改进措施", "Heading 1")
    para(doc, "{%p for p in t.measures %}")
    para(doc, "{{ p }}")
    para(doc, "{%p endfor %}")

    para(doc, "{{ h.h1() }}自评结果应用", "Heading 1")
    para(doc, "{%p for p in t.application %}")
    para(doc, "{{ p }}")
    para(doc, "{%p endfor %}")

    para(doc, "")
    para(doc, "{%p for a in annexes %}")
    para(doc, "{% if loop.first %}附件：{% endif %}{{ a.listed }}", "Annex List")
    para(doc, "{%p endfor %}")
    para(doc, "")
    para(doc, "{{ signed.by }}", "Signature")
    para(doc, "{{ signed.date|cn_date }}", "Signature")

    # 附件：部门整体支出绩效自评表
    para(doc, "{{ annex.self_eval.label }}", "Annex Label")
    para(doc, "{{ annex.self_eval.title }}", "Annex Title")
    para(doc, "（{{ year }}年度）　　　　　　　　　　单位：万元", "Table Unit")
    table(
        doc,
        ["资金来源", "年初预算数", "全年预算数", "全年执行数", "执行率", "分值", "得分"],
        [
            "{{ r.name }}",
            "{{ r.initial|money }}",
            "{{ r.budget|money }}",
            "{{ r.spent|money }}",
            "{{ r.rate|percent }}",
            "",
            "",
        ],
        total=[
            "{{ funding.total.name }}",
            "{{ funding.total.initial|money }}",
            "{{ funding.total.budget|money }}",
            "{{ funding.total.spent|money }}",
            "{{ funding.total.rate|percent }}",
            "{{ execution_weight|plain }}",
            "{{ exec_score|score }}",
        ],
        loop="{%tr for r in funding.rows %}",
    )
    para(doc, "")
    table(
        doc,
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因分析"],
        [
            "{{ r.cells[0]|vm }}",
            "{{ r.cells[1]|vm }}",
            "{{ r.cells[2] }}",
            "{% if r.subtotal %}{% elif r.row.target is not none %}{{ r.row.nature }}{{ r.row.target|plain }}{{ r.row.measure }}"
            "{% else %}{{ r.row.standard }}{% endif %}",
            "{% if r.subtotal %}{% elif r.row.actual is not none %}{{ r.row.actual|plain }}{{ r.row.measure }}"
            "{% else %}{{ r.row.result }}{% endif %}",
            "{{ r.row.weight|score }}",
            "{{ r.row.score|score }}",
            "{{ r.row.reason }}",  # an optional text not written prints as nothing
        ],
        total=[
            "合计",
            "",
            "",
            "",
            "",
            "{{ total_weight|score }}",
            "{{ total_score|score }}",
            "自评等级：{{ grade }}",
        ],
        loop="{%tr for r in indicators.grid %}",
        words=(0, 1, 2, 7),
    )
    doc.save(HERE / "template.docx")


if __name__ == "__main__":
    main()

"""One-off: the first version of templates/guangzhou-2024/template.docx.

广州市财政局 2024 版（履职效能 + 管理效能）, as in the 2023 report of
中共广州市委网信办.  Edit the .docx itself from now on; rerunning this script
overwrites it.
"""

from docx_builder import ROOT, declared_annex_pages, heading, items, loop, loop_row, new_document, para, table

doc = new_document()
para(doc, "{{ year }}年度{{ dept.name }}部门整体支出绩效自评报告", "Title")
loop(doc, "t.intro")

heading(doc, 1, "部门基本情况")
heading(doc, 2, "部门主要职能和机构人员情况")
loop(doc, "t.functions")
para(
    doc,
    "截止{{ staffing.as_of|cn_date }}，{{ dept.short_name }}编制人数{{ staffing.authorized }}人，实有在编人数{{ staffing.actual }}人。",
)
heading(doc, 2, "{{ year }}年度总体工作和重点工作任务")
loop(doc, "t.work")
heading(doc, 2, "部门整体支出绩效目标")
loop(doc, "t.goals")
loop(doc, "t.goals_review")
heading(doc, 2, "部门整体收支情况")
para(
    doc,
    "{{ year }}年度，{{ dept.short_name }}部门整体支出情况如下：年初预算{{ spending.total.initial|money }}{{ unit }}，"
    "调整后预算{{ spending.total.adjusted|money }}{{ unit }}，实际支出{{ spending.total.actual|money }}{{ unit }}，"
    "预算执行率{{ spending.total.execution_rate|percent }}，预算和支出情况详见下表：",
)
para(doc, "{{ year }}年度部门整体支出情况表", "Caption")
para(doc, "单位：{{ unit }}", "Table Unit")
N, T = "Table Number", "Table Text"
spend = table(
    doc,
    [34, 20, 20, 22, 20, 20, 20],
    [
        ["按支出性质分类", "年初预算数", "预算调整", "", "", "实际支出", ""],
        ["", "", "调整金额", "调整后", "预算调整率", "决算数", "实际支出率"],
    ],
    [
        loop_row(7, "{%tr for row in spending.rows %}"),
        [
            (
                "{% if row.level == 1 %}{{ row.number|cn_number }}、{{ row.name }}{% else %}{{ row.name|indented(row.level) }}{% endif %}",
                T,
            ),
            ("{{ row.initial|money }}", N),
            ("{{ row.adjustment|money }}", N),
            ("{{ row.adjusted|money }}", N),
            ("{{ row.adjustment_rate|percent }}", N),
            ("{{ row.actual|money }}", N),
            ("{{ row.execution_rate|percent }}", N),
        ],
        loop_row(7, "{%tr endfor %}"),
        [
            ("{{ spending.total.name }}", T),
            ("{{ spending.total.initial|money }}", N),
            ("{{ spending.total.adjustment|money }}", N),
            ("{{ spending.total.adjusted|money }}", N),
            ("{{ spending.total.adjustment_rate|percent }}", N),
            ("{{ spending.total.actual|money }}", N),
            ("{{ spending.total.execution_rate|percent }}", N),
        ],
    ],
)
spend.cell(0, 0).merge(spend.cell(1, 0))
spend.cell(0, 1).merge(spend.cell(1, 1))
spend.cell(0, 2).merge(spend.cell(0, 4))
spend.cell(0, 5).merge(spend.cell(0, 6))
for cell, text in (
    (spend.cell(0, 0), "按支出性质分类"),
    (spend.cell(0, 1), "年初预算数"),
    (spend.cell(0, 2), "预算调整"),
    (spend.cell(0, 5), "实际支出"),
):
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    cell.paragraphs[0].runs[0].text = text
    for run in cell.paragraphs[0].runs[1:]:
        run._r.getparent().remove(run._r)

heading(doc, 2, "部门整体绩效管理情况")
loop(doc, "t.management")

heading(doc, 1, "绩效自评情况")
heading(doc, 2, "自评结论")
loop(doc, "t.conclusion")
para(doc, "{{ year }}年度部门整体支出绩效评价综合得分情况", "Caption")
table(
    doc,
    [44, 28, 28, 28, 28],
    [["评价内容", "权重（%）", "分值配置", "实际得分", "得分率"]],
    [
        loop_row(5, "{%tr for b in scores.top %}"),
        [
            ("{{ b.name }}评价", T),
            ("{{ b.weight_percent|score }}", N),
            ("{{ b.weight|score }}", N),
            ("{{ b.score|score }}", N),
            ("{{ b.rate|percent }}", N),
        ],
        loop_row(5, "{%tr endfor %}"),
        [
            ("合计", T),
            ("{{ scores.total.weight_percent|score }}", N),
            ("{{ scores.total.weight|score }}", N),
            ("{{ scores.total.score|score }}", N),
            ("{{ scores.total.rate|percent }}", N),
        ],
    ],
)
heading(doc, 2, "履职效能分析")
heading(doc, 3, "部门整体绩效目标产出指标完成情况")
loop(doc, "t.output_analysis")
heading(doc, 3, "部门整体绩效目标效益指标完成情况")
loop(doc, "t.benefit_analysis")
heading(doc, 3, "部门预算资金支出率")
loop(doc, "t.execution_rule")
para(
    doc,
    "=({% for v in monthly_execution.rates %}{{ (v if v < 1 else 1)|percent }}{% if not loop.last %}+{% endif %}{% endfor %})"
    "/{{ monthly_n }}={{ monthly_average|percent }}",
)
loop(doc, "t.execution_result")
heading(doc, 2, "管理效能分析")
loop(doc, "t.management_analysis")

heading(doc, 1, "存在的主要问题")
items(doc, "problems.rows")
heading(doc, 1, "下一步改进措施")
items(doc, "measures.rows")

declared_annex_pages(doc, "scores", "indicators")

out = ROOT / "templates" / "guangzhou-2024" / "template.docx"
out.parent.mkdir(parents=True, exist_ok=True)
doc.core_properties.title = "部门整体支出绩效自评报告（广州市财政局 2024 版）"
doc.core_properties.author = "reportgen"
doc.save(out)
print(out)

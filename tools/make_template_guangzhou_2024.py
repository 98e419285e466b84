"""One-off: the first version of templates/guangzhou-2024/template.docx.

广州市财政局 2024 版（履职效能 + 管理效能）, as in the 2023 report of
中共广州市委网信办.  Edit the .docx itself from now on; rerunning this script
overwrites it.
"""

from docx_builder import ROOT, annex_pages, heading, items, loop, loop_row, new_document, para, table

doc = new_document()
para(doc, "{{ year }}年度{{ dept.name }}部门整体支出绩效自评报告", "Title")
loop(doc, "t.intro")

heading(doc, 1, "部门基本情况")
heading(doc, 2, "部门主要职能和机构人员情况")
loop(doc, "t.functions")
para(doc, "截止{{ staffing_as_of|cn_date }}，{{ dept.short_name }}编制人数{{ staffing.authorized }}人，实有在编人数{{ staffing.actual }}人。")
heading(doc, 2, "{{ year }}年度总体工作和重点工作任务")
loop(doc, "t.work")
heading(doc, 2, "部门整体支出绩效目标")
loop(doc, "t.goals")
loop(doc, "t.goals_review")
heading(doc, 2, "部门整体收支情况")
para(
    doc,
    "{{ year }}年度，{{ dept.short_name }}部门整体支出情况如下：年初预算{{ spending.initial|money }}{{ unit }}，"
    "调整后预算{{ spending.adjusted|money }}{{ unit }}，实际支出{{ spending.actual|money }}{{ unit }}，"
    "预算执行率{{ spending.execution_rate|percent }}，预算和支出情况详见下表：",
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
        loop_row(7, "{%tr for row in spending_rows %}"),
        [
            ("{{ row.label }}", T),
            ("{{ row.fig.initial|money }}", N),
            ("{{ row.fig.adjustment|money }}", N),
            ("{{ row.fig.adjusted|money }}", N),
            ("{{ row.fig.adjustment_rate|percent }}", N),
            ("{{ row.fig.actual|money }}", N),
            ("{{ row.fig.execution_rate|percent }}", N),
        ],
        loop_row(7, "{%tr endfor %}"),
    ],
)
spend.cell(0, 0).merge(spend.cell(1, 0))
spend.cell(0, 1).merge(spend.cell(1, 1))
spend.cell(0, 2).merge(spend.cell(0, 4))
spend.cell(0, 5).merge(spend.cell(0, 6))
for cell, text in ((spend.cell(0, 0), "按支出性质分类"), (spend.cell(0, 1), "年初预算数"), (spend.cell(0, 2), "预算调整"), (spend.cell(0, 5), "实际支出")):
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
        loop_row(5, "{%tr for b in scores.blocks %}"),
        [
            ("{{ b.name }}评价", T),
            ("{{ scores.weight_percent(b)|score }}", N),
            ("{{ b.weight|score }}", N),
            ("{{ b.score|score }}", N),
            ("{{ b.rate|percent }}", N),
        ],
        loop_row(5, "{%tr endfor %}"),
        [
            ("合计", T),
            ("{{ scores.weight_percent(scores.total)|score }}", N),
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
    "=({% for v in monthly.counted_fractions %}{{ v|percent }}{% if not loop.last %}+{% endif %}{% endfor %})"
    "/{{ monthly.n }}={{ monthly.average|percent }}",
)
loop(doc, "t.execution_result")
heading(doc, 2, "管理效能分析")
loop(doc, "t.management_analysis")

heading(doc, 1, "存在的主要问题")
items(doc, "problems")
heading(doc, 1, "下一步改进措施")
items(doc, "measures")

annex_pages(doc)

out = ROOT / "templates" / "guangzhou-2024" / "template.docx"
out.parent.mkdir(parents=True, exist_ok=True)
doc.core_properties.title = "部门整体支出绩效自评报告（广州市财政局 2024 版）"
doc.core_properties.author = "reportgen"
doc.save(out)
print(out)

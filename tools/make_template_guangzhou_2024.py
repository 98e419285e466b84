"""One-off: the first version of templates/guangzhou-2024/template.docx.

广州市财政局 2024 版（履职效能 + 管理效能）, as in the 2023 report of
中共广州市委网信办.  Edit the .docx itself from now on; rerunning this script
overwrites it.
"""

from docx_builder import ROOT, heading, hmerge, items, loop, loop_row, new_document, para, table

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

# 附件（GB/T 9704）：正文下空一行，“附件：1. 名称”；每个附件另起一页，左上角“附件1”，标题居中
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
para(doc, '{%p if a.key == "self_evaluation" %}')
evaluation = table(
    doc,
    [22, 26, 57, 15, 15, 21],
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

out = ROOT / "templates" / "guangzhou-2024" / "template.docx"
out.parent.mkdir(parents=True, exist_ok=True)
doc.core_properties.title = "部门整体支出绩效自评报告（广州市财政局 2024 版）"
doc.core_properties.author = "reportgen"
doc.save(out)
print(out)

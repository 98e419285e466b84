"""One-off: the first version of templates/guangzhou-2023/template.docx.

广州市财政局 2023 版（履职效能 + 管理效能；各项工作任务、重点任务项目支出、主要工作成效）,
as in the 2022 report of 中共广州市委网信办.  Edit the .docx itself from now on;
rerunning this script overwrites it (the annex pages, and the declared names of
templates/guangzhou-2023/format.yaml, went into word/document.xml that way: the
document part is what this script writes; the committed styles were tuned since).
"""

from docx_builder import ROOT, declared_annex_pages, heading, items, loop, loop_row, new_document, para, table

doc = new_document()
para(doc, "{{ year }}年度{{ dept.name }}部门整体支出绩效自评报告", "Title")
loop(doc, "t.intro")

heading(doc, 1, "基本情况")
heading(doc, 2, "{{ dept.short_name }}主要职责和机构人员情况")
loop(doc, "t.functions")
heading(doc, 2, "{{ year }}年度总体工作和重点工作任务")
loop(doc, "t.work")
heading(doc, 2, "部门整体收支情况")
para(
    doc,
    "{{ year }}年度，{{ dept.short_name }}部门整体支出情况如下：年初预算{{ spending.initial|money }}{{ unit }}，"
    "调整后预算{{ spending.adjusted|money }}{{ unit }}，实际支出{{ spending.actual|money }}{{ unit }}，"
    "预算执行率{{ spending.execution_rate|percent }}。",
)
heading(doc, 2, "部门整体绩效管理情况")
loop(doc, "t.management")

heading(doc, 1, "综合评价分析")
loop(doc, "t.evaluation")
heading(doc, 2, "自评结论综述")
loop(doc, "t.conclusion")
para(doc, "{{ year }}年度部门整体支出绩效评价综合得分情况", "Caption")
N, T = "Table Number", "Table Text"
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
    ],
)
para(doc, "各项指标详细分析如下：")
heading(doc, 3, "履职效能")
heading(doc, 4, "部门整体绩效目标产出指标完成情况")
loop(doc, "t.output_analysis")
heading(doc, 4, "部门整体绩效目标效益指标完成情况")
loop(doc, "t.benefit_analysis")
heading(doc, 4, "部门预算资金支出率")
loop(doc, "t.execution_rule")
para(
    doc,
    "=({% for v in monthly_execution.rates %}{{ (v if v < 1 else 1)|percent }}{% if not loop.last %}+{% endif %}{% endfor %})"
    "/{{ monthly.n }}={{ monthly.average|percent }}",
)
loop(doc, "t.execution_result")
heading(doc, 3, "管理效能")
loop(doc, "t.management_analysis")

heading(doc, 2, "各项工作任务绩效目标完成情况")
loop(doc, "t.work_items_intro")
items(doc, "work_items.rows", level=4)

heading(doc, 2, "各重点任务项目支出完成情况分析")
doc.add_paragraph("{%p for task in key_tasks.rows %}")
para(doc, "{{ year }}年{{ dept.self_name }}{{ task.name }}重点工作任务绩效项目支出完成情况分析如下：")
loop(doc, "task.text")
para(
    doc,
    "该项重点任务项目支出情况如下，项目预算{{ task.budget|money }}{{ unit }}，支出{{ task.actual|money }}{{ unit }}，"
    "预算执行率{{ task.execution_rate|percent }}。该重点任务设"
    "{% for g in task.groups.category %}{{ g.value }}{{ g.indicator_count|cn_number }}个"
    "{% if not loop.last %}，{% endif %}{% endfor %}"
    "，完成情况如下：",
)
doc.add_paragraph("{%p for g in task.groups.category %}")
para(doc, "{{ g.value }}完成情况：")
doc.add_paragraph("{%p for i in g.rows %}")
para(
    doc,
    "{{ i.name }}，{{ i.target_label or '预计' }}{{ i.target }}，{{ i.actual_label or '实际完成' }}{{ i.actual }}"
    "{% if loop.last %}。{% else %}；{% endif %}",
)
doc.add_paragraph("{%p endfor %}")
doc.add_paragraph("{%p endfor %}")
doc.add_paragraph("{%p endfor %}")

heading(doc, 2, "主要工作成效")
items(doc, "achievements.rows", level=4)

heading(doc, 1, "存在的主要问题")
items(doc, "problems.rows")
heading(doc, 1, "下一步改进措施")
items(doc, "measures.rows")

declared_annex_pages(doc, "scores", "category")

out = ROOT / "templates" / "guangzhou-2023" / "template.docx"
out.parent.mkdir(parents=True, exist_ok=True)
doc.core_properties.title = "部门整体支出绩效自评报告（广州市财政局 2023 版）"
doc.core_properties.author = "reportgen"
doc.save(out)
print(out)

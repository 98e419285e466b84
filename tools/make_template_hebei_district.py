"""One-off: the first version of templates/hebei-district/template.docx.

河北省区县部门整体绩效自评（简表）, as in the 2024 report of 中共唐山市丰南区委网信办
(seed 004).  Edit the .docx itself from now on; rerunning this script
overwrites it.
"""

from docx_builder import ROOT, heading, loop, new_document, para

U = "{{ unit }}"


def sources(field: str) -> str:
    """“，其中：共同财政事权转移支付0.00万元（包含中央0.00万元、…），…” for budget or actual."""
    return (
        (
            "{% if budget_execution.sources.top %}，其中：{% for s in budget_execution.sources.top %}"
            "{{ s.name }}{{ s.FIELD|money }}UNIT"
            "{% if s.children %}（包含{% for c in s.children %}{{ c.name }}{{ c.FIELD|money }}UNIT"
            "{% if not loop.last %}、{% endif %}{% endfor %}）{% endif %}"
            "{% if not loop.last %}，{% endif %}{% endfor %}{% endif %}"
        )
        .replace("FIELD", field)
        .replace("UNIT", U)
    )


doc = new_document()
para(doc, "部门整体绩效自评情况", "Title")

heading(doc, 1, "部门整体概况")
heading(doc, 2, "部门主要职责职能及人员情况")
loop(doc, "t.functions")
para(
    doc,
    "截止{{ year }}年12月底，{{ department.short_name }}人员编制及实有情况如下："
    "共有编制{{ staffing.authorized }}人，实有{{ staffing.actual }}人。"
    "{% if staffing.kinds.rows %}其中{% for k in staffing.kinds.rows %}{{ k.name }}"
    "{% if k.authorized is not none %}{{ k.authorized }}人，实有{{ k.actual }}人{% else %}{{ k.actual }}人{% endif %}"
    "{% if not loop.last %}；{% else %}。{% endif %}{% endfor %}{% endif %}",
)
heading(doc, 2, "部门预算执行情况等")
para(
    doc,
    "{{ department.self_name }}{{ year }}年度申请预算资金{{ budget_execution.adjusted|money }}"
    + U
    + sources("adjusted")
    + "；实际支出{{ budget_execution.actual|money }}"
    + U
    + sources("actual")
    + "；预算执行率{{ budget_execution.execution_rate|percent }}。"
    "{% if budget_execution.projects %}其中：项目{{ budget_execution.project_count }}个，"
    "金额合计{{ budget_execution.projects.adjusted|money }}" + U + "，"
    "实际支出{{ budget_execution.projects.actual|money }}" + U + "，"
    "执行率为{{ budget_execution.projects.execution_rate|percent }}。{% endif %}",
)

heading(doc, 1, "绩效评价组织情况")
heading(doc, 2, "本部门年初设定的部门整体绩效目标")
loop(doc, "t.goals")
heading(doc, 2, "绩效自评工作组织开展情况")
loop(doc, "t.organization")

heading(doc, 1, "部门绩效管理开展的整体绩效实现情况")
loop(doc, "t.results")

heading(doc, 1, "存在的问题和建议")
loop(doc, "t.problems_intro")
doc.add_paragraph("{%p for r in project_reviews.rows %}")
heading(doc, 3, "{{ r.name }}")
doc.add_paragraph("{%p for p in r.problems %}")
doc.add_paragraph("{% if loop.first %}存在的问题：{% endif %}{{ p }}")
doc.add_paragraph("{%p endfor %}")
doc.add_paragraph("{%p for p in r.suggestions %}")
doc.add_paragraph("{% if loop.first %}建议：{% endif %}{{ p }}")
doc.add_paragraph("{%p endfor %}")
doc.add_paragraph("{%p endfor %}")

heading(doc, 1, "其他需要说明的问题")
loop(doc, "t.other")

out = ROOT / "templates" / "hebei-district" / "template.docx"
out.parent.mkdir(parents=True, exist_ok=True)
doc.core_properties.title = "部门整体绩效自评情况（河北省区县简表格式）"
doc.core_properties.author = "reportgen"
doc.save(out)
print(out)

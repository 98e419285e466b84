"""One-off: the first version of templates/hunan-county/template.docx.

湖南县级部门整体支出绩效评价报告, as in the 2020 report of 中共邵阳市北塔区委网信办
(seed 003).  Edit the .docx itself from now on; rerunning this script overwrites it.
"""

from docx_builder import (
    ROOT,
    cell_margins,
    heading,
    items,
    keep_together,
    loop,
    loop_row,
    merge,
    new_document,
    numbered_loop,
    para,
    small,
    table,
)

N, T = "Table Number", "Table Text"

doc = new_document()
para(doc, "{{ department.name }}{{ year }}年度部门整体支出绩效评价报告", "Title")
loop(doc, "t.intro")

heading(doc, 1, "部门概况")
heading(doc, 2, "基本情况")
loop(doc, "t.overview")
heading(doc, 3, "主要职能")
numbered_loop(doc, "t.duties", 4)
heading(doc, 3, "主要工作")
numbered_loop(doc, "t.main_work", 4)
heading(doc, 3, "机构情况")
loop(doc, "t.organization")
heading(doc, 3, "人员情况")
loop(doc, "t.staff")
heading(doc, 2, "{{ year }}年重点工作")
para(
    doc,
    "{{ t.key_work_lead|join }}{% for w in t.key_work %}{{ loop.index }}、{{ w }}{% if not loop.last %}；{% endif %}{% endfor %}。",
)
heading(doc, 2, "整体支出情况")

heading(doc, 3, "整体收支决算情况")
para(
    doc,
    "{{ year }}年决算收入{{ final.income.actual|money }}{{ unit }}，其中"
    "{% for l in final_accounts.income.top %}{{ l.name }}{{ l.actual|money }}{{ unit }}{% if not loop.last %}，{% endif %}{% endfor %}；"
    "决算支出{{ final.spending.actual|money }}{{ unit }}，年末结转和结余累计{{ final.carry_over.actual|money }}{{ unit }}。"
    "{{ year }}年预、决算收入、支出及年末结转和结余明细如下：",
)
para(doc, "{{ year }}年度预、决算收支及年末结转和结余情况表", "Caption")
para(doc, "单位：{{ unit }}", "Table Unit")
INCOME = ("final.income", "final_accounts.income['年初结转和结余']", "final_accounts.income['财政拨款']")
SPEND = ("final.spending", "final.personnel", "final.running", "final.project", "final.carry_over")
COLUMNS = INCOME + SPEND


def figure_row(label: str, attr: str, filt: str) -> list[tuple[str, str]]:
    return [(label, T)] + [("{{ %s.%s|%s }}" % (c, attr, filt), N) for c in COLUMNS]


t1 = table(
    doc,
    [14] + [17.75] * 8,
    [
        ["项目", "收入", "", "", "支出", "", "", "", "年末结转结余"],
        ["", "合计", "年初结转、结余", "财政拨款", "小计", "基本支出", "", "项目支出", ""],
        ["", "", "", "", "", "人员经费", "公用经费", "", ""],
    ],
    [
        figure_row("预算", "initial", "money"),
        figure_row("决算", "actual", "money"),
        figure_row("差异率", "difference_rate", "percent"),
    ],
)
merge(t1, (0, 0), (2, 0), "项目")
merge(t1, (0, 1), (0, 3), "收入")
merge(t1, (0, 4), (0, 7), "支出")
merge(t1, (0, 8), (2, 8), "年末结转结余")
for col, text in ((1, "合计"), (2, "年初结转、结余"), (3, "财政拨款"), (4, "小计"), (7, "项目支出")):
    merge(t1, (1, col), (2, col), text)
merge(t1, (1, 5), (1, 6), "基本支出")
small(t1)
cell_margins(t1, 1)
keep_together(t1)

heading(doc, 3, "支出决算")
para(
    doc,
    "{{ year }}年度决算支出{{ final.spending.actual|money }}{{ unit }}，其中基本支出{{ final.basic.actual|money }}{{ unit }}，"
    "占总支出的{{ final.basic.share|percent }}；项目支出{{ final.project.actual|money }}{{ unit }}，"
    "占总支出的{{ final.project.share|percent }}。部门支出决算明细如下：",
)
para(doc, "{{ year }}年度部门支出决算明细表", "Caption")
para(doc, "单位：{{ unit }}", "Table Unit")
t2 = table(
    doc,
    [64, 46, 46],
    [["项目", "财政拨款—基本支出", "财政拨款—项目支出"]],
    [
        loop_row(3, "{%tr for c in final.classes.rows %}"),
        [("{{ c.name }}", T), ("{{ c.basic|money }}", N), ("{{ c.project|money }}", N)],
        loop_row(3, "{%tr endfor %}"),
        [("合计", T), ("{{ final.classes.total.basic|money }}", N), ("{{ final.classes.total.project|money }}", N)],
    ],
)
keep_together(t2)

heading(doc, 1, "整体支出管理及使用情况")
heading(doc, 2, "基本支出")
loop(doc, "t.basic_spending")
heading(doc, 2, "项目支出")
para(doc, "{{ year }}年，{{ department.self_name }}项目支出{{ final.project.actual|money }}{{ unit }}。")
heading(doc, 2, "项目资金结转和结余情况")
para(doc, "{{ year }}年项目资金结转和结余{{ final.project_carry_over|money }}{{ unit }}。")
heading(doc, 2, "“三公”经费决算说明")
loop(doc, "t.three_public")
heading(doc, 2, "基本支出的公用经费情况")
para(
    doc,
    "{{ year }}年{{ department.self_name }}决算支出日常公用经费{{ running.total.amount|money }}{{ unit }}。"
    "主要包括：{{ running|names }}等支出。具体明细如下：",
)
para(doc, "{{ year }}年度日常公用经费明细表", "Caption")
para(doc, "单位：{{ unit }}", "Table Unit")
t3 = table(
    doc,
    [76, 40, 40],
    [["项目", "决算支出", "占比"]],
    [
        loop_row(3, "{%tr for r in running.rows %}"),
        [("{{ r.name }}", T), ("{{ r.amount|money }}", N), ("{{ r.share|percent }}", N)],
        loop_row(3, "{%tr endfor %}"),
        [("合计", T), ("{{ running.total.amount|money }}", N), ("{{ running.total.share|percent }}", N)],
    ],
)
keep_together(t3)
heading(doc, 2, "部门整体支出的管理情况")
loop(doc, "t.management")
heading(doc, 2, "资产管理情况")
loop(doc, "t.assets")

heading(doc, 1, "整体支出绩效情况")
heading(doc, 2, "预算配置")
loop(doc, "t.allocation")
heading(doc, 2, "预算执行")
loop(doc, "t.execution")
heading(doc, 2, "预算管理")
loop(doc, "t.budget_management")
heading(doc, 2, "提升支出绩效")
loop(doc, "t.improvement")
heading(doc, 2, "评价结论")
loop(doc, "t.conclusion")

heading(doc, 1, "存在的问题")
numbered_loop(doc, "t.issues", 3)
heading(doc, 1, "措施和建议")
items(doc, "measures.rows")

para(doc, "")
para(doc, "{{ signature.unit }}", "Signature")
para(doc, "{{ signature.date|cn_date }}", "Signature")

out = ROOT / "templates" / "hunan-county" / "template.docx"
out.parent.mkdir(parents=True, exist_ok=True)
doc.core_properties.title = "部门整体支出绩效评价报告（湖南县级格式）"
doc.core_properties.author = "reportgen"
doc.save(out)
print(out)

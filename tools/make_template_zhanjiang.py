"""One-off: the first version of templates/zhanjiang/template.docx.

湛江市财政局格式 (cover block, 自评工作开展情况), as in the 2021 report of
中共湛江市委网信办本级.  Edit the .docx itself from now on; rerunning this
script overwrites it.

The cover is its own section: no page number on it, and the body's page
numbers start again at 1.
"""

from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx_builder import ROOT, heading, items, loop, new_document, para, table

doc = new_document()

# --- cover ----------------------------------------------------------------------
title = para(doc, "整体绩效自评报告", "Cover Title")
title.paragraph_format.space_before = Mm(50)
title.paragraph_format.space_after = Mm(45)
cover_lines = [
    "评价年度：{{ year }}年度",
    "评价单位：{{ cover.unit }}",
    "市级预算部门单位（公章）：",
    "填报日期：{{ cover.filed_on|cn_date }}",
]
for text in cover_lines:
    line = para(doc, text, "Cover Line")  # no indent: 评价单位 and a 22-character name fit one line
    line.paragraph_format.space_after = Pt(12)
last_cover_line = line

# section break after the cover: move the new section's sectPr into the last cover line
doc.add_section(WD_SECTION.NEW_PAGE)
body = doc.element.body
break_p = body.findall(qn("w:p"))[-1]
cover_sectpr = break_p.pPr.find(qn("w:sectPr"))
last_cover_line._p.get_or_add_pPr().append(cover_sectpr)
body.remove(break_p)
doc.sections[0].different_first_page_header_footer = True  # first (only) cover page: no number
# body section: page numbers start at 1 (w:pgNumType goes before w:cols / w:docGrid)
body_sectpr = doc.sections[-1]._sectPr
pg = OxmlElement("w:pgNumType")
pg.set(qn("w:start"), "1")
anchor = body_sectpr.find(qn("w:cols"))
if anchor is None:
    anchor = body_sectpr.find(qn("w:docGrid"))
if anchor is not None:
    anchor.addprevious(pg)
else:
    body_sectpr.append(pg)

# --- body -----------------------------------------------------------------------
para(
    doc,
    "根据（{{ notice.title }}，文件号{{ notice.number }}）要求，我单位及时布置自评，成立自评工作小组，"
    "明确分工，落实责任，认真开展自评自查工作，经查阅、核实有关账务及项目等执行情况，填写自评表格并综合分析，"
    "形成本评价报告。现将{{ year }}年度（{{ department.name }}）整体绩效自我评价报告如下：",
)

heading(doc, 1, "单位基本情况")
heading(doc, 2, "单位机构设置、部门职能情况")
loop(doc, "t.organization")
para(
    doc,
    "机构编制部门核定人数{% for k in staffing.kinds.rows %}{{ k.name }}{{ k.authorized }}人{% if not loop.last %}、{% endif %}{% endfor %}。"
    "年末在职人数{% for k in staffing.kinds.rows %}{{ k.name }}{{ k.actual }}人{% if not loop.last %}、{% endif %}{% endfor %}。",
)
loop(doc, "t.functions")
heading(doc, 2, "年度总体工作和重点工作任务")
items(doc, "work_items.rows", level=3)
heading(doc, 2, "部门整体支出绩效目标")
items(doc, "goal_items.rows", level=3)
heading(doc, 2, "部门整体支出情况")
para(
    doc,
    "{{ department.self_name }}{{ year }}年收到"
    "{% for row in income.top %}{{ row.name }}{{ row.actual|money }}{{ unit }}{% if not loop.last %}、{% endif %}{% endfor %}，"
    "支出{{ spending.total.actual|money }}{{ unit }}；其中"
    "{% for row in spending.top %}{{ row.name }}{{ row.actual|money }}{{ unit }}{% if not loop.last %}，{% endif %}{% endfor %}。",
)
para(doc, "{{ year }}年度部门整体收支情况表", "Caption")
para(doc, "单位：{{ unit }}", "Table Unit")
N, T = "Table Number", "Table Text"
table(
    doc,
    [80, 56],
    [["项目", "金额"]],
    [
        [("{{ income.total.name }}", T), ("{{ income.total.actual|money }}", N)],
        [("{%tr for row in income.top %}", T), ("", T)],
        [("　　{{ row.name }}", T), ("{{ row.actual|money }}", N)],
        [("{%tr endfor %}", T), ("", T)],
        [("{{ spending.total.name }}", T), ("{{ spending.total.actual|money }}", N)],
        [("{%tr for row in spending.top %}", T), ("", T)],
        [("　　{{ row.name }}", T), ("{{ row.actual|money }}", N)],
        [("{%tr endfor %}", T), ("", T)],
    ],
)

heading(doc, 1, "自评工作开展情况")
heading(doc, 2, "评价小组情况")
para(
    doc,
    "{% if evaluation_team.formed_on %}{{ evaluation_team.formed_on|cn_date }}，{% endif %}{{ department.self_name }}成立绩效评价小组，成员如下："
    "{% for m in evaluation_team.members.rows %}{{ m.name }}（{{ m.post }}）{% if not loop.last %}、{% endif %}{% endfor %}。"
    "职能分工：{% for g in evaluation_team.members.groups.duty %}{{ g.rows|map(attribute='name')|join('、') }}：{{ g.value }}{% if not loop.last %}；{% endif %}{% endfor %}。",
)
heading(doc, 2, "自评工作过程")
loop(doc, "t.team_process")
heading(doc, 2, "自评材料报送时间及质量")
loop(doc, "t.materials_quality")
heading(doc, 2, "自评材料报送及公开一致情况")
loop(doc, "t.materials_disclosure")

heading(doc, 1, "绩效自评情况")
heading(doc, 2, "自评结果")
loop(doc, "t.result")
heading(doc, 2, "部门整体支出绩效指标分析")
loop(doc, "t.analysis_intro")
heading(doc, 3, "预算编制情况")
loop(doc, "t.budgeting")
heading(doc, 3, "预算执行情况")
loop(doc, "t.execution")
heading(doc, 3, "预算监督情况")
loop(doc, "t.supervision")
heading(doc, 3, "预算使用效益")
loop(doc, "t.effectiveness")
heading(doc, 4, "部门整体绩效目标实现情况")
loop(doc, "t.goal_achievement")
heading(doc, 2, "部门整体支出绩效管理存在问题")
loop(doc, "t.issues")
heading(doc, 2, "改进措施")
# each measure is one paragraph led by its number and title: “1.严格执行预算。按照……”
doc.add_paragraph("{%p for item in measures.rows %}")
para(doc, "{{ h.h3() }}{{ item.title }}。{% if item.text %}{{ item.text[0] }}{% endif %}")
loop(doc, "item.text[1:]")
doc.add_paragraph("{%p endfor %}")

heading(doc, 1, "其他自评情况")
loop(doc, "t.other")

out = ROOT / "templates" / "zhanjiang" / "template.docx"
out.parent.mkdir(parents=True, exist_ok=True)
doc.core_properties.title = "整体绩效自评报告（湛江市财政局格式）"
doc.core_properties.author = "reportgen"
doc.save(out)
print(out)

"""北塔区委网信办 2020 (seed 003, Hunan county format): every computed figure against values
worked out by hand from the DOMAIN.md formulas."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest

from generator import pipeline
from generator.errors import DataError
from generator.extract import tables, text_lines

from .conftest import ROOT, edit


@pytest.fixture(scope="module")
def report():
    """The declared report: inputs and groups' computed figures by key, tables as rows."""
    return pipeline.check(pipeline.Project(ROOT), "beita", 2020)


@pytest.fixture(scope="module")
def figures(report):
    return report.values


@pytest.fixture(scope="module")
def final(figures):
    return figures["final_accounts"]


@pytest.fixture(scope="module")
def lines(built):
    return text_lines(built[("beita", 2020)])


# --- computation ------------------------------------------------------------------


def test_income_totals_and_difference_rates(final):
    income = final["income"]
    # 预算 0 + 80.6 (其他收入 has no budget: counted as 0) ; 决算 6.69 + 91.51 + 0
    assert (income.total["planned"], income.total["actual"]) == (D("80.6"), D("98.20"))
    assert income.row["其他收入"]["initial"] is None
    # 差异率 = (98.2 − 80.6) ÷ 80.6 = 17.6 ÷ 80.6 = 0.218362…  → 21.84%
    assert round(income.total["difference_rate"], 6) == D("0.218362")
    # 财政拨款 (91.51 − 80.6) ÷ 80.6 = 10.91 ÷ 80.6 = 0.1353598… → 13.54%
    assert round(income.row["财政拨款"]["difference_rate"], 6) == D("0.135360")
    # 年初结转和结余: 预算 0, so the rate is undefined (prints the format's —)
    assert income.row["年初结转和结余"]["difference_rate"] is None


def test_spending_actuals_come_from_the_economic_classes(final):
    # 人员经费 决算 = 工资福利支出 45.77 + 对个人和家庭的补助 5.49 = 51.26
    assert final["personnel_actual"] == D("51.26")
    # 公用经费 决算 = 商品和服务支出 (12 details) 46.94 + 资本性支出 0 = 46.94
    # 5.53+6.93+0.33+0.14+0.6+9+0.13+1.26+3+2.72+4.26+13.04 = 46.94
    assert final["running_actual"] == D("46.94")
    assert final["by_class"].keyed["goods"]["basic"] == D("46.94")
    # 基本支出 51.26 + 46.94 = 98.20 ; 项目支出 0 ; 小计 98.20
    assert final["basic_actual"] == D("98.20")
    assert final["project_actual"] == 0
    assert final["spending_actual"] == D("98.20")
    # 预算: 34.56 + 46.04 = 80.60 ; + 项目 0
    assert final["spending_initial"] == D("80.60")
    # 人员经费 (51.26 − 34.56) ÷ 34.56 = 16.7 ÷ 34.56 = 0.483217… → 48.32%
    assert round(final["personnel_rate"], 6) == D("0.483218")
    # 公用经费 (46.94 − 46.04) ÷ 46.04 = 0.9 ÷ 46.04 = 0.019548… → 1.95%
    assert round(final["running_rate"], 6) == D("0.019548")
    assert final["project_rate"] is None
    # 支出决算表 合计: 45.77 + 46.94 + 5.49 + 0 = 98.20 ; 项目 0
    assert (final["by_class"].total["basic"], final["by_class"].total["project"]) == (D("98.20"), 0)
    # 基本支出 98.20 of 98.20, 项目支出 0 of 98.20
    assert (final["basic_share"], final["project_share"]) == (1, 0)


def test_carry_over_is_income_less_spending(final):
    # 预算 80.6 − 80.60 = 0 ; 决算 98.20 − 98.20 = 0 ; 差异率 0 ÷ 0 undefined
    assert (final["carry_over_initial"], final["carry_over_actual"], final["carry_over_rate"]) == (0, 0, None)


def test_running_items_and_lists(figures):
    running = figures["running"]
    assert len(running.rows) == 12  # 资本性支出 spent 0 and lists no details: no row
    assert running.total["amount"] == D("46.94")
    # 年初预算项目资金 6 + 7 + 2 + 20 + 5 = 40
    assert figures["initial_projects"].total["amount"] == 40
    # "三公"经费 0 + 0.13 + 0 = 0.13 ; 公务接待费 0.13 − 0 = +0.13, rate undefined (上年 0)
    three = figures["three_public"]
    assert three.total["amount"] == D("0.13")
    reception = three.keyed["reception"]
    assert reception["change"] == D("0.13") and reception["change_rate"] is None
    assert three.total["previous"] is None  # only 公务接待费 states last year


def test_headcount_and_control_rate(report, figures):
    # 实际人数 = 在职 6 + 离退休 0 ; 控制率 = 6 ÷ 8 = 0.75
    assert report.figures["people_total"] == 6
    assert figures["staffing"]["control_rate"] == D("0.75")


# --- the document -------------------------------------------------------------------


def test_table_of_budget_and_final_accounts(built):
    t = tables(built[("beita", 2020)])[0]
    assert t[0] == ["项目", "收入", "支出", "年末结转结余"]
    assert t[1] == ["", "合计", "年初结转、结余", "财政拨款", "小计", "基本支出", "项目支出", ""]
    assert t[3] == ["预算", "80.60", "0.00", "80.60", "80.60", "34.56", "46.04", "0.00", "0.00"]
    assert t[4] == ["决算", "98.20", "6.69", "91.51", "98.20", "51.26", "46.94", "0.00", "0.00"]
    # a zero budget has no 差异率: the format's symbol for undefined (zero_division: "—"), not 0
    assert t[5] == ["差异率", "21.84%", "—", "13.54%", "21.84%", "48.32%", "1.95%", "—", "—"]


def test_table_by_economic_class(built):
    t = tables(built[("beita", 2020)])[1]
    assert t == [
        ["项目", "财政拨款—基本支出", "财政拨款—项目支出"],
        ["工资福利支出", "45.77", "0.00"],
        ["商品和服务支出", "46.94", "0.00"],
        ["对个人和家庭的补助", "5.49", "0.00"],
        ["资本性支出", "0.00", "0.00"],
        ["合计", "98.20", "0.00"],
    ]


def test_running_cost_shares_sum_to_exactly_100(built):
    t = tables(built[("beita", 2020)])[2]
    # each amount ÷ 46.94, half-up: 11.78 14.76 0.70 0.30 1.28 19.17 0.28 2.68 6.39 5.79 9.08 27.78
    # = 99.99%; the missing 0.01 goes to the largest remainder, 工会经费 2.72 ÷ 46.94 = 5.7946…% → 5.80%
    shares = {row[0]: row[2] for row in t[1:-1]}
    assert shares == {
        "办公费": "11.78%",
        "印刷费": "14.76%",
        "咨询费": "0.70%",
        "邮电费": "0.30%",
        "差旅费": "1.28%",
        "维修（护）费": "19.17%",  # 9 ÷ 46.94 = 19.1734…% (the seed printed 19.18%)
        "公务接待费": "0.28%",
        "劳务费": "2.68%",
        "委托业务费": "6.39%",
        "工会经费": "5.80%",
        "其他交通费用": "9.08%",  # 4.26 ÷ 46.94 = 9.0754…% (the seed printed 9.06%)
        "其他商品和服务支出": "27.78%",  # 13.04 ÷ 46.94 = 27.7801…% (the seed printed 27.79%)
    }
    assert sum(D(s[:-1]) for s in shares.values()) == 100
    assert t[-1] == ["合计", "46.94", "100.00%"]


def test_headings_in_the_seeds_order_with_generated_numbers(lines):
    numbered = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+、)")
    heads = [l for l in lines if numbered.match(l) and len(l) < 30 and "|" not in l]
    assert heads == [
        "一、部门概况",
        "（一）基本情况",
        "1、主要职能",
        "2、主要工作",
        "3、机构情况",
        "4、人员情况",
        "（二）2020年重点工作",
        "（三）整体支出情况",
        "1、整体收支决算情况",
        "2、支出决算",
        "二、整体支出管理及使用情况",
        "（一）基本支出",
        "（二）项目支出",
        "（三）项目资金结转和结余情况",
        "（四）“三公”经费决算说明",
        "（五）基本支出的公用经费情况",
        "（六）部门整体支出的管理情况",
        "（七）资产管理情况",
        "三、整体支出绩效情况",
        "（一）预算配置",
        "（二）预算执行",
        "（三）预算管理",
        "（四）提升支出绩效",
        "（五）评价结论",
        "四、存在的问题",
        "五、措施和建议",
        "（一）进一步加强项目资金管理",
        "（二）进一步提高绩效管理水平",
    ]


def test_list_items_are_numbered_in_order(lines):
    duties = [l for l in lines if re.match(r"^（\d+）", l)]
    # 15 duties, then 4 main works, numbering restarting under each heading
    assert [l[: l.index("）") + 1] for l in duties] == [f"（{n}）" for n in range(1, 16)] + [
        f"（{n}）" for n in range(1, 5)
    ]
    assert duties[14] == "（15）完成区委、区政府和区委网络安全和信息化委员会交办的其他事项。"
    issues = lines[lines.index("四、存在的问题") + 1 : lines.index("五、措施和建议")]
    assert [l[:2] for l in issues] == ["1、", "2、"]


def test_key_text_lines(lines):
    assert lines[0] == "中共邵阳市北塔区委网络安全和信息化委员会办公室2020年度部门整体支出绩效评价报告"
    assert (
        "2020年网信办的重点工作有以下几点：1、网络综合治理；2、网络安全；3、网宣网评；4、网络舆情监控及处置；"
        "5、疫情防控；6、精准扶贫；7、平安创建。" in lines
    )
    assert (
        "中共邵阳市北塔区委网络安全和信息化委员会办公室编制人数8人，实际人数6人，其中在职人数6人，离退休0人，"
        "遗属补助人数0人，小车编制数0台，无房屋。" in lines
    )
    text = "\n".join(lines)
    assert (
        "2020年决算收入98.20万元，其中年初结转和结余6.69万元，财政拨款91.51万元，其他收入0.00万元；决算支出98.20万元，年末结转和结余累计0.00万元。"
        in text
    )
    assert "其中基本支出98.20万元，占总支出的100.00%；项目支出0.00万元，占总支出的0.00%。" in text
    # 45.77 ÷ 98.2 = 46.6090% ; 46.94 ÷ 98.2 = 47.8004% ; 5.49 ÷ 98.2 = 5.5906% ; sum 100.00
    assert "工资福利支出45.77万元，占基本支出的46.61%；商品服务支出46.94万元，占基本支出的47.80%；" in text
    assert "对个人家庭补助支出5.49万元，占基本支出的5.59%；资本性支出0.00万元，占基本支出的0.00%。）" in text
    assert "年初预算项目资金共计40.00万（分别为红网建设经费6.00万；网络安全监测和攻防应急演练经费7.00万；" in text
    assert "公务接待费0.13万元（同比2019年0.00万元增加0.13万元，" in text
    assert "2020年我办决算支出日常公用经费46.94万元。主要包括：办公费、印刷费、" in text
    assert "财政在职人员控制率为75.00%。年初预算收入80.60万元，年末决算收入98.20万元；" in text
    assert "自评等级“良好”。" in text
    assert lines[-2:] == ["北塔区委网络安全和信息化委员会办公室", "2021年8月26日"]


# --- one input, every dependent figure ----------------------------------------------


def test_one_running_item_changes_every_dependent_figure(project):
    data = project.data_dir / "beita" / "2020.yaml"
    edit(data, "{name: 办公费,             amount: 5.53}", "{name: 办公费,             amount: 6.53}")
    out = pipeline.build(project, "beita", 2020)
    t1, t2, t3 = tables(out)
    # 公用经费 47.94, 基本支出 99.20, 收入 98.20: 年末结转结余 98.20 − 99.20 = −1.00
    assert t1[4] == ["决算", "98.20", "6.69", "91.51", "99.20", "51.26", "47.94", "0.00", "-1.00"]
    # 小计 (99.2 − 80.6) ÷ 80.6 = 23.08% ; 公用经费 (47.94 − 46.04) ÷ 46.04 = 4.13%
    assert t1[5][4] == "23.08%" and t1[5][6] == "4.13%"
    assert t2[2] == ["商品和服务支出", "47.94", "0.00"] and t2[-1] == ["合计", "99.20", "0.00"]
    assert t3[1] == ["办公费", "6.53", "13.62%"] and t3[-1] == ["合计", "47.94", "100.00%"]
    assert sum(D(row[2][:-1]) for row in t3[1:-1]) == 100
    assert any("基本支出99.20万元，其中包括" in l for l in text_lines(out))


def test_a_declared_grade_must_be_a_format_grade_word(project):
    data = project.data_dir / "beita" / "2020.yaml"
    edit(data, "self_grade: 良好", "self_grade: 良")
    with pytest.raises(DataError) as info:
        pipeline.check(project, "beita", 2020)
    assert str(info.value).endswith("self_grade（自评等级）: 应为 优秀、良好、中、差 之一，得到 “良”")


def test_details_and_a_basic_amount_are_refused_together(project):
    data = project.data_dir / "beita" / "2020.yaml"
    edit(
        data, "      part: 公用经费\n      project: 0\n", "      part: 公用经费\n      basic: 46.94\n      project: 0\n"
    )
    with pytest.raises(DataError) as info:
        pipeline.check(project, "beita", 2020)
    assert (
        "final_accounts.by_class[1].basic（整体收支预决算 › 商品和服务支出 › 财政拨款—基本支出）: "
        "所列明细（details）都写了决算数时，财政拨款—基本支出 basic 由各明细合计得出，请删除这一行"
    ) in str(info.value)


def test_unknown_part_is_explained_in_chinese(project):
    data = project.data_dir / "beita" / "2020.yaml"
    edit(data, "key: wages, part: 人员经费", "key: wages, part: 工资")
    with pytest.raises(DataError) as info:
        pipeline.check(project, "beita", 2020)
    assert (
        "final_accounts.by_class[0].part（整体收支预决算 › 工资福利支出 › 所属经费）: 应为 人员经费、公用经费 之一，得到 “工资”"
        in str(info.value)
    )

"""丰南 2024 (seed 004, 河北区县简表): every computed figure against values worked out by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator import pipeline
from generator.errors import DataError
from generator.extract import text_lines

from .conftest import ROOT, edit


@pytest.fixture(scope="module")
def figures():
    """The declared figures: inputs and groups' computed figures by key, tables as rows."""
    return pipeline.check(pipeline.Project(ROOT), "fengnan", 2024).values


@pytest.fixture(scope="module")
def lines(built):
    return text_lines(built[("fengnan", 2024)])


def test_staffing_totals_follow_from_the_kinds(figures):
    # 编制: 行政 6 + 全额事业 13 (聘用制、劳务派遣 have none) = 19
    # 实有: 6 + 6 + 1 + 6 = 19
    assert (figures["staffing"]["authorized"], figures["staffing"]["actual"]) == (19, 19)


def test_actual_spending_is_basic_plus_projects(figures):
    execution = figures["budget_execution"]
    # 人员经费 222.8 + 日常公用经费 14.95 = 237.75; + 项目 106.07 = 343.82 (as the seed prints)
    assert execution["basic"].total["actual"] == D("237.75")
    assert execution["actual"] == D("343.82")
    assert execution["adjusted"] == D("384.29")


def test_execution_rates_unrounded(figures):
    execution = figures["budget_execution"]
    # 343.82 ÷ 384.29 = 0.894688…: truncated 89.46% (printed), half-up would be 89.47%
    assert round(execution["execution_rate"], 6) == D("0.894689")
    # 106.07 ÷ 109.6 = 0.967791…: truncated 96.77% (printed), half-up would be 96.78%
    assert round(execution["projects"]["execution_rate"], 6) == D("0.967792")


def test_project_count_is_initial_plus_added(figures):
    execution = figures["budget_execution"]
    # 年初安排 7 + 追加 1 = 8 (the seed prints 项目8个)
    assert (execution["initial_project_count"], execution["added_project_count"]) == (7, 1)
    assert execution["project_count"] == 8


def test_sources_sum_their_levels(figures):
    sources = figures["budget_execution"]["sources"].top
    assert [s["name"] for s in sources] == ["共同财政事权转移支付", "专项转移支付", "债券资金"]
    # 中央 0 + 省 0 + 市 0 = 0, for budget and for actual
    assert [(s["adjusted"], s["actual"]) for s in sources] == [(D(0), D(0))] * 3
    assert [c["name"] for c in sources[0]["children"]] == ["中央", "省", "市"]


def test_headings_in_the_seeds_order(lines):
    headings = [l for l in lines if len(l) < 40 and (l[1:2] == "、" or l.startswith("（"))]
    assert headings == [
        "一、部门整体概况",  # the seed opens with a stray “1、”
        "（一）部门主要职责职能及人员情况",
        "（二）部门预算执行情况等",
        "二、绩效评价组织情况",
        "（一）本部门年初设定的部门整体绩效目标",
        "（二）绩效自评工作组织开展情况",
        "三、部门绩效管理开展的整体绩效实现情况",
        "四、存在的问题和建议",
        "1、互联网舆情监测经费",
        "2、互联网宣传管理经费",
        "五、其他需要说明的问题",
    ]


def test_key_lines(lines):
    assert lines[0] == "部门整体绩效自评情况"
    assert (
        "截止2024年12月底，网信办人员编制及实有情况如下：共有编制19人，实有19人。"
        "其中行政编制6人，实有6人；全额事业编制13人，实有6人；聘用制1人；劳务派遣6人。"
    ) in lines
    # zero amounts print as the format says (zero_amount: "0"), as the seed wrote them
    zeros = "共同财政事权转移支付0万元（包含中央0万元、省0万元、市0万元），专项转移支付0万元（包含中央0万元、省0万元、市0万元），债券资金0万元"
    assert (
        f"本部门2024年度申请预算资金384.29万元，其中：{zeros}；实际支出343.82万元，其中：{zeros}；"
        "预算执行率89.46%。其中：项目8个，金额合计109.60万元，实际支出106.07万元，执行率为96.77%。"
    ) in lines
    assert any("2024年预算安排以及追加项目资金109.60万元，资金拨付106.07万元。" in l for l in lines)
    assert any(
        l.startswith("2024年，区委网信办年初预算安排7个项目，")
        and "故追加1个项目。" in l
        and "共花费资金106.07万元。" in l
        for l in lines
    )
    assert any(l.startswith("人员经费支出222.80万元、日常公用支出14.95万元。") for l in lines)
    assert "存在的问题：目前对网上舆情监测系统的种类和功能了解的还不够透彻。" in lines
    assert not any("bookmark" in l for l in lines)


def test_one_input_changes_every_dependent_figure(project):
    data = project.data_dir / "fengnan" / "2024.yaml"
    edit(data, "{name: 人员经费,     actual: 222.8}", "{name: 人员经费,     actual: 232.8}")
    edit(data, "initial_count: 7", "initial_count: 9")
    out = text_lines(pipeline.build(project, "fengnan", 2024))
    # 232.8 + 14.95 + 106.07 = 353.82; 353.82 ÷ 384.29 = 0.920710… → 92.07%; projects 9 + 1 = 10
    assert any("实际支出353.82万元" in l and "预算执行率92.07%。其中：项目10个" in l for l in out)
    assert any(l.startswith("人员经费支出232.80万元") for l in out)
    assert any("年初预算安排9个项目" in l for l in out)


def test_half_up_format_would_print_other_rates(project):
    edit(project.templates_dir / "hebei-district" / "format.yaml", "rounding: truncate", "rounding: half_up")
    out = text_lines(pipeline.build(project, "fengnan", 2024))
    # 89.4688…% → 89.47%; 96.7791…% → 96.78%
    assert any("预算执行率89.47%" in l and "执行率为96.78%" in l for l in out)


def test_actual_typed_beside_its_breakdown_is_refused(project):
    data = project.data_dir / "fengnan" / "2024.yaml"
    edit(data, "  adjusted: 384.29 ", "  actual: 343.82\n  adjusted: 384.29 ")
    with pytest.raises(DataError) as info:
        pipeline.check(project, "fengnan", 2024)
    assert "fengnan/2024.yaml" in str(info.value)
    assert "实际支出已由基本支出和项目支出合计得出，不要再填写 actual" in str(info.value)


def test_the_data_file_validates_against_the_formats_schema():
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema 未安装")
    import yaml

    schema = pipeline.schema(pipeline.Project(ROOT), "hebei-district")
    validator = jsonschema.Draft202012Validator(schema)
    data = yaml.safe_load((ROOT / "data" / "fengnan" / "2024.yaml").read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(data)] == []
    data["budget_execution"]["projects"]["actual"] = "106.07万元"
    data["project_reviews"][0]["problemz"] = "…"
    errors = sorted(".".join(map(str, e.absolute_path)) for e in validator.iter_errors(data))
    assert errors == ["budget_execution.projects.actual", "project_reviews.0"]

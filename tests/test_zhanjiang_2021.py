"""湛江 2021 (seed 002): computed figures against values worked out by hand, headings, key lines."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from generator import pipeline
from generator.extract import tables, text_lines

from .conftest import ROOT, edit


@pytest.fixture(scope="module")
def figures():
    """The declared figures: inputs and groups' computed figures by key, tables as rows."""
    return pipeline.check(pipeline.Project(ROOT), "zhanjiang", 2021).values


@pytest.fixture(scope="module")
def lines(built):
    return text_lines(built[("zhanjiang", 2021)])


def test_spending_and_income(figures):
    # 3421886.78 + 4765400 = 8187286.78 (the seed prints the same total)
    spending, income = figures["spending"], figures["income"]
    assert spending.total["actual"] == D("8187286.78")
    assert spending.row["基本支出"]["actual"] == D("3421886.78")
    assert spending.row["项目支出"]["actual"] == D("4765400")
    # one income line: the total is that line
    assert income.total["name"] == "本年收入合计"
    assert income.total["actual"] == D("8159635.29")
    # spending exceeds appropriations received: 8159635.29 − 8187286.78 = −27651.49
    assert income.total["actual"] - spending.total["actual"] == D("-27651.49")


def test_staffing_totals(figures):
    # 编制 12 + 5 + 2 = 19; 实有 12 + 4 + 2 = 18; 18 ÷ 19 = 0.947368…
    staffing = figures["staffing"]
    assert staffing["authorized"] == 19
    assert staffing["actual"] == 18
    assert round(staffing["control_rate"], 6) == D("0.947368")


def test_score(figures):
    scores = figures["scores"]
    assert scores.total["score"] == D("100")
    assert scores.total["weight"] == D("100")
    (overall,) = [r for r in scores.rows if r["key"] == "overall"]
    assert overall["rate"] == D("1")


def test_duty_groups_merge_shared_duties_in_member_order(project):
    data = project.data_dir / "zhanjiang" / "2021.yaml"
    # 陈威成 shares 魏怀谷's duty; 郭景帅 has none (named among the members, in no duty group)
    edit(data, "duty: 负责财务分析，预决算报表，资金情况", "duty: 负责统筹监督绩效自评小组的真实性、合理性、规范性")
    edit(data, ", duty: 负责拟定自评方案，资产管理以及项目管理}", "}")
    out = pipeline.build(project, "zhanjiang", 2021)
    (line,) = [l for l in text_lines(out) if "职能分工：" in l]
    assert line.endswith(
        "职能分工：魏怀谷、陈威成：负责统筹监督绩效自评小组的真实性、合理性、规范性；"
        "李宇、高诗豪：负责协助绩效自评的相关工作。"
    )
    assert "郭景帅（秘书科副科长）" in line


def test_cover_on_its_own_first_lines(lines):
    assert lines[:5] == [
        "整体绩效自评报告",
        "评价年度：2021年度",
        "评价单位：中共湛江市委网络安全和信息化委员会办公室本级",
        "市级预算部门单位（公章）：",
        "填报日期：2022年5月18日",
    ]
    assert lines[5].startswith(
        "根据（湛江市财政局关于开展2022年市级财政资金绩效自评工作的通知，文件号湛财绩[2022]3号）要求，我单位及时布置自评"
    )
    assert lines[5].endswith("现将2021年度（中共湛江市委网络安全和信息化委员会办公室）整体绩效自我评价报告如下：")


def test_headings_in_the_seeds_order(lines):
    h1 = [l for l in lines if l[:1] in "一二三四五" and l[1:2] == "、"]
    assert h1 == ["一、单位基本情况", "二、自评工作开展情况", "三、绩效自评情况", "四、其他自评情况"]
    h2 = [l for l in lines if l.startswith("（") and l[1:2] in "一二三四五" and l[2:3] == "）"]
    assert h2 == [
        "（一）单位机构设置、部门职能情况",
        "（二）年度总体工作和重点工作任务",
        "（三）部门整体支出绩效目标",
        "（四）部门整体支出情况",
        "（一）评价小组情况",
        "（二）自评工作过程",
        "（三）自评材料报送时间及质量",
        "（四）自评材料报送及公开一致情况",
        "（一）自评结果",
        "（二）部门整体支出绩效指标分析",
        "（三）部门整体支出绩效管理存在问题",
        "（四）改进措施",
    ]
    # empty in the seed: the format's filler under it, never a heading with nothing under it
    assert lines[-2:] == ["四、其他自评情况", "无。"]


def test_item_numbering_is_generated(lines):
    # the seed's 一、…五、 under （二） and （三） are generated one level down: 1.…5., restarting under （三）
    work = lines[lines.index("（二）年度总体工作和重点工作任务") : lines.index("（三）部门整体支出绩效目标")]
    goals = lines[lines.index("（三）部门整体支出绩效目标") : lines.index("（四）部门整体支出情况")]
    for part in (work, goals):
        numbered = [l[:2] for l in part if l[:1].isdigit()]
        assert numbered == ["1.", "2.", "3.", "4.", "5."]
    assert "1.深入学习宣传贯彻习近平新时代中国特色社会主义思想，不断巩固壮大网络主流舆论" in work
    assert "5.扎实推进党史学习教育、乡村振兴和创文工作，努力筑牢党性根基修养" in goals
    analysis = lines[lines.index("（二）部门整体支出绩效指标分析") : lines.index("（三）部门整体支出绩效管理存在问题")]
    assert [l for l in analysis if l[:1].isdigit() or l.startswith("（1）")] == [
        "1.预算编制情况",
        "2.预算执行情况",
        "3.预算监督情况",
        "4.预算使用效益",
        "（1）部门整体绩效目标实现情况",
    ]
    measures = lines[lines.index("（四）改进措施") : lines.index("四、其他自评情况")]
    assert [l[:9] for l in measures[1:]] == ["1.严格执行预算。", "2.完善管理制度。", "3.提高资金绩效。"]


def test_generated_sentences(lines):
    assert (
        "机构编制部门核定人数行政编制12人、事业编制5人、后勤雇员2人。年末在职人数行政编制12人、事业编制4人、后勤雇员2人。"
        in lines
    )
    assert (
        "我办2021年收到财政拨款收入8,159,635.29元，支出8,187,286.78元；其中基本支出3,421,886.78元，项目支出4,765,400.00元。"
        in lines
    )
    assert (
        "2022年4月16日，我办成立绩效评价小组，成员如下：魏怀谷（副主任）、郭景帅（秘书科副科长）、陈威成（秘书科四级主任科员）、"
        "李宇（秘书科后勤雇员）、高诗豪（秘书科后勤雇员）。职能分工：魏怀谷：负责统筹监督绩效自评小组的真实性、合理性、规范性；"
        "郭景帅：负责拟定自评方案，资产管理以及项目管理；陈威成：负责财务分析，预决算报表，资金情况；"
        "李宇、高诗豪：负责协助绩效自评的相关工作。"
    ) in lines
    assert "经我办自评小组讨论分析，对评价表各项分值进行打分，最好形成统一意见，评定本次自评100分。" in lines


def test_spending_table(built):
    (table,) = tables(built[("zhanjiang", 2021)])
    assert table == [
        ["项目", "金额"],
        ["本年收入合计", "8,159,635.29"],
        ["财政拨款收入", "8,159,635.29"],
        ["本年支出合计", "8,187,286.78"],
        ["基本支出", "3,421,886.78"],
        ["项目支出", "4,765,400.00"],
    ]


def test_one_input_changes_the_total(project):
    data = project.data_dir / "zhanjiang" / "2021.yaml"
    edit(data, "{name: 项目支出, actual: 4765400}", "{name: 项目支出, actual: 4765400.50}")
    out = pipeline.build(project, "zhanjiang", 2021)
    # 3421886.78 + 4765400.50 = 8187287.28
    assert tables(out)[0][3] == ["本年支出合计", "8,187,287.28"]
    assert any("支出8,187,287.28元；其中基本支出3,421,886.78元，项目支出4,765,400.50元。" in l for l in text_lines(out))


def test_a_typed_total_is_refused(cli_runner, project):
    from generator.cli import main

    data = project.data_dir / "zhanjiang" / "2021.yaml"
    edit(
        data,
        "  - {name: 财政拨款收入, actual: 8159635.29}",
        "  - {name: 财政拨款收入, actual: 8159635.29}\nincome_total: 8159635.29",
    )
    result = cli_runner.invoke(main, ["check", "zhanjiang", "2021", "--root", str(project.root)])
    assert result.exit_code == 1
    # a field of the file itself: the format's whole list of fields is not repeated (engine_validate.unknown)
    assert "2021.yaml:34: income_total: 未知字段（是否拼写错误？）" in result.output


def test_the_data_file_validates_against_the_formats_schema():
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema 未安装")
    import yaml

    schema = pipeline.schema(pipeline.Project(ROOT), "zhanjiang")
    validator = jsonschema.Draft202012Validator(schema)
    data = yaml.safe_load((ROOT / "data" / "zhanjiang" / "2021.yaml").read_text(encoding="utf-8"))
    # an editor's YAML server reads 2022-05-18 as a string, as the schema expects
    data = json.loads(json.dumps(data, default=str, ensure_ascii=False))
    assert [e.message for e in validator.iter_errors(data)] == []
    data["scores"][0]["score"] = "100分"
    data["evaluation_team"]["members"][0]["dutty"] = "…"
    errors = sorted(".".join(map(str, e.absolute_path)) for e in validator.iter_errors(data))
    assert errors == ["evaluation_team.members.0", "scores.0.score"]


def test_names_list_the_duty_groups(cli_runner):
    from generator.cli import main

    names = cli_runner.invoke(main, ["names", "zhanjiang", "2021", "--root", str(ROOT)]).output.splitlines()
    # 魏怀谷、郭景帅、陈威成 each alone; 李宇、高诗豪 share one duty: 4 groups
    assert "evaluation_team.members.groups.duty\t（4 组）\t评价小组 › 成员 › 按分工分组（value、rows）" in names
    assert "staffing.control_rate\t94.74%\t人员编制 › 编制控制率" in names

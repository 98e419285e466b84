"""Engine: groups that hold tables and groups, with figures of their own (declared, no code)."""

from __future__ import annotations

from pathlib import Path

import docx

from generator.cli import main
from generator.extract import text_lines

from .conftest import format_project

FORMAT = """\
name: 分组
unit: 万元
rounding: truncate
inputs:
  execution:
    type: group
    label: 预算执行
    help: 预算数、基本支出明细和项目汇总
    fields:
      budget: {type: amount, label: 预算数, help: 全年预算（万元）}
      basic:
        type: list
        label: 基本支出
        help: 人员经费、公用经费
        columns:
          name: {type: text, label: 项目, help: 名称}
          actual: {type: amount, label: 实际支出, help: 万元}
      projects:
        type: group
        label: 项目支出
        help: 项目汇总
        required: false
        fields:
          budget: {type: amount, label: 预算数, help: 万元}
          actual: {type: amount, label: 实际支出, help: 万元}
        computed:
          rate: {label: 执行率, help: 实际支出 ÷ 预算数, formula: "ratio(actual, budget)", print: percent}
    computed:
      actual: {label: 实际支出, help: 基本支出 + 项目支出, formula: "basic.total.actual + default(projects.actual, 0)", print: money}
      rate: {label: 预算执行率, help: 实际支出 ÷ 预算数, formula: "ratio(actual, budget)", print: percent}
figures:
  spare: {label: 结余, help: 预算数 − 实际支出, formula: "diff(execution.budget, execution.actual)", print: money}
"""

DATA = """\
format: groups
year: 2024
execution:
  budget: 384.29
  basic:
    - {name: 人员经费, actual: 222.8}
    - {name: 公用经费, actual: 14.95}
  projects: {budget: 109.6, actual: 106.07}
"""

TEMPLATE = (
    "实际支出{{ execution.actual|money }}，执行率{{ execution.rate|percent }}；"
    "{% if execution.projects %}项目{{ execution.projects.actual|money }}，{{ execution.projects.rate|percent }}；{% endif %}"
    "{% for r in execution.basic.rows %}{{ r.name }}{{ r.actual|money }}；{% endfor %}结余{{ spare|money }}"
)


def project(root: Path, data: str = DATA, fmt: str = FORMAT) -> None:
    format_project(root, "groups", fmt, [TEMPLATE], data, "dept")


def run(cli_runner, *args: str):
    return cli_runner.invoke(main, list(args), catch_exceptions=False)


def test_a_group_holds_a_list_and_a_group_and_computes_its_figures(tmp_path, cli_runner):
    project(tmp_path)
    out = tmp_path / "out.docx"
    result = run(cli_runner, "build", "dept", "2024", "-o", str(out), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    # 222.8 + 14.95 + 106.07 = 343.82; 343.82 ÷ 384.29 = 0.894688… → 89.46% (truncate)
    # 106.07 ÷ 109.6 = 0.967791… → 96.77%; 384.29 − 343.82 = 40.47
    assert text_lines(out) == [
        "实际支出343.82，执行率89.46%；项目106.07，96.77%；人员经费222.80；公用经费14.95；结余40.47"
    ]


def test_an_optional_group_left_out(tmp_path, cli_runner):
    project(tmp_path, DATA.replace("  projects: {budget: 109.6, actual: 106.07}\n", ""))
    out = tmp_path / "out.docx"
    result = run(cli_runner, "build", "dept", "2024", "-o", str(out), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    # 222.8 + 14.95 = 237.75; 237.75 ÷ 384.29 = 0.618673… → 61.86%
    assert text_lines(out) == ["实际支出237.75，执行率61.86%；人员经费222.80；公用经费14.95；结余146.54"]


def test_names_and_messages_walk_into_groups(tmp_path, cli_runner):
    project(tmp_path)
    names = run(cli_runner, "names", "dept", "2024", "--root", str(tmp_path)).output.splitlines()
    assert "execution.projects.rate\t96.77%\t预算执行 › 项目支出 › 执行率" in names
    assert "execution.basic.total.actual\t237.75\t预算执行 › 基本支出 › 合计 › 实际支出" in names
    assert "execution.rate\t89.46%\t预算执行 › 预算执行率" in names
    project(tmp_path / "bad", DATA.replace("actual: 14.95", "actual: 十四").replace("budget: 109.6, ", ""))
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path / "bad"))
    assert result.exit_code == 1
    path = tmp_path / "bad" / "data" / "dept" / "2024.yaml"
    assert result.output.splitlines() == [
        f"{path}:7: execution.basic[1].actual（预算执行 › 公用经费 › 实际支出）: 应为数字，得到 “十四”",
        f"{path}:8: execution.projects.budget（预算执行 › 项目支出 › 预算数）: 缺少必填字段：万元",
        "1 个文件有错误",
    ]


def test_a_group_formula_sees_only_its_own_fields(tmp_path, cli_runner):
    project(
        tmp_path,
        fmt=FORMAT.replace(
            '"ratio(actual, budget)", print: percent}\n    computed',
            '"ratio(actual, spare)", print: percent}\n    computed',
        ),
    )
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "templates" / "groups" / "format.yaml"
    assert result.output.splitlines() == [
        f"{path}:27: inputs.execution.fields.projects.computed.rate.formula: 没有“spare”这个名称（可用：budget、actual、rate）",
        "1 个文件有错误",
    ]


def test_the_schema_nests_groups(tmp_path, cli_runner):
    import json

    project(tmp_path)
    result = run(cli_runner, "schema", "groups", "--root", str(tmp_path))
    schema = json.loads(result.output)
    execution = schema["properties"]["execution"]
    assert execution["properties"]["projects"]["properties"]["budget"]["title"] == "预算数"
    assert execution["properties"]["basic"]["items"] == {"$ref": "#/$defs/execution_basic_row"}
    assert "projects" not in execution["required"] and "basic" in execution["required"]


# --- otherwise: a field written, or computed from its parts (never both) -----------------

EITHER = (
    FORMAT.replace(
        "      budget: {type: amount, label: 预算数, help: 全年预算（万元）}\n",
        "      budget: {type: amount, label: 预算数, help: 全年预算（万元）}\n"
        "      actual:\n"
        "        type: amount\n"
        "        label: 实际支出\n"
        "        help: 没有明细时填写；有基本支出、项目支出明细时由它们合计\n"
        '        otherwise: "basic.total.actual + default(projects.actual, 0)"\n',
    )
    .replace(
        '      actual: {label: 实际支出, help: 基本支出 + 项目支出, formula: "basic.total.actual + default(projects.actual, 0)", print: money}\n',
        "",
    )
    .replace("      basic:\n        type: list\n", "      basic:\n        type: list\n        required: false\n")
)


def test_otherwise_computes_a_field_that_is_not_written(tmp_path, cli_runner):
    project(tmp_path, fmt=EITHER)
    out = tmp_path / "out.docx"
    result = run(cli_runner, "build", "dept", "2024", "-o", str(out), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    # 222.8 + 14.95 + 106.07 = 343.82, as when computed in the group
    assert text_lines(out)[0].startswith("实际支出343.82，执行率89.46%；")


def test_otherwise_takes_the_written_figure_without_parts(tmp_path, cli_runner):
    data = DATA.split("  basic:")[0] + "  actual: 300\n"
    project(tmp_path, data, EITHER)
    out = tmp_path / "out.docx"
    result = run(cli_runner, "build", "dept", "2024", "-o", str(out), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    # 300 ÷ 384.29 = 0.780660… → 78.06%; 384.29 − 300 = 84.29
    assert text_lines(out) == ["实际支出300.00，执行率78.06%；结余84.29"]


def test_otherwise_refuses_both_and_neither(tmp_path, cli_runner):
    project(tmp_path, DATA.replace("  budget: 384.29\n", "  budget: 384.29\n  actual: 343.82\n"), EITHER)
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path))
    path = tmp_path / "data" / "dept" / "2024.yaml"
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:5: execution.actual（预算执行 › 实际支出）: 实际支出已由基本支出和项目支出合计得出，不要再填写 actual",
        "1 个文件有错误",
    ]
    project(tmp_path / "none", DATA.split("  basic:")[0], EITHER)
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path / "none"))
    path = tmp_path / "none" / "data" / "dept" / "2024.yaml"
    assert result.output.splitlines() == [
        f"{path}:3: execution.actual（预算执行 › 实际支出）: 缺少实际支出：填写 basic/projects，或（没有明细时）actual",
        "1 个文件有错误",
    ]


STATED = EITHER.replace('        otherwise: "basic', '        rollup: sum_or_stated\n        otherwise: "basic')


def test_sum_or_stated_takes_both_when_they_agree_and_names_the_parts_when_not(tmp_path, cli_runner):
    # 222.8 + 14.95 + 106.07 = 343.82
    project(tmp_path, DATA.replace("  budget: 384.29\n", "  budget: 384.29\n  actual: 343.82\n"), STATED)
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    project(tmp_path / "off", DATA.replace("  budget: 384.29\n", "  budget: 384.29\n  actual: 343.83\n"), STATED)
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path / "off"))
    path = tmp_path / "off" / "data" / "dept" / "2024.yaml"
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:5: execution.actual（预算执行 › 实际支出）: 实际支出写了 343.83，但基本支出和项目支出合计为 343.82（人员经费222.80、公用经费14.95）",
        "1 个文件有错误",
    ]
    # neither written: no figure, and no complaint (otherwise: alone says 缺少实际支出)
    project(tmp_path / "none", DATA.split("  basic:")[0], STATED)
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path / "none"))
    assert result.exit_code == 0, result.output


def test_a_group_field_rollup_needs_otherwise(tmp_path, cli_runner):
    fmt = FORMAT.replace(
        "      budget: {type: amount, label: 预算数, help: 全年预算（万元）}\n",
        "      budget: {type: amount, label: 预算数, help: 全年预算（万元）, rollup: sum_or_stated}\n",
        1,
    )
    project(tmp_path, fmt=fmt)
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "templates" / "groups" / "format.yaml"
    assert (
        f"{path}:10: inputs.execution.fields.budget.rollup: 组中的字段只能写 rollup: sum_or_stated，且要同时写 otherwise（由哪些明细合计）"
        in result.output
    )


def test_otherwise_formula_is_checked_in_its_group(tmp_path, cli_runner):
    project(tmp_path, fmt=EITHER.replace("basic.total.actual + default", "spare + default"))
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "templates" / "groups" / "format.yaml"
    assert result.output.splitlines()[0] == (
        f"{path}:15: inputs.execution.fields.actual.otherwise: 没有“spare”这个名称（可用：budget、actual、basic、projects）"
    )


# --- paragraphs: text columns of one or more paragraphs, references resolved per row --------

REVIEWS = FORMAT.replace(
    "figures:\n",
    """\
  reviews:
    type: list
    label: 项目问题和建议
    help: 逐个项目写存在的问题和建议
    columns:
      name: {type: text, label: 项目名称, help: 项目全称}
      problems: {type: paragraphs, label: 存在的问题, help: 每行一段}
      suggestions: {type: paragraphs, label: 建议, help: 每行一段, required: false}
figures:
""",
)

REVIEWS_DATA = (
    DATA
    + """\
reviews:
  - name: 舆情监测
    problems: |
      执行率{{ execution.projects.rate|percent }}，未达预期（人员经费{{ execution.basic["人员经费"].actual|money }}）。
      监测范围不全。
    suggestions: 扩大监测范围。
  - name: 宣传管理
    problems: [效果不明显。]
"""
)


def reviews_project(root: Path, data: str = REVIEWS_DATA) -> None:
    project(root, data, REVIEWS)
    document = docx.Document()
    for line in (
        "{%p for r in reviews.rows %}",
        "{{ r.name }}",
        "{%p for p in r.problems %}",
        "{% if loop.first %}存在的问题：{% endif %}{{ p }}",
        "{%p endfor %}",
        "{%p for p in r.suggestions %}",
        "建议：{{ p }}",
        "{%p endfor %}",
        "{%p endfor %}",
    ):
        document.add_paragraph(line)
    document.save(root / "templates" / "groups" / "template.docx")


def test_paragraph_columns_print_per_row_with_their_references(tmp_path, cli_runner):
    reviews_project(tmp_path)
    out = tmp_path / "out.docx"
    result = run(cli_runner, "build", "dept", "2024", "-o", str(out), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    # 106.07 ÷ 109.6 = 96.77% (truncate); a row by name: T["人员经费"] is T.row["人员经费"];
    # 宣传管理 has no 建议 (optional: no paragraph)
    assert text_lines(out) == [
        "舆情监测",
        "存在的问题：执行率96.77%，未达预期（人员经费222.80）。",
        "监测范围不全。",
        "建议：扩大监测范围。",
        "宣传管理",
        "存在的问题：效果不明显。",
    ]
    names = run(cli_runner, "names", "dept", "2024", "--root", str(tmp_path)).output.splitlines()
    assert "reviews.row['舆情监测'].problems\t（2 段文字）\t项目问题和建议 › 舆情监测 › 存在的问题" in names


def test_a_paragraph_reference_that_does_not_resolve_names_its_row(tmp_path, cli_runner):
    reviews_project(
        tmp_path,
        REVIEWS_DATA.replace("execution.projects.rate", "execution.project.rate").replace("[效果不明显。]", "3"),
    )
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "data" / "dept" / "2024.yaml"
    assert result.output.splitlines() == [
        f"{path}:16: reviews[1].problems（宣传管理 › 存在的问题）: 应为文字（每行一段）",
        "1 个文件有错误",
    ]
    reviews_project(tmp_path / "ref", REVIEWS_DATA.replace("execution.projects.rate", "execution.project.rate"))
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path / "ref"))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{tmp_path / 'ref' / 'data' / 'dept' / '2024.yaml'}:12: reviews[0].problems[0]（舆情监测 › 存在的问题）: "
        "“{{ execution.project.rate|percent }}”：“execution”下没有“project”（可用：budget、basic、projects、actual、rate）",
        "1 个文件有错误",
    ]


# --- misread: a figure's known misreadings, for audit to name -------------------------------

MISREAD = FORMAT.replace(
    'formula: "basic.total.actual + default(projects.actual, 0)", print: money}',
    'formula: "basic.total.actual + default(projects.actual, 0)", print: money, misread: {只算基本支出: basic.total.actual}}',
).replace(
    'formula: "diff(execution.budget, execution.actual)", print: money}',
    'formula: "diff(execution.budget, execution.actual)", print: money, misread: {未减项目支出: "diff(execution.budget, execution.basic.total.actual)"}}',
)


def test_misreadings_are_computed_beside_their_figure(tmp_path):
    from decimal import Decimal as D

    from generator import pipeline

    project(tmp_path, fmt=MISREAD)
    figures = pipeline.check(pipeline.Project(tmp_path), "dept", 2024)
    # 基本支出 222.8 + 14.95 = 237.75; 384.29 − 237.75 = 146.54
    assert figures.misread == {
        "execution.actual": (("只算基本支出", D("237.75")),),
        "spare": (("未减项目支出", D("146.54")),),
    }
    assert figures.values["execution"]["actual"] == D("343.82")


def test_a_misreading_formula_is_checked_like_its_figure(tmp_path, cli_runner):
    project(tmp_path, fmt=MISREAD.replace("{只算基本支出: basic.total.actual}", "{只算基本支出: basic.total.spent}"))
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "templates" / "groups" / "format.yaml"
    assert result.output.splitlines() == [
        f"{path}:29: inputs.execution.computed.actual.misread.只算基本支出: “基本支出”没有“basic.total.spent”"
        "（可用：basic.name、basic.actual，合计行 basic.total.列名）",
        "1 个文件有错误",
    ]


# --- over the declared figures: the flat list, audit, new (groups nested) -------------------


def test_figures_of_a_group_are_named_by_their_path(tmp_path, cli_runner):
    project(tmp_path)
    result = run(cli_runner, "figures", "dept", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "execution.basic.人员经费.actual\t222.80\t预算执行 › 基本支出 › 人员经费 › 实际支出" in lines
    assert "execution.projects.rate\t96.77%\t预算执行 › 项目支出 › 执行率" in lines
    assert "execution.actual\t343.82\t预算执行 › 实际支出" in lines
    assert "spare\t40.47\t结余" in lines


def test_audit_names_a_declared_misreading(tmp_path, cli_runner):
    reported = (
        "reported:\n"
        "  - {figure: spare, paragraph: 结余一段, item: 结余, printed: 146.54}\n"
        "  - {figure: execution.projects.rate, paragraph: 结余一段, item: 项目执行率, printed: 96.77%}\n"
    )
    project(tmp_path, DATA + reported, MISREAD)
    result = run(cli_runner, "audit", "dept", "2024", "--root", str(tmp_path))
    path = tmp_path / "data" / "dept" / "2024.yaml"
    # 384.29 − 343.82 = 40.47; 146.54 is 384.29 − 237.75 (基本支出 only), the declared misreading
    assert result.output.splitlines()[0] == (
        f"{path}:10: 结余一段 结余：报告为 146.54，按数据计算为 40.47（报告数等于未减项目支出）"
    )


def test_new_clears_the_numbers_in_nested_groups(tmp_path, cli_runner):
    project(tmp_path)
    result = run(cli_runner, "new", "dept", "2025", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "data" / "dept" / "2025.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[-5:] == [
        "  budget: 待填",
        "  basic:",
        "    - {name: 人员经费, actual: 待填}",
        "    - {name: 公用经费, actual: 待填}",
        "  projects: {budget: 待填, actual: 待填}",
    ]


def test_a_row_name_two_rows_share_finds_neither(tmp_path, cli_runner):
    fmt = FORMAT.replace(
        "      budget: {type: amount, label: 预算数, help: 全年预算（万元）}\n",
        "      budget: {type: amount, label: 预算数, help: 全年预算（万元）}\n"
        "      sources:\n"
        "        type: table\n"
        "        label: 资金来源\n"
        "        help: 按来源和级次\n"
        "        required: false\n"
        "        columns:\n"
        "          name: {type: text, label: 来源, help: 名称}\n"
        "          actual: {type: amount, label: 实际支出, help: 万元}\n",
    )
    data = DATA + (
        "  sources:\n"
        "    - {name: 转移支付, children: [{name: 中央, actual: 1}, {name: 省, actual: 2}]}\n"
        "    - {name: 债券, children: [{name: 中央, actual: 3}]}\n"
    )
    project(tmp_path, data, fmt)
    names = run(cli_runner, "names", "dept", "2024", "--root", str(tmp_path)).output.splitlines()
    rows = [n.split("\t")[0] for n in names if n.startswith("execution.sources.row[")]
    # 中央 is under both parents: by name it would be a guess, so only the unique names are listed
    assert rows == [
        "execution.sources.row['转移支付'].actual",
        "execution.sources.row['省'].actual",
        "execution.sources.row['债券'].actual",
    ]

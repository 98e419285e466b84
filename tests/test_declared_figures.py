"""reported:/audit, diff, redline, new and the consistency warnings over a declared format.

The sixth format of tests/test_sixth_format.py (no code of its own).  Figures worked out by hand:

2024: funds 财政拨款 1150/1200, 财政专户 200/180, 单位资金 250/320, 其他资金 0/60; total 1600/1760.
    rate: 财政拨款 0.958333… (95.83%), 单位资金 0.78125 (78.13% half-up, 78.12% truncated),
    total 0.909090… (90.91%).  share of 财政拨款: 1150/1600 = 71.875%; the column is printed summing
    to 100% (largest remainder): half-up 71.88+12.50+15.63 = 100.01 → 71.87; truncated 71.87+12.50+15.62
    = 99.99 → 71.88.  score: 9.583333 + 5 + 2.34375 + 0 = 16.927083; indicators 27 + 20 + 8 + 9.8 + 9.524
    = 74.324; total 91.251083 → 91.25, grade 优.
2023 (below): total 1250/1360 = 0.919117… (91.91%); score 9.5 + 3 + 0 = 12.5; indicators 30 + 20 = 50;
    total 62.5, grade 中.  Change of the total rate: 0.909090… − 0.919117… = −1.00 个百分点.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from generator.cli import main

from .test_sixth_format import DATA_YAML, FORMAT_YAML, write_sixth

REPORTED = """\
reported:
  - {figure: funds.total.rate, printed: "90.91%", table: 表1, row: 合计, column: 执行率}
  - {figure: funds.财政拨款.rate, printed: "95.84%", table: 表1, row: 财政拨款, column: 执行率}
  - {figure: funds.单位资金.rate, printed: "78.12%", table: 表1, row: 单位资金, column: 执行率}
  - {figure: funds.财政拨款.share, printed: "71.88%", paragraph: 执行数占比}
  - {figure: total_score, printed: "91.25", paragraph: 得分}
  - {figure: grade, printed: 良, paragraph: 得分}
  - {figure: funds.合计.spent, printed: "1,600.00", table: 表1, row: 合计, column: 全年执行数}
  - {figure: staff.actual, printed: 十八, paragraph: 人员}
  - {figure: total_score, printed: "91.26", paragraph: 开头}
"""

DATA_2023 = """\
format: sixth
year: 2023
unit_name: 示例区第六局
filed_on: 2024-03-29
staff: {authorized: 20, actual: 19}
monthly: [90, 95.5]
funds:
  - {name: 财政拨款, initial: 900, budget: 1000, spent: 950, weight: 10}
  - {name: 单位资金, initial: 300, budget: 300,  spent: 300, weight: 3}
  - {name: 其他资金, initial: 50,  budget: 60,   spent: 0,   weight: 2}
indicators:
  - {name: 培训人次, nature: ≥, measure: 人次, target: 400, actual: 400, weight: 30}
  - {name: 投诉率,   nature: ≤, measure: "%",  target: 5,   actual: 4,   weight: 20}
text:
  intro: |
    {{ unit_name }}{{ year }}年资金执行率{{ funds.total.rate|percent }}，总分{{ total_score|score }}分，等级为{{ grade }}。
"""


def run(cli_runner, *args: str):
    return cli_runner.invoke(main, list(args), catch_exceptions=False)


def _line(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


# --- reported: and audit ----------------------------------------------------------------


def test_audit_compares_printed_with_computed(tmp_path, cli_runner):
    data = DATA_YAML + REPORTED
    write_sixth(tmp_path, data_yaml=data)
    result = run(cli_runner, "audit", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1, result.output
    path = tmp_path / "data" / "liuju" / "2024.yaml"
    at = lambda fragment: f"{path}:{_line(data, fragment)}"  # noqa: E731
    assert result.output.splitlines() == [
        f"{at('95.84%')}: 表1 财政拨款 执行率：报告为 95.84%，按数据计算为 95.83%",
        f"{at('78.12%')}: 表1 单位资金 执行率：报告为 78.12%，按数据计算为 78.13%"
        "（舍入差异：报告按截尾取数，格式规定四舍五入，精确值 78.125%）",
        f"{at('71.88%')}: 执行数占比：报告为 71.88%，按数据计算为 71.87%"
        "（舍入差异：报告按截尾取数，格式规定四舍五入，精确值 71.875%）",
        f"{at('printed: 良')}: 得分：报告为 良，按数据计算为 优",
        f"{at('91.26')}: 开头：报告为 91.26，按数据计算为 91.25",
        f"{at('91.26')}: 开头 印为 91.26，第 {_line(data, '91.25')} 行 得分 印为 91.25：同一个数字（total_score）前后不一致",
        f"{path}: 核对 9 个数字：4 个一致，2 个舍入差异，3 个错误，1 处前后不一致",
    ]
    # the last print of total_score is wrong on its own (91.251083 prints 91.25) and disagrees with the first


def test_audit_json_has_exact_values(tmp_path, cli_runner):
    write_sixth(tmp_path, data_yaml=DATA_YAML + REPORTED)
    result = run(cli_runner, "audit", "liuju", "2024", "--format", "json", "--root", str(tmp_path))
    assert result.exit_code == 1
    findings = json.loads(result.output)["files"][0]["findings"]
    by_figure = {(f["figure"], f["printed"]): f for f in findings}
    assert by_figure[("funds.财政拨款.rate", "95.84%")]["exact"] == "95.833333%"
    assert by_figure[("total_score", "91.25")]["exact"] == "91.251083"
    assert by_figure[("staff.actual", "十八")]["status"] == "ok"


def test_unknown_figure_path_names_the_entry(tmp_path, cli_runner):
    data = DATA_YAML + 'reported:\n  - {figure: funds.财政拨款.rat, printed: "95.83%", paragraph: 开头}\n'
    write_sixth(tmp_path, data_yaml=data)
    path = tmp_path / "data" / "liuju" / "2024.yaml"
    expected = (
        f"{path}:{_line(data, 'rat,')}: reported[0].figure: 没有这个数字“funds.财政拨款.rat”"
        "（funds.财政拨款. 之后可用：initial、budget、spent、weight、rate、score、share）"
    )
    for command in ("audit", "check", "build"):
        result = run(cli_runner, command, "liuju", "2024", "--root", str(tmp_path))
        assert result.exit_code == 1, command
        assert expected in result.output.splitlines(), (command, result.output)
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        (
            '{figure: staf.actual, printed: "18", paragraph: 人员}',
            "figure",
            "没有这个数字“staf.actual”（应以 previous_spent、monthly、staff、funds、indicators、fund_score、indicator_score、"
            "total_score、grade、control_rate、indicator_count、mean_rate、lowest_rate、adjustment、adjustment_rate…… 开头）",
        ),
        ('{figure: funds.total.rate, printed: "90.91", paragraph: 开头}', "printed", "“90.91”不是百分比（应带 %）"),
        (
            "{figure: unit_name, printed: 示例, paragraph: 开头}",
            "figure",
            "没有这个数字“unit_name”（应以 previous_spent、monthly、staff、funds、indicators、fund_score、indicator_score、"
            "total_score、grade、control_rate、indicator_count、mean_rate、lowest_rate、adjustment、adjustment_rate…… 开头）",
        ),
        (
            "{figure: grade, printed: 优}",
            "",
            "应写明印在哪里：表格写 table/row/column，文字写 paragraph/item（二者选一）",
        ),
    ],
)
def test_reported_entry_mistakes(tmp_path, cli_runner, entry, field, message):
    data = DATA_YAML + f"reported:\n  - {entry}\n"
    write_sixth(tmp_path, data_yaml=data)
    result = run(cli_runner, "check", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "data" / "liuju" / "2024.yaml"
    where = f"reported[0].{field}" if field else "reported[0]"
    assert f"{path}:{_line(data, entry)}: {where}: {message}" in result.output.splitlines(), result.output


def test_a_tree_row_by_its_path_or_its_own_name(tmp_path, cli_runner):
    fmt = FORMAT_YAML.replace("    type: list\n    label: 资金来源", "    type: table\n    label: 资金来源")
    data = DATA_YAML.replace(
        "  - {name: 财政拨款,         initial: 1000, budget: 1200, spent: 1150, weight: 10}\n",
        "  - name: 财政拨款\n    children:\n"
        "      - {name: 基本支出, initial: 600, budget: 700, spent: 690, weight: 6}\n"
        "      - {name: 项目支出, initial: 400, budget: 500, spent: 460, weight: 4}\n",
    ) + (
        "reported:\n"
        '  - {figure: funds.财政拨款.项目支出.rate, printed: "92.00%", paragraph: 一}\n'  # 460/500
        '  - {figure: funds.项目支出.rate, printed: "92.00%", paragraph: 二}\n'
        '  - {figure: funds.财政拨款.spent, printed: "1,150.00", paragraph: 三}\n'  # 690 + 460
        '  - {figure: funds.财政拨款.score, printed: "9.55", paragraph: 四}\n'  # 6×690/700 + 4×460/500 = 5.914+3.68
    )
    write_sixth(tmp_path, format_yaml=fmt, data_yaml=data)
    result = run(cli_runner, "audit", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1, result.output
    path = tmp_path / "data" / "liuju" / "2024.yaml"
    assert result.output.splitlines() == [
        f"{path}:{_line(data, '9.55')}: 四：报告为 9.55，按数据计算为 9.59",
        f"{path}: 核对 4 个数字：3 个一致，0 个舍入差异，1 个错误",
    ]


# --- consistency warnings -----------------------------------------------------------------


def test_warnings_from_the_declaration(tmp_path, cli_runner):
    fmt = FORMAT_YAML.replace(
        'formula: "ratio(spent, budget)", print: percent}',
        'formula: "ratio(spent, budget)", print: percent, warn: {max: 100}}',
    )
    data = DATA_YAML.replace(
        "  - {name: 其他资金,         initial: 50,   budget: 60,   spent: 0,    weight: 2}",
        "  - {name: 其他资金,         initial: -5,   budget: 0,   spent: 12,    weight: 2}",
    )
    # its rate, so its score and the total score, are undefined: the narrative does not use them here
    data = data[: data.index("text:")] + "text:\n  intro: 本年资金执行情况如下。\n"
    write_sixth(tmp_path, format_yaml=fmt, data_yaml=data)
    result = run(cli_runner, "check", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = tmp_path / "data" / "liuju" / "2024.yaml"
    fund = _line(data, "财政专户管理资金")
    other = _line(data, "其他资金")
    assert result.output.splitlines() == [
        f"{path}:{fund}: funds[1].rate（财政专户管理资金 › 执行率）: 警告：111.11%超过 100%，请核对",
        f"{path}:{other}: funds[3].initial（其他资金 › 年初预算数）: 警告：-5.00为负数，请核对",
        f"{path}:{other}: funds[3].rate（其他资金 › 执行率）: 警告：全年预算数为 0 而全年执行数为 12.00，执行率无法计算，请核对",
        f"{path}: 通过（3 条警告）",
    ]


def test_warn_settings_are_checked(tmp_path, cli_runner):
    fmt = FORMAT_YAML.replace("print: percent}", "print: percent, warn: {max: 百}}", 1)
    write_sixth(tmp_path, format_yaml=fmt)
    result = run(cli_runner, "check", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    line = _line(fmt, "warn: {max: 百}")
    assert (
        f"{tmp_path / 'templates' / 'sixth' / 'format.yaml'}:{line}: inputs.funds.computed.rate.warn.max: max 应为一个数，得到“百”"
        in result.output
    )


# --- diff and redline ---------------------------------------------------------------------


@pytest.fixture
def two_years(tmp_path) -> Path:
    write_sixth(tmp_path)
    (tmp_path / "data" / "liuju" / "2023.yaml").write_text(DATA_2023, encoding="utf-8")
    return tmp_path


def test_diff_pairs_rows_by_name(two_years, cli_runner):
    result = run(cli_runner, "diff", "liuju", "2023", "2024", "--format", "json", "--root", str(two_years))
    assert result.exit_code == 0, result.output
    figures = {f["id"]: f for f in json.loads(result.output)["figures"]}
    rate = figures["funds/合计/rate"]
    assert (rate["label"], rate["status"], rate["printed"]["a"], rate["printed"]["b"]) == (
        "资金来源 › 合计 › 执行率",
        "changed",
        "91.91%",
        "90.91%",
    )
    assert rate["printed"]["change"] == "-1.00个百分点"
    assert figures["funds/财政专户管理资金/spent"]["status"] == "added"
    assert figures["indicators/投诉率/score"]["status"] == "unchanged"
    spent = figures["funds/财政拨款/spent"]  # 950 → 1150: +200, +21.05%
    assert (spent["a"], spent["b"], spent["change"], spent["printed"]["change_rate"]) == (
        "950",
        "1150",
        "200",
        "+21.05%",
    )
    grade = figures["grade"]
    assert (grade["a"], grade["b"], grade["status"]) == ("中", "优", "changed")
    assert "unit_name" not in figures and "filed_on" not in figures  # words and dates are no figures


def test_diff_text_lists_the_changed_paragraph(two_years, cli_runner):
    result = run(cli_runner, "diff", "liuju", "2023", "2024", "--root", str(two_years))
    assert result.exit_code == 0, result.output
    assert "  * 总分                                          62.5     91.25          +28.75   +46.00%" in result.output


def test_redline_marks_the_changed_figures(two_years, cli_runner, tmp_path):
    out = tmp_path / "red.docx"
    result = run(cli_runner, "redline", "liuju", "2023", "2024", "-o", str(out), "--root", str(two_years))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"已生成 {out}（修订：插入 ")
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert "<w:delText" in xml and "91.91%" in xml and "90.91%" in xml
    assert "<w:ins " in xml


def test_diff_of_a_missing_year_says_so(two_years, cli_runner):
    result = run(cli_runner, "diff", "liuju", "2022", "2024", "--root", str(two_years))
    assert result.exit_code == 1
    path = two_years / "data" / "liuju" / "2022.yaml"
    assert result.output.strip() == f"{path}: 找不到数据文件（该部门已有年度：2023、2024）"


# --- new ----------------------------------------------------------------------------------


def test_new_clears_the_declared_numbers(tmp_path, cli_runner):
    fmt = FORMAT_YAML.replace(
        "label: 权重, help: 本项分值, rollup: sum}", "label: 权重, help: 本项分值, rollup: sum, carry: true}"
    )
    fmt = fmt.replace(
        "label: 分值, help: 本指标的分值, rollup: sum}", "label: 分值, help: 本指标的分值, rollup: sum, carry: true}"
    )
    write_sixth(tmp_path, format_yaml=fmt, data_yaml=DATA_YAML + REPORTED)
    result = run(cli_runner, "new", "liuju", "2025", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    target = tmp_path / "data" / "liuju" / "2025.yaml"
    text = target.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../templates/sixth/schema.json"
    assert (
        lines[3]
        == "# 权重、分值沿用上年，有变时请修改；文字段落沿用上年，请逐段核对（尤其是年份、“疫情”“上年”等字样）。"
    )
    assert lines[5:][:6] == [
        "format: sixth",
        "year: 2025",
        "unit_name: 示例区第六局",
        "filed_on: 2026-03-31",
        "staff: {authorized: 待填, actual: 待填}",
        "monthly: 待填",  # a series as one: next year's number of months may differ
    ]
    assert "  - {name: 财政拨款,         initial: 待填, budget: 待填, spent: 待填, weight: 10}" in lines
    assert (
        "  - {name: 培训人次,   nature: ≥, measure: 人次, target: 待填, actual: 待填, weight: 30, reason: 部分培训延期}"
        in lines
    )
    assert lines[-1].startswith("reported: []  # 上年报告印出的数字已清空")
    out = result.output.splitlines()
    assert out[1] == "  待填写的数字：25 处（填完之前 check 和 build 会逐条列出并拒绝生成）"  # 2 + 1 + 4×3 + 5×2
    assert "  沿用上年的权重、分值：9 处，评分方案有变时请修改" in out
    assert out[-1] == (
        "  编辑器据 templates/sixth/schema.json 补全字段、显示说明；该文件还没有，"
        "可运行：reportgen schema sixth -o templates/sixth/schema.json"
    )
    check = run(cli_runner, "check", "liuju", "2025", "--root", str(tmp_path))
    assert check.exit_code == 1
    assert (
        f"{target}:10: staff.authorized（人员情况 › 编制数）: 待填写：请填入本年度的数字" in check.output.splitlines()
    )


def test_schema_file_the_draft_points_to(tmp_path, cli_runner):
    write_sixth(tmp_path)
    schema = tmp_path / "templates" / "sixth" / "schema.json"
    result = run(cli_runner, "schema", "sixth", "-o", str(schema), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output == f"已生成 {schema}\n"
    assert json.loads(schema.read_text(encoding="utf-8"))["properties"]["funds"]["title"] == "资金来源"
    printed = run(cli_runner, "schema", "sixth", "--root", str(tmp_path)).output
    assert json.loads(printed) == json.loads(schema.read_text(encoding="utf-8"))
    result = run(cli_runner, "new", "liuju", "2025", "--root", str(tmp_path))
    assert "schema.json" not in result.output  # the file is there: no hint
    draft = (tmp_path / "data" / "liuju" / "2025.yaml").read_text(encoding="utf-8")
    pointed = (tmp_path / "data" / "liuju" / draft.splitlines()[0].split("$schema=")[1]).resolve()
    assert pointed == schema.resolve()


def test_new_keeps_an_existing_schema_line(tmp_path, cli_runner):
    data = "# yaml-language-server: $schema=../../templates/sixth/schema.json\n" + DATA_YAML
    write_sixth(tmp_path, data_yaml=data)
    run(cli_runner, "new", "liuju", "2025", "--root", str(tmp_path))
    draft = (tmp_path / "data" / "liuju" / "2025.yaml").read_text(encoding="utf-8")
    assert draft.count("yaml-language-server") == 1
    # kept the first line, the draft's note below it (as reportgen new does for data/beita/2020.yaml)
    assert draft.splitlines()[0] == "# yaml-language-server: $schema=../../templates/sixth/schema.json"


# --- the flat list ------------------------------------------------------------------------


def test_figures_lists_every_path(tmp_path, cli_runner):
    write_sixth(tmp_path)
    result = run(cli_runner, "figures", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [
        "previous_spent\t—\t上年执行数",
        "monthly.1\t136.18%\t月执行率 › 第1项",
        "monthly.2\t95.50%\t月执行率 › 第2项",
    ]
    assert "funds.财政拨款.share\t71.87%\t资金来源 › 财政拨款 › 执行数占比" in lines
    assert "funds.合计.score\t16.93\t资金来源 › 合计 › 得分" in lines
    assert "indicators.覆盖街道数.coefficient\t0.9524\t绩效指标 › 覆盖街道数 › 得分系数" in lines
    assert lines[-1] == "growth\t—\t执行数增长率"
    assert not any(line.startswith(("unit_name", "filed_on", "indicators.培训人次.nature")) for line in lines)


@pytest.mark.parametrize("command", ["figures", "build", "check", "names", "audit"])
def test_a_format_without_inputs_is_refused(tmp_path, cli_runner, command):
    """A format.yaml of settings alone (the old style, before formats declared their data) names itself."""
    write_sixth(tmp_path)
    path = tmp_path / "templates" / "sixth" / "format.yaml"
    path.write_text("name: 旧写法的格式\nunit: 万元\n", encoding="utf-8")
    result = run(cli_runner, command, "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{path}:1: inputs: format.yaml 没有声明数据字段：每个格式都要用 inputs: 写明它的数据文件有哪些字段"
        "（每项的类型、label、help），见 docs/新增格式.md"
    )


def test_a_row_by_its_key_column(tmp_path, cli_runner):
    fmt = FORMAT_YAML.replace(
        "      name: {type: text, label: 指标名称, help: 指标的名称}\n",
        "      name: {type: text, label: 指标名称, help: 指标的名称}\n"
        "      key: {type: text, label: 代号, help: 报告核对用的英文代号, required: false}\n",
    )
    data = DATA_YAML.replace("{name: 投诉率,     ", "{name: 投诉率, key: complaints, ") + (
        "reported:\n"
        '  - {figure: indicators.complaints.score, printed: "20", paragraph: 指标}\n'
        '  - {figure: indicators.complaints.weight, printed: "19", paragraph: 指标}\n'
    )
    write_sixth(tmp_path, format_yaml=fmt, data_yaml=data)
    result = run(cli_runner, "audit", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "data" / "liuju" / "2024.yaml"
    line = _line(data, "complaints.weight")
    assert result.output.splitlines() == [
        f"{path}:{line}: 指标：报告为 19，按数据计算为 20",
        f"{path}: 核对 2 个数字：1 个一致，0 个舍入差异，1 个错误",
    ]
    # one figure by two names printed two ways: a conflict
    edit = data.replace("complaints.weight", "投诉率.score")
    (path).write_text(edit, encoding="utf-8")
    result = run(cli_runner, "audit", "liuju", "2024", "--root", str(tmp_path))
    assert result.output.splitlines()[1:] == [
        f"{path}:{line}: 指标 印为 19，第 {line - 1} 行 指标 印为 20：同一个数字（indicators.投诉率.score）前后不一致",
        f"{path}: 核对 2 个数字：1 个一致，0 个舍入差异，1 个错误，1 处前后不一致",
    ]


def test_schema_accepts_reported_entries(tmp_path, cli_runner):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema 未安装")
    import yaml

    write_sixth(tmp_path)
    schema = json.loads(run(cli_runner, "schema", "sixth", "--root", str(tmp_path)).output)
    data = yaml.safe_load(DATA_YAML + REPORTED)
    data["filed_on"] = data["filed_on"].isoformat()
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(data)) == []
    assert schema["properties"]["reported"]["items"]["properties"]["figure"]["title"] == "数字"
    data["reported"][0]["colum"] = "执行率"
    assert [e.message for e in validator.iter_errors(data)] == [
        "Additional properties are not allowed ('colum' was unexpected)"
    ]


def test_diff_pairs_a_renamed_row_by_its_key(two_years, cli_runner):
    fmt_path = two_years / "templates" / "sixth" / "format.yaml"
    fmt_path.write_text(
        FORMAT_YAML.replace(
            "      name: {type: text, label: 指标名称, help: 指标的名称}\n",
            "      name: {type: text, label: 指标名称, help: 指标的名称}\n"
            "      key: {type: text, label: 代号, help: 跨年配对用的英文代号, required: false}\n",
        ),
        encoding="utf-8",
    )
    a = two_years / "data" / "liuju" / "2023.yaml"
    a.write_text(DATA_2023.replace("{name: 培训人次, ", "{name: 培训人数, key: training, "), encoding="utf-8")
    b = two_years / "data" / "liuju" / "2024.yaml"
    b.write_text(DATA_YAML.replace("{name: 培训人次,   ", "{name: 培训人次, key: training, "), encoding="utf-8")
    result = run(cli_runner, "diff", "liuju", "2023", "2024", "--format", "json", "--root", str(two_years))
    assert result.exit_code == 0, result.output
    figures = {f["id"]: f for f in json.loads(result.output)["figures"]}
    target = figures["indicators/培训人次/target"]  # 400 → 500
    assert (target["a_id"], target["status"], target["a"], target["b"]) == (
        "indicators/培训人数/target",
        "changed",
        "400",
        "500",
    )
    assert "indicators/培训人数/target" not in figures


def test_a_series_warns_per_item(tmp_path, cli_runner):
    fmt = FORMAT_YAML.replace("label: 月执行率, help:", "warn: {min: 0.01}, label: 月执行率, help:")
    data = DATA_YAML.replace('monthly: [136.18, 95.5, "100%"]', "monthly: [136.18, 0, 100]")
    write_sixth(tmp_path, format_yaml=fmt, data_yaml=data)
    result = run(cli_runner, "check", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = tmp_path / "data" / "liuju" / "2024.yaml"
    assert result.output.splitlines() == [
        f"{path}:{_line(data, 'monthly:')}: monthly[1]（月执行率 › 第 2 项）: 警告：0.00%低于 0.01%，请核对",
        f"{path}: 通过（1 条警告）",
    ]


def test_a_figure_also_named_by_an_old_path(tmp_path, cli_runner):
    fmt = FORMAT_YAML.replace(
        'formula: "mean(monthly, 1)", print: percent}',
        'formula: "mean(monthly, 1)", print: percent, also: [monthly.average]}',
    )
    # (100 + 95.5 + 100) / 3 = 98.5%: each month capped at 100%
    data = DATA_YAML + 'reported:\n  - {figure: monthly.average, printed: "98.50%", paragraph: 支出进度}\n'
    write_sixth(tmp_path, format_yaml=fmt, data_yaml=data)
    result = run(cli_runner, "audit", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (
        result.output
        == f"{tmp_path / 'data' / 'liuju' / '2024.yaml'}: 核对 1 个数字：1 个一致，0 个舍入差异，0 个错误\n"
    )


def test_also_must_be_paths(tmp_path, cli_runner):
    fmt = FORMAT_YAML.replace("print: percent}\n  growth", "print: percent, also: 5}\n  growth")
    write_sixth(tmp_path, format_yaml=fmt)
    result = run(cli_runner, "check", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    line = _line(fmt, "also: 5")
    assert (
        f"{tmp_path / 'templates' / 'sixth' / 'format.yaml'}:{line}: figures.monthly_mean.also: "
        "also 应为 reported: 中的其他写法，如 also: [monthly.average]" in result.output
    )


def test_new_clears_the_rows_of_a_tree(tmp_path, cli_runner):
    fmt = FORMAT_YAML.replace("    type: list\n    label: 资金来源", "    type: table\n    label: 资金来源")
    data = DATA_YAML.replace(
        "  - {name: 财政拨款,         initial: 1000, budget: 1200, spent: 1150, weight: 10}\n",
        "  - name: 财政拨款\n    children:\n"
        "      - {name: 基本支出, initial: 600, budget: 700, spent: 690, weight: 6}\n"
        "      - name: 项目支出\n        initial: 400\n        budget: 500\n        spent: 460\n        weight: 4\n",
    )
    write_sixth(tmp_path, format_yaml=fmt, data_yaml=data)
    result = run(cli_runner, "new", "liuju", "2025", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "data" / "liuju" / "2025.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("  - name: 财政拨款")
    assert lines[start : start + 8] == [
        "  - name: 财政拨款",
        "    children:",
        "      - {name: 基本支出, initial: 待填, budget: 待填, spent: 待填, weight: 待填}",
        "      - name: 项目支出",
        "        initial: 待填",
        "        budget: 待填",
        "        spent: 待填",
        "        weight: 待填",
    ]

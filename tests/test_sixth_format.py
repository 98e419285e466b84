"""A sixth format, built with no code: a template, a format.yaml and a data file written here.

Its tables have shapes none of the five formats has: a 资金来源 table whose score is
proportional to the execution rate and capped at the weight, and an indicator table
with 指标性质 (=, ≥, ≤), 度量单位, 年初指标值, 全年完成值, 得分系数, 得分 and 偏差原因.
Every computed cell is checked against values computed by hand (in the comments).
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import docx
import pytest

from generator.cli import main
from generator.extract import text_lines

FORMAT_YAML = """\
# 第六种格式：资金来源表 + 指标表（测试用，全部由声明完成）
name: 第六种格式
unit: 万元
rounding: half_up
zero_division: "—"
undefined: "—"
grades:
  - {min: 90, word: 优}
  - {min: 80, word: 良}
  - {min: 60, word: 中}
  - {min: 0, word: 差}
inputs:
  unit_name: {type: text, label: 单位名称, help: 填报单位全称}
  filed_on: {type: date, label: 填报日期, help: 报告落款日期}
  previous_spent: {type: amount, label: 上年执行数, help: 上年全年执行数（万元），没有可不填, required: false}
  monthly: {type: series, item: percent, label: 月执行率, help: 财政部门每月通报的支出执行率（%）}
  staff:
    type: group
    label: 人员情况
    help: 年末编制和实有人数
    fields:
      authorized: {type: count, label: 编制数, help: 年末编制人数}
      actual: {type: count, label: 实有人数, help: 年末实有在编人数}
  funds:
    type: list
    label: 资金来源
    help: 按资金来源填写预算、执行和权重
    total: 合计
    columns:
      name: {type: text, label: 资金来源, help: 财政拨款、财政专户管理资金、单位资金或其他资金}
      initial: {type: amount, label: 年初预算数, help: 年初批复的预算（万元）}
      budget: {type: amount, label: 全年预算数, help: 调整后的全年预算（万元）}
      spent: {type: amount, label: 全年执行数, help: 全年实际支出（万元）}
      weight: {type: number, label: 权重, help: 本项分值, rollup: sum}
    computed:
      rate: {label: 执行率, help: 全年执行数 ÷ 全年预算数, formula: "ratio(spent, budget)", print: percent}
      score: {label: 得分, help: 执行率 × 权重，不超过权重, formula: "prorate(rate, weight)", print: score, rollup: sum}
      share: {label: 执行数占比, help: 占合计执行数的比例, formula: "share(spent)", print: percent}
  indicators:
    type: list
    label: 绩效指标
    help: 年初设定的绩效指标及完成情况
    columns:
      name: {type: text, label: 指标名称, help: 指标的名称}
      nature: {type: choice, values: ["=", "≥", "≤"], label: 指标性质, help: ≥ 越大越好，≤ 越小越好，= 越接近越好}
      measure: {type: text, label: 度量单位, help: 如 人次、%、小时}
      target: {type: number, label: 年初指标值, help: 年初设定的指标值}
      actual: {type: number, label: 全年完成值, help: 全年实际完成值}
      weight: {type: number, label: 分值, help: 本指标的分值, rollup: sum}
      reason: {type: text, label: 偏差原因, help: 未完成时说明原因, required: false}
    computed:
      coefficient: {label: 得分系数, help: 按指标性质计算，0 到 1, formula: "round(attainment(nature, target, actual), 4)", print: number}
      score: {label: 得分, help: 得分系数 × 分值, formula: "coefficient * weight", print: score, rollup: sum}
figures:
  fund_score: {label: 预算执行得分, help: 各资金来源得分合计, formula: "funds.total.score", print: score}
  indicator_score: {label: 指标得分, help: 各指标得分合计, formula: "sum(indicators.score)", print: score}
  total_score: {label: 总分, help: 预算执行得分 + 指标得分, formula: "fund_score + indicator_score", print: score}
  grade: {label: 等级, help: 按总分分档, formula: "grade(total_score)", print: text}
  control_rate: {label: 人员控制率, help: 实有人数 ÷ 编制数, formula: "ratio(staff.actual, staff.authorized)", print: percent}
  indicator_count: {label: 指标个数, help: 绩效指标的个数, formula: "count(indicators.name)", print: count}
  mean_rate: {label: 平均执行率, help: 各来源执行率的平均，超过 100% 的按 100% 计, formula: "mean(funds.rate, 1)", print: percent}
  lowest_rate: {label: 最低执行率, help: 各来源执行率中最低的, formula: "min(funds.rate)", print: percent}
  adjustment: {label: 预算调整数, help: 全年预算数 − 年初预算数, formula: "diff(funds.total.budget, funds.total.initial)", print: money}
  adjustment_rate: {label: 预算调整率, help: 调整数 ÷ 年初预算数, formula: "change_rate(funds.total.budget, funds.total.initial)", print: percent}
  monthly_mean: {label: 平均月执行率, help: 超过 100% 的月份按 100% 计, formula: "mean(monthly, 1)", print: percent}
  growth: {label: 执行数增长率, help: 比上年增长, formula: "change_rate(funds.total.spent, previous_spent)", print: percent}
text:
  intro: {label: 开头段落, help: 报告开头，可引用计算结果}
"""

DATA_YAML = """\
format: sixth
year: 2024
unit_name: 示例区第六局
filed_on: 2025-03-31
staff: {authorized: 20, actual: 18}
monthly: [136.18, 95.5, "100%"]
funds:
  - {name: 财政拨款,         initial: 1000, budget: 1200, spent: 1150, weight: 10}
  - {name: 财政专户管理资金, initial: 200,  budget: 180,  spent: 200,  weight: 5}
  - {name: 单位资金,         initial: 300,  budget: 320,  spent: 250,  weight: 3}
  - {name: 其他资金,         initial: 50,   budget: 60,   spent: 0,    weight: 2}
indicators:
  - {name: 培训人次,   nature: ≥, measure: 人次, target: 500, actual: 450, weight: 30, reason: 部分培训延期}
  - {name: 投诉率,     nature: ≤, measure: "%",  target: 5,   actual: 4,   weight: 20}
  - {name: 响应时间,   nature: ≤, measure: 小时, target: 24,  actual: 30,  weight: 10, reason: 人手不足}
  - {name: 数据准确率, nature: "=", measure: "%", target: 100, actual: 98, weight: 10, reason: 录入差错}
  - {name: 覆盖街道数, nature: ≥, measure: 个,   target: 21,  actual: 20,  weight: 10, reason: 一个街道撤并}
text:
  intro: |
    {{ unit_name }}{{ year }}年资金执行率{{ funds.total.rate|percent }}，财政拨款占执行数的{{ funds.row['财政拨款'].share|percent }}，总分{{ total_score|score }}分，等级为{{ grade }}。
"""

FUND_HEAD = ["资金来源", "年初预算数", "全年预算数", "全年执行数", "执行率", "权重", "得分"]
FUND_CELLS = [
    "{{ r.name }}",
    "{{ r.initial|money }}",
    "{{ r.budget|money }}",
    "{{ r.spent|money }}",
    "{{ r.rate|percent }}",
    "{{ r.weight|score }}",
    "{{ r.score|score }}",
]
TOTAL_CELLS = [
    "{{ funds.total.name }}",
    "{{ funds.total.initial|money }}",
    "{{ funds.total.budget|money }}",
    "{{ funds.total.spent|money }}",
    "{{ funds.total.rate|percent }}",
    "{{ funds.total.weight|score }}",
    "{{ funds.total.score|score }}",
]
IND_HEAD = ["指标名称", "指标性质", "度量单位", "年初指标值", "全年完成值", "得分系数", "得分", "偏差原因"]
IND_CELLS = [
    "{{ i.name }}",
    "{{ i.nature }}",
    "{{ i.measure }}",
    "{{ i.target|plain }}",
    "{{ i.actual|plain }}",
    "{{ i.coefficient|plain }}",
    "{{ i.score|score }}",
    "{{ i.reason or '' }}",
]


def _table(document, head: list[str], loop: str, cells: list[str], after: list[str] | None = None) -> None:
    rows = [head, [loop] + [""] * (len(head) - 1), cells, ["{%tr endfor %}"] + [""] * (len(head) - 1)]
    if after:
        rows.append(after)
    table = document.add_table(rows=len(rows), cols=len(head))
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text


BASE = Path(__file__).resolve().parents[1] / "templates" / "_base"


def write_sixth(root: Path, format_yaml: str = FORMAT_YAML, data_yaml: str = DATA_YAML) -> None:
    shutil.copytree(BASE, root / "templates" / "_base")
    folder = root / "templates" / "sixth"
    folder.mkdir(parents=True)
    document = docx.Document()
    document.add_paragraph("{{ unit_name }}{{ year }}年度部门整体支出绩效自评报告")
    document.add_paragraph("{%p for p in t.intro %}")
    document.add_paragraph("{{ p }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("表1 资金来源（单位：{{ unit }}）")
    _table(document, FUND_HEAD, "{%tr for r in funds.rows %}", FUND_CELLS, TOTAL_CELLS)
    document.add_paragraph("表2 绩效指标（共{{ indicator_count|plain }}个）")
    _table(document, IND_HEAD, "{%tr for i in indicators.rows %}", IND_CELLS)
    document.add_paragraph(
        "执行数占比：{% for r in funds.rows %}{{ r.name }}{{ r.share|percent }}；{% endfor %}"
        "预算调整{{ adjustment|money }}万元，调整率{{ adjustment_rate|percent }}；"
        "平均执行率{{ mean_rate|percent }}，最低{{ lowest_rate|percent }}；人员控制率{{ control_rate|percent }}。"
    )
    document.add_paragraph("上年执行数{{ previous_spent|money }}，增长率{{ growth|percent }}。")
    document.add_paragraph(
        "得分：资金{{ fund_score|score }}，指标{{ indicator_score|score }}，总分{{ total_score|score }}，{{ grade }}。"
    )
    document.add_paragraph("{{ filed_on|cn_date }}")
    document.save(folder / "template.docx")
    (folder / "format.yaml").write_text(format_yaml, encoding="utf-8")
    data = root / "data" / "liuju"
    data.mkdir(parents=True)
    (data / "2024.yaml").write_text(data_yaml, encoding="utf-8")


def run(cli_runner, *args: str):
    return cli_runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def built(tmp_path, cli_runner) -> Path:
    write_sixth(tmp_path)
    out = tmp_path / "out.docx"
    result = run(cli_runner, "build", "liuju", "2024", "-o", str(out), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    return out


def _cells(path: Path) -> list[list[list[str]]]:
    """Cell texts; the line breaks the layout step sets (names broken between words) are not text."""
    document = docx.Document(str(path))
    return [[[c.text.replace("\n", "") for c in row.cells] for row in table.rows] for table in document.tables]


def test_tables_typed_in_normal_get_no_first_line_indent_and_wrap_between_words(built):
    """generator/tablefit: these tables are typed in Normal (三号, first line indented two characters,
    justified). In a cell the indent would push the first line past the width measured for it (a figure
    broke: 1,000.0/0) and a justified line ending in a line break is spread (资　　金)."""
    from docx.oxml.ns import qn

    document = docx.Document(str(built))
    indicators = document.tables[1]._tbl
    grid = indicators.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
    assert sum(int(c.get(qn("w:w"))) for c in grid) == 8844  # was 13,148: labels of up to 8 characters never wrapped
    broken = []
    for table in document.tables:
        for p in table._tbl.iter(qn("w:p")):
            if not "".join(t.text or "" for t in p.iter(qn("w:t"))):
                continue
            assert p.find(f"{qn('w:pPr')}/{qn('w:ind')}").get(qn("w:firstLine")) == "0"
            if p.find(f".//{qn('w:br')}") is not None:
                broken.append("/".join(t.text for t in p.iter(qn("w:t"))))
                assert p.find(f"{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val")) == "left"
    assert "财政/拨款" in broken
    assert all(len(piece) >= 2 for line in broken for piece in line.split("/")), broken  # never 产出指/标


def test_fund_table_every_cell(built):
    funds = _cells(built)[0]
    assert funds == [
        FUND_HEAD,
        # 1150/1200 = 95.833…%; 9.5833 points of 10
        ["财政拨款", "1,000.00", "1,200.00", "1,150.00", "95.83%", "10", "9.58"],
        # 200/180 = 111.11%: the score is capped at the weight
        ["财政专户管理资金", "200.00", "180.00", "200.00", "111.11%", "5", "5"],
        # 250/320 = 78.125% → 78.13% (half up); 0.78125 × 3 = 2.34375
        ["单位资金", "300.00", "320.00", "250.00", "78.13%", "3", "2.34"],
        ["其他资金", "50.00", "60.00", "0.00", "0.00%", "2", "0"],
        # 1600/1760 = 90.909%; the score is the sum of the rows' scores: 16.927083
        ["合计", "1,550.00", "1,760.00", "1,600.00", "90.91%", "20", "16.93"],
    ]


def test_indicator_table_every_cell(built):
    indicators = _cells(built)[1]
    assert indicators == [
        IND_HEAD,
        ["培训人次", "≥", "人次", "500", "450", "0.9", "27", "部分培训延期"],  # 450/500 × 30
        ["投诉率", "≤", "%", "5", "4", "1", "20", ""],  # below the ceiling: full marks
        ["响应时间", "≤", "小时", "24", "30", "0.8", "8", "人手不足"],  # 24/30 × 10
        ["数据准确率", "=", "%", "100", "98", "0.98", "9.8", "录入差错"],  # 1 − 2/100
        ["覆盖街道数", "≥", "个", "21", "20", "0.9524", "9.52", "一个街道撤并"],  # 20/21 → 0.9524 × 10
    ]


def test_figures_and_narrative(built):
    text = "\n".join(text_lines(built))
    # total 16.927083 + 74.324 = 91.251083
    assert "示例区第六局2024年资金执行率90.91%，财政拨款占执行数的71.87%，总分91.25分，等级为优。" in text
    # shares of 1600: 71.875, 12.5, 15.625, 0 → 71.88 + 12.50 + 15.63 = 100.01: the largest
    # remainder takes 0.01 from the first of the two rounded up by 0.005
    assert "执行数占比：财政拨款71.87%；财政专户管理资金12.50%；单位资金15.63%；其他资金0.00%；" in text
    # 1760 − 1550 = 210; 210/1550 = 13.548%; mean of (0.9583, 1 (capped), 0.78125, 0) = 68.49%
    assert "预算调整210.00万元，调整率13.55%；平均执行率68.49%，最低0.00%；人员控制率90.00%。" in text
    assert "上年执行数—，增长率—。" in text  # undefined: no previous year given
    assert "得分：资金16.93，指标74.32，总分91.25，优。" in text
    assert "2025年3月31日" in text
    assert "表2 绩效指标（共5个）" in text


def test_names_lists_declared_figures(tmp_path, cli_runner):
    write_sixth(tmp_path)
    result = run(cli_runner, "names", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "funds.total.rate\t90.91%\t资金来源 › 合计 › 执行率" in lines
    assert "funds.row['单位资金'].score\t2.34\t资金来源 › 单位资金 › 得分" in lines
    assert "total_score\t91.25\t总分" in lines
    assert "staff.authorized\t20\t人员情况 › 编制数" in lines
    assert "previous_spent\t—\t上年执行数" in lines
    assert "monthly[0]\t136.18%\t月执行率 › 第 1 项" in lines
    # capped at 100%: (1 + 0.955 + 1) / 3 = 98.50%
    assert "monthly_mean\t98.50%\t平均月执行率" in lines


def test_a_series_names_its_items(tmp_path, cli_runner):
    data = DATA_YAML.replace('monthly: [136.18, 95.5, "100%"]', "monthly: [136.18, 九十]")
    write_sixth(tmp_path, data_yaml=data)
    result = run(cli_runner, "check", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "data" / "liuju" / "2024.yaml"
    assert result.output.splitlines() == [
        f"{path}:{_line_of(data, 'monthly:')}: monthly[1]（月执行率 › 第 2 项）: 应为数字，得到 “九十”",
        "1 个文件有错误",
    ]


def test_schema_has_chinese_titles_and_validates_the_data(tmp_path, cli_runner):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema 未安装")
    write_sixth(tmp_path)
    result = run(cli_runner, "schema", "sixth", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    row = schema["$defs"]["funds_row"]["properties"]
    assert row["spent"]["title"] == "全年执行数"
    assert row["spent"]["description"].startswith("全年实际支出（万元）")

    def every_property(node):
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                yield key, value
            for value in node.values():
                yield from every_property(value)
        elif isinstance(node, list):
            for value in node:
                yield from every_property(value)

    for key, spec in every_property(schema):
        assert spec.get("title") and spec.get("description"), key
    import datetime

    import yaml

    data = yaml.safe_load(DATA_YAML)
    data["filed_on"] = data["filed_on"].isoformat() if isinstance(data["filed_on"], datetime.date) else data["filed_on"]
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(data)) == []
    data["funds"][0]["spent"] = "很多"
    data["indicators"][0]["nature"] = ">"
    assert len(list(validator.iter_errors(data))) == 2


def test_schema_of_an_undeclared_format_says_so(tmp_path, cli_runner):
    # a format whose format.yaml declares no inputs: (as the formats written before the engine): refused
    shutil.copytree(BASE, tmp_path / "templates" / "_base")
    folder = tmp_path / "templates" / "older"
    folder.mkdir()
    (folder / "format.yaml").write_text("name: 旧写法的格式\nunit: 万元\n", encoding="utf-8")
    shutil.copy(BASE.parent / "zhanjiang" / "template.docx", folder / "template.docx")
    result = run(cli_runner, "schema", "older", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{folder / 'format.yaml'}:1: inputs: format.yaml 没有声明数据字段：每个格式都要用 inputs: 写明它的数据文件有哪些字段"
        "（每项的类型、label、help），见 docs/新增格式.md"
    )


# --- formula errors: reported with their line before any data is checked -----------------


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            'formula: "ratio(spent, budget)"',
            'formula: "ratoi(spent, budget)"',
            "inputs.funds.computed.rate.formula",
            "没有函数“ratoi”（可用：sum、diff、ratio、change_rate、mean、count、min、max、prorate、attainment、round、default、grade、above、below、equal、differ、missing、both、share、sum_where、same）",
        ),
        (
            'formula: "ratio(spent, budget)"',
            'formula: "ratio(spend, budget)"',
            "inputs.funds.computed.rate.formula",
            "表“资金来源”没有“spend”这一列（可用：name、initial、budget、spent、weight、rate、score、share）",
        ),
        (
            'formula: "ratio(spent, budget)"',
            'formula: "ratio(spent)"',
            "inputs.funds.computed.rate.formula",
            "函数 ratio 要 2 个参数，这里有 1 个（例：ratio(actual, adjusted)）",
        ),
        (
            'formula: "ratio(spent, budget)"',
            'formula: "ratio(spent, budget"',
            "inputs.funds.computed.rate.formula",
            "这里应有“)”，得到公式结尾",
        ),
        ('formula: "sum(indicators.score)"', 'formula: "indicators.score"', None, None),
        (
            'formula: "funds.total.score"',
            'formula: "total_score - indicator_score"',
            "figures.fund_score.formula",
            "公式循环引用：fund_score → total_score → fund_score（预算执行得分、总分互相依赖）",
        ),
        (
            'formula: "min(funds.rate)"',
            'formula: "ratio(funds.rate, 2)"',
            "figures.lowest_rate.formula",
            "函数 ratio 的第 1 个参数要的是单个数值，这里是一整列（对一列请用 sum、mean、count、min、max）",
        ),
        (
            'formula: "ratio(staff.actual, staff.authorized)"',
            'formula: "ratio(staff.actual, staff.total)"',
            "figures.control_rate.formula",
            "“人员情况”没有“staff.total”（可用：staff.authorized、staff.actual）",
        ),
        (
            'formula: "ratio(spent, budget)"',
            'formula: "ratio(name, budget)"',
            "inputs.funds.computed.rate.formula",
            "函数 ratio 的第 1 个参数要的是数值，这里是文字",
        ),
        (
            'formula: "grade(total_score)"',
            'formula: "grade(total_score) + 1"',
            "figures.grade.formula",
            "“+”要的是数值，这里是文字",
        ),
    ],
)
def test_formula_errors_name_the_line(tmp_path, cli_runner, old, new, field, message):
    assert old in FORMAT_YAML
    text = FORMAT_YAML.replace(old, new, 1)
    # the data file is broken too: the format's error comes first, alone
    write_sixth(tmp_path, text, DATA_YAML.replace("spent: 1150", "spent: 很多"))
    result = run(cli_runner, "check", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "templates" / "sixth" / "format.yaml"
    if field is None:  # a column where a figure needs one number
        field, message = (
            "figures.indicator_score.formula",
            "“indicator_score”的公式是一整列，不是一个数（对一列请用 sum、mean、count、min、max）",
        )
    line = _line_of(text, new)
    assert f"{path}:{line}: {field}: {message}" in result.output.splitlines(), result.output
    assert "很多" not in result.output


def test_declaration_mistakes_all_at_once(tmp_path, cli_runner):
    text = (
        FORMAT_YAML.replace("type: amount, label: 全年预算数", "type: money, label: 全年预算数")
        .replace(", help: 本项分值", "")
        .replace("print: count}", "print: counted}")
    )
    write_sixth(tmp_path, text)
    result = run(cli_runner, "check", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "templates" / "sixth" / "format.yaml"
    assert result.output.splitlines() == [
        f"{path}:{_line_of(text, 'label: 全年预算数')}: inputs.funds.columns.budget.type: 类型应为 text、amount、count、percent、number、date、choice、paragraphs 之一，得到“money”",
        f"{path}:{_line_of(text, 'label: 权重')}: inputs.funds.columns.weight.help: 缺少一行说明 help（填写人在编辑器里看到它）",
        f"{path}:{_line_of(text, 'print: counted')}: figures.indicator_count.print: print 应为 money、percent、score、count、number、text、date 之一，得到“counted”",
        "1 个文件有错误",
    ]


def test_names_a_template_reads_otherwise_are_refused(tmp_path, cli_runner):
    text = (
        FORMAT_YAML.replace("      reason: {type: text", "      values: {type: text")
        .replace("  grade: {label: 等级", "  unit: {label: 等级")
        .replace("grade(total_score)", "grade(total_score)")
    )
    write_sixth(tmp_path, text)
    result = run(cli_runner, "check", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "templates" / "sixth" / "format.yaml"
    assert result.output.splitlines() == [
        f"{path}:{_line_of(text, 'values: {type: text')}: inputs.indicators.columns.values: 名称“values”在模板中另有含义，请换一个名称",
        f"{path}:{_line_of(text, 'unit: {label: 等级')}: figures.unit: 结果“unit”与输入或保留名称重名",
        "1 个文件有错误",
    ]


# --- data errors: every problem at once, named by labels ---------------------------------


def test_a_formula_that_cannot_apply_to_the_data_names_the_row(tmp_path, cli_runner):
    data = DATA_YAML.replace("spent: 0,", "spent: -5,")
    write_sixth(tmp_path, data_yaml=data)
    result = run(cli_runner, "build", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "data" / "liuju" / "2024.yaml"
    assert result.output.splitlines() == [
        f"{path}:{_line_of(data, '财政拨款')}: funds[0]（财政拨款 › 执行数占比）: 无法计算执行数占比（share(spent)）：占比只能用于非负数"
    ]
    assert not (tmp_path / "build").exists()


def test_data_errors_name_fields_by_their_labels(tmp_path, cli_runner):
    data = (
        DATA_YAML.replace("spent: 200,", "spent: 200万,")
        .replace("nature: ≤, measure: 小时", "nature: <, measure: 小时")
        .replace("staff: {authorized: 20, actual: 18}", "staff: {authorized: 20}")
        .replace("filed_on: 2025-03-31", "filed_on: 2025-13-31")
        .replace("  - {name: 其他资金,", "  - {nam: 其他资金,")
    )
    write_sixth(tmp_path, data_yaml=data)
    result = run(cli_runner, "check", "liuju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "data" / "liuju" / "2024.yaml"
    line = lambda needle: _line_of(data, needle)  # noqa: E731
    assert result.output.splitlines() == [
        f"{path}:{line('filed_on')}: filed_on（填报日期）: 应为日期（如 2024-12-31），得到 “2025-13-31”",
        f"{path}:{line('staff:')}: staff.actual（人员情况 › 实有人数）: 缺少必填字段：年末实有在编人数",
        f"{path}:{line('财政专户')}: funds[1].spent（财政专户管理资金 › 全年执行数）: 应为数字，得到 “200万”（只写数字，不写单位）",
        f"{path}:{line('nam: 其他资金')}: funds[3].nam（资金来源第 4 行）: 未知字段（是否拼写错误？可用：name、initial、budget、spent、weight）",
        f"{path}:{line('nam: 其他资金')}: funds[3].name（资金来源第 4 行 › 资金来源）: 缺少必填字段：财政拨款、财政专户管理资金、单位资金或其他资金",
        f"{path}:{line('响应时间')}: indicators[2].nature（响应时间 › 指标性质）: 应为 =、≥、≤ 之一，得到 “<”",
        "1 个文件有错误",
    ]


TREE_FORMAT = """\
name: 树形表
inputs:
  spending:
    type: table
    label: 支出
    help: 按支出性质填写；上级行由下级行合计得出
    total: 本年支出合计
    columns:
      name: {type: text, label: 项目, help: 行的名称}
      initial: {type: amount, label: 年初预算, help: 万元}
      actual: {type: amount, label: 决算数, help: 万元}
    computed:
      rate: {label: 执行率, help: 决算数 ÷ 年初预算, formula: "ratio(actual, initial)", print: percent}
figures:
  basic_share: {label: 基本支出占比, help: 基本支出占合计, formula: "ratio(spending.total.actual, spending.total.initial)", print: percent}
"""

TREE_DATA = """\
format: tree
year: 2024
spending:
  - name: 基本支出
    children:
      - {name: 人员经费, initial: 100.5, actual: 100}
      - {name: 公用经费, initial: 20, actual: 19.5}
  - {name: 项目支出, initial: 80, actual: 60}
"""


def _tree_project(root: Path, data: str) -> None:
    shutil.copytree(BASE, root / "templates" / "_base")
    folder = root / "templates" / "tree"
    folder.mkdir(parents=True)
    document = docx.Document()
    document.add_paragraph(
        "{% for r in spending.rows %}{{ r.name }}{{ r.initial|money }}/{{ r.actual|money }}/{{ r.rate|percent }}；{% endfor %}"
    )
    document.add_paragraph("{{ spending.total.name }}{{ spending.total.actual|money }}")
    document.save(folder / "template.docx")
    (folder / "format.yaml").write_text(TREE_FORMAT, encoding="utf-8")
    (root / "data" / "dept").mkdir(parents=True)
    (root / "data" / "dept" / "2024.yaml").write_text(data, encoding="utf-8")


def test_tree_rows_sum_their_children(tmp_path, cli_runner):
    _tree_project(tmp_path, TREE_DATA)
    out = tmp_path / "t.docx"
    result = run(cli_runner, "build", "dept", "2024", "-o", str(out), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    text = "\n".join(text_lines(out))
    # 基本支出 = 100.5 + 20 = 120.50 / 100 + 19.5 = 119.50; 119.5/120.5 = 99.17%
    assert (
        "基本支出120.50/119.50/99.17%；人员经费100.50/100.00/99.50%；公用经费20.00/19.50/97.50%；"
        "项目支出80.00/60.00/75.00%；"
    ) in text
    assert "本年支出合计179.50" in text


def test_tree_errors_name_the_row_path(tmp_path, cli_runner):
    data = TREE_DATA.replace("initial: 100.5", "initial: abc").replace(
        "  - name: 基本支出\n", "  - name: 基本支出\n    initial: 120\n"
    )
    _tree_project(tmp_path, data)
    result = run(cli_runner, "check", "dept", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "data" / "dept" / "2024.yaml"
    assert result.output.splitlines() == [
        f"{path}:5: spending[0].initial（基本支出 › 年初预算）: 有下级行（children）时，年初预算 initial 由下级合计得出，请删除这一行",
        f"{path}:7: spending[0].children[0].initial（基本支出 › 人员经费 › 年初预算）: 应为数字，得到 “abc”",
        "1 个文件有错误",
    ]


def test_a_table_total_by_the_tables_name(root, cli_runner):
    result = run(cli_runner, "names", "guangzhou", "2023", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert any(line.startswith("spending.initial\t17,534.51\t") for line in result.output.splitlines())


def test_guide_example_is_in_sync():
    guide = Path(__file__).resolve().parents[1] / "docs" / "新增格式.md"
    text = guide.read_text(encoding="utf-8")
    from generator.formula import LIBRARY

    for name, func in LIBRARY.items():
        assert f"`{name}`" in text and func.example in text, name
    assert textwrap.dedent("inputs:") in text

"""Engine features for score trees and narrative lists (step 2 of issue 10), on a small format.

- ``rollup: sum_or_stated`` with ``parts:``: a row states a figure its parts do not give;
- ``count_of:``: a count that is the number of items listed, or stated where none are;
- a ``list`` column: a list inside each row (indicators under a score node);
- ``key:``: a row found by its key in templates (``scores.output.score``);
- ``paragraphs``: a narrative column, its references resolved per row.
Every figure below is checked by hand in the comments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.extract import text_lines

from .conftest import format_project

FORMAT_YAML = """\
name: 评分测试格式
unit: 万元
rounding: half_up
zero_division: "0"
grades:
  - {min: 90, word: 优}
  - {min: 0, word: 差}
inputs:
  scores:
    type: table
    label: 评分表
    help: 一级、二级指标
    key: key
    row: 指标
    levels: 3
    columns:
      name: {type: text, label: 指标名称, help: 指标的名称, required: false}
      key: {type: text, label: 代号, help: 模板引用的代号, required: false}
      weight: {type: number, label: 分值, help: 本项分值, rollup: sum_or_stated, parts: indicators}
      score: {type: number, label: 得分, help: 本项得分, rollup: sum_or_stated, parts: indicators}
      kind: {type: text, label: 指标类型, help: 附表中这组指标的类型, required: false}
      indicator_count: {type: count, label: 指标个数, help: 指标个数（列出了指标时由程序数出）, required: false, count_of: indicators}
      indicators:
        type: list
        label: 绩效指标
        help: 本项下的绩效指标
        group_label: kind
        columns:
          name: {type: text, label: 指标名称, help: 指标的名称, required: false}
          weight: {type: number, label: 分值, help: 本指标分值, required: false}
          score: {type: number, label: 得分, help: 本指标得分, required: false}
    computed:
      rate: {label: 得分率, help: 得分 ÷ 分值, formula: "ratio(score, weight)", print: percent}
      named: {label: 写明分值的指标数, help: 写明分值的绩效指标个数, formula: "count(indicators.weight)", print: count}
  problems:
    type: list
    label: 存在的问题
    help: 每个问题一个标题和若干段说明
    name: title
    columns:
      title: {type: text, label: 标题, help: 问题的标题}
      text: {type: paragraphs, label: 说明, help: 每行一段，可引用计算结果}
  monthly_execution: {type: months, label: 每月执行率, help: 每月通报的支出执行率（%）, word: 执行率, by: 财政局}
figures:
  total_score: {label: 总分, help: 各项得分合计, formula: "scores.total.score", print: score}
  monthly_n: {label: 月份数, help: 通报的月份数, formula: "count(monthly_execution.rates)", print: count}
  monthly_average: {label: 平均执行率, help: 超过 100% 的按 100% 计, formula: "mean(monthly_execution.rates, 1)", print: percent}
aliases:
  points: scores
checks:
  - {table: scores, when: "above(score, weight)", field: score, message: "{who}得分 {score} 超过分值 {weight}"}
  - {table: scores, when: "below(score, 10)", field: score, message: "{who}得分只有 {score}", warning: true}
annexes:
  - {key: evaluation, title: 自评表}
  - {key: indicators, title: 指标统计表}
"""

DATA_YAML = """\
format: rows
year: 2024
scores:
  - name: 履职效能
    key: performance
    children:
      - name: 产出
        key: output
        weight: 20
        score: 18
        indicators: [{name: 合作数}, {name: 巡查率}, {}]
      - name: 效益
        key: benefit
        kind: 效益指标
        indicators:
          - {name: 阅读量, weight: 10, score: 9.5}
          - {name: 交易值, weight: 10, score: 10}
  - {name: 管理效能, key: management, weight: 50, score: 45.5}
problems:
  - title: 目标设置不够科学
    text: |
      产出指标得分{{ scores.output.score|score }}分。
      第二段。
  - title: 合同管理
    text: 只有一段。
monthly_execution: {from: 10, rates: [136.18, 95.5, 99]}
"""

TEMPLATE = [
    "产出：{{ scores.output.weight|score }}/{{ scores.output.score|score }}/{{ scores.output.indicator_count }}",
    "效益：{{ scores.benefit.weight|score }}/{{ scores.benefit.score|score }}/{{ scores.benefit.indicator_count }}"
    "/{{ scores.benefit.named }}",
    "履职：{{ scores.performance.score|score }}/{{ scores.performance.rate|percent }}"
    "/{{ scores.performance.indicator_count }}",
    "合计：{{ scores.total.weight|score }}/{{ total_score|score }}/{{ scores.total.indicator_count }}"
    "/{{ scores.management.indicator_count }}",
    "指标：{% for i in scores.output.indicators %}{{ i.name or '（未列名称）' }}；{% endfor %}",
    "{%p for p in problems.rows %}",
    "问题：{{ p.title }}",
    "{%p for x in p.text %}",
    "段：{{ x }}",
    "{%p endfor %}",
    "{%p endfor %}",
    "月：{{ monthly_execution.first }}/{% for v in monthly_execution.rates %}{{ v|percent }}；{% endfor %}"
    "{{ monthly_n|plain }}/{{ monthly_average|percent }}",
    "编号：{% for r in scores.rows %}{{ r.number }}{% endfor %}",
    "别名：{{ points.output.score|score }}",
    "三级：{{ scores.grid[0].cells|length }}",
    "网格：{% for r in scores.grid %}{{ r.cells[0].text }}{{ 1 if r.cells[0].first else 0 }}|{{ r.cells[1].text }}"
    "|{{ r.row.score|score }}{{ '*' if r.subtotal else '' }}；{% endfor %}",
    "分组：{% for r in scores.grouped.indicators.rows %}{{ r.group.text }}{{ 1 if r.group.first else 0 }}"
    ":{{ r.item.name or '' }}:{{ r.item.score|score(missing='') }}；{% endfor %}"
    "{{ scores.grouped.indicators.total.weight|score }}/{{ scores.grouped.indicators.total.score|score }}",
    # optional texts not written print as nothing, an optional number through plain as the undefined mark
    "空：{{ scores.output.kind }}/{{ scores.output['kind'] }}/{% for i in scores.output.indicators %}"
    "[{{ i.name }}|{{ i.weight|plain }}]{% endfor %}",
    "附件：{% for a in annexes %}{{ a.listed }}；{% endfor %}{{ annexes[-1].label }}",
]


def write(root: Path, format_yaml: str = FORMAT_YAML, data_yaml: str = DATA_YAML) -> Path:
    return format_project(root, "rows", format_yaml, TEMPLATE, data_yaml, "pingfen")


def run(cli_runner, *args: str):
    return cli_runner.invoke(main, list(args), catch_exceptions=False)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_stated_or_summed_counted_keyed_and_paragraphs(tmp_path, cli_runner):
    write(tmp_path)
    out = tmp_path / "out.docx"
    result = run(cli_runner, "build", "pingfen", "2024", "-o", str(out), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert text_lines(out) == [
        # stated on the row: its indicators give neither weight nor score; 3 listed
        "产出：20/18/3",
        # summed from the indicators, which all give them: 10 + 10, 9.5 + 10; 2 listed, 2 with a weight
        "效益：20/19.5/2/2",
        # a parent sums its children: 18 + 19.5 = 37.5 of 40 = 93.75%; 3 + 2 indicators
        "履职：37.5/93.75%/5",
        # 40 + 50 = 90; 37.5 + 45.5 = 83; 管理效能 lists no indicator and states no count: 0
        "合计：90/83/5/0",
        "指标：合作数；巡查率；（未列名称）；",
        "问题：目标设置不够科学",
        "段：产出指标得分18分。",
        "段：第二段。",
        "问题：合同管理",
        "段：只有一段。",
        # capped at 100%: (1 + 0.955 + 0.99) / 3 = 0.98166… → 98.17%
        "月：10/136.18%；95.50%；99.00%；3/98.17%",
        # 履职效能 1, its children 产出 1 and 效益 2, then 管理效能 2
        "编号：1122",
        "别名：18",
        # levels: 3 although the data goes two levels deep
        "三级：3",
        # one grid row per leaf, 履职效能 merged over its rows and its 小计; 管理效能 is not broken down
        "网格：履职效能1|产出|18；履职效能0|效益|19.5；履职效能0|小计|37.5*；管理效能1||45.5；",
        # 产出 has no 指标类型: its name labels the group; subtotals are the rows' own; 20 + 20, 18 + 19.5
        "分组：产出1:合作数:；产出0:巡查率:；产出0::；产出0:产出:18；"
        "效益指标1:阅读量:9.5；效益指标0:交易值:10；效益指标0:效益:19.5；40/37.5",
        # 产出 writes no kind; its third indicator no name; none a weight (undefined: "—")
        "空：//[合作数|—][巡查率|—][|—]",
        "附件：1. 自评表；2. 指标统计表；附件2",
    ]


def test_names_shows_keyed_rows_and_paragraphs(tmp_path, cli_runner):
    write(tmp_path)
    result = run(cli_runner, "names", "pingfen", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "scores.row['效益'].score\t19.5\t评分表 › 效益 › 得分" in lines
    assert "problems.row['合同管理'].text\t（1 段文字）\t存在的问题 › 合同管理 › 说明" in lines


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "message"),
    [
        (  # the indicators all give a weight: the row's own is refused
            "        key: benefit\n",
            "        key: benefit\n        weight: 20.0\n",
            "weight: 20.0",
            "scores[0].children[1].weight（履职效能 › 效益 › 分值）",
            "所列绩效指标（indicators）都写了分值时，分值 weight 由各绩效指标合计得出，请删除这一行",
        ),
        (  # a count stated beside a list must agree with it
            "        score: 18\n",
            "        score: 18\n        indicator_count: 4\n",
            "indicator_count: 4",
            "scores[0].children[0].indicator_count（履职效能 › 产出 › 指标个数）",
            "“产出”写了 4 个绩效指标，但 indicators 列出了 3 个",
        ),
        (  # neither stated nor given by the indicators
            "        weight: 20\n        score: 18\n",
            "        weight: 20\n",
            "name: 产出",
            "scores[0].children[0].score（履职效能 › 产出 › 得分）",
            "“产出”所列绩效指标（indicators）没有全部写明得分时要填写得分 score",
        ),
        (
            "key: management",
            "key: output",
            "name: 管理效能",
            "scores[1].key（管理效能）",
            "key 重复：第 8 行（scores[0].children[0].key）和第 18 行都是“output”，请改成不同的名称",
        ),
        (
            "key: management",
            "key: total",
            "key: total",
            "scores[1].key（管理效能）",
            "key 不能用“total”（模板中 scores.total 另有含义），请换一个名称",
        ),
        (
            "{{ scores.output.score|score }}",
            "{{ scores.output.scroe|score }}",
            "产出指标得分",
            "problems[0].text[0]（目标设置不够科学 › 说明）",
            None,
        ),
    ],
)
def test_data_mistakes(tmp_path, cli_runner, old, new, needle, field, message):
    assert old in DATA_YAML
    data = DATA_YAML.replace(old, new, 1)
    path = write(tmp_path, data_yaml=data)
    result = run(cli_runner, "check", "pingfen", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1, result.output
    first = result.output.splitlines()[0]
    prefix = f"{path}:{_line_of(data, needle)}: {field}: "
    assert first.startswith(prefix), result.output
    if message is not None:
        assert first == prefix + message
    else:
        assert "scroe" in first


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "parts: indicators}\n      score",
            "parts: indicator}\n      score",
            "inputs.scores.columns.weight.parts",
            "parts 应是本表的一个列表列，没有“indicator”",
        ),
        (
            "key: key\n",
            "key: weight\n",
            "inputs.scores.key",
            "key 应是本表的一个文字列（模板按它找行），没有“weight”这一文字列",
        ),
        (
            'formula: "count(indicators.weight)"',
            'formula: "count(indicators.wieght)"',
            "inputs.scores.computed.named.formula",
            "列表“绩效指标”没有“indicators.wieght”（可用：indicators.name、indicators.weight、indicators.score）",
        ),
    ],
)
def test_declaration_mistakes(tmp_path, cli_runner, old, new, field, message):
    assert old in FORMAT_YAML
    text = FORMAT_YAML.replace(old, new, 1)
    write(tmp_path, format_yaml=text)
    result = run(cli_runner, "check", "pingfen", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "templates" / "rows" / "format.yaml"
    assert result.output.splitlines()[0] == f"{path}:{_line_of(text, new.splitlines()[0])}: {field}: {message}"


def test_schema_accepts_the_data(tmp_path, cli_runner):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema 未安装")
    import json

    import yaml

    write(tmp_path)
    result = run(cli_runner, "schema", "rows", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    validator = jsonschema.Draft202012Validator(json.loads(result.output))
    data = yaml.safe_load(DATA_YAML)
    assert list(validator.iter_errors(data)) == []
    data["problems"][0]["text"] = 5
    data["scores"][0]["children"][0]["indicators"][0]["weight"] = "很多"
    assert len(list(validator.iter_errors(data))) == 2


def test_months_warn_of_months_past_december_and_zero(tmp_path, cli_runner):
    data = DATA_YAML.replace("{from: 10, rates: [136.18, 95.5, 99]}", "{from: 11, rates: [136.18, 0, 99]}")
    path = write(tmp_path, data_yaml=data)
    result = run(cli_runner, "build", "pingfen", "2024", "-o", str(tmp_path / "o.docx"), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    line = _line_of(data, "monthly_execution:")
    assert result.output.splitlines()[:2] == [
        f"{path}:{line}: monthly_execution.rates（每月执行率）: 警告：写了 3 个月的执行率，但从 11 月到 12 月只有 2 个月；"
        "多写的月份会计入月份数 n、改变平均执行率，请核对 from 和各月的数字",
        f"{path}:{line}: monthly_execution.rates[1]（每月执行率 › 12月）: 警告：12月的执行率是 0：财政局没有通报的月份不要写"
        "（写了也计入月份数 n，拉低平均执行率），请核对",
    ]


def test_months_as_a_bare_list_asks_for_the_first_month(tmp_path, cli_runner):
    data = DATA_YAML.replace("{from: 10, rates: [136.18, 95.5, 99]}", "[136.18, 95.5, 99]")
    path = write(tmp_path, data_yaml=data)
    result = run(cli_runner, "check", "pingfen", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{path}:{_line_of(data, 'monthly_execution:')}: monthly_execution（每月执行率）: "
        "请写明财政局从几月开始通报：monthly_execution: {from: 3, rates: [92.5, 101.2, …]}；这里有 3 个月，"
        "如通报到 12 月为止，则是 from: 10"
    )


def test_the_data_chooses_and_titles_annexes(tmp_path, cli_runner):
    data = DATA_YAML + "annexes:\n  - {key: indicators, title: 指标统计表（无专项资金）}\n"
    write(tmp_path, data_yaml=data)
    out = tmp_path / "out.docx"
    result = run(cli_runner, "build", "pingfen", "2024", "-o", str(out), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert text_lines(out)[-1] == "附件：指标统计表（无专项资金）；附件"  # the only annex has no number


def test_an_annex_the_format_lacks(tmp_path, cli_runner):
    data = DATA_YAML + "annexes:\n  - {key: budget}\n"
    path = write(tmp_path, data_yaml=data)
    result = run(cli_runner, "check", "pingfen", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{path}:{_line_of(data, 'key: budget')}: annexes[0].key（附件）: 本格式没有这个附件（可用：evaluation、indicators）"
    )


def test_a_computed_name_typed_in_data_says_how_it_is_computed(tmp_path, cli_runner):
    data = DATA_YAML.replace("year: 2024\n", "year: 2024\nmonthly_n: 3\n").replace(
        "  - {name: 管理效能, key: management, weight: 50, score: 45.5}",
        "  - {name: 管理效能, key: management, weight: 50, score: 45.5, rate: 91%}",
    )
    path = write(tmp_path, data_yaml=data)
    result = run(cli_runner, "check", "pingfen", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:3: monthly_n（月份数）: 月份数由程序按通报的月份数计算，请删除这一行",
        f"{path}:{_line_of(data, 'rate: 91%')}: scores[1].rate（管理效能 › 得分率）: 得分率由程序按得分 ÷ 分值计算，请从这一行删去“rate: …”",
        "1 个文件有错误",
    ]


def test_checks_name_the_row_once_and_warnings_do_not_stop(tmp_path, cli_runner):
    # 产出 30 of 20: named on 产出, not again on 履职效能 (48 of 40) whose excess it causes
    data = DATA_YAML.replace("        score: 18\n", "        score: 30\n")
    path = write(tmp_path, data_yaml=data)
    result = run(cli_runner, "check", "pingfen", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:{_line_of(data, 'score: 30')}: scores[0].children[0].score（履职效能 › 产出 › 得分）: “产出”得分 30 超过分值 20",
        "1 个文件有错误",
    ]
    data = DATA_YAML.replace("        score: 18\n", "        score: 8\n")
    path = write(tmp_path / "w", data_yaml=data)
    result = run(cli_runner, "check", "pingfen", "2024", "--root", str(tmp_path / "w"))
    assert result.exit_code == 0, result.output
    assert (
        f"{path}:{_line_of(data, 'score: 8')}: scores[0].children[0].score（履职效能 › 产出 › 得分）: 警告：“产出”得分只有 8"
        in result.output
    )


def test_a_check_on_a_column_the_table_lacks(tmp_path, cli_runner):
    text = FORMAT_YAML.replace('when: "above(score, weight)"', 'when: "above(score, wieght)"')
    write(tmp_path, format_yaml=text)
    result = run(cli_runner, "check", "pingfen", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "templates" / "rows" / "format.yaml"
    assert (
        result.output.splitlines()[0]
        == f"{path}:{_line_of(text, 'wieght')}: checks[0].when: 表“评分表”没有“wieght”这一列"
    )


def test_an_alias_or_a_figure_over_an_input_typed_in_data(tmp_path, cli_runner):
    data = DATA_YAML.replace("year: 2024\n", "year: 2024\npoints: 1\n").replace(
        "{from: 10, rates: [136.18, 95.5, 99]}", "{from: 10, rates: [136.18, 95.5, 99], monthly_n: 3}"
    )
    path = write(tmp_path, data_yaml=data)
    result = run(cli_runner, "check", "pingfen", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    line = _line_of(data, "monthly_n: 3")
    assert result.output.splitlines() == [
        f"{path}:3: points: 评分表的计算结果由程序按 scores 计算，请删除这一行",
        f"{path}:{line}: monthly_execution.monthly_n（每月执行率 › 月份数）: 月份数由程序按通报的月份数计算，请从这一行删去“monthly_n: …”",
        "1 个文件有错误",
    ]


def test_an_annex_with_nothing_to_print_is_left_out_with_a_warning(tmp_path, cli_runner):
    text = FORMAT_YAML.replace(
        "  - {key: indicators, title: 指标统计表}",
        "  - {key: indicators, title: 指标统计表, items: scores.indicators, values: [weight, score]}",
    )
    # no indicator gives a weight or a score: the 统计表 has nothing to print
    data = (
        DATA_YAML.replace("{name: 阅读量, weight: 10, score: 9.5}", "{name: 阅读量}")
        .replace("{name: 交易值, weight: 10, score: 10}", "{name: 交易值}")
        .replace("        kind: 效益指标\n", "        kind: 效益指标\n        weight: 20\n        score: 19.5\n")
    )
    path = write(tmp_path, format_yaml=text, data_yaml=data)
    out = tmp_path / "out.docx"
    result = run(cli_runner, "build", "pingfen", "2024", "-o", str(out), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (
        f"{path}: annexes（附件）: 警告：附件“指标统计表”的各项绩效指标都没有填写分值或得分，不印出这个附件"
        in result.output
    )
    assert text_lines(out)[-1] == "附件：自评表；附件"  # the one left is alone: no number


def test_figures_lists_the_months_by_name(tmp_path, cli_runner):
    write(tmp_path)
    result = run(cli_runner, "figures", "pingfen", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "monthly_execution.from\t10\t每月执行率 › 起始月份" in lines
    assert "monthly_execution.12月\t99.00%\t每月执行率 › 12月" in lines


FIGURE_CHECK = (
    '  - {when: "above(scores.total.weight, 100)", field: scores, '
    'message: "分值合计 {scores.total.weight} 超过 100（总分 {total_score}）"}\n'
)


def test_a_check_without_a_table_is_evaluated_once_over_the_figures(tmp_path, cli_runner):
    text = FORMAT_YAML.replace("annexes:\n", FIGURE_CHECK + "annexes:\n")
    write(tmp_path, format_yaml=text)
    assert run(cli_runner, "check", "pingfen", "2024", "--root", str(tmp_path)).exit_code == 0  # 20 + 20 + 50 = 90
    data = DATA_YAML.replace("weight: 50, score: 45.5", "weight: 70, score: 45.5")
    (tmp_path / "data" / "pingfen" / "2024.yaml").write_text(data, encoding="utf-8")
    result = run(cli_runner, "check", "pingfen", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "data" / "pingfen" / "2024.yaml"
    # 20 + (10 + 10) + 70 = 110; 18 + (9.5 + 10) + 45.5 = 83
    assert result.output.splitlines() == [
        f"{path}:3: scores（评分表）: 分值合计 110 超过 100（总分 83）",
        "1 个文件有错误",
    ]


@pytest.mark.parametrize(
    ("check", "where", "message"),
    [
        (
            '  - {when: "above(scores.total.wieght, 100)", field: scores, message: "超过"}\n',
            "checks[2].when",
            "“评分表”没有“scores.total.wieght”（可用：scores.name、",
        ),
        (
            '  - {when: "above(score, weight)", field: scores, message: "超过"}\n',
            "checks[2].when",
            "没有“score”这个名称（可用：scores、problems、",
        ),
        (
            '  - {when: "above(total_score, 100)", field: total_score, message: "超过"}\n',
            "checks[2].field",
            "field 应是数据文件中的一项输入（提示写在它所在的行），如 field: scores",
        ),
        (
            '  - {when: "above(total_score, 100)", field: scores, message: "{scores.score} 超过"}\n',
            "checks[2].message",
            "message 中的“{scores.score}”：这是一整列，message 中只能引用一个数",
        ),
        (
            '  - {when: "missing(scores.score)", field: scores, message: "缺"}\n',
            "checks[2].when",
            "函数 missing 的第 1 个参数要的是单个数值或文字，这里是一整列",
        ),
        (
            '  - {table: scores, when: "above(score, weight)", field: score, message: "{score} 超过 {wieght}"}\n',
            "checks[2].message",
            "message 中的“{wieght}”不是表“评分表”的一列（可用：who、",
        ),
    ],
)
def test_a_check_is_checked_before_any_data_is_read(tmp_path, cli_runner, check, where, message):
    text = FORMAT_YAML.replace("annexes:\n", check + "annexes:\n")
    write(tmp_path, format_yaml=text, data_yaml="format: rows\n")
    result = run(cli_runner, "check", "pingfen", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    path = tmp_path / "templates" / "rows" / "format.yaml"
    assert result.output.startswith(f"{path}:{_line_of(text, check.strip())}: {where}: {message}"), result.output


def test_missing_and_differ():
    from decimal import Decimal

    from generator import formula

    def value(source: str, **names):
        return formula.evaluate(formula.parse(source), lambda r: names.get(r.name), formula.Settings())

    assert value("missing(x)") == 1 and value("missing(x)", x=Decimal(0)) == 0 and value("missing(x)", x="") == 1
    assert value("both(equal(kind, '定性'), missing(score))", kind="定性") == 1
    assert value("both(equal(kind, '定性'), missing(score))", kind="定量") == 0
    assert value("differ(a, b)", a=Decimal("1.0"), b=Decimal(1)) == 0 and value("differ(a, b)", a=Decimal(1)) is None
    assert value("differ(a, 'x')", a="y") == 1


def test_an_optional_text_not_written_is_empty_in_a_paragraph_too(tmp_path, cli_runner):
    data = DATA_YAML.replace(
        "    text: 只有一段。\n", "    text: 类型：{{ scores.output.kind }}；{{ scores.benefit.kind }}。\n"
    )
    write(tmp_path, data_yaml=data)
    out = tmp_path / "out.docx"
    result = run(cli_runner, "build", "pingfen", "2024", "-o", str(out), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "段：类型：；效益指标。" in text_lines(out)

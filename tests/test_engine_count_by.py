"""Engine: ``count_by`` (items counted and grouped by a text column), ``children.COL`` in row formulas, ``same``."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from generator import pipeline
from generator.cli import main
from generator.extract import text_lines

from .conftest import format_project

FORMAT = """\
name: 按类别计数
unit: 万元
inputs:
  scores:
    type: table
    label: 评分表
    help: 一级指标 → 二级指标 → 绩效指标
    key: key
    row: 指标
    count_by: {column: category, name: indicator_count, label: 指标个数}
    group_label: kind
    columns:
      name: {type: text, label: 指标名称, help: 名称}
      key: {type: text, label: 代号, help: 代号, required: false}
      kind: {type: text, label: 指标类型, help: 统计表一栏, required: false}
      category: {type: text, label: 指标类别, help: 绩效指标的类别, required: false}
      weight: {type: number, label: 分值, help: 分值, rollup: sum}
      score: {type: number, label: 得分, help: 得分, rollup: sum}
    computed:
      child_weight: {label: 每个下级指标的分值, help: 各下级指标分值相同时的分值, formula: "same(children.weight)", print: score}
      rate: {label: 得分率, help: 得分 ÷ 分值, formula: "ratio(score, weight)", print: percent}
  tasks:
    type: list
    label: 重点任务
    help: 重点任务和它的指标
    columns:
      name: {type: text, label: 任务名称, help: 名称}
      budget: {type: amount, label: 项目预算, help: 万元}
      indicators:
        type: list
        label: 指标
        help: 指标
        count_by: {column: category, name: indicator_count, label: 指标个数, help: 本任务的指标个数}
        columns:
          category: {type: text, label: 指标类别, help: 产出指标、效益指标, required: false}
          name: {type: text, label: 指标, help: 指标名称}
figures:
  indicator_count: {label: 指标总数, help: 各指标, formula: "scores.total.indicator_count", print: count}
"""

DATA = """\
format: counting
year: 2024
scores:
  - name: 履职效能
    key: performance
    children:
      - name: 产出
        key: output
        kind: 产出指标
        children:
          - {name: 甲, category: 数量指标, weight: 2.5, score: 2.5}
          - {name: 乙, category: 质量指标, weight: 2.5, score: 2}
          - {name: 丙, category: 数量指标, weight: 2.5, score: 2.5}
      - {name: 支出率, key: execution, weight: 10, score: 9}
  - {name: 管理效能, key: management, weight: 50, score: 45}
tasks:
  - name: 任务一
    budget: 100
    indicators:
      - {category: 产出指标, name: 篇数}
      - {category: 效益指标, name: 阅读量}
      - {category: 产出指标, name: 基地}
      - {name: 未分类}
"""

TEMPLATE = [
    "产出{{ scores.output.indicator_count }}个，其中数量指标{{ scores.output.数量指标.indicator_count }}个，"
    "每个{{ scores.output.child_weight|score }}分；共{{ indicator_count }}个。",
    "{% for t in tasks.rows %}{{ t.name }}设{% for g in t.groups.category %}{{ g.value }}{{ g.indicator_count|cn_number }}个"
    "{% if not loop.last %}，{% endif %}{% endfor %}。{% endfor %}",
    "{% for r in scores.grouped.category.rows %}{{ r.group.text if r.group.first else '' }}"
    "|{{ '小计' if r.subtotal else r.item.name }}|{{ r.item.score|score }}/{% endfor %}"
    "合计{{ scores.grouped.category.total.score|score }}",
]


def project(root: Path, data: str = DATA, fmt: str = FORMAT) -> None:
    format_project(root, "counting", fmt, TEMPLATE, data, "dept")


def test_counts_groups_and_same_weight_are_printed(tmp_path, cli_runner):
    project(tmp_path)
    out = tmp_path / "out.docx"
    result = cli_runner.invoke(main, ["build", "dept", "2024", "-o", str(out), "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert text_lines(out) == [
        # 产出: 3 leaves with a category, 2 of them 数量指标; each weighs 2.5; 3 in all (支出率 has none)
        "产出3个，其中数量指标2个，每个2.5分；共3个。",
        # 未分类 has no category: in no group
        "任务一设产出指标二个，效益指标一个。",
        # the leaf children with a category, under their parent's kind; 2.5 + 2 + 2.5 = 7 subtotal
        "产出指标|甲|2.5/|乙|2/|丙|2.5/|小计|7/合计7",
    ]


def test_figures_by_path(tmp_path):
    project(tmp_path)
    item = pipeline.load_declared(pipeline.Project(tmp_path), "dept", 2024)
    values = item.figures.values
    scores, tasks = values["scores"], values["tasks"]
    performance = scores.keyed["performance"]
    # below 履职效能: the three leaves of 产出 (支出率 has no category); a leaf lists nothing
    assert performance["indicator_count"] == 3
    assert scores.keyed["execution"]["indicator_count"] is None
    assert [(g["value"], g["indicator_count"], g["weight"], g["score"]) for g in performance["groups"]["category"]] == [
        ("数量指标", 2, D("5"), D("5")),
        ("质量指标", 1, D("2.5"), D("2")),
    ]
    # the weights of 产出's children differ from 履职效能's (20 vs 10): no common weight
    assert scores.keyed["output"]["child_weight"] == D("2.5")
    assert performance["child_weight"] is None
    (task,) = tasks.rows
    assert task["indicator_count"] == 3 and task["产出指标"]["indicator_count"] == 2
    assert tasks.total["indicator_count"] == 3
    assert item.figures.figures["indicator_count"] == 3


def test_audit_paths_name_the_groups(tmp_path, cli_runner):
    project(tmp_path)
    names = cli_runner.invoke(main, ["figures", "dept", "2024", "--root", str(tmp_path)]).output
    assert "scores.履职效能.产出.数量指标.indicator_count\t2\t评分表 › 履职效能 › 产出 › 数量指标 › 指标个数" in names
    assert "tasks.任务一.效益指标.indicator_count\t1\t重点任务 › 任务一 › 效益指标 › 指标个数" in names
    data = DATA + (
        "reported:\n"
        "  - {figure: scores.output.数量指标.indicator_count, printed: 2个, paragraph: 产出, item: 数量}\n"
        "  - {figure: scores.output.质量指标.score, printed: '2', paragraph: 产出, item: 质量得分}\n"
        "  - {figure: tasks.任务一.产出指标.indicator_count, printed: 三个, paragraph: 任务, item: 产出}\n"
    )
    (tmp_path / "data" / "dept" / "2024.yaml").write_text(data, encoding="utf-8")
    out = cli_runner.invoke(main, ["audit", "dept", "2024", "--root", str(tmp_path)])
    assert out.exit_code == 1
    assert "任务 产出：报告为 三个，按数据计算为 2" in out.output
    assert out.output.splitlines()[-1].endswith("核对 3 个数字：2 个一致，0 个舍入差异，1 个错误")


def test_a_count_typed_in_the_data_is_refused_as_computed(tmp_path, cli_runner):
    project(tmp_path, DATA.replace("    budget: 100\n", "    budget: 100\n    indicator_count: 4\n"))
    out = cli_runner.invoke(main, ["check", "dept", "2024", "--root", str(tmp_path)])
    assert out.exit_code == 1
    assert "tasks[0].indicator_count" in out.output and "指标个数由程序按本任务的指标个数计算" in out.output


def test_declaration_mistakes_are_named(tmp_path, cli_runner):
    bad = FORMAT.replace(
        "count_by: {column: category, name: indicator_count, label: 指标个数}",
        "count_by: {column: weight, name: indicator_count, label: 指标个数}",
    ).replace("name: indicator_count, label: 指标个数, help", "name: budget, label: 指标个数, help")
    project(tmp_path, fmt=bad)
    out = cli_runner.invoke(main, ["check", "dept", "2024", "--root", str(tmp_path)])
    assert out.exit_code == 1
    lines = out.output
    assert "inputs.scores.count_by.column: 应是本表的一个文字或选项列（名称列除外），没有“weight”这一列" in lines
    assert (
        "inputs.tasks.columns.indicators.count_by.name: “budget”与表“重点任务”的列或保留名称重名，请换一个名称" in lines
    )

"""Engine features for spending by economic class (step 2 of issue 10), on a small format.

- ``sum_where(values, words, '文字')``: a column summed over the rows whose text column is a word;
- ``equal`` of two texts (a choice column against a word);
- ``parts: L.COL``: a row's figure written, or the sum of another column of the list inside it;
- ``collect:``: a list made of the items the rows of a table list (where a condition holds; a row
  listing none is an item itself), with a share column printing to exactly 100.00%.
Every figure below is checked by hand in the comments.
"""

from __future__ import annotations

from pathlib import Path

from generator.cli import main
from generator.extract import text_lines

from .conftest import format_project

FORMAT_YAML = """\
name: 经济分类测试格式
unit: 万元
rounding: half_up
zero_division: "—"
inputs:
  spending:
    type: group
    label: 支出决算
    help: 按经济分类
    fields:
      classes:
        type: list
        label: 经济分类
        help: 各类的基本支出和项目支出
        key: key
        columns:
          name: {type: text, label: 经济分类, help: 名称}
          key: {type: text, label: 代号, help: 引用的代号, required: false}
          part: {type: choice, values: [人员经费, 公用经费], label: 所属经费, help: 人员经费或公用经费}
          basic: {type: amount, label: 基本支出, help: 列了明细时由明细合计, parts: details.amount}
          project: {type: amount, label: 项目支出, help: 万元}
          details:
            type: list
            label: 明细
            help: 基本支出的明细
            columns:
              name: {type: text, label: 项目, help: 如 办公费}
              amount: {type: amount, label: 决算数, help: 万元}
        computed:
          share: {label: 占比, help: 本类基本支出 ÷ 合计, formula: "share(basic)", print: percent}
    computed:
      personnel: {label: 人员经费, help: 人员经费各类之和, formula: "sum_where(classes.basic, classes.part, '人员经费')", print: money}
      running: {label: 公用经费, help: 公用经费各类之和, formula: "sum_where(classes.basic, classes.part, '公用经费')", print: money}
collect:
  running:
    label: 公用经费明细
    help: 公用经费各类的明细
    from: spending.classes.details
    where: "equal(part, '公用经费')"
    bare: {amount: basic}
    computed:
      share: {label: 占比, help: 本项 ÷ 合计, formula: "share(amount)", print: percent}
figures:
  detail_total: {label: 明细合计, help: 公用经费明细之和, formula: "running.total.amount", print: money}
"""

DATA_YAML = """\
format: classes
year: 2024
spending:
  classes:
    - {name: 工资福利支出, key: wages, part: 人员经费, basic: 45.77, project: 0}
    - name: 商品和服务支出
      key: goods
      part: 公用经费
      project: 1
      details:
        - {name: 办公费, amount: 1}
        - {name: 印刷费, amount: 1}
    - {name: 对个人和家庭的补助, part: 人员经费, basic: 5.49, project: 0}
    - {name: 资本性支出, part: 公用经费, basic: 1, project: 0}
    - {name: 其他资本性支出, part: 公用经费, basic: 0, project: 0}
reported:
  - {figure: running.办公费.share, table: 明细表, row: 办公费, column: 占比, printed: 33.33%}
  - {figure: running.total.amount, table: 明细表, row: 合计, column: 决算数, printed: "3"}
"""

TEMPLATE = [
    "分类：{% for c in spending.classes.rows %}{{ c.name }}{{ c.basic|money }}/{{ c.share|percent }}；{% endfor %}",
    "经费：{{ spending.personnel|money }}/{{ spending.running|money }}/{{ spending.classes.total.project|money }}",
    "明细：{% for r in running.rows %}{{ r.name }}{{ r.amount|money }}/{{ r.share|percent }}；{% endfor %}"
    "{{ running.total.amount|money }}/{{ running.total.share|percent }}/{{ detail_total|money }}",
    "名称：{{ running|names }}",
]


def write(root: Path, format_yaml: str = FORMAT_YAML, data_yaml: str = DATA_YAML) -> Path:
    return format_project(root, "classes", format_yaml, TEMPLATE, data_yaml, "fenlei")


def run(cli_runner, *args: str):
    return cli_runner.invoke(main, list(args), catch_exceptions=False)


def test_sum_where_parts_of_another_column_and_a_collected_list(tmp_path, cli_runner):
    write(tmp_path)
    out = tmp_path / "out.docx"
    result = run(cli_runner, "build", "fenlei", "2024", "-o", str(out), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert text_lines(out) == [
        # 商品和服务支出 = its details 1 + 1 = 2; basic total 45.77 + 2 + 5.49 + 1 + 0 = 54.26;
        # shares 84.3531%, 3.6860%, 10.1179%, 1.8430%, 0: half-up 84.35 + 3.69 + 10.12 + 1.84 = 100.00
        "分类：工资福利支出45.77/84.35%；商品和服务支出2.00/3.69%；对个人和家庭的补助5.49/10.12%；"
        "资本性支出1.00/1.84%；其他资本性支出0.00/0.00%；",
        # 人员经费 45.77 + 5.49 = 51.26; 公用经费 2 + 1 + 0 = 3; 项目支出 0 + 1 + 0 + 0 + 0 = 1
        "经费：51.26/3.00/1.00",
        # the details of 商品和服务支出, then 资本性支出 (no details: itself, its basic 1); 其他资本性支出 is 0
        # and lists none: no row.  1/3 each: 33.33% × 3 = 99.99%, the first takes the missing unit
        "明细：办公费1.00/33.34%；印刷费1.00/33.33%；资本性支出1.00/33.33%；3.00/100.00%/3.00",
        "名称：办公费、印刷费、资本性支出",
    ]


def test_a_collected_share_is_audited_after_the_adjustment(tmp_path, cli_runner):
    write(tmp_path)
    result = run(cli_runner, "audit", "fenlei", "2024", "--root", str(tmp_path))
    lines = result.output.splitlines()
    # printed 33.33%: the plain half-up share, not the adjusted 33.34% the column needs
    assert "明细表 办公费 占比：报告为 33.33%，按数据计算为 33.34%（舍入差异" in lines[0]
    assert lines[-1].endswith("核对 2 个数字：1 个一致，1 个舍入差异，0 个错误")


def test_names_lists_the_collected_list(tmp_path, cli_runner):
    write(tmp_path)
    result = run(cli_runner, "names", "fenlei", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "running.row['资本性支出'].amount" in result.output
    assert "running.total.share" in result.output


def test_details_and_a_basic_amount_are_refused_together(tmp_path, cli_runner):
    data = write(tmp_path, data_yaml=DATA_YAML.replace("      project: 1\n", "      project: 1\n      basic: 2\n"))
    result = run(cli_runner, "check", "fenlei", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    line = 1 + DATA_YAML.splitlines().index("      project: 1")
    assert (
        f"{data}:{line + 1}: spending.classes[1].basic（支出决算 › 商品和服务支出 › 基本支出）: "
        "所列明细（details）都写了决算数时，基本支出 basic 由各明细合计得出" in result.output
    )


def test_a_missing_basic_amount_without_details(tmp_path, cli_runner):
    data = write(
        tmp_path, data_yaml=DATA_YAML.replace("part: 公用经费, basic: 1, project: 0", "part: 公用经费, project: 0")
    )
    result = run(cli_runner, "check", "fenlei", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    line = 1 + DATA_YAML.splitlines().index("    - {name: 资本性支出, part: 公用经费, basic: 1, project: 0}")
    assert (
        f"{data}:{line}: spending.classes[3].basic（支出决算 › 资本性支出 › 基本支出）: 缺少必填字段" in result.output
    )


def test_equal_compares_two_numbers_or_two_texts(tmp_path, cli_runner):
    write(tmp_path, format_yaml=FORMAT_YAML.replace("equal(part, '公用经费')", "equal(basic, '公用经费')"))
    result = run(cli_runner, "check", "fenlei", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    line = 1 + FORMAT_YAML.splitlines().index("    where: \"equal(part, '公用经费')\"")
    assert (
        f"{tmp_path / 'templates' / 'classes' / 'format.yaml'}:{line}: collect.running.where: "
        "函数 equal 的第 2 个参数：equal 比较两个数，或两段文字（如 equal(part, '公用经费')）"
    ) in result.output


def test_formula_and_collect_errors_are_told_before_data(tmp_path, cli_runner):
    broken = (
        FORMAT_YAML.replace(
            "sum_where(classes.basic, classes.part, '人员经费')", "sum_where(classes.basic, classes.basic, 1)"
        )
        .replace("equal(part, '公用经费')", "equal(basic, '公用经费')")
        .replace("from: spending.classes.details", "from: spending.classes.items")
        .replace("parts: details.amount", "parts: details.sum")
    )
    write(tmp_path, format_yaml=broken)
    result = run(cli_runner, "check", "fenlei", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    folder = tmp_path / "templates" / "classes" / "format.yaml"
    lines = broken.splitlines()

    def at(needle: str) -> int:
        return 1 + next(i for i, l in enumerate(lines) if needle in l)

    out = result.output
    assert (
        f"{folder}:{at('parts: details.sum')}: inputs.spending.fields.classes.columns.basic.parts: 列表“明细”没有“sum”这一列"
        in out
    )
    assert "函数 sum_where 的第 2 个参数应是表格中文字的一列（按它挑选行）" in out
    assert f"{folder}:{at('from: spending')}: collect.running.from: from 应是“表格.行中的列表”" in out

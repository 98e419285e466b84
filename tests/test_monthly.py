"""Monthly execution rates say which months they are: from the month of the first 通报."""

from __future__ import annotations

from decimal import Decimal as D

from generator import diff
from generator.cli import main

from .conftest import edit

RATES = "[136.18, 115.62, 97.71, 111.30, 105.82, 97.69, 108.02, 101.04, 97.44, 99.79]"


def run(cli_runner, project, command="check"):
    return cli_runner.invoke(main, [command, "guangzhou", "2023", "--root", str(project.root)])


def test_the_old_plain_list_is_refused_with_the_form_to_write(cli_runner, project):
    data = project.data_dir / "guangzhou" / "2023.yaml"
    edit(data, f"{{from: 3, rates: {RATES}}}", RATES)
    out = run(cli_runner, project)
    assert out.exit_code == 1
    assert out.output.splitlines() == [
        f"{data}:30: monthly_execution（每月执行率）: 请写明市财政局从几月开始通报：monthly_execution: {{from: 3, rates: [92.5, 101.2, …]}}"
        "；这里有 10 个月，如通报到 12 月为止，则是 from: 3",
        "1 个文件有错误",
    ]


def test_a_month_out_of_the_year_is_refused(cli_runner, project):
    data = project.data_dir / "guangzhou" / "2023.yaml"
    edit(data, "{from: 3, rates:", "{from: 13, rates:")
    out = run(cli_runner, project)
    assert (
        out.output.splitlines()[0]
        == f"{data}:30: monthly_execution.from（每月执行率 › 起始月份）: 不能大于 12，得到 13"
    )


def test_a_zero_month_and_more_months_than_the_year_has_left_are_warnings(cli_runner, project):
    data = project.data_dir / "guangzhou" / "2023.yaml"
    # two months of 0 padded in front, as a clerk filling January and February would
    edit(data, f"{{from: 3, rates: {RATES}}}", f"{{from: 3, rates: [0, 0, {RATES[1:]}}}")
    out = run(cli_runner, project)
    assert out.exit_code == 0
    zero = "的执行率是 0：市财政局没有通报的月份不要写（写了也计入月份数 n，拉低平均执行率），请核对"
    assert out.output.splitlines() == [
        f"{data}:30: monthly_execution.rates（每月执行率）: 警告：写了 12 个月的执行率，但从 3 月到 12 月只有 10 个月；"
        "多写的月份会计入月份数 n、改变平均执行率，请核对 from 和各月的数字",
        f"{data}:30: monthly_execution.rates[0]（每月执行率 › 3月）: 警告：3月{zero}",
        f"{data}:30: monthly_execution.rates[1]（每月执行率 › 4月）: 警告：4月{zero}",
        f"{data}: 通过（3 条警告）",
    ]
    # still built
    assert run(cli_runner, project, "build").exit_code == 0
    # and written from January, the same twelve values are as many months as the year has
    edit(data, "{from: 3, rates: [0, 0,", "{from: 1, rates: [0, 0,")
    out = run(cli_runner, project)
    assert [line for line in out.output.splitlines() if "12 个月" in line] == []


def test_diff_pairs_months_by_name(yoy_project):
    # 2022's 通报 starts in March; say 2023's starts in April (its first rate then is April's)
    data = yoy_project.data_dir / "guangzhou" / "2023.yaml"
    edit(data, f"{{from: 3, rates: {RATES}}}", f"{{from: 4, rates: [{RATES[9:]}}}")
    result = diff.compare(yoy_project, "guangzhou", 2022, 2023)
    months = {f.id: f for f in result.figures if f.id.startswith(("monthly_execution/", "monthly_"))}
    # 2022: 147.27 (3月), 122.5 (4月) …; 2023 without 136.18: 115.62 is April's
    assert (months["monthly_execution/4月"].a, months["monthly_execution/4月"].b) == (D("122.5"), D("115.62"))
    assert (months["monthly_execution/3月"].a, months["monthly_execution/3月"].b) == (D("147.27"), None)
    assert months["monthly_execution/3月"].status == diff.REMOVED
    assert (months["monthly_execution/from"].a, months["monthly_execution/from"].b) == (3, 4)
    assert (months["monthly_n"].a, months["monthly_n"].b) == (10, 9)

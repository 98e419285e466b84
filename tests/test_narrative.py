"""Figure references in narrative paragraphs: only names, fields and our filters, checked here."""

from __future__ import annotations

import time

import pytest

from generator import pipeline
from generator.errors import DataError
from generator.extract import text_lines

from .conftest import ROOT, edit

PARAGRAPH = "本指标得分{{ scores.execution.score|score }}分。"  # text.execution_result[0]


def line_of(text: str) -> int:
    """The line of data/guangzhou/2023.yaml that holds ``text``."""
    lines = (ROOT / "data" / "guangzhou" / "2023.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


L = line_of(PARAGRAPH)


def problems(project) -> list[str]:
    data = project.data_path("guangzhou", 2023)
    start = time.monotonic()
    with pytest.raises(DataError) as info:
        pipeline.check(project, "guangzhou", 2023)
    assert time.monotonic() - start < 5
    lines = str(info.value).splitlines()
    assert all(line.startswith(f"{data}:") for line in lines), lines
    return [line[len(f"{data}:") :] for line in lines]


def refused(project, reference: str) -> str:
    edit(project.data_path("guangzhou", 2023), PARAGRAPH, reference)
    [line] = problems(project)
    assert line.startswith(f"{L}: text.execution_result[0]（部门预算资金支出率得分及小结）: "), line
    return line[len(f"{L}: text.execution_result[0]（部门预算资金支出率得分及小结）: ") :]


@pytest.mark.parametrize(
    "reference",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ scores.__dict__ }}",
        "{{ scores['__class__'] }}",
        "{{ dept.name.upper() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ 9**9**9**9 }}",
        "{{ 'x' * 1000000000 }}",
        "{{ scores.total.score + 1 }}",
        "{{ lipsum(100000) }}",
        "{{ range(10**9)|list }}",
        "{{ range(10**100)|list }}",
        "{{ range(10**100)|length }}",
        "{{ dept.name|attr('__class__') }}",
        "{{ scores.total.score|money(1000000000) }}",
        "{{ ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((( 1 }}",
    ],
)
def test_anything_but_a_reference_is_refused_quickly(project, reference):
    assert refused(project, reference)


@pytest.mark.parametrize(
    "reference",
    [
        "{% for i in range(10**9) %}x{% endfor %}",
        "{% for i in range(10**100) %}x{% endfor %}",
        "{% set x = 1 %}",
        "{# 注释 #}",
    ],
)
def test_statements_and_comments_are_refused(project, reference):
    assert refused(project, reference).startswith("文字中不能写 {")


@pytest.mark.parametrize(
    "reference, message",
    [
        (
            "{{ scores.managment.score|score }}",
            "“{{ scores.managment.score|score }}”：“scores”下没有“managment”（可用：total、grade、performance、output、benefit、execution、management）",
        ),
        (
            "{{ scor.total }}",
            "“{{ scor.total }}”：没有“scor”这个名称（可用：year、dept、unit、staffing、spending、scores、grade、monthly、key_task_count、indicator_count）",
        ),
        (
            "{{ scores.output }}",
            "“{{ scores.output }}”：“scores.output”是一组内容，不是一个数字；请写到具体的字段（可用：name、key、level、weight、score、indicator_count、children、rate）",
        ),
        (
            "{{ dept.name|money }}",
            "“{{ dept.name|money }}”：过滤器 money 要用于数字，得到 “中共广州市委网络安全和信息化委员会办公室”",
        ),
        (
            "{{ scores.total.score|money(99) }}",
            "“{{ scores.total.score|money(99) }}”：过滤器 money 的小数位数应为 0 到 10 的整数，得到 99",
        ),
        (
            "{{ scores.total.score|round }}",
            "“{{ scores.total.score|round }}”：没有“round”这个过滤器（可用：money、percent、points、score、plain、rmb_upper、cn_number、cn_ordinal、cn_date）",
        ),
        (
            "{{ monthly_execution.rates[20] }}",
            "“{{ monthly_execution.rates[20] }}”：“monthly_execution.rates”只有 10 项，没有第 20 项（从 0 数起）",
        ),
        (
            "{{ scores.total.score",
            "“{{ … }}”写法有误（unexpected end of template, expected 'end of print statement'.）。引用数字请写成 {{ 名称.字段|过滤器 }}，如 {{ scores.total.score|score }}；如要原样印出“{{”，请写成 {{ '{{' }}",
        ),
    ],
)
def test_mistakes_are_named(project, reference, message):
    got = refused(project, reference)
    if "（可用：" in message:  # the lists of names grow with the formats: compare the start of each
        head = message.split("（可用：")[0]
        assert got.startswith(head + "（可用："), got
        assert set(message.split("（可用：")[1].rstrip("）").split("、")) <= set(
            got.split("（可用：")[1].rstrip("）").split("、")
        )
    else:
        assert got == message


def test_a_missing_figure_is_named_not_printed_as_none(project):
    data = project.data_path("guangzhou", 2023)
    edit(data, "  authorized: 118      # 编制人数\n", "")
    edit(data, PARAGRAPH, "编制{{ staffing.authorized }}人")
    assert problems(project) == [
        f"{L - 1}: text.execution_result[0]（部门预算资金支出率得分及小结）: “{{{{ staffing.authorized }}}}”：“staffing.authorized”没有数值（数据中没有填写这一项）"
    ]


def test_every_bad_reference_is_reported_at_once(project):
    data = project.data_path("guangzhou", 2023)
    edit(data, PARAGRAPH, "{{ a }}")
    edit(data, "共计得分{{ scores.performance.score|score }}分。", "{{ b }}")
    assert [line.split(":")[0] for line in problems(project)] == [str(L), str(L + 1)]


def test_literal_braces_and_references_print(project):
    data = project.data_path("guangzhou", 2023)
    edit(
        data,
        PARAGRAPH,
        "写法：{{ '{{' }} 与 {{ '}}' }}，{ 单个花括号 }；{{ year }}年{{ scores['total'].score|score }}分{{ monthly_execution.rates[0]|percent }}",
    )
    out = pipeline.build(project, "guangzhou", 2023)
    assert "写法：{{ 与 }}，{ 单个花括号 }；2023年95.5分136.18%" in text_lines(out)


def test_rate_change_words_a_rate_by_its_sign(project):
    # 增长/下降 + the rate without its sign, as a sentence about 增减率 needs; an undefined rate prints as
    # the format's zero-division mark (—)
    data = project.data_path("guangzhou", 2023)
    edit(
        data,
        PARAGRAPH,
        "预算{{ spending.total.adjustment_rate|rate_change('上调', '下调') }}，"
        "基本支出{{ spending.基本支出.adjustment_rate|rate_change }}，"
        "基建{{ spending.基本建设类项目.adjustment_rate|rate_change }}",
    )
    out = pipeline.build(project, "guangzhou", 2023)
    assert "预算上调0.93%，基本支出增长0.79%，基建—" in text_lines(out)


def test_rate_change_and_the_refusal_of_change_on_a_rate(project):
    from decimal import Decimal as D

    from generator.filters import FigureError, make_filters
    from generator.formats import load_format

    filters = make_filters(load_format(project.templates_dir, "guangzhou-2024").settings)
    assert filters["rate_change"](D("-0.129849")) == "下降12.98%"
    assert filters["rate_change"](D("0.0214")) == "增长2.14%"
    assert filters["rate_change"](D("0.00004")) == "持平"  # 0.004% prints as 0.00%
    assert filters["rate_change"](D("-0.05"), "上升", "减少") == "减少5.00%"
    with pytest.raises(FigureError) as info:
        filters["change"](D("0.0214"), "%")
    assert (
        str(info.value) == '过滤器 change 只用于金额（change("%") 会把比率印错）；增减率请用 rate_change，如 增长2.14%'
    )

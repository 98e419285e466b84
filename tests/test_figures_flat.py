"""Flattening a report into named figures: generic over the schema, named by meaning."""

from __future__ import annotations

from decimal import Decimal as D

from generator import pipeline
from generator.figures_flat import AMOUNT, COMPUTED, COUNT, INPUT, PERCENT, RATE, SCORE, flatten, label, normalise_name
from generator.schema import Amount, Model, Report

from .conftest import ROOT


def flat_2023():
    item = pipeline.load_report(pipeline.Project(ROOT), "guangzhou", 2023)
    return item, {f.id: f for f in flatten(item.report, pipeline.compute_report(item))}


def test_inputs_and_computed_figures_are_named_by_path():
    _, flats = flat_2023()
    leaf = flats["spending/基本支出/人员经费/initial"]
    assert (leaf.value, leaf.kind, leaf.source) == (D("4118.22"), AMOUNT, INPUT)
    assert leaf.label == "支出 › 基本支出 › 人员经费 › 年初预算"
    parent = flats["spending/基本支出/adjusted"]
    assert (parent.value, parent.source) == (D("4542.55"), COMPUTED)
    assert flats["spending/本年支出合计/execution_rate"].kind == RATE
    assert flats["monthly_execution/第1项"].kind == PERCENT
    assert flats["monthly_execution/average"].value == D("0.99263")
    assert flats["scoring/管理效能/score"].kind == SCORE
    assert flats["scoring/管理效能/score"].alias == ("scoring", "management", "score")
    assert flats["staffing/actual"].label == "人员 › 实有人数"
    assert flats["key_task_count"].kind == COUNT
    assert flats["scoring/grade"].value == "优"
    assert not any(f.startswith(("text", "department", "year", "format")) for f in flats)


def test_a_section_added_to_the_schema_later_is_flattened():
    class Expense(Model):
        name: str
        amount: Amount
        previous: Amount | None = None

    class Extended(Report):
        sangong: tuple[Expense, ...] = ()

    item, _ = flat_2023()
    data = item.report.model_dump()
    data["sangong"] = [{"name": "公务接待费", "amount": "1.50", "previous": "2"}, {"name": "公务接待费", "amount": "3"}]
    flats = {f.id: f for f in flatten(Extended.model_validate(data))}
    assert flats["sangong/公务接待费/amount"].value == D("1.50")
    assert flats["sangong/公务接待费/previous"].kind == AMOUNT
    assert flats["sangong/公务接待费#2/amount"].value == D("3")  # same name twice: told apart, not dropped


def test_names_compare_without_numbering_or_spacing():
    assert normalise_name("一、基本支出") == normalise_name("基本支出") == normalise_name(" 基本 支出")
    assert normalise_name("（二）项目支出") == "项目支出"
    assert label(("spending", "本年支出合计", "adjustment_rate")) == "支出 › 本年支出合计 › 预算调整率"

"""The data model of a report's YAML file (pydantic).

Inputs only: no total, subtotal, rate, score rate, average or grade can be
written here.  ``extra="forbid"`` everywhere, so a misspelt field is reported
instead of silently ignored.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from .load import split_paragraphs
from .reported_entry import Model, Reported, SafeStr, _xml_safe  # noqa: F401 - the models' base and reported: entries


def _paragraphs(value: Any) -> Any:
    """A narrative block: one paragraph per non-blank line (see :func:`split_paragraphs`)."""
    if isinstance(value, str):
        return tuple(text for _offset, text in split_paragraphs(value))
    if isinstance(value, list):
        return tuple(value)
    return value


def _no_float(value: Any) -> Any:
    if isinstance(value, float):  # never produced by our loader; refuse anyway
        raise ValueError("金额不能是浮点数")
    if isinstance(value, bool):
        raise ValueError(f"应为数字，得到 {str(value).lower()}")
    return value


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"应为整数，得到 {str(value).lower()}")
    return value


def _percent_number(value: Any) -> Any:
    """Accept ``136.18`` or ``"136.18%"`` for a rate written in percent."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return value.strip()[:-1]
    return value


Text = Annotated[tuple[SafeStr, ...], BeforeValidator(_paragraphs)]
Amount = Annotated[Decimal, BeforeValidator(_no_float), Field(allow_inf_nan=False, max_digits=20, decimal_places=6)]
Points = Annotated[
    Decimal, BeforeValidator(_no_float), Field(allow_inf_nan=False, max_digits=20, decimal_places=6, ge=0)
]
PercentNumber = Annotated[
    Decimal, BeforeValidator(_percent_number), BeforeValidator(_no_float), Field(allow_inf_nan=False, max_digits=12)
]
Count = Annotated[int, BeforeValidator(_no_bool), Field(ge=0, le=10_000_000)]


class Department(Model):
    """Who reports."""

    name: SafeStr = Field(min_length=1)
    short_name: SafeStr = Field(min_length=1)
    self_name: SafeStr = "我单位"


class StaffKind(Model):
    """One kind of post: authorised posts (编制数) and staff in post (实有人数)."""

    name: SafeStr
    authorized: Count | None = None
    actual: Count


class Staffing(Model):
    """编制 and 实有; totals may be given directly or follow from ``kinds``."""

    as_of: _dt.date | None = None
    authorized: Count | None = None
    actual: Count | None = None
    kinds: tuple[StaffKind, ...] = ()


class BudgetLine(Model):
    """A row of a budget/spending table; a parent's figures are the sum of its children."""

    name: SafeStr
    initial: Amount | None = None
    adjusted: Amount | None = None
    actual: Amount | None = None
    children: tuple[BudgetLine, ...] = ()


class ScoreNode(Model):
    """A scoring block or indicator: weight (分值) and score (得分); parents sum their children.

    ``name: ~`` is a level the source does not name (printed empty).  A weight or
    score may be left out where its parts (``children`` or ``indicators``) give it;
    where both are written, they must agree (``reportgen check``).
    """

    name: SafeStr | None
    key: SafeStr | None = None
    weight: Points | None = None
    score: Points | None = None
    indicator_count: Count | None = None
    examples: SafeStr | None = None
    children: tuple[ScoreNode, ...] = ()
    # An indicator (指标) is a leaf with a category (二级指标, e.g. 产出数量指标, 社会效益指标).
    category: SafeStr | None = None
    indicators: tuple[Indicator, ...] = ()
    indicator_type: SafeStr | None = None  # 统计表“指标类型”列，如“产出指标”


MONTHLY_FORM = "monthly_execution: {from: 3, rates: [92.5, 101.2, …]}"


class MonthlyExecution(Model):
    """每月一般公共预算支出执行率 as the finance bureau's 通报 gives them.

    ``from`` is the month of the first 通报 (1–12); ``rates`` are the months from
    it on, in order, in percent (``136.18`` = 136.18%).  The average divides by
    the number of rates (n, 自通报之月起的通报月份数量).
    """

    first_month: int = Field(alias="from", ge=1, le=12)
    rates: tuple[PercentNumber, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _months_named(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            n = len(value)
            guess = f"；这里有 {n} 个月，如通报到 12 月为止，则是 from: {13 - n}" if 1 <= n <= 12 else ""
            raise ValueError(f"请写明市财政局从几月开始通报：{MONTHLY_FORM}{guess}")
        return value


class Item(Model):
    """A titled list item: a problem or a measure."""

    title: SafeStr
    text: Text = ()


class Report(Model):
    """One department's report for one year."""

    format: SafeStr = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    year: int = Field(ge=2000, le=2100)
    department: Department
    staffing: Staffing | None = None
    spending: tuple[BudgetLine, ...] = ()
    monthly_execution: MonthlyExecution | None = None
    key_task_count: Count | None = None
    scoring: tuple[ScoreNode, ...] = ()
    text: dict[str, Text] = {}
    problems: tuple[Item, ...] = ()
    measures: tuple[Item, ...] = ()
    work_items: tuple[Item, ...] = ()
    # --- 广州 2023 edition (seed 001) ---
    key_tasks: tuple[KeyTask, ...] = ()
    achievements: tuple[Item, ...] = ()
    # Hunan county format (seed 003)
    final_accounts: FinalAccounts | None = None
    initial_projects: AmountItems = ()  # 年初预算项目资金
    three_public: AmountItems = ()  # "三公"经费：本年与上年
    headcount: Headcount | None = None
    self_grade: SafeStr | None = None  # 自评等级 as declared (no score given)
    signature: Signature | None = None
    reported: tuple[Reported, ...] = ()
    annexes: tuple[AnnexRef, ...] | None = None
    # the title's lines, when the default break (generator/title.py) is not wanted
    title_lines: tuple[Annotated[SafeStr, Field(min_length=1)], ...] | None = Field(default=None, min_length=1)


# --- 广州 2023 edition (seed 001): key tasks and their indicators ---------------


class Indicator(Model):
    """A 绩效指标 with its target (年度指标值) and achieved value (实际完成值), as printed.

    Used in a key task's analysis and in the 指标完成情况统计表; what the source does not
    print stays empty.  ``target_label`` and ``actual_label`` are the words that introduce
    each value in a sentence: 「{name}，{target_label}{target}，{actual_label}{actual}」.
    """

    name: SafeStr | None = None
    category: SafeStr | None = None
    target: SafeStr | None = None  # 年度指标值, as printed
    actual: SafeStr | None = None  # 实际完成值, as printed
    weight: Amount | None = None
    score: Amount | None = None
    target_label: SafeStr = "预计"
    actual_label: SafeStr = "实际完成"


class KeyTask(Model):
    """A key task (重点任务): its project budget and spending, and its indicators."""

    name: SafeStr = Field(min_length=1)
    text: Text = ()
    budget: Amount | None = None
    actual: Amount | None = None
    indicators: tuple[Indicator, ...] = ()


# --- Hunan county format (seed 003): final accounts by economic class, "三公"经费, headcount ---
# Added for 湖南县级 部门整体支出绩效评价报告; generic enough for other formats that print a
# 预算/决算 comparison, spending by economic class, or lists of named amounts.


def _unique_keys(items: tuple[AmountItem, ...]) -> tuple[AmountItem, ...]:
    seen: set[str] = set()
    for item in items:
        if item.key is not None:
            if item.key in seen:
                raise ValueError(f"代号“{item.key}”重复，每项的 key 应各不相同")
            seen.add(item.key)
    return items


class AmountItem(Model):
    """A named amount in a list (a project fund, a "三公" item, a running-cost item).

    ``previous`` is last year's amount where the report compares with last year.
    """

    name: SafeStr = Field(min_length=1)
    key: SafeStr | None = None
    amount: Amount
    previous: Amount | None = None


AmountItems = Annotated[tuple[AmountItem, ...], AfterValidator(_unique_keys)]


class EconomicClass(Model):
    """One economic class of spending (支出经济分类) in the final accounts (决算数).

    ``basic`` is what the class spent under 基本支出, ``project`` under 项目支出.
    ``part`` says which part of 基本支出 the class belongs to (工资福利支出 and
    对个人和家庭的补助 are 人员经费; 商品和服务支出 and 资本性支出 are 公用经费).
    When ``items`` detail the basic amount, ``basic`` is their sum and is not written.
    """

    name: SafeStr = Field(min_length=1)
    key: SafeStr | None = None
    part: Literal["人员经费", "公用经费"]
    basic: Amount | None = None
    project: Amount
    items: AmountItems = ()

    @model_validator(mode="after")
    def _basic_or_items(self) -> EconomicClass:
        if self.items and self.basic is not None:
            raise ValueError(f"“{self.name}”列了明细，基本支出由明细合计得出，不要再写 basic")
        if not self.items and self.basic is None:
            raise ValueError(f"“{self.name}”缺少基本支出金额 basic（或列出明细 items）")
        return self


class SpendingBudget(Model):
    """年初预算 of spending: 基本支出 (人员经费 + 公用经费) and 项目支出."""

    personnel: Amount
    running: Amount
    project: Amount


def _unique_class_keys(classes: tuple[EconomicClass, ...]) -> tuple[EconomicClass, ...]:
    seen: set[str] = set()
    for c in classes:
        for name in (c.name, c.key):
            if name is not None and name in seen:
                raise ValueError(f"经济分类“{name}”重复")
        seen.update(n for n in (c.name, c.key) if n is not None)
    return classes


class FinalAccounts(Model):
    """整体收支预决算: income 预算 (``initial``) and 决算 (``actual``), the spending budget,
    and spending 决算 by economic class.  Every total, 人员经费/公用经费 决算, 年末结转结余
    (收入合计 − 支出合计) and 差异率 is computed.
    """

    income: tuple[BudgetLine, ...] = Field(min_length=1)
    budget: SpendingBudget
    by_class: Annotated[tuple[EconomicClass, ...], AfterValidator(_unique_class_keys)] = Field(min_length=1)
    project_carry_over: Amount | None = None  # 年末结转和结余中的项目资金


class Headcount(Model):
    """Counts a Hunan report states beside 编制 and 在职 (which are in ``Staffing``)."""

    retired: Count = 0  # 离退休人数
    survivors: Count = 0  # 遗属补助人数
    cars: Count | None = None  # 小车编制数（台）


class Signature(Model):
    """The closing signature block: unit name and date."""

    unit: SafeStr = Field(min_length=1)
    date: _dt.date


class AnnexRef(Model):
    """An annex (附件) of the report: which one (a key the format knows) and its title."""

    key: SafeStr
    title: SafeStr | None = None


ScoreNode.model_rebuild()
Report.model_rebuild()

"""Every derived figure of a report, computed from the inputs.

Pure functions: data in, figures out; no I/O, no Jinja, no formatting.  All
values are ``Decimal``; a rate whose denominator is zero is ``None`` (what it
prints is a format setting).  Rates are kept unrounded here: rounding happens
once, when a figure is formatted, with the rule the format declares.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .formats import FormatSettings
from .formatting import ratio
from .schema import (
    AmountItem,
    BudgetLine,
    EconomicClass,
    FinalAccounts,
    Headcount,
    Indicator,
    KeyTask,
    Report,
    ScoreNode,
    Staffing,
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def change_rate(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """(本年 − 上年) ÷ 上年; also 差异率 = (决算 − 预算) ÷ 预算."""
    if current is None or previous is None:
        return None
    return ratio(Decimal(current) - Decimal(previous), previous)


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


# --- budget and spending tables -------------------------------------------------


@dataclass(frozen=True)
class LineFigures:
    """A budget row with its derived figures."""

    name: str
    level: int  # 0 = total row, 1 = 一、 rows, 2 = their items
    initial: Decimal | None
    adjusted: Decimal | None
    actual: Decimal | None
    execution_base: str = "adjusted"
    children: tuple[LineFigures, ...] = ()

    @property
    def adjustment(self) -> Decimal | None:
        """调整金额 = 调整后预算 − 年初预算."""
        if self.adjusted is None or self.initial is None:
            return None
        return self.adjusted - self.initial

    @property
    def adjustment_rate(self) -> Decimal | None:
        """预算调整率 = 调整金额 ÷ 年初预算."""
        return ratio(self.adjustment, self.initial)

    @property
    def execution_rate(self) -> Decimal | None:
        """实际支出率 / 预算执行率 = 决算数 ÷ 调整后预算 (or ÷ 年初预算, as the format says)."""
        base = self.initial if self.execution_base == "initial" else self.adjusted
        return ratio(self.actual, base)

    @property
    def difference_rate(self) -> Decimal | None:
        """差异率 = (决算 − 预算) ÷ 预算, with 预算 = 年初预算."""
        return change_rate(self.actual, self.initial)

    def rows(self) -> Iterator[LineFigures]:
        """This row's descendants in reading order (not the row itself)."""
        for child in self.children:
            yield child
            yield from child.rows()

    def __getitem__(self, name: str) -> LineFigures:
        """``row["人员经费"]``: the descendant row called ``name``."""
        return self.find(name)

    def find(self, name: str) -> LineFigures:
        """The descendant row called ``name``."""
        for row in self.rows():
            if row.name == name:
                return row
        raise KeyError(name)


def compute_line(line: BudgetLine, level: int = 1, execution_base: str = "adjusted") -> LineFigures:
    """A row's figures; a row with children takes the sums of its children."""
    children = tuple(compute_line(c, level + 1, execution_base) for c in line.children)
    if children:
        initial = _sum(c.initial for c in children)
        adjusted = _sum(c.adjusted for c in children)
        actual = _sum(c.actual for c in children)
    else:
        initial, adjusted, actual = line.initial, line.adjusted, line.actual
    return LineFigures(line.name, level, initial, adjusted, actual, execution_base, children)


def compute_table(
    lines: Iterable[BudgetLine], total_name: str = "合计", execution_base: str = "adjusted"
) -> LineFigures:
    """The total row of a table whose top-level rows are ``lines``."""
    return compute_line(BudgetLine(name=total_name, children=tuple(lines)), 0, execution_base)


# --- scores ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreFigures:
    """A scoring block or indicator with its derived figures.

    ``weight`` and ``score`` are the sums of the parts (children, or indicators)
    when every part has one, otherwise the figure the data states, otherwise
    ``None`` (unknown).
    """

    name: str | None
    key: str | None
    level: int
    weight: Decimal | None
    score: Decimal | None
    indicator_count: int | None = None
    examples: str | None = None
    children: tuple[ScoreFigures, ...] = ()
    category: str | None = None
    indicators: tuple[Indicator, ...] = ()
    indicator_type: str | None = None

    @property
    def rate(self) -> Decimal | None:
        """得分率 = 得分 ÷ 分值."""
        return ratio(self.score, self.weight)

    def rows(self) -> Iterator[ScoreFigures]:
        for child in self.children:
            yield child
            yield from child.rows()

    # --- 广州 2023 edition (seed 001): indicators listed as children ---

    @property
    def is_indicator(self) -> bool:
        """An indicator is a leaf with a category."""
        return self.category is not None and not self.children

    @property
    def category_counts(self) -> dict[str, int]:
        """How many indicators of each category lie below this node: ``{"产出数量指标": 7, …}``."""
        counts: dict[str, int] = {}
        for row in self.leaf_indicators():
            if row.category is not None:  # always: an indicator is a leaf with a category
                counts[row.category] = counts.get(row.category, 0) + 1
        return counts

    def leaf_indicators(self, category: str | None = None) -> tuple[ScoreFigures, ...]:
        """The indicators below this node (of one ``category`` if given), in order."""
        return tuple(r for r in self.rows() if r.is_indicator and (category is None or r.category == category))

    @property
    def children_weight(self) -> Decimal | None:
        """Σ 分值 of the children (should equal this node's 分值); ``None`` when a child's 分值 is unknown."""
        weights = [c.weight for c in self.children]
        known = [w for w in weights if w is not None]
        return sum(known, ZERO) if len(known) == len(weights) else None

    @property
    def child_weight(self) -> Decimal | None:
        """The 分值 every child has, or ``None`` when the children's 分值 differ."""
        weights = {c.weight for c in self.children}
        return weights.pop() if len(weights) == 1 else None


def _parts_sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the parts when there are parts and every part is known."""
    parts = list(values)
    known = [v for v in parts if v is not None]
    if not parts or len(known) < len(parts):
        return None
    return sum(known, ZERO)


def compute_score(node: ScoreNode, level: int = 1) -> ScoreFigures:
    """A node's weight and score: the sums of its parts when all are known, else as stated."""
    children = tuple(compute_score(c, level + 1) for c in node.children)
    if children:
        weight = _parts_sum(c.weight for c in children)
        score = _parts_sum(c.score for c in children)
    else:
        weight = _parts_sum(i.weight for i in node.indicators)
        score = _parts_sum(i.score for i in node.indicators)
    weight = node.weight if weight is None else weight
    score = node.score if score is None else score
    # indicator_count: as typed, or the number of indicators listed under the node
    listed = len(node.indicators) or sum(1 for c in children if c.is_indicator)
    count = node.indicator_count if node.indicator_count is not None else (listed or None)
    return ScoreFigures(
        node.name,
        node.key,
        level,
        weight,
        score,
        count,
        node.examples,
        children,
        node.category,
        node.indicators,
        node.indicator_type,
    )


@dataclass(frozen=True)
class Scores:
    """The whole scoring: blocks, total and grade."""

    total: ScoreFigures
    grade: str | None
    by_key: dict[str, ScoreFigures] = field(default_factory=dict)

    @property
    def blocks(self) -> tuple[ScoreFigures, ...]:
        return self.total.children

    def weight_share(self, block: ScoreFigures) -> Decimal | None:
        """权重(%) of a block: its weight as a share of the total weight."""
        return ratio(block.weight, self.total.weight)

    def weight_percent(self, block: ScoreFigures) -> Decimal | None:
        """权重(%) as a percent number (50 for a block of 50 out of 100 points)."""
        share = self.weight_share(block)
        return None if share is None else share * HUNDRED

    def __getitem__(self, key: str) -> ScoreFigures:
        return self.by_key[key]


def grade_for(total: Decimal, settings: FormatSettings) -> str | None:
    """The grade word of the first band whose minimum the score reaches."""
    for band in sorted(settings.grades, key=lambda g: g.min, reverse=True):
        if total >= band.min:
            return band.word
    return None


def compute_scores(nodes: Iterable[ScoreNode], settings: FormatSettings) -> Scores:
    blocks = tuple(compute_score(n) for n in nodes)
    total = ScoreFigures(
        "合计", "total", 0, _parts_sum(b.weight for b in blocks), _parts_sum(b.score for b in blocks), children=blocks
    )
    by_key = {row.key: row for row in total.rows() if row.key}
    grade = grade_for(total.score, settings) if total.score is not None else None
    return Scores(total, grade, by_key)


# --- monthly execution ----------------------------------------------------------


def month_labels(first_month: int | None, n: int) -> tuple[str, ...]:
    """``("3月", "4月", …)`` for ``n`` monthly figures from ``first_month``; past December ``第11项``."""
    if first_month is None:
        return tuple(f"第{i + 1}项" for i in range(n))
    return tuple(f"{first_month + i}月" if first_month + i <= 12 else f"第{i + 1}项" for i in range(n))


@dataclass(frozen=True)
class Monthly:
    """一般公共预算支出年度平均执行率 from the monthly rates (in percent)."""

    values: tuple[Decimal, ...]
    cap: Decimal | None
    first_month: int | None = None  # the month of the first 通报: values[0] is this month's

    @property
    def months(self) -> tuple[str, ...]:
        """The month of each value: ``("3月", "4月", …)``."""
        return month_labels(self.first_month, len(self.values))

    @property
    def counted(self) -> tuple[Decimal, ...]:
        """Each month as counted: above the cap it counts as the cap."""
        if self.cap is None:
            return self.values
        return tuple(min(v, self.cap) for v in self.values)

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def average(self) -> Decimal | None:
        """Σ counted monthly rate ÷ n, as a fraction (0.9926 = 99.26%)."""
        if not self.values:
            return None
        return sum(self.counted, ZERO) / self.n / HUNDRED

    @property
    def average_uncapped(self) -> Decimal | None:
        if not self.values:
            return None
        return sum(self.values, ZERO) / self.n / HUNDRED

    @property
    def counted_fractions(self) -> tuple[Decimal, ...]:
        return tuple(v / HUNDRED for v in self.counted)


def compute_monthly(report: Report, settings: FormatSettings) -> Monthly:
    monthly = report.monthly_execution
    if monthly is None:
        return Monthly((), settings.monthly_cap)
    return Monthly(monthly.rates, settings.monthly_cap, monthly.first_month)


# --- staffing -------------------------------------------------------------------


@dataclass(frozen=True)
class StaffFigures:
    authorized: int | None
    actual: int | None

    @property
    def control_rate(self) -> Decimal | None:
        """财政在职人员控制率 = 实有在职人数 ÷ 编制数."""
        return ratio(self.actual, self.authorized)


def compute_staffing(staffing: Staffing) -> StaffFigures:
    """Totals as stated, or the sums of the kinds when not stated."""
    authorized = staffing.authorized
    actual = staffing.actual
    if staffing.kinds:
        if authorized is None:
            authorized = sum(k.authorized or 0 for k in staffing.kinds)
        if actual is None:
            actual = sum(k.actual for k in staffing.kinds)
    return StaffFigures(authorized, actual)


# --- everything -----------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """All derived figures of one report."""

    spending: LineFigures | None
    scores: Scores
    monthly: Monthly
    staffing: StaffFigures | None
    indicator_count: int
    key_tasks: tuple[KeyTaskFigures, ...] = ()
    # Hunan county format (seed 003)
    final: FinalFigures | None = None
    initial_projects: ItemsFigures | None = None
    three_public: ItemsFigures | None = None
    headcount: HeadcountFigures | None = None


def compute(report: Report, settings: FormatSettings) -> Figures:
    """Compute every derived figure of ``report`` under the format's ``settings``."""
    spending = compute_table(report.spending, "本年支出合计", settings.execution_base) if report.spending else None
    scores = compute_scores(report.scoring, settings)
    indicator_count = sum(row.indicator_count or 0 for row in scores.total.rows())
    return Figures(
        spending=spending,
        scores=scores,
        monthly=compute_monthly(report, settings),
        staffing=compute_staffing(report.staffing) if report.staffing else None,
        indicator_count=indicator_count,
        key_tasks=tuple(compute_key_task(t) for t in report.key_tasks),
        **compute_hunan(report),
    )


# --- 广州 2023 edition (seed 001): key tasks ------------------------------------


@dataclass(frozen=True)
class IndicatorGroup:
    """The indicators of one category (产出指标, 效益指标…), in the order given."""

    category: str | None
    indicators: tuple[Indicator, ...]

    @property
    def count(self) -> int:
        return len(self.indicators)


@dataclass(frozen=True)
class KeyTaskFigures:
    """A key task (重点任务) with its derived figures."""

    name: str
    budget: Decimal | None
    actual: Decimal | None
    indicators: tuple[Indicator, ...] = ()

    @property
    def execution_rate(self) -> Decimal | None:
        """预算执行率 = 支出 ÷ 项目预算."""
        return ratio(self.actual, self.budget)

    @property
    def groups(self) -> tuple[IndicatorGroup, ...]:
        """Indicators grouped by category, categories in order of first appearance."""
        order: dict[str | None, list[Indicator]] = {}
        for indicator in self.indicators:
            order.setdefault(indicator.category, []).append(indicator)
        return tuple(IndicatorGroup(category, tuple(items)) for category, items in order.items())

    def count(self, category: str | None = None) -> int:
        """How many indicators (of one ``category`` if given)."""
        return sum(1 for i in self.indicators if category is None or i.category == category)


def compute_key_task(task: KeyTask) -> KeyTaskFigures:
    return KeyTaskFigures(task.name, task.budget, task.actual, task.indicators)


# --- Hunan county format (seed 003): final accounts, economic classes, named amounts ------


@dataclass(frozen=True)
class ItemFigures:
    """A named amount with its change on last year."""

    name: str
    key: str | None
    amount: Decimal
    previous: Decimal | None = None

    @property
    def change(self) -> Decimal | None:
        """本年 − 上年."""
        return None if self.previous is None else self.amount - self.previous

    @property
    def change_rate(self) -> Decimal | None:
        """变动率 = (本年 − 上年) ÷ 上年."""
        return change_rate(self.amount, self.previous)


@dataclass(frozen=True)
class ItemsFigures:
    """A list of named amounts and its total; an item by key: ``x['reception']``, in Jinja ``x.reception``."""

    items: tuple[ItemFigures, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.items), ZERO)

    @property
    def previous(self) -> Decimal | None:
        """Last year's total, when every item states last year's amount."""
        return _parts_sum(i.previous for i in self.items)

    @property
    def change(self) -> Decimal | None:
        previous = self.previous
        return None if previous is None else self.total - previous

    @property
    def change_rate(self) -> Decimal | None:
        return change_rate(self.total, self.previous)

    def __getitem__(self, key: str) -> ItemFigures:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[ItemFigures]:
        return iter(self.items)


def compute_items(items: Iterable[AmountItem]) -> ItemsFigures:
    return ItemsFigures(tuple(ItemFigures(i.name, i.key, i.amount, i.previous) for i in items))


@dataclass(frozen=True)
class ClassFigures:
    """An economic class: 决算 under 基本支出 (own or the sum of its items) and 项目支出."""

    name: str
    key: str | None
    part: str
    basic: Decimal
    project: Decimal
    items: ItemsFigures

    @property
    def total(self) -> Decimal:
        return self.basic + self.project


PERSONNEL = "人员经费"
RUNNING = "公用经费"


@dataclass(frozen=True)
class FinalFigures:
    """整体收支预决算 with every derived figure.

    ``income`` and ``spending`` are :class:`LineFigures` trees whose ``initial`` is 预算 and
    ``actual`` 决算 (so ``difference_rate`` is 差异率); ``carry_over`` is 年末结转结余
    = 收入合计 − 支出合计, for 预算 and 决算 alike.
    """

    income: LineFigures
    spending: LineFigures
    carry_over: LineFigures
    classes: tuple[ClassFigures, ...]
    project_carry_over: Decimal | None = None

    @property
    def basic(self) -> LineFigures:
        return self.spending.children[0]

    @property
    def project(self) -> LineFigures:
        return self.spending.children[1]

    @property
    def personnel(self) -> LineFigures:
        return self.basic.children[0]

    @property
    def running(self) -> LineFigures:
        return self.basic.children[1]

    @property
    def class_basic_total(self) -> Decimal:
        return sum((c.basic for c in self.classes), ZERO)

    @property
    def class_project_total(self) -> Decimal:
        return sum((c.project for c in self.classes), ZERO)

    @property
    def running_items(self) -> tuple[ItemFigures, ...]:
        """The rows of a 公用经费 detail table: the items of every 公用经费 class, or the class
        itself when it lists no items and spent something; they sum to 公用经费 决算."""
        rows: list[ItemFigures] = []
        for c in self.classes:
            if c.part != RUNNING:
                continue
            if c.items.items:
                rows.extend(c.items.items)
            elif c.basic != 0:
                rows.append(ItemFigures(c.name, c.key, c.basic))
        return tuple(rows)


def compute_class(c: EconomicClass) -> ClassFigures:
    items = compute_items(c.items)
    basic = items.total if c.basic is None else c.basic  # the schema wants one of them, not both
    return ClassFigures(c.name, c.key, c.part, basic, c.project, items)


def _line(name: str, level: int, initial: Decimal | None, actual: Decimal | None, children=()) -> LineFigures:
    return LineFigures(name, level, initial, None, actual, children=tuple(children))


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def compute_final_accounts(fa: FinalAccounts) -> FinalFigures:
    """All figures of the 预决算 table and the 支出决算 by economic class."""
    classes = tuple(compute_class(c) for c in fa.by_class)

    def basic_of(part: str) -> Decimal:
        return sum((c.basic for c in classes if c.part == part), ZERO)

    budget = fa.budget
    personnel_actual, running_actual = basic_of(PERSONNEL), basic_of(RUNNING)
    personnel = _line(PERSONNEL, 2, budget.personnel, personnel_actual)
    running = _line(RUNNING, 2, budget.running, running_actual)
    basic_initial, basic_actual = budget.personnel + budget.running, personnel_actual + running_actual
    basic = _line("基本支出", 1, basic_initial, basic_actual, (personnel, running))
    project_actual = sum((c.project for c in classes), ZERO)
    project = _line("项目支出", 1, budget.project, project_actual)
    spending = _line("小计", 0, basic_initial + budget.project, basic_actual + project_actual, (basic, project))
    income = compute_table(fa.income, "合计")
    carry_over = _line(
        "年末结转结余", 0, _minus(income.initial, spending.initial), _minus(income.actual, spending.actual)
    )
    return FinalFigures(income, spending, carry_over, classes, fa.project_carry_over)


@dataclass(frozen=True)
class HeadcountFigures:
    """编制, 在职, 离退休, 遗属补助 and cars; 实际人数 = 在职 + 离退休."""

    authorized: int | None
    in_post: int | None
    retired: int
    survivors: int
    cars: int | None

    @property
    def total(self) -> int | None:
        """实际人数 = 在职人数 + 离退休人数."""
        return None if self.in_post is None else self.in_post + self.retired


def compute_headcount(staffing: StaffFigures | None, headcount: Headcount) -> HeadcountFigures:
    authorized = staffing.authorized if staffing else None
    in_post = staffing.actual if staffing else None
    return HeadcountFigures(authorized, in_post, headcount.retired, headcount.survivors, headcount.cars)


def compute_hunan(report: Report) -> dict:
    """The Hunan block's figures, as keyword arguments of :class:`Figures`."""
    staffing = compute_staffing(report.staffing) if report.staffing else None
    return {
        "final": compute_final_accounts(report.final_accounts) if report.final_accounts else None,
        "initial_projects": compute_items(report.initial_projects),
        "three_public": compute_items(report.three_public),
        "headcount": compute_headcount(staffing, report.headcount) if report.headcount else None,
    }

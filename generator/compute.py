"""Every derived figure of a report, computed from the inputs.

Pure functions: data in, figures out; no I/O, no Jinja, no formatting.  All
values are ``Decimal``; a rate whose denominator is zero is ``None`` (what it
prints is a format setting).  Rates are kept unrounded here: rounding happens
once, when a figure is formatted, with the rule the format declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Iterator

from .formats import FormatSettings
from .schema import BudgetLine, Indicator, Report, ScoreNode, Staffing

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """``numerator / denominator``, or ``None`` when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


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
    children: tuple["LineFigures", ...] = ()

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

    def rows(self) -> Iterator["LineFigures"]:
        """This row's descendants in reading order (not the row itself)."""
        for child in self.children:
            yield child
            yield from child.rows()

    def find(self, name: str) -> "LineFigures":
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


def compute_table(lines: Iterable[BudgetLine], total_name: str = "合计", execution_base: str = "adjusted") -> LineFigures:
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
    children: tuple["ScoreFigures", ...] = ()
    indicators: tuple[Indicator, ...] = ()
    indicator_type: str | None = None

    @property
    def rate(self) -> Decimal | None:
        """得分率 = 得分 ÷ 分值."""
        return ratio(self.score, self.weight)

    def rows(self) -> Iterator["ScoreFigures"]:
        for child in self.children:
            yield child
            yield from child.rows()


def _parts_sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the parts when there are parts and every part is known."""
    values = list(values)
    if not values or any(v is None for v in values):
        return None
    return sum(values, ZERO)


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
    count = len(node.indicators) if node.indicators else node.indicator_count
    return ScoreFigures(
        node.name, node.key, level, weight, score, count, node.examples, children, node.indicators, node.indicator_type
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


@dataclass(frozen=True)
class Monthly:
    """一般公共预算支出年度平均执行率 from the monthly rates (in percent)."""

    values: tuple[Decimal, ...]
    cap: Decimal | None

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


def compute(report: Report, settings: FormatSettings) -> Figures:
    """Compute every derived figure of ``report`` under the format's ``settings``."""
    spending = (
        compute_table(report.spending, "本年支出合计", settings.execution_base) if report.spending else None
    )
    scores = compute_scores(report.scoring, settings)
    indicator_count = sum(row.indicator_count or 0 for row in scores.total.rows())
    return Figures(
        spending=spending,
        scores=scores,
        monthly=Monthly(tuple(report.monthly_execution), settings.monthly_cap),
        staffing=compute_staffing(report.staffing) if report.staffing else None,
        indicator_count=indicator_count,
    )

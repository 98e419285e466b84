"""Consistency rules that need no recorded figures (``reportgen check``).

Where the data states a whole and its parts, they must agree; scores must stay
within their weights; staff counts must add up; and a few plausibility warnings
(negative amounts, spending above the budget, spending against a zero budget).
Errors stop ``build``; warnings are printed and the report is still built.

Pure: the report, its computed figures and the format's settings in, problems out.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from . import formatting
from .annex import empty_annexes
from .audit import EntryError, check_entry
from .compute import Figures, LineFigures, ScoreFigures, compute_line, compute_score, month_labels
from .errors import Problem
from .formats import Format
from .load import Loaded
from .schema import BudgetLine, Report, ScoreNode
from .validate import field_path

ERROR, WARNING = "error", "warning"
_LINE_FIELDS = {"initial": "年初预算", "adjusted": "调整后预算", "actual": "决算数"}
_RESERVED_KEYS = {"total", "grade"}


class _Collector:
    """Problems with their file, line and field path."""

    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.problems: list[Problem] = []

    def add(self, loc: tuple[Any, ...], message: str, severity: str = ERROR) -> None:
        self.problems.append(Problem(self.loaded.path, self.loaded.line_of(loc), field_path(loc), message, severity))


def _money(value: Decimal) -> str:
    return formatting.money(value)


def _score(value: Decimal) -> str:
    return formatting.score(value)


# --- spending -------------------------------------------------------------------


def _spending(out: _Collector, line: BudgetLine, row: LineFigures, loc: tuple) -> bool:
    """Check one row and its children; return whether a plausibility warning was given in this subtree."""
    warned = False
    for i, (child_line, child_row) in enumerate(zip(line.children, row.children, strict=True)):
        warned |= _spending(out, child_line, child_row, loc + ("children", i))
    if line.children:
        for attr, label in _LINE_FIELDS.items():
            stated, parts = getattr(line, attr), getattr(row, attr)
            if stated is not None and parts is not None and stated != parts:
                out.add(loc + (attr,), f"{label}写了 {_money(stated)}，但下级各行合计为 {_money(parts)}")
    else:
        for attr, label in _LINE_FIELDS.items():
            value = getattr(line, attr)
            if value is not None and value < 0:
                out.add(loc + (attr,), f"{label}是负数（{_money(value)}），请核对", WARNING)
                warned = True
    if warned:
        return True  # the cause is already named on a row below
    base_attr = "initial" if row.execution_base == "initial" else "adjusted"
    base = getattr(row, base_attr)
    base_label = _LINE_FIELDS[base_attr]
    actual = row.actual
    if actual is None or actual <= 0:
        return False
    if base is None:
        return False  # no budget stated for this row: nothing to compare
    if base == 0:
        out.add(loc + ("actual",), f"{base_label}为 0，却有支出 {_money(actual)}（{row.name}）", WARNING)
        return True
    if actual > base:
        rate = formatting.percent(actual / base)
        out.add(
            loc + ("actual",),
            f"决算数 {_money(actual)} 超过{base_label} {_money(base)}（执行率 {rate}，{row.name}）",
            WARNING,
        )
        return True
    return False


# --- staffing -------------------------------------------------------------------


def _staffing(out: _Collector, report: Report) -> None:
    staffing = report.staffing
    if staffing is None:
        return
    loc = ("staffing",)
    kinds = staffing.kinds
    stated_auth = [k.authorized for k in kinds if k.authorized is not None]
    if staffing.authorized is not None and stated_auth and sum(stated_auth) != staffing.authorized:
        names = "、".join(f"{k.name}{k.authorized}" for k in kinds if k.authorized is not None)
        out.add(
            loc + ("authorized",),
            f"编制数写了 {staffing.authorized} 人，但各类编制合计为 {sum(stated_auth)} 人（{names}）",
        )
    if staffing.actual is not None and kinds and sum(k.actual for k in kinds) != staffing.actual:
        names = "、".join(f"{k.name}{k.actual}" for k in kinds)
        out.add(
            loc + ("actual",),
            f"实有人数写了 {staffing.actual} 人，但各类实有合计为 {sum(k.actual for k in kinds)} 人（{names}）",
        )
    for i, kind in enumerate(kinds):
        if kind.authorized is not None and kind.actual > kind.authorized:
            out.add(
                loc + ("kinds", i, "actual"),
                f"{kind.name}实有 {kind.actual} 人，超过编制 {kind.authorized} 人",
                WARNING,
            )
    if (
        not kinds
        and staffing.authorized is not None
        and staffing.actual is not None
        and staffing.actual > staffing.authorized
    ):
        out.add(loc + ("actual",), f"实有 {staffing.actual} 人，超过编制 {staffing.authorized} 人", WARNING)


# --- scoring --------------------------------------------------------------------


def _label(name: str | None) -> str:
    return f"“{name}”" if name else "（未列名称的指标）"


def _within(out: _Collector, loc: tuple, name: str | None, weight: Decimal | None, score: Decimal | None) -> bool:
    """Score between 0 and the weight; return whether it is not."""
    if score is not None and score < 0:
        out.add(loc + ("score",), f"{_label(name)}得分是负数（{_score(score)}）")
    elif score is not None and weight is not None and score > weight:
        out.add(loc + ("score",), f"{_label(name)}得分 {_score(score)} 超过分值 {_score(weight)}")
    else:
        return False
    return True


def _scoring(out: _Collector, node: ScoreNode, fig: ScoreFigures, loc: tuple, keys: dict[str, tuple]) -> bool:
    """Check one node and its parts; return whether a score out of range was reported in this subtree."""
    if node.key is not None:
        if node.key in _RESERVED_KEYS:
            out.add(loc + ("key",), f"key 不能用“{node.key}”（保留给合计/等级）")
        elif node.key in keys:
            out.add(loc + ("key",), f"key“{node.key}”重复（{field_path(keys[node.key])} 已用过）")
        else:
            keys[node.key] = loc
    if node.children and node.indicators:
        out.add(
            loc + ("indicators",),
            f"{_label(node.name)}既有下级指标（children）又列了绩效指标（indicators），只能二选一",
        )
    flagged = False
    for i, (child, child_fig) in enumerate(zip(node.children, fig.children, strict=True)):
        flagged |= _scoring(out, child, child_fig, loc + ("children", i), keys)
    for i, indicator in enumerate(node.indicators):
        flagged |= _within(out, loc + ("indicators", i), indicator.name, indicator.weight, indicator.score)
    if node.indicators and node.indicator_count is not None and node.indicator_count != len(node.indicators):
        out.add(
            loc + ("indicator_count",),
            f"{_label(node.name)}写了 {node.indicator_count} 个指标，但 indicators 列出了 {len(node.indicators)} 个",
        )
    # a parent's weight and score are its children's sums (typed ones are refused by validate);
    # a missing one is named on the child that lacks it
    for attr, label in (("weight", "分值"), ("score", "得分")):
        if getattr(fig, attr) is not None or node.children:
            continue
        if node.indicators:
            why = f"所列绩效指标（indicators）没有全部写明{label}时"
        else:
            why = "没有下级指标时"
        out.add(loc + (attr,), f"{_label(node.name)}{why}要填写{label} {attr}")
    if flagged:  # the cause is already named on a part
        return True
    return _within(out, loc, node.name, fig.weight, fig.score)


def _totals(out: _Collector, figures: Figures) -> None:
    total = figures.scores.total
    if total.score is None or not total.children:
        return
    if figures.scores.grade is None:
        out.add(("scoring",), f"总分 {_score(total.score)} 不在格式规定的任何等级范围内")


# --- the rest -------------------------------------------------------------------


def _monthly(out: _Collector, report: Report) -> None:
    monthly = report.monthly_execution
    if monthly is None:
        return
    loc = ("monthly_execution", "rates")
    since = 13 - monthly.first_month
    if len(monthly.rates) > since:
        out.add(
            loc,
            f"写了 {len(monthly.rates)} 个月的执行率，但从 {monthly.first_month} 月到 12 月只有 {since} 个月；"
            f"多写的月份会计入月份数 n、改变平均执行率，请核对 from 和各月的数字",
            WARNING,
        )
    months = month_labels(monthly.first_month, len(monthly.rates))
    for i, (month, value) in enumerate(zip(months, monthly.rates, strict=True)):
        if value < 0:
            out.add(loc + (i,), f"{month}的执行率是负数（{value}%）", WARNING)
        elif value == 0:
            out.add(
                loc + (i,),
                f"{month}的执行率是 0：市财政局没有通报的月份不要写（写了也计入月份数 n，拉低平均执行率），请核对",
                WARNING,
            )


def _reported(out: _Collector, report: Report, figures: Figures, fmt: Format) -> None:
    for i, entry in enumerate(report.reported):
        try:
            check_entry(entry, figures, fmt.settings.unit)
        except EntryError as exc:
            out.add(("reported", i, exc.field), exc.message)


def _annexes(out: _Collector, report: Report, fmt: Format) -> None:
    known = [a.key for a in fmt.settings.annexes]
    for i, annex in enumerate(report.annexes or ()):
        if annex.key not in known:
            out.add(("annexes", i, "key"), f"格式“{fmt.name}”没有这个附件（可用：{'、'.join(known) or '无'}）")


def _empty_annexes(out: _Collector, report: Report, figures: Figures, fmt: Format) -> None:
    action = "不印出这个附件" if fmt.settings.empty_annex == "omit" else "附件中这些格子印为空白"
    for index, title in empty_annexes(figures.scores, fmt.settings, report.annexes):
        loc: tuple = ("annexes", index) if index is not None else ("scoring",)
        out.add(loc, f"附件“{title}”的各项指标都没有填写年度指标值、实际完成值、分值或得分，{action}", WARNING)


def check_consistency(report: Report, figures: Figures, fmt: Format, loaded: Loaded) -> list[Problem]:
    """Every consistency problem of ``report``, errors and warnings, in line order."""
    out = _Collector(loaded)
    base = fmt.settings.execution_base
    for i, line in enumerate(report.spending):
        _spending(out, line, compute_line(line, 1, base), ("spending", i))
    _staffing(out, report)
    keys: dict[str, tuple] = {}
    for i, node in enumerate(report.scoring):
        _scoring(out, node, compute_score(node), ("scoring", i), keys)
    _totals(out, figures)
    _monthly(out, report)
    _reported(out, report, figures, fmt)
    _annexes(out, report, fmt)
    _empty_annexes(out, report, figures, fmt)
    return sorted(out.problems, key=lambda p: p.line or 0)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == WARNING]

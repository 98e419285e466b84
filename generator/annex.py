"""The annexes (附件) of a report, as rows ready for the template's tables.

Two tables, both from the scoring tree with block totals computed:

- ``self_evaluation`` 部门整体支出绩效评价自评表: one row per 三级 indicator
  (or per 二级/一级 node that is not broken down), the 一级 and 二级 names in
  vertically merged cells, a 小计 row per 一级 block broken down, a 合计 row;
- ``indicators`` 部门整体支出绩效指标完成情况统计表: the 绩效指标 of every
  block that lists them (``indicators:``, or children that are indicators), a
  小计 row per block, a 合计 row.

What the data leaves unknown (a name, a target, a score) stays an empty cell.
Pure: figures in, rows out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .compute import ScoreFigures, Scores
from .formats import FormatSettings
from .schema import AnnexRef
from .vmerge import MergedCell

SUBTOTAL, TOTAL = "小计", "合计"


@dataclass(frozen=True)
class EvaluationRow:
    """A row of the 自评表: the three indicator levels, 分值, 得分 and 得分率."""

    level1: MergedCell
    level2: MergedCell
    level3: str
    fig: ScoreFigures
    subtotal: bool = False


@dataclass(frozen=True)
class IndicatorRow:
    """A row of the 指标完成情况统计表."""

    group: MergedCell
    name: str
    target: str
    achieved: str
    weight: Decimal | None
    score: Decimal | None
    subtotal: bool = False


@dataclass(frozen=True)
class Annex:
    """One annex: its number, key, title and the rows of its table."""

    number: int
    key: str
    title: str
    alone: bool = False  # the only annex: GB/T 9704 writes no number
    rows: list[Any] = field(default_factory=list)
    total: Any = None

    @property
    def label(self) -> str:
        """The label at the top left of its first page: ``附件1`` (``附件`` when alone)."""
        return "附件" if self.alone else f"附件{self.number}"

    @property
    def listed(self) -> str:
        """Its entry in the list after the body: ``1. 标题`` (the title alone when alone)."""
        return self.title if self.alone else f"{self.number}. {self.title}"


def _name(node: ScoreFigures | None) -> str:
    return (node.name or "") if node is not None else ""


def evaluation_rows(scores: Scores) -> list[EvaluationRow]:
    """自评表 rows: 一级 → 二级 → 三级, a 小计 after each 一级 block that has several rows."""
    rows: list[EvaluationRow] = []
    for block in scores.blocks:
        # (二级, its 三级 leaves); None where a level is not broken down
        groups: list[tuple[ScoreFigures | None, list[ScoreFigures | None]]] = [
            (child, list(child.children) or [None]) for child in block.children
        ] or [(None, [None])]
        block_rows: list[EvaluationRow] = []
        for level2, leaves in groups:
            for j, leaf in enumerate(leaves):
                fig = leaf or level2 or block
                block_rows.append(
                    EvaluationRow(
                        MergedCell(_name(block), not block_rows),
                        MergedCell(_name(level2), j == 0),
                        _name(leaf),
                        fig,
                    )
                )
        rows.extend(block_rows)
        if len(block_rows) > 1:
            rows.append(EvaluationRow(MergedCell(_name(block), False), MergedCell(SUBTOTAL, True), "", block, True))
    return rows


_Listed = tuple[str, str, str, Decimal | None, Decimal | None]


def _listed(node: ScoreFigures) -> list[_Listed]:
    """The 绩效指标 a node lists: its ``indicators:``, else its children that are indicators
    (leaves with a category, 广州 2023 edition), which print no 年度指标值 or 实际完成值."""
    if node.indicators:
        return [(i.name or "", i.target or "", i.actual or "", i.weight, i.score) for i in node.indicators]
    return [(_name(c), "", "", c.weight, c.score) for c in node.children if c.is_indicator]


def _known(entry: _Listed) -> bool:
    """Whether the data says anything about a listed indicator (a name or any value)."""
    name, target, achieved, weight, score = entry
    return bool(name or target or achieved) or weight is not None or score is not None


def indicator_rows(scores: Scores) -> tuple[list[IndicatorRow], IndicatorRow]:
    """统计表 rows, grouped by the block that lists them, and the 合计 row."""
    rows: list[IndicatorRow] = []
    groups = [node for node in scores.total.rows() if _listed(node)]
    for node in groups:
        label = node.indicator_type or _name(node)
        listed = [entry for entry in _listed(node) if _known(entry)]  # an unknown indicator prints no empty row
        for i, (name, target, achieved, weight, score) in enumerate(listed):
            rows.append(IndicatorRow(MergedCell(label, i == 0), name, target, achieved, weight, score))
        rows.append(IndicatorRow(MergedCell(label, False), SUBTOTAL, "", "", node.weight, node.score, True))

    def total(values: list[Decimal | None]) -> Decimal | None:
        known = [v for v in values if v is not None]
        return sum(known, Decimal(0)) if values and len(known) == len(values) else None

    total_row = IndicatorRow(
        MergedCell(TOTAL, True), "", "", "", total([n.weight for n in groups]), total([n.score for n in groups]), True
    )
    return rows, total_row


def _refs(settings: FormatSettings, declared: tuple[AnnexRef, ...] | None) -> list[tuple[int | None, AnnexRef]]:
    """The annexes asked for (with their index in the data's ``annexes:``, None when the format's)."""
    defaults = {spec.key for spec in settings.annexes}
    if declared is None:
        return [(None, AnnexRef(key=s.key, title=s.title)) for s in settings.annexes]
    return [(i, r) for i, r in enumerate(declared) if r.key in defaults]  # unknown keys are reported by check


def is_empty(key: str, scores: Scores) -> bool:
    """Whether an annex's table would print no value at all in its own rows (only computed totals)."""
    if key == "indicators":
        return not any(
            target or achieved or weight is not None or score is not None
            for node in scores.total.rows()
            for _name_, target, achieved, weight, score in _listed(node)
        )
    if key == "self_evaluation":
        return all(row.fig.weight is None and row.fig.score is None for row in evaluation_rows(scores))
    return False


def empty_annexes(
    scores: Scores, settings: FormatSettings, declared: tuple[AnnexRef, ...] | None
) -> list[tuple[int | None, str]]:
    """The annexes asked for whose value columns would all be empty: (index in ``annexes:``, title)."""
    titles = {spec.key: spec.title for spec in settings.annexes}
    return [(i, ref.title or titles[ref.key]) for i, ref in _refs(settings, declared) if is_empty(ref.key, scores)]


def build_annexes(scores: Scores, settings: FormatSettings, declared: tuple[AnnexRef, ...] | None) -> list[Annex]:
    """The report's annexes in order: as the data declares them, else as the format does.

    An annex whose value columns would all be empty is left out unless the
    format says ``empty_annex: print`` (``check`` warns either way).
    """
    defaults = {spec.key: spec.title for spec in settings.annexes}
    refs = tuple(r for _, r in _refs(settings, declared))
    if settings.empty_annex == "omit":
        refs = tuple(r for r in refs if not is_empty(r.key, scores))
    annexes = []
    for number, ref in enumerate(refs, start=1):
        title = ref.title or defaults[ref.key]
        alone = len(refs) == 1
        if ref.key == "self_evaluation":
            annexes.append(Annex(number, ref.key, title, alone, evaluation_rows(scores), scores.total))
        elif ref.key == "indicators":
            rows, total = indicator_rows(scores)
            annexes.append(Annex(number, ref.key, title, alone, rows, total))
        else:
            annexes.append(Annex(number, ref.key, title, alone))
    return annexes

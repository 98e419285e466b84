"""Every figure of a report, input and computed, as a flat list of named values.

Pure: a validated :class:`~generator.schema.Report` and its computed
:class:`~generator.compute.Figures` in, :class:`Flat` figures out.  The input
side walks the pydantic model generically, so a section added to the schema
later is flattened without changes here.  An item of a list is named by its
``name``, ``title`` or ``key`` (never by its position), so the same table row
or indicator is found in two years however the file is ordered.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:  # the older formats' modules: loaded by their own path (a declared format's never needs them)
    from .compute import Figures, LineFigures, ScoreFigures

# kinds of figure: how a value prints and how its change is measured
AMOUNT = "amount"  # money, in the format's unit
RATE = "rate"  # a fraction (0.9979 = 99.79%); change in 个百分点
PERCENT = "percent"  # a number already in percent (136.18 = 136.18%); change in 个百分点
SCORE = "score"
COUNT = "count"
WORD = "text"  # a word such as the grade: changed or not, no arithmetic

INPUT, COMPUTED = "input", "computed"

# fields that are not figures (metadata, narrative)
SKIP_FIELDS = {"format", "year", "text", "department", "name", "key", "title", "level", "examples"}
# sections of the data file that hold no figure of the report itself: ``reported:`` records how
# another source printed derived figures (for ``reportgen audit``; they never reach the report,
# and last year's misprints are no change of this year's figures); ``annexes:`` lists annexes
NOT_REPORT_FIGURES = {"reported", "annexes"}
# fields whose values are scores, wherever they are
SCORE_FIELDS = {"weight", "score"}
# list fields that are not a level of their own in a path ("spending/基本支出/人员经费")
TRANSPARENT_FIELDS = {"children"}

LABELS = {
    "spending": "支出",
    "initial": "年初预算",
    "adjusted": "调整后预算",
    "actual": "决算数",
    "adjustment": "调整金额",
    "adjustment_rate": "预算调整率",
    "execution_rate": "实际支出率",
    "difference_rate": "差异率",
    "scoring": "评分",
    "weight": "分值",
    "score": "得分",
    "rate": "得分率",
    "grade": "自评等级",
    "staffing": "人员",
    "authorized": "编制数",
    "kinds": "人员类别",
    "control_rate": "在职人员控制率",
    "monthly_execution": "月度支出执行率",
    "average": "年度平均执行率",
    "average_uncapped": "平均执行率（不封顶）",
    "n": "通报月数",
    "from": "首次通报月份",
    "key_task_count": "重点任务个数",
    "indicator_count": "绩效指标个数",
    "indicators": "绩效指标",
    "problems": "存在的问题",
    "key_tasks": "重点任务",
    "budget": "项目预算",
    "groups": "指标类别",
    "count": "指标个数",
    "measures": "改进措施",
}
# labels that depend on the section: (first path part, field) → label
SECTION_LABELS = {
    ("staffing", "actual"): "实有人数",
    ("key_tasks", "actual"): "实际支出",
    ("key_tasks", "execution_rate"): "预算执行率",
}


@dataclass(frozen=True)
class Flat:
    """One figure: where it is (``path``), what it is, its value."""

    path: tuple[str, ...]
    value: Any
    kind: str
    source: str
    alias: tuple[str, ...] = ()  # the same path with items named by ``key`` where they have one

    @property
    def id(self) -> str:
        return "/".join(self.path)

    @property
    def label(self) -> str:
        return label(self.path)


def label(path: tuple[str, ...]) -> str:
    """``("spending", "基本支出", "initial")`` → ``支出 › 基本支出 › 年初预算``."""
    parts = []
    for i, part in enumerate(path):
        text = SECTION_LABELS.get((path[0], part)) if i else None
        parts.append(text or LABELS.get(part, part))
    return " › ".join(parts)


def normalise_name(name: str) -> str:
    """A name as compared across years: width-folded, no spaces, no leading 一、/（一）/1."""
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"\s+", "", text)
    text = re.sub(
        r"^(?:第?[一二三四五六七八九十百]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[、.]|[一二三四五六七八九十]+是)",
        "",
        text,
    )
    return text


def flatten(report: BaseModel, figures: Figures | None = None) -> list[Flat]:
    """Every input figure of ``report`` and every computed one of ``figures``, in reading order."""
    out: dict[tuple[str, ...], Flat] = {}
    for flat in _walk_model(report, (), ()):
        out.setdefault(flat.path, flat)
    if figures is not None:
        for flat in computed(figures):
            out.setdefault(flat.path, flat)  # an input leaf keeps its input mark
    return _in_reading_order(list(out.values()))


def _in_reading_order(flats: list[Flat]) -> list[Flat]:
    """Group each item's figures together; items and fields in their first-seen order."""
    order: dict[tuple[str, ...], int] = {}
    for flat in flats:
        for depth in range(1, len(flat.path) + 1):
            order.setdefault(flat.path[:depth], len(order))

    def key(flat: Flat) -> tuple:
        # an item's own figures before its sub-items', each in first-seen order
        items = tuple((1, order[flat.path[:d]]) for d in range(1, len(flat.path)))
        return items + ((0, order[flat.path]),)

    return sorted(flats, key=key)


# --- the input model -------------------------------------------------------------


def _kind_of_field(model: BaseModel, name: str) -> str | None:
    if name in SCORE_FIELDS:
        return SCORE
    info = type(model).model_fields[name]
    for meta in _all_metadata(info):
        func = getattr(meta, "func", None)
        if func is not None and getattr(func, "__name__", "") == "_percent_number":
            return PERCENT
    return None


def _all_metadata(info) -> Iterator[Any]:
    yield from info.metadata
    stack = [info.annotation]
    while stack:
        annotation = stack.pop()
        yield from getattr(annotation, "__metadata__", ())
        stack.extend(getattr(annotation, "__args__", ()) or ())


def _walk_model(model: BaseModel, path: tuple[str, ...], alias: tuple[str, ...]) -> Iterator[Flat]:
    from .compute import month_labels
    from .schema import MonthlyExecution

    if isinstance(model, MonthlyExecution):
        # each month by its name, so two years pair 3月 with 3月 whichever month their 通报 starts
        yield Flat(path + ("from",), model.first_month, COUNT, INPUT, alias + ("from",))
        for month, rate in zip(month_labels(model.first_month, len(model.rates)), model.rates, strict=True):
            yield Flat(path + (month,), rate, PERCENT, INPUT, alias + (month,))
        return
    for name in type(model).model_fields:
        if name in SKIP_FIELDS or name in NOT_REPORT_FIGURES:
            continue
        value = getattr(model, name)
        if name in TRANSPARENT_FIELDS:
            sub_path, sub_alias = path, alias
        else:
            sub_path, sub_alias = path + (name,), alias + (name,)
        yield from _walk_value(value, sub_path, sub_alias, _kind_of_field(model, name))


def _item_name(item: Any) -> tuple[str | None, str | None]:
    """(name for the path, key for the alias) of a list item."""
    if isinstance(item, BaseModel):
        name = getattr(item, "name", None) or getattr(item, "title", None)
        key = getattr(item, "key", None)
        return (name or key), (key or name)
    return None, None


def _is_grouping_level(item: Any) -> bool:
    """A list item of a tree (a model with ``children``), as a scoring level is."""
    return isinstance(item, BaseModel) and any(f in type(item).model_fields for f in TRANSPARENT_FIELDS)


def _walk_value(value: Any, path: tuple[str, ...], alias: tuple[str, ...], kind: str | None) -> Iterator[Flat]:
    if value is None or isinstance(value, (bool, str)):
        return
    if isinstance(value, (int, Decimal)):
        yield Flat(path, value, kind or (COUNT if isinstance(value, int) else AMOUNT), INPUT, alias)
    elif isinstance(value, BaseModel):
        yield from _walk_model(value, path, alias)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk_value(item, path + (str(key),), alias + (str(key),), kind)
    elif isinstance(value, (tuple, list)):
        seen: dict[str, int] = {}
        for index, item in enumerate(value, start=1):
            name, key = _item_name(item)
            if name is None and _is_grouping_level(item):
                # a level of a tree the source does not name (``name: ~``, no key): transparent in
                # paths, as in the computed figures (see _score_rows), so its children keep the
                # names they have in a year without that level.  A weight or score typed on the
                # level itself has no name to be listed by; reportgen check holds it to its parts.
                for field in TRANSPARENT_FIELDS:
                    yield from _walk_value(getattr(item, field, ()), path, alias, kind)
                continue
            if name is None:
                name = key = f"第{index}项"
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:  # two rows with the same name: the second is "name#2"
                name, key = f"{name}#{seen[name]}", f"{key}#{seen[name]}"
            yield from _walk_value(item, path + (name,), alias + (key,), kind)


# --- the computed figures ----------------------------------------------------------


def computed(figures: Figures) -> Iterator[Flat]:
    """The derived figures, named like the inputs they come from."""
    if figures.spending is not None:
        yield from _line(figures.spending, ("spending", figures.spending.name))
        for row, names in _line_rows(figures.spending, ()):
            yield from _line(row, ("spending",) + names)
    scores = figures.scores
    if scores.blocks:
        total_name = scores.total.name or "合计"  # compute names the total row 合计
        yield from _score(scores.total, ("scoring", total_name), ("scoring", "total"))
        for row, names, keys in _score_rows(scores.total, (), ()):
            yield from _score(row, ("scoring",) + names, ("scoring",) + keys)
        if scores.grade is not None:
            yield Flat(("scoring", "grade"), scores.grade, WORD, COMPUTED, ("scoring", "grade"))
    yield Flat(("indicator_count",), figures.indicator_count, COUNT, COMPUTED, ("indicator_count",))
    monthly = figures.monthly
    if monthly.values:
        for name in ("average", "average_uncapped"):
            yield Flat(("monthly_execution", name), getattr(monthly, name), RATE, COMPUTED, ("monthly_execution", name))
        yield Flat(("monthly_execution", "n"), monthly.n, COUNT, COMPUTED, ("monthly_execution", "n"))
    if figures.staffing is not None:
        staff = figures.staffing
        for name, value, kind in (
            ("authorized", staff.authorized, COUNT),
            ("actual", staff.actual, COUNT),
            ("control_rate", staff.control_rate, RATE),
        ):
            if value is not None:
                yield Flat(("staffing", name), value, kind, COMPUTED, ("staffing", name))
    yield from _other_computed(figures)


def _line_rows(line: LineFigures, names: tuple[str, ...]) -> Iterator[tuple[LineFigures, tuple[str, ...]]]:
    for child in line.children:
        yield child, names + (child.name,)
        yield from _line_rows(child, names + (child.name,))


def _line(line: LineFigures, path: tuple[str, ...]) -> Iterator[Flat]:
    for name, kind in (
        ("initial", AMOUNT),
        ("adjusted", AMOUNT),
        ("actual", AMOUNT),
        ("adjustment", AMOUNT),
        ("adjustment_rate", RATE),
        ("execution_rate", RATE),
    ):
        value = getattr(line, name)
        if value is not None:
            yield Flat(path + (name,), value, kind, COMPUTED, path + (name,))


def _score_rows(node: ScoreFigures, names: tuple[str, ...], keys: tuple[str, ...]):
    for child in node.children:
        name = child.name or child.key
        if name is None:
            # an unnamed grouping level (the source prints no name): transparent in paths
            yield from _score_rows(child, names, keys)
            continue
        yield child, names + (name,), keys + (child.key or name,)
        yield from _score_rows(child, names + (name,), keys + (child.key or name,))


def _score(node: ScoreFigures, path: tuple[str, ...], alias: tuple[str, ...]) -> Iterator[Flat]:
    # weight and score as computed: a parent's are the sums of its parts (children or listed
    # indicators) when the data does not type them; None where the data leaves them unknown
    for name, value, kind in (
        ("weight", node.weight, SCORE),
        ("score", node.score, SCORE),
        ("rate", node.rate, RATE),
        # typed, or the number of indicators listed under the node
        ("indicator_count", node.indicator_count, COUNT),
    ):
        if value is not None:
            yield Flat(path + (name,), value, kind, COMPUTED, alias + (name,))


_KNOWN_FIGURES = {"spending", "scores", "monthly", "staffing", "indicator_count"}


def _other_computed(figures: Figures) -> Iterator[Flat]:
    """Figures added to :class:`Figures` later: their numbers, found generically."""
    for field in dataclasses.fields(figures):
        if field.name not in _KNOWN_FIGURES:
            yield from _walk_object(getattr(figures, field.name), (field.name,))


def _walk_object(value: Any, path: tuple[str, ...]) -> Iterator[Flat]:
    if value is None or isinstance(value, (bool, str)):
        return
    if hasattr(value, "__len__") and not isinstance(value, (tuple, list)) and len(value) == 0:
        return  # an empty collection (a list section the report does not have): no figures, not a total of 0
    if isinstance(value, (int, Decimal)):
        kind = RATE if path[-1].endswith("rate") else (COUNT if isinstance(value, int) else AMOUNT)
        yield Flat(path, value, kind, COMPUTED, path)
    elif dataclasses.is_dataclass(value):
        names = [f.name for f in dataclasses.fields(value)]
        names += [n for n, v in vars(type(value)).items() if isinstance(v, property) and not n.startswith("_")]
        for name in names:
            if name not in SKIP_FIELDS and name not in TRANSPARENT_FIELDS:
                yield from _walk_object(getattr(value, name), path + (name,))
        for child in getattr(value, "children", ()) or ():
            child_name = getattr(child, "name", None)
            if child_name:
                yield from _walk_object(child, path + (child_name,))
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value, start=1):
            label = next((n for n in (getattr(item, a, None) for a in ("name", "title", "key", "category")) if n), None)
            yield from _walk_object(item, path + (label or f"第{index}项",))

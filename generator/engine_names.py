"""``reportgen names`` for a format not yet declared: the narrative allow-list, walked.

The names are those a narrative paragraph may reference today (the context's
names and, below them, the public fields and properties the allow-list of
:mod:`generator.context` admits).  How a value prints is inferred from its
name (rates print as percents, weights and scores as scores, other amounts as
money); the meaning is the property's docstring where it has one.
Declared formats list their names from the declaration instead.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from . import formatting
from .context import _public_names
from .engine_context import Name
from .formats import FormatSettings

MAX_DEPTH = 5
MAX_NAMES = 5000

_MEANINGS = {
    "initial": "年初预算",
    "adjusted": "调整后预算（全年预算）",
    "actual": "决算数（实际支出）",
    "weight": "分值（权重）",
    "score": "得分",
    "name": "名称",
    "year": "年度",
    "unit": "金额单位",
    "grade": "等级",
    "authorized": "编制数",
    "short_name": "简称",
    "self_name": "自称",
    "indicator_count": "指标个数",
    "key_task_count": "重点任务个数",
    "level": "层级（0 为合计行）",
    "amount": "金额",
    "previous": "上年金额",
    "total": "合计",
    "n": "月数",
}
_SKIP = {"children", "rows", "execution_base", "key", "by_key", "examples", "indicators", "items", "level"}


def _kind(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "text"
    if isinstance(value, int):
        return "count"
    if isinstance(value, Decimal):
        if name.endswith(("rate", "share", "average", "average_uncapped")):
            return "percent"
        if name in ("weight", "score", "children_weight", "child_weight"):
            return "score"
        return "money"
    return "text"


def _print(value: Any, kind: str, settings: FormatSettings) -> str:
    if kind == "percent":
        return formatting.percent(value, 2, settings.rounding, settings.zero_division)
    if kind == "money":
        return formatting.money(value, 2, settings.rounding)
    if kind == "score":
        return formatting.score(value, 2)
    if isinstance(value, _dt.date):
        return formatting.cn_date(value)
    return str(value)


_OWN_MEANINGS = {("StaffFigures", "actual"): "实有在职人数", ("StaffFigures", "authorized"): "编制数"}


def _meaning(parent: Any, attr: str) -> str:
    own = _OWN_MEANINGS.get((type(parent).__name__, attr))
    if own:
        return own
    prop = getattr(type(parent), attr, None)
    if isinstance(prop, property) and prop.__doc__:
        line = prop.__doc__.strip().splitlines()[0]
        line = re.split(r" \((?=[A-Za-z])|, with |, or ", line)[0]  # the Chinese formula, not the English gloss
        return line.rstrip(".")
    return _MEANINGS.get(attr, "")


def legacy_names(names: dict[str, Any], settings: FormatSettings) -> list[Name]:
    """Every leaf name below the narrative's names, with its printed value."""
    out: list[Name] = []
    seen: set[int] = set()

    def walk(value: Any, path: str, parent: Any, attr: str, depth: int) -> None:
        if len(out) >= MAX_NAMES or value is None:
            return
        if isinstance(value, (str, int, Decimal, _dt.date)):
            out.append(Name(path, _print(value, _kind(attr, value), settings), _meaning(parent, attr)))
            return
        if depth >= MAX_DEPTH or id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value[:50]):
                walk(item, f"{path}[{i}]", parent, attr, depth + 1)
            return
        if not (isinstance(value, dict) or dataclasses.is_dataclass(value) or isinstance(value, BaseModel)):
            return
        for name in _public_names(value):
            if name in _SKIP or name.startswith("_"):
                continue
            try:
                child = value[name] if isinstance(value, dict) else getattr(value, name)
            except (AttributeError, KeyError, TypeError, ValueError, ArithmeticError):
                continue
            if callable(child):
                continue
            walk(child, f"{path}.{name}" if path else name, value, name, depth + 1)

    for key, value in names.items():
        walk(value, key, names, key, 0)
    return out

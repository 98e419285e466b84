"""The figures the program computes, by the place in a data file where a clerk may type one.

One list: a name here is refused where it is typed, with a message that says
what the figure is and how it is computed (``grade: 等级由程序按得分计算，请删除这一行``)
instead of the schema's "unknown field".  The names are those the program uses
for the figure (in narrative references, ``reported:`` paths and the
computation), plus the obvious other spellings of a few.

A parent's weight and score (分值, 得分) are the other kind of computed figure:
fields of the schema, computed only where the parts give them (see
:func:`parent_figures`).
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from . import schema

_GRADE = "等级由程序按得分计算"
_TOTAL_SCORE = "总分由程序按各评分指标的得分合计得出"
_SCORE_RATE = "得分率由程序按得分 ÷ 分值计算"
_WEIGHT_PERCENT = "权重（%）由程序按分值占总分值的比例计算"
_ADJUSTMENT = "调整金额由程序按调整后预算 − 年初预算计算"
_ADJUSTMENT_RATE = "预算调整率由程序按调整金额 ÷ 年初预算计算"
_EXECUTION_RATE = "执行率（实际支出率）由程序按决算数 ÷ 预算计算"
_DIFFERENCE_RATE = "差异率由程序按（决算 − 预算）÷ 预算计算"
_ROW_TOTAL = "合计由程序按下级各行计算"
_SHARE = "占比由程序按金额 ÷ 合计计算"
_CHANGE = "增减额由程序按本年 − 上年计算"
_CHANGE_RATE = "增减率由程序按（本年 − 上年）÷ 上年计算"
_AVERAGE = "年度平均执行率由程序按各月执行率计算"
_MONTHS = "月份数由程序按所列的月度执行率数出"

_BUDGET_LINE = {
    "adjustment": _ADJUSTMENT,
    "adjustment_rate": _ADJUSTMENT_RATE,
    "execution_rate": _EXECUTION_RATE,
    "rate": "比率（预算调整率、执行率）由程序按各行的预算和决算数计算",
    "difference_rate": _DIFFERENCE_RATE,
    "total": _ROW_TOTAL,
    "share": _SHARE,
}

_SCORE_NODE = {
    "rate": _SCORE_RATE,
    "score_rate": _SCORE_RATE,
    "weight_percent": _WEIGHT_PERCENT,
    "weight_share": _WEIGHT_PERCENT,
    "child_weight": "每个下级指标的分值由程序按各下级指标的分值得出",
    "children_weight": "下级指标的分值合计由程序计算",
    "category_counts": "各类指标的个数由程序按 indicators 的 category 数出",
    "grade": _GRADE,
}

# model → {field name: what it is and how it is computed}
COMPUTED: dict[type[BaseModel], dict[str, str]] = {
    schema.Report: {
        "grade": _GRADE,
        "total": _TOTAL_SCORE,
        "total_score": _TOTAL_SCORE,
        "score": _TOTAL_SCORE,
        "scores": "评分结果（分值、得分、得分率、总分、等级）由程序按 scoring 计算",
        "indicator_count": "绩效指标总数由程序按各评分指标的指标个数合计得出",
        "monthly": "年度平均执行率和月份数由程序按 monthly_execution 计算",
        "average": _AVERAGE,
        "average_execution_rate": _AVERAGE,
        "spending_rows": "收支表各行由程序按 spending 生成",
        "blocks": "评分表各行由程序按 scoring 生成",
    },
    schema.BudgetLine: _BUDGET_LINE,
    schema.ScoreNode: _SCORE_NODE,
    schema.Indicator: {"rate": _SCORE_RATE, "score_rate": _SCORE_RATE},
    schema.MonthlyExecution: {
        "average": _AVERAGE,
        "average_uncapped": _AVERAGE,
        "n": _MONTHS,
        "months": "各月的名称由程序按 from 和所列执行率的个数得出",
        "counted": "计入平均数的各月执行率（超过 100% 的按 100%）由程序计算",
        "counted_fractions": "计入平均数的各月执行率（超过 100% 的按 100%）由程序计算",
    },
    schema.Staffing: {"control_rate": "财政在职人员控制率由程序按实有人数 ÷ 编制数计算"},
    schema.KeyTask: {
        "execution_rate": "预算执行率由程序按支出 ÷ 项目预算计算",
        "indicator_count": "指标个数由程序按 indicators 数出",
    },
    schema.AmountItem: {"change": _CHANGE, "change_rate": _CHANGE_RATE, "share": _SHARE, "total": _ROW_TOTAL},
    schema.EconomicClass: {"total": "合计由程序按基本支出 + 项目支出计算", "share": _SHARE},
    schema.FinalAccounts: {
        "carry_over": "年末结转结余由程序按收入合计 − 支出合计计算",
        "spending": "支出合计由程序按预算和各经济分类计算",
        "difference_rate": _DIFFERENCE_RATE,
        "basic": "基本支出决算由程序按各经济分类的基本支出合计",
        "project": "项目支出决算由程序按各经济分类的项目支出合计",
        "personnel": "人员经费决算由程序按人员经费类经济分类合计",
        "running": "公用经费决算由程序按公用经费类经济分类合计",
        "class_basic_total": "各经济分类的基本支出合计由程序计算",
        "class_project_total": "各经济分类的项目支出合计由程序计算",
        "running_items": "公用经费明细由程序按各经济分类的明细得出",
    },
    schema.SpendingBudget: {
        "basic": "基本支出由程序按人员经费 + 公用经费计算",
        "total": "支出合计由程序按基本支出 + 项目支出计算",
    },
    schema.Headcount: {"total": "实际人数由程序按在职人数 + 离退休人数计算"},
}

# a parent's own figures: computed from its parts (children, or listed indicators that all give one)
PARENT_FIGURES = {"weight": "分值", "score": "得分"}


def model_at(loc: tuple) -> type[BaseModel] | None:
    """The schema model of the mapping at ``loc`` (a path of field names and list indices)."""
    model: type[BaseModel] | None = schema.Report
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue  # an item of a list field: the model found for the list
        field = _field(model, part)
        if field is None:
            return None
        model = _model_in(field.annotation)
    return model


def _field(model: type[BaseModel], name: str):
    for field_name, info in model.model_fields.items():
        if name in (field_name, info.alias):
            return info
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation holds: ``X``, ``X | None``, ``tuple[X, ...]``, ``Annotated[…]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, str):
        return getattr(schema, annotation, None)
    if isinstance(annotation, typing.ForwardRef):
        return getattr(schema, annotation.__forward_arg__, None)
    origin = typing.get_origin(annotation)
    if origin is dict:
        return None
    if origin in (typing.Union, types.UnionType, tuple, list, typing.Annotated) or hasattr(annotation, "__metadata__"):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def description(loc: tuple) -> str | None:
    """What the computed figure typed at ``loc`` is, or ``None`` when ``loc`` names no computed figure."""
    if not loc or not isinstance(loc[-1], str):
        return None
    model = model_at(loc[:-1])
    return COMPUTED.get(model, {}).get(loc[-1]) if model is not None else None

"""The data model of a report's YAML file (pydantic).

Inputs only: no total, subtotal, rate, score rate, average or grade can be
written here.  ``extra="forbid"`` everywhere, so a misspelt field is reported
instead of silently ignored.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .load import split_paragraphs

# Characters a Word document cannot keep: XML 1.0 cannot hold C0 controls other
# than tab/newline, surrogates, U+FFFE/U+FFFF; a carriage return would come
# back as a newline.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    match = _XML_ILLEGAL.search(value)
    if match:
        raise ValueError(f"含有 Word 文档无法保存的控制字符 U+{ord(match.group()):04X}（本段第 {match.start() + 1} 个字符），请删除")
    return value


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


SafeStr = Annotated[str, AfterValidator(_xml_safe)]
Text = Annotated[tuple[SafeStr, ...], BeforeValidator(_paragraphs)]
Amount = Annotated[Decimal, BeforeValidator(_no_float), Field(allow_inf_nan=False, max_digits=20, decimal_places=6)]
Points = Annotated[Decimal, BeforeValidator(_no_float), Field(allow_inf_nan=False, max_digits=20, decimal_places=6, ge=0)]
PercentNumber = Annotated[Decimal, BeforeValidator(_percent_number), BeforeValidator(_no_float), Field(allow_inf_nan=False, max_digits=12)]
Count = Annotated[int, BeforeValidator(_no_bool), Field(ge=0, le=10_000_000)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


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
    children: tuple["BudgetLine", ...] = ()

    @model_validator(mode="after")
    def _parent_figures_are_sums(self) -> "BudgetLine":
        written = [name for name in ("initial", "adjusted", "actual") if getattr(self, name) is not None]
        if self.children and written:
            raise ValueError(f"有下级行（children）时，{'、'.join(written)} 由下级合计得出，请不要填写")
        return self


class ScoreNode(Model):
    """A scoring block or indicator: weight (分值) and score (得分); parents sum their children."""

    name: SafeStr
    key: SafeStr | None = None
    weight: Points
    score: Points | None = None
    indicator_count: Count | None = None
    examples: SafeStr | None = None
    children: tuple["ScoreNode", ...] = ()

    @model_validator(mode="after")
    def _leaf_has_a_score(self) -> "ScoreNode":
        if self.children and self.score is not None:
            raise ValueError("有下级指标（children）时，得分 score 由下级合计得出，请不要填写")
        if not self.children and self.score is None:
            raise ValueError("没有下级指标时要填写得分 score")
        return self


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
    monthly_execution: tuple[PercentNumber, ...] = ()
    key_task_count: Count | None = None
    scoring: tuple[ScoreNode, ...] = ()
    text: dict[str, Text] = {}
    problems: tuple[Item, ...] = ()
    measures: tuple[Item, ...] = ()

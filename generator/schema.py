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

# Characters XML 1.0 cannot hold (a Word document is XML): C0 controls except
# tab/newline/carriage return, surrogates, and U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    match = _XML_ILLEGAL.search(value)
    if match:
        raise ValueError(f"含有 Word 文档无法保存的控制字符 U+{ord(match.group()):04X}（第 {match.start() + 1} 个字符）")
    return value


def _paragraphs(value: Any) -> Any:
    """A narrative block: one paragraph per non-empty line."""
    if isinstance(value, str):
        return tuple(line.strip() for line in value.splitlines() if line.strip())
    if isinstance(value, list):
        return tuple(value)
    return value


def _no_float(value: Any) -> Any:
    if isinstance(value, float):  # never produced by our loader; refuse anyway
        raise ValueError("金额不能是浮点数")
    if isinstance(value, bool):
        raise ValueError(f"应为数字，得到 {value}")
    return value


def _percent_number(value: Any) -> Any:
    """Accept ``136.18`` or ``"136.18%"`` for a rate written in percent."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return value.strip()[:-1]
    return value


SafeStr = Annotated[str, AfterValidator(_xml_safe)]
Text = Annotated[tuple[SafeStr, ...], BeforeValidator(_paragraphs)]
Amount = Annotated[Decimal, BeforeValidator(_no_float), Field(allow_inf_nan=False, max_digits=20, decimal_places=6)]
PercentNumber = Annotated[Decimal, BeforeValidator(_percent_number), BeforeValidator(_no_float), Field(allow_inf_nan=False, max_digits=12)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]


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


class ScoreNode(Model):
    """A scoring block or indicator: weight (分值) and score (得分); parents sum their children.

    ``name: ~`` is a level the source does not name (printed empty).  A weight or
    score may be left out where its parts (``children`` or ``indicators``) give it;
    where both are written, they must agree (``reportgen check``).
    """

    name: SafeStr | None
    key: SafeStr | None = None
    weight: Amount | None = None
    score: Amount | None = None
    indicator_count: Count | None = None
    examples: SafeStr | None = None
    children: tuple["ScoreNode", ...] = ()
    indicators: tuple["Indicator", ...] = ()
    indicator_type: SafeStr | None = None  # 统计表“指标类型”列，如“产出指标”


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
    reported: tuple["Reported", ...] = ()
    annexes: tuple["AnnexRef", ...] | None = None


class Indicator(Model):
    """A 绩效指标 as listed in the 指标完成情况统计表; what the source does not print stays empty."""

    name: SafeStr | None = None
    target: SafeStr | None = None  # 年度指标值, as printed
    achieved: SafeStr | None = None  # 实际完成值, as printed
    weight: Amount | None = None
    score: Amount | None = None


def _printed_text(value: Any) -> Any:
    """A printed figure written as a YAML number keeps its digits: ``45.50`` → ``"45.50"``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return str(value)
    return value


class Reported(Model):
    """A derived figure as another source printed it, errors included (``reportgen audit``).

    ``figure`` names the computed figure it claims to be (``spending.total.adjustment_rate``);
    ``table``/``row``/``column`` or ``paragraph``/``item`` say where it was printed.
    """

    figure: SafeStr = Field(min_length=1)
    printed: Annotated[SafeStr, BeforeValidator(_printed_text)] = Field(min_length=1)
    table: SafeStr | None = None
    row: SafeStr | None = None
    column: SafeStr | None = None
    paragraph: SafeStr | None = None
    item: SafeStr | None = None

    @model_validator(mode="after")
    def _one_place(self) -> "Reported":
        if (self.table is None) == (self.paragraph is None):
            raise ValueError("应写明印在哪里：表格写 table/row/column，文字写 paragraph/item（二者选一）")
        return self

    @property
    def where(self) -> str:
        """Where it was printed, in words: ``收支表 本年支出合计 预算调整率``."""
        parts = (self.table, self.row, self.column) if self.table is not None else (self.paragraph, self.item)
        return " ".join(p for p in parts if p)


class AnnexRef(Model):
    """An annex (附件) of the report: which one (a key the format knows) and its title."""

    key: SafeStr
    title: SafeStr | None = None


ScoreNode.model_rebuild()
Report.model_rebuild()

"""What ``templates/_base/layout.yaml`` may say (pydantic), checked before anything is rendered.

Imported only to check a version of the file not checked before: :func:`generator.layout.load_layout`
keeps the checked layout as plain data (:mod:`generator.settings_cache`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_Mm = Field(gt=0, le=2000)
_Margin = Field(ge=0, le=1000)
_Points = Field(gt=0, le=1000)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PageSpec(_Strict):
    width_mm: Decimal = _Mm
    height_mm: Decimal = _Mm
    top_mm: Decimal = _Margin
    bottom_mm: Decimal = _Margin
    left_mm: Decimal = _Margin
    right_mm: Decimal = _Margin
    footer_mm: Decimal = _Margin

    @model_validator(mode="after")
    def _margins_leave_room(self) -> PageSpec:
        if self.top_mm + self.bottom_mm >= self.height_mm:
            raise ValueError(
                f"上下页边距之和（{self.top_mm + self.bottom_mm} mm）不小于纸张高度（{self.height_mm} mm），没有地方写正文"
            )
        if self.left_mm + self.right_mm >= self.width_mm:
            raise ValueError(
                f"左右页边距之和（{self.left_mm + self.right_mm} mm）不小于纸张宽度（{self.width_mm} mm），没有地方写正文"
            )
        return self


class PageNumberSpec(_Strict):
    font: str = Field(min_length=1)
    latin: str | None = Field(default=None, min_length=1)
    size_pt: Decimal = _Points
    bold: bool = False
    pattern: str
    odd_even: bool = False

    @field_validator("pattern")
    @classmethod
    def _has_page(cls, value: str) -> str:
        if value.count("{page}") != 1:
            raise ValueError(f"页码格式中要写一次 {{page}}（页码印在那里），如 “— {{page}} —”，得到 “{value}”")
        return value


class StyleSpec(_Strict):
    font: str = Field(min_length=1)
    latin: str | None = Field(default=None, min_length=1)
    size_pt: Decimal = _Points
    line_pt: Decimal = _Points
    bold: bool = False
    align: Literal["left", "right", "center", "justify"] = "justify"
    first_line_chars: Decimal = Field(default=Decimal(0), ge=0, le=50)
    left_chars: Decimal = Field(default=Decimal(0), ge=0, le=50)
    hanging_chars: Decimal = Field(default=Decimal(0), ge=0, le=50)
    space_before_pt: Decimal = Field(default=Decimal(0), ge=0, le=1000)
    space_after_pt: Decimal = Field(default=Decimal(0), ge=0, le=1000)
    # in lines of body text (Normal's line_pt): GB/T 9704's "空一行" under a title
    space_before_lines: Decimal = Field(default=Decimal(0), ge=0, le=10)
    space_after_lines: Decimal = Field(default=Decimal(0), ge=0, le=10)
    page_break_before: bool = False
    keep_with_next: bool = False


class LayoutSettings(_Strict):
    """``templates/_base/layout.yaml``: page, page numbers, paragraph styles."""

    page: PageSpec
    page_number: PageNumberSpec
    styles: dict[str, StyleSpec] = Field(min_length=1)

    @field_validator("styles")
    @classmethod
    def _normal_first(cls, value: dict[str, StyleSpec]) -> dict[str, StyleSpec]:
        if "Normal" not in value:
            raise ValueError("缺少正文样式 Normal（其他样式以它为基础）")
        return value

"""What ``format.yaml`` may declare beside its inputs (pydantic), checked before anything is rendered.

Imported only to check a version of the file not checked before: :func:`generator.formats.load_format`
keeps the checked settings as plain data (:class:`generator.formats.FormatSettings`, kept on
disk by :mod:`generator.settings_cache`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import formats
from .formatting import Numbering


class GradeModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min: Decimal = Field(ge=0, le=1000)
    word: str = Field(min_length=1)


class AnnexModel(BaseModel):
    """An annex (附件) the format's template can render: its key and default title."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str = Field(min_length=1)
    title: str = Field(min_length=1)
    # a declared format: left out (check warns) when no item of the nested list ``items``
    # (``table.list``) gives any of ``values`` — an annex table with nothing to print
    items: str | None = None
    values: tuple[str, ...] = ()


class FormatModel(BaseModel):
    """What ``format.yaml`` may declare."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    template: str = "template.docx"
    unit: Literal["万元", "元"] = "万元"
    rounding: Literal["half_up", "truncate"] = "half_up"
    zero_division: str = "0"
    undefined: str = "—"  # what a figure with no value prints (money, score)
    zero_amount: str | None = None  # what an amount of 0 prints (e.g. "0"); None: as any amount, 0.00
    empty_section: str | None = None  # the filler under a heading with nothing under it (e.g. "无。")
    empty_annex: Literal["omit", "print"] = "omit"  # an annex table with every value column empty
    child_row_indent: int = Field(default=0, ge=0, le=4)  # characters of indent per level before a child row's name
    share_sum_exact: bool = True  # reportgen audit: a printed share column compared as adjusted to sum to 100%
    grades: tuple[GradeModel, ...] = (
        GradeModel(min=Decimal(90), word="优"),
        GradeModel(min=Decimal(80), word="良"),
        GradeModel(min=Decimal(60), word="中"),
        GradeModel(min=Decimal(0), word="差"),
    )
    headings: tuple[str, ...] = ("{cn}、", "（{cn}）", "{n}.", "（{n}）")
    annexes: tuple[AnnexModel, ...] = ()

    @field_validator("template")
    @classmethod
    def _template_beside(cls, value: str) -> str:
        if not value.endswith(".docx") or "/" in value or "\\" in value or value.startswith("."):
            raise ValueError(f"应为与 format.yaml 在同一文件夹的 .docx 文件名，如 template.docx，得到 “{value}”")
        return value

    @field_validator("grades")
    @classmethod
    def _grades_cover_zero(cls, value: tuple[GradeModel, ...]) -> tuple[GradeModel, ...]:
        if not value:
            raise ValueError("至少要有一个等级")
        if min(g.min for g in value) != 0:
            raise ValueError("最低一档的 min 应为 0，否则低于它的得分没有等级")
        return value

    @field_validator("headings")
    @classmethod
    def _headings_numbered(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("至少要有一级标题编号")
        for style in value:
            try:
                Numbering._validate_style(style)
            except ValueError:
                raise ValueError(
                    f"标题编号“{style}”只能用 {{cn}}（一、二、三）和 {{n}}（1、2、3），至少用其中一个；其他花括号不能写"
                ) from None
        return value

    @field_validator("annexes")
    @classmethod
    def _annex_keys_unique(cls, value: tuple[AnnexModel, ...]) -> tuple[AnnexModel, ...]:
        keys = [a.key for a in value]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"附件的 key 重复：{'、'.join(twice)}")
        return value

    def plain(self) -> formats.FormatSettings:
        """The checked settings as plain data (no pydantic needed to read them)."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        values["grades"] = tuple(formats.Grade(g.min, g.word) for g in self.grades)
        values["annexes"] = tuple(formats.AnnexSpec(a.key, a.title, a.items, a.values) for a in self.annexes)
        return formats.FormatSettings(**values)

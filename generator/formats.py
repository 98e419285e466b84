"""A format: one bureau's template plus its declared settings.

``templates/<format>/format.yaml`` declares the settings where the bureaus
differ (unit, rounding, what a division by zero prints, grade bands, heading
numbering, the narrative sections it expects); ``template.docx`` beside it is
the docxtpl template.  Adding a format needs no Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import declare, formula
from .errors import FormatError, Problem
from .formatting import Numbering
from .settings_check import load_settings


class Grade(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min: Decimal = Field(ge=0, le=1000)
    word: str = Field(min_length=1)


class AnnexSpec(BaseModel):
    """An annex (附件) the format's template can render: its key and default title."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str = Field(min_length=1)
    title: str = Field(min_length=1)
    # a declared format: left out (check warns) when no item of the nested list ``items``
    # (``table.list``) gives any of ``values`` — an annex table with nothing to print
    items: str | None = None
    values: tuple[str, ...] = ()


class FormatSettings(BaseModel):
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
    grades: tuple[Grade, ...] = (
        Grade(min=Decimal(90), word="优"),
        Grade(min=Decimal(80), word="良"),
        Grade(min=Decimal(60), word="中"),
        Grade(min=Decimal(0), word="差"),
    )
    headings: tuple[str, ...] = ("{cn}、", "（{cn}）", "{n}.", "（{n}）")
    annexes: tuple[AnnexSpec, ...] = ()

    @field_validator("template")
    @classmethod
    def _template_beside(cls, value: str) -> str:
        if not value.endswith(".docx") or "/" in value or "\\" in value or value.startswith("."):
            raise ValueError(f"应为与 format.yaml 在同一文件夹的 .docx 文件名，如 template.docx，得到 “{value}”")
        return value

    @field_validator("grades")
    @classmethod
    def _grades_cover_zero(cls, value: tuple[Grade, ...]) -> tuple[Grade, ...]:
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
    def _annex_keys_unique(cls, value: tuple[AnnexSpec, ...]) -> tuple[AnnexSpec, ...]:
        keys = [a.key for a in value]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"附件的 key 重复：{'、'.join(twice)}")
        return value


@dataclass(frozen=True)
class Format:
    """A loaded format: its folder and its settings."""

    slug: str
    folder: Path
    settings: FormatSettings
    declaration: declare.Declaration  # what format.yaml's inputs:, text:, figures: … declare

    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def template_path(self) -> Path:
        return self.folder / self.settings.template


def known_formats(templates_dir: Path) -> list[str]:
    """The formats in ``templates_dir``: every folder with a ``format.yaml``."""
    return sorted(p.parent.name for p in Path(templates_dir).glob("*/format.yaml"))


def load_format(templates_dir: Path, slug: str, template: bool = True) -> Format:
    """Load ``templates/<slug>/format.yaml``; a missing or invalid one is a :class:`FormatError`.

    ``template=False``: the template file need not be there yet (``reportgen schema`` reads only format.yaml)."""
    folder = Path(templates_dir) / slug
    path = folder / "format.yaml"
    if not path.is_file():
        known = known_formats(templates_dir)
        raise FormatError(f"{path}: 找不到格式“{slug}”（已有格式：{'、'.join(known) or '无'}）")
    try:
        raw: bytes | None = path.read_bytes()
    except OSError:
        raw = None  # load_settings says what is wrong
    found = _LOADED.get((str(folder), raw)) if raw is not None else None
    if found is None:
        found = _read_format(path)
        if raw is not None:
            if len(_LOADED) >= 64:
                _LOADED.clear()
            _LOADED[(str(folder), raw)] = found
    settings, loaded, declaration = found
    fmt = Format(slug, folder, settings, declaration)
    if template and not fmt.template_path.is_file():
        where = Problem(
            path,
            loaded.line_of(("template",)),
            "template",
            f"模板文件 {settings.template} 不在 format.yaml 所在的文件夹里",
        )
        raise FormatError(str(where))
    return fmt


class _NoInputs(Exception):
    """A format.yaml without ``inputs:`` (told before its settings are checked)."""


def _declared_sections(data: dict) -> tuple[str, ...]:
    """The top-level keys declare reads; a format.yaml must have ``inputs:``."""
    if not declare.is_declared(data):
        raise _NoInputs
    return declare.SECTIONS


# format.yaml read and validated once per run: keyed by the file's bytes
_LOADED: dict[tuple[str, bytes], tuple[FormatSettings, Any, declare.Declaration]] = {}


def _read_format(path: Path) -> tuple[FormatSettings, Any, declare.Declaration]:
    """The settings, the loaded file and its declaration; errors raise."""
    # inputs:/text:/figures: … are read by declare, the rest is the settings
    try:
        settings, loaded = load_settings(path, FormatSettings, elsewhere=_declared_sections)
    except _NoInputs:
        raise FormatError(
            f"{path}:1: inputs: format.yaml 没有声明数据字段：每个格式都要用 inputs: 写明它的数据文件有哪些字段"
            "（每项的类型、label、help），见 docs/新增格式.md"
        ) from None
    library = formula.Settings(settings.rounding, tuple((g.min, g.word) for g in settings.grades))
    declaration, problems = declare.read(loaded, library)
    if problems or declaration is None:
        raise FormatError("\n".join(str(p) for p in problems))
    return settings, loaded, declaration

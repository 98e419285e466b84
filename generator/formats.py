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
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import FormatError
from .load import load_yaml
from .errors import DataError


class Grade(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min: Decimal
    word: str


class AnnexSpec(BaseModel):
    """An annex (附件) the format's template can render: its key and default title."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str
    title: str


class FormatSettings(BaseModel):
    """What ``format.yaml`` may declare."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    template: str = "template.docx"
    unit: Literal["万元", "元"] = "万元"
    rounding: Literal["half_up", "truncate"] = "half_up"
    zero_division: str = "0"
    share_sum_exact: bool = True
    execution_base: Literal["adjusted", "initial"] = "adjusted"
    monthly_cap: Decimal | None = Decimal(100)
    grades: tuple[Grade, ...] = (
        Grade(min=Decimal(90), word="优"),
        Grade(min=Decimal(80), word="良"),
        Grade(min=Decimal(60), word="中"),
        Grade(min=Decimal(0), word="差"),
    )
    headings: tuple[str, ...] = ("{cn}、", "（{cn}）", "{n}.", "（{n}）")
    text_keys: dict[str, str] = Field(default_factory=dict)
    annexes: tuple[AnnexSpec, ...] = ()


@dataclass(frozen=True)
class Format:
    """A loaded format: its folder and its settings."""

    slug: str
    folder: Path
    settings: FormatSettings

    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def template_path(self) -> Path:
        return self.folder / self.settings.template

    @property
    def text_keys(self) -> dict[str, str]:
        return self.settings.text_keys


def known_formats(templates_dir: Path) -> list[str]:
    """The formats in ``templates_dir``: every folder with a ``format.yaml``."""
    return sorted(p.parent.name for p in Path(templates_dir).glob("*/format.yaml"))


def load_format(templates_dir: Path, slug: str) -> Format:
    """Load ``templates/<slug>/format.yaml``; a missing or invalid one is a :class:`FormatError`."""
    folder = Path(templates_dir) / slug
    path = folder / "format.yaml"
    if not path.is_file():
        known = known_formats(templates_dir)
        raise FormatError(f"{path}: 找不到格式“{slug}”（已有格式：{'、'.join(known) or '无'}）")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"{path}: 无法读取：{exc.strerror or exc}") from exc
    key = (str(folder), raw)
    found = _LOADED.get(key)
    if found is None:
        found = _parse_format(slug, folder, path)
        if len(_LOADED) >= 64:
            _LOADED.clear()
        _LOADED[key] = found
    if not found.template_path.is_file():
        raise FormatError(f"{path}: 模板文件不存在：{found.template_path}")
    return found


_LOADED: dict[tuple[str, bytes], Format] = {}  # read once per run: keyed by the file's bytes


def _parse_format(slug: str, folder: Path, path: Path) -> Format:
    try:
        loaded = load_yaml(path)
    except DataError as exc:
        raise FormatError(str(exc)) from exc
    if loaded.problems:
        raise FormatError("\n".join(str(p) for p in loaded.problems))
    try:
        settings = FormatSettings.model_validate(loaded.data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors(include_url=False):
            line = loaded.line_of(tuple(err["loc"]))
            field = ".".join(str(p) for p in err["loc"])
            lines.append(f"{path}:{line}: {field}: {err['msg']}")
        raise FormatError("\n".join(lines)) from exc
    return Format(slug, folder, settings)

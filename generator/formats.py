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

from . import declare, formula
from .errors import FormatError, Problem
from .record import Frozen

_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class Grade(Frozen):
    _fields = ("min", "word")
    min: Decimal
    word: str

    def __init__(self, min: Decimal, word: str) -> None:
        _set(self, "min", min)
        _set(self, "word", word)


class AnnexSpec(Frozen):
    """An annex (附件) the format's template can render: its key and default title."""

    _fields = ("key", "title", "items", "values")
    key: str
    title: str
    # left out (check warns) when no item of the nested list ``items`` (``table.list``)
    # gives any of ``values`` — an annex table with nothing to print
    items: str | None
    values: tuple[str, ...]

    def __init__(self, key: str, title: str, items: str | None = None, values: tuple[str, ...] = ()) -> None:
        _set(self, "key", key)
        _set(self, "title", title)
        _set(self, "items", items)
        _set(self, "values", values)


@dataclass(frozen=True)
class FormatSettings:
    """What ``format.yaml`` declares beside its inputs, checked (:mod:`generator.format_model`
    says what it may declare and checks it): plain data, read without pydantic."""

    name: str
    template: str = "template.docx"
    unit: Literal["万元", "元"] = "万元"
    rounding: Literal["half_up", "truncate"] = "half_up"
    zero_division: str = "0"
    undefined: str = "—"  # what a figure with no value prints (money, score)
    zero_amount: str | None = None  # what an amount of 0 prints (e.g. "0"); None: as any amount, 0.00
    empty_section: str | None = None  # the filler under a heading with nothing under it (e.g. "无。")
    empty_annex: Literal["omit", "print"] = "omit"  # an annex table with every value column empty
    child_row_indent: int = 0  # characters of indent per level before a child row's name
    share_sum_exact: bool = True  # reportgen audit: a printed share column compared as adjusted to sum to 100%
    grades: tuple[Grade, ...] = (
        Grade(Decimal(90), "优"),
        Grade(Decimal(80), "良"),
        Grade(Decimal(60), "中"),
        Grade(Decimal(0), "差"),
    )
    headings: tuple[str, ...] = ("{cn}、", "（{cn}）", "{n}.", "（{n}）")
    annexes: tuple[AnnexSpec, ...] = ()


class Format(Frozen):
    """A loaded format: its folder and its settings."""

    _fields = ("slug", "folder", "settings", "declaration")
    slug: str
    folder: Path
    settings: FormatSettings
    declaration: declare.Declaration  # what format.yaml's inputs:, text:, figures: … declare

    def __init__(self, slug: str, folder: Path, settings: FormatSettings, declaration: declare.Declaration) -> None:
        _set(self, "slug", slug)
        _set(self, "folder", folder)
        _set(self, "settings", settings)
        _set(self, "declaration", declaration)

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
    if raw is None:
        found = _read_format(path)
    else:
        known_one = _LOADED.get((str(folder), raw))
        if known_one is None:
            from .settings_cache import cached

            known_one = cached("format", path, raw, lambda: _read_format(path))
            if len(_LOADED) >= 64:
                _LOADED.clear()
            _LOADED[(str(folder), raw)] = known_one
        found = known_one
    settings, template_line, declaration = found
    fmt = Format(slug, folder, settings, declaration)
    if template and not fmt.template_path.is_file():
        where = Problem(
            path, template_line, "template", f"模板文件 {settings.template} 不在 format.yaml 所在的文件夹里"
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
_LOADED: dict[tuple[str, bytes], tuple[FormatSettings, int | None, declare.Declaration]] = {}


def _read_format(path: Path) -> tuple[FormatSettings, int | None, declare.Declaration]:
    """The settings, the line of ``template:`` and the declaration; errors raise."""
    from .format_model import FormatModel
    from .settings_check import load_settings

    # inputs:/text:/figures: … are read by declare, the rest is the settings
    try:
        model, loaded = load_settings(path, FormatModel, elsewhere=_declared_sections)
    except _NoInputs:
        raise FormatError(
            f"{path}:1: inputs: format.yaml 没有声明数据字段：每个格式都要用 inputs: 写明它的数据文件有哪些字段"
            "（每项的类型、label、help），见 docs/新增格式.md"
        ) from None
    settings = model.plain()
    library = formula.Settings(settings.rounding, tuple((g.min, g.word) for g in settings.grades))
    declaration, problems = declare.read(loaded, library)
    if problems or declaration is None:
        raise FormatError("\n".join(str(p) for p in problems))
    return settings, loaded.line_of(("template",)), declaration

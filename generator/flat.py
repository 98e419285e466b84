"""A figure as ``diff`` pairs it across two years: its path, kind, value and Chinese label.

An item of a table is named by its name (never by its position), so the same row
or indicator is found in two years however the file is ordered; names compare
without numbering or spacing (:func:`normalise_name`).  The figures themselves
come from the declaration (:func:`generator.engine_flat.as_flats`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .record import Frozen

# kinds of figure: how a value prints and how its change is measured
AMOUNT = "amount"  # money, in the format's unit
RATE = "rate"  # a fraction (0.9979 = 99.79%); change in 个百分点
PERCENT = "percent"  # a number already in percent (136.18 = 136.18%); change in 个百分点
SCORE = "score"
COUNT = "count"
WORD = "text"  # a word such as the grade: changed or not, no arithmetic

INPUT, COMPUTED = "input", "computed"


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class Flat(Frozen):
    """One figure: where it is (``path``), what it is, its value."""

    _fields = ("path", "value", "kind", "source", "alias", "label", "names")
    path: tuple[str, ...]
    value: Any
    kind: str
    source: str
    alias: tuple[str, ...]  # the same path with rows named by their ``key`` where they have one
    label: str  # in Chinese: 支出表 › 基本支出 › 人员经费 › 年初预算
    names: tuple[tuple[str, ...], ...]  # its other dotted names (a format's aliases:), split

    def __init__(
        self,
        path: tuple[str, ...],
        value: Any,
        kind: str,
        source: str,
        alias: tuple[str, ...] = (),
        label: str = "",
        names: tuple[tuple[str, ...], ...] = (),
    ) -> None:
        _set(self, "path", path)
        _set(self, "value", value)
        _set(self, "kind", kind)
        _set(self, "source", source)
        _set(self, "alias", alias)
        _set(self, "label", label)
        _set(self, "names", names)

    @property
    def id(self) -> str:
        return "/".join(self.path)


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

"""The placeholder convention of a draft data file: ``待填`` where a figure must be entered.

``reportgen new`` writes ``待填`` (to be filled in) in place of every figure of
last year that must be entered again, e.g. ``initial: 待填`` or
``monthly_execution: 待填``.  The validator reports each one with its line, so
``check`` and ``build`` refuse a draft until it is filled in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .load import Loaded

PLACEHOLDER = "待填"
ACCEPTED = {PLACEHOLDER, "待填写"}
MESSAGE = "待填写：请填入本年度的数字"


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and value.strip() in ACCEPTED


def find(data: Any, loc: tuple = ()) -> Iterator[tuple]:
    """The location of every placeholder in loaded values, in file order."""
    if is_placeholder(data):
        return iter([loc])
    found: list[tuple] = []
    if isinstance(data, (dict, list)):
        _collect(data, loc, found)
    return iter(found)


def _collect(data: dict | list, loc: tuple, found: list[tuple]) -> None:
    """``find`` under a mapping or list: its text values tested here, one call per mapping or list."""
    for key, value in data.items() if isinstance(data, dict) else enumerate(data):
        if isinstance(value, str):
            if value.strip() in ACCEPTED:
                found.append(loc + (key,))
        elif isinstance(value, (dict, list)):
            _collect(value, loc + (key,), found)


def locations(loaded: Loaded) -> list[tuple[tuple, int | None]]:
    """(location, line) of every placeholder of a loaded file."""
    return [(loc, loaded.line_of(loc)) for loc in find(loaded.data)]


def under(loc: tuple, holes: list[tuple]) -> bool:
    """Whether ``loc`` is a placeholder or inside one."""
    return any(loc[: len(hole)] == hole for hole in holes)

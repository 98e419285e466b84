"""The declaration as the import reads it back: template names resolved to declared inputs and
figures, what each prints like, and a printed value as the data file writes it.  No I/O."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from . import declare
from .declare import Declaration, Group, Scalar
from .declare import Table as DeclTable
from .import_tables import number

_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


@dataclass
class Draft:
    data: dict[str, Any] = field(default_factory=dict)
    reported: list[dict[str, str]] = field(default_factory=list)
    unplaced: list[tuple[int, str]] = field(default_factory=list)
    inputs: int = 0  # input values read
    read_from: dict[tuple[str, ...], Any] = field(default_factory=dict)  # an input's path → the Capture it came from
    notes: list[str] = field(default_factory=list)


def resolve(decl: Declaration, path: str) -> tuple[str, ...]:
    """A template name as the declaration names it (``scores.output`` → ``scoring.output``;
    ``income['财政拨款'].actual`` → ``income.财政拨款.actual``)."""
    parts = re.sub(r"\[\s*['\"](.+?)['\"]\s*\]", r".\1", path).split(".")
    for i in range(len(parts), 0, -1):
        target = decl.aliases.get(".".join(parts[:i]))
        if target is not None:
            return tuple(target) + tuple(parts[i:])
    return tuple(parts)


def value_of(spec: Scalar, printed: str) -> Any:
    """A printed value as the data file writes it, by the input's type; None: not readable."""
    if spec.type in ("text", "choice"):
        return printed.strip() or None
    if spec.type == "date":
        m = _CN_DATE.search(printed)
        if m:
            try:
                return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
        return None
    value = number(printed)
    if value is None:
        return None
    if spec.type == "count":
        return int(value) if value == value.to_integral_value() else None
    return value


def put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> bool:
    node = data
    for key in path[:-1]:
        nxt = node.setdefault(key, {})
        if not isinstance(nxt, dict):
            return False
        node = nxt
    if path[-1] in node:
        return False
    node[path[-1]] = value
    return True


VIEWS = {"rows", "top", "leaves"}
VIEW_WORDS = VIEWS | {"grouped", "groups", "grid", "row", "children"}


def plausible(decl: Declaration, name: str) -> bool:
    """Whether a ``reported:`` figure name can name a figure of the format (used when the draft
    cannot be computed yet, to leave out a name ``check`` would refuse)."""
    path = resolve(decl, name)
    if path[0] in decl.figures:
        return len(path) == 1
    spec: Any = None
    specs: dict[str, Any] = decl.inputs
    for n, part in enumerate(path):
        if isinstance(spec, DeclTable):
            last = path[-1]
            rows = path[n:-1]  # row names (or total); a view of the table (grouped, grid) names no figure
            if any(r in VIEW_WORDS for r in rows):
                return False
            return bool(rows) and (last in spec.columns or last in spec.computed)
        if isinstance(spec, Group) and part in spec.computed:
            return n == len(path) - 1
        spec = specs.get(part)
        if spec is None:
            return False
        if isinstance(spec, Scalar):
            return n == len(path) - 1
        specs = spec.fields if isinstance(spec, Group) else {}
    return False


def kind_of(decl: Declaration, name: str, filt: str) -> str:
    """What a printed name looks like (number, percent, date or text), by the declaration."""
    path = [p for p in resolve(decl, name) if p not in VIEWS and p != "total"]
    if not path:
        return "text"
    if path[0] in decl.figures:
        return _print_kind(decl.figures[path[0]].print)
    spec: Any = None
    specs: dict[str, Any] = decl.inputs
    for part in path:
        if isinstance(spec, DeclTable):
            if part in spec.columns:
                return _print_kind(spec.columns[part].print)
            if part in spec.computed:
                return _print_kind(spec.computed[part].print)
            if part in spec.lists:
                spec = spec.lists[part]
            continue  # a row's name or key
        if isinstance(spec, Group) and part in spec.computed:
            return _print_kind(spec.computed[part].print)
        spec = specs.get(part)
        if spec is None:
            return "text"
        if isinstance(spec, Scalar):
            return _print_kind(spec.print)
        specs = spec.fields if isinstance(spec, Group) else {}
    return "text"


def _print_kind(printed: str) -> str:
    return {"money": "number", "score": "number", "count": "number", "number": "number", "percent": "percent"}.get(
        printed, "date" if printed == "date" else "text"
    )


def label_of(decl: Declaration, path: tuple[str, ...]) -> str:
    """A figure's Chinese label by the declaration (its last word when unknown)."""
    if path[0] in decl.figures:
        return decl.figures[path[0]].label
    for i in range(len(path) - 1, 0, -1):
        spec = declare.input_at(decl.inputs, path[:i])
        if isinstance(spec, (DeclTable, Group)):
            last = path[-1]
            if isinstance(spec, DeclTable) and (last in spec.columns or last in spec.computed):
                return spec.label_of(last)
            if isinstance(spec, Group):
                if last in spec.computed:
                    return spec.computed[last].label
                field = spec.fields.get(last)
                if isinstance(field, Scalar):
                    return field.label
    return path[-1]


def in_table(decl: Declaration, path: tuple[str, ...]) -> bool:
    return any(isinstance(declare.input_at(decl.inputs, path[:i]), DeclTable) for i in range(1, len(path)))


def table_label(decl: Declaration, path: tuple[str, ...]) -> str:
    for i in range(len(path), 0, -1):
        spec = declare.input_at(decl.inputs, path[:i])
        if isinstance(spec, (DeclTable, Group)):
            return spec.label
    if path and path[0] in decl.figures:
        return decl.figures[path[0]].label
    return "表格"


def figure_name(written: str, path: tuple[str, ...]) -> str:
    """A figure's name for ``reported:``: as the template writes it, dotted where it subscripts a row."""
    return ".".join(path) if "[" in written else written

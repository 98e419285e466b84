"""Views of a computed table for annex tables: a tree as a grid, a nested list grouped by its rows.

``T.grid``: one row per leaf (or per row that is not broken down), the names of its
ancestors as vertically merged cells (``{{ r.cells[0]|vm }}``), and a subtotal row
after each top row that spans several grid rows.  ``T.grouped.L``: the items of the
nested list ``L`` of every row that lists some, grouped under that row (merged
group cell), a subtotal row per group and a total row.  Pure: rows in, rows out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .vmerge import MergedCell

SUBTOTAL, TOTAL = "小计", "合计"


def _depth(row: dict) -> int:
    return 1 + max((_depth(c) for c in row["children"]), default=0)


def _paths(row: dict, above: list[dict]) -> list[list[dict]]:
    path = above + [row]
    if not row["children"]:
        return [path]
    return [p for child in row["children"] for p in _paths(child, path)]


def grid(top: list[dict], name: str | None, levels: int | None = None) -> list[dict[str, Any]]:
    """Rows ``{cells, row, subtotal}``: ``cells`` has one merged cell per level of the tree
    (``levels`` of them when the format fixes the number, however deep the data goes)."""
    depth = max(levels or 0, max((_depth(r) for r in top), default=1))

    def title(row: dict | None) -> str:
        value = row.get(name) if row is not None and name else None
        return value if isinstance(value, str) else ""

    out: list[dict[str, Any]] = []
    for block in top:
        paths = _paths(block, [])
        for i, path in enumerate(paths):
            cells = []
            for level in range(depth):
                node = path[level] if level < len(path) else None
                previous = paths[i - 1] if i else None
                opens = previous is None or level >= len(previous) or previous[level] is not node or node is None
                if level == depth - 1:
                    opens = True
                cells.append(MergedCell(title(node), opens))
            out.append({"cells": cells, "row": path[-1], "subtotal": False})
        if len(paths) > 1:
            cells = [MergedCell(title(block), False), MergedCell(SUBTOTAL, True)][:depth]
            cells += [MergedCell("", True) for _ in range(depth - len(cells))]
            out.append({"cells": cells, "row": block, "subtotal": True})
    return out


def grouped(
    rows: list[dict],
    key: str,
    label: str | None,
    name: str | None,
    columns: list[str],
    items: Callable[[dict], list[dict]] | None = None,
) -> dict[str, Any]:
    """The items of nested list ``key`` (or those ``items`` gives: a row's leaf children) grouped by the
    row listing them; ``label`` names a group (falling back to the row's name); subtotals are the row's
    own ``columns``, the total their sum."""
    out: list[dict[str, Any]] = []
    listed = items if items is not None else (lambda r: r.get(key) or [])
    groups = [r for r in rows if listed(r)]
    for row in groups:
        text = (row.get(label) if label else None) or (row.get(name) if name else None) or ""
        for i, item in enumerate(listed(row)):
            out.append({"group": MergedCell(text, i == 0), "item": item, "subtotal": False})
        out.append({"group": MergedCell(text, False), "item": row, "subtotal": True})

    def total(values: list[Any]) -> Decimal | None:
        known = [v for v in values if v is not None]
        return sum(known, Decimal(0)) if values and len(known) == len(values) else None

    return {"rows": out, "total": {col: total([g.get(col) for g in groups]) for col in columns}}


@dataclass(frozen=True)
class Annex:
    """An annex (附件): its number, key and title, as the template prints it."""

    number: int
    key: str
    title: str
    alone: bool = False  # the only annex: GB/T 9704 writes no number

    @property
    def label(self) -> str:
        """``附件1`` at the top left of its first page (``附件`` when alone)."""
        return "附件" if self.alone else f"附件{self.number}"

    @property
    def listed(self) -> str:
        """Its entry in the list after the body: ``1. 标题`` (the title alone when alone)."""
        return self.title if self.alone else f"{self.number}. {self.title}"


def annexes(
    defaults: list[tuple[str, str]],
    chosen: list[tuple[str, str | None]] | None,
    empty: set[str] | frozenset = frozenset(),
) -> list[Annex]:
    """The report's annexes: as the data file lists them (key, title or None), else the format's;
    those in ``empty`` (nothing to print) left out."""
    titles = dict(defaults)
    refs = chosen if chosen is not None else [(k, None) for k, _t in defaults]
    refs = [(k, t) for k, t in refs if k in titles and k not in empty]
    return [Annex(n, k, t or titles[k], len(refs) == 1) for n, (k, t) in enumerate(refs, start=1)]


def left_out(settings, values: dict[str, Any]) -> set[str]:
    """The annexes a report leaves out for having nothing to print: none where the format
    says to print them anyway (``empty_annex: print``)."""
    return empty_annexes(settings.annexes, values) if settings.empty_annex == "omit" else set()


def empty_annexes(specs, values: dict[str, Any]) -> set[str]:
    """Keys of the annexes whose ``items`` list (``table.list`` in every row) gives none of ``values``."""
    out = set()
    for spec in specs:
        if not getattr(spec, "items", None):
            continue
        table, _, column = spec.items.partition(".")
        figures = values.get(table)
        rows = getattr(figures, "rows", None)
        if rows is None:
            continue
        by_rows = getattr(figures, "grouped", {}).get(column)
        if by_rows is not None:  # a tree's leaves grouped by the column (count_by), or a nested list
            items = [r["item"] for r in by_rows["rows"] if not r["subtotal"]]
        else:
            items = [item for row in rows for item in (row.get(column) or [])]
        if not any(item.get(v) not in (None, "") for item in items for v in spec.values):
            out.add(spec.key)
    return out

"""Rows read back into the data file's tables (``reportgen import``): a table's views merged by
name, a sentence's loops (series, months, rows), a cell naming a row; inputs written, a parent's
sums and computed columns recorded under ``reported:``.  No I/O."""

from __future__ import annotations

import re
from typing import Any

from . import declare, formula
from .declare import Declaration, Months, Series
from .declare import Table as DeclTable
from .import_decl import VIEWS, Draft, put, resolve, value_of
from .import_tables import ReadTable, Row, number
from .import_template import norm


def read_loop(decl: Declaration, path: tuple[str, ...], items: list[dict[str, Any]], draft: Draft) -> None:
    """A loop the template prints in a sentence, read back: a series, a month list or a table's rows."""
    if path and path[-1] in VIEWS:
        path = path[:-1]
    if len(path) >= 2 and path[-2] == "groups":  # T.groups.COL: the rows sharing a value of COL
        spec = declare.input_at(decl.inputs, path[:-2])
        if isinstance(spec, DeclTable) and path[-1] in spec.columns:
            name_col = spec.name or "name"
            shared = [
                {name_col: name, path[-1]: item.get("value", "")}
                for item in items
                for name in re.split(r"[、,，]", str(item.get("rows", "")))
                if name.strip()
            ]
            read_loop(decl, path[:-2], shared, draft)
        return
    head = declare.input_at(decl.inputs, path[:1])
    spec = declare.input_at(decl.inputs, path)
    if isinstance(head, Months) or isinstance(spec, Series):
        values = [number(item.get("", "")) for item in items]
        if not values or any(v is None for v in values):
            return
        if isinstance(head, Months):
            ok = put(draft.data, path[:1], {"from": 13 - len(values), "rates": values})
        else:
            ok = put(draft.data, path, values)
        draft.inputs += len(values) if ok else 0
        return
    if isinstance(spec, DeclTable):
        node = draft.data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        rows = node.setdefault(path[-1], [])
        if isinstance(rows, list):
            _merge_rows(spec, rows, items, draft)


def _merge_rows(spec: DeclTable, rows: list[dict[str, Any]], items: list[dict[str, Any]], draft: Draft) -> None:
    """Items read from a sentence merged by name into the rows already read (another sentence, a table)."""
    name_col = spec.name or "name"
    for item in items:
        name = item.get(name_col) or item.get("name")
        row = next((r for r in rows if name and r.get(name_col) == name), None)
        if row is None:
            row = {name_col: name} if name else {}
            rows.append(row)
        parent = bool(item.get("children"))
        for column, printed in item.items():
            if column == "children" and isinstance(printed, list):
                if printed:
                    _merge_rows(spec, row.setdefault("children", []), printed, draft)
                continue
            col = spec.columns.get(column)
            if col is None or column == name_col or column in row or not isinstance(printed, str):
                continue
            if parent and col.rollup:
                continue  # a parent's sum: the children give it
            value = value_of(col, printed)
            if value is not None:
                row[column] = value
                draft.inputs += 1


def row_input(decl: Declaration, path: tuple[str, ...], printed: str, draft: Draft) -> bool:
    """``T.ROW.col`` where col is an input of table T: merged into T's rows (the row by its name)."""
    for i in range(1, len(path) - 1):
        spec = declare.input_at(decl.inputs, path[:i])
        if isinstance(spec, DeclTable):
            if len(path) != i + 2 or path[i] == "total" or path[-1] not in spec.columns:
                return False
            node = draft.data
            for key in path[: i - 1]:
                node = node.setdefault(key, {})
            rows = node.setdefault(path[i - 1], [])
            if isinstance(rows, list):
                _merge_rows(spec, rows, [{spec.name or "name": path[i], path[-1]: printed}], draft)
            return True
    return False


def _merge_data(rows: list[dict[str, Any]], more: list[dict[str, Any]], name_col: str, sums: set[str]) -> None:
    """Rows merged in by name; a row that gets children loses the sums its children give (``sums``)."""
    for row in more:
        same = next((r for r in rows if row.get(name_col) and r.get(name_col) == row.get(name_col)), None)
        if same is None:
            rows.append(row)
            continue
        for key, value in row.items():
            if key == "children" and isinstance(value, list):
                _merge_data(same.setdefault("children", []), value, name_col, sums)
                for column in sums:
                    same.pop(column, None)
            else:
                same.setdefault(key, value)


def _stated(spec: DeclTable, row: Row, out: dict[str, Any]) -> None:
    """A computed column ``default(INPUT, …)`` printed where its other inputs are not written: the
    printed value is that input (a qualitative indicator's stated score)."""
    for key, comp in spec.computed.items():
        node = comp.node
        if not (isinstance(node, formula.Call) and node.func == "default" and len(node.args) == 2):
            continue
        first = node.args[0]
        if not isinstance(first, formula.Ref) or len(first.path) != 1 or first.path[0] not in spec.columns:
            continue
        stated = first.path[0]
        others = {r.path[0] for r in formula.refs(node.args[1]) if r.path[0] in spec.columns and r.path[0] != "weight"}
        printed = row.cells.get(key, "")
        if stated in out or not printed.strip() or any(o in out for o in others):
            continue
        value = value_of(spec.columns[stated], printed)
        if value is not None:
            out[stated] = value


def merge_views(rows: list[Row], more: list[Row]) -> None:
    """Rows of another view of the same table merged in by name (a deeper view gives the children)."""
    for row in more:
        same = next((r for r in rows if r.name and norm(r.name) == norm(row.name)), None)
        if same is None:
            rows.append(row)
            continue
        for key, value in row.cells.items():
            same.cells.setdefault(key, value)
        if row.children and not same.children:
            same.children = row.children
        elif row.children:
            merge_views(same.children, row.children)


def read_table(decl: Declaration, table: ReadTable, draft: Draft) -> None:
    path = resolve(decl, table.shape.key)
    spec = declare.input_at(decl.inputs, path)
    if not isinstance(spec, DeclTable) or table.shape.view not in ("rows", "top", "grid", ""):
        return
    name_col = spec.name or "name"
    label = spec.label

    def entry(row_name: str, printed_name: str, column: str, printed: str) -> None:
        if printed.strip() and row_name and all(lineage):
            draft.reported.append(
                {
                    "figure": ".".join((table.shape.key, *lineage, column)),
                    "table": label,
                    "row": printed_name,
                    "column": table.headers.get(column, column),
                    "printed": printed.strip(),
                }
            )

    lineage: list[str] = []  # the names of the row and its parents

    def row_data(row: Row) -> dict[str, Any]:
        lineage.append(row.name)
        out: dict[str, Any] = {name_col: row.name or None}
        for column, printed in row.cells.items():
            col = spec.columns.get(column)
            if col is not None and not (row.children and col.rollup):
                value = value_of(col, printed)
                if value is not None:
                    out[column] = value
                    draft.inputs += 1
            else:
                entry(row.name, row.printed_name, column, printed)
        if not row.children:
            _stated(spec, row, out)
        if row.children:
            out["children"] = [row_data(c) for c in row.children]
        lineage.pop()
        return out

    rows = [row_data(r) for r in table.rows]
    if table.total is not None:
        lineage.append("total")
        for column, printed in table.total.cells.items():
            entry("total", table.total.printed_name, column, printed)
        lineage.pop()
    if rows and not put(draft.data, path, rows):
        node: Any = draft.data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, list):  # rows a sentence gave already: the table's merged in by name
            _merge_data(node, rows, name_col, {k for k, c in spec.columns.items() if c.rollup})


def nested_rows(spec: DeclTable, path: str, items: list[dict[str, Any]], row: dict[str, Any], draft: Draft) -> None:
    """An item's own list printed by a block: ``groups.COL`` (each group's value, then its rows) into
    the nested list that has column COL; a plain loop over the nested list into it directly."""
    parts = path.split(".")
    if len(parts) == 2 and parts[0] == "groups":
        column = parts[1]
        nested = next((t for t in spec.lists.values() if column in t.columns), None)
        if nested is None:
            return
        flat = [{column: g.get("value", ""), **r} for g in items for r in g.get("rows", []) if isinstance(r, dict)]
    else:
        nested = spec.lists.get(parts[0])
        flat = items
        if nested is None:
            return
    out = row.setdefault(nested.key, [])
    for item in flat:
        values: dict[str, Any] = {}
        for key, printed in item.items():
            col = nested.columns.get(key)
            if col is None or not isinstance(printed, str):
                continue
            value = value_of(col, printed)
            if value is not None:
                values[key] = value
                draft.inputs += 1
        if values:
            out.append(values)

"""What the import found, sorted by the declaration into inputs and printed figures (step 4).

A name the template prints is an *input* when the declaration has it as an input (a
scalar, a table's input column of a leaf row, a series) — its printed value is read back
into the data file — and otherwise a derived *figure* (a total, a rate, a score, a
grade, a parent row's sum) — recorded under ``reported:`` exactly as printed, so that
``reportgen audit`` compares it with what the data gives.  Narrative numbers equal to
exactly one computed figure become references (``{{ spending.total.initial|money }}``).
No I/O.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from . import declare, formula
from .declare import Declaration, Group, Months, Scalar, Series
from .declare import Table as DeclTable
from .import_outline import Placement
from .import_tables import ReadTable, Row, number
from .import_template import norm

FILTERS = {"money": "money", "percent": "percent", "score": "score"}
_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NUMBER_IN_TEXT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|(?<![\d.,])\d+\.\d+%?")


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


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> bool:
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


def assemble(
    decl: Declaration,
    slug: str,
    year: int,
    placement: Placement,
    tables: list[ReadTable],
    annexes: list[tuple[str, str]] | None = None,
) -> Draft:
    """The data file's content (without ``reported:`` resolved against the engine yet).

    ``annexes``: the format's annexes (key, title), to tell which the document has.
    """
    draft = Draft(unplaced=list(placement.unplaced))
    data = draft.data
    data["format"] = slug
    data["year"] = year
    _annexes(placement, annexes or [], data)
    for capture in placement.captures:
        path = resolve(decl, capture.expr.path)
        if path and path[0] in ("a", "annex"):
            continue
        if path and path[0] == "t" and len(path) == 2 and path[1] in decl.text:  # a narrative key the sentence prints
            paras = [i.get("", "") for i in capture.items] if capture.items is not None else [capture.printed]
            data.setdefault("text", {}).setdefault(path[1], "\n".join(p for p in paras if p))
            continue
        if capture.items is not None:
            _loop(decl, path, capture.items, draft)
            continue
        spec = declare.input_at(decl.inputs, path)
        if isinstance(spec, Scalar) and not _in_table(decl, path):
            value = value_of(spec, capture.printed)
            if value is not None and _set(data, path, value):
                draft.inputs += 1
                draft.read_from[path] = capture
            continue
        if _row_input(decl, path, capture.printed, draft):
            continue
        if capture.where is not None:
            draft.reported.append(
                {
                    "figure": _figure_name(capture.expr.path, path),
                    "table": _table_label(decl, path),
                    "row": capture.where[0],
                    "column": capture.where[1],
                    "printed": capture.printed,
                }
            )
            continue
        draft.reported.append(
            {
                "figure": _figure_name(capture.expr.path, path),
                "paragraph": capture.section,
                "item": label_of(decl, path),
                "printed": capture.printed,
            }
        )
    merged: dict[tuple[str, ...], ReadTable] = {}
    for table in tables:  # one table printed in several views (综合得分表, 自评表): one tree
        at = resolve(decl, table.shape.key)
        if at in merged:
            _merge(merged[at].rows, table.rows)
            merged[at].total = merged[at].total or table.total
        else:
            merged[at] = table
    for table in merged.values():
        _table(decl, table, draft)
    _computed_otherwise(decl, decl.inputs, data, (), draft)
    text = {k: "\n".join(v) for k, v in placement.narrative.items() if k in decl.text}
    for key, paras in placement.narrative.items():
        if key not in decl.text:
            draft.unplaced += [(0, p) for p in paras]
    if text:
        data.setdefault("text", {}).update(text)
    for name, items in placement.items.items():
        spec = declare.input_at(decl.inputs, resolve(decl, name))
        if not isinstance(spec, DeclTable):
            continue
        rows = []
        for item in items:
            row: dict[str, Any] = {item.title_column: item.title}
            for column, paras in item.text.items():
                row[column] = "\n".join(paras)
            rows.append(row)
        data.setdefault(spec.key, rows)
    return draft


VIEWS = {"rows", "top", "leaves"}


def _loop(decl: Declaration, path: tuple[str, ...], items: list[dict[str, Any]], draft: Draft) -> None:
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
            _loop(decl, path[:-2], shared, draft)
        return
    head = declare.input_at(decl.inputs, path[:1])
    spec = declare.input_at(decl.inputs, path)
    if isinstance(head, Months) or isinstance(spec, Series):
        values = [number(item.get("", "")) for item in items]
        if not values or any(v is None for v in values):
            return
        if isinstance(head, Months):
            ok = _set(draft.data, path[:1], {"from": 13 - len(values), "rates": values})
        else:
            ok = _set(draft.data, path, values)
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


def _computed_otherwise(
    decl: Declaration, specs: dict[str, Any], data: dict[str, Any], at: tuple[str, ...], draft: Draft
) -> None:
    """A field written or else computed (``otherwise:``), where the parts it is computed from were read:
    not written, its print recorded under ``reported:``."""
    for key, spec in specs.items():
        if isinstance(spec, Group) and isinstance(data.get(key), dict):
            _computed_otherwise(decl, spec.fields, data[key], (*at, key), draft)
        elif isinstance(spec, Scalar) and spec.otherwise is not None and key in data and spec.parts:
            if not any(part in data for part in spec.parts):
                continue
            del data[key]
            capture = draft.read_from.get((*at, key))
            if capture is not None:
                draft.reported.append(
                    {
                        "figure": _figure_name(capture.expr.path, (*at, key)),
                        "paragraph": capture.section,
                        "item": spec.label,
                        "printed": capture.printed,
                    }
                )


def _figure_name(written: str, path: tuple[str, ...]) -> str:
    """A figure's name for ``reported:``: as the template writes it, dotted where it subscripts a row."""
    return ".".join(path) if "[" in written else written


def _row_input(decl: Declaration, path: tuple[str, ...], printed: str, draft: Draft) -> bool:
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


def _table_label(decl: Declaration, path: tuple[str, ...]) -> str:
    for i in range(len(path), 0, -1):
        spec = declare.input_at(decl.inputs, path[:i])
        if isinstance(spec, (DeclTable, Group)):
            return spec.label
    if path and path[0] in decl.figures:
        return decl.figures[path[0]].label
    return "表格"


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
            return n < len(path) - 1 and (last in spec.columns or last in spec.computed)
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


def _in_table(decl: Declaration, path: tuple[str, ...]) -> bool:
    return any(isinstance(declare.input_at(decl.inputs, path[:i]), DeclTable) for i in range(1, len(path)))


def _annexes(placement: Placement, known: list[tuple[str, str]], data: dict[str, Any]) -> None:
    """The annexes the document has, by their titles: ``annexes:`` where they are not the format's own."""
    titles = [c.printed for c in placement.captures if c.expr.path == "a.title"]
    if not titles:
        titles = [
            re.sub(r"^\s*\d+\s*[.．、]\s*", "", c.printed) for c in placement.captures if c.expr.path == "a.listed"
        ]
    found: list[dict[str, str]] = []
    for title in titles:
        scored = [(difflib.SequenceMatcher(None, norm(t), norm(title)).ratio(), k, t) for k, t in known]
        best = max(scored, default=None)
        if best is None or best[0] < 0.6 or any(f["key"] == best[1] for f in found):
            continue
        found.append({"key": best[1]} if norm(best[2]) == norm(title) else {"key": best[1], "title": title})
    if found and found != [{"key": k} for k, _t in known]:
        data["annexes"] = found


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


def _merge(rows: list[Row], more: list[Row]) -> None:
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
            _merge(same.children, row.children)


def _table(decl: Declaration, table: ReadTable, draft: Draft) -> None:
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
    if rows and not _set(draft.data, path, rows):
        node: Any = draft.data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, list):  # rows a sentence gave already: the table's merged in by name
            _merge_data(node, rows, name_col, {k for k, c in spec.columns.items() if c.rollup})


def references(paragraph: str, figures: dict[str, tuple[str, str]]) -> str:
    """Numbers in a narrative paragraph that print exactly one computed figure, as references.

    ``figures``: printed text → (name, print kind), only for names printed by one figure.
    """

    def swap(m: re.Match[str]) -> str:
        found = figures.get(m.group(0))
        if found is None:
            return m.group(0)
        name, kind = found
        filt = FILTERS.get(kind)
        return "{{ " + name + (f"|{filt}" if filt else "") + " }}"

    return _NUMBER_IN_TEXT.sub(swap, paragraph)


def unique_printed(flat: list[Any]) -> dict[str, tuple[str, str]]:
    """Printed text → (name, kind) of the figures a paragraph can name (computed, or read from a table or a
    sentence the template writes), where one figure prints so.

    A number printed by two figures (two scores of 50) is left as it is: which one the
    writer meant is not known.
    """
    seen: dict[str, list[Any]] = {}
    for fig in flat:
        if fig.value is None or fig.printed in ("", "—", "-"):
            continue
        seen.setdefault(fig.printed, []).append(fig)
    out: dict[str, tuple[str, str]] = {}
    for printed, figs in seen.items():
        if len(figs) != 1:
            continue
        names = [figs[0].id, *figs[0].aliases]
        usable = [n for n in names if all(p.isascii() and p.isidentifier() for p in n.split("."))]
        if usable:
            out[printed] = (usable[0], figs[0].kind)
    return out


__all__ = ["Draft", "Group", "assemble", "references", "resolve", "unique_printed", "value_of"]

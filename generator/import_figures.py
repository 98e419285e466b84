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

import difflib
import re
from typing import Any

from . import declare
from .declare import Declaration, Group, Scalar
from .declare import Table as DeclTable
from .import_decl import Draft, figure_name, in_table, label_of, put, resolve, table_label, value_of
from .import_outline import Placement
from .import_rows import merge_views, nested_rows, read_loop, read_table, row_input
from .import_tables import ReadTable
from .import_template import norm

FILTERS = {"money": "money", "percent": "percent", "score": "score"}
_NUMBER_IN_TEXT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|(?<![\d.,])\d+\.\d+%?")


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
            read_loop(decl, path, capture.items, draft)
            continue
        spec = declare.input_at(decl.inputs, path)
        if isinstance(spec, Scalar) and not in_table(decl, path):
            value = value_of(spec, capture.printed)
            if value is not None and put(data, path, value):
                draft.inputs += 1
                draft.read_from[path] = capture
            continue
        if row_input(decl, path, capture.printed, draft):
            continue
        if capture.where is not None:
            draft.reported.append(
                {
                    "figure": figure_name(capture.expr.path, path),
                    "table": table_label(decl, path),
                    "row": capture.where[0],
                    "column": capture.where[1],
                    "printed": capture.printed,
                }
            )
            continue
        draft.reported.append(
            {
                "figure": figure_name(capture.expr.path, path),
                "paragraph": capture.section,
                "item": label_of(decl, path),
                "printed": capture.printed,
            }
        )
    merged: dict[tuple[str, ...], ReadTable] = {}
    for table in tables:  # one table printed in several views (综合得分表, 自评表): one tree
        if table.shape.view not in ("rows", "top", "grid", ""):
            continue  # a grouped view (统计表 by 指标类型): its rows are another table's, not read back
        at = resolve(decl, table.shape.key)
        if at in merged:
            merge_views(merged[at].rows, table.rows)
            merged[at].total = merged[at].total or table.total
        else:
            merged[at] = table
    for table in merged.values():
        read_table(decl, table, draft)
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
                col = spec.columns.get(column)
                if col is not None and col.type == "paragraphs":
                    row[column] = "\n".join(paras)
                else:  # paragraphs the template prints in a way not read back: listed, not dropped
                    draft.unplaced += list(zip(item.paras.get(column, [0] * len(paras)), paras, strict=False))
            for column, printed in item.fields.items():
                col = spec.columns.get(column)
                value = value_of(col, printed) if col is not None else None
                if value is not None:
                    row[column] = value
                    draft.inputs += 1
                elif column in spec.computed and item.title:
                    draft.reported.append(
                        {
                            "figure": f"{name}.{item.title}.{column}",
                            "paragraph": item.section,
                            "item": spec.computed[column].label,
                            "printed": printed,
                        }
                    )
            for loop_path, groups in item.nested.items():
                nested_rows(spec, loop_path, groups, row, draft)
            rows.append(row)
        data.setdefault(spec.key, rows)
    return draft


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
                        "figure": figure_name(capture.expr.path, (*at, key)),
                        "paragraph": capture.section,
                        "item": spec.label,
                        "printed": capture.printed,
                    }
                )


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

"""``reportgen import FILE.docx --format FMT DEPT YEAR``: last year's Word report as a data file.

The steps, each its own module and free of I/O:

    import_template   the template as grammar: headings, narrative slots, titled lists,
                      sentences and tables the template writes itself
    import_pattern    a templated sentence or cell compiled into a pattern that reads it back
    import_outline    the document's paragraphs placed in the format's outline
    import_tables     the document's tables read by their template (header words, row names)
    import_decl       template names resolved by the declaration; printed values as data
    import_rows       rows read back into the data file's tables
    import_figures    inputs written, derived figures under ``reported:``, narrative references
    import_write      the YAML text with its summary

Here: reading the files (``docx_in``), checking the draft with the engine, writing it atomically.
"""

from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import declare, import_decl, import_figures, import_outline, import_tables, import_template
from .declare import Declaration, Group, Scalar
from .docx_in import Table as DocTable
from .docx_in import read_blocks
from .errors import DataError, OutputError, Problem
from .formats import Format, load_format
from .import_pattern import Compiler, number_pattern
from .import_write import Summary, yaml_text
from .load import load_yaml
from .placeholder import PLACEHOLDER
from .write import write_atomic


@dataclass
class Imported:
    path: Path
    text: str
    summary: Summary
    valid: bool  # the draft passes check as written


def declared_format(project: Any, slug: str) -> Format:
    """The format to import into (a format.yaml without inputs: is refused by load_format)."""
    return load_format(project.templates_dir, slug)


def draft_from_blocks(blocks: list, fmt: Format, year: int, source: str, target: Path) -> Imported:
    """The data file's text from the document's blocks (pure apart from the engine's check)."""
    decl: Declaration = fmt.declaration
    template = read_blocks(fmt.template_path)
    number = number_pattern(fmt.settings.headings)
    compiler = Compiler(
        year, fmt.settings.unit, import_template.norm, lambda n, f: import_decl.kind_of(decl, n, f), number
    )
    pieces = import_template.skeleton(template, compiler)
    labels = {k: label for k, (label, _h) in decl.text.items()}
    placement = import_outline.place(blocks, pieces, labels, number)
    shapes = [p.table for p in pieces if p.table is not None]
    joined = import_tables.join_split(placement.tables)
    read: list[import_tables.ReadTable] = []

    def total_word(key: str) -> str:
        spec = declare.input_at(decl.inputs, import_decl.resolve(decl, key))
        return str(getattr(spec, "total", "合计"))

    for i, j in import_tables.match(shapes, joined):
        rows, section, _h = joined[j]
        loops, cells = import_tables.read_table(shapes[i], rows, section, total_word)
        read += loops
        for cell in cells:
            where = (cell.row, cell.column)
            placement.captures.append(import_outline.Capture(cell.expr, cell.printed, section, 0, where=where))
    annexes = [(a.key, a.title) for a in fmt.settings.annexes]
    draft = import_figures.assemble(decl, fmt.slug, year, placement, read, annexes)
    placeholders: list[tuple[tuple[str, ...], Scalar]] = []
    missing = _fill_missing(decl, draft.data, placeholders)
    reported = draft.reported
    draft.reported = []
    # the figures as the engine computes them, with each 待填 given two different trial values:
    # a figure that prints the same in both does not depend on what is still to be filled in
    flat = _probe(fmt, year, target, draft, placeholders, 0)
    other = _probe(fmt, year, target, draft, placeholders, 1) if placeholders and flat is not None else flat
    if flat is not None and other is not None:
        names = _index(flat)
        same = {f.id for f, g in zip(flat, other, strict=False) if f.id == g.id and f.printed == g.printed}
        kept = []
        for entry in reported:
            fig = names.get(entry["figure"]) or names.get(".".join(import_decl.resolve(decl, entry["figure"])))
            if fig is None:
                continue
            if "item" in entry:
                entry = {**entry, "item": fig.labels[-1] if fig.labels else entry["item"]}
            kept.append(entry)
        reported = kept
        printed = import_figures.unique_printed([f for f in flat if f.id in same])
        text = draft.data.get("text", {})
        for key, value in text.items():
            text[key] = "\n".join(import_figures.references(p, printed) for p in value.split("\n"))
    else:
        reported = [e for e in reported if import_decl.plausible(decl, e["figure"])]
    draft.reported = reported
    summary = _summary(source, placement, draft, read, missing, fmt)
    text = yaml_text(draft, fmt.slug, summary)
    valid = _engine(fmt, year, target, text) is not None
    return Imported(target, text, summary, valid)


def _summary(source: str, placement, draft, read, missing: list[str], fmt: Format | None = None) -> Summary:
    pieces = placement.template_headings
    return Summary(
        source,
        placement.headings,
        placement.fixed,
        placement.placed,
        len(draft.unplaced),
        draft.inputs,
        len(draft.reported),
        len(read),
        missing,
        pieces,
        placement.format_headings,
        fmt.name if fmt is not None else "",
    )


TRIAL = {
    "count": (1, 2),
    "amount": (Decimal(1), Decimal(2)),
    "number": (Decimal(1), Decimal(2)),
    "percent": (Decimal(50), Decimal(60)),
}


def _probe(
    fmt: Format, year: int, target: Path, draft: Any, placeholders: list[tuple[tuple[str, ...], Scalar]], trial: int
) -> list | None:
    """The engine's figures of the draft with each 待填 given trial value number ``trial``; None: not computable."""
    data = copy.deepcopy(draft.data)
    for path, spec in placeholders:
        node = data
        for key in path[:-1]:
            node = node[key]
        if spec.type in TRIAL:
            value: Any = TRIAL[spec.type][trial]
        elif spec.type == "date":
            value = _dt.date(year, 12, 31)
        elif spec.type == "choice" and spec.values:
            value = spec.values[trial % len(spec.values)]
        else:
            value = ("甲", "乙")[trial]
        node[path[-1]] = value
    text = data.setdefault("text", {})
    for key in fmt.declaration.text:  # a narrative the report does not have: a trial paragraph
        text.setdefault(key, "甲")
    probe = copy.copy(draft)
    probe.data = data
    probe.unplaced = []
    summary = Summary("", 0, 0, 0, 0, 0, 0, 0, [])
    return _engine(fmt, year, target, yaml_text(probe, fmt.slug, summary))


def _fill_missing(
    decl: Declaration, data: dict[str, Any], placeholders: list[tuple[tuple[str, ...], Scalar]] | None = None
) -> list[str]:
    """Required scalars the report did not show: written ``待填``; their labels (and of other inputs missing)."""
    missing: list[str] = []

    def walk(specs: dict[str, Any], node: dict[str, Any], labels: tuple[str, ...], at: tuple[str, ...]) -> None:
        for key, spec in specs.items():
            label = " › ".join((*labels, spec.label))
            if isinstance(spec, Scalar):
                if spec.required and key not in node and spec.otherwise is None:
                    node[key] = PLACEHOLDER
                    missing.append(label)
                    if placeholders is not None:
                        placeholders.append(((*at, key), spec))
            elif isinstance(spec, Group):
                if key in node and isinstance(node[key], dict):
                    walk(spec.fields, node[key], (*labels, spec.label), (*at, key))
                elif spec.required and key not in node:
                    node[key] = {}
                    walk(spec.fields, node[key], (*labels, spec.label), (*at, key))
            elif getattr(spec, "required", False) and key not in node:
                missing.append(label)

    walk(decl.inputs, data, (), ())
    return missing


def _engine(fmt: Format, year: int, target: Path, text: str) -> list | None:
    """The draft's flat figure list when it passes the engine's check, else None."""
    from .pipeline import _declared

    try:
        loaded = load_yaml(target, text)
        return _declared(loaded, fmt, year).flat
    except DataError:
        return None


def _index(flat: list) -> dict:
    from .engine_flat import index

    return index(flat)


def import_report(project: Any, source: Path, slug: str, dept: str, year: int, force: bool = False) -> Imported:
    """Read ``source`` and write ``data/<dept>/<year>.yaml``; refuse to replace a file without ``force``."""
    fmt = declared_format(project, slug)
    target = project.data_path(dept, year)
    if target.exists() and not force:
        raise OutputError(f"{target}: 数据文件已存在，不会覆盖（确要用导入的内容替换它，请加 --force）")
    blocks = read_blocks(source)
    if not any(isinstance(b, DocTable) or b.text.strip() for b in blocks):
        raise DataError([Problem(source, None, "", "文件里没有文字，无法导入")])
    result = draft_from_blocks(blocks, fmt, year, source.name, target)
    write_atomic(target, result.text.encode("utf-8"))
    return replace(result, path=target)

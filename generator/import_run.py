"""``reportgen import FILE.docx --format FMT DEPT YEAR``: last year's Word report as a data file.

The steps (each its own module, computation free of I/O): the template as grammar
(:mod:`import_template`), the document's paragraphs placed in its outline
(:mod:`import_outline`), its tables read (:mod:`import_tables`), inputs and printed
figures sorted by the declaration and narrative numbers made references
(:mod:`import_figures`), the YAML text (:mod:`import_write`).  Here: reading the files,
checking the draft with the engine, and writing it atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import declare, import_figures, import_outline, import_tables, import_template
from .declare import Declaration, Group, Scalar
from .docx_in import Table as DocTable
from .docx_in import read_blocks
from .errors import DataError, FormatError, OutputError, Problem
from .formats import Format, load_format
from .import_pattern import Compiler
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
    fmt = load_format(project.templates_dir, slug)
    if fmt.declaration is None:
        raise FormatError(
            f"{fmt.folder / 'format.yaml'}: 格式“{slug}”还没有在 format.yaml 中用 inputs: 声明数据字段，暂时不能导入"
        )
    return fmt


def draft_from_blocks(blocks: list, fmt: Format, year: int, source: str, target: Path) -> Imported:
    """The data file's text from the document's blocks (pure apart from the engine's check)."""
    decl: Declaration = fmt.declaration
    template = read_blocks(fmt.template_path)
    compiler = Compiler(year, fmt.settings.unit, import_template.norm, lambda n, f: import_figures.kind_of(decl, n, f))
    pieces = import_template.skeleton(template, compiler)
    placement = import_outline.place(blocks, pieces, {k: label for k, (label, _h) in decl.text.items()})
    shapes = [p.table for p in pieces if p.table is not None]
    joined = import_tables.join_split(placement.tables)
    read: list[import_tables.ReadTable] = []
    for i, j in import_tables.match(shapes, joined):
        spec = declare.input_at(decl.inputs, import_figures.resolve(decl, shapes[i].key))
        total = getattr(spec, "total", "合计")
        rows, section, _h = joined[j]
        read.append(import_tables.read(shapes[i], rows, section, total))
    draft = import_figures.assemble(decl, fmt.slug, year, placement, read)
    missing = _fill_missing(decl, draft.data)
    reported = draft.reported
    draft.reported = []
    flat = _engine(fmt, year, target, yaml_text(draft, fmt.slug, _summary(source, placement, draft, read, [])))
    if flat is not None:
        names = _index(flat)
        kept = []
        for entry in reported:
            fig = names.get(entry["figure"]) or names.get(".".join(import_figures.resolve(decl, entry["figure"])))
            if fig is None:
                continue
            if "item" in entry:
                entry = {**entry, "item": fig.labels[-1] if fig.labels else entry["item"]}
            kept.append(entry)
        reported = kept
        printed = import_figures.unique_printed(flat)
        text = draft.data.get("text", {})
        for key, value in text.items():
            text[key] = "\n".join(import_figures.references(p, printed) for p in value.split("\n"))
    draft.reported = reported
    summary = _summary(source, placement, draft, read, missing)
    text = yaml_text(draft, fmt.slug, summary)
    valid = _engine(fmt, year, target, text) is not None
    return Imported(target, text, summary, valid)


def _summary(source: str, placement, draft, read, missing: list[str]) -> Summary:
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
    )


def _fill_missing(decl: Declaration, data: dict[str, Any]) -> list[str]:
    """Required scalars the report did not show: written ``待填``; their labels (and of other inputs missing)."""
    missing: list[str] = []

    def walk(specs: dict[str, Any], node: dict[str, Any], labels: tuple[str, ...]) -> None:
        for key, spec in specs.items():
            label = " › ".join((*labels, spec.label))
            if isinstance(spec, Scalar):
                if spec.required and key not in node and spec.otherwise is None:
                    node[key] = PLACEHOLDER
                    missing.append(label)
            elif isinstance(spec, Group):
                if key in node and isinstance(node[key], dict):
                    walk(spec.fields, node[key], (*labels, spec.label))
                elif spec.required and key not in node:
                    node[key] = {}
                    walk(spec.fields, node[key], (*labels, spec.label))
            elif getattr(spec, "required", False) and key not in node:
                missing.append(label)

    walk(decl.inputs, data, ())
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

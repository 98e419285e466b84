"""The pipeline, step by step: load → validate → compute → format → render → write.

A Python API over which the CLI is a thin layer.  Every format is declared in its
``format.yaml`` (``inputs:``, ``figures:``, ``text:`` …): the engine (``engine_*``) validates
a data file against the declaration, computes its figures, checks them and gives the
template its names.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DataError, FormatError, NotFound, Problem, field_path
from .formats import Format, known_formats, load_format
from .load import Loaded, load_yaml
from .project import _FORMAT_SLUG, Project  # noqa: F401 - Project is part of this API
from .record import Frozen
from .title import TitleHints, title_capacity, title_problem
from .write import write_atomic

if TYPE_CHECKING:
    from .audit import AuditResult
    from .engine_compute import DeclaredFigures, StatedMismatch
    from .engine_context import Name
    from .engine_flat import DeclaredFigure
    from .engine_validate import Inputs

# a data file's first line names its format: the folder of templates/ that holds its format.yaml
FORMAT_HINT = "format: 格式名称（templates/ 下的文件夹名）"


def _open(project: Project, dept: str, year: int | str, path: Path | None = None) -> tuple[Loaded, Format]:
    """Read one data file (``path``, by default the project's) and load the format it names."""
    path = Path(path) if path is not None else project.data_path(dept, year)
    try:
        missing = not path.exists()
    except OSError:  # no permission to look into its folder: reading it will say so
        missing = False
    if missing:
        years = [str(y) for d, y in project.reports(dept)]
        hint = f"（该部门已有年度：{'、'.join(years)}）" if years else "（没有这个部门的数据文件夹）"
        raise NotFound(f"{path}: 找不到数据文件{hint}")
    loaded = load_yaml(path)
    if not isinstance(loaded.data, dict):
        raise DataError([Problem(path, 1, "", f"文件内容应为一组字段（“名称: 值”），第一行通常是 {FORMAT_HINT}")])
    problem = _format_problem(project, loaded)
    if problem:  # the file's other problems with it, so that one pass fixes all
        raise DataError([problem] + _other_problems(project, loaded, year))
    return loaded, load_format(project.templates_dir, loaded.data["format"])


def _other_problems(project: Project, loaded: Loaded, year: int | str) -> list[Problem]:
    """A file naming no known format: its problems under the format its fields fit best (the most
    of its top-level fields declared, the fewest not), validated under that one only."""
    from .engine_validate import validate_declared

    fields = set(loaded.data) - {"format", "year", "text", "reported", "title_lines", "annexes"}
    best, fit = None, None
    for slug in known_formats(project.templates_dir):
        try:
            fmt = load_format(project.templates_dir, slug, template=False)
        except FormatError:
            continue
        declared = set(fmt.declaration.inputs)
        score = (len(fields & declared), -len(fields - declared))
        if fit is None or score > fit:
            best, fit = fmt, score
    if best is None:
        return []
    try:
        validate_declared(loaded, best.declaration, year, [a.key for a in best.settings.annexes])
    except DataError as exc:
        return [p for p in exc.problems if p.field != "format"]
    return []


def _format_problem(project: Project, loaded: Loaded) -> Problem | None:
    """The data file's ``format:`` must name a folder in ``templates/``."""
    slug = loaded.data.get("format")
    line = loaded.line_of(("format",))
    if isinstance(slug, str) and _FORMAT_SLUG.match(slug) and (project.templates_dir / slug / "format.yaml").is_file():
        return None  # the common case: no need to list the formats
    known = "、".join(known_formats(project.templates_dir)) or "无"
    if slug is None:
        return Problem(loaded.path, line, "format", f"缺少格式名称，应写 format: 格式名称（已有格式：{known}）")
    if isinstance(slug, str) and len(slug) > 100:
        return Problem(
            loaded.path,
            line,
            "format",
            f"格式名称过长（{len(slug)} 个字符，最多 100 个）：“{slug[:24]}…”（已有格式：{known}）",
        )
    if not isinstance(slug, str) or not _FORMAT_SLUG.match(slug):
        shown = str(slug) if isinstance(slug, (str, int)) else "一组内容"
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        return Problem(
            loaded.path, line, "format", f"格式名称“{shown}”无效：只能用小写字母、数字和连字符（已有格式：{known}）"
        )
    if not (project.templates_dir / slug / "format.yaml").is_file():
        return Problem(loaded.path, line, "format", f"找不到格式“{slug}”（已有格式：{known}）")
    return None


Warn = Callable[[Problem], None] | None


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class Declared_Report(Frozen):
    """A data file read under its format's declaration: its inputs, figures and names."""

    _fields = ("loaded", "format", "inputs", "figures", "flat", "reported", "warnings")
    loaded: Loaded
    format: Format
    inputs: Inputs
    figures: DeclaredFigures
    flat: list[DeclaredFigure]  # every figure, input and computed (engine_flat)
    reported: tuple  # the ``reported:`` entries
    warnings: tuple[Problem, ...]

    def __init__(
        self,
        loaded: Loaded,
        format: Format,
        inputs: Inputs,
        figures: DeclaredFigures,
        flat: list[DeclaredFigure],
        reported: tuple = (),
        warnings: tuple[Problem, ...] = (),
    ) -> None:
        _set(self, "loaded", loaded)
        _set(self, "format", format)
        _set(self, "inputs", inputs)
        _set(self, "figures", figures)
        _set(self, "flat", flat)
        _set(self, "reported", reported)
        _set(self, "warnings", warnings)

    @property
    def path(self) -> Path:
        return self.loaded.path

    @property
    def names(self) -> dict[str, DeclaredFigure]:
        from .engine_flat import index

        return index(self.flat)


def _declared(loaded: Loaded, fmt: Format, year: int | str) -> Declared_Report:
    """The engine: validate against the declaration, compute, check ``reported:``, warn."""
    from . import engine_reported, engine_warn
    from .engine_checks import run_checks
    from .engine_compute import ComputeError, compute_declared
    from .engine_context import printed
    from .engine_flat import declared_figures, index
    from .engine_labels import labels_at, named
    from .engine_validate import validate_declared

    decl = fmt.declaration
    entries, problems = engine_reported.entries(loaded)
    try:
        inputs = validate_declared(loaded, decl, year, [a.key for a in fmt.settings.annexes])
    except DataError as exc:
        raise DataError(sorted(exc.problems + problems, key=lambda p: p.line or 0)) from None
    try:
        figures = compute_declared(decl, inputs)
    except ComputeError as exc:
        field = exc.field
        if exc.column is not None and exc.loc:  # a row's column: the row as the validator names it
            field = named(exc.loc, labels_at(decl, loaded.data, exc.loc) + [exc.column])
        raise DataError([Problem(loaded.path, loaded.line_of(exc.loc), field, exc.message)] + problems) from None
    problems += [_mismatch(loaded, fmt, m) for m in figures.mismatches]
    checked = run_checks(decl, figures, loaded, lambda v, kind: printed(v, kind, fmt.settings))
    problems += [p for p in checked if p.severity == "error"]
    if problems:  # the rules' warnings are told beside the errors (the clerk fixes the file once)
        raise DataError(sorted(problems + [p for p in checked if p.severity != "error"], key=lambda p: p.line or 0))
    flat = declared_figures(decl, figures, fmt.settings)
    names = index(flat)
    problems += engine_reported.reported_problems(loaded, entries, names, fmt.settings)
    if problems:
        raise DataError(sorted(problems, key=lambda p: p.line or 0))
    warned = (
        engine_warn.warnings(decl, flat, names, loaded) + inputs.warnings + _empty_annexes(loaded, fmt, inputs, figures)
    )
    warned += [p for p in checked if p.severity != "error"]
    return Declared_Report(
        loaded, fmt, inputs, figures, flat, entries, tuple(sorted(warned, key=lambda p: p.line or 0))
    )


def _empty_annexes(loaded: Loaded, fmt: Format, inputs: Inputs, figures: DeclaredFigures) -> list[Problem]:
    """A warning for each annex with nothing to print, left out or printed blank as the format says
    (where the data lists it, or the format)."""
    from . import engine_views
    from .engine_labels import named

    empty = engine_views.empty_annexes(fmt.settings.annexes, figures.values)
    action = "不印出这个附件" if fmt.settings.empty_annex == "omit" else "附件中这些格子印为空白"
    out = []
    chosen = inputs.annexes if inputs.annexes is not None else [(a.key, None) for a in fmt.settings.annexes]
    for i, (key, title) in enumerate(chosen):
        if key not in empty:
            continue
        spec = next(a for a in fmt.settings.annexes if a.key == key)
        decl = fmt.declaration
        table = decl.inputs.get(spec.items.partition(".")[0]) if spec.items else None
        inner = getattr(table, "lists", {}).get(spec.items.partition(".")[2]) if spec.items else None
        labels = [inner.label_of(v) for v in spec.values if inner is not None and v in inner.columns]
        what = "、".join(labels[:-1]) + ("或" if len(labels) > 1 else "") + (labels[-1] if labels else "")
        noun = inner.label if inner is not None else "项"
        loc = ("annexes", i) if inputs.annexes is not None else ()
        message = f"附件“{title or spec.title}”的各项{noun}都没有填写{what}，{action}"
        out.append(
            Problem(
                loaded.path,
                loaded.line_of(loc) if loc else None,
                named(loc if loc else ("annexes",), ["附件"]),
                message,
                "warning",
            )
        )
    return out


def _mismatch(loaded: Loaded, fmt: Format, mismatch: Any) -> Problem:
    """A parent's stated figure that is not the sum of its children's."""
    from .engine_compute import StatedMismatch
    from .engine_context import printed

    if isinstance(mismatch, StatedMismatch):
        return _stated_mismatch(loaded, fmt, mismatch)
    loc, table, col, stated, summed, row = mismatch
    name = row.get(table.name) if table.name else None
    field = field_path(loc) + (f"（{name} › {col.label}）" if isinstance(name, str) else f"（{col.label}）")
    kind = "money" if col.type == "amount" else "score"
    stated_shown, summed_shown = printed(stated, kind, fmt.settings), printed(summed, kind, fmt.settings)
    message = f"{col.label}写了 {stated_shown}，但下级各{table.row_word}合计为 {summed_shown}"
    return Problem(loaded.path, loaded.line_of(loc), field, message)


def _stated_mismatch(loaded: Loaded, fmt: Format, m: StatedMismatch) -> Problem:
    """A group's field written and given by its parts, the two not agreeing (``rollup: sum_or_stated``)."""
    from .engine_context import printed

    kind = {"amount": "money", "number": "score"}.get(m.spec.type, m.spec.print)
    shown = lambda v: printed(v, kind, fmt.settings)  # noqa: E731
    parts = "、".join(f"{name}{shown(value)}" for name, value in m.parts if value is not None)
    message = f"{m.spec.label}写了 {shown(m.stated)}，但{m.source}合计为 {shown(m.summed)}" + (
        f"（{parts}）" if parts else ""
    )
    return Problem(loaded.path, loaded.line_of(m.loc), f"{field_path(m.loc)}（{' › '.join(m.labels)}）", message)


def load_declared(project: Project, dept: str, year: int | str, path: Path | None = None) -> Declared_Report:
    """Load, validate and compute one data file (``path``, by default the project's)."""
    loaded, fmt = _open(project, dept, year, path)
    return _declared(loaded, fmt, year)


def _context_of(loaded: Loaded, fmt: Format, year: int | str, on_warning: Warn) -> tuple[dict[str, Any], Any]:
    """Validate, compute and resolve the narrative of an opened data file: the template context."""
    from .engine_context import build_declared_context

    item = _declared(loaded, fmt, year)
    context = build_declared_context(fmt.declaration, item.inputs, item.figures, fmt.settings, loaded)
    if on_warning is not None:
        for problem in item.warnings:
            on_warning(problem)
    return context, item.figures


def context(project: Project, dept: str, year: int | str) -> dict[str, Any]:
    """The names a template and narrative see for one report (either path), narrative resolved."""
    loaded, fmt = _open(project, dept, year)
    return _context_of(loaded, fmt, year, None)[0]


def build(project: Project, dept: str, year: int | str, output: Path | None = None, on_warning: Warn = None) -> Path:
    """Build one report and return the path of the written .docx."""
    loaded, fmt = _open(project, dept, year)
    context, _figures = _context_of(loaded, fmt, year, on_warning)

    def empty_section(heading: str) -> None:
        if on_warning is not None:
            message = f"标题“{heading}”下面没有内容（格式没有规定 empty_section 要印的文字），请补写或删去这一节"
            on_warning(Problem(loaded.path, None, "text", message, "warning"))

    render_docx = globals().get("render_docx") or __getattr__("render_docx")
    from .layout import load_layout  # python-docx: not for check

    data = render_docx(fmt, load_layout(project.templates_dir), context, title_hints(loaded), empty_section)
    return write_atomic(output or project.output_path(dept, year), data)


def title_hints(loaded: Loaded) -> TitleHints:
    """The department's name (never broken) and the data file's ``title_lines:`` for the layout step."""
    data = loaded.data if isinstance(loaded.data, dict) else {}
    department = data.get("department")
    name = department.get("name") if isinstance(department, dict) else None
    lines = data.get("title_lines")
    given: tuple[str, ...] | None = None
    if isinstance(lines, list) and lines and all(isinstance(line, str) and line for line in lines):
        given = tuple(str(line) for line in lines)
    return TitleHints(
        keep=(name,) if isinstance(name, str) and name else (),
        lines=given,
        path=str(loaded.path),
        line=loaded.line_of(("title_lines",)),
    )


def check(project: Project, dept: str, year: int | str, on_warning: Warn = None, path: Path | None = None) -> Any:
    """Load, validate and compute one report (``path``: a data file named on the command line),
    run the consistency rules, resolve its narrative references."""
    loaded, fmt = _open(project, dept, year, path)
    context, figures = _context_of(loaded, fmt, year, on_warning)
    hints = title_hints(loaded)
    if hints.lines is not None:  # the lines must join to the title the template prints
        from .render import title_text  # python-docx: only for a file that gives title_lines

        title = title_text(fmt, context)
        from .layout import load_layout

        capacity = title_capacity(load_layout(project.templates_dir), "Title")
        problem = title_problem(hints.lines, html.unescape(title), capacity) if title else None
        if problem:
            raise DataError([Problem(hints.path, hints.line, "title_lines", problem)])
    return figures


def names(project: Project, dept: str, year: int | str) -> list[Name]:
    """Every name a narrative paragraph or template can use, printed as the report prints it."""
    from .engine_context import build_declared_context, declared_names

    loaded, fmt = _open(project, dept, year)
    item = _declared(loaded, fmt, year)
    build_declared_context(fmt.declaration, item.inputs, item.figures, fmt.settings, loaded)
    return declared_names(fmt.declaration, item.inputs, item.figures, fmt.settings)


def schema(project: Project, slug: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a format's data files."""
    from .engine_schema import json_schema

    fmt = load_format(project.templates_dir, slug, template=False)  # the schema comes from format.yaml alone
    return json_schema(fmt.declaration, fmt.settings, slug)


def audit(project: Project, dept: str, year: int | str) -> AuditResult:
    """Compare every figure the data records as printed (``reported:``) with the computed one."""
    from . import engine_reported

    loaded, fmt = _open(project, dept, year)
    declared = _declared(loaded, fmt, year)
    return engine_reported.audit_declared(loaded, declared.reported, declared.names, fmt.settings)


def __getattr__(name: str) -> Any:
    """``render_docx`` is imported on first use: docxtpl and python-docx load only when a document is made."""
    if name == "render_docx":
        from .render import render_docx

        globals()["render_docx"] = render_docx
        return render_docx
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

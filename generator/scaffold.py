"""Next year's data file from this year's: ``reportgen new DEPT YEAR``.

The previous file is copied as text, so comments, order, layout and narrative
stay exactly as they were; only values are replaced, at the character
positions YAML reports for them:

- the format's declaration says what is cleared: every number input (amount,
  count, percent, number) becomes ``待填`` and a series (the monthly rates,
  whose count may change) one ``待填``, unless it is declared ``carry: true``
  (kept, like the bureau's 分值: they belong to the format, not to the year);
  text and choices are kept;
- the ``reported:`` section (the derived figures last year's report printed,
  for ``reportgen audit``) is emptied, ``reported: []`` with a comment: they
  are last year's printed figures and say nothing about the new year's;
- ``year`` becomes the new year and dates (``as_of: 2023-12-31``) move on by
  the same number of years.

Year-bound phrases (years, 疫情, 上年/本年 …) are flagged with their lines for
a person to read; narrative is never rewritten.

The draft starts with the ``# yaml-language-server: $schema=…`` line naming
``templates/<格式>/schema.json`` (written by ``reportgen schema 格式 -o …``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import placeholder, stale
from .errors import DataError, NotFound, OutputError, Problem, field_path
from .load import load_yaml, read_text
from .pipeline import _open

CLEARED_SECTION = "reported"
CLEARED_NOTE = (
    "[]  # 上年报告印出的数字已清空（不适用于本年度）；本年度的报告印出后，可照原样抄录于此，供 reportgen audit 核对"
)
_DATE = re.compile(r"^(\d{4})(-\d{1,2}-\d{1,2})$")


@dataclass
class Draft:
    text: str
    emptied: list[tuple[int | None, str]] = field(default_factory=list)  # (line, field)
    kept: list[tuple[int, str, str]] = field(default_factory=list)  # (line, field, value)
    updated: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, field, old, new)
    flags: list[tuple[int, stale.Phrase, str]] = field(default_factory=list)  # (line, phrase, context)
    carried: list[str] = field(default_factory=list)  # the labels of the kept fields (carry: true)
    schema: str | None = None  # the format's schema file, named in the first line


SCHEMA_LINE = "# yaml-language-server: $schema="


def schema_line(slug: str) -> str:
    """The modeline that points an editor at the format's schema, from ``data/<dept>/``."""
    return f"{SCHEMA_LINE}../../templates/{slug}/schema.json\n"


def header(source: str, year: int, carried: list[str]) -> str:
    kept = f"{'、'.join(carried)}沿用上年，有变时请修改；" if carried else ""
    return (
        f"# 【草稿】由 reportgen new 根据 {source} 生成的 {year} 年度数据文件。\n"
        f"# 写着“待填”的地方须填入 {year} 年度的数字；没填完之前，check 和 build 会逐条列出并拒绝生成。\n"
        f"# {kept}文字段落沿用上年，请逐段核对（尤其是年份、“疫情”“上年”等字样）。\n"
        "# 全部填完并核对后，可删去这四行说明。\n"
    )


def draft(text: str, prev_year: int, new_year: int, source: str, decl, slug: str) -> Draft:
    """The draft for ``new_year`` from the text of ``prev_year``'s file (pure: text in, text out),
    under ``decl``, the declaration of format ``slug``."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise DataError([Problem(source, None, "", f"YAML 语法错误，无法据此生成草稿：{exc}")]) from exc
    edits: list[tuple[int, int, str]] = []
    result = Draft("")
    carried = _walk_declared(root, decl, edits, result, new_year - prev_year, new_year) if root is not None else []
    top = header(source, new_year, carried)
    result.carried = carried
    result.schema = f"templates/{slug}/schema.json"
    if SCHEMA_LINE not in text:
        top = schema_line(slug) + top
    out = text
    for start, end, value in sorted(edits, reverse=True):
        out = out[:start] + value + out[end:]
    if out.startswith(SCHEMA_LINE):  # the editor's modeline stays the first line
        first, _, rest = out.partition("\n")
        out = first + "\n" + top + rest
    else:
        out = top + out
    shift = top.count("\n")
    result.kept = [(line + shift, name, value) for line, name, value in result.kept]
    result.updated = [(line + shift, name, old, new) for line, name, old, new in result.updated]
    result.text = out
    loaded = load_yaml(Path(source), out)
    result.emptied = [(line, field_path(loc)) for loc, line in placeholder.locations(loaded)]
    touched = {line for line, *_ in result.updated}
    for number, line in enumerate(out.splitlines(), start=1):
        if number <= shift or number in touched:
            continue
        for phrase in stale.find(line):
            result.flags.append((number, phrase, phrase.context(line)))
    return result


def _walk_declared(root: yaml.Node, decl, edits: list, result: Draft, years: int, new_year: int) -> list[str]:
    """Clear the number inputs the declaration names; return the labels of the carried ones."""
    from .declare import NUMERIC, Group, Months, Scalar, Series, Table

    carried: dict[str, None] = {}

    def clear(node: yaml.Node) -> None:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return
        if isinstance(node, yaml.SequenceNode) and node.value:
            end = node.end_mark.index if node.flow_style else node.value[-1].end_mark.index
            edits.append((node.start_mark.index, end, placeholder.PLACEHOLDER))
        elif isinstance(node, yaml.ScalarNode) and node.value.strip():
            edits.append((node.start_mark.index, node.end_mark.index, placeholder.PLACEHOLDER))

    def scalar(spec: Scalar, node: yaml.Node, loc: tuple) -> None:
        if not isinstance(node, yaml.ScalarNode):
            return
        if spec.type in NUMERIC:
            if getattr(spec, "carry", False):
                carried[spec.label] = None
                result.kept.append((node.start_mark.line + 1, field_path(loc), node.value))
            else:
                clear(node)
        elif spec.type == "date" and (match := _DATE.match(node.value)):
            moved = f"{int(match.group(1)) + years}{match.group(2)}"
            edits.append((node.start_mark.index, node.end_mark.index, moved))
            result.updated.append((node.start_mark.line + 1, field_path(loc), node.value, moved))

    def rows(spec: Table, node: yaml.Node, loc: tuple) -> None:
        if not isinstance(node, yaml.SequenceNode):
            return
        for i, row in enumerate(node.value):
            if not isinstance(row, yaml.MappingNode):
                continue
            for key, value in row.value:
                if key.value in spec.columns:
                    scalar(spec.columns[key.value], value, loc + (i, key.value))
                elif key.value in spec.lists:
                    rows(spec.lists[key.value], value, loc + (i, key.value))
                elif key.value == "children" and spec.tree:
                    rows(spec, value, loc + (i, "children"))

    def one(spec, value: yaml.Node, loc: tuple) -> None:
        if isinstance(spec, Scalar):
            scalar(spec, value, loc)
        elif isinstance(spec, Series):
            clear(value)
        elif isinstance(spec, Months) and isinstance(value, yaml.MappingNode):
            for _field_key, field_value in value.value:  # from and rates: both this year's
                clear(field_value)
        elif isinstance(spec, Group) and isinstance(value, yaml.MappingNode):
            for field_key, field_value in value.value:
                if field_key.value in spec.fields:
                    one(spec.fields[field_key.value], field_value, loc + (field_key.value,))
        elif isinstance(spec, Table):
            rows(spec, value, loc)

    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        name = key.value
        if name == CLEARED_SECTION:
            _clear(key, value, edits, result)
        elif name == "year" and isinstance(value, yaml.ScalarNode):
            edits.append((value.start_mark.index, value.end_mark.index, str(new_year)))
            result.updated.append((value.start_mark.line + 1, "year", value.value, str(new_year)))
        elif name in decl.inputs:
            one(decl.inputs[name], value, (name,))
    return list(carried)


def _clear(key: yaml.Node, value: yaml.Node, edits: list, result: Draft) -> None:
    """Empty last year's ``reported:`` (its entries and the comments between them)."""
    if not isinstance(value, yaml.SequenceNode) or not value.value:
        return
    end = value.end_mark.index if value.flow_style else value.value[-1].end_mark.index
    edits.append((key.end_mark.index, end, ": " + CLEARED_NOTE))
    count = f"{len(value.value)} 条上年报告印出的数字"
    result.updated.append((key.start_mark.line + 1, CLEARED_SECTION, count, "[]（已清空）"))


def write_new(path: Path, text: str) -> Path:
    """Create ``path`` with ``text``; never replace an existing file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError:
        raise OutputError(f"{path}: 文件已存在，不会覆盖（如需重新生成，请先自行改名或删除）") from None
    except OSError as exc:
        raise OutputError(f"{path}: 无法写入：{exc.strerror}") from exc
    return path


def new_year_file(project, dept: str, year: int, prev: int | None = None) -> tuple[Path, Path, Draft]:
    """Write ``data/<dept>/<year>.yaml`` from ``prev`` (default: the year before)."""
    prev = year - 1 if prev is None else prev
    target = project.data_path(dept, year)
    if target.exists():
        raise OutputError(f"{target}: 文件已存在，不会覆盖（如需重新生成，请先自行改名或删除）")
    source = project.data_path(dept, prev)
    if not source.is_file():
        years = [str(y) for d, y in project.reports(dept)]
        hint = f"（该部门已有年度：{'、'.join(years)}；可用 --from 指定）" if years else "（没有这个部门的数据文件夹）"
        raise NotFound(f"{source}: 找不到上一年度的数据文件{hint}")
    _loaded, fmt = _open(project, dept, prev, source)  # the file's format, refused as check refuses it
    text = read_text(source)
    result = draft(text, prev, year, source.name, fmt.declaration, fmt.slug)
    return write_new(target, result.text), source, result

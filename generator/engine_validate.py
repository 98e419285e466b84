"""Check a data file against its format's declaration: every problem at once.

Each problem names the field twice, as the file writes it and as a clerk reads
it: ``sources[0].actual（财政拨款 › 全年执行数）``.  The result is plain values:
``Decimal`` for numbers (a percent as a fraction), ``int`` for counts,
``datetime.date`` for dates, text, and rows as :class:`InputRow` trees.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from . import placeholder
from .declare import Declaration, Group, Scalar, Series, Table
from .errors import DataError, Problem, field_path
from .load import Loaded, split_paragraphs
from .validate import MAX_PARAGRAPHS, MAX_ROWS, _number_hint, _shown

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_DIGITS = 20


@dataclass
class InputRow:
    values: dict[str, Any]
    children: list[InputRow] = field(default_factory=list)


@dataclass
class Inputs:
    """A validated data file of a declared format."""

    year: int
    values: dict[str, Any]  # scalar, dict (group) or list[InputRow] (table)
    text: dict[str, tuple[str, ...]]


class _Checker:
    def __init__(self, loaded: Loaded, decl: Declaration):
        self.loaded = loaded
        self.decl = decl
        self.problems: list[Problem] = []
        self.holes = list(placeholder.find(loaded.data))
        self.rows = 0

    def fail(self, loc: tuple, labels: list[str], message: str) -> None:
        if placeholder.under(loc, self.holes):
            return
        name = field_path(loc) + (f"（{' › '.join(labels)}）" if labels else "")
        self.problems.append(Problem(self.loaded.path, self.loaded.line_of(loc), name, message))

    def unknown(self, data: dict, known: list[str], loc: tuple, labels: list[str]) -> None:
        for key in data:
            if key not in known:
                self.fail(loc + (key,), labels, f"未知字段（是否拼写错误？可用：{'、'.join(known)}）")

    def scalar(self, spec: Scalar, value: Any, loc: tuple, labels: list[str]) -> Any:
        labels = labels + [spec.label]
        if value is None:
            if spec.required:
                self.fail(loc, labels, f"缺少必填字段：{spec.help}" if spec.help else "缺少必填字段")
            return None
        if placeholder.is_placeholder(value):
            return None
        kind = spec.type
        if kind in ("text", "choice"):
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and kind == "text":
                self.fail(
                    loc,
                    labels,
                    f"应为文字，得到数字 {_shown(value)}（如果内容就是这串数字，请加引号，如 '{_shown(value)}'）",
                )
                return None
            if not isinstance(value, str):
                self.fail(loc, labels, f"应为文字，得到 “{_shown(value)}”")
                return None
            bad = _XML_ILLEGAL.search(value)
            if bad:
                self.fail(loc, labels, f"含有 Word 文档无法保存的控制字符 U+{ord(bad.group()):04X}，请删除")
                return None
            if kind == "choice" and value not in spec.values:
                self.fail(loc, labels, f"应为 {'、'.join(spec.values)} 之一，得到 “{_shown(value)}”")
                return None
            if not value.strip():
                self.fail(loc, labels, "不能为空")
                return None
            return value
        if kind == "date":
            if isinstance(value, _dt.date):
                return value
            try:
                return _dt.date.fromisoformat(str(value).strip())
            except ValueError:
                self.fail(loc, labels, f"应为日期（如 2024-12-31），得到 “{_shown(value)}”")
                return None
        if kind == "count":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self.fail(loc, labels, f"应为不小于 0 的整数，得到 “{_shown(value)}”{_number_hint(value)}")
                return None
            return value
        raw = value
        if kind == "percent" and isinstance(value, str) and value.strip().endswith("%"):
            value = value.strip()[:-1]
        if isinstance(value, bool):
            self.fail(loc, labels, f"应为数字，得到 {str(value).lower()}")
            return None
        if isinstance(value, str):
            try:
                value = Decimal(value.strip()) if re.fullmatch(r"[+-]?\d+(\.\d+)?", value.strip()) else None
            except InvalidOperation:
                value = None
        if not isinstance(value, (int, Decimal)):
            self.fail(loc, labels, f"应为数字，得到 “{_shown(raw)}”{_number_hint(raw)}")
            return None
        number = Decimal(value)
        if not number.is_finite() or len(number.as_tuple().digits) > MAX_DIGITS:
            self.fail(loc, labels, f"数字位数过多：{_shown(raw)}")
            return None
        return number / 100 if kind == "percent" else number

    def series(self, spec: Series, value: Any, loc: tuple) -> list:
        if value is None:
            if spec.required:
                self.fail(loc, [spec.label], f"缺少必填字段：{spec.help}" if spec.help else "缺少必填字段")
            return []
        if not isinstance(value, list):
            self.fail(loc, [spec.label], "应为一列数字，如 [97.5, 101.2]")
            return []
        if len(value) > MAX_ROWS:
            self.fail(loc, [spec.label], f"项数过多（上限 {MAX_ROWS:,} 项）")
            return []
        item = Scalar(spec.key, spec.item.type, f"第 {0} 项", spec.help)
        out = []
        for i, element in enumerate(value):
            item.label = f"第 {i + 1} 项"
            out.append(self.scalar(item, element, loc + (i,), [spec.label]))
        return out

    def group(self, spec: Group, value: Any, loc: tuple) -> dict | None:
        labels = [spec.label]
        if not isinstance(value, dict):
            self.fail(loc, labels, "缺少必填字段" if value is None else "应为一组字段（“名称: 值”）")
            return None
        self.unknown(value, list(spec.fields), loc, labels)
        return {key: self.scalar(f, value.get(key), loc + (key,), labels) for key, f in spec.fields.items()}

    def table(self, spec: Table, value: Any, loc: tuple, path: list[str], depth: int = 0) -> list[InputRow]:
        if value is None and depth == 0:
            self.fail(loc, [spec.label], "缺少必填字段")
            return []
        if not isinstance(value, list):
            self.fail(loc, path or [spec.label], "应为列表（每项以“- ”开头）")
            return []
        rows: list[InputRow] = []
        for i, item in enumerate(value):
            here = loc + (i,)
            self.rows += 1
            if self.rows > MAX_ROWS:
                self.fail(here, [spec.label], f"行数过多（上限 {MAX_ROWS:,} 行），请检查是否误粘贴了大量内容")
                return rows
            if not isinstance(item, dict):
                self.fail(here, path + [f"{spec.label}第 {i + 1} 行"], "应为一组字段（“名称: 值”）")
                continue
            name = item.get(spec.name) if spec.name else None
            row_label = name if isinstance(name, str) and name.strip() else f"{spec.label}第 {i + 1} 行"
            labels = path + [row_label]
            known = list(spec.columns) + (["children"] if spec.tree else [])
            self.unknown(item, known, here, labels)
            children_data = item.get("children") if spec.tree else None
            children = (
                self.table(spec, children_data, here + ("children",), labels, depth + 1)
                if children_data is not None
                else []
            )
            if spec.tree and children_data is not None and not children_data:
                self.fail(here + ("children",), labels, "children 为空：没有下级行时请删去 children")
            values: dict[str, Any] = {}
            for key, col in spec.columns.items():
                if children and col.rollup:
                    if item.get(key) is not None:
                        self.fail(here + (key,), labels + [col.label], "由下级行合计得出，不要填写")
                    values[key] = None
                    continue
                optional = children and not col.rollup and col.type != "text"
                given = item.get(key)
                values[key] = None if optional and given is None else self.scalar(col, given, here + (key,), labels)
            rows.append(InputRow(values, children))
        return rows

    def text(self, value: Any) -> dict[str, tuple[str, ...]]:
        keys = self.decl.text
        if not keys:
            if value is not None:
                self.fail(("text",), [], "本格式没有文字段落（format.yaml 没有 text:）")
            return {}
        if not isinstance(value, dict):
            self.fail(("text",), ["文字段落"], "缺少必填字段" if value is None else "应为一组文字段落（“名称: 文字”）")
            return {}
        out = {}
        total = 0
        for key, (label, _help) in keys.items():
            loc = ("text", key)
            given = value.get(key)
            if given is None:
                self.fail(loc, [label], "缺少文字段落")
                continue
            if isinstance(given, str):
                paragraphs = tuple(text for _offset, text in split_paragraphs(given))
            elif isinstance(given, list) and all(isinstance(p, str) for p in given):
                paragraphs = tuple(given)
            else:
                self.fail(loc, [label], "应为文字（每行一段）")
                continue
            for i, paragraph in enumerate(paragraphs):
                bad = _XML_ILLEGAL.search(paragraph)
                if bad:
                    self.fail(loc + (i,), [label], f"含有 Word 文档无法保存的控制字符 U+{ord(bad.group()):04X}，请删除")
            total += len(paragraphs)
            out[key] = paragraphs
        for key in value:
            if key not in keys:
                self.fail(("text", key), [], f"本格式没有这一段（可用：{'、'.join(keys)}）")
        if total > MAX_PARAGRAPHS:
            self.fail(("text",), ["文字段落"], f"文字段落过多（{total:,} 段，上限 {MAX_PARAGRAPHS:,} 段）")
        return out


def validate_declared(loaded: Loaded, decl: Declaration, year: int | str) -> Inputs:
    """The data file's values under ``decl``, or :class:`DataError` with every problem."""
    checker = _Checker(loaded, decl)
    data = loaded.data
    checker.problems += loaded.problems
    checker.problems += [
        Problem(loaded.path, loaded.line_of(loc), field_path(loc), placeholder.MESSAGE) for loc in checker.holes
    ]
    known = ["format", "year", "text", "reported", *decl.inputs]  # reported: read by engine_reported
    checker.unknown(data, known, (), [])
    given_year = data.get("year")
    if isinstance(given_year, bool) or not isinstance(given_year, int) or not 2000 <= given_year <= 2100:
        checker.fail(("year",), ["年度"], f"应为 2000 到 2100 的年份，得到 “{_shown(given_year)}”")
    elif str(given_year) != str(year):
        checker.fail(("year",), ["年度"], f"文件名是 {year} 年，但 year 写的是 {given_year}")
    values: dict[str, Any] = {}
    for key, spec in decl.inputs.items():
        loc = (key,)
        if isinstance(spec, Scalar):
            values[key] = checker.scalar(spec, data.get(key), loc, [])
        elif isinstance(spec, Series):
            values[key] = checker.series(spec, data.get(key), loc)
        elif isinstance(spec, Group):
            values[key] = checker.group(spec, data.get(key), loc)
        else:
            values[key] = checker.table(spec, data.get(key), loc, [])
    text = checker.text(data.get("text"))
    if checker.problems:
        checker.problems.sort(key=lambda p: p.line or 0)
        raise DataError(checker.problems)
    return Inputs(int(given_year), values, text)

"""Check a data file against its format's declaration: every problem at once.

Each problem names the field twice, as the file writes it and as a clerk reads
it: ``sources[0].actual（财政拨款 › 全年执行数）``.  The result is plain values:
``Decimal`` for numbers (a percent as a fraction), ``int`` for counts,
``datetime.date`` for dates, text, and rows as :class:`InputRow` trees.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from . import formula, placeholder
from .declare import TABLE_WORDS, Declaration, Group, Input, Months, Scalar, Series, Table
from .engine_labels import XML_ILLEGAL, bad_character, labels_at, named, row_label
from .errors import DataError, Problem, field_path, remove_hint
from .load import Loaded, split_paragraphs
from .messages import MAX_PARAGRAPHS, MAX_ROWS, _number_hint, _shown
from .record import Record

_XML_ILLEGAL = XML_ILLEGAL
MAX_DIGITS = 20
MAX_PLACES = 6
MAX_COUNT = 10_000_000


def computed_as(label: str, help_: str) -> str:
    """What a computed column or figure typed in a data file is: ``调整金额由程序按调整后预算 − 年初预算计算``
    (a help that ends in 得出 or 计算 is not followed by another 计算)."""
    return f"{label}由程序按{help_}" + ("" if help_.endswith(("得出", "计算")) else "计算")


def _computed_here(decl: Declaration, loc: tuple) -> dict[str, str]:
    """Names the program computes that a clerk may type at ``loc``, refused as computed: figures an
    alias puts there (``staffing.control_rate``), and at the top an alias of a whole input (``scores``)."""
    out = {}
    for alias, path in decl.aliases.items():
        *outer, last = alias.split(".")
        if tuple(outer) != loc:
            continue
        if path[0] in decl.figures and len(path) == 1:
            fig = decl.figures[path[0]]
            out[last] = computed_as(fig.label, fig.help)
        elif not loc and path[0] in decl.inputs and len(path) == 1:
            out[last] = f"{decl.inputs[path[0]].label}的计算结果由程序按 {path[0]} 计算"
    return out


def _figures_over(decl: Declaration, key: str) -> dict[str, str]:
    """Figures computed from input ``key``, by their names and the last part of their aliases
    (``average`` for ``monthly.average``): typed beside the input, they are refused as computed."""
    out = {}
    for name, fig in decl.figures.items():
        if any(ref.path[0] == key for ref in formula.refs(fig.node)):
            out[name] = computed_as(fig.label, fig.help)
            for alias, path in decl.aliases.items():
                if path == (name,):
                    out[alias.split(".")[-1]] = out[name]
    return out


def _count_rows(value: Any) -> int:
    """Rows of a table as written, children and nested lists included."""
    if not isinstance(value, list):
        return 0
    total = 0
    for item in value:
        total += 1
        if isinstance(item, dict):
            total += sum(_count_rows(v) for v in item.values() if isinstance(v, list) and v and isinstance(v[0], dict))
    return total


# The list `reportgen import` writes for the paragraphs it could not place (import_write.py).
UNPLACED = "unplaced"


class InputRow(Record):
    _fields = ("values", "children")
    values: dict[str, Any]
    children: list[InputRow]

    def __init__(self, values: dict[str, Any], children: list[InputRow] | None = None) -> None:
        self.values = values
        self.children = [] if children is None else children


class Inputs(Record):
    """A validated data file of a declared format."""

    _fields = ("year", "values", "text", "warnings", "annexes")
    year: int
    values: dict[str, Any]  # scalar, list (series), dict (group, months, nested alike) or list[InputRow] (table)
    text: dict[str, tuple[str, ...]]
    warnings: list[Problem]
    annexes: list[tuple[str, str | None]] | None  # the data file's annexes: (key, title)

    def __init__(
        self,
        year: int,
        values: dict[str, Any],
        text: dict[str, tuple[str, ...]],
        warnings: list[Problem] | None = None,
        annexes: list[tuple[str, str | None]] | None = None,
    ) -> None:
        self.year = year
        self.values = values
        self.text = text
        self.warnings = [] if warnings is None else warnings
        self.annexes = annexes


class _Checker:
    def __init__(self, loaded: Loaded, decl: Declaration):
        self.loaded = loaded
        self.decl = decl
        self.problems: list[Problem] = []
        self.holes = list(placeholder.find(loaded.data))
        self.rows = 0
        self.keys: dict[str, tuple] = {}  # row keys of the table being checked
        self.warnings: list[Problem] = []
        self.blocks: dict[tuple, int] = {}  # paragraphs by where they are written (the size limit)
        self.year: Any = None

    def fail(self, loc: tuple, labels: list[str], message: str) -> None:
        if placeholder.under(loc, self.holes):
            return
        self.problems.append(Problem(self.loaded.path, self.loaded.line_of(loc), named(loc, labels), message))

    def labels(self, loc: tuple) -> list[str]:
        return labels_at(self.decl, self.loaded.data, loc)

    def unknown(
        self, data: dict, known: list[str], loc: tuple, labels: list[str], computed: dict[str, str] | None = None
    ) -> None:
        """Fields the declaration does not have; ``computed`` names those the program computes
        (key → what it is and how), refused with that instead."""
        for key in data:
            if key in known:
                continue
            here = loc + (key,)
            if computed and key in computed:
                hint = remove_hint(here, data, self.loaded.line_of)
                self.fail(here, self.labels(here), f"{computed[key]}，{hint}")
            elif re.fullmatch(r"[0-9]+(\.[0-9]+)?", str(key)):
                self.fail(here, labels, "未知字段（在 { } 里逗号分隔各项，数字不要加千分位逗号）")
            elif not loc and key == UNPLACED:  # what reportgen import could not place
                count = len(data[key]) if isinstance(data[key], list) else 0
                self.fail(
                    here,
                    labels,
                    f"reportgen import 未能归位的段落（{count} 段）：请把每段移到 text: 等相应位置，或确认不要后删除，最后删去 unplaced:",
                )
            elif not loc:  # the file's own fields: the whole format, too long a list
                self.fail(here, labels, "未知字段（是否拼写错误？）")
            else:
                self.fail(here, labels, f"未知字段（是否拼写错误？可用：{'、'.join(known)}）")

    def scalar(self, spec: Scalar, value: Any, loc: tuple, labels: list[str]) -> Any:
        labels = labels + [spec.label]
        if value is None:
            if spec.required:
                self.fail(loc, labels, f"缺少必填字段：{spec.help}" if spec.help else "缺少必填字段")
            return () if spec.type == "paragraphs" else None
        if placeholder.is_placeholder(value):
            return None
        kind = spec.type
        if kind == "paragraphs":
            return self.paragraphs(value, loc, labels)
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
                where = f"（本段第 {bad.start() + 1} 个字符）"
                self.fail(loc, labels, f"{bad_character(bad.group())}{where}，请删除")
                return None
            if kind == "choice" and value not in spec.values:
                self.fail(loc, labels, f"应为 {'、'.join(spec.values)} 之一，得到 “{_shown(value)}”")
                return None
            if not value:  # blanks alone (a tab, a line separator) are text the clerk wrote
                self.fail(loc, labels, "不能为空")
                return None
            return value
        if kind == "date":
            if isinstance(value, _dt.date):
                return value
            try:
                return _dt.date.fromisoformat(str(value).strip())
            except ValueError:
                example = self.year if isinstance(self.year, int) and 2000 <= self.year <= 2100 else 2024
                self.fail(loc, labels, f"应为日期（如 {example}-12-31），得到 “{_shown(value)}”")
                return None
        if kind == "count":
            if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
                if value > MAX_COUNT:  # a very long whole number, kept as a decimal by the loader
                    self.fail(loc, labels, f"不能大于 {MAX_COUNT}，得到 {_shown(value)}")
                    return None
                value = int(value)
            if isinstance(value, bool):
                self.fail(loc, labels, f"应为整数，得到 {str(value).lower()}")
                return None
            if not isinstance(value, int):
                self.fail(loc, labels, f"应为整数，得到 “{_shown(value)}”{_number_hint(value)}")
                return None
            if value < 0:
                self.fail(loc, labels, f"不能小于 0，得到 {_shown(value)}")
                return None
            if value > MAX_COUNT:
                self.fail(loc, labels, f"不能大于 {MAX_COUNT}，得到 {_shown(value)}")
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
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > MAX_PLACES:
            self.fail(loc, labels, f"小数位数过多：{_shown(raw)}")
            return None
        if spec.minimum is not None and number < spec.minimum:
            self.fail(loc, labels, f"不能小于 {spec.minimum}，得到 {_shown(raw)}")
            return None
        return number / 100 if kind == "percent" else number

    def paragraphs(self, value: Any, loc: tuple, labels: list[str]) -> tuple[str, ...] | None:
        """Text of one or more paragraphs: a block (one paragraph a line) or a list of paragraphs."""
        if isinstance(value, str):
            found = tuple(text for _offset, text in split_paragraphs(value))
        elif isinstance(value, list) and all(isinstance(p, str) for p in value):
            found = tuple(value)
        else:
            self.fail(loc, labels, "应为文字（每行一段）")
            return None
        for i, paragraph in enumerate(found):
            bad = _XML_ILLEGAL.search(paragraph)
            if bad:
                self.fail(loc + (i,), labels, f"{bad_character(bad.group())}，请删除")
        self.blocks[loc] = 1 + len(found)  # the row's heading and its paragraphs (the size limit)
        return found

    def warn(self, loc: tuple, labels: list[str], message: str) -> None:
        self.warnings.append(
            Problem(self.loaded.path, self.loaded.line_of(loc), named(loc, labels), message, "warning")
        )

    def months(self, spec: Months, value: Any, loc: tuple) -> dict | None:
        """``{from: 3, rates: [136.18, …]}``: rates (percent) from a first month on, to December at most."""
        labels = [spec.label]
        form = f"{spec.key}: {{from: 3, rates: [92.5, 101.2, …]}}"
        if value is None:
            if spec.required:
                self.fail(loc, labels, f"缺少必填字段：{spec.help}（写法：{form}）" if spec.help else "缺少必填字段")
            return None
        if isinstance(value, list):
            n = len(value)
            guess = f"；这里有 {n} 个月，如通报到 12 月为止，则是 from: {13 - n}" if 1 <= n <= 12 else ""
            self.fail(loc, labels, f"请写明{spec.by}从几月开始通报：{form}{guess}")
            return None
        if not isinstance(value, dict):
            self.fail(loc, labels, f"应写作 {form}")
            return None
        self.unknown(value, ["from", "rates"], loc, labels, _figures_over(self.decl, spec.key))
        first = value.get("from")
        if isinstance(first, bool) or not isinstance(first, int):
            self.fail(loc + ("from",), labels + ["起始月份"], f"应为 1 到 12 的月份，得到 “{_shown(first)}”")
            first = None
        elif not 1 <= first <= 12:
            bound = "不能小于 1" if first < 1 else "不能大于 12"
            self.fail(loc + ("from",), labels + ["起始月份"], f"{bound}，得到 {first}")
            first = None
        raw = value.get("rates")
        if not isinstance(raw, list) or not raw:
            self.fail(loc + ("rates",), labels, f"应为各月的数字（%），如 [92.5, 101.2]（写法：{form}）")
            return None
        if len(raw) > 12:
            self.fail(loc + ("rates",), labels, f"写了 {len(raw)} 个月，一年只有 12 个月")
            return None
        item = Scalar(spec.key, "percent", "", spec.help)
        rates = []
        for i, element in enumerate(raw):
            item.label = f"{first}月起第 {i + 1} 个月" if first is None else f"{(first + i - 1) % 12 + 1}月"
            rates.append(self.scalar(item, element, loc + ("rates", i), labels))
        if first is None:
            return None
        since = 13 - first
        if len(raw) > since:
            self.warn(
                loc + ("rates",),
                labels,
                f"写了 {len(raw)} 个月的{spec.word}，但从 {first} 月到 12 月只有 {since} 个月；"
                f"多写的月份会计入月份数 n、改变平均{spec.word}，请核对 from 和各月的数字",
            )
        for i, rate in enumerate(rates):
            month = f"{(first + i - 1) % 12 + 1}月"
            if rate is not None and rate < 0:
                self.warn(loc + ("rates", i), labels + [month], f"{month}的{spec.word}是负数（{_shown(raw[i])}%）")
            elif rate is not None and rate == 0:
                self.warn(
                    loc + ("rates", i),
                    labels + [month],
                    f"{month}的{spec.word}是 0：{spec.by}没有通报的月份不要写"
                    f"（写了也计入月份数 n，拉低平均{spec.word}），请核对",
                )
        return {"first": first, "rates": rates}

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

    def input(self, spec: Input, value: Any, loc: tuple, labels: list[str]) -> Any:
        """One input of any type, under the labels of the groups it is in."""
        if isinstance(spec, Scalar):
            return self.scalar(spec, value, loc, labels)
        if isinstance(spec, Series):
            return self.series(spec, value, loc)
        if isinstance(spec, Months):
            return self.months(spec, value, loc)
        if isinstance(spec, Group):
            return self.group(spec, value, loc, labels)
        return self.table(spec, value, loc, labels)

    def group(self, spec: Group, value: Any, loc: tuple, labels: list[str] | None = None) -> dict | None:
        labels = (labels or []) + [spec.label]
        if value is None and not spec.required:
            return None
        if not isinstance(value, dict):
            self.fail(loc, labels, "缺少必填字段" if value is None else "应为一组字段（“名称: 值”）")
            return None
        self.unknown(value, list(spec.fields), loc, labels, _computed_here(self.decl, loc))
        self.either(spec.fields, value, loc, labels)
        return {key: self.input(f, value.get(key), loc + (key,), labels) for key, f in spec.fields.items()}

    def either(self, specs: dict[str, Input], data: dict, loc: tuple, labels: list[str]) -> None:
        """A field with ``otherwise`` is written, or the inputs its formula names are: one of the two."""
        for key, spec in specs.items():
            if not isinstance(spec, Scalar) or spec.otherwise is None or spec.stated:
                continue  # sum_or_stated: both written must agree (engine_compute), neither is no figure
            parts = [p for p in spec.parts if p in specs]
            written = [p for p in parts if data.get(p) is not None]
            if data.get(key) is not None and written:
                how = "合计" if _summing(spec.otherwise) else "计算"
                names = "和".join(specs[p].label for p in parts)
                self.fail(loc + (key,), labels + [spec.label], f"{spec.label}已由{names}{how}得出，不要再填写 {key}")
            elif data.get(key) is None and not written:
                self.fail(
                    loc + (key,),
                    labels + [spec.label],
                    f"缺少{spec.label}：填写 {'/'.join(parts)}，或（没有明细时）{key}",
                )

    def table(
        self, spec: Table, value: Any, loc: tuple, path: list[str], depth: int = 0, required: bool = True
    ) -> list[InputRow]:
        if value is None and not required:
            return []
        if value is None and depth == 0:
            if spec.required:
                self.fail(loc, path + [spec.label], "缺少必填字段")
            return []
        if not isinstance(value, list):
            self.fail(loc, path + [spec.label] if depth == 0 else path, "应为列表（每项以“- ”开头）")
            return []
        if depth == 0:
            self.keys = {}
        rows: list[InputRow] = []
        if depth == 0:
            count = _count_rows(value)
            if count > MAX_ROWS:
                self.fail(
                    loc,
                    path + [spec.label],
                    f"{spec.label}行数过多（{count:,} 行，上限 {MAX_ROWS:,} 行），请检查是否误粘贴了大量内容",
                )
                return []
        # the fields a row may have, and the computed ones it may not (the same for every row)
        known = list(spec.columns) + list(spec.lists) + (["children"] if spec.tree else [])
        computed = {k: computed_as(c.label, c.help) for k, c in spec.computed.items()}
        computed |= {c.name: computed_as(c.label, c.help) for c in spec.counted()}
        for i, item in enumerate(value):
            here = loc + (i,)
            self.rows += 1
            if self.rows > MAX_ROWS:  # all tables together
                if self.rows == MAX_ROWS + 1:
                    self.fail(
                        here,
                        path + [spec.label],
                        f"行数过多（各表合计上限 {MAX_ROWS:,} 行），请检查是否误粘贴了大量内容",
                    )
                return rows
            if not isinstance(item, dict):
                self.fail(here, path + [f"{spec.label}第 {i + 1} 行"], "应为一组字段（“名称: 值”）")
                continue
            name = item.get(spec.name) if spec.name else None
            labels = path + [row_label(spec, item, i)]
            self.row_key(spec, item, here, labels)
            self.unknown(item, known, here, labels, computed)
            children_data = item.get("children") if spec.tree else None
            children = (
                self.table(spec, children_data, here + ("children",), labels, depth + 1)
                if children_data is not None
                else []
            )
            if spec.tree and children_data is not None and not children_data:
                self.fail(here + ("children",), labels, "children 为空：没有下级行时请删去 children")
            values: dict[str, Any] = {}
            for key, inner in spec.lists.items():
                values[key] = self.table(inner, item.get(key), here + (key,), labels, 1, required=False)
            for key, col in spec.columns.items():
                if children and col.rollup and col.stated:  # may be stated: compared with the sum
                    given = item.get(key)
                    values[key] = None if given is None else self.scalar(col, given, here + (key,), labels)
                    continue
                if children and col.rollup:
                    if item.get(key) is not None:
                        hint = remove_hint(here + (key,), item, self.loaded.line_of)
                        self.fail(
                            here + (key,),
                            labels + [col.label],
                            f"有下级{spec.row_word}（children）时，{col.label} {key} 由下级合计得出，{hint}",
                        )
                    values[key] = None
                    continue
                if not children and self.from_parts(spec, col, item, values, here, labels):
                    continue
                optional = children and not col.rollup and col.type != "text"
                given = item.get(key)
                if given is None and spec.tree and col.rollup and col.required and not children:
                    self.fail(here + (key,), labels + [col.label], self.leaf_missing(spec, col, item, name))
                    values[key] = None
                    continue
                values[key] = None if optional and given is None else self.scalar(col, given, here + (key,), labels)
            rows.append(InputRow(values, children))
        return rows

    @staticmethod
    def leaf_missing(spec: Table, col: Scalar, item: dict, name: Any) -> str:
        """A row of a tree without children that does not give a figure its parents sum."""
        who = f"“{name}”" if isinstance(name, str) and name.strip() else f"（未列名称的{spec.row_word}）"
        listed = item.get(col.sum_of) if col.sum_of else None
        if isinstance(listed, list) and listed:
            inner = spec.lists[str(col.sum_of)]
            why = f"所列{inner.label}（{col.sum_of}）没有全部写明{inner.label_of(col.summed)}时"
        else:
            why = f"没有下级{spec.row_word}时"
        return f"{who}{why}要填写{col.label} {col.key}"

    def row_key(self, spec: Table, item: dict, here: tuple, labels: list[str]) -> None:
        """A row's key names it in templates (``T.KEY.col``): unique, and not a word a table has."""
        key = item.get(spec.row_key) if spec.row_key else None
        if not isinstance(key, str):
            return
        loc = here + (spec.row_key,)
        if key in TABLE_WORDS:
            self.fail(loc, labels, f"{spec.row_key} 不能用“{key}”（模板中 {spec.key}.{key} 另有含义），请换一个名称")
        elif key in self.keys:
            first = self.keys[key]
            self.fail(
                loc,
                labels,
                f"{spec.row_key} 重复：第 {self.loaded.line_of(first)} 行（{field_path(first)}）"
                f"和第 {self.loaded.line_of(loc)} 行都是“{key}”，请改成不同的名称",
            )
        else:
            self.keys[key] = loc

    def from_parts(self, spec: Table, col: Scalar, item: dict, values: dict, here: tuple, labels: list[str]) -> bool:
        """A leaf's ``sum_or_stated``/``count_of`` column that its nested list gives (None: computed)."""
        given = item.get(col.key)
        if col.sum_of is not None:
            parts = values.get(col.sum_of) or []
            if parts and all(p.values.get(col.summed) is not None for p in parts):
                if given is not None:
                    inner = spec.lists[str(col.sum_of)]
                    hint = remove_hint(here + (col.key,), item, self.loaded.line_of)
                    self.fail(
                        here + (col.key,),
                        labels + [col.label],
                        f"所列{inner.label}（{col.sum_of}）都写了{inner.label_of(col.summed)}时，{col.label} {col.key} "
                        f"由各{inner.label}合计得出，{hint}",
                    )
                values[col.key] = None
                return True
        if col.count_of is not None:
            listed = len(values.get(col.count_of) or [])
            if listed:
                inner = spec.lists[col.count_of]
                if given is not None and given != listed:
                    name = item.get(spec.name) if spec.name else None
                    who = f"“{name}”" if isinstance(name, str) and name.strip() else f"（未列名称的{spec.row_word}）"
                    self.fail(
                        here + (col.key,),
                        labels + [col.label],
                        f"{who}写了 {_shown(given)} 个{inner.label}，但 {col.count_of} 列出了 {listed} 个",
                    )
                values[col.key] = None
                return True
        return False

    def annexes(self, value: Any, known: list[str]) -> list[tuple[str, str | None]] | None:
        """``annexes: [{key: …, title: …}]``: which of the format's annexes, in which order, titled how."""
        if value is None:
            return None
        labels = ["附件"]
        if not isinstance(value, list):
            self.fail(("annexes",), labels, "应为列表，如 - {key: self_evaluation, title: 自评表}")
            return None
        out = []
        for i, item in enumerate(value):
            loc = ("annexes", i)
            if not isinstance(item, dict):
                self.fail(loc, labels, "应为一组字段（key、title）")
                continue
            self.unknown(item, ["key", "title"], loc, labels)
            key, title = item.get("key"), item.get("title")
            if key not in known:
                self.fail(loc + ("key",), labels, f"本格式没有这个附件（可用：{'、'.join(known) or '无'}）")
                continue
            if title is not None and (not isinstance(title, str) or not title.strip()):
                self.fail(loc + ("title",), labels, "应为附件的标题（文字）")
                continue
            out.append((key, title))
        return out

    def text(self, value: Any) -> dict[str, tuple[str, ...]]:
        keys = self.decl.text
        if not keys:
            if value is not None:
                self.fail(("text",), ["文字段落"], "本格式没有文字段落（format.yaml 没有 text:）")
            return {}
        if not isinstance(value, dict):
            self.fail(("text",), ["文字段落"], "缺少必填字段" if value is None else "应为一组文字段落（“名称: 文字”）")
            return {}
        out = {}
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
                    self.fail(loc + (i,), [label], f"{bad_character(bad.group())}，请删除")
            self.blocks[loc] = len(paragraphs)
            out[key] = paragraphs
        for key in value:
            if key not in keys:
                self.fail(("text", key), ["文字段落"], f"本格式没有这一段（可用：{'、'.join(keys)}）")
        return out

    def size(self) -> None:
        """Bound the paragraphs of the whole report, named at the largest block."""
        total = sum(self.blocks.values())
        if total > MAX_PARAGRAPHS:
            largest = max(self.blocks, key=self.blocks.__getitem__)
            self.fail(
                largest,
                self.labels(largest),
                f"文字段落过多（全文 {total:,} 段，上限 {MAX_PARAGRAPHS:,} 段；这里有 {self.blocks[largest]:,} 段），"
                "请检查是否误粘贴了大量内容",
            )


def _summing(node: formula.Node) -> bool:
    """A formula that only adds (``a + b``, ``sum(…)``, ``default(x, 0)`` of those): its result is a 合计."""
    if isinstance(node, formula.BinOp):
        return node.op == "+" and _summing(node.left) and _summing(node.right)
    if isinstance(node, formula.Call):
        return node.func in ("sum", "default") and all(_summing(a) for a in node.args)
    return isinstance(node, (formula.Ref, formula.Num))


def validate_declared(
    loaded: Loaded, decl: Declaration, year: int | str, annex_keys: list[str] | None = None
) -> Inputs:
    """The data file's values under ``decl``, or :class:`DataError` with every problem."""
    checker = _Checker(loaded, decl)
    data = loaded.data
    checker.year = data.get("year")
    checker.problems += loaded.problems
    checker.problems += [
        Problem(loaded.path, loaded.line_of(loc), named(loc, checker.labels(loc)), placeholder.MESSAGE)
        for loc in checker.holes
    ]
    # reported: the figures as the source printed them, checked by reportgen audit
    # reported: read by engine_reported; title_lines: by the layout step
    known = ["format", "year", "text", *decl.inputs, "reported", "title_lines"] + (["annexes"] if annex_keys else [])
    figures = {k: computed_as(f.label, f.help) for k, f in decl.figures.items()}
    checker.unknown(data, known, (), [], figures | _computed_here(decl, ()))
    given_year = data.get("year")
    if isinstance(given_year, bool) or not isinstance(given_year, int) or not 2000 <= given_year <= 2100:
        checker.fail(("year",), ["年度"], f"应为 2000 到 2100 的年份，得到 “{_shown(given_year)}”")
    elif str(given_year) != str(year):
        checker.fail(("year",), ["年度"], f"文件名是 {year} 年，但 year 写的是 {given_year}")
    values: dict[str, Any] = {}
    checker.either(decl.inputs, data, (), [])
    for key, spec in decl.inputs.items():
        values[key] = checker.input(spec, data.get(key), (key,), [])
    text = checker.text(data.get("text"))
    checker.size()
    annexes = checker.annexes(data.get("annexes"), annex_keys or [])
    if checker.problems:
        checker.problems.sort(key=lambda p: p.line or 0)
        raise DataError(checker.problems)
    return Inputs(int(given_year), values, text, checker.warnings, annexes)

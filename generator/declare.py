"""Read and check a format's declaration: what it takes and what it computes.

Design note (step 1 of "a bureau's format is data").  A ``format.yaml`` that has
an ``inputs:`` section is a *declared* format and goes through the engine:

    declare.py          read + check the declaration (this module)
    formula.py          the formula language and its library (pure Decimal)
    engine_validate.py  a data file checked against the declaration
    engine_compute.py   computed columns and figures
    engine_context.py   the template's names, ``reportgen names`` and the JSON Schema

The old per-format code keeps serving the formats without ``inputs:``.

Sections of ``format.yaml`` (besides today's settings: name, unit, rounding,
zero_division, grades, headings …)::

    undefined: "—"            # how an undefined figure prints (missing input)
    inputs:                   # the data file's fields, in order
      KEY: {type: text|paragraphs|amount|count|percent|number|date|choice, label:, help:, required:, values:,
            warn: {min:, max:}, carry: true,   # warn: check's plausibility bounds; carry: ``new`` keeps it
            otherwise: FORMULA}   # a number written, or else computed from the inputs it names
      KEY: {type: group, label:, help:, required:, fields: {KEY: <any input>, …},
            computed: {KEY: {label:, help:, formula:, print:, misread:, warn:}}}   # formulas over the group's fields
      KEY: {type: series, item: percent|amount|count|number, label:, help:, warn:}   # [97.5, 101.2, …]
      KEY: {type: table|list, label:, help:, required:, total: 合计, name: name,
            columns: {KEY: <scalar> + rollup: sum|none},
            computed: {KEY: {label:, help:, formula:, print:, rollup: sum|none, warn:}}}
    text:                     # the narrative paragraphs, data file ``text:``
      KEY: {label:, help:}
    figures:                  # one-number results over the inputs
      KEY: {label:, help:, formula:, print: money|percent|score|count|number|text|date, warn:,
            also: [old.path],   # also: other names of the figure in ``reported:``
            misread: {中文说明: FORMULA}}   # a known misreading: audit says "报告数等于…"

A ``table`` is a tree (a row may have ``children``; a parent's ``rollup: sum``
columns are the sums of its children, never typed); a ``list`` is flat.
Both have a total row (``T.total.col``).  A ``percent`` input is written in
percent (95.5) and kept as a fraction (0.955), as every computed rate is.
Row formulas see the row's own columns; figure formulas see scalars
(``key``, ``group.field``), columns (``T.col`` top rows, ``T.leaves.col``),
total rows (``T.total.col``) and other figures.  See docs/新增格式.md.

Over the computed report: engine_flat.py (every figure with a dotted path, for
``reported:``/audit and diff), engine_reported.py (audit), engine_warn.py
(``warn:`` bounds and ratio-over-zero warnings).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from . import formula
from .errors import Problem, field_path
from .load import Loaded
from .record import Frozen, Record

SECTIONS = ("inputs", "text", "figures", "aliases", "checks", "collect")
SCALAR_TYPES = {
    "text": "文字",
    "amount": "金额",
    "count": "个数（整数）",
    "percent": "百分数（写 95.5 表示 95.5%）",
    "number": "数值",
    "date": "日期（如 2024-12-31）",
    "choice": "选项（values 中的一个）",
    "paragraphs": "文字段落（每行一段，可引用计算结果）",
}
PRINTS = {
    "money": "金额，千分位两位小数",
    "percent": "百分数，两位小数",
    "score": "分数，去掉末尾的 0",
    "count": "整数",
    "number": "数值，原样",
    "text": "文字",
    "date": "日期（2024年12月31日）",
}
DEFAULT_PRINT = {
    "text": "text",
    "amount": "money",
    "count": "count",
    "percent": "percent",
    "number": "number",
    "date": "date",
    "choice": "text",
    "paragraphs": "text",
}
NUMERIC = {"amount", "count", "percent", "number"}
RESERVED = {"format", "year", "text", "reported", "annexes", "annex", "t", "unit", "h"}  # data file and template names
# a row is a dict in the template: its methods would hide a column of the same name
DICT_WORDS = {"items", "keys", "values", "get", "pop", "popitem", "clear", "copy", "update", "setdefault", "fromkeys"}
TABLE_WORDS = {
    "total",
    "leaves",
    "rows",
    "row",
    "top",
    "groups",
    "children",
    "name",
    "level",
    "number",
    "grid",
    "grouped",
} | DICT_WORDS
ROLLUPS = ("sum", "none", "sum_or_stated")


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class Warn(Frozen):
    """``warn: {min: 0, max: 100}``: a value outside these bounds (in print units) is a warning of ``check``."""

    _fields = ("min", "max")
    min: Decimal | None
    max: Decimal | None

    def __init__(
        self,
        min: Decimal | None = None,
        max: Decimal | None = None,
    ) -> None:
        _set(self, "min", min)
        _set(self, "max", max)


class Scalar(Record):
    _fields = (
        "key",
        "type",
        "label",
        "help",
        "required",
        "values",
        "rollup",
        "warn",
        "carry",
        "otherwise",
        "otherwise_source",
        "stated",
        "sum_of",
        "sum_column",
        "count_of",
        "minimum",
    )
    key: str
    type: str
    label: str
    help: str
    required: bool
    values: tuple[str, ...]
    rollup: bool
    warn: Warn | None  # plausibility bounds (consistency warnings); amounts default to min 0
    carry: bool  # ``reportgen new`` keeps last year's value (a weight), instead of 待填
    # ``otherwise: FORMULA``: the field is written, or (never both) computed from the inputs the formula names
    otherwise: formula.Node | None
    otherwise_source: str
    stated: bool  # rollup: sum_or_stated — a parent may state it (then it must equal the sum)
    sum_of: str | None  # ``parts:`` the nested list whose items' column of the same name give it
    sum_column: str | None  # ``parts: items.amount``: the items' column that gives it (another name)
    count_of: str | None  # the nested list whose number of items gives it
    minimum: Decimal | None  # min: the smallest value a clerk may write

    def __init__(
        self,
        key: str,
        type: str,
        label: str,
        help: str,
        required: bool = True,
        values: tuple[str, ...] = (),
        rollup: bool = False,
        warn: Warn | None = None,
        carry: bool = False,
        otherwise: formula.Node | None = None,
        otherwise_source: str = "",
        stated: bool = False,
        sum_of: str | None = None,
        sum_column: str | None = None,
        count_of: str | None = None,
        minimum: Decimal | None = None,
    ) -> None:
        self.key = key
        self.type = type
        self.label = label
        self.help = help
        self.required = required
        self.values = values
        self.rollup = rollup
        self.warn = warn
        self.carry = carry
        self.otherwise = otherwise
        self.otherwise_source = otherwise_source
        self.stated = stated
        self.sum_of = sum_of
        self.sum_column = sum_column
        self.count_of = count_of
        self.minimum = minimum

    @property
    def print(self) -> str:
        return DEFAULT_PRINT[self.type]

    @property
    def summed(self) -> str:
        """The column of the ``parts:`` list whose sum gives this one (its own name unless ``parts: L.COL``)."""
        return self.sum_column or self.key

    @property
    def parts(self) -> list[str]:
        """The inputs (of the same group) an ``otherwise`` formula computes this field from."""
        if self.otherwise is None:
            return []
        return list(dict.fromkeys(r.path[0] for r in formula.refs(self.otherwise)))


class Series(Record):
    """A list of numbers of one type (e.g. the monthly execution rates): ``[97.5, 101.2, …]``."""

    _fields = ("key", "label", "help", "item", "required")
    key: str
    label: str
    help: str
    item: Scalar
    required: bool

    def __init__(
        self,
        key: str,
        label: str,
        help: str,
        item: Scalar,
        required: bool = True,
    ) -> None:
        self.key = key
        self.label = label
        self.help = help
        self.item = item
        self.required = required


class Computed(Record):
    _fields = ("key", "label", "help", "node", "source", "print", "rollup", "warn", "misread")
    key: str
    label: str
    help: str
    node: formula.Node
    source: str
    print: str
    rollup: bool
    warn: Warn | None
    misread: tuple[tuple[str, formula.Node], ...]  # (a known misreading, its formula): audit names it

    def __init__(
        self,
        key: str,
        label: str,
        help: str,
        node: formula.Node,
        source: str,
        print: str,
        rollup: bool = False,
        warn: Warn | None = None,
        misread: tuple[tuple[str, formula.Node], ...] = (),
    ) -> None:
        self.key = key
        self.label = label
        self.help = help
        self.node = node
        self.source = source
        self.print = print
        self.rollup = rollup
        self.warn = warn
        self.misread = misread


class Months(Record):
    """Monthly figures from a first month on: ``{from: 3, rates: [97.5, 101.2, …]}`` (rates in percent)."""

    _fields = ("key", "label", "help", "required", "word", "by")
    key: str
    label: str
    help: str
    required: bool
    word: str  # what each number is, in messages: 执行率
    by: str  # who reports them, in messages: 市财政局

    def __init__(
        self,
        key: str,
        label: str,
        help: str,
        required: bool = True,
        word: str = "数字",
        by: str = "",
    ) -> None:
        self.key = key
        self.label = label
        self.help = help
        self.required = required
        self.word = word
        self.by = by


class Group(Record):
    """A set of fields under one key; a field may itself be a group, a table, a list or a series.

    ``computed`` are figures of the group (``staff.actual``), their formulas over the
    group's own fields; ``order`` is their evaluation order.
    """

    _fields = ("key", "label", "help", "fields", "computed", "order", "required")
    key: str
    label: str
    help: str
    fields: dict[str, Input]
    computed: dict[str, Computed]
    order: list[str]
    required: bool

    def __init__(
        self,
        key: str,
        label: str,
        help: str,
        fields: dict[str, Input],
        computed: dict[str, Computed] | None = None,
        order: list[str] | None = None,
        required: bool = True,
    ) -> None:
        self.key = key
        self.label = label
        self.help = help
        self.fields = fields
        self.computed = {} if computed is None else computed
        self.order = [] if order is None else order
        self.required = required


class CountBy(Frozen):
    """``count_by: {column: category, name: indicator_count, label: 指标个数}``: items counted by a text column."""

    _fields = ("column", "name", "label", "help")
    column: str
    name: str
    label: str
    help: str

    def __init__(
        self,
        column: str,
        name: str,
        label: str,
        help: str,
    ) -> None:
        _set(self, "column", column)
        _set(self, "name", name)
        _set(self, "label", label)
        _set(self, "help", help)


class Table(Record):
    _fields = (
        "key",
        "kind",
        "label",
        "help",
        "columns",
        "computed",
        "order",
        "total",
        "name",
        "required",
        "lists",
        "row_key",
        "group_label",
        "row_word",
        "levels",
        "count_by",
    )
    key: str
    kind: str  # "table" (a tree) or "list"
    label: str
    help: str
    columns: dict[str, Scalar]
    computed: dict[str, Computed]
    order: list[str]  # computed columns in evaluation order
    total: str
    name: str | None  # the column that names a row in messages
    required: bool
    lists: dict[str, Table]  # nested lists: a list inside each row
    row_key: str | None  # the column whose value names a row in templates (``T.KEY.col``)
    group_label: str | None  # a nested list: the column of its row that labels its group
    row_word: str  # what a row is called in messages (``row: 指标``)
    levels: int | None  # the levels of ``T.grid`` (default: the depth of the data's tree)
    # ``count_by: {COLUMN: NAME}``: the items (a tree's leaves, a nested list's items) counted and grouped
    # by a text column: each row gets NAME (how many have COLUMN written) and its groups by value
    count_by: CountBy | None

    def __init__(
        self,
        key: str,
        kind: str,
        label: str,
        help: str,
        columns: dict[str, Scalar],
        computed: dict[str, Computed],
        order: list[str],
        total: str = "合计",
        name: str | None = None,
        required: bool = True,
        lists: dict[str, Table] | None = None,
        row_key: str | None = None,
        group_label: str | None = None,
        row_word: str = "行",
        levels: int | None = None,
        count_by: CountBy | None = None,
    ) -> None:
        self.key = key
        self.kind = kind
        self.label = label
        self.help = help
        self.columns = columns
        self.computed = computed
        self.order = order
        self.total = total
        self.name = name
        self.required = required
        self.lists = {} if lists is None else lists
        self.row_key = row_key
        self.group_label = group_label
        self.row_word = row_word
        self.levels = levels
        self.count_by = count_by

    def counted_names(self) -> list[str]:
        """The count names each row of this table gets (its own ``count_by`` and its nested lists')."""
        found = [self.count_by] + [inner.count_by for inner in self.lists.values()]
        return [c.name for c in found if c is not None]

    def counted(self) -> list[CountBy]:
        found = [self.count_by] + [inner.count_by for inner in self.lists.values()]
        return [c for c in found if c is not None]

    @property
    def tree(self) -> bool:
        return self.kind == "table"

    def label_of(self, column: str) -> str:
        if column in self.columns:
            return self.columns[column].label
        if column in self.lists:
            return self.lists[column].label
        return self.computed[column].label


Input = Scalar | Series | Months | Group | Table


class Figure(Record):
    _fields = ("key", "label", "help", "node", "source", "print", "warn", "also", "misread")
    key: str
    label: str
    help: str
    node: formula.Node
    source: str
    print: str
    warn: Warn | None
    also: tuple[str, ...]  # other names in ``reported:`` (a migrated format's old paths: monthly.average)
    misread: tuple[tuple[str, formula.Node], ...]  # (a known misreading, its formula): audit names it

    def __init__(
        self,
        key: str,
        label: str,
        help: str,
        node: formula.Node,
        source: str,
        print: str,
        warn: Warn | None = None,
        also: tuple[str, ...] = (),
        misread: tuple[tuple[str, formula.Node], ...] = (),
    ) -> None:
        self.key = key
        self.label = label
        self.help = help
        self.node = node
        self.source = source
        self.print = print
        self.warn = warn
        self.also = also
        self.misread = misread


class Check(Record):
    """A consistency rule: ``when`` holds → ``message`` at ``field``.

    Over each row of ``table`` (``field`` a column); with no table (``""``) once over the figures,
    totals and scalars (``field`` the dotted name of the input the message is put at).
    """

    _fields = ("table", "node", "source", "field", "message", "warning")
    table: str
    node: formula.Node
    source: str
    field: str
    message: str
    warning: bool

    def __init__(
        self,
        table: str,
        node: formula.Node,
        source: str,
        field: str,
        message: str,
        warning: bool = False,
    ) -> None:
        self.table = table
        self.node = node
        self.source = source
        self.field = field
        self.message = message
        self.warning = warning


class Collect(Record):
    """``collect:`` a list made of the items that the rows of a table list (``from: T.L``).

    The rows of ``T`` where ``where`` holds give their items of list ``L``, in order; with
    ``bare:`` a row listing no items is one item itself (its name, and the columns ``bare``
    maps from its own), left out when those are all 0.  ``table`` is the result: the
    columns of ``L`` and the collect's own ``computed:`` (a share of the whole list).
    """

    _fields = ("key", "table", "source", "items", "where", "where_source", "bare", "source_name")
    key: str
    table: Table
    source: tuple[str, ...]  # the path of T (through groups)
    items: str  # L
    where: formula.Node | None
    where_source: str
    bare: dict[str, str]  # L's column → T's column
    source_name: str | None  # T's name column (a bare row's name)

    def __init__(
        self,
        key: str,
        table: Table,
        source: tuple[str, ...],
        items: str,
        where: formula.Node | None = None,
        where_source: str = "",
        bare: dict[str, str] | None = None,
        source_name: str | None = None,
    ) -> None:
        self.key = key
        self.table = table
        self.source = source
        self.items = items
        self.where = where
        self.where_source = where_source
        self.bare = {} if bare is None else bare
        self.source_name = source_name


class Declaration(Record):
    _fields = ("path", "inputs", "text", "figures", "order", "undefined", "settings", "aliases", "checks", "collect")
    path: Path
    inputs: dict[str, Input]
    text: dict[str, tuple[str, str]]  # key → (label, help)
    figures: dict[str, Figure]
    order: list[str]  # figures in evaluation order
    undefined: str
    settings: formula.Settings
    aliases: dict[str, tuple[str, ...]]  # template name → declared name
    checks: list[Check]
    collect: dict[str, Collect]

    def __init__(
        self,
        path: Path,
        inputs: dict[str, Input],
        text: dict[str, tuple[str, str]],
        figures: dict[str, Figure],
        order: list[str],
        undefined: str = "—",
        settings: formula.Settings | None = None,
        aliases: dict[str, tuple[str, ...]] | None = None,
        checks: list[Check] | None = None,
        collect: dict[str, Collect] | None = None,
    ) -> None:
        self.path = path
        self.inputs = inputs
        self.text = text
        self.figures = figures
        self.order = order
        self.undefined = undefined
        self.settings = formula.Settings() if settings is None else settings
        self.aliases = {} if aliases is None else aliases
        self.checks = [] if checks is None else checks
        self.collect = {} if collect is None else collect

    @property
    def tables(self) -> dict[str, Input]:
        """The inputs and the collected lists: every name a figure's formula may start with."""
        return {**self.inputs, **{key: c.table for key, c in self.collect.items()}}


class _Reader:
    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.problems: list[Problem] = []

    def fail(self, loc: tuple, message: str) -> None:
        self.problems.append(Problem(self.loaded.path, self.loaded.line_of(loc), field_path(loc), message))

    def mapping(self, value: Any, loc: tuple, what: str) -> dict:
        if not isinstance(value, dict):
            self.fail(loc, f"{what}应为一组字段（“名称: 值”）")
            return {}
        return value

    def words(self, spec: dict, loc: tuple, allowed: set[str]) -> tuple[str, str]:
        for name in spec:
            if name not in allowed:
                self.fail(loc + (name,), f"不认识的设置“{name}”（可用：{'、'.join(sorted(allowed))}）")
        label, help_ = spec.get("label"), spec.get("help")
        if not isinstance(label, str) or not label.strip():
            self.fail(loc + ("label",), "缺少中文名称 label")
            label = str(loc[-1])
        if not isinstance(help_, str) or not help_.strip():
            self.fail(loc + ("help",), "缺少一行说明 help（填写人在编辑器里看到它）")
            help_ = ""
        return label, help_

    def key_ok(self, key: Any, loc: tuple) -> bool:
        if not isinstance(key, str) or not key.isidentifier() or not key.isascii() or key.startswith("_"):
            self.fail(loc, f"名称“{key}”无效：只能用英文字母、数字和下划线，不以数字或下划线开头")
            return False
        if key in DICT_WORDS:
            self.fail(loc, f"名称“{key}”在模板中另有含义，请换一个名称")
            return False
        return True

    def scalar(self, key: str, spec: Any, loc: tuple, column: bool = False) -> Scalar | None:
        spec = self.mapping(spec, loc, "字段")
        if not spec:
            return None
        allowed = {"type", "label", "help", "required", "values", "warn", "carry", "min"} | (
            {"rollup", "parts", "count_of"} if column else {"otherwise", "rollup"}
        )
        label, help_ = self.words(spec, loc, allowed)
        kind = spec.get("type")
        if kind not in SCALAR_TYPES:
            self.fail(loc + ("type",), f"类型应为 {'、'.join(SCALAR_TYPES)} 之一，得到“{kind}”")
            kind = "number"  # still a name the formulas may use: one mistake, one message
        values: tuple[str, ...] = ()
        if kind == "choice":
            raw = spec.get("values")
            if not isinstance(raw, list) or not raw or not all(isinstance(v, str) for v in raw):
                self.fail(loc + ("values",), "选项类型要用 values 列出可选的文字，如 values: ['=', '≥', '≤']")
            else:
                values = tuple(raw)
        elif "values" in spec:
            self.fail(loc + ("values",), "只有 choice 类型才有 values")
        required = spec.get("required", True)
        if not isinstance(required, bool):
            self.fail(loc + ("required",), "required 应为 true 或 false")
            required = True
        rollup = spec.get("rollup", "sum" if kind in ("amount", "count") else "none")
        if rollup not in ROLLUPS:
            self.fail(loc + ("rollup",), f"rollup 应为 {'、'.join(ROLLUPS)} 之一，得到“{rollup}”")
        elif rollup != "none" and kind not in NUMERIC:
            self.fail(loc + ("rollup",), f"只有数字列才能 rollup: {rollup}")
        parts, count_of = spec.get("parts"), spec.get("count_of")
        if parts is not None and rollup == "none":
            self.fail(loc + ("parts",), "parts 只用于 rollup: sum 或 sum_or_stated 的列")
        if count_of is not None and kind != "count":
            self.fail(loc + ("count_of",), "count_of 只用于 count 类型的列")
        stated = rollup == "sum_or_stated"
        if not column and "rollup" in spec:
            # a group's field: ``rollup: sum_or_stated`` with ``otherwise:`` — written, or computed
            # from its parts, or both (then they must agree); neither is no figure
            if rollup != "sum_or_stated" or "otherwise" not in spec:
                self.fail(
                    loc + ("rollup",), "组中的字段只能写 rollup: sum_or_stated，且要同时写 otherwise（由哪些明细合计）"
                )
            rollup = "none"
        minimum = spec.get("min")
        if minimum is not None and (
            kind not in ("amount", "number", "percent")
            or isinstance(minimum, bool)
            or not isinstance(minimum, (int, Decimal))
        ):
            self.fail(loc + ("min",), "min 只用于 amount、number、percent 类型，应为一个数，如 min: 0")
            minimum = None
        minimum = None if minimum is None else Decimal(minimum)
        warn = self.warn_of(spec, loc, default=Warn(min=Decimal(0)) if kind == "amount" else None)
        if "warn" in spec and kind not in NUMERIC:
            self.fail(loc + ("warn",), "只有数字字段才能设 warn")
        carry = spec.get("carry", False)
        if not isinstance(carry, bool):
            self.fail(loc + ("carry",), "carry 应为 true 或 false")
            carry = False
        scalar = Scalar(key, kind, label, help_, required, values, rollup != "none", warn, carry)
        if isinstance(parts, str) and "." in parts:  # parts: items.amount — the items' column of another name
            parts, scalar.sum_column = parts.split(".", 1)
        scalar.stated, scalar.sum_of, scalar.count_of, scalar.minimum = stated, parts, count_of, minimum

        if "otherwise" in spec:
            if kind not in NUMERIC:
                self.fail(loc + ("otherwise",), "只有数字字段才能写 otherwise")
            if "required" in spec:
                self.fail(loc + ("required",), "写了 otherwise 的字段不填时由公式计算，不要再写 required")
            node, scalar.otherwise_source = self.formula_of({"formula": spec["otherwise"]}, loc + ("otherwise",))
            scalar.otherwise = node if node is not None else formula.Num(formula.ZERO)  # named, reported once
            scalar.required = False
        return scalar

    def otherwise_check(self, fields: dict[str, Input], loc: tuple) -> None:
        """Each ``otherwise`` formula names inputs of its own group (not another such field), and is one number."""
        for key, spec in fields.items():
            if not isinstance(spec, Scalar) or spec.otherwise is None:
                continue
            here = loc + (key, "otherwise")

            def kind_of(ref: formula.Ref) -> str:
                target = fields.get(ref.path[0])
                if isinstance(target, Scalar) and target.otherwise is not None:
                    raise formula.FormulaError(f"“{ref.name}”本身也由公式计算，otherwise 只能用填写的数")
                return figure_ref_kind(fields, {}, ref)

            try:
                if formula.check(spec.otherwise, kind_of, row_scope=False) in ("list", "textlist"):
                    raise formula.FormulaError(
                        f"“{key}”的公式是一整列，不是一个数（对一列请用 sum、mean、count、min、max）"
                    )
            except formula.FormulaError as exc:
                self.fail(here, str(exc))

    def misread_of(self, spec: dict, loc: tuple) -> tuple[tuple[str, formula.Node], ...]:
        """``misread: {年初安排的项目个数: initial_count}``: what a report may print instead, by mistake."""
        out = []
        for name, source in self.mapping(spec.get("misread", {}), loc + ("misread",), "misread").items():
            node, _source = self.formula_of({"formula": source}, loc + ("misread", name))
            if node is not None:
                out.append((str(name), node))
        return tuple(out)

    def warn_of(self, spec: dict, loc: tuple, default: Warn | None = None) -> Warn | None:
        """``warn: {min: …, max: …}`` (print units: a percent as 100 for 100%); ``warn: {}`` for none."""
        if "warn" not in spec:
            return default
        raw = spec["warn"]
        if not isinstance(raw, dict) or not set(raw) <= {"min", "max"}:
            self.fail(loc + ("warn",), "warn 应写成 {min: 下限, max: 上限}（可只写一个；{} 表示不提醒）")
            return None
        bounds: dict[str, Decimal] = {}
        for name, value in raw.items():
            try:
                if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
                    raise InvalidOperation
                bounds[name] = Decimal(str(value))
            except InvalidOperation:
                self.fail(loc + ("warn", name), f"{name} 应为一个数，得到“{value}”")
        return Warn(bounds.get("min"), bounds.get("max")) if bounds else None

    def formula_of(self, spec: dict, loc: tuple) -> tuple[formula.Node | None, str]:
        source = spec.get("formula")
        try:
            return formula.parse(source), str(source)
        except formula.FormulaError as exc:
            self.fail(loc + ("formula",), str(exc))
            return None, str(source)

    def print_of(self, spec: dict, loc: tuple) -> str:
        shown = spec.get("print", "money")
        if shown not in PRINTS:
            self.fail(loc + ("print",), f"print 应为 {'、'.join(PRINTS)} 之一，得到“{shown}”")
            return "money"
        return shown

    def computed_columns(self, raw: Any, loc: tuple, taken: set[str]) -> dict[str, Computed]:
        """A table's ``computed:`` columns (``taken``: its input columns' names)."""
        computed: dict[str, Computed] = {}
        for col, col_spec in self.mapping(raw, loc + ("computed",), "computed").items():
            here = loc + ("computed", col)
            if not self.key_ok(col, here):
                continue
            if col in taken or col in TABLE_WORDS:
                self.fail(here, f"计算列“{col}”与输入列或保留名称重名")
                continue
            col_spec = self.mapping(col_spec, here, "计算列")
            c_label, c_help = self.words(col_spec, here, {"label", "help", "formula", "print", "rollup", "warn"})
            node, source = self.formula_of(col_spec, here)
            rollup = col_spec.get("rollup", "none")
            if rollup not in ("sum", "none"):
                self.fail(here + ("rollup",), f"rollup 应为 sum 或 none，得到“{rollup}”")
            node = node if node is not None else formula.Num(formula.ZERO)  # named, reported once
            computed[col] = Computed(
                col,
                c_label,
                c_help,
                node,
                source,
                self.print_of(col_spec, here),
                rollup == "sum",
                self.warn_of(col_spec, here),
            )
        return computed

    def table(self, key: str, spec: dict, loc: tuple, nested: bool = False) -> Table | None:
        allowed = {"type", "label", "help", "columns", "computed", "total", "name", "required", "key", "row", "levels"}
        allowed |= {"count_by"} | ({"group_label"} if nested or spec.get("type") == "table" else set())
        label, help_ = self.words(spec, loc, allowed)
        columns: dict[str, Scalar] = {}
        lists: dict[str, Table] = {}
        for col, col_spec in self.mapping(spec.get("columns"), loc + ("columns",), "columns").items():
            if self.key_ok(col, loc + ("columns", col)):
                if col in TABLE_WORDS - {"name"}:
                    self.fail(loc + ("columns", col), f"“{col}”是表格的保留名称，请换一个列名")
                    continue
                if isinstance(col_spec, dict) and col_spec.get("type") == "list":
                    if nested:
                        self.fail(loc + ("columns", col), "列表中的列表只能有一层")
                        continue
                    inner = self.table(col, col_spec, loc + ("columns", col), nested=True)
                    if inner:
                        lists[col] = inner
                    continue
                scalar = self.scalar(col, col_spec, loc + ("columns", col), column=True)
                if scalar:
                    columns[col] = scalar
        computed = self.computed_columns(spec.get("computed", {}), loc, set(columns) | set(lists))
        name = spec.get("name", "name" if "name" in columns else None)
        if name is not None and name not in columns:
            self.fail(loc + ("name",), f"name 应是本表的一列（行的名称），没有“{name}”这一列")
            name = None
        total = spec.get("total", "合计")
        if not isinstance(total, str):
            self.fail(loc + ("total",), "total 应为合计行的名称，如 合计")
            total = "合计"
        row_key = spec.get("key")
        if row_key is not None and (row_key not in columns or columns[row_key].type != "text"):
            self.fail(loc + ("key",), f"key 应是本表的一个文字列（模板按它找行），没有“{row_key}”这一文字列")
            row_key = None
        table = Table(key, spec["type"], label, help_, columns, computed, [], total, name, self.required_of(spec, loc))
        table.lists, table.row_key = lists, row_key
        levels = spec.get("levels")
        if levels is not None and (isinstance(levels, bool) or not isinstance(levels, int) or not 1 <= levels <= 9):
            self.fail(loc + ("levels",), "levels 应为附表的级数（1 到 9），如 levels: 3")
        else:
            table.levels = levels
        row_word = spec.get("row", "行")
        if not isinstance(row_word, str) or not row_word.strip():
            self.fail(loc + ("row",), "row 应为一行在文字中的叫法，如 指标")
        else:
            table.row_word = row_word
        for col, inner in lists.items():
            inner.group_label = spec["columns"][col].get("group_label")
            if inner.group_label is not None and inner.group_label not in columns:
                self.fail(
                    loc + ("columns", col, "group_label"), f"group_label 应是本表的一列，没有“{inner.group_label}”"
                )
                inner.group_label = None
        for inner_key, inner in ([] if nested else [(None, table)]) + list(lists.items()):
            where = loc if inner_key is None else loc + ("columns", inner_key)
            raw_count = (spec if inner_key is None else spec["columns"][inner_key]).get("count_by")
            if raw_count is not None:
                inner.count_by = self.count_by(raw_count, inner, table, where)
        if spec.get("type") == "table" and "group_label" in spec:
            table.group_label = spec["group_label"]
            if table.count_by is None or table.group_label not in columns:
                self.fail(loc + ("group_label",), "group_label 用于有 count_by 的树形表，应是本表的一列（各组的名称）")
                table.group_label = None
        for col, scalar in columns.items():
            for option, target in (("parts", scalar.sum_of), ("count_of", scalar.count_of)):
                if target is None:
                    continue
                if target not in lists:
                    self.fail(loc + ("columns", col, option), f"{option} 应是本表的一个列表列，没有“{target}”")
                elif option == "parts" and scalar.summed not in lists[target].columns:
                    self.fail(loc + ("columns", col, option), f"列表“{lists[target].label}”没有“{scalar.summed}”这一列")
        table.order = self.row_order(table, loc)
        return table

    def count_by(self, raw: Any, inner: Table, outer: Table, loc: tuple) -> CountBy | None:
        """``count_by: {column: category, name: indicator_count, label: 指标个数}``: a text column of ``inner``
        and the count's name, a new name on each row of ``outer`` (the table, or the one a nested list is in)."""
        here = loc + ("count_by",)
        form = "count_by 应写成 {column: 按哪一列, name: 个数的名称, label: 中文名称}"
        if not isinstance(raw, dict) or not {"column", "name", "label"} <= set(raw) <= {
            "column",
            "name",
            "label",
            "help",
        }:
            self.fail(here, f"{form}，如 {{column: category, name: indicator_count, label: 指标个数}}")
            return None
        column, name, label = raw["column"], raw["name"], raw["label"]
        col = inner.columns.get(column) if isinstance(column, str) else None
        if col is None or col.type not in ("text", "choice") or column == inner.name:
            self.fail(here + ("column",), f"应是本表的一个文字或选项列（名称列除外），没有“{column}”这一列")
            return None
        if not isinstance(label, str) or not label.strip():
            self.fail(here + ("label",), "缺少中文名称 label")
            return None
        if not isinstance(name, str) or not self.key_ok(name, here + ("name",)):
            return None
        taken = set(outer.columns) | set(outer.computed) | set(outer.lists) | TABLE_WORDS
        if name in taken or name in outer.counted_names():
            self.fail(here + ("name",), f"“{name}”与表“{outer.label}”的列或保留名称重名，请换一个名称")
            return None
        help_ = raw.get("help")
        help_ = help_ if isinstance(help_, str) and help_.strip() else f"按{col.label}数出的个数"
        return CountBy(column, name, label, help_)

    def input(self, key: str, spec: Any, loc: tuple) -> Input | None:
        """One input of any type: a scalar, a series, a group (of inputs) or a table."""
        spec = self.mapping(spec, loc, "输入")
        kind = spec.get("type")
        if kind == "group":
            return self.group(key, spec, loc)
        if kind == "months":
            label, help_ = self.words(spec, loc, {"type", "label", "help", "required", "word", "by"})
            word, by = spec.get("word", "数字"), spec.get("by", "")
            if not isinstance(word, str) or not isinstance(by, str):
                self.fail(loc, "word、by 应为文字（如 word: 执行率, by: 市财政局）")
                word, by = "数字", ""
            return Months(key, label, help_, spec.get("required", True) is not False, word, by)
        if kind == "series":
            label, help_ = self.words(spec, loc, {"type", "label", "help", "item", "required", "warn"})
            item = spec.get("item")
            if item not in NUMERIC:
                self.fail(loc + ("item",), f"数列的 item 应为 {'、'.join(sorted(NUMERIC))} 之一，得到“{item}”")
                item = "number"
            required = spec.get("required", True)
            element = Scalar(key, item, label, help_, warn=self.warn_of(spec, loc))
            return Series(key, label, help_, element, required is not False)
        if kind in ("table", "list"):
            return self.table(key, spec, loc)
        if spec:
            return self.scalar(key, spec, loc)
        return None

    def required_of(self, spec: dict, loc: tuple) -> bool:
        required = spec.get("required", True)
        if not isinstance(required, bool):
            self.fail(loc + ("required",), "required 应为 true 或 false")
            return True
        return required

    def group(self, key: str, spec: dict, loc: tuple) -> Group:
        label, help_ = self.words(spec, loc, {"type", "label", "help", "fields", "computed", "required"})
        fields: dict[str, Input] = {}
        for name, f_spec in self.mapping(spec.get("fields"), loc + ("fields",), "fields").items():
            if self.key_ok(name, loc + ("fields", name)):
                found = self.input(name, f_spec, loc + ("fields", name))
                if found:
                    fields[name] = found
        computed: dict[str, Computed] = {}
        for name, c_spec in self.mapping(spec.get("computed", {}), loc + ("computed",), "computed").items():
            here = loc + ("computed", name)
            if not self.key_ok(name, here):
                continue
            if name in fields:
                self.fail(here, f"计算结果“{name}”与本组的字段重名")
                continue
            c_spec = self.mapping(c_spec, here, "计算结果")
            c_label, c_help = self.words(c_spec, here, {"label", "help", "formula", "print", "misread", "warn"})
            node, source = self.formula_of(c_spec, here)
            node = node if node is not None else formula.Num(formula.ZERO)  # named, reported once
            computed[name] = Computed(
                name,
                c_label,
                c_help,
                node,
                source,
                self.print_of(c_spec, here),
                warn=self.warn_of(c_spec, here),
                misread=self.misread_of(c_spec, here),
            )
        self.otherwise_check(fields, loc + ("fields",))
        group = Group(key, label, help_, fields, computed, [], self.required_of(spec, loc))
        group.order = _scope_order(self, fields, computed, loc + ("computed",))
        return group

    def row_order(self, table: Table, loc: tuple) -> list[str]:
        names = set(table.columns) | set(table.computed) | set(table.counted_names())
        deps: dict[str, list[str]] = {}
        for col, comp in table.computed.items():
            here = loc + ("computed", col, "formula")

            def kind_of(ref: formula.Ref) -> str:
                if table.tree and ref.path[0] == "children" and len(ref.path) == 2:  # the row's children's column
                    if ref.path[1] not in names:
                        known = "、".join(f"children.{c}" for c in list(table.columns) + list(table.computed))
                        raise formula.FormulaError(f"表“{table.label}”没有“{ref.name}”（可用：{known}）")
                    return "list" if _kind(table, ref.path[1]) == "scalar" else "textlist"
                inner = table.lists.get(ref.path[0])
                if inner is not None and len(ref.path) == 2:
                    if ref.path[1] not in set(inner.columns) | set(inner.computed):
                        known = "、".join(f"{inner.key}.{c}" for c in list(inner.columns) + list(inner.computed))
                        raise formula.FormulaError(f"列表“{inner.label}”没有“{ref.name}”（可用：{known}）")
                    return "list" if _kind(inner, ref.path[1]) == "scalar" else "textlist"
                if len(ref.path) != 1 or ref.path[0] not in names:
                    known = "、".join(list(table.columns) + list(table.computed))
                    raise formula.FormulaError(f"表“{table.label}”没有“{ref.name}”这一列（可用：{known}）")
                return _kind(table, ref.path[0])

            try:
                formula.check(comp.node, kind_of, row_scope=True)
            except formula.FormulaError as exc:
                self.fail(here, str(exc))
                continue
            deps[col] = [r.path[-1] for r in formula.refs(comp.node) if _same_row_or_children(r, table, col)]
        return self.topological(deps, lambda c: loc + ("computed", c, "formula"), lambda c: table.computed[c].label)

    def topological(self, deps: dict[str, list[str]], loc_of, label_of) -> list[str]:
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(name: str, chain: list[str]) -> None:
            if state.get(name) == 2 or name not in deps:
                return
            if state.get(name) == 1:
                cycle = chain[chain.index(name) :] + [name]
                self.fail(
                    loc_of(name),
                    f"公式循环引用：{' → '.join(cycle)}（{'、'.join(label_of(c) for c in cycle[:-1])}互相依赖）",
                )
                raise _Cycle
            state[name] = 1
            for dep in deps[name]:
                visit(dep, chain + [name])
            state[name] = 2
            order.append(name)

        for name in deps:
            try:
                visit(name, [])
            except _Cycle:
                for n, s in list(state.items()):
                    if s == 1:
                        state[n] = 2
        return order


class _Cycle(Exception):
    pass


def _same_row_or_children(ref: formula.Ref, table: Table, column: str) -> bool:
    """Whether a row formula of ``column`` needs computed column ``ref`` first: one of its own row, or
    (another column) of its children; its children's own ``column`` is computed before the row itself."""
    if len(ref.path) == 1:
        return ref.path[0] in table.computed
    return ref.path[0] == "children" and ref.path[1] in table.computed and ref.path[1] != column


def _kind(table: Table, column: str) -> str:
    """``scalar`` for a number column, ``text`` for text, choice and date columns."""
    if column not in table.columns and column not in table.computed:
        return "scalar"  # a count_by name
    if column in table.columns:
        return "scalar" if table.columns[column].type in NUMERIC else "text"
    return "text" if table.computed[column].print in ("text", "date") else "scalar"


def input_at(inputs: dict[str, Input], path: tuple[str, ...]) -> Input | None:
    """The input a dotted path names, through groups (``budget.projects.actual``); None for no input."""
    specs: dict[str, Input] = inputs
    found: Input | None = None
    for part in path:
        found = specs.get(part)
        if found is None:
            return None
        specs = found.fields if isinstance(found, Group) else {}
    return found


def is_declared(data: Any) -> bool:
    return isinstance(data, dict) and "inputs" in data


def read(loaded: Loaded, settings: formula.Settings) -> tuple[Declaration | None, list[Problem]]:
    """The declaration in a loaded ``format.yaml``, and every problem in it (with lines)."""
    reader = _Reader(loaded)
    data = loaded.data
    inputs: dict[str, Input] = {}
    for key, spec in reader.mapping(data.get("inputs"), ("inputs",), "inputs").items():
        loc = ("inputs", key)
        if not reader.key_ok(key, loc):
            continue
        if key in RESERVED:
            reader.fail(loc, f"“{key}”是数据文件的保留字段，请换一个名称")
            continue
        found = reader.input(key, spec, loc)
        if found:
            inputs[key] = found
    reader.otherwise_check(inputs, ("inputs",))
    text: dict[str, tuple[str, str]] = {}
    for key, spec in reader.mapping(data.get("text", {}), ("text",), "text").items():
        if reader.key_ok(key, ("text", key)):
            text[key] = reader.words(reader.mapping(spec, ("text", key), "文字段落"), ("text", key), {"label", "help"})
    collect = _collect(reader, data.get("collect", {}), inputs)
    figures: dict[str, Figure] = {}
    for key, spec in reader.mapping(data.get("figures", {}), ("figures",), "figures").items():
        loc = ("figures", key)
        if not reader.key_ok(key, loc):
            continue
        if key in inputs or key in collect or key in RESERVED:
            reader.fail(loc, f"结果“{key}”与输入或保留名称重名")
            continue
        spec = reader.mapping(spec, loc, "结果")
        label, help_ = reader.words(spec, loc, {"label", "help", "formula", "print", "warn", "also", "misread"})
        node, source = reader.formula_of(spec, loc)
        node = node if node is not None else formula.Num(formula.ZERO)  # named, reported once
        also = spec.get("also", [])
        also = [also] if isinstance(also, str) else also
        if not isinstance(also, list) or not all(isinstance(a, str) and a.strip() for a in also):
            reader.fail(loc + ("also",), "also 应为 reported: 中的其他写法，如 also: [monthly.average]")
            also = []
        figures[key] = Figure(
            key,
            label,
            help_,
            node,
            source,
            reader.print_of(spec, loc),
            reader.warn_of(spec, loc),
            tuple(also),
            reader.misread_of(spec, loc),
        )
    undefined = data.get("undefined", "—") if isinstance(data.get("undefined", "—"), str) else "—"
    tables = {**inputs, **{key: c.table for key, c in collect.items()}}
    order = _figure_order(reader, tables, figures)
    aliases = _aliases(reader, data.get("aliases", {}), tables, figures, text)
    checks = _checks(reader, data.get("checks", []), inputs, tables, figures)
    if reader.problems:
        return None, reader.problems
    decl = Declaration(loaded.path, inputs, text, figures, order, undefined, settings, aliases, checks, collect)
    return decl, []


def _collect(reader: _Reader, raw: Any, inputs: dict[str, Input]) -> dict[str, Collect]:
    """``collect: {KEY: {label:, help:, from: T.L, where:, bare: {COL: T_COL}, total:, computed:}}``."""
    out: dict[str, Collect] = {}
    for key, spec in reader.mapping(raw, ("collect",), "collect").items():
        loc = ("collect", key)
        if not reader.key_ok(key, loc):
            continue
        if key in inputs or key in RESERVED:
            reader.fail(loc, f"“{key}”与输入或保留名称重名")
            continue
        spec = reader.mapping(spec, loc, "汇集的列表")
        label, help_ = reader.words(spec, loc, {"label", "help", "from", "where", "bare", "total", "computed"})
        path = tuple(spec["from"].split(".")) if isinstance(spec.get("from"), str) else ()
        table = input_at(inputs, path[:-1]) if len(path) > 1 else None
        if not isinstance(table, Table) or path[-1] not in table.lists:
            nested = "、".join(f"{t}.{inner}" for t in _table_names(inputs) for inner in _lists_of(inputs, t))
            reader.fail(
                loc + ("from",), f"from 应是“表格.行中的列表”，如 from: by_class.details（可用：{nested or '无'}）"
            )
            continue
        inner = table.lists[path[-1]]
        total = spec.get("total", "合计")
        if not isinstance(total, str):
            reader.fail(loc + ("total",), "total 应为合计行的名称，如 合计")
            total = "合计"
        result = Table(key, "list", label, help_, dict(inner.columns), {}, [], total, inner.name, False)
        result.computed = reader.computed_columns(spec.get("computed", {}), loc, set(inner.columns))
        result.order = reader.row_order(result, loc)
        where, where_source = None, ""
        if "where" in spec:
            where_source = str(spec["where"])
            try:
                where = formula.parse(spec["where"])
                formula.check(where, _row_kinds(table), row_scope=False)
            except formula.FormulaError as exc:
                reader.fail(loc + ("where",), str(exc))
        bare: dict[str, str] = {}
        for column, own in reader.mapping(spec.get("bare", {}), loc + ("bare",), "bare").items():
            if column not in inner.columns or not isinstance(own, str) or own not in {*table.columns, *table.computed}:
                reader.fail(
                    loc + ("bare", column),
                    f"bare 写成“{inner.label}的列: {table.label}的列”，如 amount: basic（没有明细的行以其 basic 作为一项）",
                )
                continue
            bare[column] = own
        out[key] = Collect(key, result, path[:-1], path[-1], where, where_source, bare, table.name)
    return out


def _lists_of(inputs: dict[str, Input], table: str) -> list[str]:
    found = input_at(inputs, tuple(table.split(".")))
    return list(found.lists) if isinstance(found, Table) else []


def _row_kinds(table: Table):
    """The kind of a name in a formula over one row of ``table`` (its own columns only)."""
    names = set(table.columns) | set(table.computed)

    def kind_of(ref: formula.Ref) -> str:
        if len(ref.path) != 1 or ref.path[0] not in names:
            raise formula.FormulaError(f"表“{table.label}”没有“{ref.name}”这一列")
        return _kind(table, ref.path[0])

    return kind_of


def _checks(reader: _Reader, raw: Any, inputs: dict, tables: dict, figures: dict) -> list[Check]:
    """``checks:`` — ``{table: T, when: 公式, field: 列, message: 说明, warning: true}`` over each row of a
    table; without ``table:`` once over the figures and totals, ``field:`` the input the message is at."""
    out: list[Check] = []
    if not isinstance(raw, list):
        reader.fail(("checks",), "checks 应为列表，每项 {table:, when:, field:, message:}")
        return out
    for i, spec in enumerate(raw):
        loc = ("checks", i)
        spec = reader.mapping(spec, loc, "检查")
        if not spec:
            continue
        for name in spec:
            if name not in ("table", "when", "field", "message", "warning"):
                reader.fail(loc + (name,), f"不认识的设置“{name}”（可用：table、when、field、message、warning）")
        if "table" not in spec:
            found = _figure_check(reader, spec, loc, inputs, tables, figures)
            if found:
                out.append(found)
            continue
        name = spec.get("table")
        table = input_at(inputs, tuple(name.split("."))) if isinstance(name, str) else None
        if not isinstance(table, Table):
            known = "、".join(_table_names(inputs))
            reader.fail(loc + ("table",), f"table 应是一个表格的名称（可用：{known}；不写 table 时检查各结果和合计）")
            continue
        names = set(table.columns) | set(table.computed)
        try:
            node = formula.parse(spec.get("when"))

            formula.check(node, _row_kinds(table), row_scope=False)
        except formula.FormulaError as exc:
            reader.fail(loc + ("when",), str(exc))
            continue
        field_name, message = spec.get("field"), spec.get("message")
        if not isinstance(field_name, str) or field_name not in names:
            reader.fail(loc + ("field",), f"field 应是表“{table.label}”的一列（问题写在哪一栏）")
            continue
        if not isinstance(message, str) or not message.strip():
            reader.fail(loc + ("message",), "缺少 message（给填写人的说明，可用 {列名} 引用本行的数）")
            continue
        unknown = [n for n in re.findall(r"\{([^{}]*)\}", message) if n != "who" and n not in names]
        if unknown:
            reader.fail(
                loc + ("message",),
                f"message 中的“{{{unknown[0]}}}”不是表“{table.label}”的一列（可用：who、{'、'.join([*table.columns, *table.computed])}）",
            )
            continue
        out.append(Check(str(spec["table"]), node, str(spec["when"]), field_name, message, spec.get("warning") is True))
    return out


def _figure_check(reader: _Reader, spec: dict, loc: tuple, inputs: dict, tables: dict, figures: dict) -> Check | None:
    """A check without ``table:``: its formula over the figures, totals and scalars (as a figure's)."""

    def kind_of(ref: formula.Ref) -> str:
        return figure_ref_kind(tables, figures, ref)

    try:
        node = formula.parse(spec.get("when"))
        if formula.check(node, kind_of, row_scope=False) in ("list", "textlist"):
            raise formula.FormulaError("条件是一整列，不是一个数（对一列请用 sum、count、min、max）")
    except formula.FormulaError as exc:
        reader.fail(loc + ("when",), str(exc))
        return None
    field_name, message = spec.get("field"), spec.get("message")
    if not isinstance(field_name, str) or input_at(inputs, tuple(field_name.split("."))) is None:
        reader.fail(
            loc + ("field",),
            f"field 应是数据文件中的一项输入（提示写在它所在的行），如 field: {next(iter(inputs), 'spending')}",
        )
        return None
    if not isinstance(message, str) or not message.strip():
        reader.fail(
            loc + ("message",), "缺少 message（给填写人的说明，可用 {名称} 引用结果和合计，如 {spending.total.amount}）"
        )
        return None
    for name in re.findall(r"\{([^{}]*)\}", message):
        try:
            if not re.fullmatch(r"\w+(\.\w+)*", name):
                raise formula.FormulaError("应写一个结果或合计的名称，如 {spending.total.amount}")
            if kind_of(formula.Ref(tuple(name.split(".")))) in ("list", "textlist"):
                raise formula.FormulaError("这是一整列，message 中只能引用一个数")
        except formula.FormulaError as exc:
            reader.fail(loc + ("message",), f"message 中的“{{{name}}}”：{exc}")
            return None
    return Check("", node, str(spec["when"]), field_name, message, spec.get("warning") is True)


def _table_names(inputs: dict[str, Input], at: str = "") -> list[str]:
    out: list[str] = []
    for key, spec in inputs.items():
        if isinstance(spec, Table):
            out.append(at + key)
        elif isinstance(spec, Group):
            out += _table_names(spec.fields, f"{at}{key}.")
    return out


def _aliases(reader: _Reader, raw: Any, inputs: dict, figures: dict, text: dict) -> dict[str, tuple[str, ...]]:
    """``aliases: {NAME: declared.name}``: a second name for an input or figure (templates, narrative)."""
    out: dict[str, tuple[str, ...]] = {}
    for name, target in reader.mapping(raw, ("aliases",), "aliases").items():
        loc = ("aliases", name)
        # a dotted name puts the alias inside a table, group or another alias: scores.grade
        if not isinstance(name, str) or not all(reader.key_ok(part, loc) for part in name.split(".")):
            continue
        if name in inputs or name in figures or name in RESERVED:
            reader.fail(loc, f"别名“{name}”与输入、结果或保留名称重名")
            continue
        path = tuple(target.split(".")) if isinstance(target, str) else ()
        if not path or path[0] not in inputs and path[0] not in figures:
            known = "、".join(list(inputs) + list(figures))
            reader.fail(loc, f"别名应指向一个输入或结果的名称，没有“{target}”（可用：{known}）")
            continue
        out[name] = path
    return out


def figure_ref_kind(inputs: dict[str, Input], figures: dict[str, Any], ref: formula.Ref) -> str:
    """``scalar`` or ``list`` for a name in a figure formula; unknown names raise FormulaError."""
    head, rest = ref.path[0], ref.path[1:]
    if head in figures and not rest:
        return "text" if figures[head].print in ("text", "date") else "scalar"
    target = inputs.get(head)
    if isinstance(target, Scalar) and not rest:
        return "scalar" if target.type in NUMERIC else "text"
    if isinstance(target, Series) and not rest:
        return "list"
    if isinstance(target, Months) and rest == ("rates",):
        return "list"
    if isinstance(target, Months) and rest == ("first",):
        return "scalar"
    if isinstance(target, Months):
        raise formula.FormulaError(f"“{target.label}”没有“{ref.name}”（可用：{head}.rates、{head}.first）")
    if isinstance(target, Group) and len(rest) == 1 and rest[0] in target.computed:
        return "text" if target.computed[rest[0]].print in ("text", "date") else "scalar"
    if isinstance(target, Group) and rest and rest[0] in target.fields:
        return figure_ref_kind(target.fields, target.computed, formula.Ref(rest))
    if isinstance(target, Table):
        cols = set(target.columns) | set(target.computed) | set(target.counted_names())
        if len(rest) == 1 and rest[0] in cols:
            return "list" if _kind(target, rest[0]) == "scalar" else "textlist"
        if len(rest) == 2 and rest[0] in ("total", "leaves") and rest[1] in cols:
            if rest[0] == "total":
                return _kind(target, rest[1])
            return "list" if _kind(target, rest[1]) == "scalar" else "textlist"
        known = "、".join(f"{head}.{c}" for c in list(target.columns) + list(target.computed))
        raise formula.FormulaError(f"“{target.label}”没有“{ref.name}”（可用：{known}，合计行 {head}.total.列名）")
    if isinstance(target, Group):
        known = "、".join(f"{head}.{f}" for f in list(target.fields) + list(target.computed))
        raise formula.FormulaError(f"“{target.label}”没有“{ref.name}”（可用：{known}）")
    known = "、".join(list(inputs) + list(figures))
    raise formula.FormulaError(f"没有“{ref.name}”这个名称（可用：{known}）")


def _figure_order(reader: _Reader, inputs: dict, figures: dict[str, Figure]) -> list[str]:
    return _scope_order(reader, inputs, figures, ("figures",))


def _scope_order(reader: _Reader, inputs: dict, figures: dict[str, Any], loc: tuple) -> list[str]:
    """Figures (or a group's computed figures) over ``inputs``, checked, in evaluation order."""
    deps: dict[str, list[str]] = {}
    for key, fig in figures.items():
        try:
            if formula.check(fig.node, lambda r: figure_ref_kind(inputs, figures, r), row_scope=False) in (
                "list",
                "textlist",
            ):
                raise formula.FormulaError(
                    f"“{key}”的公式是一整列，不是一个数（对一列请用 sum、mean、count、min、max）"
                )
        except formula.FormulaError as exc:
            reader.fail(loc + (key, "formula"), str(exc))
            continue
        for name, node in fig.misread:
            try:
                formula.check(node, lambda r: figure_ref_kind(inputs, figures, r), row_scope=False)
            except formula.FormulaError as exc:
                reader.fail(loc + (key, "misread", name), str(exc))
        deps[key] = [r.path[0] for r in formula.refs(fig.node) if r.path[0] in figures and len(r.path) == 1]
    return reader.topological(deps, lambda k: loc + (k, "formula"), lambda k: figures[k].label)


def blank_texts(decl: Declaration | None) -> frozenset[str]:
    """Names of optional text and choice inputs (fields and columns): not written, a template prints
    them as nothing (a name that is a number elsewhere in the format is left out)."""
    if decl is None:
        return frozenset()
    texts: set[str] = set()
    others: set[str] = set(decl.figures)

    def scan(specs: dict[str, Any]) -> None:
        for key, spec in specs.items():
            if isinstance(spec, Scalar):
                (texts if spec.type in ("text", "choice") and not spec.required else others).add(key)
            elif isinstance(spec, Group):
                others.add(key)
                others.update(spec.computed)
                scan(spec.fields)
            elif isinstance(spec, Table):
                others.add(key)
                others.update(spec.computed)
                scan(spec.columns)
                scan(spec.lists)
            else:
                others.add(key)

    scan(decl.inputs)
    return frozenset(texts - others)

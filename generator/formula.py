"""The formula language of a format declaration: parser, checker and library.

A formula is a short expression written in ``format.yaml``::

    ratio(actual, adjusted)            # 执行率
    prorate(rate, weight)              # 得分 = 执行率 × 权重，不超过权重
    sources.total.score + sum(indicators.score)

Grammar (no Python is ever evaluated)::

    expr  := term (("+" | "-") term)*
    term  := unary (("*" | "/") unary)*
    unary := "-" unary | atom
    atom  := NUMBER | NAME ("." NAME)* | FUNCTION "(" expr ("," expr)* ")" | "(" expr ")"

Values are ``Decimal``, ``None`` (undefined: a missing input or a division by
zero; it propagates), text (a choice column such as 指标性质) or a list of
those (a column of a table).  Pure: no I/O, no Jinja.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from . import formatting
from .record import Frozen

ZERO = Decimal(0)
ONE = Decimal(1)

Value = Any  # Decimal | str | None | list[Decimal | str | None]


class FormulaError(Exception):
    """A formula that cannot be parsed or checked; the message is Chinese."""


# --- syntax tree ---------------------------------------------------------------------


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class Num(Frozen):
    _fields = ("value",)
    value: Decimal

    def __init__(self, value: Decimal) -> None:
        _set(self, "value", value)


class Text(Frozen):
    _fields = ("value",)
    value: str

    def __init__(self, value: str) -> None:
        _set(self, "value", value)


class Ref(Frozen):
    _fields = ("path",)
    path: tuple[str, ...]

    def __init__(self, path: tuple[str, ...]) -> None:
        _set(self, "path", path)

    @property
    def name(self) -> str:
        return ".".join(self.path)


class Call(Frozen):
    _fields = ("func", "args")
    func: str
    args: tuple[Node, ...]

    def __init__(self, func: str, args: tuple[Node, ...]) -> None:
        _set(self, "func", func)
        _set(self, "args", args)


class BinOp(Frozen):
    _fields = ("op", "left", "right")
    op: str
    left: Node
    right: Node

    def __init__(self, op: str, left: Node, right: Node) -> None:
        _set(self, "op", op)
        _set(self, "left", left)
        _set(self, "right", right)


class Neg(Frozen):
    _fields = ("operand",)
    operand: Node

    def __init__(self, operand: Node) -> None:
        _set(self, "operand", operand)


Node = Num | Text | Ref | Call | BinOp | Neg


# --- parser --------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<text>'[^']*'|\"[^\"]*\")|(?P<op>[-+*/(),.]))"
)
MAX_LENGTH = 500


def parse(source: Any) -> Node:
    """Parse a formula; a :class:`FormulaError` says what is wrong, in Chinese."""
    if not isinstance(source, str) or not source.strip():
        raise FormulaError("公式应为一行文字，如 ratio(actual, adjusted)")
    if len(source) > MAX_LENGTH:
        raise FormulaError(f"公式过长（超过 {MAX_LENGTH} 个字符）")
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = source.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            bad = text[pos:].lstrip()[:1]
            raise FormulaError(
                f"公式中有不认识的字符“{bad}”（第 {pos + 1} 个字符起）：只能用名称、数字、+ - * / 、括号和逗号"
            )
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    parser = _Parser(tokens)
    node = parser.expr()
    if parser.pos != len(tokens):
        raise FormulaError(f"公式在“{tokens[parser.pos][1]}”处多出了内容")
    return node


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str) -> bool:
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] == value:
            self.pos += 1
            return True
        return False

    def expect(self, value: str) -> None:
        if not self.take(value):
            token = self.peek()
            got = f"“{token[1]}”" if token else "公式结尾"
            raise FormulaError(f"这里应有“{value}”，得到{got}")

    def expr(self) -> Node:
        self.depth += 1
        if self.depth > 50:
            raise FormulaError("公式中括号嵌套过深")
        node = self.term()
        while True:
            if self.take("+"):
                node = BinOp("+", node, self.term())
            elif self.take("-"):
                node = BinOp("-", node, self.term())
            else:
                self.depth -= 1
                return node

    def term(self) -> Node:
        node = self.unary()
        while True:
            if self.take("*"):
                node = BinOp("*", node, self.unary())
            elif self.take("/"):
                node = BinOp("/", node, self.unary())
            else:
                return node

    def unary(self) -> Node:
        if self.take("-"):
            return Neg(self.unary())
        return self.atom()

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise FormulaError("公式不完整：结尾缺少数值或名称")
        kind, value = token
        if kind == "number":
            self.pos += 1
            return Num(Decimal(value))
        if kind == "text":
            self.pos += 1
            return Text(value[1:-1])
        if kind == "op" and value == "(":
            self.pos += 1
            node = self.expr()
            self.expect(")")
            return node
        if kind == "name":
            self.pos += 1
            if self.take("("):
                args: list[Node] = []
                if not self.take(")"):
                    args.append(self.expr())
                    while self.take(","):
                        args.append(self.expr())
                    self.expect(")")
                return Call(value, tuple(args))
            path = [value]
            while self.take("."):
                token = self.peek()
                if token is None or token[0] != "name":
                    raise FormulaError(f"“{'.'.join(path)}.”后面应是名称")
                path.append(token[1])
                self.pos += 1
            return Ref(tuple(path))
        raise FormulaError(f"这里应是数值、名称或函数，得到“{value}”")


# --- the library ---------------------------------------------------------------------


class Settings(Frozen):
    """What the library needs from the format: rounding and grade bands (minimum, word)."""

    _fields = ("rounding", "grades")
    rounding: str
    grades: tuple[tuple[Decimal, str], ...]

    def __init__(self, rounding: str = "half_up", grades: tuple[tuple[Decimal, str], ...] = ()) -> None:
        _set(self, "rounding", rounding)
        _set(self, "grades", grades)


def _num(value: Value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise FormulaError(f"应为数值，得到“{value}”")


def _flat(args: Sequence[Value]) -> list[Value]:
    out: list[Value] = []
    for arg in args:
        if isinstance(arg, list):
            out.extend(arg)
        else:
            out.append(arg)
    return out


def f_sum(settings: Settings, *args: Value) -> Decimal | None:
    values = [_num(v) for v in _flat(args)]
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), ZERO)


def f_diff(settings: Settings, a: Value, b: Value) -> Decimal | None:
    x, y = _num(a), _num(b)
    return None if x is None or y is None else x - y


def f_ratio(settings: Settings, a: Value, b: Value) -> Decimal | None:
    x, y = _num(a), _num(b)
    if x is None or y is None or y == 0:
        return None
    return x / y


def f_change_rate(settings: Settings, current: Value, previous: Value) -> Decimal | None:
    return f_ratio(settings, f_diff(settings, current, previous), previous)


def f_mean(settings: Settings, values: Value, cap: Value = None) -> Decimal | None:
    items = [_num(v) for v in _flat([values])]
    if not items or any(v is None for v in items):
        return None
    limit = _num(cap)
    counted = [v if limit is None or v <= limit else limit for v in items if v is not None]
    return sum(counted, ZERO) / len(counted)


def f_count(settings: Settings, values: Value) -> Decimal:
    return Decimal(len(_flat([values])))


def f_min(settings: Settings, *args: Value) -> Decimal | None:
    values = [_num(v) for v in _flat(args)]
    if not values or any(v is None for v in values):
        return None
    return min(v for v in values if v is not None)


def f_max(settings: Settings, *args: Value) -> Decimal | None:
    values = [_num(v) for v in _flat(args)]
    if not values or any(v is None for v in values):
        return None
    return max(v for v in values if v is not None)


def f_same(settings: Settings, *args: Value) -> Decimal | None:
    """The value every number has (the weight each indicator has); undefined when they differ or none is given."""
    values = [_num(v) for v in _flat(args)]
    if not values or any(v is None for v in values) or len(set(values)) != 1:
        return None
    return values[0]


def f_prorate(settings: Settings, rate: Value, weight: Value) -> Decimal | None:
    """min(rate, 1) × weight: a score proportional to a rate, never above the weight."""
    r, w = _num(rate), _num(weight)
    if r is None or w is None:
        return None
    return min(max(r, ZERO), ONE) * w


def f_attainment(settings: Settings, nature: Value, target: Value, actual: Value) -> Decimal | None:
    """得分系数 of an indicator from its 指标性质 (≥ 越大越好, ≤ 越小越好, = 越接近越好), 0 to 1."""
    t, a = _num(target), _num(actual)
    if t is None or a is None:
        return None
    if nature in ("≥", ">=", "＞", ">"):
        if t == 0:
            return ONE
        return max(min(a / t, ONE), ZERO)
    if nature in ("≤", "<=", "＜", "<"):
        if a <= t:
            return ONE
        return ZERO if a == 0 else max(t / a, ZERO)
    if nature in ("=", "＝"):
        if a == t:
            return ONE
        if t == 0:
            return ZERO
        return max(ONE - abs(a - t) / abs(t), ZERO)
    raise FormulaError(f"指标性质应为 =、≥、≤ 之一，得到“{nature}”")


def f_round(settings: Settings, value: Value, places: Value) -> Decimal | None:
    v, p = _num(value), _num(places)
    if v is None:
        return None
    if p is None or p != p.to_integral_value() or not 0 <= p <= formatting.MAX_PLACES:
        raise FormulaError(f"round 的小数位数应为 0 到 {formatting.MAX_PLACES} 的整数")
    return formatting.quantize(v, int(p), settings.rounding)


def f_default(settings: Settings, value: Value, fallback: Value) -> Value:
    """``value``, or ``fallback`` where it is undefined (a missing input, a division by zero)."""
    return fallback if value is None else value


def f_grade(settings: Settings, value: Value) -> str | None:
    v = _num(value)
    if v is None:
        return None
    for minimum, word in sorted(settings.grades, key=lambda g: g[0], reverse=True):
        if v >= minimum:
            return word
    return None


def _compare(test: Callable[[Decimal, Decimal], bool]) -> Callable[..., Decimal | None]:
    def compare(settings: Settings, a: Value, b: Value) -> Decimal | None:
        x, y = _num(a), _num(b)
        return None if x is None or y is None else (ONE if test(x, y) else ZERO)

    return compare


def f_equal(settings: Settings, a: Value, b: Value) -> Decimal | None:
    """1 where a = b: two numbers, or two texts (a choice column against a word: ``equal(part, '公用经费')``)."""
    if isinstance(a, str) or isinstance(b, str):
        if a is None or b is None:
            return None
        return ONE if a == b else ZERO
    x, y = _num(a), _num(b)
    return None if x is None or y is None else (ONE if x == y else ZERO)


def f_sum_where(settings: Settings, values: Value, keys: Value, key: Value) -> Decimal | None:
    """The sum of the values of a column on the rows whose text column ``keys`` is ``key``."""
    numbers, words = _flat([values]), _flat([keys])
    if len(numbers) != len(words):
        raise FormulaError(f"sum_where 的两列行数不同（{len(numbers)} 行和 {len(words)} 行），应是同一个表的两列")
    picked = [_num(v) for v, k in zip(numbers, words, strict=True) if k == key]
    if any(v is None for v in picked):
        return None
    return sum((v for v in picked if v is not None), ZERO)


def f_differ(settings: Settings, a: Value, b: Value) -> Decimal | None:
    """1 where a ≠ b (two numbers or two texts); undefined where either is."""
    same = f_equal(settings, a, b)
    return None if same is None else ONE - same


def f_missing(settings: Settings, value: Value) -> Decimal:
    """1 where a value is undefined: not written (an optional input), or not computable."""
    return ONE if value is None or value == "" else ZERO


def f_both(settings: Settings, a: Value, b: Value) -> Decimal | None:
    """1 where both conditions hold (undefined counts as not holding)."""
    x, y = _num(a), _num(b)
    return ONE if x and y else ZERO


def shares(values: Sequence[Value], settings: Settings) -> list[Decimal | None]:
    """Each value's share of their sum, printing to exactly 100.00% (largest remainder)."""
    numbers = [_num(v) for v in values]
    if any(v is None for v in numbers):
        return [None for _ in numbers]
    try:
        return list(formatting.shares([v for v in numbers if v is not None], 2, settings.rounding))
    except ValueError as exc:
        raise FormulaError("占比只能用于非负数") from exc


class Function(Frozen):
    """A library function: its arity, which arguments are columns (lists), and its meaning.

    ``lists``: "none": scalars only; "any": each argument a scalar or a column; "first": first is a column.
    """

    _fields = ("impl", "min_args", "max_args", "lists", "meaning", "example", "row_only")
    impl: Callable[..., Value]
    min_args: int
    max_args: int | None
    lists: str
    meaning: str
    example: str
    row_only: bool

    def __init__(
        self,
        impl: Callable[..., Value],
        min_args: int,
        max_args: int | None,
        lists: str,
        meaning: str,
        example: str,
        row_only: bool = False,
    ) -> None:
        _set(self, "impl", impl)
        _set(self, "min_args", min_args)
        _set(self, "max_args", max_args)
        _set(self, "lists", lists)
        _set(self, "meaning", meaning)
        _set(self, "example", example)
        _set(self, "row_only", row_only)


LIBRARY: dict[str, Function] = {
    "sum": Function(f_sum, 1, None, "any", "合计：各数（或一列）相加", "sum(indicators.score)"),
    "diff": Function(f_diff, 2, 2, "none", "差额：a − b", "diff(adjusted, initial)"),
    "ratio": Function(f_ratio, 2, 2, "none", "比率：a ÷ b，b 为 0 时无定义", "ratio(actual, adjusted)"),
    "change_rate": Function(
        f_change_rate, 2, 2, "none", "变动率：(本期 − 上期) ÷ 上期", "change_rate(amount, previous)"
    ),
    "mean": Function(f_mean, 1, 2, "first", "平均数；第二个参数是上限，超过的按上限计", "mean(monthly.rate, 100)"),
    "count": Function(f_count, 1, 1, "first", "个数：一列有几行", "count(indicators.name)"),
    "min": Function(f_min, 1, None, "any", "最小值", "min(rate, 1)"),
    "max": Function(f_max, 1, None, "any", "最大值", "max(0, diff(actual, initial))"),
    "prorate": Function(
        f_prorate, 2, 2, "none", "按比率折算得分：min(比率, 1) × 权重，不超过权重", "prorate(rate, weight)"
    ),
    "attainment": Function(
        f_attainment,
        3,
        3,
        "none",
        "指标得分系数（0～1）：≥ 为 完成值÷指标值；≤ 为 完成时 1、超出时 指标值÷完成值；= 为 1 − |完成值−指标值|÷指标值",
        "attainment(nature, target, actual)",
    ),
    "round": Function(f_round, 2, 2, "none", "按本格式的舍入规则保留小数", "round(rate, 4)"),
    "default": Function(f_default, 2, 2, "none", "无定义（未填、除数为 0）时改用第二个数", "default(rate, 0)"),
    "grade": Function(f_grade, 1, 1, "none", "等级：按 format.yaml 的 grades 分档", "grade(total_score)"),
    "above": Function(
        _compare(lambda x, y: x > y), 2, 2, "none", "a 大于 b 时为 1，否则为 0（用于 checks）", "above(score, weight)"
    ),
    "below": Function(
        _compare(lambda x, y: x < y), 2, 2, "none", "a 小于 b 时为 1，否则为 0（用于 checks）", "below(initial, 0)"
    ),
    "equal": Function(
        f_equal,
        2,
        2,
        "none",
        "a 等于 b 时为 1，否则为 0（两个数，或两段文字，如选项列与一个词；用于 checks、where）",
        "equal(adjusted, 0)",
    ),
    "differ": Function(
        f_differ,
        2,
        2,
        "none",
        "a 不等于 b 时为 1，否则为 0（两个数或两段文字；有一个无定义时不成立；用于 checks）",
        "differ(spending.total.amount, funding.total.spent)",
    ),
    "missing": Function(
        f_missing,
        1,
        1,
        "none",
        "无定义（没有填写、算不出来）时为 1，否则为 0（用于 checks：某栏必须填写的条件）",
        "missing(stated_score)",
    ),
    "both": Function(
        f_both, 2, 2, "none", "两个条件都成立时为 1（用于 checks）", "both(equal(adjusted, 0), above(actual, 0))"
    ),
    "share": Function(
        lambda s, v: v,
        1,
        1,
        "none",
        "占比：本行在同级各行中所占比例，合计恰为 100.00%（最大余数法）",
        "share(actual)",
        True,
    ),
    "sum_where": Function(
        f_sum_where,
        3,
        3,
        "first",
        "按条件合计：一列数字中，另一列（文字）等于给定文字的各行相加",
        "sum_where(by_class.basic, by_class.part, '人员经费')",
    ),
    "same": Function(
        f_same, 1, None, "any", "相同的数：各数（或一列）都相等时为这个数，否则无定义", "same(children.weight)"
    ),
}


# --- checking ------------------------------------------------------------------------

Kind = str  # "scalar" or "list"


def refs(node: Node) -> list[Ref]:
    """Every name a formula refers to, in order."""
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, Call):
        return [r for a in node.args for r in refs(a)]
    if isinstance(node, BinOp):
        return refs(node.left) + refs(node.right)
    if isinstance(node, Neg):
        return refs(node.operand)
    return []


def check(node: Node, kind_of: Callable[[Ref], Kind], row_scope: bool) -> Kind:
    """The kind of a formula's value: ``scalar`` (a number), ``text``, ``list`` (a column of
    numbers) or ``textlist``; unknown names and functions, arity, columns where one number is
    needed and text where a number is needed are errors.

    ``kind_of`` raises :class:`FormulaError` for a name the scope does not have.
    """
    if isinstance(node, Num):
        return "scalar"
    if isinstance(node, Text):
        return "text"
    if isinstance(node, Ref):
        return kind_of(node)
    if isinstance(node, Neg):
        _scalar(check(node.operand, kind_of, row_scope), "“-”")
        return "scalar"
    if isinstance(node, BinOp):
        _scalar(check(node.left, kind_of, row_scope), f"“{node.op}”")
        _scalar(check(node.right, kind_of, row_scope), f"“{node.op}”")
        return "scalar"
    func = LIBRARY.get(node.func)
    if func is None:
        raise FormulaError(f"没有函数“{node.func}”（可用：{'、'.join(LIBRARY)}）")
    n = len(node.args)
    if n < func.min_args or (func.max_args is not None and n > func.max_args):
        want = (
            str(func.min_args)
            if func.min_args == func.max_args
            else (f"{func.min_args} 个或以上" if func.max_args is None else f"{func.min_args} 到 {func.max_args}")
        )
        raise FormulaError(f"函数 {node.func} 要 {want} 个参数，这里有 {n} 个（例：{func.example}）")
    if func.row_only and not row_scope:
        raise FormulaError(f"函数 {node.func} 只能用于表格的计算列（例：{func.example}）")
    if node.func == "share" and not isinstance(node.args[0], Ref):
        raise FormulaError("share 的参数应是本表的一列，如 share(actual)")
    for i, arg in enumerate(node.args):
        kind = check(arg, kind_of, row_scope)
        where = f"函数 {node.func} 的第 {i + 1} 个参数"
        if node.func == "missing":
            if kind in ("list", "textlist"):
                raise FormulaError(f"{where}要的是单个数值或文字，这里是一整列")
        elif node.func in ("equal", "differ") and kind in ("text", "textlist"):
            other = check(node.args[1 - i], kind_of, row_scope)
            if kind != "text" or other != "text":
                raise FormulaError(f"{where}：{node.func} 比较两个数，或两段文字（如 {node.func}(part, '公用经费')）")
        elif node.func == "sum_where" and i == 1:
            if kind != "textlist":
                raise FormulaError(f"{where}应是表格中文字的一列（按它挑选行），如 {func.example}")
        elif node.func == "sum_where" and i == 2:
            if kind != "text":
                raise FormulaError(f"{where}应是一段文字（用引号），如 {func.example}")
        elif node.func == "attainment" and i == 0:
            if kind != "text":
                raise FormulaError(f"{where}应是指标性质（=、≥、≤）一列，如 {func.example}")
        elif node.func == "count" and i == 0:
            if kind not in ("list", "textlist"):
                raise FormulaError(f"{where}应是表格的一列，如 {func.example}")
        elif func.lists == "none" or (func.lists == "first" and i > 0):
            _scalar(kind, where)
        elif func.lists == "first" and i == 0:
            if kind != "list":
                raise FormulaError(f"{where}应是表格中数字的一列，如 {func.example}")
        elif kind not in ("scalar", "list"):
            raise FormulaError(f"{where}要的是数值，这里是文字")
    return "text" if node.func == "grade" else "scalar"


def _scalar(kind: Kind, where: str) -> None:
    if kind in ("list", "textlist"):
        raise FormulaError(f"{where}要的是单个数值，这里是一整列（对一列请用 sum、mean、count、min、max）")
    if kind != "scalar":
        raise FormulaError(f"{where}要的是数值，这里是文字")


# --- evaluation ----------------------------------------------------------------------


def evaluate(
    node: Node,
    lookup: Callable[[Ref], Value],
    settings: Settings,
    share: Callable[[str], Value] | None = None,
) -> Value:
    """The value of a checked formula; ``lookup`` gives each name's value."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Text):
        return node.value
    if isinstance(node, Ref):
        return lookup(node)
    if isinstance(node, Neg):
        v = _num(evaluate(node.operand, lookup, settings, share))
        return None if v is None else -v
    if isinstance(node, BinOp):
        a = _num(evaluate(node.left, lookup, settings, share))
        b = _num(evaluate(node.right, lookup, settings, share))
        if a is None or b is None:
            return None
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        return None if b == 0 else a / b
    if node.func == "share":
        assert share is not None and isinstance(node.args[0], Ref)
        return share(node.args[0].name)
    args = [evaluate(a, lookup, settings, share) for a in node.args]
    return LIBRARY[node.func].impl(settings, *args)

"""Figure references in narrative paragraphs: ``{{ scores.total.score|score }}`` resolved.

A narrative paragraph is data, typed or pasted by whoever edits the file, so
its references are not run as Jinja: they are parsed, and only a name, its
fields (``.name`` or ``['name']``) and our filters with constant arguments
are evaluated, here, against an allow-list of names.  No statement, no
operator, no call: the work a paragraph can cause is bounded by its length,
and every mistake is named precisely.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import jinja2
from jinja2 import nodes

from . import formatting
from .filters import FigureError

_HOW = "引用数字请写成 {{ 名称.字段|过滤器 }}，如 {{ scores.total.score|score }}"
_LITERAL = "如要原样印出“{}”，请写成 {{{{ '{}' }}}}"
_REFERENCE = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.DOTALL)


class NarrativeError(Exception):
    """A reference in a narrative paragraph that cannot be resolved; the message is Chinese."""


@functools.lru_cache(maxsize=256)
def _class_names(klass: type) -> tuple[str, ...]:
    """A dataclass's fields and public properties (the same for every instance)."""
    names = [f.name for f in dataclasses.fields(klass)]
    for base in klass.__mro__:
        names += [n for n, attr in vars(base).items() if isinstance(attr, property) and not n.startswith("_")]
    return tuple(names)


def _public_names(value: Any) -> list[str]:
    """The names a reference may use on ``value`` (an allow-list; never ``_private`` ones)."""
    if isinstance(value, dict):
        return [str(k) for k in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return list(_class_names(type(value)))
    return []


def _lookup(base: Any, key: Any, where: str) -> Any:
    """``base.key`` / ``base[key]`` for the allowed names only."""
    if base is None:
        raise NarrativeError(f"“{where}”没有数值（数据中没有填写），不能再取“{key}”")
    if isinstance(key, int) and not isinstance(key, bool) and isinstance(base, (list, tuple)):
        if -len(base) <= key < len(base):
            return base[key]
        raise NarrativeError(f"“{where}”只有 {len(base)} 项，没有第 {key} 项（从 0 数起）")
    names = _public_names(base)
    if isinstance(key, str) and key in names:
        if isinstance(base, dict):
            return base[key]
        return getattr(base, key)
    getitem = getattr(type(base), "__getitem__", None)
    if isinstance(key, str) and dataclasses.is_dataclass(base) and getitem is not None:
        try:  # a figures object that looks up its rows by name or key (e.g. a table's rows)
            return getitem(base, key)
        except (KeyError, LookupError):
            pass
    shown = "、".join(names) if names else "无"
    raise NarrativeError(f"“{where}”下没有“{key}”（可用：{shown}）")


def _describe(node: nodes.Node) -> str:
    """A reference written back as text, for messages."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_describe(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Filter) and node.node is not None:
        args = (
            "(" + ", ".join(repr(a.value) for a in node.args if isinstance(a, nodes.Const)) + ")" if node.args else ""
        )
        return f"{_describe(node.node)}|{node.name}{args}"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "…"


# filters a narrative reference may use: the number formats and the list/change filters
_NARRATIVE_FILTERS = tuple(formatting.FILTERS) + ("change", "rate_change", "amounts", "names")


class Resolver:
    def __init__(
        self, names: dict[str, Any], filters: dict[str, Callable[..., str]], blank: frozenset[str] = frozenset()
    ):
        self.names = names
        self.filters = {name: filters[name] for name in _NARRATIVE_FILTERS if name in filters}
        self.blank = blank  # optional texts: not written, they print as nothing (as in the template)

    def value(self, node: nodes.Node) -> Any:
        if isinstance(node, nodes.Const):
            return node.value
        if isinstance(node, nodes.Name):
            if node.name not in self.names:
                raise NarrativeError(f"没有“{node.name}”这个名称（可用：{'、'.join(self.names)}）")
            return self.names[node.name]
        if isinstance(node, nodes.Getattr):
            if node.attr.startswith("_"):
                raise NarrativeError(f"不能引用以下划线开头的名称“{node.attr}”")
            return _lookup(self.value(node.node), node.attr, _describe(node.node))
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            key = node.arg.value
            if isinstance(key, str) and key.startswith("_"):
                raise NarrativeError(f"不能引用以下划线开头的名称“{key}”")
            return _lookup(self.value(node.node), key, _describe(node.node))
        if isinstance(node, nodes.Filter) and node.node is not None:
            if node.name not in self.filters:
                raise NarrativeError(f"没有“{node.name}”这个过滤器（可用：{'、'.join(self.filters)}）")
            if (
                node.kwargs
                or node.dyn_args
                or node.dyn_kwargs
                or not all(isinstance(a, nodes.Const) for a in node.args)
            ):
                raise NarrativeError(f"过滤器 {node.name} 的参数只能是数字，如 {node.name}(1)")
            value = self.value(node.node)
            args = [a.value for a in node.args if isinstance(a, nodes.Const)]  # all of them, checked above
            try:
                return self.filters[node.name](value, *args)
            except FigureError as exc:
                raise NarrativeError(str(exc)) from None
        raise NarrativeError(f"只能引用“名称.字段|过滤器”，不能做运算、比较或调用。{_HOW}")

    def text(self, node: nodes.Node, source: str) -> str:
        value = self.value(node)
        if value is None:
            last = node.attr if isinstance(node, nodes.Getattr) else None
            if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
                last = node.arg.value
            if last in self.blank:
                return ""
            raise NarrativeError(f"“{source}”没有数值（数据中没有填写这一项）")
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal, _dt.date)):
            names = _public_names(value)
            hint = f"请写到具体的字段（可用：{'、'.join(names)}）" if names else "请写到具体的数字"
            raise NarrativeError(f"“{source}”是一组内容，不是一个数字；{hint}")
        return str(value)


_PARSED: dict[str, nodes.Template] = {}  # paragraph → its syntax tree (read only), for this process
_PARSED_LIMIT = 4096


def _parsed(env: jinja2.Environment, paragraph: str) -> nodes.Template:
    """The paragraph's syntax tree; the parse depends on the text only (no filter is looked up)."""
    tree = _PARSED.get(paragraph)
    if tree is not None:
        return tree
    try:
        tree = env.parse(paragraph)
    except jinja2.TemplateSyntaxError as exc:
        raise NarrativeError(f"“{{{{ … }}}}”写法有误（{exc.message}）。{_HOW}；{_LITERAL.format('{{', '{{')}") from None
    except RecursionError:
        raise NarrativeError(f"“{{{{ … }}}}”中的括号嵌套过深。{_HOW}") from None
    if len(_PARSED) >= _PARSED_LIMIT:
        _PARSED.clear()
    _PARSED[paragraph] = tree
    return tree


def render_paragraph(env: jinja2.Environment, paragraph: str, resolver: Resolver) -> str:
    """A paragraph with its ``{{ … }}`` references replaced by the figures they name."""
    if "{" not in paragraph:
        return paragraph
    for opener, closer, kind in (("{#", "#}", "注释"), ("{%", "%}", "语句")):
        if opener in paragraph:
            raise NarrativeError(
                f"文字中不能写 {opener} … {closer} {kind}（只能用 {{{{ … }}}} 引用数字）；{_LITERAL.format(opener, opener)}"
            )
    tree = _parsed(env, paragraph)
    sources = _REFERENCE.findall(paragraph)
    out: list[str] = []
    index = 0
    for statement in tree.body:
        if not isinstance(statement, nodes.Output):  # cannot happen without {% %}; refuse anyway
            raise NarrativeError(f"文字中只能用 {{{{ … }}}} 引用数字。{_HOW}")
        for child in statement.nodes:
            if isinstance(child, nodes.TemplateData):
                out.append(child.data)
                continue
            source = sources[index] if index < len(sources) else _describe(child)
            index += 1
            try:
                out.append(resolver.text(child, source))
            except NarrativeError as exc:
                raise NarrativeError(f"“{{{{ {source} }}}}”：{exc}") from None
    return "".join(out)

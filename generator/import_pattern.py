"""A templated sentence turned into a pattern that reads the sentence back (``reportgen import``).

The sentences a template writes itself mix fixed words with names, conditions and loops::

    共有编制{{ staffing.authorized }}人……{% for k in staffing.kinds.rows %}{{ k.name }}{{ k.actual }}人
    {% if not loop.last %}；{% else %}。{% endif %}{% endfor %}

:func:`compile_text` makes a regular expression of it (over :func:`import_template.norm`'d
text): a name is a group (a number where it prints a number, so two names side by side
still part), ``{% if %}`` a choice of its branches or nothing, a ``{% for %}`` one group
that :meth:`Pattern.read` parses again item by item (``loop.last`` tells the separator from
the end).  ``year`` and ``unit`` are known words; ``h.hN()`` is a heading number.  No I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TAG = re.compile(r"\{\{(.*?)\}\}|\{%-?\s*(.*?)\s*-?%\}", re.S)
NUMBER = r"(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[.、](?!\d))"
_NUM = r"-?\d[\d,]*(?:\.\d+)?"
KIND_PATTERN = {
    "number": rf"(?:{_NUM}|—|-)",
    "percent": rf"(?:{_NUM}%|—|-)",
    "date": r"(?:\d{4}年\d{1,2}月\d{1,2}日)",
    "cn": r"(?:[零一二三四五六七八九十百千万两]+)",
    "text": r".+?",
}


def number_pattern(styles: tuple[str, ...] | list[str]) -> str:
    """The heading numbers a format prints (``headings: ["{cn}、", "<{cn}>", "{n}."]``) and the usual
    ones, as one pattern over :func:`import_template.norm`'d text."""
    import unicodedata

    out = []
    for style in styles:
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", style))
        parts = re.split(r"(\{cn\}|\{n\})", text)
        source = "".join(
            "[一二三四五六七八九十]+" if p == "{cn}" else r"\d+" if p == "{n}" else re.escape(p) for p in parts
        )
        out.append(source + (r"(?!\d)" if text.endswith(("{n}.", "{n}、")) else ""))
    return "(?:" + "|".join([*out, NUMBER[3:-1]]) + ")"


PARA = "¶"  # where one paragraph of a block ends and the next begins
FILTER_KIND = {"money": "number", "percent": "percent", "score": "number", "cn_date": "date", "cn_number": "cn"}


@dataclass
class Node:
    kind: str  # lit, var, if, for
    text: str = ""  # lit: the words; var: the expression
    branches: list[tuple[str, list[Node]]] = field(default_factory=list)  # if: (condition, body); else: ""
    var: str = ""  # for: the loop variable
    path: str = ""  # for: what it loops over
    body: list[Node] = field(default_factory=list)


def parse(text: str) -> list[Node]:
    """The template text as nodes; a stray ``{% end… %}`` is ignored."""
    root: list[Node] = []
    stack: list[tuple[Node | None, list[Node]]] = [(None, root)]
    pos = 0
    for m in TAG.finditer(text):
        if m.start() > pos:
            stack[-1][1].append(Node("lit", text[pos : m.start()]))
        pos = m.end()
        if m.group(1) is not None:
            stack[-1][1].append(Node("var", m.group(1).strip()))
            continue
        words = (m.group(2) or "").split(None, 1)
        word, rest = (words[0], words[1] if len(words) > 1 else "") if words else ("", "")
        if word == "for":
            fm = re.match(r"(\w+)\s+in\s+(.+)$", rest.strip())
            node = Node("for", var=fm.group(1) if fm else "", path=fm.group(2).strip() if fm else "")
            stack[-1][1].append(node)
            stack.append((node, node.body))
        elif word == "if":
            node = Node("if", branches=[(rest.strip(), [])])
            stack[-1][1].append(node)
            stack.append((node, node.branches[0][1]))
        elif word in ("elif", "else") and stack[-1][0] is not None and stack[-1][0].kind == "if":
            node = stack[-1][0]
            node.branches.append((rest.strip() if word == "elif" else "", []))
            stack[-1] = (node, node.branches[-1][1])
        elif word in ("endif", "endfor") and len(stack) > 1:
            stack.pop()
    if pos < len(text):
        stack[-1][1].append(Node("lit", text[pos:]))
    return root


def split_expr(source: str) -> tuple[str, str]:
    """(the name, the first filter) of ``spending.total.initial|money``."""
    parts = [s.strip() for s in source.split("|")]
    return parts[0], (parts[1].split("(")[0].strip() if len(parts) > 1 else "")


@dataclass
class Slot:
    kind: str  # var or loop
    name: str  # var: the name printed (relative to the loop variable inside a loop: "" = the item)
    filter: str = ""
    node: Node | None = None  # loop
    default: str | None = None  # var: what prints when it is not written (``x or '预计'``)


@dataclass
class Loop:
    """A loop read back: the list it went over and, for each item, what it printed."""

    path: str
    items: list[dict[str, Any]]  # field → printed; a nested loop's field → list of items


class Pattern:
    """A compiled templated text; :meth:`read` gives the names' printed values."""

    def __init__(self, compiler: Compiler, nodes: list[Node], var: str, last: bool | None, anchored: bool):
        self.compiler = compiler
        self.slots: list[Slot] = []
        source = self._nodes(nodes, var, last)
        self.regex = re.compile(source + (r"\Z" if anchored else ""))

    def _group(self, slot: Slot, pattern: str) -> str:
        self.slots.append(slot)
        return f"(?P<g{len(self.slots) - 1}>{pattern})"

    def _nodes(self, nodes: list[Node], var: str, last: bool | None) -> str:
        return "".join(self._node(n, var, last) for n in nodes)

    def _node(self, node: Node, var: str, last: bool | None) -> str:
        c = self.compiler
        if node.kind == "lit":
            return re.escape(c.norm(node.text))
        if node.kind == "var":
            name, filt = split_expr(node.text)
            if name == "year":
                return re.escape(str(c.year))
            if name == "unit":
                return re.escape(c.norm(c.unit))
            if re.fullmatch(r"h\.h\d\(\)", name):
                return c.number + ("?" if c.heading else "")
            if name.startswith("loop."):
                return r"\d+"  # loop.index: the item's number
            if var and (name == var or re.search(rf"\b{re.escape(var)}\b", name) and not name.startswith(var + ".")):
                rel = ""  # the item itself (a series), possibly capped: (v if v < 1 else 1)
            elif var and name.startswith(var + "."):
                rel = name[len(var) + 1 :]
            else:
                rel = name
            full = f"{c.scope.get(var, var)}.{rel}".rstrip(".") if var else rel
            kind = FILTER_KIND.get(filt) or c.kind_of(full, filt)
            default = re.fullmatch(r"(.+?)\s+or\s+['\"](.*)['\"]", rel)
            if default:  # {{ i.target_label or '预计' }}: the words printed when it is not written
                rel = default.group(1).strip()
            source = KIND_PATTERN.get(kind, KIND_PATTERN["text"])
            if source == KIND_PATTERN["text"] and (c.block or (var and c.stops.get(var))):
                # a name inside a loop's item stops at the loop's separators (、；) and a block's ¶
                stop = re.escape(c.stops.get(var, "") + (PARA if c.block else ""))
                source = f"[^{stop}]+?"
            slot = Slot("var", rel, filt, default=c.norm(default.group(2)) if default else None)
            return self._group(slot, source)
        if node.kind == "if":
            options = []
            has_else = False
            for cond, body in node.branches:
                state = _loop_state(cond, last)
                if state is False:
                    continue
                if state is True:
                    return "(?:" + self._nodes(body, var, last) + ")"
                has_else = has_else or cond == ""
                options.append(self._nodes(body, var, last))
            inner = "|".join(f"(?:{o})" for o in options) if options else ""
            return f"(?:{inner})" + ("" if has_else else "?")
        # a loop: its printed span (items, each as its body prints it), read again item by item
        going_on, at_end = c.loop_patterns(node)
        end_source = at_end.regex.pattern.removesuffix(chr(92) + "Z")
        lazy = "" if c.block else "?"  # a block's loops take every item they can (its end is open)
        # each item atomic (?>…): once an item is read it is not split again another way, so a
        # sentence that does not match fails in time proportional to its length, not exponential
        items = f"(?:(?>{_plain(going_on.regex.pattern)})*{lazy}(?:{_plain(end_source)}))?"
        return self._group(Slot("loop", node.path, node=node), items)

    def read(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> tuple[list[tuple[Slot, int, int]], list[Loop]] | None:
        """The (name, span) of each name printed and each loop's items, or None: not this sentence."""
        m = self.regex.match(text, pos, len(text) if endpos is None else endpos)
        if m is None:
            return None
        return self._groups(m, text)

    def _groups(self, m: re.Match[str], text: str) -> tuple[list[tuple[Slot, int, int]], list[Loop]] | None:
        values: list[tuple[Slot, int, int]] = []
        loops: list[Loop] = []
        for i, slot in enumerate(self.slots):
            start, end = m.span(f"g{i}")
            if start < 0:
                continue
            if slot.kind == "var":
                values.append((slot, start, end))
            elif slot.node is not None:
                items = self.compiler.read_loop(slot.node, text, start, end)
                if items is None:
                    return None
                loops.append(Loop(slot.name, items))
        return values, loops


def _separators(body: list[Node]) -> str:
    """The characters a loop prints between or after its items (``{% if not loop.last %}；{% else %}。``)."""
    out = ""
    for node in body:
        if node.kind == "if" and any("loop.last" in cond for cond, _b in node.branches):
            for _cond, branch in node.branches:
                out += "".join(n.text for n in branch if n.kind == "lit")
    return "".join(dict.fromkeys(c for c in out if not c.isspace()))


def _plain(source: str) -> str:
    """A pattern's groups made non-capturing (to be part of a larger pattern)."""
    return re.sub(r"\(\?P<g\d+>", "(?:", source)


def _loop_state(cond: str, last: bool | None) -> bool | None:
    """True/False where a condition is known from ``loop.last`` alone, else None."""
    c = cond.strip()
    if last is None or "loop.last" not in c:
        return None
    if c == "loop.last":
        return last
    if c == "not loop.last":
        return not last
    return None


class Compiler:
    """Compiles the templated texts of one format for one year.

    ``kind_of(name, filter)``: what a printed name is (number, percent, date, text),
    from the declaration; ``norm``: the text normalisation the document is compared by.
    """

    def __init__(
        self,
        year: int,
        unit: str,
        norm: Callable[[str], str],
        kind_of: Callable[[str, str], str],
        number: str = NUMBER,
    ):
        self.year, self.unit, self.norm, self.kind_of, self.number = year, unit, norm, kind_of, number
        self.heading = False
        self.block = False  # compiling a block of paragraphs (names stop at a paragraph's end)
        self.scope: dict[str, str] = {}  # a loop variable → what it loops over
        self.stops: dict[str, str] = {}  # a loop variable → the characters that part its items
        self._loops: dict[int, tuple[Pattern, Pattern]] = {}

    def compile(self, text: str, heading: bool = False) -> Pattern:
        self.heading = heading
        return Pattern(self, parse(text), "", None, anchored=True)

    def compile_block(self, text: str) -> Pattern:
        """Paragraphs printed by a loop, joined by ¶, read from their start (not to the end)."""
        self.heading, self.block = False, True
        try:
            return Pattern(self, parse(text), "", None, anchored=False)
        finally:
            self.block = False

    def compile_item(self, text: str, var: str, path: str) -> Pattern:
        """A text printed for each item of a loop over ``path`` (a table cell): names relative to ``var``."""
        self.heading = False
        self.scope[var] = path
        return Pattern(self, parse(text), var, None, anchored=True)

    def loop_patterns(self, node: Node) -> tuple[Pattern, Pattern]:
        """A loop's body as printed for an item that is not the last, and for the last."""
        pair = self._loops.get(id(node))
        if pair is None:
            self.scope[node.var] = node.path
            self.stops[node.var] = _separators(node.body)
            heading, self.heading = self.heading, False
            pair = (Pattern(self, node.body, node.var, False, False), Pattern(self, node.body, node.var, True, True))
            self.heading = heading
            self._loops[id(node)] = pair
        return pair

    def read_loop(self, node: Node, text: str, start: int, end: int) -> list[dict[str, Any]] | None:
        more, last = self.loop_patterns(node)
        items: list[dict[str, Any]] = []
        pos = start
        while pos < end:
            done = last.read(text, pos, end)
            step = more.read(text, pos, end)
            m = more.regex.match(text, pos, end)
            if step is not None and m is not None and pos < m.end() < end:
                items.append(_item(step, text))
                pos = m.end()
                continue
            if done is None:
                return None
            items.append(_item(done, text))
            break
        return items


def _item(found: tuple[list[tuple[Slot, int, int]], list[Loop]], text: str) -> dict[str, Any]:
    values, loops = found
    item: dict[str, Any] = {}
    for slot, start, end in values:
        if slot.default is not None and text[start:end] == slot.default:
            continue  # the default words, not a value written
        item.setdefault(slot.name, (start, end))
    for loop in loops:
        item.setdefault(loop.path.rsplit(".", 1)[-1], loop.items)
    return item

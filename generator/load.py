"""Load a YAML data file into plain Python values, keeping line numbers.

Numbers become exact values taken from their source text (``int`` or
``Decimal``), never passing through ``float``.  Only the safe YAML subset is
accepted: no Python object tags, no duplicate keys, bounded size and bounded
alias expansion.  Every failure is a :class:`DataError` naming file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Problem

MAX_BYTES = 10 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

_NUMBER = re.compile(r"^[+-]?(\d+)(\.\d+)?$")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}

Loc = tuple[Any, ...]


@dataclass
class Loaded:
    """A loaded data file: its values and where each value was written."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # non-fatal: reported with the schema's

    def line_of(self, loc: Loc) -> int | None:
        """Line of the value at ``loc``, or of its nearest written parent."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


def read_text(path: Path) -> str:
    """Read a data file as UTF-8, with a clear message for anything else."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(path, None, "", "文件不存在")]) from None
    except OSError as exc:
        raise DataError([Problem(path, None, "", f"无法读取文件：{exc.strerror}")]) from exc
    if len(raw) > MAX_BYTES:
        raise DataError([Problem(path, None, "", f"文件过大（{len(raw):,} 字节，上限 {MAX_BYTES:,} 字节），请检查是否误粘贴了大量内容")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "文件不是 UTF-8 编码"
        try:
            raw.decode("gb18030")
            hint += "（看起来是 GBK/GB18030 编码）"
        except UnicodeDecodeError:
            pass
        raise DataError([Problem(path, line, "", hint + "。请在编辑器中用“另存为 → UTF-8 编码”保存后重试")]) from exc


def load_yaml(path: Path, text: str | None = None) -> Loaded:
    """Parse ``path`` (or ``text``) and return its values with line numbers."""
    path = Path(path)
    if text is None:
        text = read_text(path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "格式错误"
        raise DataError([Problem(path, line, "", f"YAML 语法错误：{what}")]) from exc
    except yaml.YAMLError as exc:
        raise DataError([Problem(path, None, "", f"YAML 语法错误：{exc}")]) from exc
    loaded = Loaded(path, None)
    if node is None:
        raise DataError([Problem(path, 1, "", "文件为空")])
    builder = _Builder(loaded)
    loaded.data = builder.build(node, (), 0)
    loaded.problems = builder.problems
    return loaded


class _Builder:
    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.count = 0
        self.problems: list[Problem] = []

    def _fail(self, node: yaml.Node, loc: Loc, message: str) -> None:
        field_name = ".".join(str(p) for p in loc)
        raise DataError([Problem(self.loaded.path, node.start_mark.line + 1, field_name, message)])

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            self._fail(node, loc, f"内容过多（超过 {MAX_NODES:,} 个值），可能是锚点/别名展开过大（“billion laughs”）")
        if depth > MAX_DEPTH:
            self._fail(node, loc, f"嵌套层级过深（超过 {MAX_DEPTH} 层）")
        if node.tag not in _STANDARD_TAGS:
            self._fail(node, loc, f"不允许使用 YAML 标签 {node.tag}")
        self.loaded.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, loc, "不支持 YAML 合并键 “<<”")
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, loc, "字段名必须是文字")
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_line:
                name = ".".join(str(p) for p in loc + (key,))
                self.problems.append(
                    Problem(self.loaded.path, line, name, f"字段重复：第 {first_line[key]} 行和第 {line} 行都写了“{key}”，请只保留一处")
                )
                continue
            first_line[key] = line
            self.loaded.lines[loc + (key,)] = line
            result[key] = self.build(value_node, loc + (key,), depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        value = node.value
        if node.style is None:  # plain scalar: resolve numbers, booleans, nulls
            if node.tag == "tag:yaml.org,2002:null":
                return None
            if node.tag == "tag:yaml.org,2002:bool":
                return value.lower() in ("true", "yes", "on")
            match = _NUMBER.match(value)
            if match:
                return Decimal(value) if match.group(2) else int(value)
        elif node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            # an explicit !!int / !!float on a quoted scalar
            match = _NUMBER.match(value.strip())
            if not match:
                self._fail(node, loc, f"应为数字，得到 “{value}”")
            return Decimal(value.strip())
        return value

"""Load a YAML data file into plain Python values, keeping line numbers.

Numbers become exact values taken from their source text (``int`` or
``Decimal``), never passing through ``float``.  Only the safe YAML subset is
accepted: no Python object tags, no duplicate keys, bounded size, depth and
alias expansion, no invisible control characters.  Every failure is a
:class:`DataError` naming file, line and, where there is one, the field.
"""

from __future__ import annotations

import errno
import functools
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .errors import DataError, Problem, field_path
from .record import Record

# libyaml parses ten times faster (the composer stays ours, to count and bound).
# types-PyYAML's cyaml stub does not re-export CParser; the module has it when built with libyaml.
_CParser: Any
try:
    from yaml import cyaml as _cyaml

    _CParser = getattr(_cyaml, "CParser", None)
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

MAX_BYTES = 10 * 1024 * 1024  # size of the file
MAX_NODES = 200_000  # values, counting every use of an alias
MAX_CHARS = 10_000_000  # characters of text, counting every use of an alias
MAX_DEPTH = 64  # nesting of lists and mappings

_NUMBER = re.compile(r"^[+-]?(\d+)(\.\d+)?$", re.ASCII)
_BOOL = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_NULL = {"", "~", "null"}
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

# Characters a data file must not contain as they are: control characters
# (YAML refuses them and a Word document cannot hold most of them), and the
# Unicode line/paragraph separators and NEL, which YAML counts as line breaks
# where no editor shows one, so every later line number would be wrong.
# U+FDD0–U+FDEF are noncharacters: no text holds them, and the layout steps use them as marks
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")
_FORBIDDEN_NAMES = {
    0x00: "空字符",
    0x0B: "垂直制表符（从 Word 复制的“手动换行”常变成它）",
    0x0C: "换页符（从 Word 复制的“分页符”常变成它）",
    0x7F: "删除符",
    0x85: "NEL 换行控制符（多是“…”等字符在编码转换中出错所致）",
    0x2028: "Unicode 行分隔符（多是从网页复制带来的）",
    0x2029: "Unicode 段分隔符（多是从网页复制带来的）",
    0xFFFE: "非字符",
    0xFFFF: "非字符",
}
MAX_REPORTED = 20

Loc = tuple[Any, ...]


def split_paragraphs(text: str) -> list[tuple[int, str]]:
    """A narrative block's paragraphs: one per non-blank line, surrounding blanks removed.

    Returns ``(line offset within the block, paragraph)`` pairs.  Only ``\\n``
    separates paragraphs: every other character, visible or not, stays in its
    paragraph (and is reported by the schema if a Word document cannot hold it).
    Blanks are spaces, tabs, no-break and full-width spaces (the 2-character
    indent pasted from Word): the layout indents paragraphs itself.
    """
    out = []
    for offset, line in enumerate(text.split("\n")):
        stripped = line.strip(_BLANKS)
        if stripped:
            out.append((offset, stripped))
    return out


_BLANKS = " \t\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


class Loaded(Record):
    """A loaded data file: its values and where each value was written."""

    _fields = ("path", "data", "lines", "problems")
    path: Path
    data: Any
    lines: dict[Loc, int]
    problems: list[Problem]  # non-fatal: reported with the schema's

    def __init__(
        self, path: Path, data: Any, lines: dict[Loc, int] | None = None, problems: list[Problem] | None = None
    ) -> None:
        self.path = path
        self.data = data
        self.lines = {} if lines is None else lines
        self.problems = [] if problems is None else problems

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
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError([Problem(path, None, "", _too_big(size))])
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise DataError([Problem(path, None, "", "文件不存在")]) from None
    except IsADirectoryError:
        raise DataError([Problem(path, None, "", "这是一个文件夹，不是数据文件")]) from None
    except OSError as exc:
        raise DataError([Problem(path, None, "", f"无法读取文件：{unreadable(exc)}")]) from exc
    if len(raw) > MAX_BYTES:  # grew while we read it
        raise DataError([Problem(path, None, "", _too_big(len(raw)))])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError([Problem(path, 1, "", "文件是 UTF-16（Unicode）编码。" + _SAVE_AS_UTF8)])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "文件不是 UTF-8 编码"
        try:
            raw.decode("gb18030")
            hint += "（看起来是 GBK/GB18030 编码，Windows 记事本和 WPS 的“ANSI”即是）"
        except UnicodeDecodeError:
            pass
        raise DataError([Problem(path, line, "", f"{hint}。{_SAVE_AS_UTF8}")]) from exc


_SAVE_AS_UTF8 = "请在编辑器中用“另存为 → 编码选 UTF-8”保存后重试"

_UNREADABLE = {
    errno.EACCES: "没有读取权限（请检查文件的权限，或文件是否被其他程序独占打开）",
    errno.EPERM: "没有读取权限（请检查文件的权限，或文件是否被其他程序独占打开）",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.ELOOP: "符号链接循环指向自己",
    errno.EIO: "磁盘读写出错（磁盘或网络盘可能有故障）",
    errno.ENAMETOOLONG: "文件名或路径过长",
}


def unreadable(exc: OSError) -> str:
    """Why a file could not be read, in Chinese."""
    return _UNREADABLE.get(exc.errno or 0, f"操作系统报告：{exc.strerror or exc}")


def _too_big(size: int) -> str:
    return f"文件过大（{size:,} 字节，上限 {MAX_BYTES:,} 字节），请检查是否误粘贴了大量内容"


def load_yaml(path: Path, text: str | None = None) -> Loaded:
    """Parse ``path`` (or ``text``) and return its values with line numbers."""
    path = Path(path)
    if text is None:
        text = read_text(path)
    forbidden = _forbidden_characters(path, text)
    if forbidden:
        raise DataError(forbidden)
    fast = _fast_load(path, text)
    if fast is not None:
        return fast
    node = _compose(path, text)
    loaded = Loaded(path, None)
    if node is None:
        raise DataError([Problem(path, 1, "", "文件为空")])
    builder = _Builder(loaded)
    loaded.data = builder.build(node, (), 0)
    loaded.problems = builder.problems
    return loaded


# Below this size a file cannot hold MAX_NODES values (each takes at least two
# characters), so composing it in C without counting as we go is safe; libyaml
# itself refuses nesting deeper than 1,000.
_FAST_LIMIT = MAX_NODES


def _fast_load(path: Path, text: str) -> Loaded | None:
    """The file composed by libyaml in C, when that gives what :func:`_compose` would.

    Any trouble (a YAML error, a limit reached, an alias used) returns None: the
    careful path then runs and reports exactly as it always has.
    """
    if _CParser is None or len(text) >= _FAST_LIMIT or "*" in text and _ALIAS.search(text):
        return None
    try:
        node = _CComposer(text).get_single_node()
    except Exception:  # noqa: BLE001 - the careful path says what is wrong
        return None
    if node is None:
        return None
    loaded = Loaded(path, None)
    builder = _Builder(loaded)
    try:
        loaded.data = builder.build(node, (), 0)
    except (DataError, RecursionError):
        return None
    loaded.problems = builder.problems
    return loaded


_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s]")  # may be a YAML alias (the careful path counts its uses)

if _CParser is not None:

    class _CComposer(_CParser, Resolver):
        """libyaml's own composer (``get_single_node`` in C) with the standard resolver."""

        def __init__(self, text: str):
            _CParser.__init__(self, text)
            Resolver.__init__(self)
            # looked up by the composer in C, answered from a cache in C
            self.resolve = _resolve  # type: ignore[method-assign]
            # no path resolvers: the composer's calls per node need not reach Python code
            self.descend_resolver = _NO_PATHS.get  # type: ignore[method-assign, assignment]
            self.ascend_resolver = int  # type: ignore[method-assign, assignment]

    # the standard resolver's answer depends on these three only
    _RESOLVER = Resolver()
    _NO_PATHS: dict = {}
    _resolve = functools.lru_cache(maxsize=65_536)(
        lambda kind, value, implicit: Resolver.resolve(_RESOLVER, kind, value, implicit)
    )


class _Limit(Exception):
    def __init__(self, mark: Any, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Counting(Composer):
    """Safe YAML composition (no constructor runs), bounded in nodes and depth as it goes."""

    node_count = 0
    depth = 0

    if TYPE_CHECKING:  # from the parser mixed in beside this class

        def peek_event(self) -> Any: ...

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.node_count += 1
        if self.node_count > MAX_NODES:
            raise _Limit(self.peek_event().start_mark, f"内容过多（超过 {MAX_NODES:,} 个值）")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Limit(self.peek_event().start_mark, f"嵌套层级过深（超过 {MAX_DEPTH} 层）")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _PyLoader(_Counting, Reader, Scanner, Parser, Resolver):
    """The pure-Python parser: slower, but it has no nesting limit of its own, so ours answers."""

    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        Resolver.__init__(self)


if _CParser is not None:

    class _CLoader(_Counting, _CParser, Resolver):
        def __init__(self, text: str):
            _CParser.__init__(self, text)
            Composer.__init__(self)
            Resolver.__init__(self)

    _Loader: Any = _CLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _Loader = _PyLoader

# Runs of opening and of closing brackets: a cheap upper estimate of the flow nesting.
_BRACKET_RUNS = re.compile(r"[\[{]+|[\]}]+")


def _may_nest_too_deep(text: str) -> bool:
    """Whether ``[``/``{`` may nest deeper than MAX_DEPTH (quotes and comments are not told apart).

    libyaml reads up to a line ahead of the events it hands us and, in the
    libyaml bundled with recent PyYAML wheels (6.0.4 here), refuses nesting
    deeper than 1000 there, with its own message.  A file that may nest too deep is therefore parsed by the
    pure-Python parser, which has no such limit: our composer then answers.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    depth = 0
    for run in _BRACKET_RUNS.finditer(text):
        if run.group()[0] in "[{":
            depth += len(run.group())
            if depth > MAX_DEPTH:
                return True
        else:
            depth = max(0, depth - len(run.group()))
    return False


def _compose(path: Path, text: str) -> yaml.Node | None:
    loader = _PyLoader(text) if _may_nest_too_deep(text) else _Loader(text)
    try:
        try:
            return loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            # a parser's own nesting limit that the estimate above did not foresee
            if isinstance(loader, _PyLoader) or not re.search("nest|depth", str(exc.problem)):
                raise
            return _PyLoader(text).get_single_node()
    except _Limit as exc:
        line = exc.mark.line + 1 if exc.mark is not None else None
        raise DataError([Problem(path, line, "", exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "格式错误"
        started = ""
        if exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            if "end of stream" in what:  # the end of the file says nothing: point at what was left open
                mark = exc.context_mark
            else:
                started = f"；与第 {exc.context_mark.line + 1} 行开始的内容有关"
        line = mark.line + 1 if mark else None
        column = f"，第 {mark.column + 1} 列" if mark else ""
        raise DataError(
            [Problem(path, line, "", f"YAML 语法错误：{_yaml_hint(what)}（{what}{column}）{started}")]
        ) from exc
    except yaml.reader.ReaderError as exc:  # a character the reader refuses (normally caught before)
        line = text[: exc.position].count("\n") + 1
        raise DataError(
            [
                Problem(
                    path,
                    line,
                    "",
                    f"含有不允许的字符 U+{exc.character:04X}" if isinstance(exc.character, int) else str(exc),
                )
            ]
        ) from exc
    except yaml.YAMLError as exc:
        raise DataError([Problem(path, None, "", f"YAML 语法错误：{exc}")]) from exc
    except RecursionError:
        raise DataError([Problem(path, None, "", f"嵌套层级过深（超过 {MAX_DEPTH} 层）")]) from None


_YAML_HINTS = (
    (
        "cannot start any token",
        "这里有不能出现在开头的字符：缩进只能用空格，不能用 Tab；以 @ ` % 等符号开头的文字请加引号",
    ),
    ("tab character", "缩进只能用空格，不能用 Tab"),
    ("mapping values are not allowed", "冒号用错了位置：文字中含有“: ”时请给整段文字加引号，或检查缩进"),
    ("could not find expected ':'", "缺少冒号“:”，或者缩进不对齐、上一行的引号没有闭合"),
    ("did not find expected key", "缩进没有对齐，或者上面的引号、括号没有闭合"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有闭合"),
    ("did not find expected ',' or '}'", "花括号 { } 没有闭合（以“{”开头的文字请加引号）"),
    ("did not find expected '-' indicator", "列表项“- ”的缩进没有对齐"),
    ("unexpected end of stream", "文件在引号或括号闭合之前就结束了"),
    ("undefined alias", "引用了没有定义的锚点（“*名称”之前要先有“&名称”）"),
    ("another document", "文件中有多份内容（用“---”分隔），一个数据文件只能有一份"),
    ("single document", "文件中有多份内容（用“---”分隔），一个数据文件只能有一份"),
    ("escape code", "双引号中的“\\u”转义写法不对"),
    ("unknown escape character", "双引号中的反斜杠“\\”用法不对：反斜杠本身要写成“\\\\”，或改用单引号"),
    ("expected alphabetic or numeric character", "“&”“*”后面应是锚点名称；以 & 或 * 开头的文字请加引号"),
    ("while scanning a tag", "“!”标签写法不对；以 ! 开头的文字请加引号"),
    ("directive", "以“%”开头的行不是合法的 YAML；以 % 开头的文字请加引号"),
    ("block sequence entries are not allowed", "列表项“- ”的位置不对，检查缩进"),
    ("found unexpected ':'", "冒号用错了位置；含冒号的文字请加引号"),
)


def _yaml_hint(problem: str) -> str:
    for needle, hint in _YAML_HINTS:
        if needle in problem:
            return hint
    return "写法不对，请检查这一行及上一行的缩进、冒号和引号"


def _describe(char: str) -> str:
    code = ord(char)
    name = _FORBIDDEN_NAMES.get(code)
    if name is None:
        if 0xD800 <= code <= 0xDFFF:
            name = "代理码位（不是完整的字符）"
        elif 0xFDD0 <= code <= 0xFDEF:
            name = "非字符"
        else:
            name = "控制字符"
    return f"U+{code:04X} {name}"


def _forbidden_characters(path: Path, text: str) -> list[Problem]:
    """Every forbidden character with its line, column and (when the file parses) field."""
    matches = list(_FORBIDDEN.finditer(text))
    if not matches:
        return []
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    # the field: parse the file with each such character replaced by an ordinary one
    try:
        node = _Loader(_FORBIDDEN.sub(_PLACEHOLDER, text)).get_single_node()
    except Exception:  # the file has other problems too; those come after this one is fixed
        node = None
    problems = []
    for match in matches[:MAX_REPORTED]:
        offset = match.start()
        line = _bisect(starts, offset)
        column = offset - starts[line - 1] + 1
        loc = _loc_at(node, offset) if node is not None else ()
        problems.append(
            Problem(
                path,
                line,
                field_path(loc),
                f"第 {column} 列有不可见的字符 {_describe(match.group())}，数据文件和 Word 文档都不能包含它，请删除",
            )
        )
    if len(matches) > MAX_REPORTED:
        line = _bisect(starts, matches[MAX_REPORTED].start())
        problems.append(Problem(path, line, "", f"……共 {len(matches):,} 个这样的字符，只列出了前 {MAX_REPORTED} 个"))
    return problems


_PLACEHOLDER = "\ue000"  # a private-use character: part of whatever text it stands in


def _bisect(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid
    return lo + 1


def _loc_at(node: yaml.Node, offset: int) -> Loc:
    """The path of the innermost value written at ``offset``."""
    loc: Loc = ()
    while True:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.start_mark.index <= offset < key.end_mark.index:
                    return loc if _PLACEHOLDER in key.value else loc + (key.value,)
                if value.start_mark.index <= offset < max(value.end_mark.index, value.start_mark.index + 1):
                    loc, node = loc + (key.value,), value
                    break
            else:
                return loc
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                if item.start_mark.index <= offset < max(item.end_mark.index, item.start_mark.index + 1):
                    loc, node = loc + (i,), item
                    break
            else:
                return loc
        else:
            return loc


class _Builder:
    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.count = 0
        self.chars = 0
        self.active: set[int] = set()
        self.problems: list[Problem] = []

    def _fail(self, node: yaml.Node, loc: Loc, message: str) -> None:
        raise DataError([Problem(self.loaded.path, node.start_mark.line + 1, field_path(loc), message)])

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            self._fail(
                node, loc, f"内容过多（超过 {MAX_NODES:,} 个值），可能是锚点/别名被大量重复引用（“billion laughs”）"
            )
        if depth > MAX_DEPTH:
            self._fail(node, loc, f"嵌套层级过深（超过 {MAX_DEPTH} 层）")
        if node.tag not in _STANDARD_TAGS:
            self._fail(node, loc, f"不允许使用 YAML 标签 {node.tag}（数据文件中不能写以“!”开头的标签）")
        self.loaded.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, loc)
        if id(node) in self.active:
            self._fail(node, loc, "锚点引用了它自己（循环引用），请改写")
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, loc, depth)
            return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, loc, "不支持 YAML 合并键“<<”，请把内容直接写出来")
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, loc, "字段名必须是文字")
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_line:
                name = field_path(loc + (key,))
                self.problems.append(
                    Problem(
                        self.loaded.path,
                        line,
                        name,
                        f"字段重复：第 {first_line[key]} 行和第 {line} 行都写了“{key}”，请只保留一处",
                    )
                )
                continue
            first_line[key] = line
            self.loaded.lines[loc + (key,)] = line
            result[key] = self.build(value_node, loc + (key,), depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        value = node.value
        self.chars += len(value)
        if self.chars > MAX_CHARS:
            self._fail(node, loc, f"文字过多（展开后超过 {MAX_CHARS:,} 个字符），可能是锚点/别名被大量重复引用")
        if not node.style:  # plain scalar (style None, or "" from libyaml): numbers, booleans, nulls
            if node.tag == "tag:yaml.org,2002:null":
                if value.lower() not in _NULL:
                    self._fail(node, loc, f"标签 !!null 只能用于空值，得到 “{value}”")
                return None
            if node.tag == "tag:yaml.org,2002:bool":
                if value.lower() not in _BOOL:
                    self._fail(node, loc, f"应为 true 或 false，得到 “{value}”")
                return _BOOL[value.lower()]
            match = _NUMBER.match(value)
            if match:
                # Decimal keeps every digit of any length; int() refuses over 4300 digits
                return Decimal(value) if match.group(2) or len(value) > 30 else int(value)
            self._record_paragraph_lines(node, loc)
            return value
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            # an explicit !!int / !!float on a quoted scalar
            match = _NUMBER.match(value.strip())
            if not match:
                self._fail(node, loc, f"应为数字，得到 “{value}”")
            return Decimal(value.strip())
        self._record_paragraph_lines(node, loc)
        return value

    def _record_paragraph_lines(self, node: yaml.ScalarNode, loc: Loc) -> None:
        """Where each paragraph of a ``|`` block starts, so a problem in one names its own line."""
        if node.style != "|" or "\n" not in node.value:
            return
        first = node.start_mark.line + 2  # the line after the “|”
        for index, (offset, _text) in enumerate(split_paragraphs(node.value)):
            self.loaded.lines.setdefault(loc + (index,), first + offset)

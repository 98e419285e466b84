"""Render a format's docxtpl template with a context, apply the shared layout.

Templates render in Jinja's sandbox with ``StrictUndefined`` and autoescape
on: a missing name is an error naming the template and the paragraph, and
``A & B <C>`` in the data reaches the document unchanged.  A template comes
from elsewhere (a bureau, a colleague), so beyond the sandbox its work is
bounded (``range``, ``**`` and ``*`` on text), docxtpl's row/paragraph tags
are checked for where they stand before rendering, and the rendered XML is
parsed strictly: docxtpl's own parser would silently drop what it cannot read.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import marshal
import operator
import re
import zipfile
from collections.abc import Callable
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree
from markupsafe import Markup, escape

from . import diskcache, formatting
from .declare import blank_texts
from .emptyparts import drop_empty_columns, drop_empty_rows, fill_empty_sections
from .errors import TemplateProblem
from .filters import FigureError, make_filters
from .formats import Format, FormatSettings
from .indent import indent_marked_cells
from .layout import apply_layout, apply_settings, apply_styles, has_rule_marks, remove_rules
from .title import TitleHints
from .vmerge import merge_marked_cells
from .write import normalize_docx, package_bytes

MAX_RANGE_ITEMS = 1_000_000  # all range() calls of one rendering together
MAX_SEQUENCE = 1_000_000  # length of a text or list made by '*'
MAX_EXPONENT = 1_000  # for '**'


class MissingValue(jinja2.TemplateRuntimeError):
    """The template prints a value the data does not have, or one Word cannot hold."""


class _TemplateEnv(SandboxedEnvironment):
    """The sandbox, with bounded work and docxtpl-safe output."""

    intercepted_binops = frozenset({"**", "*"})

    def __init__(self, settings: FormatSettings, blank: frozenset[str] = frozenset()):
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_finalize)
        self.filters.update(make_filters(settings))
        self.blank = blank  # optional text fields and columns: not written, they print as nothing
        self.globals.pop("lipsum", None)  # lipsum(10**8) would write a novel
        self.globals["range"] = self._range
        self.range_left = MAX_RANGE_ITEMS

    def getattr(self, obj: Any, attribute: str) -> Any:
        value = super().getattr(obj, attribute)
        return "" if value is None and isinstance(obj, dict) and attribute in self.blank else value

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)
        return "" if value is None and isinstance(obj, dict) and argument in self.blank else value

    def _range(self, *args: int) -> range:
        try:
            items = range(*args)
        except (TypeError, ValueError):
            raise SecurityError("模板中 range() 的参数应为整数（步长不能为 0）") from None
        # len() of range(10**100) overflows: count with Python integers
        self.range_left -= max(0, -((items.start - items.stop) // items.step))
        if self.range_left < 0:
            raise SecurityError(f"模板中的 range() 循环次数过多（合计超过 {MAX_RANGE_ITEMS:,} 次）")
        return items

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"模板中的乘方指数过大（{right}）")
        if op == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_SEQUENCE:
                    raise SecurityError("模板中用“*”重复的文字或列表过长")
        return {"**": operator.pow, "*": operator.mul}[op](left, right)


# docxtpl turns "{_{", "}_}", "{_%", "%_}" in the rendered XML into "{{", "}}",
# "{%", "%}" (its escape for printing a tag); data text must not be changed by it.
_DOCXTPL_ESCAPES = re.compile(r"(?<=[{%])_|_(?=[}%])")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _finalize(value: Any) -> Any:
    """What ``{{ … }}`` prints: never ``None``; data text escaped for XML and for docxtpl."""
    if value is None:
        raise MissingValue("模板要印出的值在数据中没有填写")
    if isinstance(value, jinja2.Undefined):
        return value  # raises when printed
    text = str(value)
    # printable text has none of them (controls, surrogates, U+FFFE/U+FFFF are not): no search
    illegal = None if text.isprintable() else _XML_ILLEGAL.search(text)
    if illegal:
        raise MissingValue(f"模板印出的内容含有 Word 文档无法保存的控制字符 U+{ord(illegal.group()):04X}")
    if hasattr(value, "__html__"):
        return value  # Markup/RichText: XML already (a constant of the template arrives escaped)
    escaped = str(escape(text))
    return Markup(_DOCXTPL_ESCAPES.sub("&#95;", escaped) if "_" in escaped else escaped)


# --- where in the template ----------------------------------------------------------


def _template_line(exc: BaseException) -> int | None:
    """The line of the rendered template source where ``exc`` happened."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _visible(xml: str) -> str:
    """The text of an XML fragment, as a reader of the document sees it."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", xml))).strip()


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PART_NAMES = {"document": "正文", "header": "页眉", "footer": "页脚", "footnotes": "脚注"}


def _part_label(partname: str) -> str:
    for key, label in _PART_NAMES.items():
        if key in partname:
            return label
    return partname


class _Template(DocxTemplate):
    """docxtpl, with errors located in the template and rendered XML parsed strictly."""

    body_clean = False  # the rendered body has nothing for layout.remove_rules (set by fix_tables)

    def render_xml_part(self, src_xml, part, context, jinja_env=None):  # noqa: ANN001 - docxtpl's signature
        try:
            return super().render_xml_part(src_xml, part, context, jinja_env)
        except Exception as exc:
            # where it happened, noted on the exception itself (read back with getattr in _where)
            exc.docx_part = _part_label(str(part.partname))  # type: ignore[attr-defined]
            line = _template_line(exc)
            if line:
                lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml).splitlines()
                if 0 < line <= len(lines):
                    exc.docx_text = _visible(lines[line - 1])  # type: ignore[attr-defined]
            raise

    def fix_tables(self, xml):  # noqa: ANN001 - docxtpl's signature; the first to see the rendered body
        _parse_strictly(xml, "正文")
        self.body_clean = not has_rule_marks(xml)  # nothing in it for remove_rules
        return super().fix_tables(xml)

    def map_headers_footers_xml(self, relKey, xml):  # noqa: ANN001, N803
        _parse_strictly(xml, "页眉或页脚")
        return super().map_headers_footers_xml(relKey, xml)


class _BrokenXml(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


def _parse_strictly(xml: str | bytes, label: str) -> None:
    try:
        etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        text = xml if isinstance(xml, str) else xml.decode("utf-8", "replace")
        line, column = exc.position if exc.position else (1, 0)
        lines = text.split("\n")
        offset = sum(len(x) + 1 for x in lines[: line - 1]) + max(column - 1, 0)
        before = _visible(text[max(0, offset - 4000) : offset])[-40:]
        after = _visible(text[offset : offset + 4000])[:40]
        raise _BrokenXml(
            f"生成的{label}不是完整的 Word 内容（{exc.msg}），出错处附近的文字：“{before}▲{after}”。"
            "常见原因：{%p %} / {%tr %} 的 if、for 没有成对，或用 |safe 印出了不完整的 XML"
        ) from None


# --- docxtpl's paragraph, row, cell and run tags --------------------------------------

_STRUCTURAL = re.compile(r"(?:\{%|\{\{|\{#)(tr|tc|p|r) ")
_CONTAINER = {"tr": ("w:tr", "表格行"), "tc": ("w:tc", "表格单元格"), "p": ("w:p", "段落"), "r": ("w:r", "文字片段")}
_TAG_TEXT = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _container(paragraph: Any, kind: str, opener: str) -> Any:
    """The element docxtpl replaces by a ``{%tr``/``{%tc``/``{%p``/``{%r`` tag, or None."""
    if kind == "p":
        return paragraph
    if kind == "r":
        return next((r for r in paragraph.iter(qn("w:r")) if opener in _text(r)), None)
    return next(paragraph.iterancestors(qn(_CONTAINER[kind][0])), None)


def _check_structural_tags(label: str, root: Any) -> None:
    """``{%tr %}`` must stand in a table row, and alone there: docxtpl replaces the whole
    row (paragraph, cell, run) by the tag, so anything else in it would silently vanish,
    and outside a table it would swallow everything up to the next table's row."""
    for paragraph in root.iter(qn("w:p")):
        text = _text(paragraph)
        for match in _STRUCTURAL.finditer(text):
            kind = match.group(1)
            what = _CONTAINER[kind][1]
            whole = _TAG_TEXT.match(text, match.start())
            tag = _clip(whole.group(0) if whole else text[match.start() :])
            container = _container(paragraph, kind, match.group(0))
            if container is None:
                if kind == "r":
                    continue  # split across runs: docxtpl joins them first
                raise TemplateProblem(
                    f"{label}：“{tag}”只能写在表格的一行里，这里它在表格外的段落中（“{_clip(text)}”）；表格外请用 {{%p … %}}"
                )
            rest = _TAG_TEXT.sub("", _text(container), count=1).strip()
            if rest:
                raise TemplateProblem(
                    f"{label}：“{tag}”所在的{what}里还有别的内容（“{_clip(rest)}”）。生成时整个{what}会被这个标签替换，"
                    f"这些内容会丢失；请把“{tag}”单独放在一个{what}里"
                )


def _check_template(template: DocxTemplate, where: str) -> None:
    _check_structural_tags(f"{where}（正文）", template.docx.element.body)
    for rel in template.docx.part.rels.values():
        if rel.reltype in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI) and not rel.is_external:
            label = "页眉" if rel.reltype == DocxTemplate.HEADER_URI else "页脚"
            _check_structural_tags(f"{where}（{label}）", rel.target_part.element)


# --- rendering ----------------------------------------------------------------------------


def _explain(exc: BaseException) -> str:
    if isinstance(exc, MissingValue):
        return f"{exc}（请检查数据文件是否填写了这一项）" if "没有填写" in str(exc) else str(exc)
    if isinstance(exc, FigureError):
        return str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        message = str(exc)
        match = re.search(r"'([^']+)' is undefined", message)
        if match:
            return f"引用了不存在的名称“{match.group(1)}”"
        match = re.search(r"'([^']+)' has no attribute '([^']+)'", message)
        if match:
            if match.group(1) == "None":
                return f"要取“{match.group(2)}”的那一项在数据中没有填写"
            return f"引用了不存在的字段“{match.group(2)}”"
        return f"引用了不存在的名称或字段（{message}）"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        match = re.search(r"No filter named '([^']+)'", exc.message or "")
        if match:
            return (
                f"使用了不存在的过滤器“{match.group(1)}”（可用：{'、'.join(formatting.FILTERS)} 及 Jinja 自带的过滤器）"
            )
        match = re.search(r"Encountered unknown tag '([^']+)'", exc.message or "")
        if match:
            return f"模板语法错误：不认识的标签“{match.group(1)}”（{exc.message}）"
        return f"模板语法错误：{exc.message}"
    if isinstance(exc, SecurityError):
        return f"模板试图做不允许的事：{exc}"
    if isinstance(exc, _BrokenXml):
        return exc.message
    return f"模板渲染失败：{type(exc).__name__}: {exc}"


def _where(exc: BaseException) -> str:
    part = getattr(exc, "docx_part", None)
    text = getattr(exc, "docx_text", None)
    if text:
        return f"（{part or '模板'}中这一段：“{_clip(text, 120)}”）"
    if part:
        return f"（在{part}中）"
    return ""


_RENDER_ERRORS = (
    jinja2.TemplateError,
    _BrokenXml,
    etree.LxmlError,
    TypeError,
    ValueError,
    AttributeError,
    ArithmeticError,
    LookupError,
    RecursionError,
)


def render_docx(
    fmt: Format,
    layout: dict[str, Any],
    context: dict[str, Any],
    title: TitleHints | None = None,
    on_empty_section: Callable[[str], None] | None = None,
    cached: bool = True,
) -> bytes:
    """Render ``fmt``'s template and return the finished, normalised .docx bytes.

    ``on_empty_section`` gets each heading left with nothing under it (when the
    format declares no ``empty_section`` filler).

    ``cached`` (the default) reuses, within this process, what does not depend on
    the data: the template with the layout's styles applied and its tags checked,
    docxtpl's patched XML and the compiled Jinja of each part, the environment of
    the format's settings; and writes the final zip once.  ``cached=False`` is the
    plain path (open, render, apply the whole layout, save, normalise): both give
    the same bytes, which the tests hold them to.
    """
    env: _TemplateEnv
    if cached:
        master = _master(_prepared_template(fmt.template_path, layout), fmt.template_path)
        template = _CachedTemplate(fmt.template_path)
        template.docx = master.document()
        template.body_xml = master.body_xml
        env = _cached_env(fmt.settings, blank_texts(fmt.declaration))
    else:
        template = _open(fmt.template_path, _Template)
        _check_template(template, str(fmt.template_path))
        env = _TemplateEnv(fmt.settings, blank_texts(fmt.declaration))
    _render(template, env, fmt, context)
    merge_marked_cells(template.docx)
    indent_marked_cells(template.docx)
    drop_empty_rows(template.docx)
    drop_empty_columns(template.docx)
    for heading in fill_empty_sections(template.docx, fmt.settings.empty_section):
        if on_empty_section is not None:
            on_empty_section(heading)
    if cached:  # the styles were applied to the prepared template
        apply_layout(template.docx, layout, title, styles=False, body_clean=template.body_clean)
        return package_bytes(template.docx, _ZIPPED, master.stored)
    apply_layout(template.docx, layout, title)
    buffer = io.BytesIO()
    template.save(buffer)
    return normalize_docx(buffer.getvalue())


def _open(source: Any, cls: type[DocxTemplate], where: Any = None) -> DocxTemplate:
    try:
        template = cls(source if isinstance(source, io.BytesIO) else str(source))
        template.init_docx()
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError, etree.LxmlError) as exc:
        raise TemplateProblem(
            f"{where or source}: 不是有效的 Word 文档（.docx）：{exc}。请用 Word 打开后另存为 .docx"
        ) from exc
    return template


def _render(template: DocxTemplate, env: _TemplateEnv, fmt: Format, context: dict[str, Any]) -> None:
    full = dict(context)
    full["h"] = formatting.Numbering(fmt.settings.headings)
    try:
        template.render(full, env, autoescape=True)
    except _RENDER_ERRORS as exc:
        raise TemplateProblem(f"{fmt.template_path}: {_explain(exc)}{_where(exc)}") from exc


# --- per-process caches (a batch's workers each keep their own) ---------------------------

_CACHE_LIMIT = 64  # entries per cache: a run uses a handful of formats
_PREPARED: dict[tuple[bytes, str], bytes] = {}
_PATCHED: dict[str, str] = {}
_ENVS: dict[str, _CachingEnv] = {}
_ZIPPED: dict[bytes, tuple[int, bytes]] = {}  # a part kept as bytes → its CRC and deflated form
_MASTERS: dict[bytes, Any] = {}  # a prepared template → its parts, parsed (docxcache.Master)
_MASTERS_KEPT = 8  # a run uses a handful of formats


def _remember(cache: dict, key: Any, value: Any) -> Any:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


def clear_caches() -> None:
    """Forget every cached template, patched part and environment (tests, long-lived callers)."""
    _PREPARED.clear()
    _PATCHED.clear()
    _ENVS.clear()
    _ZIPPED.clear()
    _MASTERS.clear()


def _master(prepared: bytes, where: Any) -> Any:
    """The prepared template, read once (its bytes come from ``_PREPARED``: the same object each time)."""
    from .docxcache import Master

    found = _MASTERS.get(prepared)
    if found is None:
        if len(_MASTERS) >= _MASTERS_KEPT:  # each holds a parsed template (about 5 MB): the oldest goes
            del _MASTERS[next(iter(_MASTERS))]
        try:
            found = _MASTERS[prepared] = Master(prepared)
        except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError, etree.LxmlError) as exc:
            raise TemplateProblem(
                f"{where}: 不是有效的 Word 文档（.docx）：{exc}。请用 Word 打开后另存为 .docx"
            ) from exc
    return found


def _prepared_template(template_path: Any, layout: dict[str, Any]) -> bytes:
    """The template with the layout's styles and settings applied, its tags checked: once per format."""
    try:
        raw = template_path.read_bytes()
    except OSError as exc:
        raise TemplateProblem(
            f"{template_path}: 不是有效的 Word 文档（.docx）：{exc}。请用 Word 打开后另存为 .docx"
        ) from exc
    key = (hashlib.sha256(raw).digest(), json.dumps(layout, sort_keys=True, ensure_ascii=False, default=str))
    found = _PREPARED.get(key)
    if found is not None:
        return found
    name = diskcache.key("template", key[0], key[1])
    found = diskcache.get("template", name)  # stored only once checked
    if found is None:
        template = _open(io.BytesIO(raw), _Template, template_path)
        _check_template(template, str(template_path))
        apply_styles(template.docx, layout["styles"])
        remove_rules(template.docx, body=False)  # the styles' part of it: the same for every report
        apply_settings(template.docx, layout["page_number"])
        found = package_bytes(template.docx)
        diskcache.put("template", name, found)
    return _remember(_PREPARED, key, found)


class _CachingEnv(_TemplateEnv):
    """The sandbox, compiling each distinct source once (the per-render state is reset by ``fresh``)."""

    def __init__(self, settings: FormatSettings, cache_key: str = "", blank: frozenset[str] = frozenset()):
        super().__init__(settings, blank)
        self.compiled: dict[str, jinja2.Template] = {}
        self.cache_key = cache_key  # the settings: the filters the code was compiled against

    def fresh(self) -> _CachingEnv:
        self.range_left = MAX_RANGE_ITEMS
        return self

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002, ANN001 - Jinja's signature
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        found = self.compiled.get(source)
        if found is None:
            found = _remember(self.compiled, source, self._load_or_compile(source))
        return found

    def _load_or_compile(self, source: str) -> jinja2.Template:
        """``from_string``, with the compiled code kept on disk for the next process."""
        name = diskcache.key("jinja", self.cache_key, source)
        code = None
        stored = diskcache.get("jinja", name)
        if stored is not None:
            try:
                code = marshal.loads(stored)
            except (ValueError, EOFError, TypeError):
                code = None
        if code is None:
            code = self.compile(source)  # a syntax error raises here, as from_string would
            diskcache.put("jinja", name, marshal.dumps(code))
        return self.template_class.from_code(self, code, self.make_globals(None), None)


def _cached_env(settings: FormatSettings, blank: frozenset[str] = frozenset()) -> _CachingEnv:
    key = repr(settings) + "|" + ",".join(sorted(blank))
    env = _ENVS.get(key)
    if env is None:
        env = _remember(_ENVS, key, _CachingEnv(settings, key, blank))
    return env.fresh()


class _CachedTemplate(_Template):
    """docxtpl with its tag patching remembered per part source."""

    body_xml: str | None = None  # the template's body as get_xml gives it (docxcache.Master)

    def get_xml(self):  # noqa: ANN201 - docxtpl's signature
        return self.body_xml if self.body_xml is not None else super().get_xml()

    def resolve_listing(self, xml):  # noqa: ANN001 - docxtpl's signature
        # docxtpl rewrites tabs, \a, \n and \f in the text into runs, breaks and paragraphs;
        # XML with none of them comes out as it went in
        if "\t" in xml or "\a" in xml or "\n" in xml or "\f" in xml:
            return super().resolve_listing(xml)
        return xml

    def patch_xml(self, src_xml):  # noqa: ANN001 - docxtpl's signature
        found = _PATCHED.get(src_xml)
        if found is None:
            name = diskcache.key("patched", src_xml)
            stored = diskcache.get("patched", name)
            if stored is not None:
                found = stored.decode("utf-8", "surrogatepass")
            else:
                found = super().patch_xml(src_xml)
                diskcache.put("patched", name, found.encode("utf-8", "surrogatepass"))
            _remember(_PATCHED, src_xml, found)
        return found


def title_text(fmt: Format, context: dict[str, Any]) -> str | None:
    """The report's title as the template prints it (its ``Title`` paragraph rendered), or None.

    For ``check``, which renders no document: the data's ``title_lines:`` are compared with it.
    """
    from docx import Document

    try:
        document = Document(str(fmt.template_path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError, etree.LxmlError):
        return None  # build names the broken template
    source = next((p.text for p in document.paragraphs if p.style is not None and p.style.name == "Title"), None)
    if source is None:
        return None
    env = _TemplateEnv(fmt.settings, blank_texts(fmt.declaration))
    full = dict(context)
    full["h"] = formatting.Numbering(fmt.settings.headings)
    try:
        return str(env.from_string(source).render(full))
    except _RENDER_ERRORS:
        return None  # build reports the template's problem with its paragraph

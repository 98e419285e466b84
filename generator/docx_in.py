"""A user's Word file as a list of blocks — paragraphs and tables in body order — for ``reportgen import``.

The file is untrusted: :mod:`docx_package` opens it within fixed limits and refuses what is not a
readable .docx (:class:`ImportRefused`, in Chinese, naming the file).  This module reads what Word shows:

- a paragraph's visible text (deleted text of tracked changes left out, inserted text kept, a field's
  result but not its code; a page or column break is no text, a line break is ``\\n``; text boxes and
  drawings are not read), its style's name, outline level, the list label Word would show (rendered
  from numbering.xml), whether it is bold, its largest font size and its alignment — each from the
  paragraph's own formatting or its styles (``w:basedOn`` chain, the default paragraph style, document
  defaults), so headings typed with direct formatting can be recognised as well as styled ones;
- a table's cells with their grid column, span and vertical merges; a nested table's text goes into its
  cell (rows as lines, cells separated by a tab); a row deleted as a tracked change is left out.

A paragraph deleted as a tracked change (its mark and all its text) is left out and not counted.  A
paragraph that names no style has the default paragraph style's name (``Normal``, ``正文``); one naming an
undefined style, that style's id.  Body paragraphs inside content controls (``w:sdt``) and custom XML are read in place.  Headers, footers,
footnotes and comments are not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from lxml import etree

from .docx_numbers import Numbering
from .docx_package import open_parts
from .errors import ImportRefused

__all__ = ["Block", "Cell", "ImportRefused", "Para", "Table", "read_blocks"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
STRICT = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"  # ISO 29500 Strict: other namespaces, not read


@dataclass(frozen=True)
class Para:
    index: int  # 1-based among the body's paragraphs (those in table cells not counted)
    text: str  # what Word shows: runs joined, w:tab "\t", w:br "\n", tracked deletions out, fields' results
    style: str  # the style's name in styles.xml ("heading 1", "Normal", a Chinese name), "" if none
    outline_level: int | None  # 0-based; None for body text
    numbering: str  # the list label Word shows (一、 （一） 1.), "" if none
    bold: bool  # every run with visible text is bold
    size_pt: Decimal | None  # the largest run font size, None when nothing sets one
    align: str  # "center" | "left" | "right" | "both" | ""


@dataclass(frozen=True)
class Cell:
    text: str  # the cell's paragraphs joined by "\n"
    col: int  # 0-based grid column where the cell starts
    span: int  # grid columns spanned (w:gridSpan)
    merged_below: bool  # continues the vertical merge of the cell above (its text is "")


@dataclass(frozen=True)
class Table:
    index: int  # 1-based among the body's top-level tables
    after_para: int  # index of the last body paragraph before the table (0 if none)
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int  # rows at the top marked as repeating header rows (w:tblHeader)


Block = Para | Table


def read_blocks(path: Path | str) -> list[Block]:
    """The body of the Word file ``path`` in order; :class:`ImportRefused` when it cannot be read safely."""
    path = Path(path)
    parts = open_parts(path)
    styles = Styles(parts.styles)
    numbering = Numbering.parse(parts.numbering, styles.numbering_styles())
    body = parts.document.find(W + "body")
    if body is None and str(parts.document.tag).startswith(STRICT):
        raise ImportRefused(
            path,
            "这是“严格 Open XML”格式的 .docx，import 读不了：请在 Word 中打开，"
            "另存为“Word 文档 (*.docx)”（不要选“Strict Open XML 文档”），再导入",
        )
    if body is None:
        raise ImportRefused(path, "文件里没有正文（word/document.xml 中缺少 w:body），文件可能已损坏")
    return _Reader(styles, numbering).body(body)


# ---------------------------------------------------------------- styles


def _on(el: etree._Element | None) -> bool | None:
    """A toggle property (w:b): None when absent."""
    if el is None:
        return None
    return el.get(W + "val", "true") not in ("0", "false", "off", "none")


def _val(el: etree._Element | None) -> str | None:
    return None if el is None else el.get(W + "val")


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


_ALIGN = {
    "center": "center",
    "left": "left",
    "start": "left",
    "right": "right",
    "end": "right",
    "both": "both",
    "distribute": "both",
    "justify": "both",
    "lowKashida": "both",
    "mediumKashida": "both",
    "highKashida": "both",
    "thaiDistribute": "both",
}
_HEADING = re.compile(r"heading\s*([1-9])$", re.IGNORECASE)


@dataclass
class _Style:
    name: str
    kind: str
    based_on: str | None
    ppr: etree._Element | None
    rpr: etree._Element | None


@dataclass
class Styles:
    """A document's styles.xml, asked for one property at a time along each style's ``w:basedOn`` chain."""

    root: etree._Element | None
    by_id: dict[str, _Style] = field(default_factory=dict)
    default_para: str | None = None
    default_char: str | None = None
    doc_rpr: etree._Element | None = None
    doc_ppr: etree._Element | None = None
    _memo: dict[tuple, object] = field(default_factory=dict)  # each run asks the same few questions

    def __post_init__(self) -> None:
        if self.root is None:
            return
        defaults = self.root.find(W + "docDefaults")
        if defaults is not None:
            self.doc_rpr = defaults.find(f"{W}rPrDefault/{W}rPr")
            self.doc_ppr = defaults.find(f"{W}pPrDefault/{W}pPr")
        for style in self.root.iterchildren(W + "style"):
            sid = style.get(W + "styleId")
            if sid is None or sid in self.by_id:
                continue
            kind = style.get(W + "type", "paragraph")
            name = _val(style.find(W + "name")) or sid
            self.by_id[sid] = _Style(
                name, kind, _val(style.find(W + "basedOn")), style.find(W + "pPr"), style.find(W + "rPr")
            )
            if style.get(W + "default") in ("1", "true", "on"):
                if kind == "paragraph" and self.default_para is None:
                    self.default_para = sid
                elif kind == "character" and self.default_char is None:
                    self.default_char = sid

    def chain(self, sid: str | None) -> list[_Style]:
        """The style and those it is based on, nearest first (a loop in basedOn ends the chain)."""
        out: list[_Style] = []
        seen: set[str] = set()
        while sid is not None and sid not in seen and len(out) < 20:
            seen.add(sid)
            style = self.by_id.get(sid)
            if style is None:
                break
            out.append(style)
            sid = style.based_on
        return out

    def para_style(self, pstyle: etree._Element | None) -> str | None:
        sid = _val(pstyle)
        return sid if sid is not None else self.default_para

    def name(self, sid: str | None) -> str:
        if sid is None:
            return ""
        style = self.by_id.get(sid)
        return style.name if style is not None else sid

    def ppr_value(self, sid: str | None, tag: str) -> etree._Element | None:
        key = ("p", sid, tag)
        if key not in self._memo:
            self._memo[key] = self._find([sid], "ppr", tag, self.doc_ppr)
        return self._memo[key]

    def rpr_value(self, sids: tuple[str | None, ...], tag: str) -> etree._Element | None:
        key = ("r", sids, tag)
        if key not in self._memo:
            self._memo[key] = self._find(sids, "rpr", tag, self.doc_rpr)
        return self._memo[key]

    def _find(self, sids, props: str, tag: str, default: etree._Element | None) -> etree._Element | None:
        for sid in sids:
            for style in self.chain(sid):
                own = getattr(style, props)
                if own is not None and (found := own.find(W + tag)) is not None:
                    return found
        return default.find(W + tag) if default is not None else None

    def outline(self, sid: str | None) -> int | None:
        key = ("outline", sid)
        if key not in self._memo:
            self._memo[key] = self._outline(sid)
        return self._memo[key]  # type: ignore[return-value]

    def _outline(self, sid: str | None) -> int | None:
        for style in self.chain(sid):
            if style.ppr is not None and (found := style.ppr.find(W + "outlineLvl")) is not None:
                return _int(_val(found))
            match = _HEADING.match(style.name)
            if match:  # a built-in heading style saved without its outline level
                return int(match.group(1)) - 1
        return None

    def numbering_styles(self) -> dict[str, int]:
        """Numbering styles (w:type="numbering") → the numId they carry, for w:numStyleLink."""
        out = {}
        for sid, style in self.by_id.items():
            if style.kind == "numbering" and style.ppr is not None:
                num = _int(_val(style.ppr.find(f"{W}numPr/{W}numId")))
                if num is not None:
                    out[sid] = num
        return out


# ---------------------------------------------------------------- body


_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"}
_SKIPPED = {W + "del", W + "moveFrom", W + "pPr", W + "rPr", MC + "Fallback"}
_INLINE = {
    W + "ins",
    W + "moveTo",
    W + "hyperlink",
    W + "smartTag",
    W + "customXml",
    W + "sdt",
    W + "sdtContent",
    W + "fldSimple",
    W + "dir",
    W + "bdo",
    M + "oMathPara",
    M + "oMath",
    MC + "AlternateContent",
    MC + "Choice",
}


def _blocks(parent: etree._Element):
    """Block-level children (w:p, w:tbl), looking inside content controls and custom XML."""
    for child in parent.iterchildren():
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in _CONTAINERS:
            yield from _blocks(child)


def _children(parent: etree._Element, tag: str):
    """Rows of a table, cells of a row, looking inside content controls and custom XML."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _children(child, tag)


_P, _R, _T, _PPR, _RPR = W + "p", W + "r", W + "t", W + "pPr", W + "rPr"
_PSTYLE, _NUMPR, _OUTLINE, _JC, _NUMID, _ILVL = (
    W + "pStyle",
    W + "numPr",
    W + "outlineLvl",
    W + "jc",
    W + "numId",
    W + "ilvl",
)
_RSTYLE, _B, _SZ, _BR, _SYM, _FLDCHAR = W + "rStyle", W + "b", W + "sz", W + "br", W + "sym", W + "fldChar"
_FLDCHARTYPE, _TYPE, _CHAR = W + "fldCharType", W + "type", W + "char"
_MATH_RUN, _MATH_TEXT = M + "r", M + "t"
_CHARACTERS = {W + "tab": "\t", W + "ptab": "\t", W + "cr": "\n", W + "noBreakHyphen": "-"}


@dataclass
class _Run:
    text: str
    bold: bool
    size: int | None  # half-points


class _Reader:
    def __init__(self, styles: Styles, numbering: Numbering):
        self.styles = styles
        self.numbering = numbering
        self.paras = 0
        self.tables = 0

    def body(self, body: etree._Element) -> list[Block]:
        out: list[Block] = []
        for el in _blocks(body):
            if el.tag == W + "p":
                para = self.paragraph(el)
                if para is not None:
                    out.append(para)
            else:
                self.tables += 1
                out.append(self.table(el, self.tables, self.paras))
        return out

    # paragraphs

    def paragraph(self, p: etree._Element) -> Para | None:
        ppr = p.find(_PPR)
        props = {child.tag: child for child in ppr} if ppr is not None else {}
        sid = self.styles.para_style(props.get(_PSTYLE))
        label = self.label(props.get(_NUMPR), sid)
        runs = self.runs(p, sid)
        text = "".join(r.text for r in runs)
        if not text and _mark_deleted(props.get(_RPR)):
            return None  # a paragraph deleted as a tracked change
        self.paras += 1
        level = props.get(_OUTLINE)
        outline = _int(_val(level)) if level is not None else self.styles.outline(sid)
        if outline is not None and not 0 <= outline <= 8:
            outline = None  # 9: body text
        visible = [r for r in runs if r.text.strip()]
        sizes = [r.size for r in visible if r.size is not None]
        jc = props.get(_JC)
        if jc is None:
            jc = self.styles.ppr_value(sid, "jc")
        return Para(
            index=self.paras,
            text=text,
            style=self.styles.name(sid),
            outline_level=outline,
            numbering=label,
            bold=bool(visible) and all(r.bold for r in visible),
            size_pt=Decimal(max(sizes)) / 2 if sizes else None,
            align=_ALIGN.get(_val(jc) or "", ""),
        )

    def label(self, direct: etree._Element | None, sid: str | None) -> str:
        styled = self.styles.ppr_value(sid, "numPr")
        if direct is None and styled is None:
            return ""
        num_id = ilvl = None
        for numpr in (direct, styled):
            if numpr is None:
                continue
            if num_id is None:
                num_id = _int(_val(numpr.find(_NUMID)))
            if ilvl is None:
                ilvl = _int(_val(numpr.find(_ILVL)))
        if num_id is None:
            return ""
        if ilvl is None:
            ilvl = self.numbering.style_level(num_id, sid)
        return self.numbering.label(num_id, ilvl or 0)

    def runs(self, p: etree._Element, sid: str | None) -> list[_Run]:
        out: list[_Run] = []
        fields: list[str] = []  # complex fields open in this paragraph: "code" until w:separate, then "result"
        self._collect(p, sid, out, fields)
        return out

    def _collect(self, parent: etree._Element, sid: str | None, out: list[_Run], fields: list[str]) -> None:
        for child in parent:
            tag = child.tag
            if tag == _R:
                self.run(child, sid, out, fields)
            elif tag in _SKIPPED or not isinstance(tag, str):
                continue
            elif tag in _INLINE:
                self._collect(child, sid, out, fields)
            elif tag == _MATH_RUN:  # an equation's text
                text = "".join(t.text or "" for t in child.iterchildren(_MATH_TEXT))
                if text and "code" not in fields:
                    out.append(_Run(text, False, None))

    def run(self, r: etree._Element, sid: str | None, out: list[_Run], fields: list[str]) -> None:
        parts: list[str] = []
        rpr = None
        for child in r:
            tag = child.tag
            if tag == _T:
                if not fields or "code" not in fields:
                    parts.append(child.text or "")
            elif tag == _RPR:
                rpr = child
            elif tag == _FLDCHAR:
                kind = child.get(_FLDCHARTYPE)
                if kind == "begin":
                    fields.append("code")
                elif kind == "separate" and fields:
                    fields[-1] = "result"
                elif kind == "end" and fields:
                    fields.pop()
            elif fields and "code" in fields:
                continue
            elif tag in _CHARACTERS:
                parts.append(_CHARACTERS[tag])
            elif tag == _BR:
                if child.get(_TYPE) in (None, "textWrapping"):
                    parts.append("\n")
            elif tag == _SYM:
                parts.append(_symbol(child.get(_CHAR)))
        if not parts:
            return
        props = {child.tag: child for child in rpr} if rpr is not None else {}
        chain = (_val(props.get(_RSTYLE)), sid)
        bold = _on(props.get(_B))
        if bold is None:
            bold = bool(_on(self.styles.rpr_value(chain, "b")))
        size_el = props.get(_SZ)
        if size_el is None:
            size_el = self.styles.rpr_value(chain, "sz")
        out.append(_Run("".join(parts), bold, _int(_val(size_el))))

    # tables

    def table(self, tbl: etree._Element, index: int, after: int) -> Table:
        rows: list[tuple[Cell, ...]] = []
        header_rows = 0
        counting_header = True
        for tr in _children(tbl, W + "tr"):
            trpr = tr.find(W + "trPr")
            if trpr is not None and trpr.find(W + "del") is not None:
                continue  # a row deleted as a tracked change
            header = trpr is not None and _on(trpr.find(W + "tblHeader")) is True
            if counting_header and header:
                header_rows += 1
            else:
                counting_header = False
            col = (_int(_val(trpr.find(W + "gridBefore"))) or 0) if trpr is not None else 0
            cells = []
            for tc in _children(tr, W + "tc"):
                tcpr = tc.find(W + "tcPr")
                span = (_int(_val(tcpr.find(W + "gridSpan"))) or 1) if tcpr is not None else 1
                span = max(span, 1)
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                below = vmerge is not None and vmerge.get(W + "val") in (None, "continue")
                text = "" if below else self.cell_text(tc)
                if below:
                    self.cell_text(tc)  # lists in it still count
                cells.append(Cell(text=text, col=col, span=span, merged_below=below))
                col += span
            rows.append(tuple(cells))
        return Table(index=index, after_para=after, rows=tuple(rows), header_rows=header_rows)

    def cell_text(self, tc: etree._Element) -> str:
        lines = []
        for el in _blocks(tc):
            if el.tag == W + "p":
                lines.append(self.cell_paragraph(el))
            else:  # a nested table: its rows as lines, cells separated by a tab
                for tr in _children(el, W + "tr"):
                    cells = [self.cell_text(inner).replace("\n", " ") for inner in _children(tr, W + "tc")]
                    lines.append("\t".join(cells))
        return "\n".join(lines)

    def cell_paragraph(self, p: etree._Element) -> str:
        ppr = p.find(_PPR)
        sid = self.styles.para_style(ppr.find(_PSTYLE) if ppr is not None else None)
        self.label(ppr.find(_NUMPR) if ppr is not None else None, sid)  # a numbered paragraph moves the list on
        return "".join(r.text for r in self.runs(p, sid))


def _mark_deleted(mark: etree._Element | None) -> bool:
    """The paragraph mark's properties (pPr/rPr) say the mark was deleted as a tracked change."""
    return mark is not None and mark.find(W + "del") is not None


def _symbol(char: str | None) -> str:
    code = _int_hex(char)
    if code is None:
        return ""
    if 0xF000 <= code <= 0xF0FF:  # a symbol font's private-use code: the character it stands for
        code -= 0xF000
    try:
        return chr(code) if code >= 0x20 else ""
    except ValueError:
        return ""


def _int_hex(text: str | None) -> int | None:
    try:
        return int(text, 16) if text else None
    except ValueError:
        return None

"""Apply the shared GB/T 9704 layout (``templates/_base/layout.yaml``) to a document.

Every format's template keeps only its content and wording; page setup, the
styles' fonts and sizes, and the page-number footer come from this one place.
Chinese fonts are set through ``w:eastAsia`` on the styles (python-docx's
``font.name`` sets only the Latin font).
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.shared import Mm
from lxml import etree

from .errors import FormatError
from .qnames import ppr_after, qn
from .sections import is_landscape, landscape_page
from .stylemap import ui_names
from .tablefit import fit_tables
from .textfit import text_em
from .title import TitleHints, apply_titles

_ALIGN = {"left": "left", "right": "right", "center": "center", "justify": "both"}

_CACHE: dict[tuple[str, str], dict[str, Any]] = {}  # (path, sha-256 of the bytes) → layout
_CACHE_SIZE = 16


def load_layout(templates_dir: Path) -> dict[str, Any]:
    """The shared layout, checked; parsed once per version of the file (keyed by its content)."""
    path = Path(templates_dir) / "_base" / "layout.yaml"
    if not path.is_file():
        raise FormatError(f"{path}: 找不到共用版式文件")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"{path}: 无法读取共用版式文件：{exc.strerror or exc}") from exc
    key = (str(path.resolve()), hashlib.sha256(raw).hexdigest())
    if key not in _CACHE:
        from .settings_cache import cached

        checked = cached("layout", path, raw, lambda: _check(path, raw))
        if len(_CACHE) >= _CACHE_SIZE:  # the oldest version goes first
            del _CACHE[next(iter(_CACHE))]
        _CACHE[key] = checked
    return _copy(_CACHE[key])


def _check(path: Path, raw: bytes) -> dict[str, Any]:
    """The layout checked against :class:`generator.layout_model.LayoutSettings`, as plain data."""
    from .layout_model import LayoutSettings
    from .settings_check import load_settings

    try:
        text: str | None = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None  # the loader says which encoding it looks like
    settings, _loaded = load_settings(path, LayoutSettings, text)
    return settings.model_dump(exclude_none=True)


def _copy(value: Any) -> Any:
    """A deep copy of the checked layout (dicts of dicts of numbers, text, booleans): each
    caller gets its own, as from ``copy.deepcopy``, at a tenth of its cost."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value  # Decimal, str, int, bool, None: immutable


def _twips(points: Any) -> str:
    return str(int(round(float(points) * 20)))


def _child(parent, tag: str, before: tuple[str, ...] = ()):
    """Return the child ``tag`` of ``parent``, creating it if missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def _set_run_props(rpr, spec: dict[str, Any]) -> None:
    for tag in ("w:rFonts", "w:b", "w:bCs", "w:i", "w:color", "w:spacing", "w:sz", "w:szCs", "w:kern"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    latin = spec.get("latin", spec["font"])
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), spec["font"])
    fonts.set(qn("w:cs"), latin)
    rpr.insert(0, fonts)
    for tag in ("w:b", "w:bCs"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "1" if spec.get("bold") else "0")
        rpr.append(element)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "000000")
    rpr.append(color)
    half_points = str(int(round(float(spec["size_pt"]) * 2)))
    for tag in ("w:sz", "w:szCs"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), half_points)
        rpr.append(element)


def _set_para_props(ppr, spec: dict[str, Any]) -> None:
    for tag in ("w:pageBreakBefore", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    if spec.get("page_break_before"):  # before w:spacing, as the schema orders them
        ppr.append(OxmlElement("w:pageBreakBefore"))
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), _twips(spec.get("space_before_pt", 0)))
    spacing.set(qn("w:after"), _twips(spec.get("space_after_pt", 0)))
    spacing.set(qn("w:line"), _twips(spec["line_pt"]))
    spacing.set(qn("w:lineRule"), "exact")
    ppr.append(spacing)
    ind = OxmlElement("w:ind")
    size = float(spec["size_pt"])
    left = spec.get("left_chars", 0)
    if left:
        ind.set(qn("w:leftChars"), str(int(left * 100)))
        ind.set(qn("w:left"), _twips(size * float(left)))
    hanging = spec.get("hanging_chars", 0)
    if hanging:  # the first line starts ``hanging`` characters left of the others
        ind.set(qn("w:hangingChars"), str(int(hanging * 100)))
        ind.set(qn("w:hanging"), _twips(size * float(hanging)))
    else:
        chars = spec.get("first_line_chars", 0)
        ind.set(qn("w:firstLineChars"), str(int(chars * 100)))
        ind.set(qn("w:firstLine"), _twips(size * float(chars)))
    ppr.append(ind)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), _ALIGN[spec.get("align", "justify")])
    ppr.append(jc)


def apply_styles(document: Document, styles: dict[str, dict[str, Any]]) -> None:
    """Set fonts, sizes, spacing and alignment of the named paragraph styles."""
    normal = styles.get("Normal")
    if normal:  # document defaults, so text outside any style looks right too
        defaults = document.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr_default = _child(defaults, "w:rPrDefault")
            _set_run_props(_child(rpr_default, "w:rPr"), normal)
    line_pt = float(normal["line_pt"]) if normal else 0.0
    for name, spec in styles.items():
        for side in ("before", "after"):  # "one blank line" below a title: in lines of body text
            lines = spec.get(f"space_{side}_lines")
            if lines and line_pt:
                spec = {**spec, f"space_{side}_pt": float(lines) * line_pt}
        try:
            style = document.styles[name]
        except KeyError:
            style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = document.styles["Normal"]
        style.quick_style = True
        element = style.element
        _set_run_props(element.get_or_add_rPr(), spec)
        _set_para_props(element.get_or_add_pPr(), spec)
        if name.startswith("Heading") or spec.get("keep_with_next"):
            style.paragraph_format.keep_with_next = True


_PAGE_NUMBERS: dict[tuple[str, str], list[Any]] = {}  # (spec, align) → the paragraph's children, made once


def _page_number_paragraph(paragraph, spec: dict[str, Any], align: str) -> None:
    """Fill ``paragraph`` with ``— PAGE —`` as a field, in the page-number font."""
    p = paragraph._p
    for child in list(p):
        p.remove(child)
    key = (repr(sorted(spec.items())), align)
    made = _PAGE_NUMBERS.get(key)
    if made is None:
        scratch = OxmlElement("w:p")
        _make_page_number(scratch, spec, align)
        if len(_PAGE_NUMBERS) >= 16:
            _PAGE_NUMBERS.clear()
        made = _PAGE_NUMBERS[key] = list(scratch)
    p.extend(copy.deepcopy(child) for child in made)


def _make_page_number(p, spec: dict[str, Any], align: str) -> None:
    ppr = p.get_or_add_pPr()
    _set_para_props(ppr, {"line_pt": float(spec["size_pt"]) * 1.2, "size_pt": spec["size_pt"], "align": align})
    ind = ppr.find(qn("w:ind"))
    side = "w:right" if align == "right" else "w:left"
    ind.set(qn(side), _twips(float(spec["size_pt"])))  # one character in from the edge
    before, _, after = spec["pattern"].partition("{page}")

    def run(text: str | None = None, field: str | None = None, instr: str | None = None):
        r = OxmlElement("w:r")
        _set_run_props(r.get_or_add_rPr(), spec)
        if text is not None:
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = text
            r.append(t)
        if field is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), field)
            r.append(fld)
        if instr is not None:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = instr
            r.append(it)
        p.append(r)

    run(before)
    run(field="begin")
    run(instr=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(after)


def apply_settings(document: Document, number: dict[str, Any]) -> bool:
    """Odd and even page footers on or off, as the page numbers need; returns which."""
    odd_even = bool(number.get("odd_even"))
    document.settings.odd_and_even_pages_header_footer = odd_even
    return odd_even


def apply_page(document: Document, page: dict[str, Any], number: dict[str, Any]) -> None:
    """A4 page, GB/T 9704 margins, and page numbers in the footer.

    A section the template sets landscape stays landscape: the page turned, margins and all
    (:func:`generator.sections.landscape_page`)."""
    odd_even = apply_settings(document, number)
    for section in document.sections:
        spec = page
        if is_landscape(section._sectPr):
            spec = landscape_page(page)
            section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width = Mm(spec["width_mm"])
        section.page_height = Mm(spec["height_mm"])
        section.top_margin = Mm(spec["top_mm"])
        section.bottom_margin = Mm(spec["bottom_mm"])
        section.left_margin = Mm(spec["left_mm"])
        section.right_margin = Mm(spec["right_mm"])
        section.footer_distance = Mm(spec["footer_mm"])
        section.header_distance = Mm(15)
        section.footer.is_linked_to_previous = False
        _page_number_paragraph(_only_paragraph(section.footer), number, "right" if odd_even else "center")
        if odd_even:
            section.even_page_footer.is_linked_to_previous = False
            _page_number_paragraph(_only_paragraph(section.even_page_footer), number, "left")


def _only_paragraph(footer):
    paragraphs = footer.paragraphs
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for table in footer.tables:
        table._tbl.getparent().remove(table._tbl)
    return paragraphs[0] if paragraphs else footer.add_paragraph()


# Word's default theme blue (the Title style's bottom rule, Heading colours, accent1)
_DEFAULT_BLUES = (b"4F81BD", b"365F91", b"243F60", b"95B3D7", b"DBE5F1", b"B8CCE4", b"A7BFDE", b"D3DFEE")
_THEME_ATTRS = ("}themeColor", "}themeShade", "}themeTint", "}themeFill", "}themeFillShade", "}themeFillTint")
# what XML with something for remove_rules to do contains, in lower case (and more: a theme word in text)
_RULE_MARKS = ("pbdr", "theme", *(b.decode().lower() for b in _DEFAULT_BLUES))


def has_rule_marks(xml: str) -> bool:
    """Whether ``xml`` may hold a paragraph border, a theme colour or a theme blue (any case)."""
    low = xml.lower()
    return any(mark in low for mark in _RULE_MARKS)


def _clean_attributes(element) -> None:
    for attr, value in list(element.attrib.items()):
        if value.upper().encode() in _DEFAULT_BLUES:
            element.set(attr, "000000")
        elif attr.endswith(_THEME_ATTRS):
            del element.attrib[attr]


def remove_rules(document: Document, styles: bool = True, body: bool = True, body_clean: bool = False) -> None:
    """No paragraph border (Word's default Title has a blue rule under it) and no theme blue.

    GB/T 9704 titles have no rule; the default template's blue survives in
    styles no report uses, in ``stylesWithEffects.xml`` and in the theme, so it
    is replaced by black there too: no ``4F81BD`` anywhere in the output.
    ``styles``/``body`` say whether to go through the styles and the document
    (a batch does the styles once, on the template every report starts from);
    ``body_clean``: the body is known to have none of them (nothing for it in its
    XML: :func:`has_rule_marks`), so only the rest of the document is gone through.
    """
    roots = [document.styles.element] if styles else []
    if body and body_clean:
        element = document.element
        _clean_attributes(element)
        roots += [child for child in element if child.tag != qn("w:body")]
    elif body:
        roots.append(document.element)
    for root in roots:
        for border in list(root.iter(qn("w:pBdr"))):
            border.getparent().remove(border)
        for element in root.iter():
            _clean_attributes(element)
    for part in document.part.package.iter_parts():
        blob = getattr(part, "_blob", None)
        if isinstance(blob, bytes) and part.partname.endswith(".xml"):
            part._blob = _without_rules(blob)


_CLEANED: dict[bytes, bytes] = {}  # a part kept as bytes → the same without blue and rules (per process)


def _without_rules(blob: bytes) -> bytes:
    """``blob`` (an XML part python-docx keeps unparsed) with theme blue black and no paragraph border;
    remembered, as every report of a batch carries the same theme and ``stylesWithEffects.xml``."""
    done = _CLEANED.get(blob)
    if done is not None:
        return done
    original = blob
    for blue in _DEFAULT_BLUES:
        blob = blob.replace(blue, b"000000").replace(blue.lower(), b"000000")
    if b"pBdr" in blob:
        root = etree.fromstring(blob)
        for border in list(root.iter(qn("w:pBdr"))):
            border.getparent().remove(border)
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if len(_CLEANED) >= 64:
        _CLEANED.clear()
    _CLEANED[original] = blob
    return blob


_KEEP_STYLES = ("Heading", "Caption", "Table Unit", "Annex Label", "Annex Title", "Title", "Cover Title")


def space_after_tables(document: Document, layout: dict[str, Any]) -> None:
    """The paragraph right after a table starts half a line below it, not against its bottom border."""
    half = _twips(float(layout["styles"]["Normal"]["line_pt"]) / 2)
    for tbl in document.element.body.iterchildren(qn("w:tbl")):
        p = tbl.getnext()
        if p is None or p.tag != qn("w:p"):
            continue
        ppr = p.get_or_add_pPr()
        spacing = ppr.find(qn("w:spacing"))
        if spacing is None:
            spacing = OxmlElement("w:spacing")
            _insert_ppr(ppr, spacing)
        spacing.set(qn("w:before"), half)


# pPr children after w:spacing, in schema order
_AFTER_PPR_SPACING = ppr_after("w:spacing")


def _insert_ppr(ppr, element) -> None:
    for tag in _AFTER_PPR_SPACING:
        found = ppr.find(qn(tag))
        if found is not None:
            found.addprevious(element)
            return
    ppr.append(element)


def keep_with_next(document: Document) -> None:
    """A heading, a table's title and its unit line never end a page: they keep with what follows.

    Styles say so already (``apply_styles``); set on the paragraphs too, so a
    template's direct formatting cannot undo it, and on any short paragraph
    ending in a colon right before a table (``…明细如下：``).
    """
    names = ui_names(document)
    body = document.element.body
    for p in body.iterchildren(qn("w:p")):
        ppr = p.find(qn("w:pPr"))
        ps = ppr.find(qn("w:pStyle")) if ppr is not None else None
        name = names.get(ps.get(qn("w:val")), "") if ps is not None else ""
        nxt = p.getnext()
        before_table = nxt is not None and nxt.tag == qn("w:tbl")
        text = "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
        if name.startswith(_KEEP_STYLES) or (before_table and text.endswith(("：", ":"))):
            _set_keep_next(p)


def _set_keep_next(p) -> None:
    ppr = p.get_or_add_pPr()
    if ppr.find(qn("w:keepNext")) is None:
        ppr.insert(1 if ppr.find(qn("w:pStyle")) is not None else 0, OxmlElement("w:keepNext"))


MAX_CONDENSE_EM = 0.08  # at most this much tighter per character


def tighten_headings(document: Document, layout: dict[str, Any]) -> None:
    """A heading that would leave one or two characters alone on its last line is set a little tighter.

    Widths are estimated per character (CJK one em); the heading gets negative
    character spacing just enough to pull its last line back, never more than
    :data:`MAX_CONDENSE_EM` per character.
    """
    page = layout["page"]
    width_pt = (float(page["width_mm"]) - float(page["left_mm"]) - float(page["right_mm"])) / 25.4 * 72
    names = ui_names(document)
    for p in document.element.body.iterchildren(qn("w:p")):
        ppr = p.find(qn("w:pPr"))
        ps = ppr.find(qn("w:pStyle")) if ppr is not None else None
        name = names.get(ps.get(qn("w:val")), "") if ps is not None else ""
        spec = layout["styles"].get(name)
        if not name.startswith("Heading") or spec is None:
            continue
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        size = float(spec["size_pt"])
        room = width_pt / size - float(spec.get("first_line_chars", 0))  # first line, in em
        total = text_em(text)
        full = int(room)  # whole characters on the first line
        overflow = total - full
        if not 0 < overflow <= 2 or total > room + full:  # only a short second line of a two-line heading
            continue
        condense = (total - (room - 0.15)) / len(text)
        if condense > MAX_CONDENSE_EM:
            continue
        twentieths = -int(condense * size * 20 + 0.999)
        for r in p.iter(qn("w:r")):
            rpr = r.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                r.insert(0, rpr)
            spacing = rpr.find(qn("w:spacing"))
            if spacing is None:
                spacing = OxmlElement("w:spacing")
                _insert_rpr(rpr, spacing)
            spacing.set(qn("w:val"), str(twentieths))


# rPr children after w:spacing, in schema order
_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)


def _insert_rpr(rpr, element) -> None:
    for tag in _AFTER_SPACING:
        found = rpr.find(qn(tag))
        if found is not None:
            found.addprevious(element)
            return
    rpr.append(element)


def keep_signature_together(name) -> None:
    """The last paragraph of the body kept on the page of the 署名 (``name``), and the 署名 on the
    page of the 成文日期 after it: a signature is never printed alone at the top of a page.

    ``w:keepNext`` on the 署名 and back to the last paragraph with text (the empty ones between
    too); a table before the signature is not held (a table row's keep would hold the whole table).
    """
    _set_keep_next(name)
    p = name.getprevious()
    while p is not None and p.tag == qn("w:p"):
        _set_keep_next(p)
        if "".join(t.text or "" for t in p.iter(qn("w:t"))).strip():
            break
        p = p.getprevious()


def place_signature(document: Document, layout: dict[str, Any]) -> None:
    """发文机关署名 and 成文日期 (two ``Signature`` paragraphs) placed as GB/T 9704-2012 7.3.5.2 says.

    The name right-indented two characters, the date on the next line starting two characters
    right of the name's first character; a date longer than that is right-indented two
    characters and the name moves left accordingly.
    """
    spec = layout["styles"].get("Signature")
    if spec is None:
        return
    names = ui_names(document)
    signature = []
    for p in document.element.body.iterchildren(qn("w:p")):
        ppr = p.find(qn("w:pPr"))
        ps = ppr.find(qn("w:pStyle")) if ppr is not None else None
        if ps is not None and names.get(ps.get(qn("w:val"))) == "Signature":
            signature.append(p)
    if len(signature) != 2:
        return
    keep_signature_together(signature[0])
    name_em, date_em = (text_em("".join(t.text or "" for t in p.iter(qn("w:t"))).strip()) for p in signature)
    name_right = 2.0
    date_right = name_right + name_em - date_em - 2
    if date_right < 2:
        date_right = 2.0
        name_right = date_right + date_em + 2 - name_em
    size = float(spec["size_pt"])
    for p, right in zip(signature, (name_right, date_right), strict=True):
        ppr = p.get_or_add_pPr()
        ind = ppr.find(qn("w:ind"))
        if ind is None:
            ind = OxmlElement("w:ind")
            anchor = next((ppr.find(qn(t)) for t in ppr_after("w:ind") if ppr.find(qn(t)) is not None), None)
            if anchor is not None:
                anchor.addprevious(ind)
            else:
                ppr.append(ind)
        ind.set(qn("w:right"), _twips(right * size))


def apply_layout(
    document: Document,
    layout: dict[str, Any],
    title: TitleHints | None = None,
    styles: bool = True,
    body_clean: bool = False,
) -> None:
    """Apply the whole shared layout to ``document`` in place (``styles=False``: but for the
    styles, applied already to the template it was rendered from; ``body_clean``: see
    :func:`remove_rules`)."""
    if styles:
        apply_styles(document, layout["styles"])
    apply_page(document, layout["page"], layout["page_number"])
    remove_rules(document, styles=styles, body_clean=body_clean)
    apply_titles(document, layout, title)
    fit_tables(document, layout)
    keep_with_next(document)
    space_after_tables(document, layout)
    tighten_headings(document, layout)
    place_signature(document, layout)

"""Apply the shared GB/T 9704 layout (``templates/_base/layout.yaml``) to a document.

Every format's template keeps only its content and wording; page setup, the
styles' fonts and sizes, and the page-number footer come from this one place.
Chinese fonts are set through ``w:eastAsia`` on the styles (python-docx's
``font.name`` sets only the Latin font).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .errors import FormatError
from .load import load_yaml

_ALIGN = {"left": "left", "right": "right", "center": "center", "justify": "both"}


def load_layout(templates_dir: Path) -> dict[str, Any]:
    path = Path(templates_dir) / "_base" / "layout.yaml"
    if not path.is_file():
        raise FormatError(f"{path}: 找不到共用版式文件")
    raw = path.read_bytes()
    key = (str(path), raw)
    if key not in _LOADED:  # read once per run: keyed by the file's bytes
        _LOADED.clear()
        _LOADED[key] = load_yaml(path).data
    return _LOADED[key]


_LOADED: dict[tuple[str, bytes], dict[str, Any]] = {}


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
    for tag in ("w:rFonts", "w:b", "w:bCs", "w:i", "w:color", "w:sz", "w:szCs", "w:kern"):
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
        ind.set(qn("w:left"), _twips(size * left))
    hanging = spec.get("hanging_chars", 0)
    if hanging:  # the first line starts ``hanging`` characters left of the others
        ind.set(qn("w:hangingChars"), str(int(hanging * 100)))
        ind.set(qn("w:hanging"), _twips(size * hanging))
    else:
        chars = spec.get("first_line_chars", 0)
        ind.set(qn("w:firstLineChars"), str(int(chars * 100)))
        ind.set(qn("w:firstLine"), _twips(size * chars))
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
    for name, spec in styles.items():
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


def _page_number_paragraph(paragraph, spec: dict[str, Any], align: str) -> None:
    """Fill ``paragraph`` with ``— PAGE —`` as a field, in the page-number font."""
    p = paragraph._p
    for child in list(p):
        p.remove(child)
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
    """A4 page, GB/T 9704 margins, and page numbers in the footer."""
    odd_even = apply_settings(document, number)
    for section in document.sections:
        section.page_width = Mm(page["width_mm"])
        section.page_height = Mm(page["height_mm"])
        section.top_margin = Mm(page["top_mm"])
        section.bottom_margin = Mm(page["bottom_mm"])
        section.left_margin = Mm(page["left_mm"])
        section.right_margin = Mm(page["right_mm"])
        section.footer_distance = Mm(page["footer_mm"])
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


def apply_layout(document: Document, layout: dict[str, Any]) -> None:
    """Apply the whole shared layout to ``document`` in place."""
    apply_styles(document, layout["styles"])
    apply_page(document, layout["page"], layout["page_number"])

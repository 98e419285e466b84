"""Landscape sections: a wide table (a bureau's 自评表) on a page of its own, turned.

``layout.yaml`` describes the portrait page (GB/T 9704-2012: A4, 天头 37 mm, 订口 28 mm).
A landscape page is that sheet turned a quarter, its top to the binding edge, as bound
documents turn them: the text block stays where it is on the paper, so the landscape
page's top margin is the portrait's left (订口), its bottom the portrait's right, its
left the portrait's bottom and its right the portrait's top; the page number stays
as far below the text block as on a portrait page.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn


def landscape_page(page: dict[str, Any]) -> dict[str, Any]:
    """The page spec of ``layout.yaml`` (portrait) turned to landscape."""
    turned = dict(page)
    turned.update(
        width_mm=page["height_mm"],
        height_mm=page["width_mm"],
        top_mm=page["left_mm"],
        bottom_mm=page["right_mm"],
        left_mm=page["bottom_mm"],
        right_mm=page["top_mm"],
    )
    if "footer_mm" in page:  # as far below the text block as on the portrait page
        below = float(page["bottom_mm"]) - float(page["footer_mm"])
        turned["footer_mm"] = max(float(page["right_mm"]) - below, 0.0)
    return turned


def is_landscape(sect_pr) -> bool:
    """A section set landscape: ``w:orient="landscape"``, or a page wider than high."""
    size = sect_pr.find(qn("w:pgSz")) if sect_pr is not None else None
    if size is None:
        return False
    if size.get(qn("w:orient")) == "landscape":
        return True
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    return bool(width and height and width.isdigit() and height.isdigit() and int(width) > int(height))


def section_of(body) -> dict[Any, Any]:
    """Each child of ``body`` -> the ``w:sectPr`` of its section (the next one at or after it)."""
    current = body.find(qn("w:sectPr"))
    found: dict[Any, Any] = {}
    for child in reversed(list(body)):
        if child.tag == qn("w:p"):
            own = child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
            if own is not None:
                current = own
        found[child] = current
    return found

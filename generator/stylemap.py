"""A document's paragraph style ids and names, read once per document instead of once per layout step.

``ui_names`` is what ``{s.style_id: s.name for s in document.styles}`` gives (python-docx's
UI names: ``heading 1`` reads ``Heading 1``); ``raw_names`` the ``w:name`` values as written,
for styles that have one. Both come from one scan of ``styles.xml``, kept for the last
few styles elements seen (a batch's reports of one format share theirs: generator.docxcache) and
scanned again when their number changes (the layout steps add styles, never rename them).
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from docx.styles import BabelFish

_STYLE, _NAME, _VAL, _ID = qn("w:style"), qn("w:name"), qn("w:val"), qn("w:styleId")


class _Scan:
    def __init__(self, element: Any) -> None:
        self.element = element  # kept alive, so that ``is`` recognises it next time
        self.count = len(element)
        self.ui: dict[Any, Any] = {}
        self.raw: dict[Any, Any] = {}
        self.first_normal: str | None = None
        self.pairs: list[tuple[Any, str | None]] = []  # (style id, w:name or None), in document order
        found = False
        for style in element.iterchildren(_STYLE):
            style_id = style.get(_ID)
            name_el = style.find(_NAME)
            name = name_el.get(_VAL) if name_el is not None else None
            ui = BabelFish.internal2ui(name) if name is not None else None
            self.ui[style_id] = ui
            self.pairs.append((style_id, name))
            if name_el is not None:
                self.raw[style_id] = name
            if not found and ui == "Normal":
                self.first_normal, found = style_id, True


_SCANS: dict[int, _Scan] = {}  # id(styles element) → its scan (the scan keeps the element alive)
_SCANS_KEPT = 6  # each keeps its styles element (a parsed styles.xml) alive


def _scan(document: Any) -> _Scan:
    element = document.styles.element
    last = _SCANS.get(id(element))
    if last is None or last.element is not element or last.count != len(element):
        if len(_SCANS) >= _SCANS_KEPT:
            del _SCANS[next(iter(_SCANS))]
        last = _SCANS[id(element)] = _Scan(element)
    return last


def ui_names(document: Any) -> dict[Any, Any]:
    """``{style_id: UI name}`` of every style, as python-docx names them (do not change the dict)."""
    return _scan(document).ui


def raw_names(document: Any) -> dict[Any, Any]:
    """``{style_id: w:name}`` of the styles that have a name (do not change the dict)."""
    return _scan(document).raw


def normal_id(document: Any) -> str | None:
    """The id of the first style named ``Normal``."""
    return _scan(document).first_normal


def name_pairs(document: Any) -> list[tuple[Any, str | None]]:
    """``(style id, w:name or None)`` of every style, in document order (do not change the list)."""
    return _scan(document).pairs

"""Child rows indented under their parent (the format's ``child_row_indent``).

``context.numbered_rows`` puts one :data:`MARK` per character of indent before
a child row's label; :func:`indent_marked_cells` turns the marks into the cell
paragraph's left indent after rendering, so the text itself stays the row's
name (for ``reportgen text``, diff and redline) and the indent is layout only.
The mark is a noncharacter no text of a report contains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # python-docx only where a document is worked on: check never loads it
    from docx.document import Document

MARK = "\ufdd1"


def indent_marked_cells(document: Document, size_pt: float = 12) -> None:
    """Strip the leading marks of every table paragraph and indent it that many characters."""
    from docx.oxml import OxmlElement

    from .qnames import ppr_after, qn

    for p in document.element.body.iter(qn("w:p")):
        texts = list(p.iter(qn("w:t")))
        if not texts or not "".join(t.text or "" for t in texts).startswith(MARK):
            continue
        count = 0
        for t in texts:
            text = t.text or ""
            stripped = text.lstrip(MARK)
            count += len(text) - len(stripped)
            t.text = stripped
            if stripped:
                break
        ppr = p.get_or_add_pPr()
        ind = ppr.find(qn("w:ind"))
        if ind is None:
            ind = OxmlElement("w:ind")
            after = [ppr.find(qn(tag)) for tag in ppr_after("w:ind")]
            anchor = next((a for a in after if a is not None), None)
            if anchor is not None:
                anchor.addprevious(ind)
            else:
                ppr.append(ind)
        ind.set(qn("w:leftChars"), str(count * 100))
        ind.set(qn("w:left"), str(int(round(count * size_pt * 20))))

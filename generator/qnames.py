"""Qualified XML names (``w:p`` → ``{http://…/main}p``), each computed once.

python-docx's ``qn`` splits and formats on every call; the layout steps ask for the same
few dozen names some 5,000 times per report.
"""

from __future__ import annotations

import functools

from docx.oxml.ns import qn as _qn

qn = functools.cache(_qn)


# The children of w:pPr in the order the schema (CT_PPr) requires; a new child goes before the
# first present one of those that follow it.
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def ppr_after(tag: str) -> tuple[str, ...]:
    """The w:pPr children that must come after ``tag``, in schema order."""
    return PPR_ORDER[PPR_ORDER.index(tag) + 1 :]

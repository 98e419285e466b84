"""Qualified XML names (``w:p`` → ``{http://…/main}p``), each computed once.

python-docx's ``qn`` splits and formats on every call; the layout steps ask for the same
few dozen names some 5,000 times per report.
"""

from __future__ import annotations

import functools

from docx.oxml.ns import qn as _qn

qn = functools.cache(_qn)

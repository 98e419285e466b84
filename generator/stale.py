"""Year-bound phrases: words in a narrative that are true for one year only.

A report is written by copying last year's, so a paragraph that mentions a
year, the epidemic or "本年/上年" is the first place a forgotten edit hides
(a 2024 report that still blames 疫情).  These are flagged for a person to
read, never rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

YEAR = "年份"
EPIDEMIC = "疫情"
RELATIVE = "相对年份"

_PATTERNS = [
    (YEAR, re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)(?=\s*(?:年|-\d|届|版))")),
    (EPIDEMIC, re.compile(r"疫情|新冠|防疫|抗疫|核酸|新型冠状病毒")),
    (RELATIVE, re.compile(r"上一?年度?|去年|今年|本年度?|明年|下一?年度?|前年|同比")),
]


@dataclass(frozen=True)
class Phrase:
    kind: str  # YEAR, EPIDEMIC or RELATIVE
    text: str
    start: int

    def context(self, source: str, width: int = 12) -> str:
        """The phrase with a few characters either side: ``…开展2023年度单位…``."""
        lo = max(0, self.start - width)
        hi = min(len(source), self.start + len(self.text) + width)
        return ("…" if lo else "") + source[lo:hi] + ("…" if hi < len(source) else "")


def find(text: str) -> list[Phrase]:
    """Every year-bound phrase of ``text``, in order."""
    found = [Phrase(kind, m.group(), m.start()) for kind, pattern in _PATTERNS for m in pattern.finditer(text)]
    return sorted(found, key=lambda p: p.start)


def summary(text: str) -> list[str]:
    """The distinct phrases of ``text``, in order: ``["2023年", "疫情"]``."""
    seen: list[str] = []
    for phrase in find(text):
        word = phrase.text + ("年" if phrase.kind == YEAR else "")
        if word not in seen:
            seen.append(word)
    return seen

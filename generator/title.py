"""Break a report's title into lines the GB/T 9704-2012 (7.3.3) way.

A title too long for one line is set on two or more, "回行时要做到词意完整，
排列对称，长短适宜，间距恰当" — words whole, lines balanced (梯形 or 菱形), and
never a line of one or two characters.  Breaks are looked for first at the
title's natural joints (after ``2023年度``, after the department's name and
its parts — ``中共某市委`` | ``网络安全和信息化委员会办公室`` — and before
``部门整体支出绩效…``), then, only if those cannot fit, between any two words
(:func:`generator.textfit.words`).  A data file may give the lines itself
(``title_lines:``); they must join to exactly the title.
"""

from __future__ import annotations

import re
from copy import deepcopy
from itertools import combinations

from .errors import DataError, Problem
from .record import Frozen
from .textfit import break_positions, text_em

# python-docx (qnames, stylemap, OxmlElement) is imported by the functions that work on a
# document: check, which breaks no title, never loads it

MIN_LINE_CHARS = 3
MAX_LINES = 4

# natural joints: (pattern, which end of the match is a break)
_JOINTS = (
    (re.compile(r"\d{4}年度?"), "both"),
    (re.compile(r"部门整体"), "start"),
    (re.compile(r"中共.+?[省市区县]委(?=.)"), "end"),
    (re.compile(r"(委员会办公室|委员会|办公室|人民政府|局)(?=.)"), "end"),
)


def joints(text: str, keep: tuple[str, ...] = ()) -> list[int]:
    """Offsets of the title's natural joints (never inside a name in ``keep``)."""
    found: set[int] = set()
    for pattern, side in _JOINTS:
        for match in pattern.finditer(text):
            if side in ("start", "both"):
                found.add(match.start())
            if side in ("end", "both"):
                found.add(match.end())
    for name in keep:  # the department's name is a unit at both ends
        start = text.find(name)
        if start >= 0:
            found.update((start, start + len(name)))
    return sorted(i for i in found if 0 < i < len(text))


def break_title(text: str, capacity_em: float, keep: tuple[str, ...] = ()) -> list[str]:
    """The title's lines: the fewest that fit ``capacity_em``, as balanced as possible."""
    if text_em(text) <= capacity_em:
        return [text]
    natural = joints(text, keep)
    for cuts in (natural, sorted(set(natural) | set(break_positions(text, keep)))):
        best = _best(text, cuts, capacity_em)
        if best is not None:
            return best
    return [text]


def _best(text: str, cuts: list[int], capacity_em: float) -> list[str] | None:
    for n in range(2, MAX_LINES + 1):
        candidates = []
        for chosen in combinations(cuts, n - 1):
            bounds = (0, *chosen, len(text))
            lines = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
            ems = [text_em(line) for line in lines]
            if max(ems) > capacity_em or min(len(line) for line in lines) < MIN_LINE_CHARS:
                continue
            candidates.append(((max(ems) - min(ems), max(ems)), lines))
        if candidates:
            return min(candidates)[1]
    return None


def title_problem(lines: tuple[str, ...], title: str, capacity_em: float) -> str | None:
    """What is wrong with lines a data file gives for ``title``, in Chinese, or None."""
    joined = "".join(lines)
    if joined != title:
        return f"各行连起来是“{joined}”，与报告标题“{title}”不一致（只能在标题中间分行，不能增删改字）"
    for line in lines:
        if not line:
            return "不能有空行"
        if text_em(line) > capacity_em:
            return f"“{line}”太长，一行放不下（每行最多约 {int(capacity_em)} 个字）"
    return None


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class TitleHints(Frozen):
    """What the layout step knows about the title beyond its text."""

    _fields = ("keep", "lines", "path", "line")
    keep: tuple[str, ...]  # names never broken (the department's)
    lines: tuple[str, ...] | None  # the data file's ``title_lines:``
    path: str
    line: int | None

    def __init__(
        self, keep: tuple[str, ...] = (), lines: tuple[str, ...] | None = None, path: str = "", line: int | None = None
    ) -> None:
        _set(self, "keep", keep)
        _set(self, "lines", lines)
        _set(self, "path", path)
        _set(self, "line", line)


TITLE_STYLES = ("Title", "Cover Title", "Annex Title")


def _style_name(p, names: dict[str, str]) -> str:
    from .qnames import qn

    ppr = p.find(qn("w:pPr"))
    ps = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return names.get(ps.get(qn("w:val")), "") if ps is not None else ""


def set_lines(p, lines: list[str]) -> None:
    """Rewrite paragraph ``p``'s text as ``lines`` joined by line breaks (first run's format)."""
    from docx.oxml import OxmlElement

    from .qnames import qn

    runs = p.findall(qn("w:r"))
    rpr = next((r.find(qn("w:rPr")) for r in runs if r.find(qn("w:rPr")) is not None), None)
    for r in runs:
        p.remove(r)
    for i, text in enumerate(lines):
        r = OxmlElement("w:r")
        if rpr is not None:
            r.append(deepcopy(rpr))
        if i:
            r.append(OxmlElement("w:br"))
        for j, piece in enumerate(text.split("\t")):
            if j:
                r.append(OxmlElement("w:tab"))
            if piece:
                t = OxmlElement("w:t")
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                t.text = piece
                r.append(t)
        p.append(r)


def paragraph_text(p) -> str:
    """The paragraph's text with its tabs (the runs' ``w:t`` and ``w:tab``)."""
    from .qnames import qn

    return "".join("\t" if el.tag == qn("w:tab") else el.text or "" for el in p.iter(qn("w:t"), qn("w:tab")))


def title_capacity(layout: dict, style: str) -> float:
    """How many ems of ``style`` a line of the text width holds (half an em kept free)."""
    page = layout["page"]
    width_pt = (float(page["width_mm"]) - float(page["left_mm"]) - float(page["right_mm"])) / 25.4 * 72
    return width_pt / float(layout["styles"][style]["size_pt"]) - 0.5


def apply_titles(document, layout: dict, hints: TitleHints | None = None) -> None:
    """Break every title paragraph (``TITLE_STYLES``) into GB/T 9704 lines."""
    from .qnames import qn
    from .stylemap import raw_names

    hints = hints or TitleHints()
    names = raw_names(document)
    for p in document.element.body.iter(qn("w:p")):
        style = _style_name(p, names)
        if style not in TITLE_STYLES or p.find(f".//{qn('w:br')}") is not None:
            continue
        text = paragraph_text(p)
        if (
            not text.strip()
            or p.find(f".//{qn('w:fldChar')}") is not None
            or p.find(f".//{qn('w:drawing')}") is not None
        ):
            continue
        capacity = title_capacity(layout, style)
        if style == "Title" and hints.lines is not None:
            problem = title_problem(hints.lines, text, capacity)
            if problem:
                raise DataError([Problem(hints.path, hints.line, "title_lines", problem)])
            lines = list(hints.lines)
        else:
            lines = break_title(text, capacity, hints.keep)
        if len(lines) > 1:
            set_lines(p, lines)

"""Check a report's printed pages: what the layout step promises, read back from the PDF.

LibreOffice converts the .docx (``generator.preview``); poppler's
``pdftotext -bbox-layout`` gives every printed line with its position.  The
.docx says what should be there: the table cells' figures and header lines,
the headings, the titles.  A problem names the page and the text:

- a table figure, or a header line of up to :data:`SHORT` characters, that no
  printed line holds whole (it was split across lines);
- a heading, a table title or its unit line as the last line of a page, or a
  heading whose second line holds only one or two characters;
- a title line of one or two characters, or one that ends inside a word;
- a table cell whose last printed line is one Chinese character (社会保障和就业支／出);
- text beyond the left or right margin (a table wider than the text); a landscape page's
  margins are the portrait's turned (:func:`generator.sections.landscape_page`).
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from .sections import landscape_page
from .tablefit import is_figure
from .textfit import break_positions
from .title import TITLE_STYLES, joints

SHORT = 6  # a header line this short must print on one line
MM = 72 / 25.4
TOLERANCE = 2.0  # points
_KEEP = ("Heading", "Caption", "Table Unit", "Annex Label", "Annex Title")
_PAGE_NUMBER = re.compile(r"^[—–-]\s*\d+\s*[—–-]$")
_XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    page: int
    text: str  # whitespace removed
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class PageProblem:
    page: int
    text: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.page} 页：“{self.text}”{self.message}"


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]


def read_pdf(pdf: Path) -> list[Page]:
    """Every page's text lines with their boxes (``pdftotext -bbox-layout``)."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True, timeout=120
    ).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True, huge_tree=True))
    pages = []
    for number, page in enumerate(root.iter(f"{_XHTML}page"), start=1):
        lines = []
        for line in page.iter(f"{_XHTML}line"):
            words = list(line.iter(f"{_XHTML}word"))
            text = "".join((w.text or "").strip() for w in words)
            if not text:
                continue
            box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            lines.append(Line(number, text, *box))
        pages.append(Page(number, float(page.get("width")), float(page.get("height")), lines))
    return pages


@dataclass(frozen=True)
class Expected:
    """What the .docx says must print whole."""

    tokens: list[str]  # table figures and short header lines
    keeps: list[str]  # headings, table titles, unit lines
    titles: list[str]  # title paragraphs (text without breaks)
    keep_words: tuple[str, ...]  # names never broken (the department's)
    cells: tuple[str, ...] = ()  # table cells' texts (each line of a cell broken by line breaks)


def _plain(p) -> list[str]:
    """A paragraph's text split at its line breaks."""
    pieces = [""]
    for el in p.iter(qn("w:t"), qn("w:br")):
        if el.tag == qn("w:br"):
            pieces.append("")
        else:
            pieces[-1] += el.text or ""
    return [re.sub(r"\s+", "", piece) for piece in pieces]


def expected(docx: Path, keep_words: tuple[str, ...] = ()) -> Expected:
    doc = Document(str(docx))
    names = {s.style_id: s.name for s in doc.styles}

    def style(p) -> str:
        ppr = p.find(qn("w:pPr"))
        ps = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return names.get(ps.get(qn("w:val")), "") if ps is not None else ""

    tokens: list[str] = []
    cells: list[str] = []
    for tc in doc.element.body.iter(qn("w:tc")):
        for p in tc.iter(qn("w:p")):
            header = "Header" in style(p)
            for piece in _plain(p):
                if piece and (is_figure(piece) or (header and len(piece) <= SHORT)):
                    tokens.append(piece)
                elif len(piece) >= 3:
                    cells.append(piece)
    keeps, titles = [], []
    for p in doc.element.body.iterchildren(qn("w:p")):
        name = style(p)
        text = "".join(_plain(p))
        if not text:
            continue
        if name in TITLE_STYLES:
            titles.append(text)
        if name.startswith(_KEEP):
            keeps.append(text)
    return Expected(sorted(set(tokens), key=tokens.index), keeps, titles, keep_words, tuple(dict.fromkeys(cells)))


def check_pages(pages: list[Page], want: Expected, margins: dict[str, Any]) -> list[PageProblem]:
    problems: list[PageProblem] = []
    all_lines = [line for page in pages for line in page.lines]
    # 1. figures and short headers whole on one line
    for token in want.tokens:
        if any(token in line.text for line in all_lines):
            continue
        heads = [token[:n] for n in range(len(token) - 1, 0, -1)]
        where = next((line for head in heads for line in all_lines if line.text == head), None)  # a cell's first line
        where = where or next((line for head in heads for line in all_lines if line.text.endswith(head)), None)
        problems.append(PageProblem(where.page if where else 0, token, "在表格中被拆成了两行"))
    portrait = margins
    for page in pages:
        margins = landscape_page(portrait) if page.width > page.height else portrait
        bottom = page.height - float(margins["bottom_mm"]) * MM + TOLERANCE
        body = [line for line in page.lines if line.y1 <= bottom and not _PAGE_NUMBER.match(line.text)]
        # 2. no heading, table title or unit line at the foot of a page
        if body:
            last = max(body, key=lambda line: (line.y1, line.x0))
            for keep in want.keeps:
                if keep.startswith(last.text) and len(last.text) >= min(len(keep), 4):
                    problems.append(
                        PageProblem(page.number, last.text, "是本页最后一行（标题、表题或单位行应与下文同页）")
                    )
                    break
        # a heading's last line of one or two characters
        ordered = sorted(body, key=lambda line: (line.y0, line.x0))
        for prev, line in zip(ordered, ordered[1:], strict=False):
            if len(line.text) <= 2 and prev.text + line.text in want.keeps:
                problems.append(PageProblem(page.number, prev.text + "／" + line.text, "：标题回行只剩一两个字"))
        problems.extend(_cell_orphans(page, want))
        # 3. titles
        problems.extend(_title_problems(page, body, want))
        # 4. margins
        left = float(margins["left_mm"]) * MM - TOLERANCE
        right = page.width - float(margins["right_mm"]) * MM + TOLERANCE
        for line in page.lines:
            if line.x0 < left or line.x1 > right:
                problems.append(PageProblem(page.number, line.text, "超出了版心（左右页边距）"))
    return problems


def _cell_orphans(page: Page, want: Expected) -> list[PageProblem]:
    """Table cells whose last line is one Chinese character: a line of one ideograph right below a
    line of the same cell (horizontally within it) that, joined to it, ends a cell's text."""
    problems = []
    for line in page.lines:
        if len(line.text) != 1 or unicodedata.category(line.text) != "Lo":
            continue
        height = line.y1 - line.y0
        for above in page.lines:
            if not (
                0 <= line.y0 - above.y1 <= height
                and above.x0 - TOLERANCE <= line.x0
                and line.x1 <= above.x1 + TOLERANCE
                and len(above.text) >= 2
            ):
                continue
            joined = above.text + line.text
            if any(cell.endswith(joined) for cell in want.cells):
                problems.append(PageProblem(page.number, above.text + "／" + line.text, "：表格单元格回行只剩一个字"))
                break
    return problems


def _title_problems(page: Page, body: list[Line], want: Expected) -> list[PageProblem]:
    problems = []
    big = sorted((line for line in body if line.y1 - line.y0 >= 24), key=lambda line: line.y0)
    groups: list[list[Line]] = []
    for line in big:
        if groups and line.y0 - groups[-1][-1].y1 < 30:
            groups[-1].append(line)
        else:
            groups.append([line])
    for group in groups:
        if len(group) < 2:
            continue
        joined = "".join(line.text for line in group)
        for line in group:
            if len(line.text) <= 2:
                problems.append(PageProblem(page.number, line.text, "是标题中只有一两个字的一行"))
        if joined not in want.titles:
            continue
        allowed = set(joints(joined, want.keep_words)) | set(break_positions(joined, want.keep_words))
        offset = 0
        for line in group[:-1]:
            offset += len(line.text)
            if offset not in allowed:
                problems.append(PageProblem(page.number, line.text, "是标题的一行，在词中间断开"))
    return problems


def check_pdf(pdf: Path, docx: Path, layout: dict[str, Any], keep_words: tuple[str, ...] = ()) -> list[PageProblem]:
    """Every layout problem of ``pdf`` (converted from ``docx``)."""
    return check_pages(read_pdf(pdf), expected(docx, keep_words), layout["page"])

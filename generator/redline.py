"""A redlined Word document: year B's report with tracked changes against year A's.

The result is B's document in which every difference from A is a Word
revision (``w:ins`` / ``w:del`` with author and date): a reviewer accepts or
rejects each one in Word or LibreOffice.  Accepting all of them gives B's
report; rejecting all of them gives A's text.  Paragraphs are matched with
:func:`generator.outline.align` (by section heading, then by likeness) and
compared character by character; tables are compared row by row (rows matched
by their label) and cell by cell, so a changed number is tracked in its cell.
A row whose cell layout changed (cells merged or spanned differently, as when
a year names a scoring level the other leaves unnamed) is tracked as a whole:
A's row deleted, B's inserted, since a cell's merge is not a text revision.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from . import outline, textdiff
from .flat import normalise_name
from .write import normalize_docx

AUTHOR = "reportgen"

_SIMPLE_CHILDREN = {qn("w:pPr"), qn("w:r"), qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:proofErr")}
_UNSAFE_IN_COPY = ("w:drawing", "w:pict", "w:object", "w:numPr", "w:footnoteReference", "w:endnoteReference")


@dataclass
class Counts:
    inserted: int = 0
    deleted: int = 0


class Marks:
    """Makes the revision elements: unique ids, one author, one date."""

    def __init__(self, author: str, date: dt.datetime, first_id: int):
        self.author = author
        self.date = date.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = first_id
        self.counts = Counts()

    def make(self, tag: str) -> BaseOxmlElement:
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.next_id))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        self.next_id += 1
        if tag == "w:ins":
            self.counts.inserted += 1
        elif tag == "w:del":
            self.counts.deleted += 1
        return element


# --- runs --------------------------------------------------------------------------------


def _run_text(r) -> str:
    return r.text  # CT_R.text: w:t, w:tab, w:br … as Run.text gives them


def _make_run(rpr, text: str, deleted: bool = False) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    tag = "w:delText" if deleted else "w:t"
    buffer = ""

    def flush():
        nonlocal buffer
        if buffer:
            t = OxmlElement(tag)
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = buffer
            run.append(t)
            buffer = ""

    for ch in text:
        if ch == "\t":
            flush()
            run.append(OxmlElement("w:tab"))
        elif ch == "\n":
            flush()
            run.append(OxmlElement("w:br"))
        else:
            buffer += ch
    flush()
    return run


def _wrap(marks: Marks, tag: str, runs: list) -> BaseOxmlElement:
    wrapper = marks.make(tag)
    for run in runs:
        wrapper.append(run)
    return wrapper


def _mark_paragraph(p, marks: Marks, tag: str) -> None:
    """Mark a paragraph's own mark (its end) as inserted or deleted."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        before = [c for c in ppr if c.tag in (qn("w:sectPr"), qn("w:pPrChange"))]
        if before:
            before[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, marks.make(tag))


def mark_inserted(p, marks: Marks) -> None:
    """A paragraph that only B has: its runs and its mark are insertions."""
    for r in list(p.iter(qn("w:r"))):
        if _run_text(r):
            wrapper = marks.make("w:ins")
            r.addprevious(wrapper)
            wrapper.append(r)
    _mark_paragraph(p, marks, "w:ins")


def mark_deleted(p, marks: Marks) -> None:
    """A paragraph that only A has (a copy put into B): its runs and its mark are deletions."""
    for r in list(p.iter(qn("w:r"))):
        for t in r.findall(qn("w:t")):
            t.tag = qn("w:delText")
        if _run_text_deleted(r):
            wrapper = marks.make("w:del")
            r.addprevious(wrapper)
            wrapper.append(r)
    _mark_paragraph(p, marks, "w:del")


def _run_text_deleted(r) -> str:
    return "".join(t.text or "" for t in r.iter(qn("w:delText"))) or _run_text(r)


def _clean_copy(element):
    """A deep copy of A's element that is safe inside B (no references to A's parts)."""
    element = copy.deepcopy(element)
    for tag in _UNSAFE_IN_COPY:
        for found in list(element.iter(qn(tag))):
            found.getparent().remove(found)
    return element


def rewrite(p, ops: list[textdiff.Op], marks: Marks, fallback_rpr=None) -> bool:
    """Replace B's paragraph ``p`` by the tracked edit ``ops`` (from A's text to B's).

    Each piece keeps the formatting of the run it comes from.  Returns False,
    leaving ``p`` as it is, for a paragraph too complex to rewrite safely.
    """
    if any(child.tag not in _SIMPLE_CHILDREN for child in p):
        return False
    runs = [r for r in p if r.tag == qn("w:r")]
    pieces = [(_run_text(r), r.find(qn("w:rPr"))) for r in runs]
    pieces = [(text, rpr) for text, rpr in pieces if text]
    if "".join(text for text, _ in pieces) != textdiff.new_text(ops):
        return False
    if any(r.find(qn("w:drawing")) is not None or r.find(qn("w:fldChar")) is not None for r in runs):
        return False
    for r in runs:
        p.remove(r)
    cursor = [0, 0]  # (piece, offset within the piece)

    def rpr_here():
        index = min(cursor[0], len(pieces) - 1)
        return pieces[index][1] if pieces else fallback_rpr

    def take(length: int) -> list:
        out = []
        while length > 0:
            text, rpr = pieces[cursor[0]]
            chunk = text[cursor[1] : cursor[1] + length]
            out.append(_make_run(rpr, chunk))
            length -= len(chunk)
            cursor[1] += len(chunk)
            if cursor[1] >= len(text):
                cursor[0] += 1
                cursor[1] = 0
        return out

    for tag, text in ops:
        if tag == textdiff.EQUAL:
            for run in take(len(text)):
                p.append(run)
        elif tag == textdiff.INSERT:
            p.append(_wrap(marks, "w:ins", take(len(text))))
        else:
            p.append(_wrap(marks, "w:del", [_make_run(rpr_here(), text, deleted=True)]))
    return True


# --- tables ------------------------------------------------------------------------------


def _rows(tbl) -> list:
    return list(tbl.iterchildren(qn("w:tr")))


def _cells(tr) -> list:
    return list(tr.iterchildren(qn("w:tc")))


def _paragraphs(element) -> list:
    return list(element.iterchildren(qn("w:p")))


def _text(p) -> str:
    return "".join(_run_text(r) for r in p.iter(qn("w:r")))


def _row_texts(tr) -> list[str]:
    return ["\n".join(_text(p) for p in _paragraphs(tc)) for tc in _cells(tr)]


def _row_label(tr) -> str:
    cells = _row_texts(tr)
    return normalise_name(cells[0]) if cells and cells[0].strip() else ""


def _row_shape(tr) -> tuple:
    """The row's cell layout: each cell's horizontal span and vertical merge (None, restart, continue)."""
    shape = []
    for tc in _cells(tr):
        tcpr = tc.find(qn("w:tcPr"))
        span = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
        vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
        merge = None if vmerge is None else (vmerge.get(qn("w:val")) or "continue")
        shape.append((span.get(qn("w:val")) if span is not None else "1", merge))
    return tuple(shape)


def _mark_row(tr, marks: Marks, tag: str) -> None:
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = OxmlElement("w:trPr")
        prex = tr.find(qn("w:tblPrEx"))
        if prex is not None:
            prex.addnext(trpr)
        else:
            tr.insert(0, trpr)
    change = trpr.find(qn("w:trPrChange"))
    element = marks.make(tag)
    if change is not None:
        change.addprevious(element)
    else:
        trpr.append(element)
    for tc in _cells(tr):
        for p in _paragraphs(tc):
            (mark_inserted if tag == "w:ins" else mark_deleted)(p, marks)


def pair_rows(rows_a: list, rows_b: list) -> list[tuple[int | None, int | None]]:
    """Rows matched by their label (first cell); rows without one by their whole text.

    Pairs never cross, so rejecting every revision puts A's rows back in A's order
    (a vertical merge runs down consecutive rows: the order is part of the table).
    """
    labels_a = [_row_label(r) or " | ".join(_row_texts(r)) for r in rows_a]
    labels_b = [_row_label(r) or " | ".join(_row_texts(r)) for r in rows_b]
    pairs = textdiff.pair_in_order(labels_a, labels_b, 0.6)
    return textdiff.interleave(len(rows_a), len(rows_b), pairs)


def diff_cell(tc_a, tc_b, marks: Marks) -> None:
    pa, pb = _paragraphs(tc_a), _paragraphs(tc_b)
    for index, p in enumerate(pb):
        if index >= len(pa):
            if _text(p):
                mark_inserted(p, marks)
            continue
        old, new = _text(pa[index]), _text(p)
        if old != new:
            rpr = next((r.find(qn("w:rPr")) for r in pa[index].iter(qn("w:r"))), None)
            rewrite(p, textdiff.char_ops(old, new), marks, rpr)
    last = pb[-1] if pb else None
    for extra in pa[len(pb) :]:
        if _text(extra) and last is not None:
            copied = _clean_copy(extra)
            mark_deleted(copied, marks)
            last.addnext(copied)
            last = copied


def diff_table(tbl_a, tbl_b, marks: Marks) -> None:
    rows_a, rows_b = _rows(tbl_a), _rows(tbl_b)
    previous = None
    for i, j in pair_rows(rows_a, rows_b):
        if i is not None and j is not None and _row_shape(rows_a[i]) != _row_shape(rows_b[j]):
            # merged or spanned differently: cell-by-cell revisions cannot restore A's merges
            copied = _clean_copy(rows_a[i])
            _mark_row(copied, marks, "w:del")
            rows_b[j].addprevious(copied)
            _mark_row(rows_b[j], marks, "w:ins")
            previous = rows_b[j]
            continue
        if j is not None:
            tr_b = rows_b[j]
            if i is None:
                _mark_row(tr_b, marks, "w:ins")
            else:
                # B's extra cells are marked inserted below
                for tc_a, tc_b in zip(_cells(rows_a[i]), _cells(tr_b), strict=False):
                    diff_cell(tc_a, tc_b, marks)
                for tc_b in _cells(tr_b)[len(_cells(rows_a[i])) :]:
                    for p in _paragraphs(tc_b):
                        if _text(p):
                            mark_inserted(p, marks)
            previous = tr_b
        elif i is not None:  # a row only A has
            copied = _clean_copy(rows_a[i])
            _mark_row(copied, marks, "w:del")
            if previous is not None:
                previous.addnext(copied)
            else:
                first = rows_b[0] if rows_b else None
                if first is not None:
                    first.addprevious(copied)
                else:
                    tbl_b.append(copied)
            previous = copied


# --- the document ------------------------------------------------------------------------


def _max_id(root) -> int:
    found = 0
    for element in root.iter():
        value = element.get(qn("w:id"))
        if value is not None and value.lstrip("-").isdigit():
            found = max(found, int(value))
    return found


def redline(
    a_docx: bytes, b_docx: bytes, author: str = AUTHOR, date: dt.datetime | None = None
) -> tuple[bytes, Counts]:
    """B's document with tracked changes against A's, and how many revisions it holds."""
    date = date or dt.datetime.now(dt.UTC).replace(microsecond=0)
    a, b = outline.read(a_docx), outline.read(b_docx)
    alignment = outline.align(a, b)
    body = b.document.element.body
    marks = Marks(author, date, _max_id(body) + 1)
    previous = None
    for i, j in alignment.order():
        if j is not None:
            block_b = b.blocks[j]
            if i is None:
                if block_b.kind == outline.TABLE:
                    for tr in _rows(block_b.element):
                        _mark_row(tr, marks, "w:ins")
                else:
                    mark_inserted(block_b.element, marks)
            else:
                block_a = a.blocks[i]
                if block_b.kind == outline.TABLE:
                    diff_table(block_a.element, block_b.element, marks)
                elif block_a.text != block_b.text and not rewrite(
                    block_b.element, textdiff.char_ops(block_a.text, block_b.text), marks
                ):
                    _replace_whole(block_a.element, block_b.element, marks)
            previous = block_b.element
        elif i is not None:  # a block only A has
            copied = _clean_copy(a.blocks[i].element)
            if copied.tag == qn("w:tbl"):
                for tr in _rows(copied):
                    _mark_row(tr, marks, "w:del")
            else:
                mark_deleted(copied, marks)
            if previous is not None:
                previous.addnext(copied)
            else:
                body.insert(0, copied)
            previous = copied
    buffer = io.BytesIO()
    b.document.save(buffer)
    return normalize_docx(buffer.getvalue()), marks.counts


def _replace_whole(p_a, p_b, marks: Marks) -> None:
    """A paragraph too complex to rewrite piece by piece: A's version deleted before B's inserted."""
    copied = _clean_copy(p_a)
    mark_deleted(copied, marks)
    p_b.addprevious(copied)
    mark_inserted(p_b, marks)


def redline_years(
    project, dept: str, year_a: int, year_b: int, output, author: str = AUTHOR, date: dt.datetime | None = None
):
    """Build both years in memory and write B's report with tracked changes against A's to ``output``."""
    from .diff import build_year
    from .write import write_atomic

    a = build_year(project, dept, year_a)
    b = build_year(project, dept, year_b)
    data, counts = redline(a.docx, b.docx, author, date)
    return write_atomic(output, data), counts

"""Year-over-year comparison of one department's reports: figures and text.

``compare(project, dept, year_a, year_b)`` loads, computes and renders both
years and returns a :class:`Diff`: every figure present in either year with
its change, and the narrative section by section with the changed characters
marked and the paragraphs carried over unchanged listed.  Printing is in
:mod:`generator.diff_output`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import outline, stale, textdiff
from .engine_context import build_declared_context
from .engine_flat import as_flats
from .flat import AMOUNT, COUNT, PERCENT, RATE, SCORE, Flat, normalise_name
from .layout import load_layout
from .pipeline import Declared_Report, Project, _declared, _open
from .render import render_docx

HUNDRED = Decimal(100)

CHANGED, UNCHANGED, ADDED, REMOVED, INCOMPARABLE = "changed", "unchanged", "added", "removed", "incomparable"
INSERTED, DELETED = "inserted", "deleted"
MATCHED = "matched"


@dataclass(frozen=True)
class Side:
    """One year of the comparison."""

    year: int
    format: str
    format_name: str
    unit: str
    rounding: str
    zero_division: str
    path: str


@dataclass
class FigureChange:
    id: str  # B's name for the figure (A's when only in A)
    label: str
    kind: str
    source: str  # "input" or "computed"
    a: Any
    b: Any
    status: str
    change: Decimal | None = None  # B − A; for a rate, in 个百分点
    change_rate: Decimal | None = None  # (B − A) ÷ A, for amounts, scores and counts
    a_id: str | None = None  # A's name, when it differs from B's


@dataclass
class ParagraphChange:
    status: str  # CHANGED, UNCHANGED, INSERTED or DELETED
    a: str | None
    b: str | None
    ops: list[textdiff.Op] = field(default_factory=list)
    moved_from: str | None = None  # A's section, when the paragraph moved
    flags: list[str] = field(default_factory=list)  # year-bound phrases of an unchanged paragraph

    @property
    def text(self) -> str:
        """The paragraph as B has it, or as A had it when B dropped it."""
        text = self.b if self.b is not None else self.a
        assert text is not None, "a paragraph change has at least one side"
        return text


@dataclass
class SectionChange:
    status: str  # MATCHED, ADDED (only in B) or REMOVED (only in A)
    a_title: str | None
    b_title: str | None
    level: int
    heading_ops: list[textdiff.Op] | None = None  # when the heading's wording changed
    paragraphs: list[ParagraphChange] = field(default_factory=list)

    @property
    def title(self) -> str:
        title = self.b_title if self.b_title is not None else self.a_title
        assert title is not None, "a section change has at least one side"
        return title


@dataclass
class Diff:
    dept: str
    a: Side
    b: Side
    figures: list[FigureChange]
    sections: list[SectionChange]

    def figures_with(self, *statuses: str) -> list[FigureChange]:
        return [f for f in self.figures if f.status in statuses]

    @property
    def unmatched_sections(self) -> list[SectionChange]:
        return [s for s in self.sections if s.status != MATCHED]

    def carried_over(self) -> list[tuple[SectionChange, ParagraphChange]]:
        return [(s, p) for s in self.sections for p in s.paragraphs if p.status == UNCHANGED]


# --- building the two years ---------------------------------------------------------


@dataclass(frozen=True)
class Built:
    item: Declared_Report
    docx: bytes

    @property
    def year(self) -> int:
        return self.item.inputs.year

    def flat(self) -> list[Flat]:
        """Every figure, input and computed, as the two years are paired."""
        return as_flats(self.item.flat)


def build_year(project: Project, dept: str, year: int) -> Built:
    """Load, compute and render one year (in memory: nothing is written)."""
    loaded, fmt = _open(project, dept, year)
    declared = _declared(loaded, fmt, year)
    context = build_declared_context(fmt.declaration, declared.inputs, declared.figures, fmt.settings, loaded)
    return Built(declared, render_docx(fmt, load_layout(project.templates_dir), context))


def side(built: Built) -> Side:
    settings = built.item.format.settings
    return Side(
        built.year,
        built.item.format.slug,
        settings.name,
        settings.unit,
        settings.rounding,
        settings.zero_division,
        str(built.item.path),
    )


def compare(project: Project, dept: str, year_a: int, year_b: int) -> Diff:
    """The figures and the text of ``year_b`` against ``year_a``."""
    a, b = build_year(project, dept, year_a), build_year(project, dept, year_b)
    side_a, side_b = side(a), side(b)
    figures = compare_figures(a.flat(), b.flat(), same_unit=side_a.unit == side_b.unit)
    sections = compare_text(outline.align(outline.read(a.docx), outline.read(b.docx)))
    return Diff(dept, side_a, side_b, figures, sections)


# --- figures -------------------------------------------------------------------------


def _normalised(path: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalise_name(p) for p in path)


def match_figures(fa: list[Flat], fb: list[Flat]) -> list[tuple[int, int]]:
    """Pairs (A, B) of the same figure: same name path, else same key path, else same normalised names."""
    pairs: list[tuple[int, int]] = []
    a_free, b_free = set(range(len(fa))), set(range(len(fb)))
    for key in (lambda f: f.path, lambda f: f.alias, lambda f: _normalised(f.path)):
        index: dict[Any, list[int]] = {}
        for i in sorted(a_free):
            index.setdefault(key(fa[i]), []).append(i)
        for j in sorted(b_free):
            candidates = index.get(key(fb[j]))
            if candidates and fa[candidates[0]].kind == fb[j].kind:
                i = candidates.pop(0)
                pairs.append((i, j))
                a_free.discard(i)
                b_free.discard(j)
    # a figure is also known by its other names (a format's aliases:), as another edition may name it
    names = {i: {fa[i].path, *getattr(fa[i], "names", ())} for i in a_free}
    for j in sorted(b_free):
        b_names = {fb[j].path, *getattr(fb[j], "names", ())}
        found = [i for i in sorted(a_free) if names[i] & b_names and fa[i].kind == fb[j].kind]
        if found:
            pairs.append((found[0], j))
            a_free.discard(found[0])
    return sorted(pairs, key=lambda p: p[1])


def figure_change(a: Flat | None, b: Flat | None, same_unit: bool = True) -> FigureChange:
    """One figure's change from A to B."""
    ref = b or a
    assert ref is not None, "a figure change has at least one side"
    change = FigureChange(
        ref.id,
        ref.label,
        ref.kind,
        ref.source,
        a.value if a else None,
        b.value if b else None,
        UNCHANGED,
        a_id=a.id if a and b and a.id != b.id else None,
    )
    if a is None or b is None:
        change.status = ADDED if a is None else REMOVED
        return change
    if a.kind == AMOUNT and not same_unit:
        change.status = INCOMPARABLE
        return change
    if a.value == b.value:
        return change
    change.status = CHANGED
    if not isinstance(a.value, (int, Decimal)) or not isinstance(b.value, (int, Decimal)):
        return change
    delta = Decimal(b.value) - Decimal(a.value)
    if a.kind == RATE:
        change.change = delta * HUNDRED
    elif a.kind == PERCENT:
        change.change = delta
    else:
        change.change = delta
        if a.kind in (AMOUNT, SCORE, COUNT) and a.value != 0:
            change.change_rate = delta / Decimal(a.value)
    return change


def compare_figures(fa: list[Flat], fb: list[Flat], same_unit: bool = True) -> list[FigureChange]:
    """Every figure of either year, in B's order, with what A had where A had it."""
    pairs = match_figures(fa, fb)
    return [
        figure_change(fa[i] if i is not None else None, fb[j] if j is not None else None, same_unit)
        for i, j in textdiff.interleave(len(fa), len(fb), pairs)
    ]


# --- text ------------------------------------------------------------------------------


def compare_text(alignment: outline.Alignment) -> list[SectionChange]:
    """The narrative section by section: headings, then paragraphs (tables are in the figures)."""
    a, b = alignment.a, alignment.b
    b_of_a_section = {sa: sb for sa, sb in alignment.sections}
    sections: dict[tuple[str, int], SectionChange] = {}

    def section_for(i: int | None, j: int | None) -> SectionChange:
        if j is not None:
            key = ("b", b.blocks[j].section)
        elif i is None:
            raise ValueError("an aligned pair has at least one side")
        elif a.blocks[i].section in b_of_a_section:
            key = ("b", b_of_a_section[a.blocks[i].section])
        else:
            key = ("a", a.blocks[i].section)
        if key not in sections:
            sections[key] = _new_section(alignment, key)
        return sections[key]

    for i, j in alignment.order():
        block_a = a.blocks[i] if i is not None else None
        block_b = b.blocks[j] if j is not None else None
        block = block_b or block_a
        assert block is not None, "an aligned pair has at least one side"
        if block.kind == outline.TABLE:
            continue
        section = section_for(i, j)
        if block.kind == outline.HEADING:
            # a heading is paired only with the heading of its matched section;
            # an unpaired one is the title of a section only one year has
            if block_a is not None and block_b is not None and block_a.text != block_b.text:
                section.heading_ops = textdiff.char_ops(block_a.text, block_b.text)
            continue
        moved = None
        if block_a is not None and block_b is not None and b_of_a_section.get(block_a.section) != block_b.section:
            moved = a.sections[block_a.section].title
        section.paragraphs.append(_paragraph(block_a, block_b, moved))
    return list(sections.values())


def _new_section(alignment: outline.Alignment, key: tuple[str, int]) -> SectionChange:
    side_name, index = key
    a_of_b = {sb: sa for sa, sb in alignment.sections}
    if side_name == "a":
        heading = alignment.a.sections[index].heading
        return SectionChange(REMOVED, alignment.a.sections[index].title, None, heading.level if heading else 0)
    sec_b = alignment.b.sections[index]
    level = sec_b.heading.level if sec_b.heading else 0
    if index in a_of_b:
        return SectionChange(MATCHED, alignment.a.sections[a_of_b[index]].title, sec_b.title, level)
    return SectionChange(ADDED, None, sec_b.title, level)


def _paragraph(block_a, block_b, moved: str | None) -> ParagraphChange:
    if block_a is None:
        return ParagraphChange(INSERTED, None, block_b.text)
    if block_b is None:
        return ParagraphChange(DELETED, block_a.text, None)
    if block_a.text == block_b.text:
        return ParagraphChange(
            UNCHANGED, block_a.text, block_b.text, moved_from=moved, flags=stale.summary(block_b.text)
        )
    return ParagraphChange(CHANGED, block_a.text, block_b.text, textdiff.char_ops(block_a.text, block_b.text), moved)

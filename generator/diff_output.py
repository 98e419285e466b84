"""Print a :class:`~generator.diff.Diff`: for the terminal, as Markdown, as JSON.

Figures are printed with :mod:`generator.formatting` under each year's format
settings (unit, rounding); a rate's change is in 个百分点.  Pure functions:
a Diff in, a string out.
"""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from typing import Any

import click

from . import formatting, textdiff
from .diff import (
    ADDED,
    CHANGED,
    DELETED,
    INCOMPARABLE,
    INSERTED,
    MATCHED,
    REMOVED,
    UNCHANGED,
    Diff,
    FigureChange,
    ParagraphChange,
    SectionChange,
    Side,
)
from .flat import AMOUNT, COUNT, PERCENT, RATE, SCORE

MISSING = "—"
STATUS_WORDS = {
    CHANGED: "变化",
    UNCHANGED: "未变",
    ADDED: "新增",
    REMOVED: "删除",
    INCOMPARABLE: "单位不同，不比较",
}


# --- numbers ---------------------------------------------------------------------------


def value_text(kind: str, value: Any, side: Side) -> str:
    if value is None:
        return MISSING
    if kind == AMOUNT:
        return formatting.money(Decimal(value), 2, side.rounding)
    if kind == RATE:
        return formatting.percent(Decimal(value), 2, side.rounding, side.zero_division)
    if kind == PERCENT:
        return formatting.percent(Decimal(value) / 100, 2, side.rounding)
    if kind == SCORE:
        return formatting.score(Decimal(value), 2, side.rounding)
    if kind == COUNT:
        return str(value)
    return str(value)


def _signed(text: str, value: Decimal) -> str:
    return "+" + text if value > 0 else text


def change_text(fig: FigureChange, side: Side) -> tuple[str, str]:
    """(change, change in percent) as printed: ``("-5,736.42", "-24.48%")``, ``("-0.04个百分点", "")``."""
    if fig.status != CHANGED or fig.change is None:
        return ("", "")
    if fig.kind in (RATE, PERCENT):
        return (_signed(formatting.points(fig.change, 2, side.rounding), fig.change), "")
    if fig.kind == AMOUNT:
        text = formatting.money(fig.change, 2, side.rounding)
    elif fig.kind == SCORE:
        text = formatting.score(fig.change, 2, side.rounding)
    else:
        text = str(fig.change)
    rate = ""
    if fig.change_rate is not None:
        rate = _signed(formatting.percent(fig.change_rate, 2, side.rounding), fig.change_rate)
    return (_signed(text, fig.change), rate)


def figure_row(fig: FigureChange, diff: Diff) -> dict[str, str]:
    change, rate = change_text(fig, diff.b)
    return {
        "label": fig.label,
        "a": value_text(fig.kind, fig.a, diff.a),
        "b": value_text(fig.kind, fig.b, diff.b),
        "change": change,
        "change_rate": rate,
        "status": STATUS_WORDS[fig.status],
    }


def _counts(diff: Diff) -> str:
    parts = []
    for status in (CHANGED, ADDED, REMOVED, INCOMPARABLE, UNCHANGED):
        n = len(diff.figures_with(status))
        if n:
            parts.append(f"{STATUS_WORDS[status]} {n} 项")
    return "，".join(parts)


def _text_counts(diff: Diff) -> str:
    counts = {CHANGED: 0, INSERTED: 0, DELETED: 0, UNCHANGED: 0}
    for section in diff.sections:
        for p in section.paragraphs:
            counts[p.status] += 1
    words = {CHANGED: "修改", INSERTED: "新增", DELETED: "删除", UNCHANGED: "沿用未改"}
    text = "，".join(f"{words[k]} {v} 段" for k, v in counts.items())
    unmatched = len(diff.unmatched_sections)
    return text + (f"；未能对应的章节 {unmatched} 个" if unmatched else "")


def _unit_note(diff: Diff) -> str:
    if diff.a.unit == diff.b.unit:
        return f"金额单位：{diff.b.unit}"
    return f"金额单位不同（{diff.a.year} 年 {diff.a.unit}，{diff.b.year} 年 {diff.b.unit}），金额不作比较"


def _heading(diff: Diff) -> list[str]:
    lines = [f"{diff.dept}：{diff.a.year} 年 → {diff.b.year} 年"]
    for s in (diff.a, diff.b):
        lines.append(f"  {s.year}：{s.path}（格式 {s.format}：{s.format_name}）")
    return lines


# --- terminal --------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def _elide(text: str, keep: int, first: bool, last: bool) -> str:
    """Shorten a kept run of text to its ends: the reader needs only the context of a change."""
    if len(text) <= 2 * keep + 1:
        return text
    if first:
        return "…" + text[-keep:]
    if last:
        return text[:keep] + "…"
    return text[:keep] + "…" + text[-keep:]


def marked(ops: list[textdiff.Op], color: bool, keep: int | None = 15) -> str:
    """A changed paragraph with its deletions ``[-…-]`` and insertions ``{+…+}`` (or in colour)."""
    out = []
    for n, (tag, text) in enumerate(ops):
        if tag == textdiff.EQUAL:
            out.append(_elide(text, keep, n == 0, n == len(ops) - 1) if keep else text)
        elif tag == textdiff.DELETE:
            out.append(click.style(text, fg="red", strikethrough=True) if color else f"[-{text}-]")
        else:
            out.append(click.style(text, fg="green", underline=True) if color else f"{{+{text}+}}")
    return "".join(out)


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _section_title(section: SectionChange, color: bool) -> str:
    if section.heading_ops:
        return marked(section.heading_ops, color, keep=None)
    return section.title


def to_terminal(diff: Diff, color: bool = False) -> str:
    def bold(text: str) -> str:
        return click.style(text, bold=True) if color else text

    lines = _heading(diff)
    lines += ["", bold(f"一、数字（{_unit_note(diff)}）：{_counts(diff)}")]
    rows = [figure_row(f, diff) for f in diff.figures]
    header = {
        "label": "项目",
        "a": str(diff.a.year),
        "b": str(diff.b.year),
        "change": "变化",
        "change_rate": "变化率",
        "status": "",
    }
    widths = {k: max(_width(r[k]) for r in rows + [header]) for k in header}
    for row, fig in [(header, None)] + list(zip(rows, diff.figures, strict=True)):
        mark = {ADDED: "+ ", REMOVED: "- ", CHANGED: "* "}.get(fig.status, "  ") if fig else "  "
        line = "  " + mark + _pad(row["label"], widths["label"])
        for key in ("a", "b", "change", "change_rate"):
            line += "  " + _pad(row[key], widths[key], right=True)
        if fig and fig.status in (ADDED, REMOVED, INCOMPARABLE):
            line += "  " + row["status"]
        line = line.rstrip()
        if color and fig is not None:
            style = {ADDED: "green", REMOVED: "red", CHANGED: "yellow"}.get(fig.status)
            line = (
                click.style(line, fg=style, dim=fig.status == UNCHANGED) if style or fig.status == UNCHANGED else line
            )
        lines.append(line)
    lines += ["", bold(f"二、文字：{_text_counts(diff)}")]
    for section in diff.sections:
        if section.status != MATCHED:
            continue
        changes = [p for p in section.paragraphs if p.status != UNCHANGED]
        if not changes and not section.heading_ops:
            continue
        lines.append(f"  【{_section_title(section, color)}】")
        for p in changes:
            lines.append("    " + _paragraph_line(p, color))
    carried = diff.carried_over()
    if carried:
        lines += ["", bold(f"三、沿用未改的段落（{len(carried)} 段，与 {diff.a.year} 年逐字相同，请确认仍然适用）")]
        current = None
        for section, p in carried:
            if section.title != current:
                lines.append(f"  【{section.title}】")
                current = section.title
            flag = f"  ⚠ {'、'.join(p.flags)}" if p.flags else ""
            if color and flag:
                flag = click.style(flag, fg="yellow")
            lines.append(f"    · {_short(p.text)}{flag}")
    unmatched = diff.unmatched_sections
    if unmatched:
        lines += ["", bold(f"四、未能对应的章节（{len(unmatched)} 个）")]
        for section in unmatched:
            year = diff.a.year if section.status == REMOVED else diff.b.year
            lines.append(f"  仅 {year} 年有：{section.title}")
            for p in section.paragraphs:
                lines.append("    " + _paragraph_line(p, color))
    return "\n".join(lines) + "\n"


def _paragraph_line(p: ParagraphChange, color: bool) -> str:
    moved = f"（从【{p.moved_from}】移来）" if p.moved_from else ""
    if p.status == CHANGED:
        return f"修改{moved}：{marked(p.ops, color)}"
    if p.status == INSERTED:
        text = _short(p.text, 80)
        return "新增：" + (click.style(text, fg="green") if color else f"{{+{text}+}}")
    if p.status == DELETED:
        text = _short(p.text, 80)
        return "删除：" + (click.style(text, fg="red") if color else f"[-{text}-]")
    flag = f"  ⚠ {'、'.join(p.flags)}" if p.flags else ""
    return f"沿用{moved}：{_short(p.text)}{flag}"


# --- Markdown --------------------------------------------------------------------------


def _md(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]|#~":
        text = text.replace(ch, "\\" + ch)
    return text


def md_marked(ops: list[textdiff.Op]) -> str:
    out = []
    for tag, text in ops:
        if tag == textdiff.EQUAL:
            out.append(_md(text))
        elif tag == textdiff.DELETE:
            out.append(f"<del>{_md(text)}</del>")
        else:
            out.append(f"<ins>{_md(text)}</ins>")
    return "".join(out)


def to_markdown(diff: Diff) -> str:
    lines = [f"# {diff.dept}：{diff.a.year} 年 → {diff.b.year} 年", ""]
    lines += [f"- {s.year} 年：`{s.path}`（格式 {s.format}：{_md(s.format_name)}）" for s in (diff.a, diff.b)]
    lines += ["", "## 数字", "", f"{_unit_note(diff)}。{_counts(diff)}。", ""]
    lines += [f"| 项目 | {diff.a.year} | {diff.b.year} | 变化 | 变化率 | 状态 |", "|---|---:|---:|---:|---:|---|"]
    for fig in diff.figures:
        row = figure_row(fig, diff)
        status = f"**{row['status']}**" if fig.status != UNCHANGED else row["status"]
        lines.append(
            f"| {_md(row['label'])} | {row['a']} | {row['b']} | {row['change']} | {row['change_rate']} | {status} |"
        )
    lines += ["", "## 文字", "", _text_counts(diff) + "。", ""]
    for section in diff.sections:
        if section.status != MATCHED:
            continue
        changes = [p for p in section.paragraphs if p.status != UNCHANGED]
        if not changes and not section.heading_ops:
            continue
        title = md_marked(section.heading_ops) if section.heading_ops else _md(section.title)
        lines += [f"### {title}", ""]
        for p in changes:
            lines += [_md_paragraph(p), ""]
    carried = diff.carried_over()
    if carried:
        lines += [f"## 沿用未改的段落（{len(carried)} 段）", "", f"与 {diff.a.year} 年逐字相同，请确认仍然适用。", ""]
        lines += ["| 章节 | 段落开头 | 需留意 |", "|---|---|---|"]
        for section, p in carried:
            lines.append(f"| {_md(section.title)} | {_md(_short(p.text))} | {_md('、'.join(p.flags))} |")
        lines.append("")
    unmatched = diff.unmatched_sections
    if unmatched:
        lines += [f"## 未能对应的章节（{len(unmatched)} 个）", ""]
        for section in unmatched:
            year = diff.a.year if section.status == REMOVED else diff.b.year
            lines += [f"### 仅 {year} 年有：{_md(section.title)}", ""]
            for p in section.paragraphs:
                lines += [_md_paragraph(p), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_paragraph(p: ParagraphChange) -> str:
    moved = f"（从“{_md(p.moved_from)}”移来）" if p.moved_from else ""
    if p.status == CHANGED:
        return f"- 修改{moved}：{md_marked(p.ops)}"
    if p.status == INSERTED:
        return f"- 新增：<ins>{_md(p.text)}</ins>"
    if p.status == DELETED:
        return f"- 删除：<del>{_md(p.text)}</del>"
    return f"- 沿用{moved}：{_md(p.text)}"


# --- JSON ------------------------------------------------------------------------------


def _exact(value: Any) -> str | None:
    """An exact value as a string (``"17697.70"``), never in exponent notation."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def to_data(diff: Diff) -> dict[str, Any]:
    """The diff as plain JSON-ready values (exact numbers as strings, printed forms beside them)."""

    def side(s: Side) -> dict[str, Any]:
        return {"year": s.year, "format": s.format, "format_name": s.format_name, "unit": s.unit, "path": s.path}

    figures = []
    for fig in diff.figures:
        row = figure_row(fig, diff)
        figures.append(
            {
                "id": fig.id,
                "a_id": fig.a_id,
                "label": fig.label,
                "kind": fig.kind,
                "source": fig.source,
                "status": fig.status,
                "a": _exact(fig.a),
                "b": _exact(fig.b),
                "change": _exact(fig.change),
                "change_rate": _exact(fig.change_rate),
                "change_unit": "个百分点" if fig.kind in (RATE, PERCENT) else None,
                "printed": {"a": row["a"], "b": row["b"], "change": row["change"], "change_rate": row["change_rate"]},
            }
        )
    sections = []
    for s in diff.sections:
        sections.append(
            {
                "status": s.status,
                "a_title": s.a_title,
                "b_title": s.b_title,
                "level": s.level,
                "heading_ops": [list(op) for op in s.heading_ops] if s.heading_ops else None,
                "paragraphs": [
                    {
                        "status": p.status,
                        "a": p.a,
                        "b": p.b,
                        "ops": [list(op) for op in p.ops],
                        "inserted_chars": textdiff.changed_chars(p.ops)[0] if p.ops else None,
                        "deleted_chars": textdiff.changed_chars(p.ops)[1] if p.ops else None,
                        "moved_from": p.moved_from,
                        "flags": p.flags,
                    }
                    for p in s.paragraphs
                ],
            }
        )
    return {"dept": diff.dept, "a": side(diff.a), "b": side(diff.b), "figures": figures, "sections": sections}


def to_json(diff: Diff) -> str:
    return json.dumps(to_data(diff), ensure_ascii=False, indent=2) + "\n"

"""``reportgen audit``: compare each figure as printed with the figure as computed.

For every ``reported:`` entry of a data file: resolve the figure it claims to be,
read the printed value and compare at the printed precision.  Equal under the
format's rounding rule → ``ok``; equal under the other rule (truncation against
half-up) → ``rounding``; otherwise ``wrong``.  An entry naming no figure, or whose
printed text is not a figure of that kind, is ``invalid``.  The same figure
printed twice with values that disagree is also reported (``conflict``).

Pure: the entries, the figures and the settings in, findings out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import formatting
from .formats import FormatSettings
from .load import Loaded
from .record import Frozen
from .reported import COUNT, MONEY, PERCENT, SCORE, WORD, Figure, FigureError, Printed, parse_printed
from .reported_item import Reported

# a figure by its dotted name (``spending.total.adjustment_rate``), or FigureError
Resolve = Callable[[str], Figure]

OK, ROUNDING, WRONG, INVALID, CONFLICT = "ok", "rounding", "wrong", "invalid", "conflict"
RULE_NAMES = {"half_up": "四舍五入", "truncate": "截尾"}


class Finding(Frozen):
    """One reported figure checked, or one pair of prints of the same figure that disagree."""

    _fields = ("path", "line", "index", "figure", "where", "printed", "status", "expected", "exact", "note", "other")
    path: Path | str
    line: int | None
    index: int  # position in reported:
    figure: str
    where: str
    printed: str
    status: str
    expected: str | None  # the computed figure as it prints at the printed precision
    exact: str | None  # the computed value, unrounded
    note: str
    other: Finding | None  # for a conflict: the earlier print of the same figure

    def __init__(
        self,
        path: Path | str,
        line: int | None,
        index: int,
        figure: str,
        where: str,
        printed: str,
        status: str,
        expected: str | None = None,
        exact: str | None = None,
        note: str = "",
        other: Finding | None = None,
    ) -> None:
        _set(self, "path", path)
        _set(self, "line", line)
        _set(self, "index", index)
        _set(self, "figure", figure)
        _set(self, "where", where)
        _set(self, "printed", printed)
        _set(self, "status", status)
        _set(self, "expected", expected)
        _set(self, "exact", exact)
        _set(self, "note", note)
        _set(self, "other", other)

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        shown = self.printed.strip()
        if self.status == INVALID:
            return f"{self.location}: reported[{self.index}].{self.note}"
        if self.status == CONFLICT and (o := self.other) is not None:
            return (
                f"{self.location}: {self.where} 印为 {shown}，第 {o.line} 行 {o.where} 印为 {o.printed.strip()}："
                f"同一个数字（{self.figure}）前后不一致"
            )
        head = f"{self.location}: {self.where}：报告为 {shown}"
        if self.status == OK:
            return f"{head}，与计算一致"
        if self.status == ROUNDING:
            return f"{head}，按数据计算为 {self.expected}（舍入差异：{self.note}）"
        return f"{head}，按数据计算为 {self.expected}{self.note}"

    def to_dict(self) -> dict[str, Any]:
        out = {
            "file": str(self.path),
            "line": self.line,
            "index": self.index,
            "figure": self.figure,
            "where": self.where,
            "printed": self.printed,
            "status": self.status,
            "expected": self.expected,
            "exact": self.exact,
            "note": self.note,
            "message": str(self),
        }
        if self.other is not None:
            out["other_line"] = self.other.line
        return out


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class AuditResult(Frozen):
    """The audit of one data file."""

    _fields = ("path", "findings", "conflicts")
    path: Path | str
    findings: tuple[Finding, ...]
    conflicts: tuple[Finding, ...]

    def __init__(
        self, path: Path | str, findings: tuple[Finding, ...] = (), conflicts: tuple[Finding, ...] = ()
    ) -> None:
        _set(self, "path", path)
        _set(self, "findings", findings)
        _set(self, "conflicts", conflicts)

    def count(self, status: str) -> int:
        if status == CONFLICT:
            return len(self.conflicts)
        return sum(1 for f in self.findings if f.status == status)

    def failed(self, strict: bool = False) -> bool:
        bad = {WRONG, INVALID} | ({ROUNDING} if strict else set())
        return any(f.status in bad for f in self.findings)

    @property
    def mismatches(self) -> list[Finding]:
        """Every finding that is not ``ok``, conflicts after the others, in line order."""
        listed = [f for f in self.findings if f.status != OK]
        return sorted(listed, key=lambda f: (f.line or 0, f.index)) + list(self.conflicts)

    def summary(self) -> str:
        if not self.findings:
            return f"{self.path}: 没有记录报告中印出的数字（reported:），无从核对"
        parts = [f"{self.count(OK)} 个一致", f"{self.count(ROUNDING)} 个舍入差异", f"{self.count(WRONG)} 个错误"]
        if self.count(INVALID):
            parts.append(f"{self.count(INVALID)} 条记录有误")
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} 处前后不一致")
        return f"{self.path}: 核对 {len(self.findings)} 个数字：" + "，".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "counts": {s: self.count(s) for s in (OK, ROUNDING, WRONG, INVALID, CONFLICT)},
            "findings": [f.to_dict() for f in self.findings],
            "conflicts": [f.to_dict() for f in self.conflicts],
        }


# --- comparing one figure ----------------------------------------------------------


def _natural_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _in_print_units(fig: Figure, value: Any) -> Decimal:
    value = Decimal(value)
    return value.scaleb(2) if fig.kind == PERCENT else value


def _shown(kind: str, value: Decimal, places: int, printed: Printed | None, settings: FormatSettings) -> str:
    """``value`` (already rounded to ``places``) written the way the printed figure was."""
    if kind == PERCENT:
        return f"{value:.{places}f}%"
    if kind == SCORE:
        return formatting.score(value, places)
    if kind == COUNT:
        return str(int(value))
    grouped = printed.grouped if printed is not None else True
    unit = printed.unit if printed is not None and printed.unit else ""
    if printed is not None and printed.change:
        return formatting.change(value, places, settings.rounding, unit)
    return formatting.money(value, places, settings.rounding, grouping=grouped) + unit


def natural_text(fig: Figure, settings: FormatSettings) -> str:
    """The computed figure as the generator prints it (for messages where nothing was parsed)."""
    if fig.value is None:
        return settings.zero_division if fig.kind == PERCENT else "—"
    if fig.kind == WORD:
        return str(fig.value)
    value = _in_print_units(fig, fig.value)
    places = {MONEY: 2, PERCENT: 2, SCORE: 2, COUNT: 0}[fig.kind]
    return _shown(fig.kind, formatting.quantize(value, places, settings.rounding), places, None, settings)


def compare(fig: Figure, printed: Printed, settings: FormatSettings) -> tuple[str, str, str]:
    """``(status, expected as printed, note)`` for one printed figure."""
    rule = settings.rounding
    other = "truncate" if rule == "half_up" else "half_up"
    if fig.kind == WORD:
        expected = "—" if fig.value is None else str(fig.value)
        return (OK if printed.word == fig.value else WRONG), expected, ""
    if fig.value is None:
        expected = natural_text(fig, settings)
        if printed.dash or printed.value == 0:
            return OK, expected, ""
        return WRONG, expected, "（分母为 0，无法计算）"
    if printed.dash:
        return WRONG, natural_text(fig, settings), ""
    value = _in_print_units(fig, fig.value)
    if fig.kind == COUNT:
        expected = str(int(value))
        if printed.value == value:
            return OK, expected, ""
        for name, alternative in fig.alternatives:
            if alternative is not None and printed.value == alternative:
                return WRONG, expected, f"（报告数等于{name}）"
        return WRONG, expected, ""
    places = printed.places
    if fig.kind == SCORE:  # scores drop trailing zeros: "46" does not claim whole-point precision
        places = max(places, min(2, _natural_places(value)))
    # a share in a column the format prints summing to 100%: compare with the adjusted share
    adjusted = dict(fig.adjusted) if settings.share_sum_exact else {}
    if adjusted:
        by_rule = formatting.quantize(_in_print_units(fig, adjusted[rule]), places, rule)
        by_other = formatting.quantize(_in_print_units(fig, adjusted[other]), places, other)
    else:
        by_rule = formatting.quantize(value, places, rule)
        by_other = formatting.quantize(value, places, other)
    expected = _shown(fig.kind, by_rule, places, printed, settings)
    if printed.value == by_rule:
        return OK, expected, ""
    if printed.value == by_other:
        return ROUNDING, expected, f"报告按{RULE_NAMES[other]}取数，格式规定{RULE_NAMES[rule]}，精确值 {_exact(fig)}"
    if adjusted and printed.value in (
        formatting.quantize(value, places, rule),
        formatting.quantize(value, places, other),
    ):
        return ROUNDING, expected, f"报告未按最大余数法调整末位（格式规定一列占比合计为 100%），精确值 {_exact(fig)}"
    for name, alternative in fig.alternatives:
        if alternative is None:
            continue
        alt = _in_print_units(fig, alternative)
        if printed.value in (formatting.quantize(alt, places, rule), formatting.quantize(alt, places, other)):
            return WRONG, expected, f"（报告数等于{name}）"
    return WRONG, expected, ""


def _exact(fig: Figure) -> str | None:
    """The computed value in print units, to six decimals at most (for notes and JSON)."""
    if fig.value is None or fig.kind == WORD:
        return None if fig.value is None else str(fig.value)
    value = _in_print_units(fig, fig.value)
    text = formatting.plain(formatting.quantize(value, 6, "half_up"))
    return text + ("%" if fig.kind == PERCENT else "")


# --- the whole file -------------------------------------------------------------


class EntryError(ValueError):
    """A ``reported:`` entry that names no figure, or whose printed text is not one."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def check_entry(entry: Reported, resolver: Resolve, unit: str | None = None) -> tuple[Figure, Printed]:
    """Resolve (``resolver(path)``) and parse one entry, or raise :class:`EntryError`."""
    try:
        fig = resolver(entry.figure)
    except FigureError as exc:
        raise EntryError("figure", str(exc)) from None
    try:
        printed = parse_printed(fig.kind, entry.printed, unit)
    except ValueError as exc:
        raise EntryError("printed", str(exc)) from None
    return fig, printed


def _differ(a: tuple[Finding, Printed], b: tuple[Finding, Printed]) -> bool:
    """Two prints of one figure disagree: different values, not both explained by rounding the true value."""
    (fa, pa), (fb, pb) = a, b
    if pa.word is not None or pb.word is not None:
        same = pa.word == pb.word
    elif pa.dash or pb.dash:
        same = (pa.dash or pa.value == 0) and (pb.dash or pb.value == 0)
    else:
        same = pa.value == pb.value
    return not same and not (fa.status in (OK, ROUNDING) and fb.status in (OK, ROUNDING))


def audit_entries(
    entries: tuple[Reported, ...], resolver: Resolve, settings: FormatSettings, loaded: Loaded
) -> AuditResult:
    """Check ``entries`` against the figures ``resolver`` finds by their dotted names."""
    findings: list[Finding] = []
    parsed: list[tuple[Finding, Printed]] = []
    resolved: list[str] = []
    for index, entry in enumerate(entries):
        line = loaded.line_of(("reported", index))
        found = functools.partial(
            Finding,
            path=loaded.path,
            line=line,
            index=index,
            figure=entry.figure,
            where=entry.where,
            printed=entry.printed,
        )
        try:
            fig, printed = check_entry(entry, resolver, settings.unit)
        except EntryError as exc:
            findings.append(found(status=INVALID, note=str(exc)))
            continue
        status, expected, note = compare(fig, printed, settings)
        finding = found(status=status, expected=expected, exact=_exact(fig), note=note)
        findings.append(finding)
        parsed.append((finding, printed))
        resolved.append(fig.path)  # one figure may have several names (a declared row by name or key)
    conflicts = []
    for i, later in enumerate(parsed):
        for j, earlier in enumerate(parsed[:i]):
            if resolved[j] == resolved[i] and _differ(earlier, later):
                conflicts.append(later[0].replaced(status=CONFLICT, other=earlier[0]))
                break
    return AuditResult(loaded.path, tuple(findings), tuple(conflicts))

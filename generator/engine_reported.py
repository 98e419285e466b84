"""``reported:`` and ``audit``: entries resolved against the report's flat figure list.

An entry names a figure, its printed text and where it was printed (``figure``, ``printed``,
``table``/``row``/``column`` or ``paragraph``/``item``); ``figure`` is a dotted path of
:mod:`generator.engine_flat`.
Comparison is :mod:`generator.audit`'s, with the same rounding, conflict and share rules.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import TYPE_CHECKING

from .engine_flat import DeclaredFigure
from .errors import Problem, field_path
from .formats import FormatSettings
from .load import Loaded
from .messages import _message

if TYPE_CHECKING:
    from .audit import AuditResult
    from .reported_item import Reported

# reported and audit are loaded only when a data file has ``reported:`` entries (a build without
# them never loads them); the entry model (pydantic) only for an entry not plainly right


@functools.cache
def audit_kinds() -> dict[str, str]:
    """A declared figure's kind → the audit's kind of printed figure."""
    from . import reported as rp

    return {
        "money": rp.MONEY,
        "percent": rp.PERCENT,
        "score": rp.SCORE,
        "number": rp.SCORE,
        "count": rp.COUNT,
        "text": rp.WORD,
    }


def entries(loaded: Loaded) -> tuple[tuple[Reported, ...], list[Problem]]:
    """The data file's ``reported:`` entries, and every problem in their shape."""
    raw = loaded.data.get("reported") if isinstance(loaded.data, dict) else None
    if raw is None:
        return (), []
    if not isinstance(raw, list):
        return (), [
            Problem(loaded.path, loaded.line_of(("reported",)), "reported", "应为一列记录（每条以“- figure: …”开头）")
        ]
    from .reported_item import quick

    out, problems = [], []
    for i, item in enumerate(raw):
        entry = quick(item)
        if entry is not None:
            out.append(entry)
            continue
        from pydantic import ValidationError

        from .reported_entry import ReportedModel

        try:
            out.append(ReportedModel.model_validate(item).plain())
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = ("reported", i) + tuple(p for p in err["loc"] if not str(p).startswith("function-"))
                problems.append(Problem(loaded.path, loaded.line_of(loc), field_path(loc), _message(err)))
    return tuple(out), problems


def resolver(names: dict[str, DeclaredFigure]):
    """``resolve(path)`` over a report's dotted names."""

    from . import reported as rp

    kinds = audit_kinds()

    def resolve(path: str) -> rp.Figure:
        fig = names.get(path.strip())
        if fig is None:
            raise rp.FigureError(f"没有这个数字“{path}”（{_available(names, path.strip().split('.'))}）")
        if fig.kind not in kinds:
            raise rp.FigureError(f"“{path}”（{fig.label}）不是报告印出的数字")
        kind = kinds[fig.kind]
        if fig.share_of is not None:  # named by its full path: one figure, however the entry names it
            values, index = fig.share_of
            if len(values) > 1 and all(isinstance(v, (int, Decimal)) for v in values):
                return rp.share_figure(fig.id, list(values), index)
        return rp.Figure(fig.id, kind, fig.value, fig.alternatives)

    return resolve


def _available(names: dict[str, DeclaredFigure], parts: list[str]) -> str:
    """What may follow the longest known beginning of ``parts``: ``funds.财政拨款. 之后可用：rate、…``."""
    split = [n.split(".") for n in names]
    for depth in range(len(parts) - 1, -1, -1):
        head = parts[:depth]
        nexts = list(dict.fromkeys(n[depth] for n in split if n[:depth] == head and len(n) > depth))
        if nexts:
            shown = "、".join(nexts[:15]) + ("……" if len(nexts) > 15 else "")
            return f"{'.'.join(head)}. 之后可用：{shown}" if head else f"应以 {shown} 开头"
    return ""


def reported_problems(
    loaded: Loaded, found: tuple[Reported, ...], names: dict[str, DeclaredFigure], settings: FormatSettings
) -> list[Problem]:
    """Entries naming no figure, or printed as no figure of that kind (errors of ``check``)."""
    if not found:
        return []
    from .audit import EntryError, check_entry

    problems = []
    resolve = resolver(names)
    for i, entry in enumerate(found):
        try:
            check_entry(entry, resolve, settings.unit)
        except EntryError as exc:
            loc = ("reported", i, exc.field)
            problems.append(Problem(loaded.path, loaded.line_of(loc), field_path(loc), exc.message))
    return problems


def audit_declared(
    loaded: Loaded, found: tuple[Reported, ...], names: dict[str, DeclaredFigure], settings: FormatSettings
) -> AuditResult:
    from .audit import audit_entries

    return audit_entries(found, resolver(names), settings, loaded)

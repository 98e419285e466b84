"""Validate loaded values against the schema and the report's format.

Every problem is collected and reported at once, as
``file:line: field.path: 中文说明``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from . import computed, placeholder
from .errors import DataError, Problem, field_path, remove_hint
from .formats import Format
from .load import Loaded
from .messages import MAX_PARAGRAPHS, MAX_ROWS, _message, _number_hint, _shown  # noqa: F401 - imported from here too
from .schema import Report


def validate(loaded: Loaded, fmt: Format | None = None) -> Report:
    """Return the :class:`Report`, or raise :class:`DataError` listing every problem."""
    problems: list[Problem] = list(loaded.problems)
    if not isinstance(loaded.data, dict):
        raise DataError([Problem(loaded.path, 1, "", "文件内容应为一组字段（“名称: 值”）")])
    holes = list(placeholder.find(loaded.data))  # a draft's "待填": one clear line each
    problems += [Problem(loaded.path, loaded.line_of(loc), field_path(loc), placeholder.MESSAGE) for loc in holes]
    try:
        report = Report.model_validate(loaded.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            if placeholder.under(loc, holes):
                continue
            message = _computed_message(loaded, loc) if err["type"] == "extra_forbidden" else None
            problems.append(Problem(loaded.path, loaded.line_of(loc), field_path(loc), message or _message(err)))
        report = None
    problems += _check_unique_score_keys(loaded)
    problems += _check_parent_figures(loaded)
    if report is not None:
        problems += _check_size(loaded, report)
    if fmt is not None and isinstance(loaded.data.get("text"), dict):
        problems += _check_text_keys(loaded, fmt)
    if fmt is not None:
        problems += _check_self_grade(loaded, fmt)
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise DataError(problems)
    assert report is not None, "a validation error always leaves a problem"
    return report


def _raw_at(data: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _computed_message(loaded: Loaded, loc: tuple) -> str | None:
    """A figure the program computes, typed into the data: what it is, and to delete it."""
    what = computed.description(loc)
    if what is None:
        return None
    siblings = _raw_at(loaded.data, loc[:-1])
    return f"{what}，{remove_hint(loc, siblings if isinstance(siblings, dict) else {}, loaded.line_of)}"


def _check_text_keys(loaded: Loaded, fmt: Format) -> list[Problem]:
    """The narrative sections must be exactly those the format declares."""
    given = loaded.data["text"]
    problems = []
    for key in fmt.text_keys:
        if key not in given:
            problems.append(
                Problem(loaded.path, loaded.line_of(("text",)), f"text.{key}", f"缺少文字段落“{fmt.text_keys[key]}”")
            )
    for key in given:
        if key not in fmt.text_keys:
            known = "、".join(fmt.text_keys)
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line_of(("text", key)),
                    f"text.{key}",
                    f"格式“{fmt.name}”没有这一段（可用：{known}）",
                )
            )
    return problems


def _check_self_grade(loaded: Loaded, fmt: Format) -> list[Problem]:
    """A declared grade (no score given) must be one of the format's grade words."""
    grade = loaded.data.get("self_grade")
    if grade is None:
        return []
    where = loaded.line_of(("self_grade",))
    if loaded.data.get("scoring"):
        return [Problem(loaded.path, where, "self_grade", "已有评分（scoring）时等级由得分计算，不要再写 self_grade")]
    words = [g.word for g in fmt.settings.grades]
    if grade not in words:
        return [Problem(loaded.path, where, "self_grade", f"等级应为 {'、'.join(words)} 之一，得到 “{grade}”")]
    return []


def _check_unique_score_keys(loaded: Loaded) -> list[Problem]:
    """A scoring ``key`` names one block: the same key twice would silently pick one."""
    first: dict[str, tuple[int | None, str]] = {}
    problems = []

    def walk(nodes: Any, loc: tuple) -> None:
        if not isinstance(nodes, list):
            return
        for i, node in enumerate(nodes):
            if not isinstance(node, dict):
                continue
            key = node.get("key")
            here = loc + (i, "key")
            if isinstance(key, str):
                line = loaded.line_of(here)
                if key in first:
                    first_line, first_field = first[key]
                    problems.append(
                        Problem(
                            loaded.path,
                            line,
                            field_path(here),
                            f"key 重复：第 {first_line} 行（{first_field}）和第 {line} 行都是“{key}”，请改成不同的名称",
                        )
                    )
                else:
                    first[key] = (line, field_path(here))
            walk(node.get("children"), loc + (i, "children"))

    walk(loaded.data.get("scoring"), ("scoring",))
    return problems


def _check_parent_figures(loaded: Loaded) -> list[Problem]:
    """A parent's weight and score are the sums of its parts: refused where the parts give them.

    Parts are ``children`` (each of which has, or is refused without, its own figures) or
    listed ``indicators`` when every one of them gives the figure.
    """
    problems = []

    def refuse(node: dict, loc: tuple, attr: str, why: str, parts: str) -> None:
        here = loc + (attr,)
        label = computed.PARENT_FIGURES[attr]
        hint = remove_hint(here, node, loaded.line_of)
        problems.append(
            Problem(
                loaded.path, loaded.line_of(here), field_path(here), f"{why}，{label} {attr} 由{parts}合计得出，{hint}"
            )
        )

    def walk(nodes: Any, loc: tuple) -> None:
        if not isinstance(nodes, list):
            return
        for i, node in enumerate(nodes):
            if not isinstance(node, dict):
                continue
            here = loc + (i,)
            children, indicators = node.get("children"), node.get("indicators")
            for attr in computed.PARENT_FIGURES:
                if node.get(attr) is None:
                    continue
                if isinstance(children, list) and children:
                    refuse(node, here, attr, "有下级指标（children）时", "下级")
                elif (
                    isinstance(indicators, list)
                    and indicators
                    and all(isinstance(item, dict) and item.get(attr) is not None for item in indicators)
                ):
                    refuse(
                        node,
                        here,
                        attr,
                        f"所列绩效指标（indicators）都写了{computed.PARENT_FIGURES[attr]}时",
                        "各绩效指标",
                    )
            walk(children, here + ("children",))

    walk(loaded.data.get("scoring"), ("scoring",))
    return problems


def _check_size(loaded: Loaded, report: Report) -> list[Problem]:
    """Bound what the document will hold, so that rendering stays a matter of seconds."""
    problems = []

    def count(nodes: tuple) -> int:
        return sum(1 + count(node.children) for node in nodes)

    for name, label, nodes in (("spending", "支出表", report.spending), ("scoring", "评分表", report.scoring)):
        rows = count(nodes)
        if rows > MAX_ROWS:
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line_of((name,)),
                    name,
                    f"{label}行数过多（{rows:,} 行，上限 {MAX_ROWS:,} 行），请检查是否误粘贴了大量内容",
                )
            )
    blocks: dict[tuple[str | int, ...], int] = {
        ("text", key): len(paragraphs) for key, paragraphs in report.text.items()
    }
    for kind in ("problems", "measures"):
        for i, item in enumerate(getattr(report, kind)):
            blocks[(kind, i, "text")] = 1 + len(item.text)
    total = sum(blocks.values())
    if total > MAX_PARAGRAPHS:
        largest = max(blocks, key=blocks.__getitem__)
        problems.append(
            Problem(
                loaded.path,
                loaded.line_of(largest),
                field_path(largest),
                f"文字段落过多（全文 {total:,} 段，上限 {MAX_PARAGRAPHS:,} 段；这里有 {blocks[largest]:,} 段），请检查是否误粘贴了大量内容",
            )
        )
    return problems

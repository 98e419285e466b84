"""Validate loaded values against the schema and the report's format.

Every problem is collected and reported at once, as
``file:line: field.path: 中文说明``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .errors import DataError, Problem, field_path
from .formats import Format
from .load import Loaded
from .schema import Report


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _message(err: dict) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    given = err.get("input")
    if kind == "missing":
        return "缺少必填字段"
    if kind == "extra_forbidden":
        return "未知字段（是否拼写错误？）"
    if kind.startswith("decimal") and kind not in ("decimal_max_digits", "decimal_max_places", "decimal_whole_digits"):
        return f"应为数字，得到 “{_shown(given)}”"
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return f"数字位数过多：{_shown(given)}"
    if kind == "decimal_max_places":
        return f"小数位数过多：{_shown(given)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"应为整数，得到 “{_shown(given)}”"
    if kind == "finite_number":
        return "应为有限的数字"
    if kind in ("string_type",):
        return f"应为文字，得到 “{_shown(given)}”"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "string_pattern_mismatch":
        return f"格式不对：“{_shown(given)}”（只能用小写字母、数字和连字符）"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge', ctx.get('gt'))}，得到 {_shown(given)}"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于 {ctx.get('le', ctx.get('lt'))}，得到 {_shown(given)}"
    if kind.startswith("date"):
        return f"应为日期（如 2023-12-31），得到 “{_shown(given)}”"
    if kind in ("list_type", "tuple_type"):
        return "应为列表（每项以“- ”开头）"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "应为一组字段（“名称: 值”）"
    if kind == "bool_type" or kind == "bool_parsing":
        return "应为 true 或 false"
    if kind == "value_error":
        error = ctx.get("error")
        return str(error) if error else err["msg"]
    return err["msg"]


def validate(loaded: Loaded, fmt: Format | None = None) -> Report:
    """Return the :class:`Report`, or raise :class:`DataError` listing every problem."""
    problems: list[Problem] = list(loaded.problems)
    if not isinstance(loaded.data, dict):
        raise DataError([Problem(loaded.path, 1, "", "文件内容应为一组字段（“名称: 值”）")])
    try:
        report = Report.model_validate(loaded.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            problems.append(Problem(loaded.path, loaded.line_of(loc), field_path(loc), _message(err)))
        report = None
    if fmt is not None and isinstance(loaded.data.get("text"), dict):
        problems += _check_text_keys(loaded, fmt)
    if problems:
        problems.sort(key=lambda p: (p.line or 0))
        raise DataError(problems)
    return report


def _check_text_keys(loaded: Loaded, fmt: Format) -> list[Problem]:
    """The narrative sections must be exactly those the format declares."""
    given = loaded.data["text"]
    problems = []
    for key in fmt.text_keys:
        if key not in given:
            problems.append(Problem(loaded.path, loaded.line_of(("text",)), f"text.{key}", f"缺少文字段落“{fmt.text_keys[key]}”"))
    for key in given:
        if key not in fmt.text_keys:
            known = "、".join(fmt.text_keys)
            problems.append(Problem(loaded.path, loaded.line_of(("text", key)), f"text.{key}", f"格式“{fmt.name}”没有这一段（可用：{known}）"))
    return problems

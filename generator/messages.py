"""Words shared by the checks of data and settings: how a given value is shown in a message,
what to change in a number that is not one, pydantic's errors in Chinese, and the size limits.

Used by the engine's validation of data files (:mod:`generator.engine_validate`), by the
``reported:`` entries' (:mod:`generator.engine_reported`) and by the ``format.yaml``/``layout.yaml``
checks (:mod:`generator.settings_check`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .errors import printable

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

# A real report has a few hundred paragraphs and a few dozen table rows; far more
# is pasted by mistake, and would take docxtpl minutes to render.
MAX_PARAGRAPHS = 20_000
MAX_ROWS = 2_000


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, str):
        text = value
    elif isinstance(value, (int, Decimal)):
        text = str(value)
    elif isinstance(value, dict):
        text = "一组字段"
    elif isinstance(value, (list, tuple)):
        text = "一个列表"
    elif value is None:
        text = "空值"
    else:
        text = str(value)
    text = printable(text)
    return text if len(text) <= 40 else text[:40] + "…"


def _number_hint(given: Any) -> str:
    """What to change in a number that is not one: units, separators, full-width characters."""
    if not isinstance(given, str):
        return ""
    if any(unit in given for unit in ("万", "元", "亿")):
        return "（只写数字，不写单位）"
    if "," in given or "，" in given:
        return "（不要加千分位逗号）"
    if any("\uff01" <= c <= "\uff5e" or c == "\u3002" for c in given):
        return "（请用半角数字和小数点）"
    return ""


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    given = err.get("input")
    if kind == "missing":
        return "缺少必填字段"
    if kind == "extra_forbidden":
        if re.match(r"^[0-9]+(\.[0-9]+)?$", str(err["loc"][-1])):
            return "未知字段（在 { } 里逗号分隔各项，数字不要加千分位逗号）"
        return "未知字段（是否拼写错误？）"
    if kind.startswith("decimal") and kind not in ("decimal_max_digits", "decimal_max_places", "decimal_whole_digits"):
        return f"应为数字，得到 “{_shown(given)}”{_number_hint(given)}"
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return f"数字位数过多：{_shown(given)}"
    if kind == "decimal_max_places":
        return f"小数位数过多：{_shown(given)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"应为整数，得到 “{_shown(given)}”{_number_hint(given)}"
    if kind == "finite_number":
        if isinstance(given, Decimal) and given.is_finite():
            return f"数字位数过多：{_shown(given)}"
        return "应为有限的数字"
    if kind in ("string_type",):
        if isinstance(given, (int, Decimal)) and not isinstance(given, bool):
            return f"应为文字，得到数字 {_shown(given)}（如果内容就是这串数字，请加引号，如 '{_shown(given)}'）"
        return f"应为文字，得到 “{_shown(given)}”"
    if kind == "string_unicode":
        return "含有不完整的字符（孤立的代理码位，如 \\ud800），Word 文档无法保存，请删除"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "too_short":
        return "至少要写一项"
    if kind == "string_pattern_mismatch":
        return f"格式不对：“{_shown(given)}”（只能用小写字母、数字和连字符）"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}，得到 {_shown(given)}"
    if kind == "greater_than":
        return f"应大于 {ctx.get('gt')}，得到 {_shown(given)}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}，得到 {_shown(given)}"
    if kind == "less_than":
        return f"应小于 {ctx.get('lt')}，得到 {_shown(given)}"
    if kind.startswith("date"):
        return f"应为日期（如 2023-12-31），得到 “{_shown(given)}”"
    if kind.startswith("time") or kind.startswith("datetime"):
        return f"应为日期（如 2023-12-31），得到 “{_shown(given)}”"
    if kind in ("list_type", "tuple_type"):
        return "应为列表（每项以“- ”开头）"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "应为一组字段（“名称: 值”）"
    if kind == "bool_type" or kind == "bool_parsing":
        return "应为 true 或 false"
    if kind == "literal_error":
        words = re.findall(r"'([^']*)'", str(ctx.get("expected", ""))) or [str(ctx.get("expected"))]
        return f"应为 {'、'.join(words)} 之一，得到 “{_shown(given)}”"
    if kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        return str(error) if error else err["msg"]
    if kind in ("dict_type", "mapping_type"):
        return "应为一组字段（“名称: 值”）"
    return f"内容不符合要求：{err['msg']}"

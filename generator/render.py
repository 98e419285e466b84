"""Render a format's docxtpl template with a context, apply the shared layout.

Templates render in Jinja's sandbox with ``StrictUndefined`` and autoescape
on: a missing name is an error naming the template, and ``A & B <C>`` in the
data reaches the document unchanged.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate

from . import formatting
from .context import make_env
from .errors import TemplateProblem
from .formats import Format
from .layout import apply_layout
from .vmerge import merge_marked_cells
from .write import normalize_docx


def _where(exc: Exception) -> str:
    context = getattr(exc, "docx_context", None)
    if context:
        text = " ".join(part.strip() for part in context if part.strip())
        text = re.sub(r"\s+", " ", text)
        if len(text) > 120:
            text = text[:120] + "…"
        return f"（模板中附近的文字：{text}）"
    return ""


def _explain(exc: Exception) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        name = re.search(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')", str(exc))
        return f"引用了不存在的变量或字段：{str(exc)}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        if "No filter named" in str(exc):
            return f"使用了不存在的过滤器：{exc.message}"
        return f"模板语法错误：{exc.message}"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"模板试图访问不允许的内容：{exc}"
    return str(exc)


def render_docx(fmt: Format, layout: dict[str, Any], context: dict[str, Any]) -> bytes:
    """Render ``fmt``'s template and return the finished, normalised .docx bytes."""
    template_path = fmt.template_path
    try:
        template = DocxTemplate(str(template_path))
        template.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TemplateProblem(f"{template_path}: 不是有效的 Word 文档（.docx）：{exc}") from exc
    env = make_env(fmt.settings, autoescape=True)
    numbering = formatting.Numbering(fmt.settings.headings)
    full = dict(context)
    full["h"] = numbering
    try:
        template.render(full, env, autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateProblem(f"{template_path}: {_explain(exc)}{_where(exc)}") from exc
    except (TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        raise TemplateProblem(f"{template_path}: 模板渲染失败：{type(exc).__name__}: {exc}{_where(exc)}") from exc
    merge_marked_cells(template.docx)
    apply_layout(template.docx, layout)
    buffer = io.BytesIO()
    template.save(buffer)
    return normalize_docx(buffer.getvalue())

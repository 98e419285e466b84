"""Check a settings file (``format.yaml``, ``_base/layout.yaml``) against its pydantic model.

Every problem at once, as ``file:line: field: 中文说明``, raised as a
:class:`FormatError` before anything is rendered: a mistake in a settings file
must never surface later as a ``KeyError`` inside the layout code.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import DataError, FormatError, Problem, field_path
from .load import Loaded, load_yaml
from .messages import _message

M = TypeVar("M", bound=BaseModel)


def load_settings(
    path: Path, model: type[M], text: str | None = None, elsewhere: Callable[[Any], Collection[str]] | None = None
) -> tuple[M, Loaded]:
    """``path`` loaded (the project's loader: line numbers, limits) and validated as ``model``.

    ``elsewhere(data)`` names top-level keys that another reader checks (left out here).
    """
    try:
        loaded = load_yaml(path, text)
    except DataError as exc:
        raise FormatError(str(exc)) from exc
    problems = list(loaded.problems)
    if not isinstance(loaded.data, dict):
        problems.append(Problem(path, 1, "", "文件内容应为一组字段（“名称: 值”）"))
        raise FormatError("\n".join(str(p) for p in problems))
    try:
        skip = elsewhere(loaded.data) if elsewhere is not None else ()
        settings = model.model_validate({k: v for k, v in loaded.data.items() if k not in skip})
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            problems.append(Problem(path, loaded.line_of(loc), field_path(loc), _message(err)))
        settings = None
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise FormatError("\n".join(str(p) for p in problems))
    assert settings is not None
    return settings, loaded

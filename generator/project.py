"""A project folder: where its data files, formats and outputs are.  Light: no parsing here."""

from __future__ import annotations

import re
from pathlib import Path

from . import paths
from .errors import NotFound
from .record import Frozen

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FORMAT_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")  # a folder name: at most 100 characters
_YEAR_FILE = re.compile(r"^[0-9]{4}$")
MAX_DEPT = 200  # "build/<dept>-2022-2023-redline.docx" stays within a file name's 255 bytes


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class Project(Frozen):
    """A folder that holds ``data/`` and ``templates/``."""

    _fields = ("root",)
    root: Path

    def __init__(self, root: Path) -> None:
        _set(self, "root", root)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def data_path(self, dept: str, year: int | str) -> Path:
        if not _SLUG.match(dept):
            raise NotFound(f"部门代号“{paths.shown(dept)}”无效：只能用小写字母、数字、连字符和下划线")
        if len(dept) > MAX_DEPT:  # it names a folder, and with the years an output file
            raise NotFound(f"部门代号过长（{len(dept):,} 个字符，最多 {MAX_DEPT} 个）：“{paths.shown(dept)}”")
        if not _YEAR_FILE.match(str(year)):
            raise NotFound(f"年度“{paths.shown(str(year))}”无效：应为四位数字的年份，如 2023")
        path = self.data_dir / dept / f"{year}.yaml"
        problem = paths.too_long(path)
        if problem:
            raise NotFound(f"{paths.shown(path)}: {problem}")
        return path

    def reports(self, dept: str | None = None) -> list[tuple[str, int]]:
        """Every (department, year) that has a data file, sorted."""
        found: list[tuple[str, int]] = []
        if not self.data_dir.is_dir():
            return found
        for path in sorted(self.data_dir.glob("*/*.yaml")):
            if _YEAR_FILE.match(path.stem) and (dept is None or path.parent.name == dept):
                found.append((path.parent.name, int(path.stem)))
        return found

    def output_path(self, dept: str, year: int | str) -> Path:
        return self.root / "build" / f"{dept}-{year}.docx"

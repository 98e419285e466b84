"""A project folder: where its data files, formats and outputs are.  Light: no parsing here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import NotFound

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FORMAT_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_YEAR_FILE = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True)
class Project:
    """A folder that holds ``data/`` and ``templates/``."""

    root: Path

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def data_path(self, dept: str, year: int | str) -> Path:
        if not _SLUG.match(dept):
            raise NotFound(f"部门代号“{dept}”无效：只能用小写字母、数字、连字符和下划线")
        return self.data_dir / dept / f"{year}.yaml"

    def reports(self, dept: str | None = None) -> list[tuple[str, int]]:
        """Every (department, year) that has a data file, sorted."""
        found = []
        if not self.data_dir.is_dir():
            return found
        for path in sorted(self.data_dir.glob("*/*.yaml")):
            if _YEAR_FILE.match(path.stem) and (dept is None or path.parent.name == dept):
                found.append((path.parent.name, int(path.stem)))
        return found

    def output_path(self, dept: str, year: int | str) -> Path:
        return self.root / "build" / f"{dept}-{year}.docx"

"""One exception family for everything a user can get wrong.

The CLI catches :class:`ReportError` in one place, prints ``str(error)`` and
exits with ``error.exit_code``.  Messages are in Chinese: they are read by the
finance staff who edit the data files and templates.
"""

from __future__ import annotations

import re
from pathlib import Path

from .record import Frozen

# Characters that must not reach a terminal as they are: control characters
# (an ESC could rewrite the screen), lone surrogates (cannot be encoded), and
# the invisible line and paragraph separators.
# The characters a Word document cannot keep, as the inside of a character class: XML 1.0 cannot
# hold C0 controls other than tab/newline, surrogates, U+FFFE/U+FFFF; a carriage return would come
# back as a newline.
WORD_CANNOT_KEEP = "\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff"
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x0b``, ``\\u2028``)."""

    def escape(match: re.Match) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)


def field_path(loc: tuple) -> str:
    """``("spending", 0, "actual")`` → ``spending[0].actual``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = str(part)
            if not name or re.search(r"[\s.\[\]:“”]", name):  # a blank or odd key must still be visible
                name = f"“{name}”"
            out += ("." if out else "") + name
    return out


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class Problem(Frozen):
    """One problem found in a data file: where it is and what is wrong."""

    _fields = ("path", "line", "field", "message", "severity")
    path: Path | str
    line: int | None
    field: str
    message: str
    severity: str  # "error" or "warning"

    def __init__(self, path: Path | str, line: int | None, field: str, message: str, severity: str = "error") -> None:
        _set(self, "path", path)
        _set(self, "line", line)
        _set(self, "field", field)
        _set(self, "message", message)
        _set(self, "severity", severity)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        label = "" if self.severity == "error" else "警告："
        field = f" {self.field}:" if self.field else ""
        # one problem, one line: a newline inside a quoted value is shown as \n
        return printable(f"{where}:{field} {label}{self.message}").replace("\n", "\\n")


class ReportError(Exception):
    """Base class of every error the user is expected to fix."""

    exit_code = 1


class DataError(ReportError):
    """A data file is unreadable or invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FormatError(ReportError):
    """A format (templates/<format>/format.yaml) is missing or invalid."""


class TemplateProblem(ReportError):
    """A template cannot be rendered: names the template and the cause."""


class OutputError(ReportError):
    """The output file cannot be written."""


class NotFound(ReportError):
    """A department, year or file that the user named does not exist."""


def remove_hint(loc: tuple, siblings: dict, line_of) -> str:
    """``请删除这一行``; where other fields share the line (``{name: …, adjustment: …}``), which item;
    where the value goes on over the next lines (a block of fields or a list), the whole block."""
    line = line_of(loc)
    if any(line_of(loc[:-1] + (key,)) == line for key in siblings if key != loc[-1]):
        return f"请从这一行删去“{loc[-1]}: …”"
    value = siblings.get(loc[-1])
    if isinstance(value, (dict, list)) and value:
        inner = next(iter(value)) if isinstance(value, dict) else 0
        if line_of(loc + (inner,)) != line:
            return "请删除从这一行起的这一段"
    return "请删除这一行"


class ImportRefused(DataError):
    """A file given to ``reportgen import`` cannot be read: names the file and says why, in Chinese."""

    def __init__(self, path: Path | str, message: str):
        self.path = path
        self.message = message
        super().__init__([Problem(path, None, "", message)])

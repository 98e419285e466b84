"""A ``reported:`` entry of a data file, as plain data, and the quick check of a plainly right one.

An entry names a figure, its printed text and where it was printed (``table``/``row``/``column``
or ``paragraph``/``item``).  An entry that is plainly right — text where text belongs, a place
named once, no character Word cannot keep — is taken as it is; any other is checked by the
model (:mod:`generator.reported_entry`, pydantic), which says what is wrong.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .errors import WORD_CANNOT_KEEP
from .record import Frozen

XML_ILLEGAL = re.compile(f"[{WORD_CANNOT_KEEP}]")


_set = object.__setattr__  # a frozen record's fields are set once, in __init__


class Reported(Frozen):
    """A derived figure as another source printed it, errors included (``reportgen audit``).

    ``figure`` names the computed figure it claims to be (``spending.total.adjustment_rate``);
    ``table``/``row``/``column`` or ``paragraph``/``item`` say where it was printed.
    """

    _fields = ("figure", "printed", "table", "row", "column", "paragraph", "item")
    figure: str
    printed: str
    table: str | None
    row: str | None
    column: str | None
    paragraph: str | None
    item: str | None

    def __init__(
        self,
        figure: str,
        printed: str,
        table: str | None = None,
        row: str | None = None,
        column: str | None = None,
        paragraph: str | None = None,
        item: str | None = None,
    ) -> None:
        _set(self, "figure", figure)
        _set(self, "printed", printed)
        _set(self, "table", table)
        _set(self, "row", row)
        _set(self, "column", column)
        _set(self, "paragraph", paragraph)
        _set(self, "item", item)

    @property
    def where(self) -> str:
        """Where it was printed, in words: ``收支表 本年支出合计 预算调整率``."""
        parts = (self.table, self.row, self.column) if self.table is not None else (self.paragraph, self.item)
        return " ".join(p for p in parts if p)


FIELDS = frozenset(("figure", "printed", "table", "row", "column", "paragraph", "item"))


def printed_text(value: Any) -> Any:
    """A printed figure written as a YAML number keeps its digits: ``45.50`` → ``"45.50"``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return str(value)
    return value


def quick(item: Any) -> Reported | None:
    """The entry, when it is plainly right (as the model would take it); else None."""
    if type(item) is not dict or not item.keys() <= FIELDS:
        return None
    values = dict(item)
    if "printed" in values:
        values["printed"] = printed_text(values["printed"])
    for key in ("figure", "printed"):
        value = values.get(key)
        if type(value) is not str or not value:
            return None
    for value in values.values():
        if value is not None and (type(value) is not str or XML_ILLEGAL.search(value)):
            return None
    if (values.get("table") is None) == (values.get("paragraph") is None):
        return None
    return Reported(**values)

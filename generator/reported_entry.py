"""A ``reported:`` entry of a data file (pydantic), and the base and text type of the data models.

The rest of a data file is checked against its format's declaration
(:mod:`generator.engine_validate`); ``reported:`` is the same for every format.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

# Characters a Word document cannot keep: XML 1.0 cannot hold C0 controls other
# than tab/newline, surrogates, U+FFFE/U+FFFF; a carriage return would come
# back as a newline.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    match = _XML_ILLEGAL.search(value)
    if match:
        raise ValueError(
            f"含有 Word 文档无法保存的控制字符 U+{ord(match.group()):04X}（本段第 {match.start() + 1} 个字符），请删除"
        )
    return value


SafeStr = Annotated[str, AfterValidator(_xml_safe)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


def _printed_text(value: Any) -> Any:
    """A printed figure written as a YAML number keeps its digits: ``45.50`` → ``"45.50"``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return str(value)
    return value


class Reported(Model):
    """A derived figure as another source printed it, errors included (``reportgen audit``).

    ``figure`` names the computed figure it claims to be (``spending.total.adjustment_rate``);
    ``table``/``row``/``column`` or ``paragraph``/``item`` say where it was printed.
    """

    figure: SafeStr = Field(min_length=1)
    printed: Annotated[SafeStr, BeforeValidator(_printed_text)] = Field(min_length=1)
    table: SafeStr | None = None
    row: SafeStr | None = None
    column: SafeStr | None = None
    paragraph: SafeStr | None = None
    item: SafeStr | None = None

    @model_validator(mode="after")
    def _one_place(self) -> Reported:
        if (self.table is None) == (self.paragraph is None):
            raise ValueError("应写明印在哪里：表格写 table/row/column，文字写 paragraph/item（二者选一）")
        return self

    @property
    def where(self) -> str:
        """Where it was printed, in words: ``收支表 本年支出合计 预算调整率``."""
        parts = (self.table, self.row, self.column) if self.table is not None else (self.paragraph, self.item)
        return " ".join(p for p in parts if p)

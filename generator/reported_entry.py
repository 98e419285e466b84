"""A ``reported:`` entry of a data file checked by pydantic (one that :func:`generator.reported_item.quick`
does not take as plainly right), and the base and text type of the data models.

The rest of a data file is checked against its format's declaration
(:mod:`generator.engine_validate`); ``reported:`` is the same for every format.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .reported_item import XML_ILLEGAL, Reported, printed_text


def _xml_safe(value: str) -> str:
    match = XML_ILLEGAL.search(value)
    if match:
        raise ValueError(
            f"含有 Word 文档无法保存的控制字符 U+{ord(match.group()):04X}（本段第 {match.start() + 1} 个字符），请删除"
        )
    return value


SafeStr = Annotated[str, AfterValidator(_xml_safe)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class ReportedModel(Model):
    """A derived figure as another source printed it, errors included (``reportgen audit``).

    ``figure`` names the computed figure it claims to be (``spending.total.adjustment_rate``);
    ``table``/``row``/``column`` or ``paragraph``/``item`` say where it was printed.
    """

    figure: SafeStr = Field(min_length=1)
    printed: Annotated[SafeStr, BeforeValidator(printed_text)] = Field(min_length=1)
    table: SafeStr | None = None
    row: SafeStr | None = None
    column: SafeStr | None = None
    paragraph: SafeStr | None = None
    item: SafeStr | None = None

    @model_validator(mode="after")
    def _one_place(self) -> ReportedModel:
        if (self.table is None) == (self.paragraph is None):
            raise ValueError("应写明印在哪里：表格写 table/row/column，文字写 paragraph/item（二者选一）")
        return self

    def plain(self) -> Reported:
        return Reported(self.figure, self.printed, self.table, self.row, self.column, self.paragraph, self.item)

"""The JSON Schema (draft 2020-12) of a declared format's data files.

Every field has a Chinese ``title`` (its label) and ``description`` (its help),
so that an editor with the YAML language server completes field names and
shows the help while the clerk types.
"""

from __future__ import annotations

from typing import Any

from .declare import SCALAR_TYPES, Declaration, Group, Input, Months, Scalar, Series, Table
from .formats import FormatSettings

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _scalar(spec: Scalar) -> dict[str, Any]:
    head: dict[str, Any] = {"title": spec.label, "description": f"{spec.help}（{SCALAR_TYPES[spec.type]}）"}
    out: dict[str, Any] = {}
    kind = spec.type
    if kind == "text":
        out.update(type="string", minLength=1)
    elif kind == "paragraphs":
        out["anyOf"] = [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    elif kind == "choice":
        out.update(type="string", enum=list(spec.values))
    elif kind == "date":
        out.update(type="string", format="date")
    elif kind == "count":
        out.update(type="integer", minimum=0)
    elif kind == "percent":
        out["anyOf"] = [{"type": "number"}, {"type": "string", "pattern": r"^[+-]?\d+(\.\d+)?%$"}]
    else:
        out["type"] = "number"
    if not spec.required:  # a field that may be left out may also be written empty (name: ~)
        return {**head, "anyOf": [out, {"type": "null"}]}
    return {**head, **out}


def _table(spec: Table, path: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the table's schema, its row definition)."""
    properties: dict[str, Any] = {key: _scalar(col) for key, col in spec.columns.items()}
    for key, inner in spec.lists.items():
        inner_table, inner_row = _table(inner, f"{path}_{key}")
        properties[key] = inner_table | {"items": inner_row}
    row: dict[str, Any] = {
        "title": f"{spec.label}的一行",
        "description": spec.help,
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    # a column that a nested list may give (parts, count_of) is not required of every row
    leaf_required = [k for k, c in spec.columns.items() if c.required and not (c.sum_of or c.count_of)]
    required = [k for k in leaf_required if spec.columns[k].type == "text"] if spec.tree else leaf_required
    if spec.tree:
        row["if"] = {"not": {"required": ["children"]}}
        row["then"] = {"required": leaf_required}
        properties["children"] = {
            "title": "下级行",
            "description": "下级行；有下级行时，合计列由下级合计得出，不要填写",
            "type": "array",
            "minItems": 1,
            "items": {"$ref": f"#/$defs/{path}_row"},
        }
    if required:
        row["required"] = required
    table = {
        "title": spec.label,
        "description": spec.help,
        "type": "array",
        "items": {"$ref": f"#/$defs/{path}_row"},
    }
    return table, row


def _input(spec: Input, path: str, defs: dict[str, Any]) -> dict[str, Any]:
    """The schema of one input; a table's row goes into ``defs`` under its path."""
    if isinstance(spec, Scalar):
        return _scalar(spec)
    if isinstance(spec, Series):
        item = _scalar(spec.item)
        item["title"] = f"{spec.label}的一项"
        return {"title": spec.label, "description": spec.help, "type": "array", "items": item}
    if isinstance(spec, Months):
        return {
            "title": spec.label,
            "description": f"{spec.help}（写法：{{from: 3, rates: [92.5, 101.2]}}）",
            "type": "object",
            "properties": {
                "from": {
                    "title": "起始月份",
                    "description": "第一个数字所属的月份（1～12）",
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 12,
                },
                "rates": {
                    "title": "各月数字",
                    "description": "自起始月份起逐月的数字（%）",
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 12,
                    "items": {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^[+-]?\d+(\.\d+)?%$"}]},
                },
            },
            "required": ["from", "rates"],
            "additionalProperties": False,
        }
    if isinstance(spec, Group):
        return {
            "title": spec.label,
            "description": spec.help,
            "type": "object",
            "properties": {k: _input(f, f"{path}_{k}", defs) for k, f in spec.fields.items()},
            "required": [k for k, f in spec.fields.items() if f.required],
            "additionalProperties": False,
        }
    table, defs[f"{path}_row"] = _table(spec, path)
    return table


_WHERE = {"type": "string", "minLength": 1}
REPORTED: dict[str, Any] = {
    "title": "报告印出的数字",
    "description": "照抄报告印出的数字，供 reportgen audit 与计算结果核对；不进入生成的报告",
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "figure": {
                "title": "数字",
                "description": "哪个数字：如 funds.total.rate、funds.财政拨款.spent、staff.actual、total_score"
                "（reportgen figures 部门 年度 列出全部）",
                "type": "string",
                "minLength": 1,
            },
            "printed": {
                "title": "印出的样子",
                "description": "照原样抄，错的也照抄，如 11.51%、1,234.50",
                "type": ["string", "number"],
            },
            "table": _WHERE | {"title": "表格", "description": "印在哪个表格（与 row、column 一起写）"},
            "row": _WHERE | {"title": "行", "description": "表格的哪一行"},
            "column": _WHERE | {"title": "列", "description": "表格的哪一列"},
            "paragraph": _WHERE
            | {"title": "段落", "description": "印在哪一段文字（与 item 一起写；与 table 二者选一）"},
            "item": _WHERE | {"title": "项目", "description": "段落中的哪一项"},
        },
        "required": ["figure", "printed"],
        "additionalProperties": False,
    },
}


def json_schema(decl: Declaration, settings: FormatSettings, slug: str) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "format": {"title": "格式", "description": f"本文件适用的格式：{settings.name}", "const": slug},
        "year": {
            "title": "年度",
            "description": "报告年度，与文件名一致",
            "type": "integer",
            "minimum": 2000,
            "maximum": 2100,
        },
    }
    defs: dict[str, Any] = {}
    required = ["format", "year"]
    for key, spec in decl.inputs.items():
        properties[key] = _input(spec, key, defs)
        if spec.required:
            required.append(key)
    if decl.text:
        properties["text"] = {
            "title": "文字段落",
            "description": "报告的文字，每行一段；文中的数字写成 {{ 名称|过滤器 }} 引用计算结果",
            "type": "object",
            "properties": {
                k: {
                    "title": label,
                    "description": help_,
                    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                }
                for k, (label, help_) in decl.text.items()
            },
            "required": list(decl.text),
            "additionalProperties": False,
        }
        required.append("text")
    properties["reported"] = REPORTED
    properties["title_lines"] = {
        "title": "标题分行",
        "description": "标题在哪里分行（每项一行），不写时由程序分行",
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    }
    if settings.annexes:
        properties["annexes"] = {
            "title": "附件",
            "description": "本报告的附件：顺序、标题（不写时按格式的附件）",
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "key": {"title": "附件", "type": "string", "enum": [a.key for a in settings.annexes]},
                    "title": {"title": "标题", "type": "string", "minLength": 1},
                },
                "required": ["key"],
            },
        }
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": f"reportgen:{slug}",
        "title": f"{settings.name} 数据文件",
        "description": f"reportgen 格式“{slug}”的数据文件：只写原始数字，合计、比率、得分由程序计算",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if defs:
        schema["$defs"] = defs
    return schema

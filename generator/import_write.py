"""The imported data file as YAML text, with its summary on top (``reportgen import``, step 5).

No I/O: :mod:`generator.import_run` writes the text atomically.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from .import_figures import Draft
from .scaffold import schema_line


@dataclass
class Summary:
    source: str
    headings: int
    fixed: int
    placed: int
    unplaced: int
    inputs: int
    reported: int
    tables: int
    missing: list[str]
    expected_headings: int = 0  # the format's own headings (without the items' titles)
    found_headings: int = 0  # how many of them the document has
    format_name: str = ""

    def lines(self) -> list[str]:
        out = [
            f"由 reportgen import 从 {self.source} 读出：标题 {self.headings} 个，文字段落 {self.placed} 段，"
            f"模板自写的句子 {self.fixed} 句，表格 {self.tables} 张，填入数据 {self.inputs} 项，"
            f"记入 reported: 的印出数字 {self.reported} 个，未能归位 {self.unplaced} 段。",
        ]
        if self.expected_headings and self.found_headings * 2 < self.expected_headings:
            out.append(
                f"只找到格式“{self.format_name}”的 {self.found_headings} 个标题（共 {self.expected_headings} 个）："
                "这份报告可能不是这个格式，请核对 --format。"
            )
        if self.unplaced:
            out.append("未能归位的段落列在文件末尾的 unplaced: 下（段号、原文）：请移到合适的位置后删去 unplaced:。")
        if self.missing:
            shown = "；".join(self.missing[:5]) + ("……" if len(self.missing) > 5 else "")
            out.append(f"报告中没有读到、须补填的：{shown}")
        out.append("请运行 reportgen check 补全并核对，再运行 reportgen audit 查看原报告印出的数字与计算结果的差异。")
        return out


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value if value.endswith("\n") else value + "\n", "|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(_dt.date, yaml.SafeDumper.represent_date)


def dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)


def yaml_text(draft: Draft, slug: str, summary: Summary) -> str:
    """The data file: schema line, summary comment, the data, ``reported:`` and ``unplaced:``."""
    head = schema_line(slug) + "".join(f"# {line}\n" for line in summary.lines())
    body = dump(draft.data)
    if draft.reported:
        body += "\n# 原报告印出的派生数字（照印出的样子），reportgen audit 与计算结果核对\n"
        body += "reported:\n" + "".join(
            "  - "
            + yaml.dump(e, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=True)
            for e in draft.reported
        )
    if draft.unplaced:
        body += "\n# 未能归位的段落（段号：原文）：请移到合适的位置后删去以下各行\n"
        body += dump({"unplaced": [{"paragraph": n, "text": t} for n, t in draft.unplaced]})
    return head + "\n" + body

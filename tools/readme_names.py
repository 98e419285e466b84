"""The README's list of names, written from ``reportgen names`` (issue: the list comes from it).

    python tools/readme_names.py          # rewrite the block between the markers in README.md
    python tools/readme_names.py --check  # exit 1 if the block differs from what names prints now

The block lies between ``<!-- names: DEPT YEAR -->`` and ``<!-- /names -->``; the report named in
the opening marker is the one listed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import pipeline  # noqa: E402

BLOCK = re.compile(r"(<!-- names: (\S+) (\d{4}) -->\n)(.*?)(<!-- /names -->)", re.S)


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def table(dept: str, year: int) -> str:
    names = pipeline.names(pipeline.Project(ROOT), dept, year)
    lines = [
        f"<details><summary>{dept} {year} 的全部名称（共 {len(names)} 个，`reportgen names {dept} {year}` 的输出）</summary>",
        "",
        "| 名称 | 本报告中印作 | 含义 |",
        "|---|---|---|",
    ]
    lines += [f"| `{cell(n.name)}` | {cell(n.printed)} | {cell(n.meaning)} |" for n in names]
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def rewrite(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        return match.group(1) + table(match.group(2), int(match.group(3))) + match.group(5)

    new, count = BLOCK.subn(one, text)
    if not count:
        raise SystemExit("README.md: 没有 <!-- names: 部门 年度 --> … <!-- /names --> 标记")
    return new


def main(argv: list[str]) -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = rewrite(text)
    if "--check" in argv:
        if new != text:
            print("README.md: 名称列表与 reportgen names 的输出不同，请运行 make readme", file=sys.stderr)
            return 1
        return 0
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""No module of generator/ names a bureau, a format, a seed or a per-format model (issue 10).

Every format is declared in ``templates/<格式>/format.yaml`` and read by one engine: a format
added or changed needs no Python, so no name of one belongs in ``generator/``.  Examples in
docstrings and help texts use neutral placeholders (``data/部门/2023.yaml``, ``format: 格式名称``).
"""

from __future__ import annotations

import re

from .conftest import ROOT

# the bureaus and places of the formats we have (and the tests' sixth format), and the per-format
# models the engine replaced
KNOWN = [
    "guangzhou",
    "zhanjiang",
    "hebei",
    "hunan",
    "beita",
    "fengnan",
    "sichuan",
    "zhejiang",
    "广州",
    "湛江",
    "河北",
    "丰南",
    "湖南",
    "北塔",
    "邵阳",
    "唐山",
    "四川",
    "浙江",
    "KeyTask",
    "FinalAccounts",
    "EconomicClass",
    "Headcount",
    "BudgetExecution",
    "ProjectReview",
    "EvaluationTeam",
]


def _names() -> list[str]:
    """The fixed list, and every format folder and department in the repository (a new one too)."""
    found = set(KNOWN)
    for folder in ("templates", "examples/formats"):
        found |= {p.parent.name for p in (ROOT / folder).glob("*/format.yaml")}
    found |= {p.name for p in (ROOT / "data").iterdir() if p.is_dir()}
    return sorted(found)


def test_no_module_in_generator_names_a_format():
    pattern = re.compile("|".join(re.escape(n) for n in _names()), re.IGNORECASE)
    hits = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "generator").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert hits == []


def test_the_check_finds_a_name():
    """The pattern is not vacuous: the formats' own folders are in it, and it matches them."""
    names = _names()
    assert {"guangzhou-2024", "hunan-county", "zhanjiang", "beita"} <= set(names)
    pattern = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
    assert pattern.search("def compute_Hunan(report):") and pattern.search("# 广州 2023 版")
    assert not pattern.search("def compute_declared(decl, inputs):")

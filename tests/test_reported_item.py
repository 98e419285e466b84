"""``reported:`` entries: the quick check takes only what the model takes, as the model takes it,
and a build with unchanged settings and plainly right entries never imports pydantic."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import pytest
from pydantic import ValidationError

from generator.load import load_yaml
from generator.reported_entry import ReportedModel
from generator.reported_item import Reported, quick

from .conftest import ROOT

PLACE = {"table": "收支表", "row": "合计", "column": "决算数"}
ITEMS = [
    {"figure": "a.b", "printed": "1.00", **PLACE},
    {"figure": "a.b", "printed": "1.00", "paragraph": "一、概况", "item": "预算"},
    {"figure": "a.b", "printed": "1.00", "paragraph": "一、概况"},
    {"figure": "a.b", "printed": Decimal("45.50"), **PLACE},
    {"figure": "a.b", "printed": 12, **PLACE},
    {"figure": "a.b", "printed": True, **PLACE},
    {"figure": "a.b", "printed": 1.5, **PLACE},
    {"figure": "a.b", "printed": "", **PLACE},
    {"figure": "", "printed": "1", **PLACE},
    {"figure": "a.b", **PLACE},
    {"printed": "1", **PLACE},
    {"figure": "a.b", "printed": "1"},
    {"figure": "a.b", "printed": "1", **PLACE, "paragraph": "一"},
    {"figure": "a.b", "printed": "1", **PLACE, "colour": "红"},
    {"figure": "a.b", "printed": "1", "table": "收支表", "row": None, "column": None},
    {"figure": "a.b", "printed": "1", "table": "收支表", "row": 3},
    {"figure": "a.b", "printed": "1\x07", **PLACE},
    {"figure": "a.b", "printed": "1", "table": "收\ufffe"},
    {"figure": ["a"], "printed": "1", **PLACE},
    {1: "a", "figure": "a.b", "printed": "1", **PLACE},
    {"figure": " ", "printed": " ", **PLACE},
    "a.b",
    None,
    ["a.b"],
]


@pytest.mark.parametrize("item", ITEMS)
def test_quick_takes_only_what_the_model_takes(item):
    try:
        model = ReportedModel.model_validate(item).plain()
    except ValidationError:
        model = None
    found = quick(item)
    assert found is None or found == model
    if found is not None:
        assert isinstance(found, Reported)


def test_the_repositorys_entries_are_plainly_right():
    entries = [
        item for path in sorted((ROOT / "data").glob("*/*.yaml")) for item in load_yaml(path).data.get("reported", [])
    ]
    assert len(entries) > 100
    assert all(quick(item) == ReportedModel.model_validate(item).plain() for item in entries)


BUILD = """
import sys
from generator.cli import main
try:
    main(["build", "guangzhou", "2023", "-o", sys.argv[1], "--root", sys.argv[2]])
finally:
    print("pydantic" in sys.modules, file=sys.stderr)
"""


def test_a_build_with_unchanged_settings_needs_no_pydantic(tmp_path):
    env = dict(os.environ, REPORTGEN_CACHE=str(tmp_path / "cache"))

    def build() -> str:
        command = [sys.executable, "-c", BUILD, str(tmp_path / "out.docx"), str(ROOT)]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stderr.strip().splitlines()[-1]

    assert build() == "True"  # the settings checked, and kept
    assert build() == "False"

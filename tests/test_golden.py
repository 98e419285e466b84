"""Each built report's text (paragraphs and table cells) against its golden file.

Regenerate with ``make golden`` after a deliberate change, and review the diff.
"""

from __future__ import annotations

import os

import pytest

from generator.extract import text_lines

from .conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"


def test_every_report_has_a_golden_file(built):
    missing = [f"{d}-{y}" for d, y in built if not (GOLDEN / f"{d}-{y}.txt").exists()]
    if os.environ.get("UPDATE_GOLDEN"):
        return
    assert not missing, f"no golden text for {missing}: run make golden"


@pytest.mark.parametrize("name", sorted(p.stem for p in GOLDEN.glob("*.txt")))
def test_text_matches_golden(built, name):
    dept, year = name.rsplit("-", 1)
    path = built[(dept, int(year))]
    lines = text_lines(path)
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = golden.read_text(encoding="utf-8").splitlines()
    assert lines == expected


def test_update_golden_writes_new_reports(built):
    if not os.environ.get("UPDATE_GOLDEN"):
        pytest.skip("only with UPDATE_GOLDEN=1 (make golden)")
    for (dept, year), path in built.items():
        (GOLDEN / f"{dept}-{year}.txt").write_text("\n".join(text_lines(path)) + "\n", encoding="utf-8")

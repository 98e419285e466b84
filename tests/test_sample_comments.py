"""examples/sample/2024.yaml names, in comments, the sentences the template writes by itself.

Each 【模板已写】 comment quotes what the built report prints (… stands for figures); the quote must
be in the report built from the sample, so that a clerk who reads it does not write it twice, and
the comment cannot drift from the template.
"""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from generator import pipeline
from generator.extract import tables, text_lines

from .conftest import ROOT

SAMPLE = ROOT / "examples" / "sample" / "2024.yaml"
MARK = "【模板已写】"


def marked_quotes() -> list[str]:
    """The “…” quotes of the 【模板已写】 comments (a comment may go on over the next comment lines)."""
    quotes: list[str] = []
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if MARK not in line:
            continue
        text = line.split(MARK, 1)[1]
        for more in lines[i + 1 :]:
            stripped = more.strip()
            if not stripped.startswith("#") or MARK in stripped:
                break
            text += stripped.lstrip("#").strip()
        quotes += re.findall(r"“([^”]*)”", text)
    return quotes


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "data" / "shili").mkdir(parents=True)
    shutil.copy(SAMPLE, root / "data" / "shili" / "2024.yaml")
    out = pipeline.build(pipeline.Project(root), "shili", 2024, root / "shili.docx")
    texts = text_lines(out) + [cell for table in tables(out) for row in table for cell in row]
    return texts


def test_the_sample_marks_what_the_template_writes():
    quotes = marked_quotes()
    # the staffing sentence, the 收支 sentence, the score table, the formula, the title, the annexes
    assert len(quotes) >= 6, quotes
    assert any(q.startswith("截止") for q in quotes) and any("部门整体支出情况如下" in q for q in quotes)


@pytest.mark.parametrize("quote", marked_quotes())
def test_each_marked_sentence_is_written_by_the_template(sample_report, quote):
    pattern = ".*?".join(re.escape(part) for part in quote.split("…"))
    assert any(re.search(pattern, line) for line in sample_report), (
        f"“{quote}” is not in the report built from the sample"
    )


def test_no_text_paragraph_of_the_sample_repeats_a_marked_sentence():
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    body = "\n".join(data["text"].values())
    for fixed in ("编制人数", "部门整体支出情况如下", "综合得分情况"):
        assert fixed not in body, fixed

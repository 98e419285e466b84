"""Generated reports open in LibreOffice and convert to PDF.

Needs Debian's libreoffice-writer-nogui and poppler-utils (.ci/run installs
them); skips with that reason elsewhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from generator.preview import soffice, to_pdf

from .conftest import ROOT

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        soffice() is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
    ),
    pytest.mark.skipif(
        shutil.which("pdfinfo") is None, reason="pdfinfo is not installed: apt-get install poppler-utils"
    ),
]


def pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdfs(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    fonts = ROOT / "templates" / "_base" / "fonts.conf"
    return {key: to_pdf(path, out, fonts) for key, path in built.items()}


def test_guangzhou_2023_converts(pdfs):
    pdf = pdfs[("guangzhou", 2023)]
    # 21 pages of the seed's A4 original, set at GB/T 9704's 22 lines × 28 characters
    assert 12 <= pages(pdf) <= 18
    text = pdf_text(pdf)
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)
    assert "17,697.70" in text and "99.79%" in text


def test_every_report_converts(pdfs):
    for key, pdf in pdfs.items():
        assert pages(pdf) >= 1, key


def test_each_annex_starts_a_new_page(pdfs):
    # 广州 2022 has two annexes (2023 one: its 统计表 has no values and is not attached)
    pdf = pdfs[("guangzhou", 2022)]
    n = pages(pdf)
    tops = []
    for page in range(1, n + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        tops.append(re.sub(r"\s+", "", first))
    # 附件1's table goes on over a second page, which starts with its repeated header row
    assert tops[-3:] == ["附件1", "一级指标二级指标三级指标分值得分得分率", "附件2"]
    body_end = subprocess.run(
        ["pdftotext", "-f", str(n - 3), "-l", str(n - 3), str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "附件：1." in re.sub(r"\s+", "", body_end)

"""The README's 「如何新增一个部门」 section, followed literally in a copy of the repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from generator.extract import tables, text_lines

from .conftest import ROOT


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 如何新增一个部门", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "reportgen").exists(), reason="needs the project's .venv (make venv)")
def test_add_a_department_as_the_readme_says(tmp_path):
    for name in ("data", "templates", "examples", "tools", "generator"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "README.md"):
        shutil.copy2(ROOT / name, tmp_path / name)
    # the copy's .venv: the real project's commands, and a stamp newer than pyproject.toml and the lock
    # so that make does not bootstrap a new environment for the copy
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for tool in ("reportgen", "python"):
        wrapper = bin_dir / tool
        wrapper.write_text(f'#!/bin/sh\nexec "{ROOT / ".venv" / "bin" / tool}" "$@"\n')
        wrapper.chmod(0o755)
    (tmp_path / ".venv" / ".installed-stamp").touch()
    env = dict(os.environ)
    commands = readme_commands()
    assert commands[-1] == "make report DEPT=shili YEAR=2024"
    for command in commands:
        result = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    out = tmp_path / "build" / "shili-2024.docx"
    lines = text_lines(out)
    assert lines[0] == "2024年度广州市示例局部门整体支出绩效自评报告"
    # 93.50 / 2210.00 = 4.2307% ; 2268.95 / 2303.50 = 98.500%
    assert tables(out)[0][-1] == ["本年支出合计", "2,210.00", "93.50", "2,303.50", "4.23%", "2,268.95", "98.50%"]
    # 19 + 18.5 + 9 + 44 = 90.5 → 优
    assert any("总体综合评分为90.5分" in l and "自评结果为“优”" in l for l in lines)

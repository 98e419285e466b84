"""The command line: exit codes and exact messages, through click's CliRunner."""

from __future__ import annotations

import os
import re

import pytest

from generator.cli import main

from .conftest import edit


def test_build_writes_the_report(cli_runner, project):
    result = cli_runner.invoke(main, ["build", "guangzhou", "2023", "--root", str(project.root)])
    assert result.exit_code == 0, result.output
    out = project.root / "build" / "guangzhou-2023.docx"
    assert result.output == f"已生成 {out}\n"
    assert out.stat().st_size > 10_000


def test_build_to_a_named_file(cli_runner, project, tmp_path):
    target = tmp_path / "sub" / "r.docx"
    result = cli_runner.invoke(main, ["build", "guangzhou", "2023", "-o", str(target), "--root", str(project.root)])
    assert result.exit_code == 0, result.output
    assert target.is_file()


def test_check_passes_every_repository_file(cli_runner, root):
    result = cli_runner.invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "data/guangzhou/2023.yaml: 通过" in result.output


def test_list(cli_runner, project):
    result = cli_runner.invoke(main, ["list", "--root", str(project.root)])
    assert result.exit_code == 0
    rows = [line.split("\t")[:2] for line in result.output.splitlines()]
    assert ["guangzhou", "2023"] in rows
    assert rows == sorted(rows)


def test_unknown_department_exit_1(cli_runner, project):
    result = cli_runner.invoke(main, ["build", "nowhere", "2023", "--root", str(project.root)])
    assert result.exit_code == 1
    assert result.output == f"{project.root}/data/nowhere/2023.yaml: 找不到数据文件（没有这个部门的数据文件夹）\n"


def test_unknown_year_names_the_years_there_are(cli_runner, project):
    result = cli_runner.invoke(main, ["build", "guangzhou", "1999", "--root", str(project.root)])
    assert result.exit_code == 1
    assert re.search(r"找不到数据文件（该部门已有年度：[0-9、]*2023[0-9、]*）", result.output)


def test_usage_errors_exit_2(cli_runner):
    assert cli_runner.invoke(main, ["build"]).exit_code == 2
    assert cli_runner.invoke(main, ["build", "guangzhou", "二〇二三"]).exit_code == 2
    assert cli_runner.invoke(main, ["frobnicate"]).exit_code == 2


def test_malformed_number_one_clear_line(cli_runner, project):
    data = project.data_dir / "guangzhou" / "2023.yaml"
    edit(data, "adjusted: 399.55,", "adjusted: 399.5五,")
    result = cli_runner.invoke(main, ["build", "guangzhou", "2023", "--root", str(project.root)])
    assert result.exit_code == 1
    assert (
        result.output
        == f"{data}:23: spending[0].children[1].adjusted（基本支出 › 日常公用经费 › 调整后预算）: 应为数字，得到 “399.5五”\n"
    )
    assert "Traceback" not in result.output
    assert not (project.root / "build" / "guangzhou-2023.docx").exists()


def test_every_problem_reported_at_once(cli_runner, project):
    data = project.data_dir / "guangzhou" / "2023.yaml"
    edit(data, "  self_name: 我办", "  self_name: 我办\n  nmae: 错字段")
    edit(data, "actual: 115", "actual: 一百一十五")
    edit(data, "year: 2023", "year: 2023\nyear: 2023")
    result = cli_runner.invoke(main, ["check", "guangzhou", "2023", "--root", str(project.root)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines == [
        f"{data}:7: year: 字段重复：第 6 行和第 7 行都写了“year”，请只保留一处",
        f"{data}:13: department.nmae（部门）: 未知字段（是否拼写错误？可用：name、short_name、self_name）",
        f"{data}:18: staffing.actual（人员情况 › 实有在编人数）: 应为整数，得到 “一百一十五”",
        "1 个文件有错误",
    ]


def test_failed_build_keeps_the_good_report(cli_runner, project):
    out = project.root / "build" / "guangzhou-2023.docx"
    assert cli_runner.invoke(main, ["build", "guangzhou", "2023", "--root", str(project.root)]).exit_code == 0
    good = out.read_bytes()
    edit(project.data_dir / "guangzhou" / "2023.yaml", "score: 45.5", "score: 四十五")
    result = cli_runner.invoke(main, ["build", "guangzhou", "2023", "--root", str(project.root)])
    assert result.exit_code == 1
    assert out.read_bytes() == good
    assert [p.name for p in out.parent.iterdir()] == ["guangzhou-2023.docx"]


def test_python_dash_m_works(root):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "generator", "list", "--root", str(root)], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "guangzhou\t2023" in result.stdout


# --- a closed output pipe ends quietly ---------------------------------------------------

CLOSED_PIPE_COMMANDS = {
    "text": ["text", "{docx}"],
    "list": ["list"],
    "check": ["check", "guangzhou", "2023"],
    "audit": ["audit", "guangzhou", "2023"],
    "diff": ["diff", "guangzhou", "2022", "2023"],
}


@pytest.mark.parametrize("command", list(CLOSED_PIPE_COMMANDS))
def test_a_closed_output_pipe_ends_quietly(command, root, built):
    """`reportgen text x.docx | head -1`: the reader goes away; no 程序内部错误, nothing more, exit 0."""
    import subprocess
    import sys

    args = [a.format(docx=built[("guangzhou", 2023)]) for a in CLOSED_PIPE_COMMANDS[command]]
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", *args], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.close()  # the reader is gone before the first line is written
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 0
    assert stderr == ""


def test_text_through_head_prints_the_first_line_only(root, built):
    import subprocess
    import sys

    writer = subprocess.Popen(
        [sys.executable, "-m", "generator", "text", str(built[("guangzhou", 2023)])],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    head = subprocess.run(["head", "-1"], stdin=writer.stdout, capture_output=True, check=True)
    writer.stdout.close()
    stderr = writer.stderr.read().decode("utf-8")
    assert writer.wait(timeout=120) == 0
    assert stderr == ""
    assert head.stdout.decode("utf-8") == "2023年度中共广州市委网络安全和信息化委员会办公室部门整体支出绩效自评报告\n"


def test_deep_nesting_through_the_cli(cli_runner, project):
    path = project.root / "data" / "guangzhou" / "2023.yaml"
    path.write_text("format: guangzhou-2024\nyear: 2023\nx: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    result = cli_runner.invoke(main, ["build", "guangzhou", "2023", "--root", str(project.root)])
    assert (result.exit_code, result.output) == (1, f"{path}:3: 嵌套层级过深（超过 64 层）\n")


def test_make_fuzz_passes_the_number_of_examples_through(root):
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")

    def planned(*args: str) -> str:
        # -n: print the commands without running them; the stamp is taken as made
        # run as a top-level make even when the tests themselves run under `make test`
        env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
        out = subprocess.run(
            ["make", "--no-print-directory", "-n", "-o", ".venv/.installed-stamp", "fuzz", *args],
            cwd=root,
            capture_output=True,
            text=True,
            env=env,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    assert planned("FUZZ_EXAMPLES=300") == "FUZZ_EXAMPLES=300 .venv/bin/python -m pytest -q -m fuzz tests"
    assert planned() == "FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest -q -m fuzz tests"


def test_a_closed_message_pipe_keeps_the_failure(project):
    """Only stderr's reader went away while a problem was being reported: still exit 1."""
    import subprocess
    import sys

    (project.root / "data" / "guangzhou" / "2023.yaml").write_text("year: [\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "check", "guangzhou", "2023", "--root", str(project.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stderr.close()
    stdout = process.stdout.read().decode("utf-8")
    assert process.wait(timeout=120) == 1
    assert stdout == ""

"""`reportgen text`: a .docx as plain text, usable as a git textconv driver."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from generator.cli import main

from .conftest import ROOT


def test_text_of_a_built_report(cli_runner, built):
    result = cli_runner.invoke(main, ["text", str(built[("guangzhou", 2023)])])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2023年度中共广州市委网络安全和信息化委员会办公室部门整体支出绩效自评报告"
    assert "一、部门基本情况" in lines and "（一）部门主要职能和机构人员情况" in lines
    assert "本年支出合计 | 17,534.51 | 163.19 | 17,697.70 | 0.93% | 17,661.36 | 99.79%" in lines
    assert lines == (ROOT / "tests" / "golden" / "guangzhou-2023.txt").read_text(encoding="utf-8").splitlines()


def test_text_refuses_what_is_not_a_docx(cli_runner, tmp_path):
    bad = tmp_path / "x.docx"
    bad.write_text("not a zip", encoding="utf-8")
    result = cli_runner.invoke(main, ["text", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{bad}: 不是有效的 Word 文档（.docx）")
    missing = cli_runner.invoke(main, ["text", str(tmp_path / "none.docx")])
    assert missing.exit_code == 1 and "文件不存在" in missing.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_diff_with_textconv(built, tmp_path):
    """The README's .gitattributes and git config lines make git diff show a .docx as text."""
    import os
    import sys

    repo = tmp_path / "repo"
    repo.mkdir()
    # a repository of its own, whatever the caller's git setup: no GIT_DIR/GIT_INDEX_FILE inherited
    # from a hook, no global or system config (commit signing, hooks, identity), an identity given;
    # the textconv command imports generator from this checkout
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    home = tmp_path / "home"
    home.mkdir()
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    )

    def git(*args):
        command = ["git", "-c", f"safe.directory={repo}", "-c", "commit.gpgsign=false", "-C", str(repo), *args]
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        assert done.returncode == 0, f"{' '.join(args)}: exit {done.returncode}: {done.stderr}"
        return done.stdout

    git("init", "-q")
    (repo / ".gitattributes").write_text("*.docx diff=docx\n", encoding="utf-8")
    git("config", "diff.docx.textconv", f"{sys.executable} -m generator text")
    shutil.copy(built[("guangzhou", 2023)], repo / "r.docx")
    git("add", ".")
    git("commit", "-qm", "one")
    (repo / "r.docx").write_bytes(b"")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "guangzhou",
            "2023",
            "-o",
            str(repo / "r.docx"),
            "--root",
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    assert git("diff") == ""  # same document, byte for byte
    shutil.copy(built[("guangzhou", 2023)], repo / "r.docx")
    edited = repo / "r.docx"
    from docx import Document

    doc = Document(str(edited))
    doc.paragraphs[0].runs[0].text = doc.paragraphs[0].text.replace("2023年度", "2024年度")
    doc.save(str(edited))
    out = git("diff")
    assert "-2023年度中共广州市委网络安全和信息化委员会办公室部门整体支出绩效自评报告" in out
    assert "+2024年度中共广州市委网络安全和信息化委员会办公室部门整体支出绩效自评报告" in out

"""Files that cannot be read and names the file system cannot hold: a Chinese line, exit 1.

Tests run as root in CI, where ``chmod 000`` denies nothing: a refused read is
simulated by making ``open`` raise the error the operating system would.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from generator.cli import main

DATA = "data/guangzhou/2023.yaml"


def run(cli_runner, project, monkeypatch, *args: str) -> tuple[int, list[str]]:
    monkeypatch.chdir(project.root)
    result = cli_runner.invoke(main, list(args))
    assert "内部错误" not in result.output
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


def test_a_folder_where_the_data_file_should_be(cli_runner, project, monkeypatch):
    path = project.root / DATA
    path.unlink()
    path.mkdir()
    assert run(cli_runner, project, monkeypatch, "build", "guangzhou", "2023") == (
        1,
        [f"{DATA}: 这是一个文件夹，不是数据文件"],
    )
    code, lines = run(cli_runner, project, monkeypatch, "check")
    assert code == 1
    assert f"{DATA}: 这是一个文件夹，不是数据文件" in lines and lines[-1] == "1 个文件有错误"


@pytest.mark.parametrize(
    "error, reason",
    [
        (errno.EACCES, "没有读取权限（请检查文件的权限，或文件是否被其他程序独占打开）"),
        (errno.EIO, "磁盘读写出错（磁盘或网络盘可能有故障）"),
        (errno.ELOOP, "符号链接循环指向自己"),
        (errno.ENXIO, "操作系统报告：No such device or address"),
    ],
)
def test_a_data_file_the_system_refuses_to_read(cli_runner, project, monkeypatch, error, reason):
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self.name == "2023.yaml":
            raise OSError(error, __import__("os").strerror(error), str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert run(cli_runner, project, monkeypatch, "build", "guangzhou", "2023") == (
        1,
        [f"{DATA}: 无法读取文件：{reason}"],
    )


def test_a_folder_that_may_not_be_looked_into(cli_runner, project, monkeypatch):
    """Path.exists() raises PermissionError (not False) when the folder denies access."""
    real_stat = Path.stat

    def refuse(self, *args, **kwargs):
        if self.name == "2023.yaml":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", refuse)
    assert run(cli_runner, project, monkeypatch, "build", "guangzhou", "2023") == (
        1,
        [f"{DATA}: 无法读取文件：没有读取权限（请检查文件的权限，或文件是否被其他程序独占打开）"],
    )


def test_bytes_that_are_no_text_encoding(cli_runner, project, monkeypatch):
    (project.root / DATA).write_bytes(b"format: guangzhou-2024\nyear: 2023\n# \xff\xfe\x80\n")
    assert run(cli_runner, project, monkeypatch, "build", "guangzhou", "2023") == (
        1,
        [f"{DATA}:3: 文件不是 UTF-8 编码。请在编辑器中用“另存为 → 编码选 UTF-8”保存后重试"],
    )


def test_a_docx_the_system_refuses_to_read(cli_runner, project, monkeypatch, built):
    from docx.opc import phys_pkg

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", "r.docx")

    monkeypatch.setattr(phys_pkg, "ZipFile", refuse)  # where python-docx opens the file
    docx = built[("guangzhou", 2023)]
    assert run(cli_runner, project, monkeypatch, "text", str(docx)) == (
        1,
        [f"{docx}: 无法读取文件：没有读取权限（请检查文件的权限，或文件是否被其他程序独占打开）"],
    )


# --- names too long for the file system ----------------------------------------------------

LONG = "a" * 300
SHORT = "a" * 24 + "…"
TOO_LONG = f"名称过长：“{SHORT}”有 305 字节，每一个文件名或文件夹名最多 255 字节（一个汉字占 3 字节），请改短"


@pytest.mark.parametrize(
    "args, expected",
    [
        (["build", LONG, "2023"], f"部门代号过长（300 个字符，最多 200 个）：“{SHORT}”"),
        (["check", LONG, "2023"], f"部门代号过长（300 个字符，最多 200 个）：“{SHORT}”"),
        (["audit", LONG, "2023"], f"部门代号过长（300 个字符，最多 200 个）：“{SHORT}”"),
        (["diff", LONG, "2022", "2023"], f"部门代号过长（300 个字符，最多 200 个）：“{SHORT}”"),
        (["new", LONG, "2024"], f"部门代号过长（300 个字符，最多 200 个）：“{SHORT}”"),
        (["build", "guangzhou", "2" * 300], f"年度“{'2' * 24}…”无效：应为四位数字的年份，如 2023"),
        (["redline", "guangzhou", "2022", "2" * 300], f"年度“{'2' * 24}…”无效：应为四位数字的年份，如 2023"),
        (["build", "guangzhou", "99"], "年度“99”无效：应为四位数字的年份，如 2023"),
        (["build", "guangzhou", "2023", "-o", f"out/{LONG}.docx"], f"out/{SHORT}: 无法写入输出文件：{TOO_LONG}"),
        (
            ["redline", "guangzhou", "2022", "2023", "-o", f"out/{LONG}.docx"],
            f"out/{SHORT}: 无法写入输出文件：{TOO_LONG}",
        ),
        (
            ["build", "guangzhou", "2023", "-o", f"{LONG}/r.docx"],
            f"{SHORT}/r.docx: 无法写入输出文件：{TOO_LONG.replace('305', '300')}",
        ),
        (["text", f"{LONG}.docx"], f"{SHORT}: {TOO_LONG}"),
        (["list", "--root", LONG], f"{SHORT}/data: {TOO_LONG.replace('305', '300')}"),
    ],
)
def test_names_too_long_for_the_file_system(cli_runner, project, monkeypatch, args, expected):
    code, lines = run(cli_runner, project, monkeypatch, *args)
    assert code == 1
    assert lines[0] == expected
    assert not (project.root / "out").exists()


def test_a_chinese_output_name_over_255_bytes(cli_runner, project, monkeypatch):
    name = "报告" * 43  # 86 characters, 258 bytes
    code, lines = run(cli_runner, project, monkeypatch, "build", "guangzhou", "2023", "-o", f"{name}.docx")
    assert (code, lines) == (
        1,
        [
            f"{name}.docx: 无法写入输出文件：名称过长：“{'报告' * 12}…”有 263 字节，每一个文件名或文件夹名最多 255 字节（一个汉字占 3 字节），请改短"
        ],
    )


@pytest.mark.parametrize(
    "command", [["check"], ["check", "guangzhou", "2023"], ["build", "guangzhou", "2023"], ["build", "--all"]]
)
def test_a_format_name_too_long_for_a_folder(cli_runner, project, monkeypatch, command):
    """Found by make fuzz: a format name over 255 bytes made the folder lookup itself fail."""
    path = project.root / DATA
    text = path.read_text(encoding="utf-8")
    assert "\nformat: guangzhou-2024\n" in text
    path.write_text(text.replace("\nformat: guangzhou-2024\n", "\nformat: " + "a" * 300 + "\n"), encoding="utf-8")
    code, lines = run(cli_runner, project, monkeypatch, *command)
    assert code == 1
    line = path.read_text(encoding="utf-8").splitlines().index("format: " + "a" * 300) + 1
    expected = f"{DATA}:{line}: format: 格式名称过长（300 个字符，最多 100 个）：“{'a' * 24}…”（已有格式："
    assert any(entry.strip().startswith(expected) for entry in lines), lines
    assert not (project.root / "build" / "guangzhou-2023.docx").exists()

"""Writing the report: never a partial file, never a lost good one, clear messages."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest
from docx import Document

from generator import pipeline, write
from generator.cli import main
from generator.errors import OutputError
from generator.write import write_atomic


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def good(tmp_path):
    """An existing good report in an otherwise empty folder."""
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "r.docx"
    path.write_bytes(b"the good report")
    return path


def test_missing_folder_is_created(tmp_path):
    target = tmp_path / "a" / "b" / "r.docx"
    assert write_atomic(target, b"x").read_bytes() == b"x"


def test_folder_that_cannot_be_created(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "file" / "sub" / "r.docx", b"x")
    assert str(info.value) == f"{tmp_path}/file/sub: 无法创建输出文件夹：路径中有一段是文件而不是文件夹"


def test_target_is_a_folder(tmp_path):
    (tmp_path / "r.docx").mkdir()
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "r.docx", b"x")
    assert str(info.value) == f"{tmp_path}/r.docx: 这是一个文件夹，请写出文件名，如 报告.docx"


@pytest.mark.parametrize(
    "code, reason",
    [
        (errno.ENOSPC, "磁盘空间不足，请清理磁盘后重试"),
        (errno.EDQUOT, "磁盘配额已用完，请清理后重试"),
        (errno.EIO, "磁盘读写出错"),
    ],
)
def test_disk_full_while_writing_keeps_the_good_report(good, monkeypatch, code, reason):
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd, mode):
            self.handle = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(code, os.strerror(code))

    monkeypatch.setattr(write.os, "fdopen", Full)
    with pytest.raises(OutputError) as info:
        write_atomic(good, b"new report " * 1000)
    assert str(info.value) == f"{good}: 无法写入输出文件：{reason}；原有文件未被改动"
    assert good.read_bytes() == b"the good report"
    assert leftovers(good.parent) == ["r.docx"]


def test_disk_full_at_fsync(good, monkeypatch):
    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write.os, "fsync", fsync)
    with pytest.raises(OutputError, match="磁盘空间不足"):
        write_atomic(good, b"new")
    assert good.read_bytes() == b"the good report"
    assert leftovers(good.parent) == ["r.docx"]


@pytest.mark.parametrize(
    "code, reason",
    [
        (errno.EACCES, "没有写入权限（文件夹只读，或文件正在 Word 中打开，请关闭后重试）"),
        (errno.EROFS, "所在的磁盘或文件夹是只读的，请换一个输出位置（-o）"),
    ],
)
def test_read_only_folder(good, monkeypatch, code, reason):
    def mkstemp(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(write.tempfile, "mkstemp", mkstemp)
    with pytest.raises(OutputError) as info:
        write_atomic(good, b"new")
    assert str(info.value) == f"{good}: 无法写入输出文件：{reason}；原有文件未被改动"
    assert good.read_bytes() == b"the good report"


def test_new_file_in_read_only_folder_says_nothing_was_written(tmp_path, monkeypatch):
    def mkstemp(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(write.tempfile, "mkstemp", mkstemp)
    with pytest.raises(OutputError, match="；没有生成文件$"):
        write_atomic(tmp_path / "r.docx", b"new")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write to a read-only folder")
def test_really_read_only_folder(good):
    good.parent.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="没有写入权限"):
            write_atomic(good, b"new")
    finally:
        good.parent.chmod(0o755)
    assert good.read_bytes() == b"the good report"


def test_interrupted_write_keeps_the_good_report(good, monkeypatch):
    def fsync(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(write.os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(good, b"new")
    assert good.read_bytes() == b"the good report"
    assert leftovers(good.parent) == ["r.docx"]


def test_cli_read_only_output(cli_runner, project, monkeypatch):
    out = project.root / "build" / "guangzhou-2023.docx"
    assert cli_runner.invoke(main, ["build", "guangzhou", "2023", "--root", str(project.root)]).exit_code == 0
    good = out.read_bytes()

    def mkstemp(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(write.tempfile, "mkstemp", mkstemp)
    result = cli_runner.invoke(main, ["build", "guangzhou", "2023", "--root", str(project.root)])
    assert result.exit_code == 1
    assert (
        result.output
        == f"{out}: 无法写入输出文件：所在的磁盘或文件夹是只读的，请换一个输出位置（-o）；原有文件未被改动\n"
    )
    assert out.read_bytes() == good


def test_concurrent_builds_of_the_same_report(project, tmp_path):
    """Several processes build the same report at once: the result is whole and the same as one build."""
    single = pipeline.build(project, "guangzhou", 2023, tmp_path / "single.docx").read_bytes()
    target = project.root / "build" / "guangzhou-2023.docx"
    command = [sys.executable, "-m", "generator", "build", "guangzhou", "2023", "--root", str(project.root)]
    for _round in range(2):
        processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
        results = [p.communicate(timeout=120) + (p.returncode,) for p in processes]
        assert all(code == 0 for _out, _err, code in results), results
        assert target.read_bytes() == single
        Document(str(target))  # opens
        assert leftovers(target.parent) == ["guangzhou-2023.docx"]


def test_unexpected_error_is_a_chinese_message_not_a_traceback(cli_runner, project, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "build", broken)
    result = cli_runner.invoke(main, ["build", "guangzhou", "2023", "--root", str(project.root)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith("程序内部错误（RuntimeError: boom，位于 test_output.py:")
    assert "请把这条信息和所用的数据文件、模板发给维护者" in result.output


def test_messages_never_carry_terminal_control_characters(cli_runner, project):
    data = project.data_path("guangzhou", 2023)
    data.write_text(
        data.read_text(encoding="utf-8").replace("department:", '"\\e[2J\\e[31m": 1\ndepartment:'), encoding="utf-8"
    )
    result = cli_runner.invoke(main, ["check", "guangzhou", "2023", "--root", str(project.root)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "“\\x1b[2J\\x1b[31m”: 未知字段（是否拼写错误？）" in result.output

"""Loading YAML: exact numbers, line numbers, and refusals with clear messages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.errors import DataError
from generator.load import load_yaml


def load(tmp_path, text: str | bytes):
    path = tmp_path / "x.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return load_yaml(path)


def messages(tmp_path, text) -> list[str]:
    with pytest.raises(DataError) as info:
        load(tmp_path, text)
    return [str(p).split(": ", 1)[1] for p in info.value.problems]


def test_numbers_are_exact(tmp_path):
    loaded = load(tmp_path, "a: 0.1\nb: 17534.51\nc: 118\nd: '4.50'\ne: 1e3\nf: 0x10\n")
    assert loaded.data == {"a": Decimal("0.1"), "b": Decimal("17534.51"), "c": 118, "d": "4.50", "e": "1e3", "f": "0x10"}
    assert isinstance(loaded.data["a"], Decimal)


def test_line_numbers(tmp_path):
    loaded = load(tmp_path, "a:\n  b:\n    - 1\n    - x: 2\n")
    assert loaded.line_of(("a", "b", 1, "x")) == 4
    assert loaded.line_of(("a", "b", 0)) == 3
    assert loaded.line_of(("a", "missing")) == 1


def test_duplicate_keys_name_both_lines(tmp_path):
    loaded = load(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert [str(p) for p in loaded.problems] == [f"{tmp_path}/x.yaml:3: a: 字段重复：第 1 行和第 3 行都写了“a”，请只保留一处"]


def test_python_tags_refused(tmp_path):
    assert messages(tmp_path, "a: !!python/object/apply:os.system ['echo hi']\n") == [
        "a: 不允许使用 YAML 标签 tag:yaml.org,2002:python/object/apply:os.system"
    ]


def test_syntax_error_has_a_line(tmp_path):
    with pytest.raises(DataError) as info:
        load(tmp_path, "a: 1\nb: [1, 2\nc: 3\n")
    assert str(info.value).startswith(f"{tmp_path}/x.yaml:")
    assert "YAML 语法错误" in str(info.value)


def test_gbk_file_says_so(tmp_path):
    with pytest.raises(DataError) as info:
        load(tmp_path, "name: 中共广州市委\n".encode("gbk"))
    assert str(info.value) == (
        f"{tmp_path}/x.yaml:1: 文件不是 UTF-8 编码（看起来是 GBK/GB18030 编码）。请在编辑器中用“另存为 → UTF-8 编码”保存后重试"
    )


def test_billion_laughs_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
    with pytest.raises(DataError) as info:
        load(tmp_path, "\n".join(lines) + "\n")
    assert "billion laughs" in str(info.value)


def test_empty_file(tmp_path):
    assert messages(tmp_path, "") == ["文件为空"]

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
    assert loaded.data == {
        "a": Decimal("0.1"),
        "b": Decimal("17534.51"),
        "c": 118,
        "d": "4.50",
        "e": "1e3",
        "f": "0x10",
    }
    assert isinstance(loaded.data["a"], Decimal)


def test_line_numbers(tmp_path):
    loaded = load(tmp_path, "a:\n  b:\n    - 1\n    - x: 2\n")
    assert loaded.line_of(("a", "b", 1, "x")) == 4
    assert loaded.line_of(("a", "b", 0)) == 3
    assert loaded.line_of(("a", "missing")) == 1


def test_duplicate_keys_name_both_lines(tmp_path):
    loaded = load(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert [str(p) for p in loaded.problems] == [
        f"{tmp_path}/x.yaml:3: a: 字段重复：第 1 行和第 3 行都写了“a”，请只保留一处"
    ]


def test_python_tags_refused(tmp_path):
    assert messages(tmp_path, "a: !!python/object/apply:os.system ['echo hi']\n") == [
        "a: 不允许使用 YAML 标签 tag:yaml.org,2002:python/object/apply:os.system（数据文件中不能写以“!”开头的标签）"
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
        f"{tmp_path}/x.yaml:1: 文件不是 UTF-8 编码（看起来是 GBK/GB18030 编码，Windows 记事本和 WPS 的“ANSI”即是）。"
        "请在编辑器中用“另存为 → 编码选 UTF-8”保存后重试"
    )


def test_billion_laughs_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(DataError) as info:
        load(tmp_path, "\n".join(lines) + "\n")
    assert "billion laughs" in str(info.value)


def test_empty_file(tmp_path):
    assert messages(tmp_path, "") == ["文件为空"]


def test_control_character_named_with_line_column_and_field(tmp_path):
    problems = messages(tmp_path, "a: 1\nb:\n  c: 市委\x0b网信办\n")
    assert problems == [
        "b.c: 第 8 列有不可见的字符 U+000B 垂直制表符（从 Word 复制的“手动换行”常变成它），数据文件和 Word 文档都不能包含它，请删除"
    ]
    with pytest.raises(DataError) as info:
        load(tmp_path, "a: 1\nb:\n  c: 市委\x0b网信办\n")
    assert str(info.value).startswith(f"{tmp_path}/x.yaml:3: b.c: 第 8 列")


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\ufdd1", "\ufffe"])
def test_invisible_characters_refused_not_dropped(tmp_path, char):
    with pytest.raises(DataError) as info:
        load(tmp_path, f"text:\n  intro: |\n    第一段\n    第二{char}段\n")
    assert str(info.value).startswith(f"{tmp_path}/x.yaml:4: text.intro: 第 7 列有不可见的字符 U+{ord(char):04X}")


def test_control_characters_all_listed(tmp_path):
    problems = messages(tmp_path, "a: x\x01\nb: y\x02\n")
    assert [p.split(":")[0] for p in problems] == ["a", "b"]


def test_utf16_says_so(tmp_path):
    with pytest.raises(DataError) as info:
        load(tmp_path, "a: 1\n".encode("utf-16"))
    assert "UTF-16" in str(info.value) and "UTF-8" in str(info.value)


def test_file_over_10_mb_refused_before_reading(tmp_path):
    with pytest.raises(DataError) as info:
        load(tmp_path, "a: |\n" + ("  " + "x" * 98 + "\n") * 110_000)
    assert "文件过大" in str(info.value)


def test_deep_nesting_refused_not_a_recursion_error(tmp_path):
    problems = messages(tmp_path, "a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert problems == ["嵌套层级过深（超过 64 层）"]


DEEP = {
    "flow on one line": ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", 1),
    "flow mappings": ("a: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n", 1),
    "flow over lines": ("a:\n" + "  [\n" * 5_000 + "  ]\n" * 5_000, 65),
    "block mappings": "".join(" " * i + "a:\n" for i in range(3_000)) + " " * 3_000 + "x\n",
    "compact lists": ("- " * 5_000 + "x\n", 1),
}
DEEP["block mappings"] = (DEEP["block mappings"], 64)


@pytest.mark.parametrize("parser", ["estimate", "libyaml first", "pure python"])
@pytest.mark.parametrize("case", list(DEEP))
def test_our_nesting_limit_answers_before_the_parsers(tmp_path, monkeypatch, case, parser):
    """PyYAML 6.0.4's libyaml refuses nesting over 1000 with its own message, reading
    ahead of the events we count: whichever parser runs, the message is ours."""
    from generator import load as load_module

    if parser == "libyaml first":  # the estimate misses: libyaml's own limit is caught and re-parsed
        monkeypatch.setattr(load_module, "_may_nest_too_deep", lambda text: False)
    elif parser == "pure python":  # PyYAML without libyaml
        monkeypatch.setattr(load_module, "_Loader", load_module._PyLoader)
    text, line = DEEP[case]
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_yaml(path)
    assert [str(p) for p in info.value.problems] == [f"{path}:{line}: 嵌套层级过深（超过 64 层）"]


def test_nesting_within_the_limit_still_loads_with_brackets_in_text(tmp_path):
    lists = 62  # the file's mapping, 62 lists and the number: 64 levels
    text = "t: '" + "[" * 100 + "'\na: " + "[" * lists + "1" + "]" * lists + "\n"
    value = load(tmp_path, text).data["a"]
    for _ in range(lists):
        value = value[0]
    assert value == 1


def test_many_values_refused_quickly(tmp_path):
    import time

    start = time.monotonic()
    problems = messages(tmp_path, "a: [" + "1, " * 1_000_000 + "]\n")
    assert problems == ["内容过多（超过 200,000 个值）"]
    assert time.monotonic() - start < 10


def test_alias_to_a_long_text_refused(tmp_path):
    text = "t: &t " + "x" * 1_000_000 + "\nlist: [" + ", ".join(["*t"] * 20) + "]\n"
    assert messages(tmp_path, text) == [
        "list[9]: 文字过多（展开后超过 10,000,000 个字符），可能是锚点/别名被大量重复引用"
    ]


def test_recursive_alias_refused(tmp_path):
    assert messages(tmp_path, "a: &a [1, *a]\n") == ["a[1]: 锚点引用了它自己（循环引用），请改写"]


def test_huge_integers_stay_exact(tmp_path):
    loaded = load(tmp_path, "a: " + "9" * 5000 + "\nb: -12\nc: 007\n")
    assert loaded.data == {"a": Decimal("9" * 5000), "b": -12, "c": 7}


def test_full_width_digits_are_text(tmp_path):
    assert load(tmp_path, "a: ２０２３\n").data == {"a": "２０２３"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: !!bool maybe\n", "a: 应为 true 或 false，得到 “maybe”"),
        ("a: !!null x\n", "a: 标签 !!null 只能用于空值，得到 “x”"),
        ("a: [1, !!float 'x']\n", "a[1]: 应为数字，得到 “x”"),
        ("a: !!binary aGk=\n", "a: 不允许使用 YAML 标签 tag:yaml.org,2002:binary（数据文件中不能写以“!”开头的标签）"),
        ("a: {<<: {b: 1}}\n", "a: 不支持 YAML 合并键“<<”，请把内容直接写出来"),
    ],
)
def test_tags_checked(tmp_path, text, message):
    assert messages(tmp_path, text) == [message]


@pytest.mark.parametrize(
    "text, line, hint",
    [
        ("a:\n\tb: 1\n", 2, "缩进只能用空格，不能用 Tab"),
        ("a: b: c\n", 1, "冒号用错了位置"),
        ("a: 1\n---\nb: 2\n", 2, "一个数据文件只能有一份"),
        ("a: *x\n", 1, "引用了没有定义的锚点"),
        ('a: "C:\\q"\n', 1, "反斜杠"),
    ],
)
def test_syntax_errors_explained_in_chinese(tmp_path, text, line, hint):
    with pytest.raises(DataError) as info:
        load(tmp_path, text)
    assert str(info.value).startswith(f"{tmp_path}/x.yaml:{line}: YAML 语法错误：")
    assert hint in str(info.value)


def test_each_paragraph_of_a_block_has_its_line(tmp_path):
    loaded = load(tmp_path, "text:\n  intro: |\n    one\n\n    two\n  x: [1, 2]\n")
    assert loaded.line_of(("text", "intro", 0)) == 3
    assert loaded.line_of(("text", "intro", 1)) == 5
    assert loaded.line_of(("text", "x", 1)) == 6


def _laughs() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


OUR_LIMITS = {
    "values": ("a: [" + "1, " * 1_000_000 + "]\n", ":1: 内容过多（超过 200,000 个值）"),
    "billion laughs": (
        _laughs(),
        ":1: a5[0][6][8][8][8][8]: 内容过多（超过 200,000 个值），可能是锚点/别名被大量重复引用（“billion laughs”）",
    ),
    "alias to a long text": (
        "t: &t " + "x" * 1_000_000 + "\nlist: [" + ", ".join(["*t"] * 20) + "]\n",
        ":1: list[9]: 文字过多（展开后超过 10,000,000 个字符），可能是锚点/别名被大量重复引用",
    ),
    "recursive alias": ("a: &a [1, *a]\n", ":1: a[1]: 锚点引用了它自己（循环引用），请改写"),
    "nesting": ("a: " + "[" * 2_000 + "]" * 2_000 + "\n", ":1: 嵌套层级过深（超过 64 层）"),
    "size": (
        "a: |\n" + ("  " + "x" * 98 + "\n") * 110_000,
        ": 文件过大（11,110,005 字节，上限 10,485,760 字节），请检查是否误粘贴了大量内容",
    ),
}


@pytest.mark.parametrize("parser", ["libyaml", "pure python"])
@pytest.mark.parametrize("case", list(OUR_LIMITS))
def test_every_limit_of_ours_answers_whichever_parser_runs(tmp_path, monkeypatch, case, parser):
    from generator import load as load_module

    if parser == "pure python":
        monkeypatch.setattr(load_module, "_Loader", load_module._PyLoader)
    text, message = OUR_LIMITS[case]
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_yaml(path)
    assert [str(p) for p in info.value.problems] == [f"{path}{message}"]


def test_libyaml_parses_when_pyyaml_has_it():
    import yaml

    from generator import load as load_module

    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml: the pure-Python parser is the only one")
    assert load_module._Loader.__name__ == "_CLoader"
    assert not load_module._may_nest_too_deep("a: [1, [2, {b: 3}]]\n")

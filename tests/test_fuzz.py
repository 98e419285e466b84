"""Property-based tests: any data file, valid, subtly wrong or garbage, ends well.

For every generated file, ``check`` and ``build`` (run in-process through the
CLI) either succeed with a .docx that python-docx opens and that holds the
input text exactly, or exit 1 with messages naming the file and the line:
never a traceback, never the CLI's "internal error" net, never a hang, never
a partial or replaced output file.

``make test`` runs a few hundred examples; ``make fuzz`` runs 10,000
(``FUZZ_EXAMPLES``), shared among the tests below by ``derive_examples``.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import shutil
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.cli import main
from generator.extract import plain_text
from generator.load import load_yaml, split_paragraphs

from .conftest import ROOT

pytestmark = pytest.mark.fuzz

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
settings.register_profile(
    "reportgen-fuzz",
    max_examples=FUZZ_EXAMPLES,
    deadline=None,  # a build takes a tenth of a second; the hang check is ours (SECONDS)
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    database=None,  # keep no .hypothesis/ directory in the repo; print_blob reproduces a failure
    print_blob=True,
)
PROFILE = settings.get_profile("reportgen-fuzz")
SECONDS = 30  # one check or build taking longer counts as a hang


def derive_examples(share: float) -> int:
    """This test's part of ``FUZZ_EXAMPLES`` (the shares of the tests below add up to 1)."""
    return max(10, round(FUZZ_EXAMPLES * share))


DATA = ROOT / "data" / "guangzhou" / "2023.yaml"
REAL_TEXT = DATA.read_text(encoding="utf-8")
REAL = load_yaml(DATA).data
GOOD = b"a good report from an earlier build"
TEXT_KEYS = list(REAL["text"])


# --- the oracle --------------------------------------------------------------------------


class Sandbox:
    """A private project (data/ and templates/) reused by every example of one test."""

    def __init__(self, root: Path):
        self.root = root
        if not (root / "templates").exists():
            shutil.copytree(ROOT / "templates", root / "templates")
        (root / "data" / "guangzhou").mkdir(parents=True, exist_ok=True)
        self.project = pipeline.Project(root)
        self.data = self.project.data_path("guangzhou", 2023)
        self.out = self.project.output_path("guangzhou", 2023)
        self.runner = CliRunner()

    def run(self, content: str | bytes) -> Document | None:
        """Check and build ``content``; assert the oracle; the document if the build succeeded."""
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogatepass")
        self.data.write_bytes(content)
        if self.out.parent.exists():
            shutil.rmtree(self.out.parent)
        self.out.parent.mkdir()
        self.out.write_bytes(GOOD)
        checked = self._invoke("check")
        assert self.out.read_bytes() == GOOD, "check touched the output"
        built = self._invoke("build")
        assert sorted(p.name for p in self.out.parent.iterdir()) == [self.out.name], "a temporary file was left behind"
        if built.exit_code:
            assert self.out.read_bytes() == GOOD, "a failed build replaced the good report"
            if checked.exit_code:  # what check finds, build finds too (build may also find template problems)
                assert _problems(checked.output)[:-1] == _problems(built.output)
            return None
        assert checked.exit_code == 0, "build succeeded where check failed"
        assert built.output.endswith(f"已生成 {self.out}\n")  # warnings may come before it
        return Document(str(self.out))

    def _invoke(self, command: str):
        start = time.monotonic()
        result = self.runner.invoke(main, [command, "guangzhou", "2023", "--root", str(self.root)])
        elapsed = time.monotonic() - start
        note(f"{command}: exit {result.exit_code} in {elapsed:.2f}s\n{result.output[:2000]}")
        assert elapsed < SECONDS, f"{command} took {elapsed:.0f}s"
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1)
        assert "Traceback" not in result.output
        assert "程序内部错误" not in result.output, result.output
        if result.exit_code:
            self._assert_located(result.output)
        return result

    def _assert_located(self, output: str) -> None:
        """Every message names the data file and a line, or the template."""
        data = re.escape(str(self.data))
        template = re.escape(str(self.project.templates_dir))
        lines = output.splitlines()
        assert lines, "exit 1 without a message"
        for line in lines:
            if re.fullmatch(r"\d+ 个文件有错误", line):
                continue
            assert re.match(rf"{data}:\d+: \S", line) or re.match(rf"{template}/\S+?(: |（)", line), line
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", line), "control character in a message"


def _problems(output: str) -> list[str]:
    return output.splitlines()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory) -> Sandbox:
    return Sandbox(tmp_path_factory.mktemp("fuzz"))


def texts_of(document: Document) -> list[str]:
    """Paragraph and cell texts; the line breaks the layout step sets (titles, headers) are not text."""
    texts = [plain_text(p._p) for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += ["\n".join(plain_text(p._p) for p in cell.paragraphs) for cell in row.cells]
    return texts


# --- writing YAML ------------------------------------------------------------------------


class Block(str):
    """A narrative block, written in ``|`` style where YAML allows it."""


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_BREAKS = re.compile("[\x85\u2028\u2029]")


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # PyYAML writes NEL/LS/PS raw as line breaks, which the loader refuses (rightly): escape them
    style = '"' if _BREAKS.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


def _block(dumper: yaml.SafeDumper, value: Block) -> yaml.Node:
    style = '"' if _BREAKS.search(value) else "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(str, _str)
_Dumper.add_representer(Block, _block)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)


# --- strategies: text --------------------------------------------------------------------

EXOTIC = [
    "& < > \" ' &amp; ]]> </w:t>",
    "“全角”‘引号’，。！？【】《》（）——……",
    "😀👨‍👩‍👧‍👦🇨🇳❤️👍🏽",
    "𠀀𠮷𪜀𫝀𫠠𬺰𰀀𱍐",
    "é ﬁ ① ㎡ ℃",
    "العربية עברית",
    "a\u200db\ufeffc\u00a0d",
    "{_{ }_} {_% %_}",
    "\u2028 \u2029 \x85",
    "\t",
    "\ue000",
    "0",
    "true",
    "null",
    "~",
    "- x",
    "a: b",
    "#",
    "&a",
    "*a",
    "!tag",
    "%",
    "@",
    "`",
    "---",
    "...",
    "'",
    '"',
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    "?",
    "|",
    ">",
]
# XML-legal characters a data file can carry (in a quoted scalar, escaped where needed)
LEGAL = st.characters(
    exclude_categories=["Cs"],
    exclude_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff"
    # noncharacters: refused like the controls (the layout steps use U+FDD0–U+FDEF as marks)
    + "".join(map(chr, range(0xFDD0, 0xFDF0))),
)
CONTROL = st.sampled_from(
    [
        chr(c)
        for c in [
            *range(0, 9),
            11,
            12,
            13,
            *range(14, 32),
            0x7F,
            0x85,
            0x2028,
            0x2029,
            0xFDD0,
            0xFDD1,
            0xFFFE,
            0xFFFF,
            0xD800,
        ]
    ]
)

words = st.one_of(st.text(LEGAL, min_size=1, max_size=12), st.sampled_from(EXOTIC))
phrase = st.lists(words, min_size=1, max_size=6).map("".join)
one_line = phrase.map(lambda s: s.replace("\n", " "))


@st.composite
def paragraph(draw) -> str:
    """A narrative paragraph that should print as it is: one line, no reference, not blank."""
    text = draw(one_line).replace("{", "｛")
    [(_offset, text)] = split_paragraphs(text) or [(0, "")]
    assume(text)
    return text


# --- strategies: a valid report from scratch ---------------------------------------------

amounts = st.decimals(
    min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=2, allow_nan=False, allow_infinity=False
)
points = st.decimals(min_value=Decimal(0), max_value=Decimal(1000), places=2, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=0, max_value=10_000_000)


def budget_lines(depth: int) -> st.SearchStrategy:
    leaf = st.fixed_dictionaries({"name": one_line, "initial": amounts, "adjusted": amounts, "actual": amounts})
    if depth == 0:
        return leaf
    parent = st.fixed_dictionaries(
        {"name": one_line, "children": st.lists(budget_lines(depth - 1), min_size=1, max_size=3)}
    )
    return st.one_of(leaf, parent)


SCORE_DEPTH = 4  # levels of a generated scoring tree: block, indicator, sub-indicator, sub-sub-indicator


@st.composite
def score_nodes(draw, keys: list[str], level: int = 1) -> dict:
    # valid under the consistency rules too: a parent's weight is its children's sum (not
    # written), a leaf's score is at most its weight
    node: dict[str, Any] = {"name": draw(one_line)}
    if draw(st.booleans()):
        keys.append(f"k{len(keys)}")
        node["key"] = keys[-1]
    if level < SCORE_DEPTH and draw(st.integers(0, 2)) == 0:
        node["children"] = [draw(score_nodes(keys, level + 1)) for _ in range(draw(st.integers(1, 3)))]
    else:
        score, weight = sorted((draw(points), draw(points)))
        node["weight"], node["score"] = weight, score
        if draw(st.booleans()):
            node["indicator_count"] = draw(st.integers(0, 100))
    return node


@st.composite
def monthly_rates(draw) -> dict:
    """The month of the first 通报 and a rate for each month from it to December at most."""
    first = draw(st.integers(1, 12))
    rates = draw(st.lists(st.decimals(min_value=0, max_value=500, places=2), min_size=1, max_size=13 - first))
    return {"from": first, "rates": rates}


@st.composite
def blocks(draw) -> tuple[Any, list[str]]:
    """A narrative block in one of its written forms, and the paragraphs it must print."""
    paragraphs = draw(st.lists(paragraph(), min_size=1, max_size=4))
    form = draw(st.sampled_from(["block", "plain", "list"]))
    if form == "list":
        return list(paragraphs), paragraphs
    text = "\n".join(paragraphs)
    return (Block(text) if form == "block" else text), paragraphs


@st.composite
def valid_reports(draw) -> tuple[dict, list[str], list[str]]:
    """A report the schema accepts, the paragraphs it must print, and the table cells."""
    must_print: list[str] = []
    cells: list[str] = []
    name = draw(one_line)
    data: dict[str, Any] = {
        "format": "guangzhou-2024",
        "year": 2023,
        "department": {"name": name, "short_name": draw(one_line)},
        "staffing": {"as_of": "2023-12-31", "authorized": draw(counts), "actual": draw(counts)},
        "spending": draw(st.lists(budget_lines(2), min_size=1, max_size=4)),
        "monthly_execution": draw(monthly_rates()),
        "key_task_count": draw(counts),
        "scoring": [],
        "text": {},
        "problems": [],
        "measures": [],
    }
    keys: list[str] = []  # unique across the whole scoring
    data["scoring"] = [draw(score_nodes(keys)) for _ in range(draw(st.integers(0, 3)))]
    must_print.append(f"2023年度{name}部门整体支出绩效自评报告")
    for key in TEXT_KEYS:
        value, paragraphs = draw(blocks())
        data["text"][key] = value
        must_print += paragraphs
    for kind in ("problems", "measures"):
        for _ in range(draw(st.integers(0, 3))):
            value, paragraphs = draw(blocks())
            title = draw(one_line)
            data[kind].append({"title": title, "text": value})
            must_print += paragraphs
            cells.append(title)  # printed after its heading number
    for top in data["spending"]:
        cells.append(top["name"])  # printed after 一、
        cells += [row["name"] for row in _rows(top.get("children", []))]
    cells += [f"{block['name']}评价" for block in data["scoring"]]
    return data, must_print, cells


def _score_depth(node: dict) -> int:
    return 1 + max((_score_depth(child) for child in node.get("children", [])), default=0)


def test_generated_scoring_trees_reach_four_levels():
    from hypothesis import find

    deepest = find(score_nodes([]), lambda node: _score_depth(node) >= SCORE_DEPTH, settings=settings(database=None))
    assert _score_depth(deepest) == SCORE_DEPTH


@given(score_nodes([]))
@settings(PROFILE, max_examples=50)
def test_generated_scoring_trees_stop_at_four_levels(node):
    assert _score_depth(node) <= SCORE_DEPTH


def _rows(lines: list[dict]):
    for line in lines:
        yield line
        yield from _rows(line.get("children", []))


@given(valid_reports())
@settings(PROFILE, max_examples=derive_examples(0.25))
def test_valid_reports_build_and_hold_their_text(sandbox, report):
    data, must_print, suffixes = report
    document = sandbox.run(dump(data))
    assert document is not None, "a valid report was refused"
    texts = texts_of(document)
    for text in must_print:
        assert text in texts, f"{text!r} not printed exactly"
    for text in suffixes:
        assert any(t.endswith(text) for t in texts), f"{text!r} not printed"


# --- strategies: the real data, mutated -------------------------------------------------

HOSTILE_REFERENCES = [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{{ 9**9**9 }}",
    "{{ 'x' * 10**9 }}",
    "{{ scores.total.score|money(10**9) }}",
    "{{ scores.total.score|money(999999999) }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ lipsum(10**7) }}",
    "{{ self }}",
    "{{ config }}",
    "{{ scores.by_key }}",
    "{{ dept.model_fields }}",
    "{{ dept.name|money }}",
    "{{ spending.actual|rmb_upper }}",
    "{{ grade|cn_number }}",
    "{{ monthly.values[99] }}",
    "{{ scores['_x'] }}",
    "{{ year|cn_date }}",
    "{{ scores.nope.score }}",
    "{{ (((((1))))) }}",
    "{{",
    "}}",
    "{%",
    "{#",
    "{{ '{{' }}",
    "{{- year -}}",
    "{{ year }",
    "{ year }}",
    "{{ year|score(1,2,3) }}",
    "{{ year|score(places=1) }}",
    "{{ year|score(x) }}",
    "{{ staffing }}",
    "{{ spending_rows[0].fig.name }}",
]

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(20, 6000).map(lambda n: Decimal("9" * n)),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.just(Decimal("1e-30")),
    st.just(Decimal("-0.0000001")),
    st.text(LEGAL, max_size=30),
    st.sampled_from(EXOTIC),
    st.sampled_from(HOSTILE_REFERENCES),
    st.sampled_from(
        [
            "1,234.56",
            "4118.22万元",
            "４１１８．２２",
            "136.18%",
            "2023-02-30",
            "2023-12-31",
            "12:30",
            "1e3",
            "0x10",
            ".inf",
            ".nan",
            "-.inf",
            "1_000",
            "+5",
            "007",
            "- 1",
            "yes",
            "Off",
            "",
        ]
    ),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(LEGAL, max_size=5), st.integers(), max_size=3),
    st.builds(lambda s, c: s[: len(s) // 2] + c + s[len(s) // 2 :], st.text(LEGAL, max_size=10), CONTROL),
)


def _paths(value: Any, path: tuple = (), above: frozenset = frozenset()) -> list[tuple]:
    """Every path into ``value``; a shared object that contains itself is entered once."""
    out = [path]
    if id(value) in above:
        return out
    above = above | {id(value)}
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, path + (key,), above)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, path + (index,), above)
    return out


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


@st.composite
def mutated_reports(draw) -> str:
    data = copy.deepcopy(REAL)
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _get(data, path[:-1]), path[-1]
        action = draw(
            st.sampled_from(["replace", "delete", "extra", "share", "nest", "reference", "long", "control", "swap"])
        )
        if action == "replace":
            parent[key] = draw(odd_values)
        elif action == "delete":
            del parent[key]
        elif action == "extra" and isinstance(parent, dict):
            parent[draw(st.one_of(st.text(LEGAL, min_size=1, max_size=8), st.sampled_from(EXOTIC)))] = draw(odd_values)
        elif action == "share":  # the same object twice: written as an anchor and an alias
            other = draw(st.sampled_from(paths))
            with contextlib.suppress(KeyError, IndexError, TypeError):
                parent[key] = _get(data, other)
        elif action == "nest":
            value = parent[key]
            for _ in range(draw(st.integers(1, 80))):
                value = [value]
            parent[key] = value
        elif action in ("reference", "long", "control") and isinstance(parent[key], str):
            text = parent[key]
            at = draw(st.integers(0, len(text)))
            piece = {
                "reference": lambda: draw(st.sampled_from(HOSTILE_REFERENCES)),
                "long": lambda: draw(st.sampled_from(["字", "a", "&", "\n"])) * draw(st.integers(1000, 300_000)),
                "control": lambda: draw(CONTROL),
            }[action]()
            parent[key] = text[:at] + piece + text[at:]
        elif action == "swap":
            value = parent[key]
            if isinstance(value, dict):
                parent[key] = list(value.values())
            elif isinstance(value, list):
                parent[key] = {str(i): v for i, v in enumerate(value)}
    return dump(data)


@given(mutated_reports())
@settings(PROFILE, max_examples=derive_examples(0.35))
def test_mutated_real_data_ends_well(sandbox, text):
    sandbox.run(text)


# --- strategies: the real file's text, damaged -------------------------------------------

SNIPPETS = [
    "\t",
    " ",
    "  ",
    "\n",
    ":",
    ": ",
    "- ",
    "#",
    "'",
    '"',
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "*nowhere",
    "!!python/object/apply:os.system ['echo x'] ",
    "!!binary aGk= ",
    "!foo ",
    "<<: ",
    "? ",
    "|",
    ">",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "\ufeff",
    "\\",
    "\\x",
    "{{",
    "{%",
    "\x00",
    "\x0b",
    "\x1b[2J",
    "\x85",
    "\u2028",
    "\ud800",
    "\ufffe",
    "字",
    "𠀀",
    "😀",
]
BOMB = "".join(
    [f"l0: &l0 [{', '.join(['lol'] * 10)}]\n"]
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 9)]
)


@st.composite
def damaged_files(draw) -> str | bytes:
    text = REAL_TEXT
    kind = draw(
        st.sampled_from(
            ["insert", "insert", "delete", "duplicate", "indent", "truncate", "encode", "bytes", "bomb", "crlf"]
        )
    )
    if kind == "insert":
        for _ in range(draw(st.integers(1, 5))):
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=5))) + text[at:]
    elif kind == "delete":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + text[at + draw(st.integers(1, 200)) :]
    elif kind in ("duplicate", "indent"):
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "duplicate":
            lines.insert(i, lines[i])
        else:
            lines[i] = " " * draw(st.integers(0, 7)) + lines[i].lstrip(" ")
        text = "\n".join(lines)
    elif kind == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif kind == "encode":
        return text.encode(
            draw(st.sampled_from(["gbk", "gb18030", "utf-16", "utf-16-le", "big5", "cp1252"])), "replace"
        )
    elif kind == "bytes":
        return draw(st.binary(max_size=2000))
    elif kind == "bomb":
        return BOMB + text
    elif kind == "crlf":
        return ("\ufeff" if draw(st.booleans()) else "") + text.replace("\n", draw(st.sampled_from(["\r\n", "\r"])))
    return text


@given(damaged_files())
@settings(PROFILE, max_examples=derive_examples(0.25))
def test_damaged_files_end_well(sandbox, content):
    sandbox.run(content)


# --- strategies: references in a narrative paragraph ------------------------------------

NAMES = [
    "year",
    "dept",
    "unit",
    "staffing",
    "spending",
    "spending_rows",
    "scores",
    "grade",
    "monthly",
    "key_task_count",
    "indicator_count",
    "staffing_as_of",
    "h",
    "range",
    "lipsum",
    "cycler",
    "self",
    "loop",
    "t",
    "x",
]
FIELDS = [
    "name",
    "short_name",
    "total",
    "score",
    "weight",
    "rate",
    "output",
    "performance",
    "management",
    "execution",
    "benefit",
    "blocks",
    "values",
    "average",
    "n",
    "initial",
    "adjusted",
    "actual",
    "execution_rate",
    "authorized",
    "children",
    "fig",
    "label",
    "__class__",
    "_x",
    "by_key",
    "model_fields",
    "counted",
    "grade",
    "weight_share",
]
FILTERS = [
    "money",
    "percent",
    "points",
    "score",
    "plain",
    "rmb_upper",
    "cn_number",
    "cn_ordinal",
    "cn_date",
    "round",
    "safe",
    "attr",
    "format",
    "e",
    "list",
    "length",
    "center",
]


@st.composite
def references(draw) -> str:
    expression = draw(st.sampled_from(NAMES))
    for _ in range(draw(st.integers(0, 4))):
        field = draw(st.sampled_from(FIELDS))
        expression += draw(st.sampled_from([f".{field}", f"['{field}']", f"[{draw(st.integers(-3, 20))}]"]))
    for _ in range(draw(st.integers(0, 2))):
        expression += "|" + draw(st.sampled_from(FILTERS))
        if draw(st.booleans()):
            expression += f"({draw(st.sampled_from(['0', '1', '2', '11', '-1', '10**9', 'True', '1.5', chr(39) + 'x' + chr(39)]))})"
    if draw(st.integers(0, 5)) == 0:
        expression += draw(
            st.sampled_from([" + 1", " * 10**9", "()", " if 1 else 2", " ~ 'x'", " }}", " %}", "}", "{"])
        )
    return "{{ " + expression + " }}"


@given(
    st.lists(
        st.one_of(references(), st.sampled_from(HOSTILE_REFERENCES), words.map(lambda s: s.replace("\n", " "))),
        min_size=1,
        max_size=5,
    )
)
@settings(PROFILE, max_examples=derive_examples(0.15))
def test_narrative_references_end_well(sandbox, pieces):
    paragraph = "".join(pieces)
    assume("\n" not in paragraph)
    text = REAL_TEXT.replace("    本指标得分{{ scores.execution.score|score }}分。", "    " + paragraph, 1)
    document = sandbox.run(text)
    if document is not None:
        assert not any("{{" in t and "}}" in t for t in texts_of(document) if "'{{'" not in paragraph), (
            "an unresolved reference was printed"
        )

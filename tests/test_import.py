"""reportgen import: last year's Word report read back into a data file (issue 13)."""

from __future__ import annotations

import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.docx_in import Para, read_blocks
from generator.docx_in import Table as DocTable
from generator.extract import text_lines
from generator.import_outline import looks_like_heading
from generator.import_run import import_report
from generator.import_tables import number
from generator.project import Project

from .conftest import ROOT, example_project


def _declared_reports() -> list[tuple[str, int, str]]:
    out = []
    for path in sorted((ROOT / "data").glob("*/*.yaml")):
        slug = yaml.safe_load(path.read_text(encoding="utf-8")).get("format")
        fmt = ROOT / "templates" / str(slug) / "format.yaml"
        if fmt.is_file() and re.search(r"^inputs:", fmt.read_text(encoding="utf-8"), re.M):
            out.append((path.parent.name, int(path.stem), str(slug)))
    return out


@pytest.fixture()
def tmp_root(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (tmp_path / "data").mkdir()
    return tmp_path


def _built(dept: str, year: int, out: Path) -> Path:
    return pipeline.build(Project(ROOT), dept, year, out)


def _fill_from(original: dict, path: Path) -> None:
    """What the report does not print (a count only the narrative names): taken from the original file."""
    text = path.read_text(encoding="utf-8")
    for key, value in original.items():
        text = text.replace(f"\n{key}: 待填\n", f"\n{key}: {value}\n")
    path.write_text(text, encoding="utf-8")


def test_numbers_as_printed():
    assert number("4,506.89") == Decimal("4506.89")
    assert number("４，５０６．８９") == Decimal("4506.89")
    assert number("17534.51万元") == Decimal("17534.51")
    assert number("99.79%") == Decimal("99.79")
    for nothing in ("", "-", "—", "——"):
        assert number(nothing) is None


def test_heading_by_typed_number_without_style():
    def para(text: str) -> Para:
        return Para(0, text, "Normal", None, "", False, None, "left")

    assert looks_like_heading(para("（四）部门整体收支情况")) == 2
    assert looks_like_heading(para("一、部门基本情况")) == 1
    assert looks_like_heading(para("1.部门整体绩效目标产出指标完成情况")) == 3
    assert looks_like_heading(para("一是体现项目绩效目标与支出内容关联性不强。")) is None
    assert looks_like_heading(para("本指标得分10分。")) is None
    assert looks_like_heading(Para(0, "部门基本情况", "Normal", None, "", True, None, "left")) == 0  # bold only


@pytest.mark.parametrize(("dept", "year", "slug"), _declared_reports())
def test_every_paragraph_placed_or_listed(dept: str, year: int, slug: str, tmp_root: Path, tmp_path: Path):
    """Nothing is dropped silently: every non-empty paragraph is a heading, a recognised sentence,
    narrative, or in unplaced:; the file starts with the schema line."""
    built = _built(dept, year, tmp_path / "orig.docx")
    result = import_report(Project(tmp_root), built, slug, dept, year)
    text = result.path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../../templates/{slug}/schema.json\n")
    paras = [b for b in read_blocks(built) if isinstance(b, Para) and b.text.strip()]
    s = result.summary
    assert s.headings + s.fixed + s.placed + s.unplaced == len(paras)
    assert yaml.safe_load(text)["format"] == slug


# what a report does not print, or prints only inside a narrative paragraph: import cannot read it,
# lists it as still to be filled in, and the round trip takes it from the original file
UNREAD = {
    ("beita", 2020): {
        "department.short_name",
        "staffing.authorized",
        "staffing.actual",
        "headcount.retired",
        "headcount.survivors",
        "headcount.cars",
        "final_accounts.by_class",
        "initial_projects",
        "three_public",
        "self_grade",
    },
    ("fengnan", 2024): {
        "department.name",
        "budget_execution.basic",
        "budget_execution.projects.initial_count",
        "budget_execution.projects.added_count",
    },
    ("guangzhou", 2022): {
        "annexes[].title",
        "scoring[].children[].children[].category",  # named only in narrative paragraphs
        "scoring[].children[].indicator_type",
        "scoring[].children[].key",  # 代号: the data file's own names for references
        "scoring[].key",
        "spending",  # printed only as its totals
    },
    ("guangzhou", 2023): {
        "department.self_name",
        "key_task_count",
        "scoring[].children[].children[].indicator_type",
        "scoring[].children[].children[].indicators",
        "scoring[].children[].children[].key",
        "scoring[].key",
    },
    ("zhanjiang", 2021): {"department.short_name", "scores"},
}


# figures the report does not print exactly, so that reading it back cannot recover them
LOST: dict[tuple[str, int], tuple[str, ...]] = {
    # monthly rates above 100% print as 100.00% (the capped average's formula): the rate itself is lost
    ("guangzhou", 2022): (
        "monthly_average_uncapped",
        *(f"monthly_execution.{m}月" for m in range(3, 11)),
    ),
    ("guangzhou", 2023): (
        "monthly_average_uncapped",
        *(f"monthly_execution.{m}月" for m in (3, 4, 6, 7, 9, 10)),
    ),
}


def _fill(imported: Any, original: Any, at: str = "") -> list[str]:
    """What the import left out or wrote 待填, taken from the original data file; the dotted names
    (a list's rows, taken in order, as ``[]``)."""
    filled: set[str] = set()
    if isinstance(original, dict) and isinstance(imported, dict):
        for key, value in original.items():
            if key in ("reported", "unplaced"):
                continue
            if key not in imported or imported[key] == "待填":
                imported[key] = value
                filled.add(at + key)
            else:
                filled.update(_fill(imported[key], value, f"{at}{key}."))
    elif isinstance(original, list) and isinstance(imported, list) and len(original) == len(imported):
        for mine, theirs in zip(imported, original, strict=True):
            filled.update(_fill(mine, theirs, at.rstrip(".") + "[]."))
    return sorted(filled)


EXAMPLES = ROOT / "examples" / "formats"


def _example_root(slug: str, at: Path) -> Path:
    """A project with one of examples/formats/ as its only format and its example data file."""
    example_project(at, slug, slug)
    return at


def _examples() -> list[tuple[str, int, str]]:
    return [(p.parent.name, int(p.stem), p.parent.name) for p in sorted(EXAMPLES.glob("*/[0-9]*.yaml"))]


@pytest.mark.parametrize(("dept", "year", "slug"), _declared_reports())
def test_round_trip(dept: str, year: int, slug: str, tmp_root: Path, tmp_path: Path):
    """build → import → build: the same body text and table cells; the imported file computes the
    same figures as the original and its audit finds every printed figure consistent."""
    _round_trip(ROOT, dept, year, slug, tmp_root, tmp_path)


@pytest.mark.parametrize(("dept", "year", "slug"), _examples())
def test_round_trip_of_a_format_written_from_the_guide(dept: str, year: int, slug: str, tmp_path: Path):
    """The same for examples/formats/ (written from docs/新增格式.md alone): nothing to fill in."""
    source = _example_root(slug, tmp_path / "source")
    target = tmp_path / "target"
    shutil.copytree(source / "templates", target / "templates")
    (target / "data").mkdir()
    assert _round_trip(source, dept, year, slug, target, tmp_path) == []


def _round_trip(source: Path, dept: str, year: int, slug: str, tmp_root: Path, tmp_path: Path) -> list[str]:
    built = pipeline.build(Project(source), dept, year, tmp_path / "orig.docx")
    result = import_report(Project(tmp_root), built, slug, dept, year)
    assert result.summary.unplaced == 0
    original = yaml.safe_load((source / "data" / dept / f"{year}.yaml").read_text(encoding="utf-8"))
    imported = yaml.safe_load(result.path.read_text(encoding="utf-8"))
    filled = _fill(imported, original)
    if (dept, year) in UNREAD:
        assert set(filled) == UNREAD[(dept, year)]
    text = result.path.read_text(encoding="utf-8")
    reported = text[text.index("\nreported:\n") :] if "\nreported:\n" in text else ""
    imported.pop("reported", None)
    result.path.write_text(yaml.safe_dump(imported, allow_unicode=True, sort_keys=False) + reported, encoding="utf-8")
    again = pipeline.build(Project(tmp_root), dept, year, tmp_path / "again.docx")
    assert text_lines(again) == text_lines(built)
    audit = pipeline.audit(Project(tmp_root), dept, year)
    assert audit.findings and all(f.status == "ok" for f in audit.findings)
    ours = {f.id: f.printed for f in pipeline.load_declared(Project(tmp_root), dept, year).flat}
    theirs = {f.id: f.printed for f in pipeline.load_declared(Project(source), dept, year).flat}
    common = ours.keys() & theirs.keys()
    assert len(common) > 20
    differ = sorted(k for k in common if ours[k] != theirs[k])
    assert differ == sorted(LOST.get((dept, year), ()))
    return filled


def _edit_docx(src: Path, dst: Path) -> None:
    """What a clerk does in Word: heading styles → direct formatting (numbers stay typed), an empty
    paragraph, a paragraph reworded, 人员经费 年初预算 retyped, the spending table split in two."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")

    def direct(m: re.Match[str]) -> str:  # the heading style gone, the words made bold by hand
        para = m.group(0).replace(m.group(1), '<w:jc w:val="left"/>')
        return para.replace("<w:r><w:t", "<w:r><w:rPr><w:b/></w:rPr><w:t")

    xml = re.sub(r'<w:p>(?:(?!</w:p>).)*?(<w:pStyle w:val="Heading\d"/>).*?</w:p>', direct, xml, flags=re.S)
    xml = xml.replace(">（二）履职效能分析<", ">履职效能分析<", 1)  # a heading without its number
    xml = xml.replace("本指标得分", "本项指标得分", 1)  # reworded
    xml = xml.replace(">（五）部门整体绩效管理情况<", ">（五） 部门整体绩效的管理情况<", 1)  # a heading reworded
    xml = xml.replace(">4,118.22<", ">4,200.00<", 1)
    first = xml.index("<w:p>", xml.index("（一）部门主要职能和机构人员情况"))
    xml = xml[:first] + "<w:p/>" + xml[first:]  # an empty paragraph
    start = xml.index("<w:tbl>")
    end = xml.index("</w:tbl>", start) + len("</w:tbl>")
    table = xml[start:end]
    rows = re.findall(r"<w:tr>.*?</w:tr>|<w:tr .*?</w:tr>", table, re.S)
    head = table[: table.index(rows[0])]
    cut = next(i for i, r in enumerate(rows) if "日常公用经费" in r)
    one = head + "".join(rows[:cut]) + "</w:tbl>"
    two = head + "".join(rows[:2] + rows[cut:]) + "</w:tbl>"
    xml = xml[:start] + one + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>' + two + xml[end:]
    parts["word/document.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_clerk_edits_carried_and_audit_flags_stale_total(tmp_root: Path, tmp_path: Path):
    built = _built("guangzhou", 2023, tmp_path / "orig.docx")
    edited = tmp_path / "edited.docx"
    _edit_docx(built, edited)
    blocks = read_blocks(edited)
    assert sum(isinstance(b, DocTable) for b in blocks) == 4  # the spending table is now two
    assert not any(isinstance(b, Para) and b.style.startswith("Heading") for b in blocks)
    bare = next(b for b in blocks if isinstance(b, Para) and b.text == "履职效能分析")
    assert bare.bold and bare.outline_level is None  # found by its words alone
    result = import_report(Project(tmp_root), edited, "guangzhou-2024", "guangzhou", 2023)
    assert result.summary.unplaced == 0
    data = yaml.safe_load(result.path.read_text(encoding="utf-8"))
    assert data["text"]["execution_result"].startswith("本项指标得分10分。")
    assert data["text"]["output_analysis"].startswith("为衡量部门整体绩效目标")
    assert [c["name"] for c in data["spending"][0]["children"]] == ["人员经费", "日常公用经费"]
    assert data["spending"][0]["children"][0]["initial"] == 4200.0
    assert [r["name"] for r in data["spending"]] == ["基本支出", "项目支出"]
    assert data["text"]["functions"].count("\n") == 3  # three paragraphs; the empty one not kept
    assert data["text"]["management"].startswith("我办根据全面实施预算绩效管理的要求")  # under the reworded heading
    _fill_from({"key_task_count": 4}, result.path)
    audit = pipeline.audit(Project(tmp_root), "guangzhou", 2023)
    wrong = {(f.figure, f.printed, f.expected) for f in audit.findings if f.status == "wrong"}
    assert ("spending.基本支出.initial", "4,506.89", "4,588.67") in wrong


def test_sentence_with_loops_and_branches_read_back():
    """A sentence the template writes with a loop and an if/else per item: each item's names."""
    from generator.import_pattern import Compiler
    from generator.import_template import norm

    kinds = {"staffing.kinds.rows.authorized": "number", "staffing.kinds.rows.actual": "number"}
    compiler = Compiler(2024, "万元", norm, lambda name, _f: kinds.get(name, "text"))
    pattern = compiler.compile(
        "共有编制{{ staffing.authorized }}人。{% if staffing.kinds.rows %}其中{% for k in staffing.kinds.rows %}{{ k.name }}"
        "{% if k.authorized is not none %}{{ k.authorized }}人，实有{{ k.actual }}人{% else %}{{ k.actual }}人"
        "{% endif %}{% if not loop.last %}；{% else %}。{% endif %}{% endfor %}{% endif %}"
    )
    text = norm("共有编制19人。其中行政编制6人，实有6人；聘用制1人；劳务派遣6人。")
    found = pattern.read(text)
    assert found is not None
    values, loops = found
    assert [(s.name, text[a:b]) for s, a, b in values] == [("staffing.authorized", "19")]
    items = [{k: text[v[0] : v[1]] for k, v in item.items()} for item in loops[0].items]
    assert items == [
        {"name": "行政编制", "authorized": "6", "actual": "6"},
        {"name": "聘用制", "actual": "1"},
        {"name": "劳务派遣", "actual": "6"},
    ]
    assert pattern.read(norm("共有编制19人。")) is not None  # no items: the if leaves the loop out
    assert pattern.read(norm("其中行政编制6人。")) is None


def test_a_paragraph_made_to_look_like_a_templated_sentence_takes_bounded_time():
    """Patterns with loops (items of 类别 N人，实有 N人；…) on a long paragraph that repeats their words
    but never ends as the template does: read in bounded time, kept as narrative."""
    import time

    from generator.formats import load_format
    from generator.import_decl import kind_of
    from generator.import_outline import place
    from generator.import_pattern import Compiler, number_pattern
    from generator.import_template import norm, skeleton

    fmt = load_format(ROOT / "templates", "hebei-district")
    compiler = Compiler(2024, "万元", norm, lambda n, f: kind_of(fmt.declaration, n, f))
    pieces = skeleton(read_blocks(fmt.template_path), compiler)
    head = "截止2024年12月底，网信办人员编制及实有情况如下：共有编制19人，实有19人。其中"
    for repeat in (110, 3000):
        hostile = head + "行政编制6人，实有6人；" * repeat + "x"
        blocks = [
            Para(0, "一、部门整体概况", "Heading 1", 0, "", True, None, "left"),
            Para(1, "（一）部门主要职责职能及人员情况", "Heading 2", 1, "", True, None, "left"),
            Para(2, hostile, "Normal", None, "", False, None, "both"),
        ]
        start = time.monotonic()
        placement = place(blocks, pieces, number=number_pattern(fmt.settings.headings))
        assert time.monotonic() - start < 5
        assert placement.narrative["functions"] == [hostile]


def test_a_report_of_another_format_is_told(tmp_root: Path, tmp_path: Path):
    built = _built("zhanjiang", 2021, tmp_path / "zj.docx")
    result = import_report(Project(tmp_root), built, "guangzhou-2024", "zhanjiang", 2021)
    assert any("这份报告可能不是这个格式，请核对 --format" in line for line in result.summary.lines())
    right = import_report(Project(tmp_root), built, "zhanjiang", "zhanjiang", 2022)
    assert not any("可能不是这个格式" in line for line in right.summary.lines())


def test_cli_refuses_existing_file_and_bad_usage(tmp_root: Path, tmp_path: Path):
    built = _built("guangzhou", 2023, tmp_path / "orig.docx")
    runner = CliRunner()
    args = ["import", str(built), "--format", "guangzhou-2024", "guangzhou", "2023", "--root", str(tmp_root)]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "已生成" in first.output and "未能归位 0 段" in first.output
    before = (tmp_root / "data/guangzhou/2023.yaml").read_bytes()
    second = runner.invoke(main, args)
    assert second.exit_code == 1
    assert "数据文件已存在，不会覆盖" in second.output and "--force" in second.output
    assert (tmp_root / "data/guangzhou/2023.yaml").read_bytes() == before
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0
    usage = runner.invoke(main, ["import", str(built), "guangzhou", "2023"])
    assert usage.exit_code == 2


def test_check_explains_the_unplaced_list_import_left(cli_runner, project):
    # the list reportgen import writes for what it could not place is told as such, not as a misspelling
    path = project.data_path("guangzhou", 2023)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join(lines + ["unplaced:", "  - {paragraph: 12, text: 某段文字}", "  - {paragraph: 40, text: 另一段}"])
        + "\n",
        encoding="utf-8",
    )
    result = cli_runner.invoke(main, ["check", "guangzhou", "2023", "--root", str(project.root)])
    assert result.exit_code == 1
    assert (
        f"{path}:{len(lines) + 1}: unplaced: reportgen import 未能归位的段落（2 段）："
        "请把每段移到 text: 等相应位置，或确认不要后删除，最后删去 unplaced:"
    ) in result.output

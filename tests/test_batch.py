"""build DEPT / build --all: the summary, exit codes, incremental rebuilds, --force, --pdf, check FILE…;
and the render caches giving the same bytes as a plain build."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from generator import pipeline, render
from generator.batch import MANIFEST
from generator.cli import main
from generator.formats import load_format
from generator.layout import load_layout
from generator.preview import soffice

from .conftest import edit


def run(cli_runner, project, *args):
    return cli_runner.invoke(main, ["build", *args, "--root", str(project.root)])


def docx_names(project) -> list[str]:
    return sorted(p.name for p in (project.root / "build").glob("*.docx"))


def built_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "已生成" in line and line.startswith("[")]


ALL = ["beita-2020.docx", "fengnan-2024.docx", "guangzhou-2022.docx", "guangzhou-2023.docx", "zhanjiang-2021.docx"]


# --- the caches ---------------------------------------------------------------------------


def test_cached_render_gives_the_bytes_of_a_plain_render(project):
    """Cached (template prepared once, parts patched and compiled once, zip written once) == uncached, every report,
    and a second cached render (every cache warm) is the same again."""
    render.clear_caches()
    layout = load_layout(project.templates_dir)
    for dept, year in project.reports():
        loaded, fmt = pipeline._open(project, dept, year)
        context, _figures = pipeline._context_of(loaded, fmt, year, None)
        plain = render.render_docx(fmt, layout, context, cached=False)
        first = render.render_docx(fmt, layout, context)
        warm = render.render_docx(fmt, layout, context)
        assert first == plain, f"{dept}-{year}: cached render differs from the plain one"
        assert warm == plain, f"{dept}-{year}: warm cached render differs from the plain one"


def test_the_parts_shared_by_a_batch_are_left_as_read(project):
    """Reports of a format share the template's parsed styles and numbering (generator.docxcache):
    rendering every report twice, formats interleaved, leaves them as read, and the second round
    gives the first round's bytes."""
    render.clear_caches()
    layout = load_layout(project.templates_dir)
    items = []
    for dept, year in project.reports():
        loaded, fmt = pipeline._open(project, dept, year)
        items.append((fmt, pipeline._context_of(loaded, fmt, year, None)[0], pipeline.title_hints(loaded)))
    first = [render.render_docx(fmt, layout, context, hints) for fmt, context, hints in items]
    masters = list(render._MASTERS.values())
    assert len(masters) == len({fmt.template_path for fmt, _c, _h in items})
    assert all(m.stored for m in masters)  # styles.xml at least
    assert all(m.is_pristine() for m in masters)
    again = [render.render_docx(fmt, layout, context, hints) for fmt, context, hints in items]
    assert again == first
    assert all(m.is_pristine() for m in masters)
    render.clear_caches()


def test_a_body_with_rules_and_theme_blue_is_cleaned_as_by_a_plain_render(project):
    """The cached render skips going through a body whose XML has no rule nor theme colour; a template
    whose body has them (a bordered paragraph, theme-coloured text) still comes out without them, as
    the plain render gives it."""
    import io
    import zipfile

    fmt = load_format(project.templates_dir, "guangzhou-2024")
    template = fmt.template_path
    source = zipfile.ZipFile(io.BytesIO(template.read_bytes()))
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                marked = (
                    b'<w:pPr><w:pBdr><w:bottom w:val="single" w:sz="4" w:color="4f81bd"/></w:pBdr></w:pPr>'
                    b'<w:r><w:rPr><w:color w:val="365F91" w:themeColor="accent1"/></w:rPr><w:t>\xe8\x93\x9d</w:t></w:r>'
                )
                body = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:body] + b"<w:p>" + marked + b"</w:p>" + data[body:]
            target.writestr(name, data)
    render.clear_caches()
    layout = load_layout(project.templates_dir)
    context = pipeline.context(project, "guangzhou", 2023)
    cached = render.render_docx(fmt, layout, context)
    assert cached == render.render_docx(fmt, layout, context, cached=False)
    document = zipfile.ZipFile(io.BytesIO(cached)).read("word/document.xml")
    assert "蓝".encode() in document
    for mark in (b"pBdr", b"themeColor", b"4F81BD", b"4f81bd", b"365F91"):
        assert mark not in document
    render.clear_caches()


def test_the_disk_cache_gives_the_same_bytes_and_ignores_damaged_entries(project, tmp_path, monkeypatch):
    """A fresh process finds the prepared template, patched XML and compiled Jinja on disk: same bytes.
    A damaged entry is not used."""
    from generator import diskcache

    monkeypatch.setenv("REPORTGEN_CACHE", str(tmp_path / "cache"))
    diskcache.folder.cache_clear()
    try:
        layout = load_layout(project.templates_dir)
        loaded, fmt = pipeline._open(project, "zhanjiang", 2021)
        context, _figures = pipeline._context_of(loaded, fmt, 2021, None)
        plain = render.render_docx(fmt, layout, context, cached=False)
        render.clear_caches()
        assert render.render_docx(fmt, layout, context) == plain  # cold: writes the disk cache
        kinds = sorted(p.name for p in (tmp_path / "cache").iterdir())
        # beside the checked settings files (settings_cache: layout, format)
        assert [k for k in kinds if k not in ("layout", "format")] == ["jinja", "patched", "template"]
        render.clear_caches()
        assert render.render_docx(fmt, layout, context) == plain  # as a new process would: from disk
        for entry in (tmp_path / "cache").glob("*/*"):
            entry.write_bytes(entry.read_bytes()[:-5] + b"xxxxx")
        render.clear_caches()
        assert render.render_docx(fmt, layout, context) == plain  # damaged: made again
    finally:
        render.clear_caches()
        monkeypatch.undo()
        diskcache.folder.cache_clear()


def test_a_changed_template_is_not_served_from_the_cache(project):
    """The prepared template is keyed by the template's bytes: an edited template.docx is seen at once."""
    import io
    import zipfile

    from generator.extract import text_lines

    layout = load_layout(project.templates_dir)
    fmt = load_format(project.templates_dir, "guangzhou-2024")
    context = pipeline.context(project, "guangzhou", 2023)
    before = render.render_docx(fmt, layout, context)
    template = fmt.template_path
    source = zipfile.ZipFile(io.BytesIO(template.read_bytes()))
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                assert "按支出性质分类".encode() in data
                data = data.replace("按支出性质分类".encode(), "按支出的性质分类".encode())
            target.writestr(name, data)
    after = render.render_docx(fmt, layout, context)
    assert after != before
    assert after == render.render_docx(fmt, layout, context, cached=False)
    out = project.root / "after.docx"
    out.write_bytes(after)
    assert any("按支出的性质分类" in line for line in text_lines(out))


# --- batch: summary and exit codes --------------------------------------------------------


def test_all_with_one_broken_file_builds_the_others_and_exits_1(cli_runner, project):
    data = project.data_dir / "guangzhou" / "2023.yaml"
    edit(data, "score: 45.5", "score: 四十五")
    result = run(cli_runner, project, "--all", "-j", "2")
    assert result.exit_code == 1
    assert docx_names(project) == [n for n in ALL if n != "guangzhou-2023.docx"]
    lines = result.output.splitlines()
    assert len(built_lines(result.output)) == 4
    assert "共 5 份报告：已生成 4 份，未改动 0 份，失败 1 份" in lines
    failed_at = lines.index(f"失败：guangzhou 2023 年（{data}）")
    assert lines[failed_at + 1].startswith(f"  {data}:")
    assert "score" in lines[failed_at + 1] and "四十五" in lines[failed_at + 1]
    assert "Traceback" not in result.output


def test_all_good_exits_0_and_one_department_builds_its_years(cli_runner, project):
    result = run(cli_runner, project, "guangzhou", "-j", "1")
    assert result.exit_code == 0, result.output
    assert docx_names(project) == ["guangzhou-2022.docx", "guangzhou-2023.docx"]
    assert result.output.splitlines()[-1] == "共 2 份报告：已生成 2 份，未改动 0 份，失败 0 份"
    # each the same document a single build makes
    single = pipeline.build(project, "guangzhou", 2022, project.root / "single.docx")
    assert (project.root / "build" / "guangzhou-2022.docx").read_bytes() == single.read_bytes()


def test_unknown_department_and_usage_errors(cli_runner, project):
    result = run(cli_runner, project, "nowhere")
    assert result.exit_code == 1
    assert result.output == f"{project.data_dir / 'nowhere'}: 没有找到这个部门的数据文件\n"
    assert run(cli_runner, project, "--all", "guangzhou").exit_code == 2
    assert run(cli_runner, project, "guangzhou", "-o", "x.docx").exit_code == 2
    assert run(cli_runner, project).exit_code == 2


# --- incremental -------------------------------------------------------------------------


def test_second_run_renders_nothing_and_says_so(cli_runner, project, monkeypatch):
    assert run(cli_runner, project, "--all", "-j", "1").exit_code == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in (project.root / "build").glob("*.docx")}

    def no_render(*args, **kwargs):
        raise AssertionError("rendered although nothing changed")

    monkeypatch.setattr(pipeline, "build", no_render)
    result = run(cli_runner, project, "--all", "-j", "1")
    assert result.exit_code == 0
    assert result.output == "没有改动：5 份报告与上次生成时相同，没有重新生成（要全部重新生成请加 --force）\n"
    assert {p.name: p.stat().st_mtime_ns for p in (project.root / "build").glob("*.docx")} == stamps


def test_one_changed_data_file_rebuilds_one_report(cli_runner, project):
    assert run(cli_runner, project, "--all", "-j", "1").exit_code == 0
    data = project.data_dir / "beita" / "2020.yaml"
    data.write_text(data.read_text(encoding="utf-8") + "\n# 改了一行注释\n", encoding="utf-8")
    result = run(cli_runner, project, "--all", "-j", "1")
    assert result.exit_code == 0
    assert built_lines(result.output) == [f"[1/1] 已生成 {project.root / 'build' / 'beita-2020.docx'}"]
    assert result.output.splitlines()[-1] == "共 5 份报告：已生成 1 份，未改动 4 份，失败 0 份"


def test_a_changed_format_rebuilds_its_reports_only(cli_runner, project):
    assert run(cli_runner, project, "--all", "-j", "1").exit_code == 0
    fmt = project.templates_dir / "guangzhou-2024" / "format.yaml"
    fmt.write_text(fmt.read_text(encoding="utf-8") + "\n# 注释\n", encoding="utf-8")
    result = run(cli_runner, project, "--all", "-j", "1")
    assert result.output.splitlines()[-1] == "共 5 份报告：已生成 1 份，未改动 4 份，失败 0 份"  # guangzhou 2023 only
    assert built_lines(result.output) == [f"[1/1] 已生成 {project.root / 'build' / 'guangzhou-2023.docx'}"]
    base = project.templates_dir / "_base" / "layout.yaml"
    base.write_text(base.read_text(encoding="utf-8") + "\n# 注释\n", encoding="utf-8")
    result = run(cli_runner, project, "--all", "-j", "1")
    assert result.output.splitlines()[-1] == "共 5 份报告：已生成 5 份，未改动 0 份，失败 0 份"


def test_a_deleted_or_edited_output_is_rebuilt(cli_runner, project):
    assert run(cli_runner, project, "--all", "-j", "1").exit_code == 0
    out = project.root / "build"
    good = (out / "zhanjiang-2021.docx").read_bytes()
    (out / "zhanjiang-2021.docx").unlink()
    (out / "beita-2020.docx").write_bytes(b"edited by hand")
    result = run(cli_runner, project, "--all", "-j", "1")
    assert result.output.splitlines()[-1] == "共 5 份报告：已生成 2 份，未改动 3 份，失败 0 份"
    assert (out / "zhanjiang-2021.docx").read_bytes() == good
    assert (out / "beita-2020.docx").read_bytes()[:2] == b"PK"


def test_force_rebuilds_everything_and_a_failed_report_is_retried(cli_runner, project):
    assert run(cli_runner, project, "--all", "-j", "1").exit_code == 0
    result = run(cli_runner, project, "--all", "--force", "-j", "1")
    assert result.output.splitlines()[-1] == "共 5 份报告：已生成 5 份，未改动 0 份，失败 0 份"
    data = project.data_dir / "fengnan" / "2024.yaml"
    original = data.read_text(encoding="utf-8")
    data.write_text(original + "\n!!broken: [\n", encoding="utf-8")
    assert run(cli_runner, project, "--all", "-j", "1").exit_code == 1
    assert run(cli_runner, project, "--all", "-j", "1").exit_code == 1  # a failure is not remembered as done
    data.write_text(original, encoding="utf-8")
    result = run(cli_runner, project, "--all", "-j", "1")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "共 5 份报告：已生成 1 份，未改动 4 份，失败 0 份"


def test_a_damaged_manifest_means_a_full_build(cli_runner, project):
    assert run(cli_runner, project, "--all", "-j", "1").exit_code == 0
    (project.root / "build" / MANIFEST).write_text("{not json", encoding="utf-8")
    result = run(cli_runner, project, "--all", "-j", "1")
    assert result.output.splitlines()[-1] == "共 5 份报告：已生成 5 份，未改动 0 份，失败 0 份"


# --- PDF ------------------------------------------------------------------------------------


def _path_without_soffice(tmp_path) -> str:
    """A PATH with fc-list/fc-match but no soffice/libreoffice."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in ("fc-list", "fc-match"):
        found = shutil.which(tool)
        if found:
            os.symlink(found, folder / tool)
    return str(folder)


def test_pdf_without_libreoffice_builds_the_docx_and_exits_1(cli_runner, project, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", _path_without_soffice(tmp_path))
    assert soffice() is None
    result = run(cli_runner, project, "--all", "--pdf", "-j", "1")
    assert result.exit_code == 1
    assert docx_names(project) == ALL
    assert not list((project.root / "build").glob("*.pdf"))
    assert "没有找到 LibreOffice（soffice），无法转换 PDF" in result.output
    assert "Word 文档（.docx）已生成，不受影响；PDF 没有生成。" in result.output
    single = cli_runner.invoke(main, ["build", "guangzhou", "2023", "--pdf", "--root", str(project.root)])
    assert single.exit_code == 1
    assert single.output.startswith(f"已生成 {project.root / 'build' / 'guangzhou-2023.docx'}\n没有找到 LibreOffice")


@pytest.mark.libreoffice
@pytest.mark.skipif(
    soffice() is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
)
def test_pdf_batch_beside_the_docx_with_the_font_check(cli_runner, project):
    for path in project.data_dir.glob("*/*.yaml"):
        if path.parent.name != "guangzhou":
            path.unlink()
    result = run(cli_runner, project, "--all", "--pdf", "-j", "1")
    assert result.exit_code == 0, result.output
    out = project.root / "build"
    assert sorted(p.name for p in out.glob("*.pdf")) == ["guangzhou-2022.pdf", "guangzhou-2023.pdf"]
    assert all(p.read_bytes()[:5] == b"%PDF-" for p in out.glob("*.pdf"))
    assert "PDF：已转换 2 份" in result.output
    if shutil.which("fc-list"):
        assert "仿宋_GB2312" in result.output  # installed, or named with what stands in for it
    assert not [p for p in out.iterdir() if p.name.startswith(".pdf-")]
    again = run(cli_runner, project, "--all", "--pdf", "-j", "1")
    assert again.output.splitlines()[-1] == "PDF 没有改动：2 份都与 .docx 相符"


# --- check FILE… ------------------------------------------------------------------------------


def test_check_accepts_file_paths(cli_runner, project, tmp_path):
    good = project.data_dir / "beita" / "2020.yaml"
    bad = project.data_dir / "guangzhou" / "2023.yaml"
    edit(bad, "score: 45.5", "score: 四十五")
    result = cli_runner.invoke(main, ["check", str(good), str(bad), "--root", str(project.root)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{good}: 通过"
    assert any(line.startswith(f"{bad}:") and "四十五" in line for line in lines)
    assert lines[-1] == "1 个文件有错误"
    # a copy elsewhere is checked where it is, against the project's formats
    copy = tmp_path / "elsewhere" / "beita" / "2020.yaml"
    copy.parent.mkdir(parents=True)
    shutil.copy(good, copy)
    result = cli_runner.invoke(main, ["check", str(copy), "--root", str(project.root)])
    assert (result.exit_code, result.output) == (0, f"{copy}: 通过\n")
    odd = tmp_path / "draft.yaml"
    shutil.copy(good, odd)
    result = cli_runner.invoke(main, ["check", str(odd), "--root", str(project.root)])
    assert (result.exit_code, result.output) == (1, f"{odd}: 数据文件的名称应为年度，如 2023.yaml\n1 个文件有错误\n")
    missing = project.data_dir / "beita" / "2031.yaml"
    result = cli_runner.invoke(main, ["check", str(missing), "--root", str(project.root)])
    assert result.exit_code == 1 and result.output.startswith(f"{missing}: 找不到数据文件")


def test_pre_commit_hook_checks_data_files(root):
    import yaml

    hooks = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "reportgen-check")
    assert hook["entry"] == "reportgen check"
    import re

    pattern = re.compile(hook["files"])
    assert pattern.search("data/guangzhou/2023.yaml")
    assert not pattern.search("templates/guangzhou-2024/format.yaml")
    assert not pattern.search("README.md")


def test_help_does_not_import_the_pipeline(root):
    import subprocess

    code = (
        "import sys; from generator.cli import main; print('generator.pipeline' in sys.modules, 'docx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True).stdout
    assert out.split() == ["False", "False"]


def test_numbers_are_written_as_babel_wrote_them_for_zh_cn():
    """_format_fixed no longer loads Babel's locale data: the text is the same as its format_decimal gave."""
    import random
    from decimal import Decimal, localcontext

    babel_numbers = pytest.importorskip("babel.numbers")
    from generator import formatting

    rng = random.Random(12)
    values = [
        Decimal(v) for v in ("0", "-0", "-0.00", "0E-8", "5", "-1234567.5", "17534.51", "99999999999999999999.99")
    ]
    values += [Decimal(rng.randint(-(10**20), 10**20)).scaleb(-rng.randint(0, 8)) for _ in range(3000)]
    for value in values:
        for places in range(5):
            q = formatting.quantize(value, places, "half_up")
            for grouping in (True, False):
                pattern = ("#,##0" if grouping else "0") + ("." + "0" * places if places else "")
                with localcontext() as ctx:
                    ctx.prec = 60
                    expected = babel_numbers.format_decimal(
                        q, format=pattern, locale="zh_CN", decimal_quantization=False
                    )
                assert formatting._format_fixed(q, places, grouping) == expected, (q, places, grouping)

"""What ``reportgen build DEPT`` / ``build --all`` show: progress, warnings, the summary, PDFs."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

import click

from . import batch
from .errors import ReportError, printable
from .pdf import NO_LIBREOFFICE, Converter, font_lines, font_report, layout_fonts


def pdf_converter(project) -> Converter:
    return Converter(project.templates_dir / "_base" / "fonts.conf")


def convert_pdfs(project, converter: Converter, files: list[Path]) -> dict[Path, str | None] | None:
    """Print the font check, convert ``files``; None (after the message) without LibreOffice."""
    if not converter.available:
        click.echo(NO_LIBREOFFICE, err=True)
        click.echo("Word 文档（.docx）已生成，不受影响；PDF 没有生成。", err=True)
        return None
    try:
        from .layout import load_layout

        fonts = layout_fonts(load_layout(project.templates_dir))
    except ReportError as error:
        click.echo(printable(str(error)), err=True)
        fonts = []
    for line in font_lines(font_report(fonts, converter.env.get("FONTCONFIG_FILE"))):
        click.echo(line)
    results = converter.convert(files)
    for path, problem in results.items():
        if problem is None:
            click.echo(f"已生成 {path.with_suffix('.pdf')}")
            for note in page_notes(project, path.with_suffix(".pdf"), path):
                click.echo(printable(note), err=True)
        else:
            click.echo(printable(f"{path}: {problem}"), err=True)
    return results


def page_notes(project, pdf: Path, docx: Path) -> list[str]:
    """The page check of a converted PDF (generator/pagecheck.py), when poppler's pdftotext is there:
    ``…pdf: 版面提示：第 5 页：“偏差原因分”超出了版心（左右页边距）``.  Only told, never an error."""
    if shutil.which("pdftotext") is None:
        return []
    from .layout import load_layout
    from .pagecheck import check_pdf

    try:
        problems = check_pdf(pdf, docx, load_layout(project.templates_dir))
    except (ReportError, OSError, subprocess.SubprocessError, ValueError):
        return []  # the PDF is there; a check that cannot read it says nothing
    return [f"{pdf}: 版面提示：{problem}" for problem in problems]


def build_many(project, dept: str | None, workers: int | None, force: bool, pdf: bool) -> int:
    """Build every report of ``dept`` (all when None); return the exit code."""
    targets = project.reports(dept)
    if not targets:
        where = (
            f"{project.data_dir / dept}: 没有找到这个部门的数据文件"
            if dept
            else f"{project.data_dir}: 没有找到数据文件"
        )
        click.echo(where, err=True)
        return 1
    jobs, manifest = batch.plan(project, targets, force, pdf)
    pending = [job for job in jobs if job.status == "pending"]
    converter = None
    if pdf:
        converter = pdf_converter(project)
        wanted = pending or [job for job in jobs if not manifest.pdf_current(job)]
        if converter.available and wanted:
            converter.start()  # LibreOffice starts up while the reports render
    try:
        _render(jobs, pending, manifest, project.root, workers or batch.default_workers())
        try:
            manifest.save()
        except ReportError as error:
            click.echo(printable(f"无法记录生成情况（下次会全部重新生成）：{error}"), err=True)
        code = _summary(jobs)
        if converter is not None:
            code = max(code, _pdfs(project, converter, jobs, manifest, force))
        return code
    finally:
        if converter is not None:
            converter.close()


def _render(jobs, pending, manifest, root: Path, workers: int) -> None:
    total = len(pending)
    if not total:
        return
    from . import pipeline, render  # noqa: F401 - imported once here, shared with the forked workers

    batch.freeze_loaded()
    if sys.stdout.isatty():
        warnings: list[str] = []
        with click.progressbar(length=total, label="生成报告", show_pos=True, item_show_func=lambda name: name) as bar:
            for job in batch.run(jobs, root, workers):
                manifest.record(job)
                warnings.extend(job.warnings)
                bar.update(1, job.name)
        for line in warnings:
            click.echo(line, err=True)
        return
    for done, job in enumerate(batch.run(jobs, root, workers), start=1):
        manifest.record(job)
        for line in job.warnings:
            click.echo(line, err=True)
        if job.status == "built":
            click.echo(f"[{done}/{total}] 已生成 {job.output}")
        else:
            click.echo(f"[{done}/{total}] 失败 {job.data}（原因见文末）")


def _summary(jobs) -> int:
    built = [j for j in jobs if j.status == "built"]
    unchanged = [j for j in jobs if j.status == "unchanged"]
    failed = [j for j in jobs if j.status == "failed"]
    if len(unchanged) == len(jobs):
        click.echo(f"没有改动：{len(jobs)} 份报告与上次生成时相同，没有重新生成（要全部重新生成请加 --force）")
        return 0
    click.echo(f"共 {len(jobs)} 份报告：已生成 {len(built)} 份，未改动 {len(unchanged)} 份，失败 {len(failed)} 份")
    for job in failed:
        click.echo(f"失败：{job.dept} {job.year} 年（{job.data}）", err=True)
        for line in job.message.splitlines():
            click.echo(f"  {line}", err=True)
    return 1 if failed else 0


def _pdfs(project, converter: Converter, jobs, manifest, force: bool) -> int:
    ready = [j for j in jobs if j.status in ("built", "unchanged")]
    todo = [j for j in ready if force or j.status == "built" or not manifest.pdf_current(j)]
    if not todo:
        if ready:
            click.echo(f"PDF 没有改动：{len(ready)} 份都与 .docx 相符")
        return 0
    results = convert_pdfs(project, converter, [j.output for j in todo])
    if results is None:
        return 1
    by_output = {j.output: j for j in todo}
    failed = 0
    for path, problem in results.items():
        if problem is None:
            manifest.record_pdf(by_output[path])
        else:
            failed += 1
    with contextlib.suppress(ReportError):  # the PDFs are there; next time they are only checked again
        manifest.save()
    click.echo(f"PDF：已转换 {len(results) - failed} 份" + (f"，失败 {failed} 份" if failed else ""))
    return 1 if failed else 0

"""Command line: ``reportgen build|check|list|audit``.  Only click lives here.

Exit codes: 0 ok, 1 a data or template problem, 2 usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import pipeline
from .errors import DataError, ReportError

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="存放 data/ 和 templates/ 的文件夹",
)


def _fail(error: ReportError) -> None:
    click.echo(str(error), err=True)
    sys.exit(error.exit_code)


def _warn(problem) -> None:
    click.echo(str(problem), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """部门整体支出绩效自评报告生成器。"""


@main.command()
@click.argument("dept")
@click.argument("year", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="输出文件（默认 build/<部门>-<年度>.docx）")
@ROOT_OPTION
def build(dept: str, year: int, output: Path | None, root: Path) -> None:
    """生成一份报告（Word 文档）。"""
    try:
        path = pipeline.build(pipeline.Project(root), dept, year, output, on_warning=_warn)
    except ReportError as error:
        _fail(error)
    click.echo(f"已生成 {path}")


@main.command()
@click.argument("dept", required=False)
@click.argument("year", type=int, required=False)
@ROOT_OPTION
def check(dept: str | None, year: int | None, root: Path) -> None:
    """检查数据文件：格式、字段、数字和前后一致（不生成文档）。"""
    project = pipeline.Project(root)
    targets = _targets(project, dept, year)
    failed = 0
    for d, y in targets:
        warned: list = []
        try:
            pipeline.check(project, d, y, on_warning=warned.append)
        except ReportError as error:
            failed += 1
            click.echo(str(error), err=True)
            continue
        for problem in warned:
            _warn(problem)
        note = f"（{len(warned)} 条警告）" if warned else ""
        click.echo(f"{project.data_path(d, y)}: 通过{note}")
    if failed:
        click.echo(f"{failed} 个文件有错误", err=True)
        sys.exit(1)


def _targets(project: pipeline.Project, dept: str | None, year: int | None) -> list[tuple[str, int]]:
    targets = [(dept, year)] if dept and year else project.reports(dept)
    if not targets:
        click.echo(f"{project.data_dir}: 没有找到数据文件", err=True)
        sys.exit(1)
    return targets


@main.command(name="list")
@ROOT_OPTION
def list_(root: Path) -> None:
    """列出所有部门和年度。"""
    project = pipeline.Project(root)
    for dept, year in project.reports():
        click.echo(f"{dept}\t{year}\t{project.data_path(dept, year)}")


@main.command()
@click.argument("dept", required=False)
@click.argument("year", type=int, required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式")
@click.option("--strict", is_flag=True, help="舍入差异也算错误")
@ROOT_OPTION
def audit(dept: str | None, year: int | None, output_format: str, strict: bool, root: Path) -> None:
    """核对数据文件中记录的“报告印出的数字”（reported:）与按数据计算的结果。

    每个不一致的数字列一行；只差在舍入上的（截尾与四舍五入）单独标明为舍入差异。
    有错误时退出码为 1，全部一致（或只有舍入差异）时为 0。
    """
    project = pipeline.Project(root)
    results, failed = [], 0
    for d, y in _targets(project, dept, year):
        try:
            result = pipeline.audit(project, d, y)
        except ReportError as error:
            failed += 1
            if output_format == "json":
                results.append({"file": str(project.data_path(d, y)), "error": str(error)})
            else:
                click.echo(str(error), err=True)
            continue
        failed += result.failed(strict)
        if output_format == "json":
            results.append(result.to_dict())
            continue
        for finding in result.mismatches:
            click.echo(str(finding))
        click.echo(result.summary())
    if output_format == "json":
        click.echo(json.dumps({"ok": not failed, "files": results}, ensure_ascii=False, indent=2))
    sys.exit(1 if failed else 0)

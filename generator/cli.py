"""Command line: ``reportgen build|check|list``.  Only click lives here.

Exit codes: 0 ok, 1 a data or template problem, 2 usage.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from . import pipeline
from .errors import ReportError, printable

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="存放 data/ 和 templates/ 的文件夹",
)


def _fail(error: ReportError) -> None:
    click.echo(printable(str(error)), err=True)
    sys.exit(error.exit_code)


class _Guarded(click.Group):
    """Any error the code did not foresee ends in a Chinese message and exit 1, not a traceback.

    ``REPORTGEN_DEBUG=1`` shows the traceback for whoever fixes the program.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit, KeyboardInterrupt):
            raise
        except ReportError as error:  # a command that forgot to catch it
            _fail(error)
        except MemoryError:
            click.echo("内存不足：数据文件或模板可能过大。", err=True)
            sys.exit(1)
        except RecursionError:
            click.echo("内容嵌套过深，无法处理：请检查数据文件或模板中是否有层层嵌套的结构。", err=True)
            sys.exit(1)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if os.environ.get("REPORTGEN_DEBUG"):
                traceback.print_exc()
            where = traceback.extract_tb(error.__traceback__)[-1]
            click.echo(
                printable(
                    f"程序内部错误（{type(error).__name__}: {error}，位于 {Path(where.filename).name}:{where.lineno}）。"
                    "这是本程序的缺陷，不一定是您的数据有误；请把这条信息和所用的数据文件、模板发给维护者。"
                    "设置环境变量 REPORTGEN_DEBUG=1 再运行可看到详细信息。"
                ),
                err=True,
            )
            sys.exit(1)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
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
        path = pipeline.build(pipeline.Project(root), dept, year, output)
    except ReportError as error:
        _fail(error)
    click.echo(f"已生成 {path}")


@main.command()
@click.argument("dept", required=False)
@click.argument("year", type=int, required=False)
@ROOT_OPTION
def check(dept: str | None, year: int | None, root: Path) -> None:
    """检查数据文件：格式、字段和数字（不生成文档）。"""
    project = pipeline.Project(root)
    targets = [(dept, year)] if dept and year else project.reports(dept)
    if not targets:
        click.echo(f"{project.data_dir}: 没有找到数据文件", err=True)
        sys.exit(1)
    failed = 0
    for d, y in targets:
        try:
            pipeline.check(project, d, y)
        except ReportError as error:
            failed += 1
            click.echo(printable(str(error)), err=True)
            continue
        click.echo(f"{project.data_path(d, y)}: 通过")
    if failed:
        click.echo(f"{failed} 个文件有错误", err=True)
        sys.exit(1)


@main.command(name="list")
@ROOT_OPTION
def list_(root: Path) -> None:
    """列出所有部门和年度。"""
    project = pipeline.Project(root)
    for dept, year in project.reports():
        click.echo(f"{dept}\t{year}\t{project.data_path(dept, year)}")

"""Command line: ``reportgen build|check|list|audit``.  Only click lives here.

Exit codes: 0 ok, 1 a data or template problem, 2 usage.  When the reader of our output
goes away (a closed pipe, as ``| head -1``) the command stops quietly with 0.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import select
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import ReportError, printable
from .load import unreadable
from .paths import shown, too_long

if TYPE_CHECKING:
    from . import pipeline
    from .project import Project
else:

    class _Pipeline:
        """``pipeline`` imported on first use (pydantic, python-docx, Jinja): ``--help`` starts at once."""

        def __getattr__(self, name: str) -> Any:
            from . import pipeline as module

            return getattr(module, name)

    pipeline = _Pipeline()

# Commands import the pipeline (pydantic, docx, Jinja) when they run: ``--help`` starts at once.

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


def _warn(problem) -> None:
    click.echo(str(problem), err=True)


def _closed_pipe() -> None:
    """The reader of our output went away (``reportgen text x.docx | head -1``): stop quietly.

    Exit 0, not 141 (a program killed by SIGPIPE): the reader stopped because
    it had what it wanted, which is no failure of ours, and ``make text … | head``
    would otherwise add “make: *** Error 141”.  When it was the messages' pipe
    (stderr) that closed, a problem was being reported: exit 1.  The closed
    stream is pointed at /dev/null so that the interpreter's last flush cannot
    fail again.
    """
    stdout_closed = _closed(sys.stdout)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is sys.stdout or _closed(stream):
                with contextlib.suppress(OSError, ValueError):  # not a real file (a test runner's buffer)
                    os.dup2(devnull, stream.fileno())
    finally:
        os.close(devnull)
    sys.exit(0 if stdout_closed else 1)


def _closed(stream: Any) -> bool:
    """Whether ``stream`` is a pipe whose reader has gone (poll reports an error on it)."""
    try:
        poller = select.poll()
        poller.register(stream.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _fd, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll (Windows), or not a real file
        return stream is sys.stdout


class _Guarded(click.Group):
    """Any error the code did not foresee ends in a Chinese message and exit 1, not a traceback.

    ``REPORTGEN_DEBUG=1`` shows the traceback for whoever fixes the program.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:  # what is still buffered is written here, where a closed pipe is caught
                sys.stdout.flush()
        except BrokenPipeError:
            _closed_pipe()
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
            if isinstance(error, OSError) and error.errno == errno.ENAMETOOLONG:  # a name we did not check
                name = error.filename or ""
                click.echo(f"{shown(name)}: {too_long(name) or '文件名或路径过长，请改短'}", err=True)
                sys.exit(1)
            import traceback  # only for an error the code did not foresee

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
@click.argument("dept", required=False)
@click.argument("year", type=int, required=False)
@click.option("--all", "all_reports", is_flag=True, help="生成 data/ 下所有部门、所有年度的报告")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="同时生成的进程数（默认：CPU 核数）")
@click.option("--force", is_flag=True, help="不论有无改动，全部重新生成")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 转成 PDF，放在 .docx 旁边")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="输出文件（默认 build/<部门>-<年度>.docx；只用于生成一份）"
)
@ROOT_OPTION
def build(
    dept: str | None,
    year: int | None,
    all_reports: bool,
    jobs: int | None,
    force: bool,
    pdf: bool,
    output: Path | None,
    root: Path,
) -> None:
    """生成报告（Word 文档）。

    \b
    reportgen build 部门 年度     生成一份（总是重新生成）
    reportgen build 部门          生成该部门所有年度的报告
    reportgen build --all         生成所有部门、所有年度的报告
    \b
    成批生成时只重新生成有改动的报告（数据文件、格式文件夹、共用版式或本程序有变化，
    或生成的文件被删除、被改动），--force 全部重新生成；一份出错不影响其他报告，
    最后列出出错的报告和原因，有出错时退出码为 1。
    """
    from .project import Project

    if all_reports and dept:
        raise click.UsageError("--all 表示所有部门，不能再写部门或年度")
    if not all_reports and not dept:
        raise click.UsageError("请写出部门和年度（生成一份），或只写部门（该部门所有年度），或用 --all（所有报告）")
    if output is not None and year is None:
        raise click.UsageError("-o 只能用于生成一份报告（写出部门和年度）")
    project = Project(root)
    if year is not None and dept:
        _build_one(project, dept, year, output, pdf)
        return
    from .batchcli import build_many

    sys.exit(build_many(project, dept, jobs, force, pdf))


def _build_one(project, dept: str, year: int, output: Path | None, pdf: bool) -> None:
    from . import pipeline

    converter = None
    if pdf:
        from .batchcli import pdf_converter

        converter = pdf_converter(project)
        converter.start()  # LibreOffice starts while the report renders
    try:
        try:
            path = pipeline.build(project, dept, year, output, on_warning=_warn)
        except ReportError as error:
            _fail(error)
        click.echo(f"已生成 {path}")
        if converter is not None:
            from .batchcli import convert_pdfs

            if not convert_pdfs(project, converter, [path]):
                sys.exit(1)
    finally:
        if converter is not None:
            converter.close()


@main.command()
@click.argument("targets", nargs=-1, metavar="[部门 [年度] | 文件…]")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="文件多时同时检查的进程数（默认：CPU 核数）")
@ROOT_OPTION
def check(targets: tuple[str, ...], jobs: int | None, root: Path) -> None:
    """检查数据文件：格式、字段、数字和前后一致（不生成文档）。

    \b
    reportgen check                    检查 data/ 下所有数据文件
    reportgen check 部门 [年度]        检查一个部门（的一个年度）
    reportgen check 文件.yaml …        检查给出的文件（如 data/部门/2023.yaml；pre-commit 用）
    """
    from . import pipeline

    project = pipeline.Project(root)
    items: list[tuple[str, int | None, Path | None]]
    if targets and any(_looks_like_file(t) for t in targets):
        items = [_file_target(Path(t)) for t in targets]
    else:
        if len(targets) > 2:
            raise click.UsageError("最多写部门和年度两项；要检查文件请写出文件路径（以 .yaml 结尾）")
        dept = targets[0] if targets else None
        year = None
        if len(targets) == 2:
            try:
                year = int(targets[1])
            except ValueError:
                raise click.BadParameter(f"年度应为整数，得到 “{targets[1]}”", param_hint="年度") from None
        items = [(d, y, None) for d, y in _targets(project, dept, year)]
    from .batch import check_many, default_workers

    failed = 0
    for (d, y, path), (error, warnings) in zip(items, check_many(root, items, jobs or default_workers()), strict=True):
        if error is not None:
            failed += 1
            click.echo(error, err=True)
            continue
        for line in warnings:
            click.echo(line, err=True)
        note = f"（{len(warnings)} 条警告）" if warnings else ""
        click.echo(f"{path if path is not None else project.data_path(d, y or 0)}: 通过{note}")
    if failed:
        click.echo(f"{failed} 个文件有错误", err=True)
        sys.exit(1)


def _looks_like_file(target: str) -> bool:
    return target.endswith((".yaml", ".yml")) or "/" in target or os.sep in target


def _file_target(path: Path) -> tuple[str, int | None, Path | None]:
    """A data file named on the command line: its department is its folder, its year its name."""
    year = int(path.stem) if len(path.stem) == 4 and path.stem.isdigit() else None
    return path.resolve().parent.name, year, path


def _targets(project: Project, dept: str | None, year: int | None) -> list[tuple[str, int]]:
    targets = [(dept, year)] if dept and year else project.reports(dept)
    if not targets:
        click.echo(f"{project.data_dir}: 没有找到数据文件", err=True)
        sys.exit(1)
    return targets


@main.command(name="list")
@ROOT_OPTION
def list_(root: Path) -> None:
    """列出所有部门和年度。"""
    from .project import Project

    project = Project(root)
    for dept, year in project.reports():
        click.echo(f"{dept}\t{year}\t{project.data_path(dept, year)}")


@main.command()
@click.argument("dept", required=False)
@click.argument("year", type=int, required=False)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式"
)
@click.option("--strict", is_flag=True, help="舍入差异也算错误")
@ROOT_OPTION
def audit(dept: str | None, year: int | None, output_format: str, strict: bool, root: Path) -> None:
    """核对数据文件中记录的“报告印出的数字”（reported:）与按数据计算的结果。

    每个不一致的数字列一行；只差在舍入上的（截尾与四舍五入）单独标明为舍入差异。
    有错误时退出码为 1，全部一致（或只有舍入差异）时为 0。
    """
    from . import pipeline

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


# --- year-over-year review: diff, redline, new, text ------------------------------------


@main.command(name="diff")
@click.argument("dept")
@click.argument("year_a", type=int)
@click.argument("year_b", type=int)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
    help="text：终端阅读；md：Markdown（贴到合并请求）；json：给程序读",
)
@click.option("--color/--no-color", default=None, help="终端输出是否着色（默认：输出到终端时着色）")
@ROOT_OPTION
def diff_(dept: str, year_a: int, year_b: int, output_format: str, color: bool | None, root: Path) -> None:
    """比较同一部门两个年度的报告：数字的变化、逐段的文字改动、原样沿用的段落。"""
    from . import diff, diff_output, pipeline

    try:
        result = diff.compare(pipeline.Project(root), dept, year_a, year_b)
    except ReportError as error:
        _fail(error)
    if output_format == "json":
        click.echo(diff_output.to_json(result), nl=False)
    elif output_format == "md":
        click.echo(diff_output.to_markdown(result), nl=False)
    else:
        if color is None:
            color = sys.stdout.isatty()
        click.echo(diff_output.to_terminal(result, color=color), nl=False, color=color)


@main.command(name="text")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def text_(file: Path) -> None:
    """把 Word 文档（.docx）按阅读顺序输出为纯文本：标题、段落、表格逐行（单元格以“ | ”分隔）。

    可作为 git 的 textconv 驱动，让 git diff 直接显示 .docx 的文字改动。
    """
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError

    from .extract import text_lines

    problem = too_long(file)
    if problem:
        _fail(ReportError(f"{shown(file)}: {problem}"))
    if not file.is_file():
        _fail(ReportError(f"{file}: 文件不存在"))
    try:
        lines = text_lines(file)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError):
        _fail(ReportError(f"{file}: 不是有效的 Word 文档（.docx），无法读取"))
    except OSError as exc:
        _fail(ReportError(f"{file}: 无法读取文件：{unreadable(exc)}"))
    for line in lines:
        click.echo(line)


@main.command(name="import")
@click.argument("source", metavar="FILE.docx", type=click.Path(path_type=Path))
@click.option("--format", "slug", required=True, metavar="FMT", help="报告所用的格式（templates/ 下的文件夹名）")
@click.argument("dept")
@click.argument("year", type=int)
@click.option("--force", is_flag=True, help="数据文件已存在时用导入的内容替换它")
@ROOT_OPTION
def import_(source: Path, slug: str, dept: str, year: int, force: bool, root: Path) -> None:
    """从去年的 Word 报告（.docx）生成数据文件 data/<部门>/<年度>.yaml。

    按格式的大纲放置文字段落，按表头读表格，原报告印出的合计、比率、得分等记入 reported:，
    放不进去的段落列在 unplaced: 下。不会覆盖已有的数据文件（除非加 --force）。
    """
    from . import pipeline
    from .import_run import import_report

    try:
        result = import_report(pipeline.Project(root), source, slug, dept, year, force)
    except ReportError as error:
        _fail(error)
    click.echo(f"已生成 {result.path}")
    for line in result.summary.lines():
        click.echo(f"  {line}")


@main.command(name="new")
@click.argument("dept")
@click.argument("year", type=int)
@click.option("--from", "prev", type=int, help="以哪一年的数据文件为底本（默认：上一年）")
@ROOT_OPTION
def new_(dept: str, year: int, prev: int | None, root: Path) -> None:
    """根据上一年的数据文件生成本年度草稿：保留注释、顺序和文字，数字改为“待填”，列出可能过时的字句。

    不会覆盖已有文件。草稿填完之前，check 和 build 会逐条列出待填的数字并拒绝生成。
    """
    from . import pipeline, scaffold

    try:
        path, source, result = scaffold.new_year_file(pipeline.Project(root), dept, year, prev)
    except ReportError as error:
        _fail(error)
    click.echo(f"已生成 {path}（底本：{source}）")
    click.echo(f"  待填写的数字：{len(result.emptied)} 处（填完之前 check 和 build 会逐条列出并拒绝生成）")
    for line, name, old, new in result.updated:
        click.echo(f"  已自动更新：第 {line} 行 {name}: {old} → {new}")
    if result.kept:
        what = "、".join(result.carried) if result.carried else "分值（weight）"
        click.echo(f"  沿用上年的{what}：{len(result.kept)} 处，评分方案有变时请修改")
    if result.schema is not None and not (Path(root) / result.schema).is_file():
        slug = result.schema.split("/")[1]
        click.echo(
            f"  编辑器据 {result.schema} 补全字段、显示说明；该文件还没有，可运行：reportgen schema {slug} -o {result.schema}"
        )
    if result.flags:
        click.echo(f"请核对可能过时的字句（{len(result.flags)} 处，程序不会自动改写文字）：")
        for line, phrase, context in result.flags:
            click.echo(f"  {path}:{line}: {phrase.kind}“{phrase.text}”：{context}")


def _revision_date(value: str | None):
    """--date, else SOURCE_DATE_EPOCH (reproducible builds), else now (UTC)."""
    import datetime as dt
    import os

    if value:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"应为日期（如 2024-05-31），得到 “{value}”", param_hint="--date") from None
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@main.command(name="redline")
@click.argument("dept")
@click.argument("year_a", type=int)
@click.argument("year_b", type=int)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="输出文件（默认 build/<部门>-<年度A>-<年度B>-redline.docx）"
)
@click.option("--author", default="reportgen", show_default=True, help="修订的作者名")
@click.option("--date", "date_text", help="修订日期，如 2024-05-31（默认：环境变量 SOURCE_DATE_EPOCH，否则当前时间）")
@ROOT_OPTION
def redline_(
    dept: str, year_a: int, year_b: int, output: Path | None, author: str, date_text: str | None, root: Path
) -> None:
    """生成带修订标记的 Word 文档：YEAR_B 的报告，相对 YEAR_A 的每处改动都是可接受/拒绝的修订。"""
    from . import pipeline
    from .redline import redline_years

    project = pipeline.Project(root)
    target = output or project.root / "build" / f"{dept}-{year_a}-{year_b}-redline.docx"
    date = _revision_date(date_text)
    try:
        path, counts = redline_years(project, dept, year_a, year_b, target, author, date)
    except ReportError as error:
        _fail(error)
    click.echo(f"已生成 {path}（修订：插入 {counts.inserted} 处，删除 {counts.deleted} 处；作者 {author}）")


@main.command(name="names")
@click.argument("dept")
@click.argument("year", type=int)
@ROOT_OPTION
def names_(dept: str, year: int, root: Path) -> None:
    """列出文字段落和模板可以引用的每个名称：本报告中的值（按报告的印法）和中文含义。"""
    from . import pipeline

    try:
        names = pipeline.names(pipeline.Project(root), dept, year)
    except ReportError as error:
        _fail(error)
    for name in names:
        click.echo(printable(f"{name.name}\t{name.printed}\t{name.meaning}"))


@main.command(name="figures")
@click.argument("dept")
@click.argument("year", type=int)
@ROOT_OPTION
def figures_(dept: str, year: int, root: Path) -> None:
    """列出报告的每个数字（输入和计算结果）：reported: 中 figure 的写法、印出的值、中文含义。"""
    try:
        item = pipeline.load_declared(pipeline.Project(root), dept, year)
    except ReportError as error:
        _fail(error)
    for fig in item.flat:
        click.echo(printable(f"{fig.id}\t{fig.printed}\t{fig.label}"))


@main.command(name="schema")
@click.argument("fmt", metavar="FORMAT")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="写入文件（通常是 templates/<格式>/schema.json，数据文件第一行的 $schema 指向它）",
)
@ROOT_OPTION
def schema_(fmt: str, output: Path | None, root: Path) -> None:
    """输出格式的数据文件 JSON Schema（draft 2020-12），字段带中文标题和说明，供编辑器补全和提示。"""
    from . import pipeline
    from .errors import NotFound

    project = pipeline.Project(root)
    if not fmt or not all(c.isascii() and (c.isalnum() or c == "-") for c in fmt):
        _fail(NotFound(f"格式名称“{fmt}”无效：只能用小写字母、数字和连字符"))
    try:
        schema = pipeline.schema(project, fmt)
        text = json.dumps(schema, ensure_ascii=False, indent=2)
        if output is not None:
            from .write import write_atomic

            click.echo(f"已生成 {write_atomic(output, (text + chr(10)).encode('utf-8'))}")
            return
    except ReportError as error:
        _fail(error)
    click.echo(text)

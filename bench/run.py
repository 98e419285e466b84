"""Benchmark, in one run, as ratios against what the libraries alone cost.

    .venv/bin/python bench/run.py [--copies 200] [--checks 1000] [--no-pdf] [--only batch,single,check,pdf]
    .venv/bin/python bench/run.py --steps [--repeat N]     # one report, step by step

Baseline for building: a plain docxtpl loop (``DocxTemplate(template)``,
``render(context)``, ``save``) over the same templates and the contexts the
project passes.  Measured:

* a batch of N copies of the data files (``reportgen build --all``, one process,
  default workers), per report, against the plain loop per report; its rerun with
  nothing changed, and with one data file changed, against the first run;
* one whole-process ``reportgen build DEPT YEAR`` against
  ``python -c 'import docxtpl, jinja2, yaml'``;
* ``reportgen check`` over M files against parsing them with PyYAML's C loader
  (both whole processes);
* ``build --all --pdf`` over the five reports, PDF time per report, against one
  LibreOffice start per report (``generator.preview.to_pdf``);
* peak memory (largest process) of the batch of N against a batch of N/10.

The machine may be shared: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402

from generator import formatting, pipeline  # noqa: E402
from generator.engine_context import build_declared_context  # noqa: E402
from generator.filters import make_env  # noqa: E402
from generator.layout import load_layout  # noqa: E402
from generator.render import render_docx  # noqa: E402
from generator.write import write_atomic  # noqa: E402


def timed(fn, repeat: int, clock=time.perf_counter) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = clock()
        result = fn()
        times.append(clock() - start)
    return statistics.median(times), result


def steps(repeat: int) -> None:
    project = pipeline.Project(ROOT)
    out = Path(tempfile.mkdtemp(prefix="bench-"))
    print(f"{'report':<20}{'step':<12}{'median ms':>10}")
    for dept, year in project.reports():
        # load, validate and compute under the declaration (one step of the engine)
        t_load, item = timed(lambda: pipeline.load_declared(project, dept, year), repeat)
        decl, settings = item.format.declaration, item.format.settings
        t_context, context = timed(
            lambda: build_declared_context(decl, item.inputs, item.figures, settings, item.loaded), repeat
        )
        layout = load_layout(project.templates_dir)
        t_render, data = timed(lambda: render_docx(item.format, layout, context), repeat)
        t_write, _ = timed(lambda: write_atomic(out / f"{dept}-{year}.docx", data), repeat)

        def baseline():
            template = DocxTemplate(str(item.format.template_path))
            full = dict(context, h=formatting.Numbering(item.format.settings.headings))
            template.render(full, make_env(item.format.settings, True), autoescape=True)
            buffer = io.BytesIO()
            template.save(buffer)
            return buffer

        t_base, _ = timed(baseline, repeat)
        total = t_load + t_context + t_render + t_write
        name = f"{dept}-{year}"
        for step, value in (
            ("load+comp", t_load),
            ("context", t_context),
            ("render", t_render),
            ("write", t_write),
            ("total", total),
            ("baseline", t_base),
        ):
            print(f"{name:<20}{step:<12}{value * 1000:>10.1f}")
        print(f"{name:<20}{'ratio':<12}{total / t_base:>10.2f}   (total ÷ docxtpl-only baseline)")


# --- the whole-run benchmark ---------------------------------------------------------------

TARGETS = {
    "batch": 0.5,  # per report in a batch ÷ plain docxtpl per report
    "noop": 0.2,  # rerun with nothing changed ÷ first run
    "check": 2.0,  # check of M files ÷ C-loader parse of them
    "pdf": 0.4,  # PDF per report in a batch ÷ one LibreOffice start per report
    "single": 2.0,  # whole-process single build ÷ import of docxtpl, jinja2, yaml
}


def make_root(copies: int, base: Path) -> Path:
    """A project with ``copies`` data files, copies of the repository's (their department renamed)."""
    import shutil

    root = Path(tempfile.mkdtemp(prefix="bench-root-", dir=base))
    shutil.copytree(ROOT / "templates", root / "templates")
    sources = sorted((ROOT / "data").glob("*/*.yaml"))
    made = 0
    index = 0
    while made < copies:
        for source in sources:
            if made == copies:
                break
            folder = root / "data" / f"{source.parent.name}{index:04d}"
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, folder / source.name)
            made += 1
        index += 1
    return root


def run_timed(command: list[str], repeat: int = 1) -> tuple[float, float, str]:
    """Median wall time, median CPU time (the process and its children), and the last run's output."""
    import resource
    import subprocess

    walls, cpus = [], []
    out = ""
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        out = done.stdout + done.stderr
    return statistics.median(walls), statistics.median(cpus), out


def peak_rss_mb(command: list[str]) -> float:
    """The largest resident set of the command or any process it waited for, in MB."""
    import subprocess

    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True).stdout
    return int(out.strip()) / 1024


def plain_docxtpl_per_report(repeat: int) -> tuple[float, float]:
    """Median wall and CPU time of the plain docxtpl loop per report, over the five reports."""
    project = pipeline.Project(ROOT)
    walls, cpus = [], []
    for dept, year in project.reports():
        _loaded, fmt = pipeline._open(project, dept, year)
        context = pipeline.context(project, dept, year)

        def baseline():
            template = DocxTemplate(str(fmt.template_path))
            full = dict(context, h=formatting.Numbering(fmt.settings.headings))
            template.render(full, make_env(fmt.settings, True), autoescape=True)
            buffer = io.BytesIO()
            template.save(buffer)

        baseline()  # warm: imports, caches of the libraries
        walls.append(timed(baseline, repeat)[0])
        cpus.append(timed(baseline, repeat, time.process_time)[0])
    return statistics.mean(walls), statistics.mean(cpus)


def line(name: str, ours: float, theirs: float, unit: str, target: str | None, note: str = "") -> None:
    ratio = ours / theirs if theirs else float("nan")
    verdict = ""
    if target:
        verdict = "met" if ratio <= TARGETS[target] else "NOT met"
        verdict = f"target ≤ {TARGETS[target]}×: {verdict}"
    print(f"{name:<44}{ours:>10.3f}{theirs:>10.3f} {unit:<4}{ratio:>7.2f}×  {verdict}{note}")


def whole(args: argparse.Namespace) -> None:
    import compileall
    import shutil

    # byte-compiled first: with PYTHONDONTWRITEBYTECODE set, a module edited since `make venv`
    # would be compiled again by every process measured (tens of ms of each single build)
    compileall.compile_dir(ROOT / "generator", quiet=1)
    rg = [sys.executable, "-m", "generator"]
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    print(f"{'what':<44}{'ours':>10}{'against':>10} unit {'ratio':>7}")
    try:
        if "batch" in args.only:
            # batch of N
            base_report, base_cpu = plain_docxtpl_per_report(args.repeat)
            root = make_root(args.copies, work)
            first, first_cpu, out = run_timed(rg + ["build", "--all", "--root", str(root)])
            if f"已生成 {args.copies} 份" not in out:
                print(out[-2000:])
            # the plain loop again after the batch: a shared machine's load comes and goes, the quicker counts
            again, again_cpu = plain_docxtpl_per_report(args.repeat)
            base_report, base_cpu = min(base_report, again), min(base_cpu, again_cpu)
            line(
                f"batch of {args.copies}, per report (wall, -j default)", first / args.copies, base_report, "s", "batch"
            )
            line(
                f"batch of {args.copies}, per report (CPU, all processes)",
                first_cpu / args.copies,
                base_cpu,
                "s",
                None,
                "  (CPU time against the plain loop's CPU time)",
            )
            noop, _, out = run_timed(rg + ["build", "--all", "--root", str(root)], repeat=3)
            assert "没有改动" in out, out
            line("rerun, nothing changed", noop, first, "s", "noop")
            data = next((root / "data").glob("*/*.yaml"))
            data.write_text(data.read_text(encoding="utf-8") + "\n# bench\n", encoding="utf-8")
            one, _, out = run_timed(rg + ["build", "--all", "--root", str(root)])
            assert "已生成 1 份" in out, out
            line("rerun, one data file changed", one, first, "s", None)
            # memory: batch of N against N/10
            small = make_root(max(args.copies // 10, 5), work)
            peak_small = peak_rss_mb(rg + ["build", "--all", "--force", "--root", str(small)])
            peak_big = peak_rss_mb(rg + ["build", "--all", "--force", "--root", str(root)])
            line(
                f"peak memory, batch of {args.copies} vs {max(args.copies // 10, 5)}",
                peak_big,
                peak_small,
                "MB",
                None,
                "  (flat: ratio ≈ 1)",
            )
            shutil.rmtree(root, ignore_errors=True)
            shutil.rmtree(small, ignore_errors=True)

        if "single" in args.only:
            # single build, whole process
            single, single_cpu, _ = run_timed(
                rg + ["build", "guangzhou", "2023", "-o", str(work / "one.docx"), "--root", str(ROOT)], repeat=5
            )
            imports, imports_cpu, _ = run_timed([sys.executable, "-c", "import docxtpl, jinja2, yaml"], repeat=5)
            line("single build, whole process", single, imports, "s", "single")
            line(
                "single build, whole process (CPU)", single_cpu, imports_cpu, "s", None, "  (wall time includes fsync)"
            )
            helped, _, _ = run_timed(rg + ["--help"], repeat=5)
            line("reportgen --help, whole process", helped, imports, "s", None)

        if "check" in args.only:
            # check of M files
            root = make_root(args.checks, work)
            checked, checked_cpu, out = run_timed(rg + ["check", "--root", str(root)], repeat=3)
            assert "有错误" not in out, out[-2000:]
            parse = (
                "import glob, sys, yaml\n"
                "for f in sorted(glob.glob(sys.argv[1] + '/data/*/*.yaml')):\n"
                "    yaml.load(open(f, encoding='utf-8').read(), Loader=yaml.CSafeLoader)\n"
            )
            cparse, cparse_cpu, _ = run_timed([sys.executable, "-c", parse, str(root)], repeat=3)
            line(f"check of {args.checks} files, whole process", checked, cparse, "s", "check")
            line(f"check of {args.checks} files (CPU, all processes)", checked_cpu, cparse_cpu, "s", None)
            shutil.rmtree(root, ignore_errors=True)

        if "pdf" in args.only and args.pdf:
            # PDF
            from generator.preview import soffice, to_pdf

            if soffice() is None:
                print("PDF: LibreOffice not installed, skipped")
            else:
                root = make_root(5, work)
                built, _, _ = run_timed(rg + ["build", "--all", "--root", str(root)])
                with_pdf, _, out = run_timed(rg + ["build", "--all", "--pdf", "--force", "--root", str(root)])
                assert "PDF：已转换 5 份" in out, out
                docx = sorted((root / "build").glob("*.docx"))
                fonts = ROOT / "templates" / "_base" / "fonts.conf"
                start = time.perf_counter()
                for path in docx:
                    to_pdf(path, work / "pdf-each", fonts)
                each = (time.perf_counter() - start) / len(docx)
                line(
                    "PDF per report, batch of 5 (--pdf − build)",
                    (with_pdf - built) / 5,
                    each,
                    "s",
                    "pdf",
                    "  (against one LibreOffice start per report)",
                )
                shutil.rmtree(root, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", action="store_true", help="one report, step by step (the old table)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--checks", type=int, default=1000)
    parser.add_argument("--no-pdf", dest="pdf", action="store_false")
    parser.add_argument(
        "--only",
        type=lambda text: set(text.split(",")),
        default={"batch", "single", "check", "pdf"},
        help="comma-separated: batch, single, check, pdf (default: all)",
    )
    args = parser.parse_args()
    if args.steps:
        steps(args.repeat)
    else:
        whole(args)


if __name__ == "__main__":
    main()

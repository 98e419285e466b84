"""Benchmark: how long a report takes, by pipeline step, against a baseline, in one run.

Baseline: docxtpl alone rendering the same template with the same context and
saving it (the library's own cost).  The ratio shows what our pipeline adds
(loading, validation, computation, layout, deterministic zip, atomic write).

    .venv/bin/python bench/run.py [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402

from generator import formatting, pipeline  # noqa: E402
from generator.context import build_context, make_env  # noqa: E402
from generator.layout import load_layout  # noqa: E402
from generator.render import render_docx  # noqa: E402
from generator.write import write_atomic  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    project = pipeline.Project(ROOT)
    out = Path(tempfile.mkdtemp(prefix="bench-"))
    print(f"{'report':<20}{'step':<12}{'median ms':>10}")
    for dept, year in project.reports():
        t_load, item = timed(lambda: pipeline.load_report(project, dept, year), args.repeat)
        t_compute, figures = timed(lambda: pipeline.compute_report(item), args.repeat)
        t_context, context = timed(
            lambda: build_context(item.report, figures, item.format.settings, item.loaded), args.repeat
        )
        layout = load_layout(project.templates_dir)
        t_render, data = timed(lambda: render_docx(item.format, layout, context), args.repeat)
        t_write, _ = timed(lambda: write_atomic(out / f"{dept}-{year}.docx", data), args.repeat)

        def baseline():
            template = DocxTemplate(str(item.format.template_path))
            full = dict(context, h=formatting.Numbering(item.format.settings.headings))
            template.render(full, make_env(item.format.settings, True), autoescape=True)
            buffer = io.BytesIO()
            template.save(buffer)
            return buffer

        t_base, _ = timed(baseline, args.repeat)
        total = t_load + t_compute + t_context + t_render + t_write
        name = f"{dept}-{year}"
        for step, value in (("load+valid", t_load), ("compute", t_compute), ("context", t_context),
                            ("render", t_render), ("write", t_write), ("total", total), ("baseline", t_base)):
            print(f"{name:<20}{step:<12}{value * 1000:>10.1f}")
        print(f"{name:<20}{'ratio':<12}{total / t_base:>10.2f}   (total ÷ docxtpl-only baseline)")


if __name__ == "__main__":
    main()

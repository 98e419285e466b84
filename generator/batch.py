"""Build many reports in one run: spread over processes, rebuild only what changed.

A report depends on its data file, its format's folder (``templates/<format>/``),
the shared layout (``templates/_base/``) and the generator itself (the source of
``generator/*.py``).  The hash of all that is its *fingerprint*; the manifest
(``build/.reportgen-manifest.json``, written atomically) remembers, per report,
the fingerprint it was built from and the hash of the .docx written (and of the
.docx a PDF was made from).  A report is rendered again when its fingerprint
changed, its output is missing or no longer the file we wrote, or ``force``.

Nothing here prints: the CLI shows progress and the summary.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReportError, printable

MANIFEST = ".reportgen-manifest.json"
_FORMAT_LINE = re.compile(r"^format:[ \t]*[\"']?([a-z0-9][a-z0-9-]{0,99})[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)


@dataclass
class Job:
    """One report of the run."""

    dept: str
    year: int
    data: Path
    output: Path
    fingerprint: str | None = None  # None: cannot tell what it depends on, always build
    status: str = "pending"  # pending, built, unchanged, failed
    message: str = ""  # the failure's reason
    warnings: list[str] = field(default_factory=list)
    output_hash: str = ""

    @property
    def name(self) -> str:
        return f"{self.dept}-{self.year}"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str | None:
    try:
        return _sha(Path(path).read_bytes())
    except OSError:
        return None


def folder_hash(folder: Path) -> str:
    """The hash of every file under ``folder``: relative names and contents."""
    digest = hashlib.sha256()
    folder = Path(folder)
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def generator_version() -> str:
    """The generator's own source and the versions of Python and the libraries that shape a document:
    a new version of any rebuilds everything."""
    from importlib import metadata

    parts = [sys.version]
    for package in ("jinja2", "docxtpl", "python-docx", "lxml", "pydantic", "babel", "pyyaml"):
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}=?")
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256("\n".join(parts).encode())
    for path in sorted(here.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class Fingerprints:
    """Computes fingerprints, hashing each shared folder once per run."""

    def __init__(self, templates_dir: Path):
        self.templates_dir = Path(templates_dir)
        self.shared = _sha((generator_version() + folder_hash(self.templates_dir / "_base")).encode())
        self.formats: dict[str, str] = {}

    def of(self, data_path: Path) -> str | None:
        try:
            data = data_path.read_bytes()
        except OSError:
            return None
        match = _FORMAT_LINE.search(data.decode("utf-8", "replace"))
        if not match:  # an odd way of naming the format (or none): build and let the checks speak
            return None
        slug = match.group(1)
        if slug not in self.formats:
            self.formats[slug] = folder_hash(self.templates_dir / slug)
        return _sha(f"{self.shared}\n{slug}\n{self.formats[slug]}\n{_sha(data)}".encode())


class Manifest:
    """What was built from what: ``{name: {fingerprint, output, docx, pdf}}``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.entries: dict[str, dict[str, str]] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict) and loaded.get("version") == 1 and isinstance(loaded.get("reports"), dict):
                self.entries = {k: v for k, v in loaded["reports"].items() if isinstance(v, dict)}
        except (OSError, ValueError):
            pass  # no manifest, or a damaged one: everything is built

    def unchanged(self, job: Job, pdf: bool) -> bool:
        entry = self.entries.get(job.name)
        if not entry or job.fingerprint is None or entry.get("fingerprint") != job.fingerprint:
            return False
        if entry.get("output") != str(job.output) or file_hash(job.output) != entry.get("docx"):
            return False  # deleted, or changed since we wrote it
        job.output_hash = entry["docx"]
        return True

    def pdf_current(self, job: Job) -> bool:
        entry = self.entries.get(job.name, {})
        return (
            bool(job.output_hash) and entry.get("pdf") == job.output_hash and job.output.with_suffix(".pdf").is_file()
        )

    def record(self, job: Job) -> None:
        if job.status == "failed" or job.fingerprint is None:
            self.entries.pop(job.name, None)
            return
        entry = self.entries.get(job.name, {})
        pdf = entry.get("pdf") if entry.get("docx") == job.output_hash else None
        self.entries[job.name] = {"fingerprint": job.fingerprint, "output": str(job.output), "docx": job.output_hash}
        if pdf:
            self.entries[job.name]["pdf"] = pdf

    def record_pdf(self, job: Job) -> None:
        if job.name in self.entries:
            self.entries[job.name]["pdf"] = job.output_hash

    def save(self) -> None:
        from .write import write_atomic

        text = json.dumps({"version": 1, "reports": self.entries}, ensure_ascii=False, indent=1, sort_keys=True)
        write_atomic(self.path, text.encode("utf-8"))


def plan(project, targets: Iterable[tuple[str, int]], force: bool, pdf: bool) -> tuple[list[Job], Manifest]:
    """The jobs of a run, those whose inputs and output are as last built marked ``unchanged``."""
    manifest = Manifest(project.root / "build" / MANIFEST)
    prints = Fingerprints(project.templates_dir)
    jobs = []
    for dept, year in targets:
        data = project.data_path(dept, year)
        job = Job(dept, year, data, project.output_path(dept, year), prints.of(data))
        if not force and manifest.unchanged(job, pdf):
            job.status = "unchanged"
        jobs.append(job)
    return jobs, manifest


# --- the work, in worker processes ------------------------------------------------------


def build_one(root: str, dept: str, year: int, output: str) -> tuple[str, str, list[str], str]:
    """Build one report; never raises.  Returns (status, message, warnings, hash of the .docx)."""
    from . import pipeline

    warnings: list[str] = []
    try:
        return _build_one(pipeline, root, dept, year, output, warnings)
    finally:
        # python-docx documents live in reference cycles: collect them every few reports, not
        # after dozens (with what the run loaded frozen, this pass is short)
        global _BUILT
        _BUILT += 1
        if _BUILT % COLLECT_EVERY == 0:
            gc.collect()


COLLECT_EVERY = 4
_BUILT = 0  # reports built by this process


def _build_one(
    pipeline, root: str, dept: str, year: int, output: str, warnings: list[str]
) -> tuple[str, str, list[str], str]:
    try:
        path = pipeline.build(
            pipeline.Project(Path(root)), dept, year, Path(output), on_warning=lambda p: warnings.append(str(p))
        )
        return "built", "", warnings, file_hash(path) or ""
    except ReportError as error:
        return "failed", printable(str(error)), warnings, ""
    except MemoryError:
        return "failed", "内存不足：数据文件或模板可能过大。", warnings, ""
    except RecursionError:
        return "failed", "内容嵌套过深，无法处理：请检查数据文件或模板中是否有层层嵌套的结构。", warnings, ""
    except Exception as error:  # noqa: BLE001 - one report's defect never stops the others
        where = traceback.extract_tb(error.__traceback__)[-1]
        return (
            "failed",
            printable(
                f"程序内部错误（{type(error).__name__}: {error}，位于 {Path(where.filename).name}:{where.lineno}）。"
                "这是本程序的缺陷，不一定是您的数据有误；请把这条信息和所用的数据文件、模板发给维护者。"
            ),
            warnings,
            "",
        )


def run(jobs: list[Job], root: Path, workers: int) -> Iterator[Job]:
    """Build the pending jobs on ``workers`` processes; yield each as it finishes."""
    pending = [job for job in jobs if job.status == "pending"]
    if workers <= 1 or len(pending) <= 1:
        for job in pending:
            _finish(job, build_one(str(root), job.dept, job.year, str(job.output)))
            yield job
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    with ProcessPoolExecutor(max_workers=min(workers, len(pending)), mp_context=_context()) as pool:
        futures = {pool.submit(build_one, str(root), job.dept, job.year, str(job.output)): job for job in pending}
        waiting = set(futures)
        while waiting:
            done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
            for future in done:
                job = futures[future]
                try:
                    _finish(job, future.result())
                except Exception as error:  # noqa: BLE001 - a worker that died (killed, out of memory)
                    _finish(
                        job,
                        ("failed", f"生成进程意外退出（{type(error).__name__}），请重试或用 -j 1 单进程生成", [], ""),
                    )
                yield job


def check_one(root: str, dept: str, year: int | None, path: str | None) -> tuple[str | None, list[str]]:
    """Check one data file; never raises.  Returns (the error's text or None, the warnings)."""
    from . import pipeline

    warnings: list = []
    try:
        if year is None:
            raise ReportError(f"{path}: 数据文件的名称应为年度，如 2023.yaml")
        pipeline.check(
            pipeline.Project(Path(root)), dept, year, on_warning=warnings.append, path=Path(path) if path else None
        )
    except ReportError as error:
        return printable(str(error)), []
    except Exception as error:  # noqa: BLE001 - one file's trouble never stops the others
        where = traceback.extract_tb(error.__traceback__)[-1]
        return printable(
            f"{path or dept}: 程序内部错误（{type(error).__name__}: {error}，位于 {Path(where.filename).name}:{where.lineno}）。"
            "这是本程序的缺陷，不一定是您的数据有误；请把这条信息和所用的数据文件、模板发给维护者。"
        ), []
    return None, [str(w) for w in warnings]


def _check_chunk(root: str, items: list) -> list:
    return [check_one(root, *item) for item in items]


def check_many(root: Path, items: list, workers: int) -> Iterator[tuple[str | None, list[str]]]:
    """:func:`check_one` over ``items`` (dept, year, path) on ``workers`` processes, in order."""
    if workers <= 1 or len(items) < PARALLEL_CHECK:
        if len(items) >= PARALLEL_CHECK:
            from . import pipeline  # noqa: F401 - what is loaded so far, frozen

            freeze_loaded()
        for item in items:
            yield check_one(str(root), *item)
        return

    # the first file is checked here: what checking loads (the modules, its format) is loaded
    # once and shared with the forked workers, not loaded again by each of them
    from concurrent.futures import ProcessPoolExecutor

    yield check_one(str(root), *items[0])
    freeze_loaded()
    items = items[1:]
    size = max(8, len(items) // (workers * 8))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        for results in pool.map(_check_chunk, [str(root)] * len(chunks), chunks):
            yield from results


PARALLEL_CHECK = 64  # fewer files are checked faster than worker processes start


def _context():
    import multiprocessing

    # fork shares the imported modules with the workers (fast start); elsewhere, the default
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _finish(job: Job, result: tuple[str, str, list[str], str]) -> None:
    job.status, job.message, job.warnings, job.output_hash = result


def freeze_loaded() -> None:
    """What is loaded so far lives as long as the run: out of the collector's sight, the
    collections during a long run stay short, and the documents of finished reports
    (python-docx keeps them in reference cycles) are collected soon: memory stays flat."""
    gc.collect()  # garbage first: what is frozen is never collected
    gc.freeze()


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


Progress = Callable[[Job], None]

"""Shared fixtures: the repository root, isolated project copies, a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline

ROOT = Path(__file__).resolve().parents[1]


def format_project(
    root: Path, slug: str, format_yaml: str, template: list[str], data_yaml: str, dept: str, year: int = 2024
) -> Path:
    """A project under ``root`` with one format written from text: the shared ``templates/_base``,
    ``templates/<slug>/`` with ``format.yaml`` and a ``template.docx`` of the given paragraphs, and
    ``data/<dept>/<year>.yaml``. Returns the data file's path."""
    import docx

    shutil.copytree(ROOT / "templates" / "_base", root / "templates" / "_base")
    folder = root / "templates" / slug
    folder.mkdir(parents=True)
    document = docx.Document()
    for line in template:
        document.add_paragraph(line)
    document.save(folder / "template.docx")
    (folder / "format.yaml").write_text(format_yaml, encoding="utf-8")
    path = root / "data" / dept / f"{year}.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(data_yaml, encoding="utf-8")
    return path


def example_project(root: Path, slug: str, dept: str) -> Path:
    """A project under ``root`` with ``examples/formats/<slug>/`` as its only format (its folder
    without the example's scripts, notes and data) and the example's data file under
    ``data/<dept>/``. Returns the data file's path."""
    folder = ROOT / "examples" / "formats" / slug
    shutil.copytree(ROOT / "templates" / "_base", root / "templates" / "_base")
    shutil.copytree(folder, root / "templates" / slug, ignore=shutil.ignore_patterns("*.yaml", "*.py", "*.md"))
    shutil.copy(folder / "format.yaml", root / "templates" / slug / "format.yaml")
    source = next(folder.glob("[0-9]*.yaml"))
    data = root / "data" / dept / source.name
    data.parent.mkdir(parents=True)
    shutil.copy(source, data)
    return data


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def project(tmp_path: Path) -> pipeline.Project:
    """A private copy of data/ and templates/, safe to modify."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return pipeline.Project(tmp_path)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict:
    """Every repository report built once per session: {(dept, year): path}."""
    out = tmp_path_factory.mktemp("built")
    project = pipeline.Project(ROOT)
    return {
        (dept, year): pipeline.build(project, dept, year, out / f"{dept}-{year}.docx")
        for dept, year in project.reports()
    }


@pytest.fixture
def cli_runner() -> CliRunner:
    return CliRunner()


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a file, failing loudly if ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def yoy_project(tmp_path: Path) -> pipeline.Project:
    """A project with the real 2023 data and a fictional 2022 (tests/fixtures/yoy) whose edits are known."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    folder = tmp_path / "data" / "guangzhou"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "guangzhou" / "2023.yaml", folder / "2023.yaml")
    shutil.copy(FIXTURES / "yoy" / "guangzhou-2022.yaml", folder / "2022.yaml")
    return pipeline.Project(tmp_path)


@pytest.fixture(autouse=True, scope="session")
def _private_render_cache(tmp_path_factory):
    """The on-disk render cache of the tests' processes (and of the CLI they start) in a folder of their own."""
    import os

    from generator import diskcache

    os.environ["REPORTGEN_CACHE"] = str(tmp_path_factory.mktemp("render-cache"))
    diskcache.folder.cache_clear()
    yield

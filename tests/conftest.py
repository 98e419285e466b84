"""Shared fixtures: the repository root, isolated project copies, a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline

ROOT = Path(__file__).resolve().parents[1]


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

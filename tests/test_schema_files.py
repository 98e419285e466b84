"""templates/<fmt>/schema.json: present for every declared format, equal to `reportgen schema`, and
every real data file and example of that format valid against it (the file an editor reads through $schema)."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator import pipeline
from generator.formats import known_formats, load_format

ROOT = Path(__file__).resolve().parent.parent
PROJECT = pipeline.Project(ROOT)
DECLARED = [
    slug
    for slug in known_formats(PROJECT.templates_dir)
    if load_format(PROJECT.templates_dir, slug).declaration is not None
]


def _data_files(slug: str) -> list[Path]:
    files = []
    for path in sorted([*(ROOT / "data").glob("*/*.yaml"), *(ROOT / "examples").glob("*/*.yaml")]):
        head = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(head, dict) and head.get("format") == slug:
            files.append(path)
    return files


def test_some_formats_are_declared():
    assert DECLARED, "no format declares its inputs yet"


@pytest.mark.parametrize("slug", DECLARED)
def test_committed_schema_is_the_generated_one(slug):
    committed = PROJECT.templates_dir / slug / "schema.json"
    assert committed.is_file(), f"缺少 {committed}：请运行 make schemas"
    generated = json.dumps(pipeline.schema(PROJECT, slug), ensure_ascii=False, indent=2) + "\n"
    assert committed.read_text(encoding="utf-8") == generated, f"{committed} 已过时：请运行 make schemas"


@pytest.mark.parametrize("slug", DECLARED)
def test_real_data_files_valid_against_the_committed_schema(slug):
    schema = json.loads((PROJECT.templates_dir / slug / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    files = _data_files(slug)
    assert files, f"no data file uses {slug}"
    for path in files:
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=str)
        assert errors == [], f"{path}: {errors[0].message if errors else ''}"


def test_examples_name_their_schema():
    """The sample a clerk copies starts with the line that gives an editor completion and help."""
    for path in sorted((ROOT / "examples").glob("*/*.yaml")):
        slug = yaml.safe_load(path.read_text(encoding="utf-8"))["format"]
        first = path.read_text(encoding="utf-8").splitlines()[0]
        if slug in DECLARED:
            assert first == f"# yaml-language-server: $schema=../../templates/{slug}/schema.json", path

"""requirements.lock: every dependency pinned with hashes, in range, and actually installed."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"


def _locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) as written in the lock."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", line)
        if m:
            current = canonicalize_name(m.group(1))
            pins[current] = (m.group(2), 0)
        elif current and "--hash=sha256:" in line:
            version, n = pins[current]
            pins[current] = (version, n + 1)
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in ("test", "lint"):
        reqs += project["optional-dependencies"][extra]
    return [Requirement(r) for r in reqs]


def test_every_pin_has_hashes():
    pins = _locked()
    assert len(pins) > 10
    assert [name for name, (_, n) in pins.items() if n == 0] == [], "没有哈希的锁定项"


@pytest.mark.parametrize("req", _declared(), ids=str)
def test_declared_dependency_locked_within_its_range(req):
    pins = _locked()
    name = canonicalize_name(req.name)
    assert name in pins, f"{req.name} 不在 requirements.lock 中：请运行 make lock"
    version = pins[name][0]
    assert req.specifier.contains(version, prereleases=True), (
        f"requirements.lock 的 {req.name}=={version} 不满足 pyproject.toml 的 {req.specifier}"
    )


def test_installed_versions_are_the_locked_ones():
    pins = _locked()
    wrong = []
    for name, (version, _) in pins.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name}: 未安装（锁定 {version}）")
            continue
        if installed != version:
            wrong.append(f"{name}: 安装了 {installed}，锁定 {version}")
    assert wrong == [], "虚拟环境与 requirements.lock 不一致：请运行 make venv"

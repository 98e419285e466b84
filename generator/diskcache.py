"""A small on-disk cache, so that a single build in a fresh process skips the work
that depends only on the template: the prepared template, docxtpl's patched XML,
Jinja's compiled code.

Entries are keyed by the SHA-256 of everything they depend on (the content, the
environment's settings, the versions of Python, Jinja, docxtpl and of this
program), written atomically, and never trusted blindly: a damaged or unreadable
entry is ignored and made again.  The folder is ``$REPORTGEN_CACHE``, else
``$XDG_CACHE_HOME/reportgen``, else ``~/.cache/reportgen``; ``REPORTGEN_CACHE=off``
turns the cache off, and a folder that cannot be written simply means no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

MAX_ENTRY = 64 * 1024 * 1024
MAX_FILES = 2000  # per kind; beyond it the oldest entries go


@lru_cache(maxsize=1)
def folder() -> Path | None:
    setting = os.environ.get("REPORTGEN_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reportgen"


@lru_cache(maxsize=1)
def source() -> str:
    """The digest of this program's source."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(here.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def versions() -> bytes:
    """Python, the libraries that shape a document, and this program's source."""
    import docx
    import docxtpl
    import jinja2
    from lxml import etree

    parts = [sys.version, jinja2.__version__, docxtpl.__version__, docx.__version__, str(etree.LXML_VERSION)]
    parts.append(source())
    return "\n".join(parts).encode()


@lru_cache(maxsize=1)
def checker_versions() -> bytes:
    """Python, the checker of settings files (pydantic: its version file, read without importing
    it) and this program's source: what checked settings depend on."""
    import importlib.util

    parts = [sys.version.encode(), source().encode()]
    spec = importlib.util.find_spec("pydantic")
    where = spec.submodule_search_locations if spec is not None else None
    for folder in where or ():
        with contextlib.suppress(OSError):
            parts.append((Path(folder) / "version.py").read_bytes())
    return b"\n".join(parts)


def key(kind: str, *parts: bytes | str, versions=versions) -> str:
    digest = hashlib.sha256(kind.encode() + b"\0" + versions())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def get(kind: str, name: str) -> bytes | None:
    base = folder()
    if base is None:
        return None
    try:
        data = (base / kind / name).read_bytes()
    except OSError:
        return None
    # an entry ends with the hash of what comes before it: a torn or altered file is not used
    body, check = data[:-32], data[-32:]
    return body if len(data) >= 32 and hashlib.sha256(body).digest() == check else None


def put(kind: str, name: str, data: bytes) -> None:
    base = folder()
    if base is None or len(data) > MAX_ENTRY:
        return
    target = base / kind
    tmp = None
    try:
        target.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data + hashlib.sha256(data).digest())
        os.replace(tmp, target / name)
        tmp = None
        if int.from_bytes(os.urandom(1), "little") < 8:  # now and then (1 in 32): keep the folder bounded
            _prune(target)
    except OSError:
        pass  # no cache is no error
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(target: Path) -> None:
    entries = [p for p in target.iterdir() if not p.name.startswith(".")]
    if len(entries) <= MAX_FILES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - MAX_FILES * 3 // 4]:
        with contextlib.suppress(OSError):
            old.unlink()

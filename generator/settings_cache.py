"""Checked settings files (``layout.yaml``, ``format.yaml``) kept on disk as plain data.

Checking a settings file needs pydantic, whose import costs more than a whole
build's own work; the result of a check that passed is plain data (dicts,
frozen dataclasses, Decimals), stored in :mod:`generator.diskcache` under the
SHA-256 of the file's path and bytes, this program's source and the checker's
version.  A build with unchanged settings reads that and never imports pydantic;
a file that fails its check is never stored, so its messages are always made
afresh.  ``REPORTGEN_CACHE=off`` turns the disk off (each process checks again).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from . import diskcache

T = TypeVar("T")


def cached(kind: str, path: Path, raw: bytes, make: Callable[[], T]) -> T:
    """``make()`` (which checks ``raw``, the bytes of ``path``, and raises on a problem), or
    what it returned for the same bytes before."""
    name = diskcache.key(kind, str(path), raw, versions=diskcache.checker_versions)
    stored = diskcache.get(kind, name)
    if stored is not None:
        try:
            return pickle.loads(stored)
        except Exception:  # noqa: BLE001 - an entry that cannot be read is made again
            pass
    value = make()
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - what cannot be stored is simply not stored
        return value
    diskcache.put(kind, name, data)
    return value

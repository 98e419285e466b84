"""Write a finished document: deterministic bytes, atomic replacement.

The same inputs give a byte-identical ``.docx``: zip entries are written in a
fixed order with a fixed timestamp.  The file appears only when complete: it
is written beside the target and moved into place, so a failed build never
leaves a partial file nor replaces a good one.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from .errors import OutputError

_EPOCH = (1980, 1, 1, 0, 0, 0)


def normalize_docx(data: bytes) -> bytes:
    """Rewrite a .docx zip with fixed timestamps and attributes (same content, same bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    # [Content_Types].xml first, as Word writes it; the rest in stored order
    names.sort(key=lambda n: (n != "[Content_Types].xml",))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; raise :class:`OutputError` with a clear message."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: 无法创建输出文件夹：{exc.strerror}") from exc
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{folder}: 输出文件夹不可写（只读或没有权限）")
    fd = None
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            fd = None
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        reason = "磁盘空间不足" if exc.errno == 28 else (exc.strerror or str(exc))
        raise OutputError(f"{path}: 无法写入输出文件：{reason}；原有文件未被改动") from exc
    finally:
        if fd is not None:
            os.close(fd)
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return path

"""Write a finished document: deterministic bytes, atomic replacement.

The same inputs give a byte-identical ``.docx``: zip entries are written in a
fixed order with a fixed timestamp.  The file appears only when complete: it
is written beside the target and moved into place, so a failed build never
leaves a partial file nor replaces a good one.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any

from .errors import OutputError
from .paths import shown, too_long

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


# The zip that normalize_docx writes, entry for entry: what zipfile writes for a ZipInfo
# dated _EPOCH, deflated at level 6, made on Unix (3) with mode 0644, version 2.0 (20).
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_DOS_DATE = (_EPOCH[0] - 1980) << 9 | _EPOCH[1] << 5 | _EPOCH[2]
_DOS_TIME = _EPOCH[3] << 11 | _EPOCH[4] << 5 | _EPOCH[5] // 2
_MAX_SIZE = 0x7FFFFFFF  # zipfile's ZIP64_LIMIT: beyond it, zipfile itself writes


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


class _NormalizedZip:
    """A zip writer with python-docx's ``PhysPkgWriter`` interface and :func:`normalize_docx`'s bytes.

    ``reuse`` maps the contents of parts that are the same in every report (the
    template's styles, theme, fonts) to their compressed form: deflated once.
    """

    def __init__(self, reuse: dict[bytes, tuple[int, bytes]] | None = None, reusable: frozenset = frozenset()) -> None:
        self.out = io.BytesIO()
        self.central: list[bytes] = []
        self.reuse = reuse
        self.reusable = reusable  # the names whose contents may be looked up in ``reuse``

    def write(self, pack_uri, blob: bytes) -> None:  # noqa: ANN001 - a python-docx PackURI
        name = pack_uri.membername
        found = self.reuse.get(blob) if self.reuse is not None and name in self.reusable else None
        if found is None:
            found = (zlib.crc32(blob), _deflate(blob))
            if self.reuse is not None and name in self.reusable:
                if len(self.reuse) >= 64:
                    self.reuse.clear()
                self.reuse[blob] = found
        crc, data = found
        self.write_deflated(pack_uri, len(blob), crc, data)

    def write_deflated(self, pack_uri, size: int, crc: int, data: bytes) -> None:  # noqa: ANN001
        """An entry whose contents (``size`` bytes, CRC ``crc``) are deflated already."""
        name = pack_uri.membername
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800
        if size > _MAX_SIZE or len(data) > _MAX_SIZE:
            raise ValueError(f"{name}: 文档中的部件过大")
        offset = self.out.tell()
        header = (20, 0, flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, crc, len(data), size, len(encoded), 0)
        self.out.write(_LOCAL.pack(b"PK\x03\x04", *header) + encoded + data)
        made_by, needs = (20, 3), (20, 0)  # version 2.0 on Unix; version 2.0 to extract
        sizes = (crc, len(data), size, len(encoded), 0, 0, 0, 0, 0o644 << 16, offset)
        entry = _CENTRAL.pack(
            b"PK\x01\x02", *made_by, *needs, flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, *sizes
        )
        self.central.append(entry + encoded)

    def close(self) -> bytes:
        start = self.out.tell()
        for entry in self.central:
            self.out.write(entry)
        size = self.out.tell() - start
        count = len(self.central)
        self.out.write(_END.pack(b"PK\x05\x06", 0, 0, count, count, size, start, 0))
        return self.out.getvalue()


def package_bytes(
    document,  # noqa: ANN001 - a python-docx Document
    reuse: dict[bytes, tuple[int, bytes]] | None = None,
    stored: dict[int, tuple[Any, int, int, bytes]] | None = None,
) -> bytes:
    """The document (python-docx) as normalised .docx bytes, zipped once: what ``save`` +
    :func:`normalize_docx` give.  With ``reuse``, parts kept as the template had them
    (not parsed: theme, fonts) are compressed once per content; ``stored`` maps the id of
    an XML part's element to its size, CRC and deflated form, written as they are
    (:class:`generator.docxcache.Master`'s shared parts)."""
    from docx.opc.part import XmlPart
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    parts = package.parts
    reusable = frozenset(p.partname.membername for p in parts if not isinstance(p, XmlPart))
    writer: Any = _NormalizedZip(reuse, reusable)  # what PackageWriter calls of a PhysPkgWriter
    # the order python-docx writes, which normalize_docx keeps ([Content_Types].xml first)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    for part in parts:  # PackageWriter._write_parts, with the stored parts as they are
        found = stored.get(id(part._element)) if stored and isinstance(part, XmlPart) else None
        if found is not None:
            writer.write_deflated(part.partname, *found[1:])
        else:
            writer.write(part.partname, part.blob)
        if len(part.rels):
            writer.write(part.partname.rels_uri, part.rels.xml)
    return writer.close()


_REASONS = {
    errno.ENOSPC: "磁盘空间不足，请清理磁盘后重试",
    errno.EDQUOT: "磁盘配额已用完，请清理后重试",
    errno.EROFS: "所在的磁盘或文件夹是只读的，请换一个输出位置（-o）",
    errno.EACCES: "没有写入权限（文件夹只读，或文件正在 Word 中打开，请关闭后重试）",
    errno.EPERM: "没有写入权限（文件夹只读，或文件正在 Word 中打开，请关闭后重试）",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.EISDIR: "这是一个文件夹，请写出文件名，如 报告.docx",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EEXIST: "已有同名的文件，无法建成文件夹",
    errno.EIO: "磁盘读写出错",
}


def _reason(exc: OSError) -> str:
    reason = _REASONS.get(exc.errno) if exc.errno is not None else None
    return reason or exc.strerror or str(exc)


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; raise :class:`OutputError` with a clear message.

    A missing output folder is created.  The data goes to a temporary file beside
    the target, is flushed to disk, and only then renamed over the target: a full
    disk, a read-only folder or an interruption leaves the old file as it was and
    no temporary file behind; two builds writing the same file at once each
    rename a complete file, so the result is one of them, whole.
    """
    path = Path(path)
    problem = too_long(path)
    if problem:
        raise OutputError(f"{shown(path)}: 无法写入输出文件：{problem}")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: 无法创建输出文件夹：{_reason(exc)}") from exc
    try:
        is_dir = path.is_dir()
    except OSError as exc:
        raise OutputError(f"{path}: 无法写入输出文件：{_reason(exc)}") from exc
    if is_dir:
        raise OutputError(f"{path}: {_REASONS[errno.EISDIR]}")
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
        kept = "原有文件未被改动" if path.exists() else "没有生成文件"
        raise OutputError(f"{path}: 无法写入输出文件：{_reason(exc)}；{kept}") from exc
    finally:
        if fd is not None:
            os.close(fd)
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path

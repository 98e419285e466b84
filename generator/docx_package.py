"""A user's Word file opened as untrusted input: the XML parts that :mod:`docx_in` reads, within fixed limits.

Every refusal is :class:`ImportRefused` naming the file, in Chinese, before much is read: what the file
is when it is not a .docx (a PDF, an old .doc, a password-protected file, …); a zip bomb (each part's
declared size, the bytes counted while decompressing, the compression ratio, the number of parts, the
total); XML with a DOCTYPE (entity expansion, external entities); more paragraphs, tables, cells or XML
elements than any report has.  Nothing is written, except a legacy ``.doc`` converted through LibreOffice
in a temporary folder that is removed afterwards.  The limits are named constants below: a real
100-page report is far inside each of them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import stat
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NoReturn

from lxml import etree

from .errors import ImportRefused

MIB = 1024 * 1024
MAX_FILE_BYTES = 512 * MIB  # the file itself
MAX_MEMBERS = 5_000  # parts (files) in the zip; a report with pictures has a few dozen
MAX_DIRECTORY_BYTES = 4 * MIB  # the zip's central directory, checked before zipfile reads it (a report's: a few KB)
MAX_PART_BYTES = 64 * MIB  # one XML part, uncompressed (a 100-page report's document.xml: about 1–3 MB)
MAX_TOTAL_BYTES = 256 * MIB  # all parts together, uncompressed as declared, and all bytes read
MAX_RATIO = 200  # uncompressed : compressed, for a part larger than RATIO_FLOOR (XML: about 5–30)
RATIO_FLOOR = 2 * MIB
MAX_PARAGRAPHS = 200_000  # w:p in document.xml, table cells included (a 100-page report: a few thousand)
MAX_TABLES = 20_000
MAX_CELLS = 500_000
# XML elements in the parts read, together: bounds the parsed tree (about 130 bytes an element) and the
# time to walk it; a heavily formatted 100-page report saved by Word has a few hundred thousand
MAX_ELEMENTS = 1_000_000
CONVERT_TIMEOUT = 120  # seconds for LibreOffice to turn a .doc into a .docx
CHUNK = 1 * MIB

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

HOW_TO_SAVE = "请在 Word 或 WPS 中打开，另存为 .docx（文件 → 另存为 → Word 文档），再导入"


def _mb(n: int) -> str:
    return f"{n / MIB:,.0f} MB" if n >= 10 * MIB else f"{n / MIB:,.1f} MB"


@dataclass
class Parts:
    """The parsed parts a reader needs; ``None`` where the document has none."""

    document: etree._Element
    styles: etree._Element | None = None
    numbering: etree._Element | None = None
    counts: dict[str, int] = field(default_factory=dict)


def open_parts(path: Path | str, shown: Path | str | None = None) -> Parts:
    """Read ``path`` as a Word document; ``shown`` is the name used in messages (default ``path``)."""
    path = Path(path)
    shown = path if shown is None else shown
    kind = _sniff(path, shown)
    if kind == "ole":
        return _from_ole(path, shown)
    return _from_zip(path, shown)


# ---------------------------------------------------------------- what the file is


def _sniff(path: Path, shown: Path | str) -> str:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ImportRefused(shown, "找不到这个文件，请检查文件名和所在的文件夹") from None
    except OSError as exc:
        raise ImportRefused(shown, f"无法读取这个文件（{exc.strerror or exc}）") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportRefused(shown, "这是一个文件夹，import 需要 Word 文件（.docx）") from None
    if not stat.S_ISREG(info.st_mode):
        raise ImportRefused(shown, "这不是普通文件（可能是设备或管道），import 需要 Word 文件（.docx）")
    if info.st_size == 0:
        raise ImportRefused(shown, "文件是空的（0 字节），不是 Word 文件：" + HOW_TO_SAVE)
    if info.st_size > MAX_FILE_BYTES:
        raise ImportRefused(
            shown, f"文件有 {_mb(info.st_size)}，超过上限 {_mb(MAX_FILE_BYTES)}，不像一份报告的 Word 文件"
        )
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as exc:
        raise ImportRefused(shown, f"无法读取这个文件（{exc.strerror or exc}）") from None
    if head.startswith(b"PK"):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    raise ImportRefused(shown, _not_word(head))


def _not_word(head: bytes) -> str:
    """What a file that is neither a zip nor an OLE2 file looks like, and what to do."""
    if b"%PDF-" in head:
        return "这是 PDF 文件，import 需要 Word 文件（.docx），请找到报告的 Word 原件，或在 Word/WPS 中另存为 .docx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"{\\rtf"):
        what = "这是 RTF 文件"
    elif b"<w:worddocument" in stripped or b"word.document" in stripped or b"<pkg:package" in stripped:
        what = "这是 Word 的 XML 格式（.xml）文件"
    elif stripped.startswith((b"<!doctype html", b"<html")) or b"mime-version:" in stripped:
        what = "这是网页文件（.htm/.mht）"
    elif head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")):
        what = "这是图片文件"
    elif head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        what = "这是压缩文件（RAR/7z/gz），请先解压"
    elif _looks_like_text(head):
        what = "这是纯文本文件"
    else:
        what = "无法识别的文件格式"
    return f"不是 Word 文件（.docx）：{what}；{HOW_TO_SAVE}"


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return False


# ---------------------------------------------------------------- OLE2: .doc and encrypted .docx


def _ole_streams(path: Path) -> set[str]:
    """Which of a few OLE stream names occur in the file (names are stored in UTF-16LE)."""
    names = ["EncryptedPackage", "WordDocument", "Workbook", "Book", "PowerPoint Document"]
    wanted = {name: name.encode("utf-16-le") for name in names}
    longest = max(len(v) for v in wanted.values())
    found: set[str] = set()
    tail = b""
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            window = tail + chunk
            found.update(name for name, raw in wanted.items() if raw in window)
            tail = window[-longest:]
    return found


def _from_ole(path: Path, shown: Path | str) -> Parts:
    try:
        streams = _ole_streams(path)
    except OSError as exc:
        raise ImportRefused(shown, f"无法读取这个文件（{exc.strerror or exc}）") from None
    if "EncryptedPackage" in streams:
        raise ImportRefused(
            shown,
            "这个 Word 文件设置了打开密码（已加密），无法读取：请在 Word 或 WPS 中输入密码打开，"
            "取消密码后另存为 .docx，再导入",
        )
    if "WordDocument" not in streams:
        if "Workbook" in streams or "Book" in streams:
            raise ImportRefused(shown, "这是 Excel 文件（.xls），import 需要 Word 文件（.docx）")
        if "PowerPoint Document" in streams:
            raise ImportRefused(shown, "这是 PowerPoint 文件（.ppt），import 需要 Word 文件（.docx）")
    return _convert_doc(path, shown)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert_doc(path: Path, shown: Path | str) -> Parts:
    """A legacy .doc through LibreOffice into a temporary .docx, read like any other."""
    exe = _soffice()
    if exe is None:
        raise ImportRefused(
            shown,
            "这是旧版 Word 文件（.doc），import 需要 .docx：请在 Word 或 WPS 中打开，另存为 .docx"
            "（文件 → 另存为 → Word 文档），再导入；或安装 LibreOffice 后重新运行，程序会自动转换",
        )
    with tempfile.TemporaryDirectory(prefix="reportgen-doc-") as tmp:
        work = Path(tmp)
        source = work / "in" / "report.doc"
        source.parent.mkdir()
        shutil.copyfile(path, source)
        out = work / "out"
        command = [
            exe,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        why = _run(command, CONVERT_TIMEOUT)
        made = out / "report.docx"
        if why is None and not (made.is_file() and made.stat().st_size > 0):
            why = "没有生成 .docx（文件可能已损坏或设置了密码）"
        if why is not None:
            raise ImportRefused(
                shown, f"这是旧版 Word 文件（.doc），用 LibreOffice 转换为 .docx 失败（{why}）：{HOW_TO_SAVE}"
            )
        if _sniff(made, shown) != "zip":
            raise ImportRefused(shown, f"这是旧版 Word 文件（.doc），LibreOffice 转换的结果不是 .docx：{HOW_TO_SAVE}")
        return _from_zip(made, shown)


def _run(command: list[str], timeout: int) -> str | None:
    """Run LibreOffice in a session of its own; None when it ended well, else why not."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        return f"无法启动 LibreOffice：{exc.strerror or exc}"
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return f"超过 {timeout} 秒仍未完成"
    finally:
        # oosplash may leave soffice.bin behind in the group: end it with the conversion
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    if process.returncode != 0:
        last = output.decode("utf-8", "replace").strip().splitlines()
        return f"退出码 {process.returncode}" + (f"：{last[-1][:200]}" if last else "")
    return None


# ---------------------------------------------------------------- the zip


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, NotImplementedError)
DAMAGED = "文件已损坏或不完整（可能是下载或复制时中断），无法作为 Word 文件打开：请重新取得文件，或在 Word/WPS 中打开后另存为 .docx"


def _from_zip(path: Path, shown: Path | str) -> Parts:
    _check_directory(path, shown)
    try:
        zf = zipfile.ZipFile(path)
    except OSError as exc:
        raise ImportRefused(shown, f"无法读取这个文件（{exc.strerror or exc}）") from None
    except _ZIP_ERRORS:
        raise ImportRefused(shown, DAMAGED) from None
    with zf:
        return _Zip(zf, shown).parts()


_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


def _check_directory(path: Path, shown: Path | str) -> None:
    """The zip's own count of its parts and the size of its directory, read before zipfile reads the
    directory: zipfile keeps an object for every entry, and a crafted directory can list millions."""
    try:
        with open(path, "rb") as f:
            size = f.seek(0, os.SEEK_END)
            start = max(size - (_EOCD.size + 0xFFFF), 0)
            f.seek(start)
            tail = f.read()
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or len(tail) - at < _EOCD.size:
                raise ImportRefused(shown, DAMAGED)
            _sig, _disk, _cd_disk, _here, entries, cd_size, _cd_offset, _comment = _EOCD.unpack_from(tail, at)
            if entries == 0xFFFF or cd_size == 0xFFFFFFFF:  # Zip64: the real figures are in another record
                locator = start + at - _ZIP64_LOCATOR.size
                if locator >= 0:
                    f.seek(locator)
                    sig, _disk, offset, _disks = _ZIP64_LOCATOR.unpack(f.read(_ZIP64_LOCATOR.size))
                    if sig == b"PK\x06\x07" and offset < size:
                        f.seek(offset)
                        record = f.read(_ZIP64_EOCD.size)
                        if len(record) == _ZIP64_EOCD.size and record[:4] == b"PK\x06\x06":
                            fields = _ZIP64_EOCD.unpack(record)
                            entries, cd_size = fields[7], fields[8]
    except OSError as exc:
        raise ImportRefused(shown, f"无法读取这个文件（{exc.strerror or exc}）") from None
    if entries > MAX_MEMBERS:
        raise ImportRefused(shown, f"压缩包里有 {entries:,} 个部件，超过上限 {MAX_MEMBERS:,} 个，不像一份 Word 文件")
    if cd_size > MAX_DIRECTORY_BYTES:
        raise ImportRefused(
            shown, f"压缩包的目录有 {_mb(cd_size)}，超过上限 {_mb(MAX_DIRECTORY_BYTES)}，不像一份 Word 文件"
        )


class _Zip:
    def __init__(self, zf: zipfile.ZipFile, shown: Path | str):
        self.zf = zf
        self.shown = shown
        self.read_total = 0
        self.elements = 0  # XML elements parsed so far, all parts together
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            self.refuse(f"压缩包里有 {len(infos):,} 个部件，超过上限 {MAX_MEMBERS:,} 个，不像一份 Word 文件")
        declared = sum(info.file_size for info in infos)
        if declared > MAX_TOTAL_BYTES:
            largest = max(infos, key=lambda info: info.file_size)
            self.refuse(
                f"解压后共 {_mb(declared)}（其中 {largest.filename} {_mb(largest.file_size)}），"
                f"超过上限 {_mb(MAX_TOTAL_BYTES)}（可能是恶意构造的压缩包），已拒绝读取"
            )
        self.members = {info.filename.lstrip("/"): info for info in infos}
        self.lower = {name.lower(): name for name in self.members}

    def refuse(self, message: str) -> NoReturn:
        raise ImportRefused(self.shown, message)

    def find(self, name: str | None) -> str | None:
        """The member called ``name``; part names are case-insensitive (ECMA-376 Part 2, §9.1.1.1)."""
        if name is None:
            return None
        return name if name in self.members else self.lower.get(name.lower())

    def parts(self) -> Parts:
        main = self.main_part()
        rels = self.relationships(main)
        styles_name, numbering_name = self.find(rels["styles"]), self.find(rels["numbering"])
        styles = self.parse(styles_name) if styles_name is not None else None
        numbering = self.parse(numbering_name) if numbering_name is not None else None
        counts: dict[str, int] = {}
        document = self.parse(main, counts)
        return Parts(document, styles, numbering, counts)

    def main_part(self) -> str:
        target = None
        package_rels = self.find("_rels/.rels")
        if package_rels is not None:
            for rel in self.parse(package_rels).iter(_REL):
                if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
                    target = self.find(_resolve("", rel.get("Target") or ""))
                    break
        target = target or self.find("word/document.xml")
        if target is not None:
            return target
        if self.find("xl/workbook.xml"):
            self.refuse("这是 Excel 文件（.xlsx），import 需要 Word 文件（.docx）")
        if self.find("ppt/presentation.xml"):
            self.refuse("这是 PowerPoint 文件（.pptx），import 需要 Word 文件（.docx）")
        if "mimetype" in self.members and b"opendocument.text" in self.read("mimetype")[:100]:
            self.refuse("这是 OpenDocument 文本（.odt）：请在 WPS、Word 或 LibreOffice 中打开，另存为 .docx，再导入")
        if self.find("[Content_Types].xml"):
            self.refuse(f"文件不完整：缺少正文部件 word/document.xml，无法读取；{HOW_TO_SAVE}")
        self.refuse(
            f"不是 Word 文件（.docx）：这是一个 zip 压缩包，里面没有 Word 文档（word/document.xml）；{HOW_TO_SAVE}"
        )

    def relationships(self, main: str) -> dict[str, str]:
        folder, name = main.rsplit("/", 1) if "/" in main else ("", main)
        rels_name = self.find(f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels")
        out = {"styles": _resolve(folder, "styles.xml"), "numbering": _resolve(folder, "numbering.xml")}
        if rels_name is not None:
            for rel in self.parse(rels_name).iter(_REL):
                kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
                if kind in ("styles", "numbering") and rel.get("TargetMode") != "External":
                    out[kind] = _resolve(folder, rel.get("Target") or "")
        return out

    def open(self, name: str) -> _Capped:
        info = self.members[name]
        if info.flag_bits & 0x1:
            self.refuse("这个 Word 文件的内容已加密（设置了密码），无法读取：请在 Word 或 WPS 中取消密码后另存为 .docx")
        if info.file_size > MAX_PART_BYTES:
            self.refuse(
                f"其中的 {name} 解压后有 {_mb(info.file_size)}，超过上限 {_mb(MAX_PART_BYTES)}"
                "（可能是恶意构造的压缩包），已拒绝读取"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            self.refuse(
                f"其中的 {name} 压缩比异常（{ratio:,.0f} 倍，上限 {MAX_RATIO} 倍，可能是恶意构造的压缩包），已拒绝读取"
            )
        try:
            stream = self.zf.open(info)
        except RuntimeError:  # encrypted
            self.refuse("这个 Word 文件的内容已加密（设置了密码），无法读取：请在 Word 或 WPS 中取消密码后另存为 .docx")
        except _ZIP_ERRORS:
            self.refuse(DAMAGED)
        return _Capped(stream, name, info.compress_size, self)

    def read(self, name: str) -> bytes:
        with self.open(name) as stream:
            try:
                return stream.read_all()
            except _ZIP_ERRORS:
                self.refuse(DAMAGED)

    def parse(self, name: str, counts: dict[str, int] | None = None) -> etree._Element:
        with self.open(name) as stream:
            try:
                return _parse(stream, name, self, counts)
            except _ZIP_ERRORS:
                self.refuse(DAMAGED)


class _Capped:
    """A part's bytes as they are decompressed, counted: refused past the size and ratio limits."""

    def __init__(self, stream, name: str, compressed: int, owner: _Zip):
        self.stream = stream
        self.name = name
        self.compressed = max(compressed, 1)
        self.owner = owner
        self.count = 0

    def read(self, n: int = -1) -> bytes:
        n = CHUNK if n is None or n < 0 or n > CHUNK else n
        data = self.stream.read(n)
        self.count += len(data)
        self.owner.read_total += len(data)
        if self.count > MAX_PART_BYTES:
            self.owner.refuse(
                f"其中的 {self.name} 解压后超过上限 {_mb(MAX_PART_BYTES)}（可能是恶意构造的压缩包），已拒绝读取"
            )
        if self.count > RATIO_FLOOR and self.count > MAX_RATIO * self.compressed:
            self.owner.refuse(
                f"其中的 {self.name} 压缩比异常（超过 {MAX_RATIO} 倍，可能是恶意构造的压缩包），已拒绝读取"
            )
        if self.owner.read_total > MAX_TOTAL_BYTES:
            self.owner.refuse(f"解压后共超过 {_mb(MAX_TOTAL_BYTES)}（可能是恶意构造的压缩包），已拒绝读取")
        return data

    def read_all(self) -> bytes:
        chunks = []
        while data := self.read(CHUNK):
            chunks.append(data)
        return b"".join(chunks)

    def __enter__(self) -> _Capped:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a member name: ``styles.xml`` in ``word`` → ``word/styles.xml``."""
    if target.startswith("/"):
        joined = PurePosixPath(target.lstrip("/"))
    else:
        joined = PurePosixPath(folder) / target
    parts: list[str] = []
    for part in joined.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


# ---------------------------------------------------------------- XML


_COUNTED = {W + "p": "paragraphs", W + "tbl": "tables", W + "tc": "cells"}
_LIMITS = {"paragraphs": MAX_PARAGRAPHS, "tables": MAX_TABLES, "cells": MAX_CELLS}
_WORDS = {"paragraphs": "段落", "tables": "表格", "cells": "表格单元格"}


def _events(stream: _Capped) -> Iterator[tuple[str, etree._Element]]:
    return etree.iterparse(
        stream,
        events=("start",),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )


def _parse(stream: _Capped, name: str, owner: _Zip, counts: dict[str, int] | None) -> etree._Element:
    """Parse a part: no DOCTYPE (so no entities of any kind), at most MAX_ELEMENTS elements, counted."""
    tally = dict.fromkeys(_LIMITS, 0)
    elements = owner.elements
    root = None
    over = None
    try:
        for _event, el in _events(stream):
            if root is None:
                root = el
                if el.getroottree().docinfo.doctype:
                    owner.refuse(
                        f"其中的 {name} 含有 DOCTYPE 声明（Word 从不写这种声明；它可以用来展开实体、读取本机文件），已拒绝读取"
                    )
            elements += 1
            if elements > MAX_ELEMENTS:
                owner.refuse(f"读到其中的 {name} 时，XML 元素已超过 {MAX_ELEMENTS:,} 个，远超任何报告，已拒绝读取")
            kind = _COUNTED.get(el.tag)
            if kind is not None:
                tally[kind] += 1
                if tally[kind] > _LIMITS[kind]:
                    over = (kind, el.tag)
                    break
    except etree.XMLSyntaxError as exc:
        # libxml2's own limits without XML_PARSE_HUGE (huge_tree): 256 levels, a text of 10,000,000 bytes
        if "depth" in str(exc):
            owner.refuse(f"其中的 {name} 的 XML 嵌套超过 256 层，远超任何 Word 文件，已拒绝读取")
        if "Resource limit exceeded" in str(exc):
            owner.refuse(f"其中的 {name} 有一段文字或一个属性超过 10 MB，远超任何 Word 文件，已拒绝读取")
        owner.refuse(f"其中的 {name} 不是完整的 XML（{_syntax(exc)}），文件可能已损坏：{HOW_TO_SAVE}")
    if over is not None:
        kind, tag = over
        prefix = next((p for p, uri in (root.nsmap if root is not None else {}).items() if uri == W[1:-1]), None)
        root = el = None  # let the tree go before counting on
        total = _count_rest(owner, name, tag, prefix, tally[kind])
        owner.refuse(f"文档有 {total:,} 个{_WORDS[kind]}，超过上限 {_LIMITS[kind]:,} 个，不像一份报告，已拒绝读取")
    if root is None:
        owner.refuse(f"其中的 {name} 是空的，文件可能已损坏：{HOW_TO_SAVE}")
    if counts is not None:
        counts.update(tally, elements=elements - owner.elements)
    owner.elements = elements
    return root


def _count_rest(owner: _Zip, name: str, tag: str, prefix: str | None, so_far: int) -> int:
    """How many ``tag`` elements the part has in all: its start tags counted in the bytes, chunk by chunk
    (no tree: a part of millions of paragraphs is counted in about a second)."""
    local = tag.rsplit("}", 1)[-1]
    qname = (f"{prefix}:{local}" if prefix else local).encode()
    pattern = re.compile(b"<" + re.escape(qname) + rb"[\s/>]")
    total = 0
    tail = b""
    before = owner.read_total  # the second reading is not more data
    with owner.open(name) as stream:
        try:
            while chunk := stream.read(CHUNK):
                window = tail + chunk
                # tags starting before `cut` lie wholly in this window; the others are counted with the next
                cut = max(len(window) - (len(qname) + 2) + 1, 0)
                total += len(pattern.findall(window, 0, cut + len(qname) + 1))
                tail = window[cut:]
            total += len(pattern.findall(tail))
        except _ZIP_ERRORS:
            pass
    owner.read_total = before
    return max(total, so_far)


def _syntax(exc: etree.XMLSyntaxError) -> str:
    line = getattr(exc, "lineno", None) or (exc.position[0] if getattr(exc, "position", None) else None)
    return f"第 {line} 行出错" if line else "格式错误"

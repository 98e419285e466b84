"""PDF for a whole batch through one LibreOffice process, and which fonts stand in.

LibreOffice is started once, with a private profile, when the run begins: it
starts up while the reports render.  When they are done, one
``soffice --convert-to pdf`` call over all the files hands them to that
instance.  Each PDF is written to a temporary folder beside its .docx and moved
into place whole.

The layout's fonts (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312 …) are not free;
``templates/_base/fonts.conf`` maps them to installed fonts for the conversion.
:func:`font_report` says which are installed and what stands in for the others,
so that a PDF with stand-in fonts never passes for the official look unnoticed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .preview import soffice

NO_LIBREOFFICE = (
    "没有找到 LibreOffice（soffice），无法转换 PDF：请先安装 LibreOffice"
    "（Debian/Ubuntu：sudo apt install libreoffice-writer-nogui），或把 soffice 所在的文件夹加入 PATH。"
)


def layout_fonts(layout: dict[str, Any]) -> list[str]:
    """The Chinese fonts the layout names (styles, then page numbers), each once, in order."""
    fonts: list[str] = []
    specs = list((layout.get("styles") or {}).values()) + [layout.get("page_number") or {}]
    for spec in specs:
        name = spec.get("font") if isinstance(spec, dict) else None
        if isinstance(name, str) and name not in fonts:
            fonts.append(name)
    return fonts


@dataclass(frozen=True)
class FontUse:
    font: str
    installed: bool
    used: str | None  # what the conversion uses instead; None when fc-match is missing


def font_report(fonts: list[str], fonts_conf: str | Path | None) -> list[FontUse] | None:
    """For each font: installed or not, and what LibreOffice will use.  None without fontconfig's tools."""
    fc_list, fc_match = shutil.which("fc-list"), shutil.which("fc-match")
    if not fc_list or not fc_match:
        return None
    env = _env(fonts_conf)
    out = []
    for font in fonts:
        listed = subprocess.run([fc_list, f":family={font}", "family"], capture_output=True, text=True, timeout=30)
        installed = bool(listed.stdout.strip())
        matched = subprocess.run(
            [fc_match, "-f", "%{family[0]}", font], capture_output=True, text=True, env=env, timeout=30
        )
        out.append(FontUse(font, installed, matched.stdout.strip() or None))
    return out


def font_lines(uses: list[FontUse] | None) -> list[str]:
    """What to tell the user about the fonts of the PDF."""
    if uses is None:
        return ["无法检查字体（没有找到 fc-list / fc-match）：PDF 中的字体可能不是公文规定的字体"]
    missing = [u for u in uses if not u.installed]
    if not missing:
        return ["字体：版式规定的字体都已安装"]
    lines = ["字体替代（PDF 的字形与正式公文字体不同，仅供预览和核对）："]
    for use in missing:
        lines.append(f"  {use.font} 未安装，用 {use.used or '系统默认字体'} 代替")
    return lines


def _env(fonts_conf: str | Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if fonts_conf is not None and Path(fonts_conf).is_file():
        env["FONTCONFIG_FILE"] = str(Path(fonts_conf).resolve())
    return env


class Converter:
    """One LibreOffice for a run: :meth:`start` early, :meth:`convert` the files at the end, :meth:`close`."""

    def __init__(self, fonts_conf: Path | None, timeout: int = 600):
        self.exe = soffice()
        self.env = _env(fonts_conf)
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="reportgen-lo-")
        self.process: subprocess.Popen | None = None

    @property
    def available(self) -> bool:
        return self.exe is not None

    def _profile_arg(self) -> str:
        return f"-env:UserInstallation={Path(self.profile).as_uri()}"

    def start(self) -> None:
        """Start LibreOffice in the background, so that it is ready when the documents are."""
        if self.exe is None or self.process is not None:
            return
        try:
            self.process = subprocess.Popen(
                [self.exe, self._profile_arg(), "--headless", "--invisible", "--norestore", "--nologo"],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError:
            self.process = None  # the conversion call starts its own

    def convert(self, docx_files: list[Path]) -> dict[Path, str | None]:
        """Convert each file to a PDF beside it; return {docx: None when done, else the reason}."""
        results: dict[Path, str | None] = {}
        if self.exe is None:
            return {path: NO_LIBREOFFICE for path in docx_files}
        by_folder: dict[Path, list[Path]] = {}
        for path in docx_files:
            by_folder.setdefault(Path(path).parent, []).append(Path(path))
        for folder, files in by_folder.items():
            results.update(self._convert_folder(folder, files))
        return results

    def _convert_folder(self, folder: Path, files: list[Path]) -> dict[Path, str | None]:
        results: dict[Path, str | None] = {}
        if self.exe is None:
            return {path: NO_LIBREOFFICE for path in files}
        with tempfile.TemporaryDirectory(prefix=".pdf-", dir=folder) as out:
            command = [
                self.exe,
                self._profile_arg(),
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                out,
            ]
            try:
                done = subprocess.run(
                    command + [str(f) for f in files],
                    env=self.env,
                    capture_output=True,
                    text=True,
                    timeout=self.timeout,
                )
                detail = (done.stderr.strip() or done.stdout.strip()).splitlines()
            except subprocess.TimeoutExpired:
                detail = [f"超过 {self.timeout} 秒仍未完成"]
            except OSError as exc:
                detail = [str(exc)]
            for path in files:
                made = Path(out) / (path.stem + ".pdf")
                if made.is_file() and made.stat().st_size > 0:
                    os.replace(made, path.with_suffix(".pdf"))
                    results[path] = None
                else:
                    why = next(
                        (line for line in detail if "Error" in line or "error" in line), detail[-1] if detail else ""
                    )
                    results[path] = f"LibreOffice 转换 PDF 失败{('：' + why) if why else ''}"
        return results

    def close(self) -> None:
        """Stop the LibreOffice this converter started, and remove its profile."""
        if self.process is not None:
            # the process group of its own session: oosplash and the soffice.bin it started
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
            except (OSError, subprocess.TimeoutExpired):
                with contextlib.suppress(OSError):
                    os.killpg(self.process.pid, signal.SIGKILL)
            self.process = None
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

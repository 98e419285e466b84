"""Convert a built .docx to PDF with LibreOffice, for previews and checks.

The official fonts (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) are not free
and missing on Linux: ``templates/_base/fonts.conf`` maps them to installed
CJK fonts for the conversion only; the document keeps their names.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import ReportError


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path, out_dir: Path, fonts_conf: Path | None = None, timeout: int = 180) -> Path:
    """Convert ``docx`` into ``out_dir``/<name>.pdf and return its path."""
    exe = soffice()
    if exe is None:
        raise ReportError("没有找到 LibreOffice（soffice）：请先安装 libreoffice-writer-nogui")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if fonts_conf is not None and Path(fonts_conf).is_file():
        env["FONTCONFIG_FILE"] = str(Path(fonts_conf).resolve())
    with tempfile.TemporaryDirectory(prefix="reportgen-lo-") as profile:
        command = [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    pdf = out_dir / (Path(docx).stem + ".pdf")
    if result.returncode != 0 or not pdf.is_file():
        raise ReportError(f"{docx}: LibreOffice 转换 PDF 失败：{result.stderr.strip() or result.stdout.strip()}")
    return pdf


def main(argv: list[str] | None = None) -> int:
    """``python -m generator.preview FILE.docx OUT_DIR``: convert and print the PDF path."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("用法：python -m generator.preview 文件.docx 输出文件夹", file=sys.stderr)
        return 2
    templates = Path(__file__).resolve().parents[1] / "templates"
    try:
        pdf = to_pdf(Path(args[0]), Path(args[1]), templates / "_base" / "fonts.conf")
    except ReportError as error:
        print(error, file=sys.stderr)
        return 1
    print(pdf)
    if shutil.which("pdftotext"):  # read the pages back: what a reviewer would notice first
        from .layout import load_layout
        from .pagecheck import check_pdf

        for problem in check_pdf(pdf, Path(args[0]), load_layout(templates)):
            print(f"{pdf}: 版面提示：{problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

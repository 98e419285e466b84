"""Names the file system cannot hold: said in Chinese before the operating system refuses them.

A name (one part of a path) is at most 255 bytes on the usual file systems
(ext4, NTFS, APFS), a whole path at most 4,095 bytes on Linux.  A Chinese
character takes 3 bytes in UTF-8, so 85 of them already fill a name.
"""

from __future__ import annotations

import os
from pathlib import Path

NAME_MAX = 255
PATH_MAX = 4095
_SHOWN = 24  # characters of an over-long name shown in a message


def _short(part: str) -> str:
    return part if len(part) <= _SHOWN * 2 else part[:_SHOWN] + "…"


def shown(path: Path | str) -> str:
    """``path`` with every over-long name shortened, for a message."""
    text = str(path)
    if len(text) <= 200:
        return text
    return os.sep.join(_short(part) for part in text.split(os.sep))


def too_long(path: Path | str) -> str | None:
    """Why ``path`` cannot exist on the file system, or ``None``."""
    for part in Path(path).parts:
        size = len(os.fsencode(part))
        if size > NAME_MAX:
            return (
                f"名称过长：“{_short(part)}”有 {size:,} 字节，每一个文件名或文件夹名最多 {NAME_MAX} 字节"
                "（一个汉字占 3 字节），请改短"
            )
    size = len(os.fsencode(os.path.abspath(path)))
    if size > PATH_MAX:
        return f"路径过长（{size:,} 字节，最多 {PATH_MAX:,} 字节），请换一个短一些的位置"
    return None

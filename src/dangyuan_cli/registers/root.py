"""Where the workspace is: the nearest folder upward holding `dangyuan.toml` or `.dangyuan/`.

The way git finds `.git`: a clerk working inside a branch folder (`cd 城关镇/东关村`) gets the
township's rules and township-level registers, not a silent default preset and different stars.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MARKERS = ("dangyuan.toml", ".dangyuan")  # the rules file; the archive and lock folder


@dataclass(frozen=True)
class Root:
    path: Path  # the workspace to use
    asked: Path  # the folder the user gave
    marker: str  # what marks `path` as the workspace ("" when nothing was found: `asked` is used)

    @property
    def moved(self) -> bool:
        """True when the workspace is a folder above the one asked for."""
        return self.path != self.asked

    def note(self) -> str:
        shown = f"{self.marker}/" if self.marker == ".dangyuan" else self.marker
        return f"使用工作目录：{self.path}（上级目录中有 {shown}）"


def find_root(folder: Path) -> Root:
    """The workspace for `folder`: itself or the nearest folder above it holding a marker; the
    folder itself when no folder up to the file-system root holds one."""
    asked = Path(folder).resolve()
    if not asked.is_dir():  # a mistyped folder is reported as such, never replaced by a parent
        return Root(asked, asked, "")
    for candidate in (asked, *asked.parents):
        for marker in MARKERS:
            if (candidate / marker).exists():
                return Root(candidate, asked, marker)
    return Root(asked, asked, "")

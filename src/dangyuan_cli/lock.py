"""One run at a time per workspace (SPEC §12: exit 75 while another run holds the lock).

An advisory `flock` on `.dangyuan/run.lock`: the operating system releases it when the holding
process dies, so a stale lock (a killed run) is taken over without any guessing about PIDs.
The file says who holds it, for the message the second run prints.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = Path(".dangyuan") / "run.lock"


class WorkspaceLocked(Exception):
    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


@contextmanager
def workspace_lock(root: Path) -> Iterator[None]:
    path = Path(root) / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "未知进程"
            raise WorkspaceLocked(holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(
            fd, f"进程{os.getpid()}（{socket.gethostname()}，{dt.datetime.now():%Y-%m-%d %H:%M:%S}开始）".encode(), 0
        )
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

"""One run at a time per workspace (SPEC §12: exit 75 while another run holds the lock).

An advisory `flock` on `.dangyuan/run.lock`: the operating system releases it when the holding
process dies, so a stale lock (a killed run) is taken over without any guessing about PIDs.
The file says who holds it, for the message the second run prints.

When the workspace cannot hold the lock (read-only, `.dangyuan` is a file) and the run writes
elsewhere, the lock goes beside the output folder (`.<name>.lock`, removed afterwards): two runs
into one output folder still exclude each other, and a read-only workspace is never written.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from dangyuan_cli.publish.files import describe_os_error

LOCK_FILE = Path(".dangyuan") / "run.lock"


class WorkspaceLocked(Exception):
    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


class LockUnavailable(Exception):
    """No lock file could be created: one Chinese sentence naming the path."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def lock_beside(folder: Path) -> Path:
    return folder.parent / f".{folder.name}.lock"


def _open(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


def _take(path: Path, removable: bool) -> int:
    """An open descriptor holding the lock on `path`; raises WorkspaceLocked when another run has it."""
    while True:
        fd = _open(path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "未知进程"
            os.close(fd)
            raise WorkspaceLocked(holder) from None
        if not removable:
            return fd
        try:  # a lock file removed by the run that just released it: take a fresh one
            if os.path.samestat(os.fstat(fd), os.stat(path)):
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


@dataclass
class Held:
    path: Path  # the lock file
    moved: str = ""  # why it is not the workspace's own (empty when it is)


@contextmanager
def workspace_lock(root: Path, fallback: Path | None = None) -> Iterator[Held]:
    """Hold the workspace's run lock. `fallback`: the output folder, beside which the lock goes
    when the workspace cannot hold it (read-only, `.dangyuan` a file)."""
    path = Path(root) / LOCK_FILE
    removable, reason = False, ""
    try:
        fd = _take(path, removable)
    except OSError as exc:
        reason = describe_os_error(exc, path, "建立运行锁")
        if fallback is None:
            raise LockUnavailable(reason) from None
        path, removable = lock_beside(Path(fallback)), True
        try:
            fd = _take(path, removable)
        except OSError:
            raise LockUnavailable(reason) from None
    try:
        with suppress(OSError):  # who holds it is for the message only: a full disk does not stop the run
            os.ftruncate(fd, 0)
            os.pwrite(
                fd,
                f"进程{os.getpid()}（{socket.gethostname()}，{dt.datetime.now():%Y-%m-%d %H:%M:%S}开始）".encode(),
                0,
            )
        try:
            yield Held(path, reason)
        finally:
            with suppress(OSError):
                os.ftruncate(fd, 0)
            if removable:  # removed while still held: a run waiting on it takes a fresh file
                with suppress(OSError):
                    path.unlink(missing_ok=True)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def output_lock(folder: Path) -> Iterator[None]:
    """The output folder's own lock beside it: two workspaces run with one `--out` never meet in
    its staging folder (the second exits 75). A parent that cannot hold it fails later, with the
    writing's own message, so it is not an error here. Folders made for the lock alone are removed
    again when nothing else was put in them (a stopped run leaves no empty `输出/`)."""
    path = lock_beside(Path(folder))
    made = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    try:
        fd = _take(path, removable=True)
    except OSError:
        yield
        return
    try:
        with suppress(OSError):
            os.pwrite(
                fd, f"进程{os.getpid()}（{socket.gethostname()}，写入 {folder}）".encode(errors="surrogateescape"), 0
            )
        yield
    finally:
        with suppress(OSError):  # removed while still held: a run waiting on it takes a fresh file
            path.unlink(missing_ok=True)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
        for parent in made:  # innermost first; a folder the run wrote into is not empty and stays
            with suppress(OSError):
                parent.rmdir()

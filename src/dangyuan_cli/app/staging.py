"""The output folder `run` owns (SPEC §12): it replaces only a folder it created and marked,
never deletes or renames a file it did not write, and is never left half-swapped.

- The marker `.dangyuan-output.json` lists the files a run wrote (no timestamps: outputs stay
  byte-reproducible). Only those are ever removed; any other file found in the old folder is
  carried into the new one unchanged (a hard link, else a copy), renamed `…（原有）` when a new
  output has its name and different bytes.
- The swap is two renames; a stop (Ctrl-C, SIGTERM) is held off while they run, and a run
  killed between them is repaired by the next run's `recover`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

STAGING, PREVIOUS = ".staging", ".previous"


class OutputError(Exception):
    """The output folder cannot be used or written: one Chinese sentence naming the path.
    `code` is 2 for a bad --out (usage), 1 for the environment (read-only, disk full …)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def read_marker(folder: Path) -> dict | None:
    """The marker `run` leaves in an output folder it owns; None when absent or unreadable."""
    from dangyuan_cli.registers.workspace import OUTPUT_MARKER

    try:
        data = json.loads((folder / OUTPUT_MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return None
    return data


def check_out(root: Path, final: Path, explicit: bool) -> None:
    """Refuse an output folder `run` may not replace (SPEC §12): the workspace, a folder holding
    it, one inside a folder of registers, a file, or a non-empty folder `run` did not create."""
    from dangyuan_cli.registers.workspace import ARCHIVE_DIR, OUTPUT_DIR, OUTPUT_MARKER, workbook_paths

    code = 2 if explicit else 1
    name = "--out " if explicit else "默认输出目录 "
    root_r, out_r = Path(root).resolve(), Path(final).resolve()
    if out_r == root_r:
        raise OutputError(
            f"--out 不能是工作目录本身：{final}。输出文件夹会被整个替换；请指定一个新的或空的文件夹，或不加 --out（默认 <工作目录>/输出/<期间>/）",
            2,
        )
    if out_r in root_r.parents:
        raise OutputError(
            f"--out {final} 包含工作目录 {root}：输出文件夹会被整个替换。请指定工作目录以外的新文件夹，或不加 --out", 2
        )
    for p in (out_r, *out_r.parents):
        if not os.path.lexists(p):
            continue
        if not p.is_dir():
            if p == out_r:
                raise OutputError(
                    f"{name}指向一个已有的文件，不是文件夹：{final}。请指定一个文件夹（新的或空的）", code
                )
            raise OutputError(
                f"{name}{final} 的上级 {p} 是一个文件，不是文件夹。请改名或移走该文件，或另选输出位置", code
            )
        break
    if out_r.is_relative_to(root_r):
        rel = out_r.relative_to(root_r).parts
        if rel[0] == ARCHIVE_DIR:
            raise OutputError(f"--out 不能放在工作目录的存档文件夹 {ARCHIVE_DIR} 中：{final}。请另选输出位置", 2)
        if rel[0] != OUTPUT_DIR:
            for depth in range(1, len(rel)):  # the folders between the workspace and the output
                folder = root_r.joinpath(*rel[:depth])
                found = workbook_paths(folder, skip=out_r) if folder.is_dir() else []
                if found:
                    raise OutputError(
                        f"--out {final} 位于存放台账的文件夹 {folder} 中（如 {found[0].relative_to(root_r)}）："
                        "输出会与台账混在一起。请改到工作目录下单独的文件夹（如 <工作目录>/结果）或工作目录以外",
                        2,
                    )
    if explicit and out_r.is_dir() and read_marker(out_r) is None and any(out_r.iterdir()):
        raise OutputError(
            f"--out 指向的文件夹不是空的，也不是 dangyuan run 建立的（没有标记文件 {OUTPUT_MARKER}）：{final}。"
            "为免删除其中的文件已停止；请指定一个新的或空的文件夹",
            2,
        )


def write_marker(staging: Path, period_code: str, files: list[str], kept: dict[str, str]) -> None:
    """The marker: every file this run wrote (only those may ever be replaced or removed), and
    where each file found in the old folder went (old → new path) when others' files were kept."""
    from dangyuan_cli.publish.files import write_atomic
    from dangyuan_cli.registers.workspace import OUTPUT_MARKER

    marker: dict = {"format": 1, "period": period_code, "files": files}
    if kept:
        marker["kept"] = kept
    data = json.dumps(marker, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_atomic(staging / OUTPUT_MARKER, data.encode("utf-8"))


def others(folder: Path) -> list[str]:
    """Relative paths of the files (and empty folders, ending in /) in an output folder that its
    marker does not list: `run` did not write them, so they are never deleted."""
    from dangyuan_cli.registers.workspace import OUTPUT_MARKER

    if not folder.is_dir():
        return []
    listed = set((read_marker(folder) or {}).get("files", []))
    found = []
    for here, dirs, files in os.walk(folder):
        base = Path(here)
        links = [d for d in dirs if (base / d).is_symlink()]  # a link is carried as a link
        dirs[:] = sorted(d for d in dirs if d not in links)
        for name in sorted(files + links):
            rel = (base / name).relative_to(folder).as_posix()
            if rel != OUTPUT_MARKER and rel not in listed:
                found.append(rel)
        if base != folder and not files and not dirs and not links:
            found.append(base.relative_to(folder).as_posix() + "/")
    return found


def _same(a: Path, b: Path) -> bool:
    if a.is_symlink() or b.is_symlink():
        return a.is_symlink() and b.is_symlink() and os.readlink(a) == os.readlink(b)
    if not (a.is_file() and b.is_file()):
        return False
    if os.path.samefile(a, b):
        return True
    import filecmp

    return filecmp.cmp(a, b, shallow=False)


def _alternative(path: Path, n: int) -> Path:
    mark = "（原有）" if n == 1 else f"（原有{n}）"
    return path.with_name(f"{path.stem}{mark}{path.suffix}") if path.suffix else path.with_name(path.name + mark)


def _place(src: Path, target_root: Path, rel: str, move: bool) -> str | None:
    """Put `src` at `rel` below `target_root` — unchanged (a hard link, else a copy), or moved —
    under a new name when a different file is already there. None: an identical file is there."""
    parts = rel.rstrip("/").split("/")
    here = target_root
    for part in parts[:-1]:  # a file where a folder is needed: the folder takes a new name
        step, n = here / part, 1
        while os.path.lexists(step) and not step.is_dir():
            step, n = _alternative(here / part, n), n + 1
        here = step
    dest, n = here / parts[-1], 1
    if rel.endswith("/"):
        while os.path.lexists(dest) and not dest.is_dir():
            dest, n = _alternative(here / parts[-1], n), n + 1
        dest.mkdir(parents=True, exist_ok=True)
        return dest.relative_to(target_root).as_posix() + "/"
    while os.path.lexists(dest):
        if _same(src, dest):
            return None
        dest, n = _alternative(here / parts[-1], n), n + 1
    dest.parent.mkdir(parents=True, exist_ok=True)
    if move:
        src.rename(dest)
    elif src.is_symlink():
        os.symlink(os.readlink(src), dest)
    else:
        try:
            os.link(src, dest)
        except OSError:
            shutil.copy2(src, dest)
    return dest.relative_to(target_root).as_posix()


def carry(final: Path, staging: Path, found: list[str]) -> tuple[dict[str, str], list[str]]:
    """Bring the files `run` did not write into the new folder, unchanged; returns (old → new
    path, one log line each)."""
    kept, lines = {}, []
    for rel in found:
        new = _place(final / rel.rstrip("/"), staging, rel, move=False)
        kept[rel] = new or rel
        if new is None:
            lines.append(f"保留：{rel}（不是本程序写入的文件，与新输出完全相同）")
        elif new == rel:
            lines.append(f"保留：{rel}（不是本程序写入的文件，已原样保留）")
        else:
            lines.append(f"保留：{rel} → {new}（不是本程序写入的文件，与新输出同名，改名保留）")
    return kept, lines


def discard(previous: Path, final: Path) -> None:
    """Remove the replaced folder: only files its marker lists, and files with an identical copy
    in the new folder; anything else (never expected) is moved into the new folder, not lost."""
    from dangyuan_cli.registers.workspace import OUTPUT_MARKER

    listed = set((read_marker(previous) or {}).get("files", [])) | {OUTPUT_MARKER}
    kept = (read_marker(final) or {}).get("kept", {})
    for here, dirs, files in os.walk(previous, topdown=False):
        base = Path(here)
        for name in files + [d for d in dirs if (base / d).is_symlink()]:
            path = base / name
            rel = path.relative_to(previous).as_posix()
            try:
                copy = final / kept.get(rel, rel)
                if rel in listed or (os.path.lexists(copy) and _same(path, copy)):
                    path.unlink()
                else:
                    _place(path, final, rel, move=True)
            except OSError:
                continue  # left for the next run's recovery
        for name in dirs:
            with contextlib.suppress(OSError):
                (base / name).rmdir()
    with contextlib.suppress(OSError):
        previous.rmdir()


def recover(final: Path) -> None:
    """A run killed or stopped between the two renames of the swap left the old outputs aside:
    restore them; remove what a stopped run left (its staging folder, the replaced folder)."""
    previous = final.with_name(f".{final.name}{PREVIOUS}")
    if os.path.lexists(previous):
        if not os.path.lexists(final):
            previous.rename(final)
        else:
            discard(previous, final)
    shutil.rmtree(final.with_name(f".{final.name}{STAGING}"), ignore_errors=True)


class Terminated(BaseException):
    """SIGTERM, raised in the main process so cleanup runs (see `on_stop_signal`)."""


_STOP: dict = {"signal": None, "deferred": 0}  # the stop signal received; inside how many deferred_stop blocks


def on_stop_signal(signum: int, frame: object = None) -> None:
    """The handler `run` installs for SIGINT and SIGTERM: raise (so the staging folder is removed
    on the way out), except inside a deferred_stop block, which raises at its end — a raise between
    forking a worker and recording it would leave that worker running, holding the lock."""
    _STOP["signal"] = signum
    if not _STOP["deferred"]:
        _raise_stop()


def reset_stop() -> None:
    _STOP.update(signal=None, deferred=0)


def _raise_stop() -> None:
    import signal

    signum = _STOP["signal"]
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    if signum is not None:
        raise Terminated()


@contextlib.contextmanager
def deferred_stop():
    _STOP["deferred"] += 1
    try:
        yield
    finally:
        _STOP["deferred"] -= 1
    if not _STOP["deferred"]:
        _raise_stop()


@contextlib.contextmanager
def signals_held():
    """Block SIGINT and SIGTERM (default handlers included) until the block ends."""
    import signal

    wanted = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    except (AttributeError, ValueError, OSError):
        yield None
        return
    try:
        yield wanted
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _take_pending(wanted: set | None) -> int | None:
    """The stop signal that arrived while held (consumed, so it does not fire later), if any."""
    import signal

    found = None
    while wanted and hasattr(signal, "sigtimedwait"):
        info = signal.sigtimedwait(wanted, 0)
        if info is None:
            break
        found = found or info.si_signo
    return found


def swap(staging: Path, final: Path) -> None:
    """Replace the output folder; a stop arriving before it keeps the old one, after it the new."""
    previous = final.with_name(f".{final.name}{PREVIOUS}")
    with deferred_stop(), signals_held() as held:
        pending = _take_pending(held)
        if pending is not None:
            _STOP["signal"] = _STOP["signal"] or pending
        if _STOP["signal"] is not None:
            return  # stopped before the swap: raised as the block ends, the old outputs stay
        if os.path.lexists(final):
            final.rename(previous)
        staging.rename(final)
        if os.path.lexists(previous):
            discard(previous, final)
        _take_pending(held)  # too late to matter: the run is complete
        _STOP["signal"] = None

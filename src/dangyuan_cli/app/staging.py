"""The output folder `run` owns (SPEC §12): it replaces only a folder it created and marked,
never deletes or renames a file it did not write, and is never left half-swapped.

- The marker `.dangyuan-output.json` lists the files a run wrote (no timestamps: outputs stay
  byte-reproducible). Only those are ever removed; any other file found in the old folder is
  carried into the new one unchanged (a hard link, else a copy), renamed `…（原有）` when a new
  output has its name and different bytes.
- The swap is two renames; a stop (Ctrl-C, SIGTERM) is held off while they run, and a run
  killed between them is repaired by the next run's `recover`.
- `staged` gives a run its hidden staging folder (removed on any failure); `complete` writes the
  summary and the log into it, carries the others' files over, marks it and swaps it in.
"""

from __future__ import annotations

import contextlib
import filecmp
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dangyuan_cli.app.interrupts import deferred_stop, forget_stop, signals_held, stop_pending
from dangyuan_cli.app.summary import write_summary
from dangyuan_cli.core.problems import Problem
from dangyuan_cli.publish import files as publish_files  # called through the module: tests stub write_atomic
from dangyuan_cli.registers.workspace import ARCHIVE_DIR, OUTPUT_DIR, OUTPUT_MARKER, workbook_paths

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
    marker: dict = {"format": 1, "period": period_code, "files": files}
    if kept:
        marker["kept"] = kept
    data = json.dumps(marker, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    publish_files.write_atomic(staging / OUTPUT_MARKER, data.encode("utf-8"))


def record_outputs(folder: Path, paths: list[Path]) -> None:
    """A command (`stars`, `board` …) wrote these files into an output folder: list them in its
    marker as tool-written, so a later `run` replaces them instead of keeping them as another's
    files (`…（原有）`). A folder without a marker gets one listing only these files."""
    folder = Path(folder)
    mine = [p.resolve().relative_to(folder.resolve()).as_posix() for p in paths]
    if not mine:
        return
    marker = read_marker(folder) or {"format": 1, "period": folder.name, "files": []}
    marker["files"] = sorted(set(marker["files"]) | set(mine))
    data = json.dumps(marker, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    publish_files.write_atomic(folder / OUTPUT_MARKER, data.encode("utf-8"))


def others(folder: Path) -> list[str]:
    """Relative paths of the files (and empty folders, ending in /) in an output folder that its
    marker does not list: `run` did not write them, so they are never deleted."""
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


def swap(staging: Path, final: Path) -> None:
    """Replace the output folder; a stop arriving before it keeps the old one, after it the new."""
    previous = final.with_name(f".{final.name}{PREVIOUS}")
    with deferred_stop(), signals_held() as held:
        if stop_pending(held):
            return  # stopped before the swap: raised as the block ends, the old outputs stay
        if os.path.lexists(final):
            final.rename(previous)
        staging.rename(final)
        if os.path.lexists(previous):
            discard(previous, final)
        forget_stop(held)  # too late to matter: the run is complete


@dataclass
class BranchOutcome:
    branch: str
    status: str  # 完成 | 跳过
    files: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    reason: str = ""  # why a skipped branch was skipped: its first error (SPEC §2)


@dataclass
class RunResult:
    period_code: str
    period_label: str
    folder: Path
    outcomes: list[BranchOutcome]
    problems: list[Problem]
    shared_files: list[str]
    kept: list[str] = field(default_factory=list)  # files run did not write, carried over (run.log)

    @property
    def exit_code(self) -> int:
        return 1 if any(p.severity == "error" for p in self.problems) else 0


@contextlib.contextmanager
def staged(final: Path, explicit: bool) -> Iterator[Path]:
    """The hidden staging folder beside `final` (a stopped run's leftovers recovered first).
    Whatever stops the block removes it; an OSError becomes an OutputError naming the path."""
    staging = final.with_name(f".{final.name}{STAGING}")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        recover(final)
        staging.mkdir()
    except OSError as exc:
        raise OutputError(publish_files.describe_os_error(exc, final), 2 if explicit else 1) from None
    try:
        yield staging
    except OSError as exc:
        _cleanup(final)
        ours = exc.filename is None or Path(os.fsdecode(exc.filename)).resolve().is_relative_to(final.parent.resolve())
        raise OutputError(
            publish_files.describe_os_error(exc, final, "写入" if ours else "读写") + "；原有输出未改动", 1
        ) from None
    except BaseException:
        _cleanup(final)
        raise


def _cleanup(final: Path) -> None:
    with contextlib.suppress(OSError):
        recover(final)


def complete(result: RunResult, staging: Path, final: Path) -> None:
    """Write summary.json and run.log, carry over the files run did not write (said in the log),
    write the marker and swap the staging folder in."""
    write_summary(result, staging)
    written = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if not p.is_dir())
    found = others(final)
    kept, result.kept = carry(final, staging, found) if found else ({}, [])
    if kept:  # said in the log; the marker remembers where each went, for removing the old folder
        log = staging / "run.log"
        log.write_bytes(log.read_bytes() + ("\n".join(result.kept) + "\n").encode("utf-8"))
    write_marker(staging, result.period_code, written, kept)
    swap(staging, final)

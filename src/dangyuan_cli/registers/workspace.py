"""Workspace discovery: walk a folder, read every workbook, recognise its registers.

Reading uses python-calamine (Rust; .xlsx/.xlsm/.xls, cached formula values), an order of
magnitude faster than openpyxl; openpyxl stays for writing styled files.
"""

from __future__ import annotations

import gc
import io
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from python_calamine import CalamineWorkbook

from dangyuan_cli.core.problems import Problem, error, warning
from dangyuan_cli.core.rules.model import LimitsRules
from dangyuan_cli.registers.branches import branch_key
from dangyuan_cli.registers.limits import over, refusals, too_big
from dangyuan_cli.registers.members import Names, Roster
from dangyuan_cli.registers.ownership import assign_branches, register_branches
from dangyuan_cli.registers.recognize import Table, read_tables
from dangyuan_cli.registers.validate import VALIDATE_STAGES, validate_stages

EXTENSIONS = (".xlsx", ".xlsm", ".xls")
OUTPUT_DIR = "输出"
OUTPUT_MARKER = ".dangyuan-output.json"  # `run` marks the output folders it owns (SPEC §12)
ARCHIVE_DIR = ".dangyuan"
SKIPPED_DIRS = {OUTPUT_DIR, ARCHIVE_DIR, "templates", "__pycache__"}


@dataclass
class Workspace:
    root: Path
    tables: list[Table] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    roster: Roster = field(default_factory=Roster)
    names: Names = field(default_factory=Names)  # who each row names (validate_tables)

    def tables_of(self, key: str) -> list[Table]:
        return [t for t in self.tables if t.register.key == key]

    @property
    def branches(self) -> list[str]:
        """Branches that have a roster (a branch is known by its members)."""
        return sorted(self.roster.by_branch)

    def row_counts(self) -> list[tuple[RowsKey, int]]:
        """Rows per (file, sheet, register title, branch), in the order of the tables: what
        `check` lists as the registers it recognised."""
        rows: dict[RowsKey, int] = {}
        for t in self.tables:
            if "党支部" not in t.columns:  # every row is the table's branch: counted at once
                key = (t.file, t.sheet, t.register.title, t.branch)
                rows[key] = rows.get(key, 0) + len(t.rows)
                continue
            if not t.rows:
                key = (t.file, t.sheet, t.register.title, t.branch)
                rows[key] = rows.get(key, 0)
            for r in t.rows:
                key = (t.file, t.sheet, t.register.title, t.branch_of(r))
                rows[key] = rows.get(key, 0) + 1
        return list(rows.items())


RowsKey = tuple[str, str, str, str]  # (file, sheet, register title, branch)


def workbook_paths(root: Path, skip: Path | None = None) -> list[Path]:
    """Every register workbook below `root`, in a stable order; lock files and outputs skipped
    (the default output tree, and any folder `run` marked as its output, wherever it is)."""
    found: list[Path] = []
    skip_resolved = skip.resolve() if skip else None
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIPPED_DIRS
            and not d.startswith(".")
            and not os.path.isfile(os.path.join(folder, d, OUTPUT_MARKER))
            and (skip_resolved is None or (Path(folder) / d).resolve() != skip_resolved)
        )
        for name in sorted(files):
            if name.startswith(("~$", ".")) or not name.lower().endswith(EXTENSIONS):
                continue
            found.append(Path(folder) / name)
    return found


Sheets = list[tuple[str, list[list[object]]]]
# calamine panics (a BaseException) on some cell values, e.g. a date of −1e308; these must still stop us
_FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit)


def display_name(name: str) -> str:
    """A file name as shown in messages and written files: bytes that are not UTF-8 (kept by
    Python as lone surrogates, which no file or terminal accepts) shown as `\\xff`."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_sheets(path: Path, limits: LimitsRules | None = None) -> tuple[Sheets, dict[str, str]]:
    """(sheet name, rows of raw values) for every sheet, and the sheets refused unread → why
    ("" = the whole file); raises on an unreadable file."""
    limits = limits or LimitsRules()
    refused = refusals(path, path.stat().st_size, limits)
    if "" in refused:
        return [], refused
    try:
        workbook = CalamineWorkbook.from_path(os.fspath(path).encode("utf-8").decode("utf-8"))
    except UnicodeEncodeError:  # a name that is not UTF-8 cannot cross into calamine: hand it the bytes
        with open(path, "rb") as fh:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
    try:
        sheets = []
        for name in workbook.sheet_names:
            if name in refused:
                continue
            try:
                sheet = workbook.get_sheet_by_name(name)
                rows, cols = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.height else (0, 0)
                if over(rows, cols, limits):
                    refused[name] = too_big(rows, cols, limits)  # .xls, or an .xlsx the look missed
                    continue
                sheets.append((name, sheet.to_python(skip_empty_area=False)))
            except _FATAL:
                raise
            except BaseException as exc:  # one bad sheet is a problem, not a crash
                refused[name] = f"无法读取此工作表（有无法识别的单元格值，如超出范围的日期）：{exc}"
        return sheets, refused
    finally:
        workbook.close()


def unreadable_reason(path: Path, exc: BaseException) -> str:
    """calamine's English (`invalid Zip archive: Could not find EOCD`) as what the clerk can do."""
    text = str(exc)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        head = b""
    if not head:
        return "文件是空的（0字节），可能没有保存完整；请重新复制或从Excel另存"
    if head.startswith(b"\xd0\xcf\x11\xe0") and path.suffix.lower() != ".xls":
        return "文件设有打开密码（已加密），或是旧版 .xls 改了扩展名；请在Excel中取消密码后另存为 .xlsx"
    if head.lstrip().startswith(b"<"):
        return "这是网页（HTML/XML）格式的文件，只是扩展名像Excel；请用Excel打开后另存为 .xlsx"
    if "password" in text.lower() or "encrypt" in text.lower():
        return "文件设有打开密码（已加密）；请在Excel中取消密码后另存为 .xlsx"
    if "EOCD" in text or "Invalid OLE" in text or "not an office document" in text:
        return "文件已损坏或不完整（可能复制、下载中断），或不是Excel文件；请重新复制，或用Excel打开后另存为 .xlsx"
    if "past end of file" in text or "File not found" in text or "Zip" in text:
        return "文件内容不完整，缺少Excel工作簿的必要部分；请重新复制，或用Excel打开后另存为 .xlsx"
    return f"文件损坏、加密或不是Excel格式（{text}）"


def _branch_of(table: Table, relative: Path) -> str:
    if table.title:
        return branch_key(table.title)
    return _folder_branch(relative)


def _folder_branch(relative: Path) -> str:
    parent = relative.parent.name
    return branch_key(display_name(parent)) if parent else ""


def read_workbook(job: tuple) -> tuple[list[Table], list[Problem]]:
    """Every register in one workbook, with its problems (runs in a worker process for big workspaces)."""
    path, relative, default_branch, *rest = job
    limits = rest[0] if rest else None
    rel = display_name(relative.as_posix())
    try:
        sheets, refused = read_sheets(path, limits)
    except _FATAL:
        raise
    except BaseException as exc:  # a corrupt or encrypted file: one problem, not a crash
        return [], [error(rel, "", "", f"无法读取此文件：{unreadable_reason(path, exc)}")]
    if "" in refused:
        return [], [error(rel, "", "", refused[""], _folder_branch(relative))]
    if not refused and (not sheets or not any(any(str(c).strip() for r in rows for c in r) for _, rows in sheets)):
        return [], [error(rel, "", "", "工作簿是空的，没有任何内容")]
    found: list[Table] = []
    found_problems: list[Problem] = []
    for sheet_name, rows in sheets:
        tables, problems = read_tables(rows, rel, sheet_name)
        for table in tables:
            table.branch = _branch_of(table, relative) or default_branch
        sheet_branch = tables[0].branch if tables else ""
        found.extend(tables)
        found_problems.extend(p if p.branch else replace(p, branch=sheet_branch) for p in problems)
    # a refused sheet belongs to the file's branch: the one its other registers name, else its folder's
    file_branch = found[0].branch if found else _folder_branch(relative)
    found_problems.extend(error(rel, sheet, "", why, file_branch) for sheet, why in refused.items())
    return found, found_problems


def _skip_reason(path: Path) -> str | None:
    """Why a listed file cannot be read as a workbook: a FIFO would block `open` forever."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "文件不存在（可能是失效的链接），已跳过"
    except OSError as exc:
        return f"无法访问此文件（{exc.strerror}），已跳过"
    if not stat.S_ISREG(mode):
        return "不是普通文件（如命名管道或设备），已跳过；请把它移出工作目录"
    return None


SET_ASIDE = 50_000  # objects made while paused: a county's read (c50: 160,000), not a test's


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while registers are read: reading makes hundreds of thousands
    of rows, dicts and values that all live on, and the collector walking them again and again
    took a tenth of the reading (c50: 0.65 s → 0.60 s; prepare 0.97 → 0.84 s). Nothing read
    forms cycles beyond a bad cell's kept exception.

    What a county-sized pause made is then set aside (`gc.freeze`) instead of being walked by
    every later full collection while the results are computed, written or printed (c50: `check`
    1.8 → 1.6 s CPU). A later pause (the next part in a batch worker) first puts it back and
    collects, so what has become garbage since is still freed."""
    was = gc.isenabled()
    if was and gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if gc.get_count()[0] > SET_ASIDE:
                # set aside whole, unwalked: the little garbage a read makes (c50 and 500 branches
                # alike: 134 objects; walking all it made to find them took 0.24 s at 500) waits
                # for the next pause
                gc.freeze()
            gc.enable()


def load_workspace(
    root: Path,
    skip: Path | None = None,
    files: list[Path] | None = None,
    partial: bool = False,
    limits: LimitsRules | None = None,
) -> Workspace:
    """Read and recognise every register below `root`; every problem collected, none fatal."""
    with paused_gc():
        return _load_workspace(root, skip, files, partial, limits)


def _load_workspace(
    root: Path, skip: Path | None, files: list[Path] | None, partial: bool, limits: LimitsRules | None
) -> Workspace:
    root = Path(root)
    if not root.is_dir():
        ws = Workspace(root)
        ws.problems.append(error(str(root), "", "", "工作目录不存在"))
        return ws
    default_branch = branch_key(display_name(root.resolve().name))
    paths = workbook_paths(root, skip) if files is None else files
    ws, _ = read_and_validate(root, paths, partial, limits)
    ws.problems = branches_assigned(ws, default_branch)
    return ws


def branches_assigned(ws: Workspace, default_branch: str) -> list[Problem]:
    """`ws.problems` with each error of no branch given the branches it stops (ownership)."""
    if any(p.severity == "error" and p.branch not in ws.roster.by_branch for p in ws.problems):
        return assign_branches(ws.problems, register_branches(ws.tables, default_branch), default_branch)
    return ws.problems


# the stages of reading, in the order their problems are listed: files not read, each file's own
# problems, the rosters' shared names and numbers, every row's checks, the ballot counts
LOAD_STAGES = ("skip", "read", *VALIDATE_STAGES)


def read_and_validate(
    root: Path, paths: list[Path], partial: bool, limits: LimitsRules | None
) -> tuple[Workspace, dict[str, list[Problem]]]:
    """Read and check `paths` (`ws.problems` = every stage's problems, before the branches of
    errors of no branch are assigned), and the problems of each stage apart (a parallel `check`
    merges each stage across its parts)."""
    ws = Workspace(root)
    default_branch = branch_key(display_name(root.resolve().name))
    stages: dict[str, list[Problem]] = {"skip": [], "read": []}
    jobs = []
    for path in paths:
        relative = path.relative_to(root)
        reason = _skip_reason(path)
        if reason:
            stages["skip"].append(warning(display_name(relative.as_posix()), "", "", reason))
        else:
            jobs.append((path, relative, default_branch, limits))
    ws.files = [display_name(job[1].as_posix()) for job in jobs]
    for tables, problems in map(read_workbook, jobs):  # a process pool was measured: pickling ate the gain
        ws.tables.extend(tables)
        stages["read"].extend(problems)
    ws.roster, ws.names, checked = validate_stages(ws.tables, partial)
    stages.update(checked)
    ws.problems = [p for stage in LOAD_STAGES for p in stages[stage]]
    return ws, stages

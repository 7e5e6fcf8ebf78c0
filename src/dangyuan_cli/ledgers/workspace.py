"""Workspace discovery: walk a folder, read every workbook, recognise its registers.

Reading uses python-calamine (Rust; .xlsx/.xlsm/.xls, cached formula values), an order of
magnitude faster than openpyxl; openpyxl stays for writing styled files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from dangyuan_cli.ledgers.branches import branch_key
from dangyuan_cli.ledgers.members import Roster
from dangyuan_cli.ledgers.recognize import Table, read_tables
from dangyuan_cli.problems import Problem, error

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

    def tables_of(self, key: str) -> list[Table]:
        return [t for t in self.tables if t.register.key == key]

    @property
    def branches(self) -> list[str]:
        """Branches that have a roster (a branch is known by its members)."""
        return sorted(self.roster.by_branch)


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


def read_sheets(path: Path) -> list[tuple[str, list[list[object]]]]:
    """(sheet name, rows of raw values) for every sheet; raises on an unreadable file."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    try:
        sheets = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            sheets.append((name, rows))
        return sheets
    finally:
        workbook.close()


def _branch_of(table: Table, relative: Path) -> str:
    if table.title:
        return branch_key(table.title)
    parent = relative.parent.name
    return branch_key(parent) if parent else ""


def read_workbook(job: tuple[Path, Path, str]) -> tuple[list[Table], list[Problem]]:
    """Every register in one workbook, with its problems (runs in a worker process for big workspaces)."""
    path, relative, default_branch = job
    rel = relative.as_posix()
    try:
        sheets = read_sheets(path)
    except Exception as exc:  # a corrupt or encrypted file is one problem, not a crash
        return [], [error(rel, "", "", f"无法读取此文件（文件损坏、加密或不是Excel格式）：{exc}")]
    if not sheets or not any(any(str(c).strip() for r in rows for c in r) for _, rows in sheets):
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
    return found, found_problems


def load_workspace(
    root: Path, skip: Path | None = None, files: list[Path] | None = None, partial: bool = False
) -> Workspace:
    """Read and recognise every register below `root`; every problem collected, none fatal."""
    from dangyuan_cli.ledgers.validate import validate_tables

    root = Path(root)
    ws = Workspace(root)
    if not root.is_dir():
        ws.problems.append(error(str(root), "", "", "工作目录不存在"))
        return ws
    default_branch = branch_key(root.resolve().name)
    paths = workbook_paths(root, skip) if files is None else files
    jobs = [(path, path.relative_to(root), default_branch) for path in paths]
    ws.files = [relative.as_posix() for _, relative, _ in jobs]
    for tables, problems in map(read_workbook, jobs):  # a process pool was measured: pickling ate the gain
        ws.tables.extend(tables)
        ws.problems.extend(problems)
    ws.roster, problems = validate_tables(ws.tables, partial)
    ws.problems.extend(problems)
    return ws

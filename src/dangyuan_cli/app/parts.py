"""The batch's parts (SPEC §12 `run`): which files each worker reads and which branches it owns,
and how the parts' problems come back together.

A county is split by folder: each top-level folder is a unit, and a township folder holding
village folders is split into its villages and its loose files (one unit), so that no worker
holds a whole large township. Units are packed into parts by input bytes. Files at the top
level are read by every part; their problems are reported by the first.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from dangyuan_cli.app.context import Context
from dangyuan_cli.app.staging import BranchOutcome
from dangyuan_cli.core.problems import Problem
from dangyuan_cli.registers.branches import row_branch

MAX_FOLDERS_PER_PART = 64  # measured: ~4.5 MB of frames per branch folder while a part computes


class PartJob(NamedTuple):
    """What a worker needs for one part (pickled to it)."""

    root: Path
    files: list[Path]
    owned: list[str] | None  # the units this part owns; None: the whole workspace
    split: frozenset[str]  # the folders the plan split by village
    period_text: str
    staging: Path
    strict: bool
    first: bool  # reads the top-level files' problems for the report
    accept: bool
    detail: bool = True  # keep each warning's fold key (only `run -v` folds them on the terminal)


@dataclass
class PartResult:
    outcomes: list[BranchOutcome]
    problems: list[Problem]  # in problem_order: the parts' lists are merged, not sorted again
    report_rows: list[dict]
    foreign: bool = False  # a file of this part holds rows of a branch another part owns
    keys: list[tuple] = field(default_factory=list)  # problem_order of each problem, computed here


def problem_order(p: Problem) -> tuple:
    """File, sheet, then cell in reading order (E9 before E10), then message."""
    m = re.match(r"([A-Z]*)(\d*)", p.cell)
    letters, digits = (m.group(1), int(m.group(2) or 0)) if m else ("", 0)
    return (p.file, p.sheet, digits, len(letters), letters, p.message, p.severity)


Unit = str  # a part's share of the workspace: "城关镇" (a folder, all below it) or "城关镇/东关村"
LOOSE = "/"  # "城关镇/" is the files lying directly in a split folder (villages kept as loose files)


def unit_of(relative: tuple[str, ...], split: frozenset[str]) -> Unit | None:
    """The unit a file belongs to: None for files at the top (read by every part); below it the
    top-level folder, or — in a folder the plan split — its subfolder, or its loose files."""
    if len(relative) < 2:
        return None
    top = relative[0]
    if top not in split:
        return top
    return f"{top}/{relative[1]}" if len(relative) > 2 else top + LOOSE


def merged_problems(results: list[PartResult]) -> list[Problem]:
    """Every part's problems in problem_order: each part sorted its own (in parallel), here they
    are only merged (a county's ~150,000 warnings)."""
    streams = [zip(r.keys, r.problems, strict=True) for r in results]
    merged = [p for _, p in heapq.merge(*streams, key=lambda kp: kp[0])]  # stable, as sorted() was
    for r in results:  # held once, in the merged list (a 3,000-branch county: ~860,000 of them)
        r.keys, r.problems = [], []
    return merged


def plan_parts(
    root: Path, files: list[Path], workers: int, fine: bool = True
) -> tuple[list[tuple[list[Path], list[Unit] | None]], frozenset[str]]:
    """(files to read, units this part owns) per part, and the folders split into units. Files at
    the top level are read by every part; below it each unit belongs to one part. `fine` splits a
    top-level folder holding village folders (a township) into them and its loose files, so that
    no part holds a whole large township (memory grows with the branches a part computes)."""
    relative = {f: f.relative_to(root).parts for f in files}
    subfolders: dict[str, set[str]] = {}
    for parts in relative.values():
        if len(parts) > 2:
            subfolders.setdefault(parts[0], set()).add(parts[1])
    split = frozenset(t for t, subs in subfolders.items() if fine and len(subs) >= 2)
    units: dict[Unit, list[Path]] = {}
    shared = []
    for f, parts in relative.items():
        unit = unit_of(parts, split)
        (units.setdefault(unit, []) if unit is not None else shared).append(f)
    if workers <= 1 or len(units) < 4 * workers:
        return [(files, None)], frozenset()
    size = {u: sum(_bytes(f) for f in fs) for u, fs in units.items()}
    # enough parts to keep both cores busy to the end, none so big its frames crowd memory; the
    # largest units first, each to the lightest part so far (input bytes stand for the work)
    chunks = min(len(units), max(workers * 4, -(-len(units) // MAX_FOLDERS_PER_PART)))
    loads = [(0, i) for i in range(chunks)]
    owned: list[list[Unit]] = [[] for _ in range(chunks)]
    for unit in sorted(units, key=lambda u: (-size[u], u)):
        load, i = heapq.heappop(loads)
        owned[i].append(unit)
        heapq.heappush(loads, (load + size[unit], i))
    plan = []
    for own in owned:
        own.sort()
        plan.append((shared + [f for u in own for f in units[u]], own))
    return plan, split


def _bytes(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def owned_branches(ctx: Context, owned: list[Unit] | None, split: frozenset[str], first: bool) -> set[str]:
    """Branches whose roster lives in this part's units (top-level rosters: the first part)."""
    found = set()
    mine = set(owned or ())
    units: dict[str, Unit | None] = {}  # per file, not per member: a Path per member cost 0.05 s a part
    for m in ctx.workspace.roster.members():  # skipped branches too: this part names them
        file = m.table.file
        if file not in units:
            units[file] = unit_of(Path(file).parts, split)
        unit = units[file]
        if owned is None or (unit in mine if unit is not None else first):
            found.add(m.branch)
    return found


def foreign(ctx: Context, mine: set[str]) -> bool:
    """True when a file in this part's own units holds rows of a branch this part does not own
    (a register kept in another branch's folder): then the batch runs coarser instead."""
    for table in ctx.workspace.tables:
        if len(Path(table.file).parts) < 2 or not table.rows:
            continue
        if "党支部" not in table.columns:  # every row is the table's branch (Table.branch_of)
            if table.branch not in mine:
                return True
        elif any(row_branch(table, r) not in mine for r in table.rows):
            return True
    return False

"""`check` on both cores (issue 15): the workspace split into the batch's parts (app/parts.py),
each read and checked in a worker (app/check_part.py), the problems merged back in the order
one process finds them.

That order is the serial one stage by stage: the load (skipped files, each file's problems, the
rosters' shared names by branch, every row's checks, ballot counts), the entries, the member
registers, floating members, the 发展党员 record, contacts. A stage whose problems follow the
files is merged by file, one that follows the branches by branch; each part's own order is kept
(it is the serial order of its files and branches). What looks across parts is done here over
the whole workspace: assigning errors of no branch, the near-miss echoes, the missing-roster
and template problems, floating members (as of the latest date anywhere), the 发展党员 record,
contacts, and who else's roster holds an unknown name. Anything that cannot be merged exactly
(a file at the top, a register crossing parts, closed periods, an error assigned differently
than in its part) makes `check` run in one process instead: same problems, same order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

import pandas as pd

from dangyuan_cli.app import archive
from dangyuan_cli.app.check_part import CheckJob, PartCheck, check_part
from dangyuan_cli.app.context import _without_echoes_of_near_misses, contact_problems, floating_warnings
from dangyuan_cli.app.interrupts import ignore_stops_in_worker
from dangyuan_cli.app.parts import plan_parts
from dangyuan_cli.core.problems import Problem
from dangyuan_cli.core.rules.model import Rules
from dangyuan_cli.domain.development import development_problems
from dangyuan_cli.domain.laggards import register_problems as laggard_problems
from dangyuan_cli.publish.documents.template_check import check_templates
from dangyuan_cli.registers.branches import branch_key
from dangyuan_cli.registers.ownership import assign_branches, branches_of
from dangyuan_cli.registers.workspace import LOAD_STAGES, RowsKey, Workspace, display_name, workbook_paths

Merged = tuple[Workspace, list[Problem], list[tuple[RowsKey, int]]]


def check_in_parts(root: Path, rules: Rules, workers: int) -> Merged | None:
    """(a workspace of the files read and their own problems, no tables; every problem in the
    serial order; the row counts `check` lists) — or None: one part only, or the parts cannot be
    merged exactly."""
    files = workbook_paths(root)
    if any(len(f.relative_to(root).parts) < 2 for f in files):
        return None  # read by every part: their rows' problems would come from several parts
    if archive.closed_periods(root):
        return None  # changes_since_close compares every entry with the archive
    for fine in (True, False):  # as the batch: townships split into villages, else whole folders
        plan, split = plan_parts(root, files, workers, fine)
        if len(plan) == 1:
            return None
        if fine and not split:
            continue
        place = {f: i for i, f in enumerate(files)}
        index = {display_name(f.relative_to(root).as_posix()): i for i, f in enumerate(files)}
        jobs = []
        for part, own in plan:  # each part reads its files in the workspace's order, as one process does
            mine = sorted(part, key=place.__getitem__)
            jobs.append(CheckJob(root, mine, own or [], split, rules, {k: index[k] for k in map(_name(root), mine)}))
        results, templates = _run(jobs, workers, root)
        if not any(r.foreign for r in results):
            return _merged(root, rules, files, results, templates)
    return None


def _name(root: Path) -> Callable[[Path], str]:
    return lambda f: display_name(f.relative_to(root).as_posix())


def _run(jobs: list[CheckJob], workers: int, root: Path) -> tuple[list[PartCheck], list[Problem]]:
    """The parts' results in plan order, and the templates' problems (checked here meanwhile);
    as soon as one part finds a register crossing parts, only that part's result (the others
    would be read for nothing)."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=ignore_stops_in_worker)
    try:
        futures = {pool.submit(check_part, job): i for i, job in enumerate(jobs)}
        templates = check_templates(root)
        results: dict[int, PartCheck] = {}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            if results[futures[future]].foreign:
                _end(pool)
                return [results[futures[future]]], templates
    except BaseException:
        _end(pool)
        raise
    pool.shutdown(wait=True)
    return [results[i] for i in range(len(jobs))], templates


def _end(pool: ProcessPoolExecutor) -> None:
    """No part started after this; the running ones (a second each) finish: a worker killed
    while it holds the pool's queue can hang the pool's shutdown."""
    pool.shutdown(wait=True, cancel_futures=True)


class _Unmergeable(Exception):
    """The parts' problems cannot be put in the serial order: check in one process."""


def _order(results: list[PartCheck], stage: str) -> list[tuple[int, int, int]]:
    """(part, start, end): the slices of the parts' problems of `stage` in the serial order. Each
    part's problems follow the stage's key already (the serial order of its files or branches),
    unless only one part has any: its order is then the serial one."""
    busy = [i for i, r in enumerate(results) if r.stages[stage]]
    if len(busy) == 1:
        return [(busy[0], 0, len(results[busy[0]].stages[stage]))]
    runs = []
    for i in busy:
        start = 0
        for j, (key, count) in enumerate(results[i].runs[stage]):
            if j and key < runs[-1][0]:
                raise _Unmergeable
            runs.append((key, i, start, start + count))
            start += count
    runs.sort()  # a file, a branch is one part's: equal keys only within a part, kept in its order
    return [(i, start, end) for _, i, start, end in runs]


def _stage(results: list[PartCheck], stage: str) -> list[Problem]:
    return [Problem(*w) for i, start, end in _order(results, stage) for w in results[i].stages[stage][start:end]]


def _merged(
    root: Path, rules: Rules, files: list[Path], results: list[PartCheck], templates: list[Problem]
) -> Merged | None:
    try:
        return _merge_parts(root, rules, files, results, templates)
    except _Unmergeable:
        return None


def _merge_parts(
    root: Path, rules: Rules, files: list[Path], results: list[PartCheck], templates: list[Problem]
) -> Merged:
    if any(r.unsure for r in results):
        raise _Unmergeable
    rostered = set().union(*(r.branches for r in results))
    if sum(len(r.branches) for r in results) != len(rostered):
        raise _Unmergeable  # a branch's roster in two parts: each saw half of it
    # the load: each problem before assignment, its branch as its part assigned it, its part
    problems, assigned, parts = [], [], []
    for stage in LOAD_STAGES:
        for i, start, end in _order(results, stage):
            problems += [Problem(*w) for w in results[i].stages[stage][start:end]]
            assigned += results[i].assigned[stage][start:end]
            parts += [i] * (end - start)
    default = branch_key(display_name(root.resolve().name))
    if any(p.severity == "error" and p.branch not in rostered for p in problems):
        problems = assign_branches(problems, _register_branches(results, default), default)
    if [p.branch for p in problems] != assigned:
        raise _Unmergeable  # the part alone assigned an error otherwise: its later checks differ
    problems = _named_elsewhere(problems, parts, results)
    loaded = list(problems)  # the workspace's own, as load_workspace leaves them
    problems, near = _without_echoes_of_near_misses(problems)
    if not any(r.has_roster for r in results) and not near:
        raise _Unmergeable  # 没有找到党员名册: said by the serial check (no county is like this)
    problems += templates
    problems += _stage(results, "resolve") + _stage(results, "misfit")
    broken = {p.branch for p in problems if p.severity == "error"}
    for r in results:  # the redemptions were checked against the errors this part had found
        if "" in broken:
            r.stages["redemption"], r.runs["redemption"] = [], []
        elif "" in r.broken or r.broken & r.branches != broken & r.branches:
            raise _Unmergeable
    index = {display_name(f.relative_to(root).as_posix()): i for i, f in enumerate(files)}
    for stage in ("evaluation", "redemption"):
        problems += _stage(results, stage)
    problems += _laggards(results, rules, index)
    problems += _floating(results, rules)
    problems += _development(results, rules, index)
    problems += contact_problems(rules, sorted(rostered))
    skipped = {w[0] for r in results for w in r.stages["skip"]}
    ws = Workspace(root, problems=loaded, files=[f for f in index if f not in skipped])
    return ws, problems, _row_counts(results, index)


def _register_branches(results: list[PartCheck], default: str) -> dict[str, set[str]]:
    """registers.ownership.register_branches over every part's tables: their pieces united."""
    found: dict[str, set[str]] = {}
    written: dict[str, set[str]] = {}
    rostered: set[str] = set()
    for r in results:
        for mine, theirs in ((found, r.found), (written, r.written)):
            for name, files in theirs.items():
                mine.setdefault(name, set()).update(files)
        rostered |= r.rostered
    return branches_of(found, written, rostered, default)


_UNKNOWN = re.compile(r"“(.+?)”不在(.+?)的党员名册中")


def _named_elsewhere(problems: list[Problem], parts: list[int], results: list[PartCheck]) -> list[Problem]:
    """A name not in its branch's roster says which rosters hold it (registers.members): over the
    whole workspace, not the part."""
    everywhere: dict[str, set[str]] = {}
    for r in results:
        for name, branches in r.names.items():
            everywhere.setdefault(name, set()).update(branches)
    fixed = []
    for p, i in zip(problems, parts, strict=True):
        m = _UNKNOWN.search(p.message)
        if m:
            name, branch = m.groups()
            here = sorted(b for b in results[i].names.get(name, ()) if b != branch)
            there = sorted(b for b in everywhere.get(name, ()) if b != branch)
            if here != there:
                said = f"；{'、'.join(here)}的名册中有此人" if here else ""
                if not p.message.endswith(said):
                    raise _Unmergeable
                text = p.message[: len(p.message) - len(said)] + f"；{'、'.join(there)}的名册中有此人"
                p = replace(p, message=text)
        fixed.append(p)
    return fixed


def _floating(results: list[PartCheck], rules: Rules) -> list[Problem]:
    """context.floating_problems over every part's members away, as of the latest date anywhere:
    a part whose own latest date is earlier is done again here."""
    latest = [r.latest for r in results if r.latest is not None]
    if not latest:
        return []
    as_of = max(latest)
    for r in results:
        if r.latest != as_of and r.away is not None and not r.away.empty:
            found = floating_warnings(r.away, r.contacts, rules, as_of)
            r.stages["floating"] = [(p.file, p.sheet, p.cell, p.message, p.severity, p.branch, p.fold) for p in found]
            r.runs["floating"] = [(p.branch, 1) for p in found]
    return _stage(results, "floating")


def _laggards(results: list[PartCheck], rules: Rules, index: dict[str, int]) -> list[Problem]:
    """The 后进党员转化 register's problems over every part: its 帮扶责任人 may hold office in
    any branch (looked up by name over the whole roster)."""
    registers = [r.laggards for r in results if r.laggards is not None and not r.laggards.empty]
    if not registers:
        return []
    register = _in_file_order(registers, index)
    people = sorted({row for r in results for row in r.officers})
    members = pd.DataFrame(people, columns=["name", "office", "moved_out"])
    return laggard_problems(register, members, rules)


def _in_file_order(frames: list[pd.DataFrame], index: dict[str, int]) -> pd.DataFrame:
    """The parts' rows as one frame in the workspace's reading order (each file is one part's)."""
    frame = pd.concat(frames, ignore_index=True)
    if frame["file"].map(index).isna().any():
        raise _Unmergeable
    return frame.iloc[frame["file"].map(index).argsort(kind="stable")].reset_index(drop=True)


def _development(results: list[PartCheck], rules: Rules, index: dict[str, int]) -> list[Problem]:
    """The 发展党员 record over every part (as of its latest date anywhere), in file order."""
    people = [r.people for r in results if r.people is not None and not r.people.empty]
    if not people:
        return []
    frame = _in_file_order(people, index)
    rows = [r.people_members for r in results if r.people_members is not None and not r.people_members.empty]
    members = (
        pd.concat(rows, ignore_index=True).sort_values("branch", kind="stable") if rows else results[0].people_members
    )
    return development_problems(frame, members, rules)


def _row_counts(results: list[PartCheck], index: dict[str, int]) -> list[tuple[RowsKey, int]]:
    """Workspace.row_counts over every part: in file order (each file is one part's), each
    part's own order within a file."""
    counts = sorted(
        ((index.get(key[0], -1), i, j), key, n) for i, r in enumerate(results) for j, (key, n) in enumerate(r.counts)
    )
    return [(key, n) for _, key, n in counts]

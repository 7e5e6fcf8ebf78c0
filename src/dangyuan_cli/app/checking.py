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

import heapq
import itertools
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pandas as pd

from dangyuan_cli.app import archive
from dangyuan_cli.app.check_part import LOAD_STAGES, CheckJob, PartCheck, check_part
from dangyuan_cli.app.interrupts import ignore_stops_in_worker
from dangyuan_cli.app.parts import plan_parts
from dangyuan_cli.core.problems import Problem, warning
from dangyuan_cli.core.rules.model import Rules
from dangyuan_cli.domain.classify import floating_status
from dangyuan_cli.domain.development import development_problems
from dangyuan_cli.publish.documents.template_check import check_templates
from dangyuan_cli.registers.branches import branch_key
from dangyuan_cli.registers.ownership import assign_branches
from dangyuan_cli.registers.recognize import Table
from dangyuan_cli.registers.schema import REGISTERS
from dangyuan_cli.registers.workspace import Workspace, display_name, workbook_paths

Merged = tuple[Workspace, list[Problem]]


def check_in_parts(root: Path, rules: Rules, workers: int) -> Merged | None:
    """(a workspace holding only what `check` prints of its tables, every problem in the serial
    order) — or None: one part only, or the parts cannot be merged exactly."""
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
        jobs = [CheckJob(root, f, own or [], split, rules) for f, own in plan]
        results, templates = _run(jobs, workers, root)
        if not any(r.foreign for r in results):
            return _merged(root, rules, files, results, templates)
    return None


def _run(jobs: list[CheckJob], workers: int, root: Path) -> tuple[list[PartCheck], list[Problem]]:
    """The parts' results in plan order, and the templates' problems (checked here meanwhile)."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=ignore_stops_in_worker)
    try:
        futures = [pool.submit(check_part, job) for job in jobs]
        templates = check_templates(root)
        results = [f.result() for f in futures]
    except BaseException:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results, templates


class _Unmergeable(Exception):
    """The parts' problems cannot be put in the serial order: check in one process."""


def _merge(streams: list[list], key: Callable) -> list:
    """The parts' lists merged by `key`; each part's list must already follow it (it is the
    serial order of the part's files or branches), unless only one part has any."""
    streams = [s for s in streams if s]
    if len(streams) > 1:
        for s in streams:
            keys = [key(x) for x in s]
            if any(b < a for a, b in itertools.pairwise(keys)):
                raise _Unmergeable
    return list(heapq.merge(*streams, key=key))  # stable: equal keys keep the parts' order


def _merged(root: Path, rules: Rules, files: list[Path], results: list[PartCheck], templates: list[Problem]):
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
    index = {display_name(f.relative_to(root).as_posix()): i for i, f in enumerate(files)}

    def at(file: str) -> int:
        if file not in index:
            raise _Unmergeable
        return index[file]

    # the load: (problem before assignment, its branch as the part assigned it, part)
    load = []
    for stage in LOAD_STAGES:
        streams = [
            [(p, b, i) for p, b in zip(r.stages[stage], r.assigned[stage], strict=True)] for i, r in enumerate(results)
        ]
        key = (lambda x: x[0].branch) if stage == "roster" else (lambda x: at(x[0].file))
        load += _merge(streams, key)
    problems = [p for p, _, _ in load]
    default = branch_key(display_name(root.resolve().name))
    if any(p.severity == "error" and p.branch not in rostered for p in problems):
        problems = assign_branches(problems, _register_branches(results, default), default)
    if [p.branch for p in problems] != [b for _, b, _ in load]:
        raise _Unmergeable  # the part alone assigned an error otherwise: its later checks differ
    problems = _named_elsewhere(problems, [i for _, _, i in load], results)

    from dangyuan_cli.app.context import _without_echoes_of_near_misses

    problems, near = _without_echoes_of_near_misses(problems)
    if not any(r.has_roster for r in results) and not near:
        raise _Unmergeable  # 没有找到党员名册: said by the serial check (no county is like this)
    problems += templates
    for stage in ("resolve", "misfit"):
        streams = []
        for r in results:
            listed = len(r.stages["resolve"])
            sources = r.sources[:listed] if stage == "resolve" else r.sources[listed:]
            streams.append(list(zip(sources, r.stages[stage], strict=True)))
        problems += [p for _, p in _merge(streams, lambda x: (x[0], at(x[1].file)))]
    broken = {p.branch for p in problems if p.severity == "error"}
    for r in results:  # the redemptions were checked against the errors this part had found
        if "" in broken:
            r.stages["redemption"] = []
        elif "" in r.broken or r.broken & r.branches != broken & r.branches:
            raise _Unmergeable
    problems += _merge([r.stages["evaluation"] for r in results], lambda p: at(p.file))
    problems += _merge([r.stages["redemption"] for r in results], lambda p: p.branch + "-")  # by member_id
    problems += _merge([r.stages["laggard"] for r in results], lambda p: at(p.file))
    problems += _floating(results, rules)
    problems += _development(results, rules, index)
    from dangyuan_cli.app.context import contact_problems

    problems += contact_problems(rules, sorted(rostered))
    ws = Workspace(root, tables=_count_tables(results, at), files=[display_name(k) for k in index])
    return ws, problems


def _register_branches(results: list[PartCheck], default: str) -> dict[str, set[str]]:
    """registers.ownership.register_branches over every part's tables."""
    found: dict[str, set[str]] = {}
    written: dict[str, set[str]] = {}
    rostered: set[str] = set()
    for r in results:
        for mine, theirs in ((found, r.found), (written, r.written)):
            for name, files in theirs.items():
                mine.setdefault(name, set()).update(files)
        rostered |= r.rostered
    for name, files in written.items():
        if name in rostered or name in found:
            found.setdefault(name, set()).update(files)
    found.pop("", None)
    if default not in rostered:
        found.pop(default, None)
    return found


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
    """context.floating_problems over every part's members away, as of the latest date anywhere."""
    latest = [r.latest for r in results if r.latest is not None]
    away = [r.away for r in results if r.away is not None and not r.away.empty]
    if not latest or not away:
        return []
    as_of = max(latest)
    members = pd.concat(away, ignore_index=True).sort_values("branch", kind="stable")  # as roster.members()
    contacts = [r.contacts for r in results if r.contacts is not None and not r.contacts.empty]
    contacts_frame = pd.concat(contacts, ignore_index=True) if contacts else results[0].contacts
    found = floating_status(members, contacts_frame, rules, as_of)
    return [
        warning(r.file, r.sheet, f"A{r.row}", f"流动党员{r.name}（截至{as_of:%Y-%m-%d}）：{r.reason}", r.branch)
        for r in found.itertuples(index=False)
    ]


def _development(results: list[PartCheck], rules: Rules, index: dict[str, int]) -> list[Problem]:
    """The 发展党员 record over every part (as of its latest date anywhere), in file order."""
    people = [r.people for r in results if r.people is not None and not r.people.empty]
    if not people:
        return []
    frame = pd.concat(people, ignore_index=True)
    frame = frame.iloc[frame["file"].map(index).argsort(kind="stable")].reset_index(drop=True)
    rows = [r.people_members for r in results if r.people_members is not None and not r.people_members.empty]
    members = (
        pd.concat(rows, ignore_index=True).sort_values("branch", kind="stable") if rows else results[0].people_members
    )
    return development_problems(frame, members, rules)


_REGISTERS = {(r.key, r.title): r for r in REGISTERS}


def _count_tables(results: list[PartCheck], at: Callable) -> list[Table]:
    """One table per (file, sheet, register, branch) with as many (empty) rows as `check` counts:
    what cli/check_cmd prints of the tables, without their cells."""
    streams = [r.counts for r in results]
    tables = []
    for (file, sheet, title, branch), n, kind in _merge(streams, lambda c: at(c[0][0])):
        register = _REGISTERS.get((kind, title))
        if register is None:
            raise _Unmergeable
        tables.append(Table(register, file, sheet, 0, "", [None] * n, {}, branch))  # type: ignore[list-item]
    return tables

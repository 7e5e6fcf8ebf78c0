"""One part of a parallel `check` (issue 15): what a worker reads and checks of its folders, and
the small things it sends back — each stage's problems apart (the main process merges them in
the serial order), row counts for the table `check` prints, and the few rows the checks across
the whole workspace need (floating members, the 发展党员 record). No tables cross back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from dangyuan_cli.app import member_registers as mr
from dangyuan_cli.app.context import floating_warnings
from dangyuan_cli.app.parts import Unit, foreign, owned_branches
from dangyuan_cli.core.problems import Problem
from dangyuan_cli.core.rules.model import Rules
from dangyuan_cli.domain.commitments import evaluation_problems
from dangyuan_cli.domain.points import resolve_entries
from dangyuan_cli.domain.resolve import MISFIT
from dangyuan_cli.domain.shop import check_redemptions
from dangyuan_cli.registers import frames, member_frames
from dangyuan_cli.registers.branches import branch_key
from dangyuan_cli.registers.ownership import branch_pieces
from dangyuan_cli.registers.workspace import (
    LOAD_STAGES,
    RowsKey,
    Workspace,
    branches_assigned,
    display_name,
    paused_gc,
    read_and_validate,
)


class CheckJob(NamedTuple):
    root: Path
    files: list[Path]
    owned: list[Unit]
    split: frozenset[str]
    rules: Rules
    index: dict[str, int]  # each file's place in the whole workspace's reading order


Wire = tuple  # a Problem's fields: ~5× cheaper to pickle and unpickle than the frozen dataclass
Key = object  # a problem's place in its stage's serial order: its file's place, or its branch


@dataclass
class PartCheck:
    foreign: bool = False
    unsure: str = ""  # why this part's problems cannot be merged exactly ("": they can)
    branches: set[str] = field(default_factory=set)  # with a roster here
    stages: dict[str, list[Wire]] = field(default_factory=dict)
    runs: dict[str, list[tuple[Key, int]]] = field(default_factory=dict)  # per stage: (key, problems) in a row
    # each load problem's branch once this part alone assigned them (load_workspace's last step)
    assigned: dict[str, list[str]] = field(default_factory=dict)
    found: dict[str, set[str]] = field(default_factory=dict)  # register_branches' pieces
    written: dict[str, set[str]] = field(default_factory=dict)
    rostered: set[str] = field(default_factory=set)
    has_roster: bool = False
    counts: list[tuple[RowsKey, int]] = field(default_factory=list)  # rows per (file, sheet, register, branch)
    names: dict[str, list[str]] = field(default_factory=dict)  # roster name → branches
    broken: set[str] = field(default_factory=set)  # branches with errors when the redemptions were checked
    away: pd.DataFrame | None = None  # members away for work, and their contacts
    contacts: pd.DataFrame | None = None
    latest: dt.date | None = None  # latest date of the contacts and entries
    people: pd.DataFrame | None = None  # the 发展党员 record, and the roster rows of its branches
    people_members: pd.DataFrame | None = None
    laggards: pd.DataFrame | None = None  # the 后进党员转化 register, and every member's (name, office, moved out)
    officers: list[tuple[str, str, bool]] = field(default_factory=list)


def check_part(job: CheckJob) -> PartCheck:
    """Read and check one part's files as `check` does the whole workspace."""
    with paused_gc():  # as in check_workspace: the rows read live on
        return _check_part(job)


def _check_part(job: CheckJob) -> PartCheck:
    root, files, owned, split, rules, index = job
    out = PartCheck()
    ws, stages = read_and_validate(root, files, True, rules.limits)
    out.branches = set(ws.roster.by_branch)
    mine = owned_branches_of(ws, owned, split)
    if foreign(_Ctx(ws), mine):
        out.foreign = True
        return out
    problems_of = dict(stages)
    out.assigned = _assign(ws, stages, root)
    assigned = [p for s in LOAD_STAGES for p in stages[s]]
    assigned = [p if p.branch == b else _with_branch(p, b) for p, b in zip(assigned, _flat(out.assigned), strict=True)]
    out.found, out.written, out.rostered = branch_pieces(ws.tables)
    out.has_roster = bool(ws.tables_of("roster"))
    out.counts = ws.row_counts()
    out.names = {}
    for branch in sorted(ws.roster.by_branch):
        for name in ws.roster.by_branch[branch]:
            out.names.setdefault(name, []).append(branch)
    members = frames.members_frame(ws)
    entries = frames.entries_frame(ws)
    more = mr.commitment_entries(ws, rules)
    if more is not None:
        entries = pd.concat([entries, more], ignore_index=True)
    ledger, problems = resolve_entries(entries, members, rules)
    problems = mr.without_own_items(problems)
    misfit = [p for p in problems if p.message.endswith(MISFIT)]
    listed = [p for p in problems if not p.message.endswith(MISFIT)]
    if problems[: len(listed)] != listed:
        out.unsure = "resolve_entries: the misfit warnings are not last"
    problems_of["resolve"], problems_of["misfit"] = listed, misfit
    sheets = _sheet_registers(ws)

    def source(p: Problem) -> int:
        """The commitments' entries come after every points row (0: a points row, 1: a commitment)."""
        if more is None:
            return 0
        kinds = sheets.get((p.file, p.sheet), set()) & {"points", "commitments"}
        if len(kinds) != 1:
            out.unsure = out.unsure or f"resolve: {p.location()} is not of one register"
        return 1 if kinds == {"commitments"} else 0

    # SPEC §10b as mr.register_problems, each kind apart: the redemptions depend on the errors found
    out.broken = {p.branch for p in assigned + problems if p.severity == "error"}
    problems_of["evaluation"] = evaluation_problems(member_frames.commitments_frame(ws), rules.commitments)
    problems_of["redemption"] = []
    if "" not in out.broken:
        redemptions = member_frames.redemptions_frame(ws, out.broken)
        if not redemptions.empty:
            problems_of["redemption"] = check_redemptions(redemptions, ledger, rules.shop)[1]
    # 后进转化: a 帮扶责任人 is looked up by name over every branch's roster (domain.laggards)
    out.laggards = member_frames.laggards_frame(ws)
    out.officers = sorted(
        {
            (n, o, bool(left))
            for n, o, left in zip(members["name"], members["office"], members["moved_out"], strict=True)
        }
    )

    def at(p: Problem) -> int:
        if p.file not in index:
            out.unsure = out.unsure or f"{p.location()}: not a file read"
            return -1
        return index[p.file]

    keys = {
        "roster": lambda p: p.branch,  # build_roster goes by branch
        "resolve": lambda p: (source(p), at(p)),
        "misfit": lambda p: (source(p), at(p)),
        "redemption": lambda p: p.branch + "-",  # check_redemptions goes by member_id: `东关村-7`
    }
    for stage, found in problems_of.items():
        out.runs[stage] = _runs([keys.get(stage, at)(p) for p in found])
        out.stages[stage] = [_wire(p) for p in found]
    contacts = frames.contacts_frame(ws)
    dates = [*contacts["date"], *entries["date"]]
    out.latest = max(dates) if dates else None
    out.away = members[members["away"]]
    out.contacts = contacts[contacts["member_id"].isin(set(out.away["member_id"]))]
    # as of this part's latest date: the main process redoes it where the workspace's is later
    floating = floating_warnings(out.away, out.contacts, rules, out.latest) if dates and len(out.away) else []
    out.runs["floating"] = _runs([p.branch for p in floating])  # members go by branch (roster.members)
    out.stages["floating"] = [_wire(p) for p in floating]
    out.people = member_frames.development_frame(ws)
    out.people_members = members[members["branch"].isin(set(out.people["branch"]))]
    return out


def _wire(p: Problem) -> Wire:
    return (p.file, p.sheet, p.cell, p.message, p.severity, p.branch, p.fold)


def _runs(keys: list[Key]) -> list[tuple[Key, int]]:
    """(key, how many in a row): a stage's problems as the main process merges them."""
    runs: list[tuple[Key, int]] = []
    for key in keys:
        if runs and runs[-1][0] == key:
            runs[-1] = (key, runs[-1][1] + 1)
        else:
            runs.append((key, 1))
    return runs


class _Ctx:
    """What parts.foreign reads of a Context: its workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.workspace = ws


def owned_branches_of(ws: Workspace, owned: list[Unit], split: frozenset[str]) -> set[str]:
    return owned_branches(_Ctx(ws), owned, split, first=False)  # type: ignore[arg-type]


def _flat(assigned: dict[str, list[str]]) -> list[str]:
    return [b for s in LOAD_STAGES for b in assigned[s]]


def _with_branch(p: Problem, branch: str) -> Problem:
    return Problem(p.file, p.sheet, p.cell, p.message, p.severity, branch, p.fold)


def _assign(ws: Workspace, stages: dict[str, list[Problem]], root: Path) -> dict[str, list[str]]:
    """Each load problem's branch as load_workspace would assign it over this part alone."""
    branches = iter(p.branch for p in branches_assigned(ws, branch_key(display_name(root.resolve().name))))
    return {s: [next(branches) for _ in stages[s]] for s in LOAD_STAGES}


def _sheet_registers(ws: Workspace) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for t in ws.tables:
        found.setdefault((t.file, t.sheet), set()).add(t.register.key)
    return found

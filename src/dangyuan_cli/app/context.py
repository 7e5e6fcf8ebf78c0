"""A workspace made ready for computing: rules and registers loaded, every problem collected,
and the branches with data errors skipped (SPEC §2) — or the run stopped (`StopRun`).

Nothing here prints; the CLI renders the problems.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dangyuan_cli.app import archive
from dangyuan_cli.app import member_registers as mr
from dangyuan_cli.core.periods import Period
from dangyuan_cli.core.problems import Problem, error, split, warning
from dangyuan_cli.core.rules.model import RULES_FILE, Rules, RulesError, load_rules
from dangyuan_cli.domain.classify import floating_status
from dangyuan_cli.domain.development import development_problems
from dangyuan_cli.domain.points import resolve_entries
from dangyuan_cli.publish.documents.template_check import check_templates
from dangyuan_cli.registers import frames, member_frames
from dangyuan_cli.registers.branches import branch_key, row_branch
from dangyuan_cli.registers.ownership import blocking, register_branches
from dangyuan_cli.registers.workspace import OUTPUT_DIR, RowsKey, Workspace, display_name, load_workspace, paused_gc


class StopRun(Exception):
    """Nothing may be computed or written (rules unusable, --strict with errors, a period already
    closed); `problems` say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("stopped")
        self.problems = problems


def read_rules(root: Path) -> tuple[Rules | None, list[Problem]]:
    """The workspace's rules, or None and the rules file's problems (the one place they are built)."""
    try:
        return load_rules(root), []
    except RulesError as exc:
        return None, [error(RULES_FILE, "", "", msg) for msg in exc.problems]


@dataclass
class Loaded:
    workspace: Workspace
    rules: Rules | None
    problems: list[Problem] = field(default_factory=list)
    counts: list[tuple[RowsKey, int]] | None = None  # a parallel check's row counts (its tables stay in the parts)

    def row_counts(self) -> list[tuple[RowsKey, int]]:
        """Rows per (file, sheet, register title, branch): what `check` lists as recognised."""
        return self.counts if self.counts is not None else self.workspace.row_counts()

    def to_json(self) -> dict[str, list[dict[str, str]]]:
        errors, warnings = split(self.problems)
        return {"errors": [p.to_json() for p in errors], "warnings": [p.to_json() for p in warnings]}

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def load(root: Path, out: Path | None = None, files: list[Path] | None = None, partial: bool = False) -> Loaded:
    """Rules and registers of a workspace, with every problem of both."""
    rules, problems = read_rules(root)
    ws = load_workspace(root, skip=out, files=files, partial=partial, limits=rules.limits if rules else None)
    found, near = _without_echoes_of_near_misses(ws.problems)
    problems.extend(found)
    if not ws.tables_of("roster") and not near:  # a sheet that is nearly a roster has said so already
        where = "没有Excel文件" if not ws.files else f"{len(ws.files)}个Excel文件"
        problems.append(  # located at the folder itself: every problem names where it is
            error(
                display_name(str(root)),
                "",
                "",
                f"工作目录中没有找到党员名册（{where}）：请确认目录是否正确，或运行 dangyuan init 生成空白台账",
            )
        )
    return Loaded(ws, rules, problems)


def _without_echoes_of_near_misses(problems: list[Problem]) -> tuple[list[Problem], bool]:
    """A sheet that is nearly a roster (`像是党员名册，但缺少必填列“姓名”`) is the one message for
    its branch: the other registers' "找不到…的党员名册" lines would only echo it."""
    near = {p.branch for p in problems if p.severity == "error" and p.message.startswith("像是党员名册")}
    if not near:
        return problems, False
    echo = re.compile(r"^找不到(.+)的党员名册，无法核对")

    def echoes(p: Problem) -> bool:
        m = echo.match(p.message)
        return bool(m) and ("" in near or m.group(1) in near)

    return [p for p in problems if not echoes(p)], True


def check_workspace(root: Path, workers: int | None = None) -> Loaded:
    """Everything `check` reports: cells, names, and entries the rules cannot score. A workspace
    big enough for the batch's parts is checked part by part on every core (app/checking.py):
    the same problems in the same order and the same `row_counts()`; its `workspace` then holds
    no tables (they stay in the parts)."""
    from dangyuan_cli.app.checking import check_in_parts

    root = Path(root)
    count = workers if workers is not None else min(os.cpu_count() or 1, 8)
    rules, _ = read_rules(root)
    if rules is not None and count > 1 and root.is_dir():
        with paused_gc():  # the parts' problems are built here again (a county: ~150,000)
            merged = check_in_parts(root, rules, count)
        if merged is not None:
            return Loaded(merged[0], rules, merged[1], merged[2])
    with paused_gc():  # building frames from every row, like reading them, makes objects that live on
        return _check_workspace(root)


def _check_workspace(root: Path) -> Loaded:
    # app/check_part.py and app/checking.py make the same checks part by part: a check added here
    # goes there too (tests/test_check_parallel.py compares the two over a county)
    loaded = load(Path(root))
    loaded.problems.extend(check_templates(Path(root)))
    if loaded.rules is not None:
        members = frames.members_frame(loaded.workspace)
        entries = frames.entries_frame(loaded.workspace)
        more = mr.commitment_entries(loaded.workspace, loaded.rules)  # SPEC §10b: optional points
        if more is not None:
            entries = pd.concat([entries, more], ignore_index=True)
        ledger, problems = resolve_entries(entries, members, loaded.rules)
        loaded.problems.extend(mr.without_own_items(problems))
        loaded.problems.extend(mr.register_problems(loaded.workspace, members, ledger, loaded.rules, loaded.problems))
        loaded.problems.extend(archive.changes_since_close(Path(root), entries))
        loaded.problems.extend(floating_problems(loaded.workspace, members, entries, loaded.rules))
        loaded.problems.extend(
            development_problems(member_frames.development_frame(loaded.workspace), members, loaded.rules)
        )
        loaded.problems.extend(contact_problems(loaded.rules, sorted(set(members["branch"]))))
    return loaded


def contact_problems(rules: Rules, branches: list[str]) -> list[Problem]:
    """One warning naming the branches whose 公示 would lack 联系人 or 联系电话."""
    lacking = [b for b in branches if not all(rules.contact_for(b))]
    if not lacking:
        return []
    shown = "、".join(lacking[:5]) + (f"等{len(lacking)}个党支部" if len(lacking) > 5 else "")
    return [
        warning(
            RULES_FILE,
            "",
            "[announce]",
            f"未设置公示的联系人或联系电话（{shown}），公示将不写联系人和联系电话；"
            '请在规则文件 [announce] 中填写 contact_person、contact_phone（单个支部可在 [branches."支部名"] 中另设）',
        )
    ]


def floating_problems(ws: Workspace, members: pd.DataFrame, entries: pd.DataFrame, rules: Rules) -> list[Problem]:
    """Floating members without quarterly contact, or 失联, as of the latest date the registers hold."""
    contacts = frames.contacts_frame(ws)
    dates = [*contacts["date"], *entries["date"]]
    if not dates or not members["away"].any():
        return []
    return floating_warnings(members, contacts, rules, max(dates))


def floating_warnings(members: pd.DataFrame, contacts: pd.DataFrame, rules: Rules, as_of: dt.date) -> list[Problem]:
    """One warning per floating member without quarterly contact, or 失联, as of `as_of`."""
    found = floating_status(members, contacts, rules, as_of)
    return [
        warning(r.file, r.sheet, f"A{r.row}", f"流动党员{r.name}（截至{as_of:%Y-%m-%d}）：{r.reason}", r.branch)
        for r in found.itertuples(index=False)
    ]


@dataclass
class Context:
    """A workspace ready for computation: frames of the branches without errors."""

    root: Path
    rules: Rules
    workspace: Workspace
    members: pd.DataFrame
    entries: pd.DataFrame
    ledger: pd.DataFrame
    problems: list[Problem]
    skipped: list[str]
    cache: dict = field(default_factory=dict)  # results already computed in this run
    blocked: dict[str, list[Problem]] = field(default_factory=dict)  # skipped branch → its errors
    township_folders: frozenset[str] = frozenset()  # folders the batch split by village (`townships`)

    def output_dir(self, period: Period | str, out: Path | None = None) -> Path:
        """`--out`, else `<ws>/输出/<period code>` (or `<ws>/输出/<name>` for a named folder)."""
        name = period if isinstance(period, str) else period.code
        return out if out is not None else self.root / OUTPUT_DIR / name

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def prepare(
    root: Path, strict: bool = False, out: Path | None = None, files: list[Path] | None = None, partial: bool = False
) -> Context:
    """Load and resolve; skip every branch an error blocks (raise StopRun if nothing can be computed)."""
    with paused_gc():  # building frames from every row, like reading them, makes objects that live on
        return _prepare(root, strict, out, files, partial)


def _prepare(root: Path, strict: bool, out: Path | None, files: list[Path] | None, partial: bool) -> Context:
    root = Path(root)
    loaded = load(root, out, files, partial)
    if loaded.rules is None:
        raise StopRun(loaded.problems)
    ws = loaded.workspace
    all_members = frames.members_frame(ws)
    all_entries = frames.entries_frame(ws)
    if loaded.rules.points.duty_points > 0:  # SPEC §5: optional points per 履岗 participation
        all_entries = pd.concat(
            [all_entries, frames.duty_entries(ws, loaded.rules.points.duty_points)], ignore_index=True
        )
    more = mr.commitment_entries(ws, loaded.rules)  # SPEC §10b: optional points per commitment
    if more is not None:
        all_entries = pd.concat([all_entries, more], ignore_index=True)
    all_ledger, entry_problems = resolve_entries(all_entries, all_members, loaded.rules)
    entry_problems = mr.without_own_items(entry_problems)
    entry_problems += mr.register_problems(ws, all_members, all_ledger, loaded.rules, loaded.problems + entry_problems)
    problems = loaded.problems + entry_problems + archive.changes_since_close(root, all_entries)
    errors = [p for p in problems if p.severity == "error"]
    if strict and errors:
        raise StopRun(problems)
    if not errors:  # nothing skipped: the ledger resolved above is the one to use
        return Context(root, loaded.rules, ws, all_members, all_entries, all_ledger, problems, [])
    # SPEC §2: a branch with an error is skipped whole; an error of no branch stops every branch it could affect
    branches = register_branches(ws.tables, branch_key(display_name(root.resolve().name)))
    if partial:  # rows of township-wide files at the top name other parts' branches too: not ours to stop
        branches = {b: f for b, f in branches.items() if b in ws.roster.by_branch or any("/" in x for x in f)}
    blocked = blocking(errors, branches)
    skipped = sorted(blocked)
    skip = set(skipped)
    members = all_members[~all_members["branch"].isin(skip)].reset_index(drop=True)
    entries = all_entries[~all_entries["branch"].isin(skip)].reset_index(drop=True)
    ledger, _ = resolve_entries(entries, members, loaded.rules)
    return Context(root, loaded.rules, ws, members, entries, ledger, problems, skipped, blocked=blocked)


def skip_reasons(problems: list[Problem], skipped: list[str]) -> dict[str, str]:
    """Skipped branch → a short reason: its first error (else the first error of no branch, which
    stops every branch it could affect), and how many more."""
    reasons = {}
    shared = [p for p in problems if not p.branch and p.severity == "error"]
    for branch in skipped:
        errors = [p for p in problems if p.branch == branch and p.severity == "error"] or shared
        if not errors:
            reasons[branch] = "有数据错误"
            continue
        more = f"（另有{len(errors) - 1}个错误）" if len(errors) > 1 else ""
        reasons[branch] = errors[0].format() + more
    return reasons


_TOWNSHIP_NAME = re.compile(r"(镇|乡|街道|办事处)$")


def townships(ctx: Context) -> dict[str, str]:
    """Branch → township: the first folder under the workspace holding the branch's roster, when
    that folder is not the branch's own and is a township's (it holds village folders, several
    branches' files, or is named …镇/乡/街道); else the workspace itself (`area`, or its name)."""
    own = ctx.rules.area or display_name(Path(ctx.root).resolve().name)
    first: dict[str, tuple[str, ...]] = {}
    for table in ctx.workspace.tables_of("roster"):  # skipped branches too: they still fill a folder
        for row in table.rows:
            first.setdefault(row_branch(table, row), Path(table.file).parts)
    folders: dict[str, set[str]] = {}
    for branch, parts in first.items():
        if len(parts) >= 2:
            folders.setdefault(parts[0], set()).add(branch)
    found = {}
    for branch, parts in first.items():
        folder = parts[0] if len(parts) >= 2 else ""
        township = (
            bool(folder)
            and branch_key(folder) != branch
            and (
                len(parts) >= 3
                or len(folders[folder]) > 1
                or folder in ctx.township_folders
                or bool(_TOWNSHIP_NAME.search(folder))
            )
        )
        found[branch] = folder if township else own
    return found


def report_area(rules: Rules, root: Path) -> tuple[str, list[Problem]]:
    """The name the report upward carries: the rules' `area`, else the workspace folder's name —
    and then a warning, since a folder name is no name to sign with (the 落款 stays empty)."""
    if rules.area:
        return rules.area, []
    name = display_name(Path(root).resolve().name)
    return name, [
        warning(
            RULES_FILE,
            "",
            "",
            f"未设置 area（乡镇或县的名称）：汇总报告按工作目录名“{name}”命名，落款留空；"
            f'请在 dangyuan.toml 中写 area = "…"',
        )
    ]

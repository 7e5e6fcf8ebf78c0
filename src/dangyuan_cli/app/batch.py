"""The period-end batch (SPEC §12 `run`): everything a period needs, for every branch, safely.

- month: 蓝黄红榜 (公示 + workbook), the 履岗记实 check and the month's 先锋超市 redemptions;
  quarter: the ranking 公示 and the 督促提醒 list; half: scores; year: classification, scores,
  stars, consequences, 践诺评诺, 先锋超市 balances, 后进转化, every 公示 (承诺公开 too) and the
  report upward.
- Outputs are built in a hidden staging folder and swapped in at the end: a run killed at any
  moment leaves the previous outputs whole and no partial file among them.
- Branches are spread over worker processes by folder (both cores); a branch with data errors
  is skipped and reported, the others finish.
- Same inputs → byte-identical files: no timestamps in contents, fixed zip dates, stable order.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import pandas as pd

from dangyuan_cli.app import member_registers as mr
from dangyuan_cli.app.compute import (
    announce_for,
    boards_for,
    classify_for,
    commitments_for,
    consequences_for,
    duty_for,
    laggards_for,
    ranking_for,
    report_rows,
    scores_for,
    shop_for,
)
from dangyuan_cli.app.context import Context, StopRun, prepare, read_rules, report_area, skip_reasons
from dangyuan_cli.app.development import produce_development
from dangyuan_cli.app.interrupts import deferred_stop, ignore_stops_in_worker, signals_held
from dangyuan_cli.app.parts import (
    PartJob,
    PartResult,
    foreign,
    merged_problems,
    owned_branches,
    plan_parts,
    problem_order,
)
from dangyuan_cli.app.staging import BranchOutcome, RunResult, check_out, complete, staged
from dangyuan_cli.core.periods import Period, parse_period
from dangyuan_cli.core.problems import Problem, split
from dangyuan_cli.core.rows import frames_by_branch
from dangyuan_cli.core.rules.model import Rules
from dangyuan_cli.domain.report import compose_report
from dangyuan_cli.publish import member_registers as member_outputs
from dangyuan_cli.publish import tables as outputs
from dangyuan_cli.publish.documents.render import write_document
from dangyuan_cli.publish.notices import publication_date
from dangyuan_cli.publish.results import write_results
from dangyuan_cli.registers.ownership import reason
from dangyuan_cli.registers.workspace import OUTPUT_DIR, workbook_paths

Progress = Callable[[int, int | None, str], None]  # (branches done, branches in all or None, stage)


def run_part(args: PartJob, on_progress: Progress | None = None) -> PartResult:
    """One part of the batch: load its files, compute, write its branches into the staging folder.
    `on_progress` (in-process only) hears of each stage, counted in branches."""
    root, files, owned, split, period_text, staging, strict, first, accept, _ = args
    report = on_progress or (lambda done, total, stage: None)
    report(0, None, "读取台账")
    # prepare reads under paused_gc: what it read is set aside from the collector's walks for the
    # rest of the part (~5 % of a part's CPU), and put back and collected when the next part reads
    ctx = prepare(root, strict=False, files=files, partial=owned is not None)
    ctx.township_folders = split  # a split folder holds several villages even if this part sees one
    mine = owned_branches(ctx, owned, split, first)
    report(0, len(mine), "计算、写出")
    if owned is not None and foreign(ctx, mine):
        return PartResult([], [], [], foreign=True)
    errors = [p for p in ctx.problems if p.severity == "error"]
    if strict and errors:
        raise StopRun(ctx.problems)
    period = parse_period(period_text, ctx.rules.points.month_cutoff_day)
    top_level = {f.relative_to(root).as_posix() for f in files if len(f.relative_to(root).parts) == 1}

    def read_here(p: Problem) -> bool:
        """Whether this part owns the problem's file (files at the top, and none: the first part)."""
        return owned is None or (first if p.file in top_level or not p.file else True)

    def names_here(errors: list[Problem]) -> bool:
        """A branch without a roster here is named by the part reading its own folder; in a split
        batch, one known only from files at the top belongs to another part (as its rows do)."""
        return any(owned is None or (p.file and p.file not in top_level) for p in errors)

    rostered = ctx.workspace.roster.by_branch
    skipped = {b for b, errs in ctx.blocked.items() if b in mine or (b not in rostered and names_here(errs))}
    done = sorted(mine - skipped)
    written = produce(ctx, period, done, staging, accept)
    report(len(mine), len(mine), "完成")

    def ours(p: Problem) -> bool:
        """Each problem reported once: by its branch's part; without a branch (or of a branch
        without a roster), by the part that owns the file's folder."""
        if p.branch in mine or p.branch in skipped:
            return True
        return p.branch not in rostered and read_here(p)

    reported = [p for p in ctx.problems if ours(p)]
    if not args.detail:  # ~250 bytes a warning less to send and hold (a 3,000-branch county: 860,000)
        reported = [
            Problem(p.file, p.sheet, p.cell, p.message, p.severity, p.branch) if p.fold else p for p in reported
        ]
    keyed = sorted(((problem_order(p), p) for p in reported), key=lambda kp: kp[0])
    problems = [p for _, p in keyed]
    outcomes = []
    warnings = Counter(p.branch for p in problems if p.severity == "warning")
    for branch in sorted(set(done) | skipped):
        errs = len(ctx.blocked.get(branch, []))  # its own, and those of no branch that stop it
        warns = warnings[branch]
        status = "跳过" if branch in skipped else "完成"
        files_written = sorted(str(p.relative_to(staging)) for p in written.get(branch, []))
        why = reason(ctx.blocked[branch]) if branch in skipped else ""
        outcomes.append(BranchOutcome(branch, status, files_written, errs, warns, why))
    rows = []
    if period.kind == "year" and done:
        table = report_rows(ctx, period)
        rows = table[table["branch"].isin(done)].to_dict("records")
    return PartResult(outcomes, problems, rows, keys=[k for k, _ in keyed])


def produce(
    ctx: Context, period: Period, branches: list[str], staging: Path, accept: bool = False
) -> dict[str, list[Path]]:
    """Write the period's workbooks and documents for `branches`; returns the files per branch
    (`accept`: a group list with too small groups is final, not a draft)."""
    wanted = set(branches)
    written: dict[str, list[Path]] = {b: [] for b in branches}

    def keep(frame):
        return frame[frame["branch"].isin(wanted)]

    def workbook(name: str, tables: list) -> None:
        """One workbook per branch holding every sheet of `tables` (writing is the larger cost)."""
        for branch, path in write_branch_books(staging, name, tables).items():
            written[branch].append(path)

    def documents(kind: str) -> None:
        for doc in announce_for(ctx, kind, period, accept=accept):
            if doc.branch in wanted:
                written[doc.branch].extend(write_document(doc, staging / doc.branch, workspace=ctx.root))

    if period.kind == "month":
        board = keep(boards_for(ctx, period))
        workbook("蓝黄红榜.xlsx", outputs.board_tables(board, period))
        documents("board")
        _duty(ctx, period, wanted, staging, written)
        spent = mr.redemptions_in(shop_for(ctx, period.end)[1], period)  # SPEC §10b: the month's redemptions
        if not spent.empty:
            workbook("先锋超市兑换明细.xlsx", member_outputs.redemption_tables(keep(spent), period))
    elif period.kind == "quarter":
        ranking, streaks = ranking_for(ctx, period)
        workbook("季度积分排名（内部资料）.xlsx", outputs.ranking_tables(keep(ranking), streaks, period))
        documents("ranking")
    elif period.kind == "half":
        workbook("积分汇总.xlsx", outputs.score_tables(keep(scores_for(ctx, period).table), period))
    else:
        workbook(YEAR_BOOK, year_tables(ctx, period, wanted))
        for kind in ("stars", "groups", "consequences", "commitments"):
            documents(kind)
        produce_development(ctx, period, wanted, staging, written)  # 双推双评, 发展党员 (issue 12)
        _member_registers(ctx, period, keep, workbook)
    return written


def _member_registers(ctx: Context, period: Period, keep, workbook) -> None:
    """Year end (SPEC §10b): 践诺评诺, 先锋超市 balances with the year's redemptions, 后进转化."""
    review, rows = commitments_for(ctx, period)
    workbook("践诺评诺（内部资料）.xlsx", member_outputs.commitment_tables(keep(review), keep(rows), period.year))
    balances, checked = shop_for(ctx, period.end)
    tables = member_outputs.shop_tables(keep(balances), period.end, mr.shop_basis(ctx.rules))
    spent = {
        t.branch: t.sheets for t in member_outputs.redemption_tables(keep(mr.redemptions_in(checked, period)), period)
    }
    for t in tables:  # one workbook per branch: the balances, then the year's redemptions
        t.sheets = [*t.sheets, *spent.get(t.branch, [])]
    workbook("先锋超市积分余额.xlsx", tables)
    lag = laggards_for(ctx, period.end)
    workbook("后进党员转化（内部资料）.xlsx", member_outputs.laggard_tables(keep(lag), period.end))


YEAR_BOOK = "积分定星结果（内部资料）.xlsx"  # the year's one workbook per branch (`stars`, `consequences` too)


def year_tables(ctx: Context, period: Period, wanted: set[str]) -> list:
    """The sheets of the year's workbook of these branches: scores, stars, consequences, classes."""

    def keep(frame):
        return frame[frame["branch"].isin(wanted)]

    lists, stars = consequences_for(ctx, period)
    cls = classify_for(ctx, period.end)
    return [
        *outputs.score_tables(keep(scores_for(ctx, period).table), period),
        *outputs.star_tables(keep(stars), period),
        *outputs.consequence_tables(keep(lists), period),
        *outputs.class_tables(keep(cls.classes), cls.floating, cls.changes, cls.compared_with, period.end),
    ]


def write_branch_books(folder: Path, name: str, tables: list) -> dict[str, Path]:
    """One workbook per branch at `folder/<branch>/name`, holding every sheet of `tables`."""
    sheets: dict[str, list] = {}
    for t in tables:
        sheets.setdefault(t.branch, []).extend(t.sheets)
    return {branch: write_results(folder / branch / name, its) for branch, its in sheets.items()}


def _duty(ctx: Context, period: Period, wanted: set[str], staging: Path, written: dict[str, list[Path]]) -> None:
    report, records = duty_for(ctx, period)
    records_of, counts_of = frames_by_branch(records), frames_by_branch(report.per_member)
    for branch, group in report.per_group.groupby("branch", sort=True):
        if branch in wanted:
            mine = records_of.get(branch, records.iloc[:0])
            written[branch].append(outputs.write_duty_month(staging, branch, period, list(group["group"]), mine))
            counts = counts_of.get(branch, report.per_member.iloc[:0])
            written[branch].append(outputs.write_duty_counts(staging, branch, period, counts))


def output_folder(root: Path, period_text: str, out: Path | None) -> Path:
    """Where `run` writes: `--out`, else `<ws>/输出/<period>` (the rules' cut-off day names
    relative periods such as last-month)."""
    if out is not None:
        return Path(out)
    rules, _ = read_rules(root)  # a broken rules file is reported by the run itself
    cutoff = rules.points.month_cutoff_day if rules else 0
    return Path(root) / OUTPUT_DIR / parse_period(period_text, cutoff).code


def run_batch(
    root: Path,
    period_text: str,
    out: Path | None = None,
    strict: bool = False,
    workers: int | None = None,
    on_progress: Progress | None = None,
    accept: bool = False,
    detail: bool = True,
) -> RunResult:
    """The whole period-end batch. Raises StopRun when nothing may be written (rules unusable,
    --strict with errors), OutputError when the output folder may not be replaced or written.
    `detail=False`: the warnings come back without their fold keys (nothing will fold them)."""
    root = Path(root)
    rules, problems = read_rules(root)
    if rules is None:
        raise StopRun(problems)
    period = parse_period(period_text, rules.points.month_cutoff_day)
    final = Path(out) if out is not None else root / OUTPUT_DIR / period.code
    if final.is_symlink():
        final = final.resolve()  # the swap replaces the folder, not the link to it
    check_out(root, final, explicit=out is not None)
    with staged(final, explicit=out is not None) as staging:
        files = workbook_paths(root, skip=final.parent if out is None else final)
        count = workers if workers is not None else min(os.cpu_count() or 1, 8)
        results = None
        for fine in (True, False):  # townships split into villages, else whole top-level folders
            plan, divided = plan_parts(root, files, count, fine)
            if fine and not divided:
                continue  # nothing to split: the coarse plan is the same
            jobs = [
                PartJob(root, f, own, divided, period_text, staging, strict, i == 0, accept, detail)
                for i, (f, own) in enumerate(plan)
            ]
            results = _map(jobs, count, on_progress)
            if not any(r.foreign for r in results):
                break
            _empty(staging)  # registers cross these units: try coarser parts
            results = None
        if results is None:  # registers cross the top-level folders: the whole batch in one piece
            whole = PartJob(root, files, None, frozenset(), period_text, staging, strict, True, accept, detail)
            results = _map([whole], 1, on_progress)
        outcomes = sorted((o for r in results for o in r.outcomes), key=lambda o: o.branch)
        problems = merged_problems(results)
        shared = []
        rows = [row for r in results for row in r.report_rows]
        if period.kind == "year" and rows:
            shared = _write_report(root, rules, period, rows, staging, outcomes, problems)
        errors, warnings = split(problems)
        result = RunResult(period.code, period.label, final, outcomes, errors + warnings, shared)
        complete(result, staging, final)
        return result


def _empty(staging: Path) -> None:
    shutil.rmtree(staging)
    staging.mkdir()


def _map(jobs: list[PartJob], workers: int, on_progress: Progress | None) -> list[PartResult]:
    """The parts' results; progress counted in branches: a part's own folders (one branch each,
    as a rule) when it finishes in a worker, branch by branch stage when run here."""
    if len(jobs) == 1 or workers <= 1:
        if len(jobs) == 1 and on_progress:
            return [run_part(jobs[0], on_progress)]
        return [run_part(job) for job in jobs]
    total = sum(len(job.owned or []) for job in jobs)
    count = 0
    if on_progress:
        on_progress(0, total, "党支部")
    pool = ProcessPoolExecutor(max_workers=workers, initializer=ignore_stops_in_worker)
    try:
        with deferred_stop(), signals_held():  # no stop between forking a worker and recording it
            futures = {pool.submit(run_part, job): i for i, job in enumerate(jobs)}
        done: dict[int, PartResult] = {}
        for future in as_completed(futures):
            done[futures[future]] = future.result()
            count += len(jobs[futures[future]].owned or [])
            if on_progress:
                on_progress(count, total, "党支部")
    except BaseException:
        # stopped (an error, Ctrl-C, SIGTERM): end the workers before the staging folder is
        # removed, or they would go on writing into it
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [done[i] for i in range(len(jobs))]


def _write_report(
    root: Path,
    rules: Rules,
    period: Period,
    rows: list[dict],
    staging: Path,
    outcomes: list[BranchOutcome],
    problems: list[Problem],
) -> list[str]:
    """The report upward over the branches done; the skipped ones named with their reason."""
    branches = pd.DataFrame(rows).sort_values(["township", "branch"]).reset_index(drop=True)
    skipped = skip_reasons(problems, [o.branch for o in outcomes if o.status == "跳过"])
    area, notes = report_area(rules, root)
    report = compose_report(branches, period, area, skipped, bool(rules.area), notes)
    problems.extend(notes)
    return sorted(p.name for p in outputs.write_report(report, period, staging, publication_date(period), root))

"""双推双评 and 发展党员 over a prepared workspace (issue 12): the tally of a year's ballots and
the development timeline as of a day, computed once per run (kept in the context's cache), the
year-end batch's files for them and the report's counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from dangyuan_cli.app.context import Context
from dangyuan_cli.core.periods import Period
from dangyuan_cli.domain.development import development_counts, development_timeline, votes_by_person
from dangyuan_cli.domain.votes import Tally, outcomes, tally_votes
from dangyuan_cli.publish.development import develop_tables, vote_documents, vote_tables, write_publicity_texts
from dangyuan_cli.publish.documents.calendar import working_span
from dangyuan_cli.publish.documents.render import write_document
from dangyuan_cli.publish.notices import publication_date
from dangyuan_cli.publish.tables import write_tables
from dangyuan_cli.registers import member_frames


def votes_for(ctx: Context, year: int) -> Tally:
    """The year's 双评 tally of the branches without errors."""
    key = ("votes_for", year)
    if key not in ctx.cache:
        ballots = member_frames.ballots_frame(ctx.workspace, set(ctx.skipped))
        ballots = ballots[ballots["branch"].isin(set(ctx.members["branch"]))]
        ctx.cache[key] = tally_votes(ballots, ctx.members, ctx.rules, year)
    return ctx.cache[key]


def develop_for(ctx: Context, as_of: dt.date) -> tuple[pd.DataFrame, list]:
    """(timeline, problems) of the 发展党员记实 as of a day, with the 双评 of that year and the one before."""
    key = ("develop_for", as_of)
    if key not in ctx.cache:
        people = member_frames.development_frame(ctx.workspace, set(ctx.skipped))
        people = people[people["branch"].isin(set(ctx.members["branch"]))]
        votes = {}
        for year in (as_of.year - 1, as_of.year):  # the later year's vote wins
            votes.update(votes_by_person(outcomes(votes_for(ctx, year).results)))
        days = ctx.rules.announce.development_working_days

        def span(first: dt.date) -> tuple[dt.date, dt.date]:
            found = working_span(first, days)
            return found.first, found.last

        ctx.cache[key] = development_timeline(people, ctx.members, ctx.rules, as_of, votes, span)
    return ctx.cache[key]


def has_votes(ctx: Context) -> bool:
    return bool(ctx.workspace.tables_of("ballots"))


def has_development(ctx: Context) -> bool:
    return bool(ctx.workspace.tables_of("development"))


def write_votes(ctx: Context, period: Period, folder: Path, branches: set[str] | None = None) -> dict[str, list[Path]]:
    """Per branch: the 民主评议结果 workbook and, where the 评议 is valid, the 双评结果公示."""
    tally = votes_for(ctx, period.year)
    written: dict[str, list[Path]] = {}
    for t in vote_tables(tally, period.year):
        if branches is None or t.branch in branches:
            written.setdefault(t.branch, []).extend(write_tables([t], folder))
    for doc in vote_documents(tally, period, publication_date(period), ctx.rules):
        if branches is None or doc.branch in branches:
            written.setdefault(doc.branch, []).extend(write_document(doc, folder / doc.branch, workspace=ctx.root))
    return written


def write_development(
    ctx: Context, as_of: dt.date, folder: Path, frame: pd.DataFrame | None = None
) -> dict[str, list[Path]]:
    """Per branch: the 发展党员工作提醒 (内部资料) and the 公示 texts of the steps due."""
    frame = develop_for(ctx, as_of)[0] if frame is None else frame
    written: dict[str, list[Path]] = {}
    for t in develop_tables(frame, as_of):
        written.setdefault(t.branch, []).extend(write_tables([t], folder))
    a = ctx.rules.announce
    for path in write_publicity_texts(frame, folder, a.signer, a.objections):
        written.setdefault(path.parent.name, []).append(path)
    return written


def produce_development(
    ctx: Context, period: Period, wanted: set[str], staging: Path, written: dict[str, list[Path]]
) -> None:
    """The year-end batch's share, when the registers are there; their findings join the run's problems."""
    if period.kind != "year":
        return
    found = []
    if has_votes(ctx):
        for branch, paths in write_votes(ctx, period, staging, wanted).items():
            written[branch].extend(paths)
        found += votes_for(ctx, period.year).problems
    if has_development(ctx):
        frame, problems = develop_for(ctx, period.end)
        for branch, paths in write_development(ctx, period.end, staging, frame[frame["branch"].isin(wanted)]).items():
            written[branch].extend(paths)
        found += problems
    ctx.problems.extend(p for p in found if p.branch in wanted)


def with_development_counts(ctx: Context, period: Period, table: pd.DataFrame) -> pd.DataFrame:
    """The report's rows with the 双推双评 and 发展党员 counts (ballots, eligible, disqualified,
    steps due) for a year, when the registers are there."""
    if period.kind != "year" or table.empty or not (has_votes(ctx) or has_development(ctx)):
        return table
    tally = votes_for(ctx, period.year).results if has_votes(ctx) else None
    timeline = develop_for(ctx, period.end)[0] if has_development(ctx) else None
    counts = development_counts(tally, timeline)
    for column in counts.columns:
        table[column] = [int(counts[column].get(b, 0)) for b in table["branch"]]
    return table

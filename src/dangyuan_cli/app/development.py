"""双推双评 and 发展党员 over a prepared workspace: the tally of a year's ballots and the
development timeline as of a day, computed once per run (kept in the context's cache)."""

from __future__ import annotations

import datetime as dt

from dangyuan_cli.registers import frames


def votes_for(ctx, year: int):
    """The year's 双评 tally (domain.votes.Tally) of the branches without errors."""
    from dangyuan_cli.domain.votes import tally_votes

    key = ("votes_for", year)
    if key not in ctx.cache:
        ballots = frames.ballots_frame(ctx.workspace, set(ctx.skipped))
        ballots = ballots[ballots["branch"].isin(set(ctx.members["branch"]))]
        ctx.cache[key] = tally_votes(ballots, ctx.members, ctx.rules, year)
    return ctx.cache[key]


def develop_for(ctx, as_of: dt.date):
    """(timeline frame, problems) of the 发展党员记实 as of a day, with that year's 双评 results."""
    from dangyuan_cli.domain.development import development_timeline, votes_by_person
    from dangyuan_cli.domain.votes import outcomes
    from dangyuan_cli.publish.documents.calendar import working_span

    key = ("develop_for", as_of)
    if key not in ctx.cache:
        people = frames.development_frame(ctx.workspace, set(ctx.skipped))
        people = people[people["branch"].isin(set(ctx.members["branch"]))]
        tallies = [votes_for(ctx, y).results for y in (as_of.year - 1, as_of.year)]
        votes = {}
        for results in tallies:  # the later year's vote wins
            votes.update(votes_by_person(outcomes(results)))
        days = ctx.rules.announce.development_working_days

        def span(first: dt.date) -> tuple[dt.date, dt.date]:
            found = working_span(first, days)
            return found.first, found.last

        ctx.cache[key] = development_timeline(people, ctx.members, ctx.rules, as_of, votes, span)
    return ctx.cache[key]


def has_votes(ctx) -> bool:
    return bool(ctx.workspace.tables_of("ballots"))


def has_development(ctx) -> bool:
    return bool(ctx.workspace.tables_of("development"))


def produce_development(ctx, period, wanted: set[str], staging, written: dict) -> None:
    """The year-end batch's share (issue 12), when the registers are there: per branch the
    民主评议结果 workbook and 双评结果公示, the 发展党员工作提醒 and its 公示 texts. Their
    findings join the run's problems."""
    from dangyuan_cli.app.pipeline import publication_date
    from dangyuan_cli.publish.development import (
        develop_tables,
        vote_documents,
        vote_tables,
        write_publicity_texts,
    )
    from dangyuan_cli.publish.documents.render import write_document
    from dangyuan_cli.publish.tables import write_tables

    if period.kind != "year":
        return
    found = []
    if has_votes(ctx):
        tally = votes_for(ctx, period.year)
        for t in vote_tables(tally, period.year):
            if t.branch in wanted:
                written[t.branch].extend(write_tables([t], staging))
        for doc in vote_documents(tally, period, publication_date(period), ctx.rules):
            if doc.branch in wanted:
                written[doc.branch].extend(write_document(doc, staging / doc.branch, workspace=ctx.root))
        found += tally.problems
    if has_development(ctx):
        frame, problems = develop_for(ctx, period.end)
        frame = frame[frame["branch"].isin(wanted)]
        for t in develop_tables(frame, period.end):
            written[t.branch].extend(write_tables([t], staging))
        a = ctx.rules.announce
        for path in write_publicity_texts(frame, staging, a.signer, a.objections):
            written[path.parent.name].append(path)
        found += problems
    ctx.problems.extend(p for p in found if p.branch in wanted)


def with_development_counts(ctx, period, table):
    """The report's rows with the 双推双评 and 发展党员 counts (ballots, eligible, disqualified,
    stages due) for a year, when the registers are there."""
    from dangyuan_cli.domain.development import development_counts

    if period.kind != "year" or table.empty or not (has_votes(ctx) or has_development(ctx)):
        return table
    tally = votes_for(ctx, period.year).results if has_votes(ctx) else None
    timeline = develop_for(ctx, period.end)[0] if has_development(ctx) else None
    counts = development_counts(tally, timeline)
    for column in counts.columns:
        table[column] = [counts[column].get(b, 0) for b in table["branch"]]
    return table

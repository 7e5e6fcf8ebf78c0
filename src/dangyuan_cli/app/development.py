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

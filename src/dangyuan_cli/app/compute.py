"""The computations of a run over a prepared `Context`: scores, stars, boards, rankings, classes,
posts, duty, consequences, 公示 and the report — each cached per context and arguments (the batch
asks for the same year's stars many times). Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dangyuan_cli.app import archive
from dangyuan_cli.app import member_registers as mr
from dangyuan_cli.app.context import Context, StopRun, report_area, skip_reasons, townships
from dangyuan_cli.app.development import votes_for, with_development_counts
from dangyuan_cli.core.periods import Period, within
from dangyuan_cli.core.problems import Problem, error, warning
from dangyuan_cli.core.rows import frames_by_branch
from dangyuan_cli.domain.boards import RED, YELLOW, build_board, consecutive, quarterly_ranking
from dangyuan_cli.domain.classify import SCHEMES, class_changes, classify_members, floating_status
from dangyuan_cli.domain.consequences import list_consequences
from dangyuan_cli.domain.duty import duty_report
from dangyuan_cli.domain.laggards import with_marked
from dangyuan_cli.domain.points import derive_laggards, score_period
from dangyuan_cli.domain.posts import assign_posts, check_all_groups, group_name
from dangyuan_cli.domain.report import Report, branch_summary, compose_report
from dangyuan_cli.domain.stars import award_named_stars, award_stars
from dangyuan_cli.publish import notices
from dangyuan_cli.publish.development import vote_documents
from dangyuan_cli.publish.documents.kinds import Document
from dangyuan_cli.registers import frames, member_frames


def _cached(fn):
    """Compute once per context and arguments: the batch asks for the same stars many times."""

    def wrapper(ctx: Context, *args):
        key = (fn.__name__, *args)
        if key not in ctx.cache:
            ctx.cache[key] = fn(ctx, *args)
        return ctx.cache[key]

    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


@_cached
def scores_for(ctx: Context, period: Period):
    return score_period(ctx.members, ctx.entries, ctx.rules, period, resolved=ctx.ledger)


@_cached
def stars_for(ctx: Context, year: Period) -> pd.DataFrame:
    """The year's stars per the preset's scheme (quota by default, named stars for seed 001)."""
    return _award(ctx, scores_for(ctx, year).table, year)


def _award(ctx: Context, table: pd.DataFrame, year: Period) -> pd.DataFrame:
    if ctx.rules.stars.scheme == "named":
        return award_named_stars(table, ctx.ledger, year.quarters(), ctx.rules)
    return award_stars(table, ctx.rules)


@_cached
def scores_of_branches(ctx: Context, period: Period, branches: frozenset) -> pd.DataFrame:
    """A period's scores of these branches only — an earlier period is recomputed only for the
    branches whose ledgers hold it. A member's score is their own, so the rows are those of
    the whole part's scores."""
    if branches >= set(ctx.members["branch"]):
        table = scores_for(ctx, period).table
        return table[table["branch"].isin(branches)]
    members = ctx.members[ctx.members["branch"].isin(branches)]
    return score_period(members, ctx.entries, ctx.rules, period, resolved=ctx.ledger).table


@_cached
def stars_of_branches(ctx: Context, year: Period, branches: frozenset) -> pd.DataFrame:
    """A year's stars of these branches only (a branch's stars rank its own members alone)."""
    if branches >= set(ctx.members["branch"]):
        past = stars_for(ctx, year)
        return past[past["branch"].isin(branches)]
    return _award(ctx, scores_of_branches(ctx, year, branches), year)


def history_for(ctx: Context, year: int, years: int) -> dict[int, pd.DataFrame]:
    """Earlier years' results: the archive where a year was closed, else recomputed from the ledger."""
    found: dict[int, pd.DataFrame] = {}
    for y in range(year - years, year):
        closed = archive.history(ctx.root, y)
        if closed is not None:
            found[y] = closed
            continue
        period = Period("year", y, 0, ctx.rules.points.month_cutoff_day)
        kept = set(ctx.entries.loc[within(ctx.entries, period), "branch"]) if not ctx.entries.empty else set()
        if kept:  # only branches whose ledgers hold that year: no entries is no history, not 100 points
            found[y] = stars_of_branches(ctx, period, frozenset(kept))
    return found


@_cached
def consequences_for(ctx: Context, year: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    stars = stars_for(ctx, year)
    span = max(2, ctx.rules.consequences.nomination_years)
    past = history_for(ctx, year.year, span - 1 if span > 1 else 1)
    laggards = with_marked(derive_laggards(scores_for(ctx, year), ctx.rules), ctx.members)
    conversions = member_frames.laggards_frame(ctx.workspace, set(ctx.skipped))
    return list_consequences(year.year, stars, past, ctx.members, laggards, conversions, ctx.rules), stars


@_cached
def boards_for(ctx: Context, month: Period) -> pd.DataFrame:
    return build_board(scores_for(ctx, month).table, ctx.rules)


@_cached
def ranking_for(ctx: Context, quarter: Period) -> tuple[pd.DataFrame, dict[str, set[str]]]:
    """Year-to-date ranking at quarter end, plus the consecutive-quarter lists."""
    ranking = quarterly_ranking(scores_for(ctx, quarter).table, ctx.rules)
    b = ctx.rules.boards
    count = max(b.consecutive_red, b.consecutive_yellow)
    quarters = [quarter]
    for _ in range(max(0, count - 1)):
        quarters.insert(0, quarters[0].previous())
    boards = [build_board(scores_for(ctx, q).table, ctx.rules) for q in quarters]
    streaks = {
        "共产党员户推荐": consecutive(boards, RED, b.consecutive_red),
        "转入党性教育名单": consecutive(boards, YELLOW, b.consecutive_yellow),
    }
    return ranking, streaks


def close_period(ctx: Context, period: Period, force: bool = False) -> Path:
    """Freeze a period's results and input hashes into the archive."""
    existing = archive.closed_periods(ctx.root)
    if period.code in existing and not force:
        raise StopRun(
            [
                error(
                    "",
                    "",
                    "",
                    f"{period.code}已于{existing[period.code].get('closed_on')}结账；如需重新结账请加 --force",
                )
            ]
        )
    if period.kind == "year":
        results = stars_for(ctx, period)
    else:
        results = scores_for(ctx, period).table.assign(stars=None)
    classes = classify_for(ctx, period.end).classes
    return archive.write_closed(ctx.root, period, ctx.workspace.files, ctx.entries, results, classes)


def year_laggards(ctx: Context, year: int) -> dict[str, str]:
    """Derived 后进党员 of a year (SPEC §6.4), when that year has ledger entries."""
    period = Period("year", year, 0, ctx.rules.points.month_cutoff_day)
    if ctx.entries.empty or not within(ctx.entries, period).any():
        return {}
    found = derive_laggards(scores_for(ctx, period), ctx.rules)
    return dict(zip(found["member_id"], found["reason"], strict=True))


@dataclass
class Classification:
    classes: pd.DataFrame
    floating: pd.DataFrame
    changes: pd.DataFrame | None
    compared_with: str


@_cached
def classify_for(ctx: Context, as_of) -> Classification:
    """Classes as of a day, compared with the last classification archived by `close` before it."""
    since, label = archive.previous_classes(ctx.root, as_of)
    return classify_since(ctx, as_of, since, label)


def classify_since(ctx: Context, as_of, since: pd.DataFrame | None, since_label: str) -> Classification:
    """Classes as of a day, compared with a given earlier classification (`classify --since`)."""
    back = mr.converted_by(ctx.workspace, set(ctx.skipped), as_of)  # 合格 (SPEC §10b): back to the branch
    laggards = {m: why for m, why in year_laggards(ctx, as_of.year).items() if m not in back}
    classes = classify_members(ctx.members, ctx.rules, as_of, laggards)
    contacts = frames.contacts_frame(ctx.workspace, set(ctx.skipped))
    floating = floating_status(ctx.members, contacts, ctx.rules, as_of)
    changes = class_changes(classes, since) if since is not None else None
    return Classification(classes, floating, changes, since_label)


def previous_points(ctx: Context, year: int) -> dict[str, float]:
    past = history_for(ctx, year, 1).get(year - 1)
    if past is None:
        return {}
    return {
        m: float(t) for m, t in zip(past["member_id"], past["total"], strict=True) if t is not None and not pd.isna(t)
    }


@dataclass
class BranchPosts:
    branch: str
    assignment: object | None  # posts.Assignment when assigned
    existing: pd.DataFrame | None  # rows of the branch's own 定岗编组台账, when it has one
    problems: list[Problem]


@_cached
def posts_for(ctx: Context, as_of) -> list[BranchPosts]:
    """Per branch: check its 定岗编组台账 if it keeps one, else assign from the post list and claims."""
    skip = set(ctx.skipped)
    posts = frames.posts_frame(ctx.workspace, skip)
    claims = frames.claims_frame(ctx.workspace, skip)
    groups = frames.groups_frame(ctx.workspace, skip)
    points = previous_points(ctx, as_of.year)
    checked = check_all_groups(groups, ctx.members, ctx.rules)  # every branch's kept ledger at once
    # each frame split by branch once (a mask per branch over the whole part cost O(branches²));
    # the post lists, claims and rosters only of the branches that keep no 定岗编组台账
    branches = sorted(ctx.members["branch"].unique())
    groups_of = frames_by_branch(groups)
    todo = [b for b in branches if b not in groups_of]
    people_of, posts_of, claims_of = (
        frames_by_branch(frame[frame["branch"].isin(todo)]) if todo else {} for frame in (ctx.members, posts, claims)
    )
    results = []
    for branch in branches:
        existing = groups_of.get(branch)
        if existing is not None:
            results.append(BranchPosts(branch, None, existing, checked.get(branch, [])))
            continue
        mine = posts_of.get(branch)
        if mine is None:
            results.append(
                BranchPosts(branch, None, None, [warning("", "", "", f"{branch}没有岗位清单，未定岗", branch)])
            )
            continue
        people, wishes = people_of[branch], claims_of.get(branch, claims.iloc[:0])
        assignment = assign_posts(people, mine, wishes, points, ctx.rules, as_of)
        found = assignment.warnings
        results.append(BranchPosts(branch, assignment, None, found))
    return results


def duty_for(ctx: Context, month: Period):
    """The month's 履岗记实 report over every branch's groups (kept ledger or computed assignment)."""
    columns = ["branch", "group", "member_id", "name"]
    rows: dict[str, list] = {c: [] for c in columns}  # column lists: no dict per member
    names = dict(zip(ctx.members["member_id"], ctx.members["name"], strict=True))
    for bp in posts_for(ctx, month.end):
        if bp.existing is not None:
            for c in columns:
                rows[c].extend(bp.existing[c].tolist())
        elif bp.assignment is not None:
            for g in bp.assignment.groups:
                rows["branch"].extend([bp.branch] * len(g.members))
                rows["group"].extend([group_name(g.post)] * len(g.members))
                rows["member_id"].extend(g.members)
                rows["name"].extend(names[i] for i in g.members)
    roster_groups = pd.DataFrame(rows if rows["branch"] else [], columns=columns)
    duty = frames.duty_frame(ctx.workspace, set(ctx.skipped))
    return duty_report(roster_groups, duty, month), frames.duty_records(ctx.workspace, set(ctx.skipped))


def announce_for(
    ctx: Context, kind_name: str, period: Period, published: dt.date | None = None, accept: bool = False
) -> list[Document]:
    """One document per branch of the given kind (SPEC §11); `accept`: publish a group list with
    too small groups as final, not as a draft."""
    if kind_name == "votes":  # 双评结果公示: 5 working days (seed 004)
        tally = votes_for(ctx, period.year)
        return vote_documents(tally, period, published or notices.publication_date(period), ctx.rules)
    if kind_name == "ranking":
        rows = notices.ranking_rows(ranking_for(ctx, period)[0])
    elif kind_name == "board":
        rows = notices.board_rows(boards_for(ctx, period))
    elif kind_name == "stars":
        rows = notices.star_rows(stars_for(ctx, period))
    elif kind_name == "groups":
        names = dict(zip(ctx.members["member_id"], ctx.members["name"], strict=True))
        post_list = frames.posts_frame(ctx.workspace, set(ctx.skipped))
        rows = notices.group_rows(posts_for(ctx, period.end), names, post_list)
    elif kind_name == "commitments":
        rows = mr.commitment_rows(commitments_for(ctx, period)[1])
    else:
        rows = consequences_for(ctx, period)[0]
    return notices.notices(kind_name, rows, period, ctx.rules, published, accept)


def report_for(ctx: Context, period: Period) -> Report:
    """Counts and averages per branch, rolled up, with the previous period for comparison;
    the skipped branches named with their reason."""
    area, problems = report_area(ctx.rules, ctx.root)
    skipped = skip_reasons(ctx.problems, ctx.skipped)
    return compose_report(report_rows(ctx, period), period, area, skipped, bool(ctx.rules.area), problems)


def report_rows(ctx: Context, period: Period) -> pd.DataFrame:
    """One summary row per branch of this context (SPEC §11 report)."""
    scores = scores_for(ctx, period).table
    before = period.previous()
    # a branch is compared only when its ledger has entries in the previous period
    kept = set(ctx.entries.loc[within(ctx.entries, before), "branch"]) if not ctx.entries.empty else set()
    previous = scores_of_branches(ctx, before, frozenset(kept)) if kept else None
    stars = consequences = None
    if period.kind == "year":
        consequences, stars = consequences_for(ctx, period)
    classes = classify_for(ctx, period.end).classes
    names = list(SCHEMES[ctx.rules.classify.scheme].values())
    table = branch_summary(ctx.members, scores, previous, stars, classes, consequences, townships(ctx), names)
    table = with_development_counts(ctx, period, table)  # 双推双评 and 发展党员 (issue 12)
    if period.kind == "year" and not table.empty:  # SPEC §10b counts in the year's report
        counts = mr.register_counts(
            commitments_for(ctx, period)[0],
            mr.redemptions_in(shop_for(ctx, period.end)[1], period),
            laggards_for(ctx, period.end),
            ctx.members["branch"],
        )
        table = table.merge(counts, on="branch", how="left")
    return table


@_cached
def commitments_for(ctx: Context, year: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    """承诺践诺 of a year (SPEC §10b): per-member review (ranked members without one listed) and rows."""
    table = scores_for(ctx, year).table
    ranked = set(table.loc[table["starred"], "member_id"])
    return mr.commitments_review(ctx.workspace, set(ctx.skipped), ctx.members, ranked, year.year, ctx.rules)


@_cached
def shop_for(ctx: Context, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """先锋超市 balances as of a day, and every redemption with its balance before and after."""
    return mr.shop_state(ctx.workspace, set(ctx.skipped), ctx.members, ctx.ledger, ctx.rules, as_of)


@_cached
def laggards_for(ctx: Context, as_of: dt.date) -> pd.DataFrame:
    """后进转化 as of a day: proposed last year or this (SPEC §6.4), marked, or registered."""
    derived = {**year_laggards(ctx, as_of.year - 1), **year_laggards(ctx, as_of.year)}
    return mr.laggard_state(ctx.workspace, set(ctx.skipped), ctx.members, derived, ctx.rules, as_of)

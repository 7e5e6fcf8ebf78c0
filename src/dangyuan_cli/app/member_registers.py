"""The three member registers over a workspace (SPEC §10b): 承诺践诺, 先锋超市, 后进转化.

`register_problems` is what `prepare` and `check` add (located errors skip the branch like any
other data error, SPEC §2); the `*_for` functions are the commands' computations, cached per
context like the others.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dangyuan_cli.core.periods import Period
from dangyuan_cli.core.problems import UNLISTED, Problem
from dangyuan_cli.core.rules.model import Rules
from dangyuan_cli.registers import frames
from dangyuan_cli.registers.workspace import Workspace


def _once(ctx, key: tuple, make):
    if key not in ctx.cache:
        ctx.cache[key] = make()
    return ctx.cache[key]


def commitment_entries(ws: Workspace, rules: Rules) -> pd.DataFrame | None:
    """The optional commitment points as ledger entries, or None when the option is off."""
    from dangyuan_cli.domain.commitments import entries

    c = rules.commitments
    if not (c.done_points or c.undone_points):
        return None
    cutoff = rules.points.month_cutoff_day
    return entries(frames.commitments_frame(ws), c, lambda y: Period("year", y, 0, cutoff).end)


def without_own_items(problems: list[Problem]) -> list[Problem]:
    """The commitment entries' items are ours, not the clerk's: no `未列入项目清单` for them."""
    from dangyuan_cli.domain.commitments import DONE_ITEM, UNDONE_ITEM

    return [p for p in problems if not (p.fold[:1] == (UNLISTED,) and p.fold[1] in (DONE_ITEM, UNDONE_ITEM))]


def register_problems(
    ws: Workspace, members: pd.DataFrame, ledger: pd.DataFrame, rules: Rules, found: list[Problem]
) -> list[Problem]:
    """Unknown 评诺 words, redemptions beyond the balance, results before the 帮扶 months.

    Balances are checked only for branches whose registers read without error (`found` so far):
    a ledger that could not be read would make every redemption look like an overspend."""
    from dangyuan_cli.domain.commitments import evaluation_problems
    from dangyuan_cli.domain.laggards import register_problems as laggard_problems
    from dangyuan_cli.domain.shop import check_redemptions

    problems = evaluation_problems(frames.commitments_frame(ws), rules.commitments)
    broken = {p.branch for p in found if p.severity == "error"}
    redemptions = frames.redemptions_frame(ws, broken) if "" not in broken else frames.redemptions_frame(ws).iloc[0:0]
    if not redemptions.empty:
        problems += check_redemptions(redemptions, ledger, rules.shop)[1]
    register = frames.laggards_frame(ws)
    if not register.empty:
        problems += laggard_problems(register, members, rules)
    return problems


def commitments_for(ctx, year: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-member 践诺评诺 incl. ranked members without a commitment, the year's commitment rows)."""
    from dangyuan_cli.app.pipeline import scores_for
    from dangyuan_cli.domain.commitments import review

    def make():
        rows = frames.commitments_frame(ctx.workspace, set(ctx.skipped))
        rows = rows[rows["branch"].isin(set(ctx.members["branch"]))]
        table = scores_for(ctx, year).table
        ranked = set(table.loc[table["starred"], "member_id"])
        return review(rows, ctx.members, ranked, year.year, ctx.rules.commitments), rows[rows["year"] == year.year]

    return _once(ctx, ("commitments", year), make)


def commitment_notice(ctx, year: Period) -> pd.DataFrame:
    """The public 承诺公开 rows: branch, name, commitment — nothing else."""
    rows = commitments_for(ctx, year)[1]
    frame = pd.DataFrame({"branch": rows["branch"], "name": rows["name"], "commitment": rows["item"]})
    return frame.sort_values(["branch", "name"], kind="stable")


def shop_for(ctx, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(balances per member as of the day, every redemption with its balance before and after)."""
    from dangyuan_cli.domain.shop import balances, check_redemptions

    def make():
        redemptions = frames.redemptions_frame(ctx.workspace, set(ctx.skipped))
        redemptions = redemptions[redemptions["branch"].isin(set(ctx.members["branch"]))]
        checked, _ = check_redemptions(redemptions, ctx.ledger, ctx.rules.shop)
        return balances(ctx.members, ctx.ledger, redemptions, ctx.rules.shop, as_of), checked

    return _once(ctx, ("shop", as_of), make)


def shop_basis(rules: Rules) -> str:
    what = "贡献加分扣除违规扣分" if rules.shop.redeemable == "net" else "贡献加分"
    return what + (f"，自{rules.shop.start:%Y年%m月%d日}起" if rules.shop.start else "")


def laggards_for(ctx, as_of: dt.date) -> pd.DataFrame:
    """Every proposed (SPEC §6.4, this year and last) or marked or registered 后进党员 as of a day."""
    from dangyuan_cli.app.pipeline import year_laggards
    from dangyuan_cli.domain.laggards import track, with_marked

    def make():
        found: dict[str, str] = {}
        for y in (as_of.year - 1, as_of.year):
            found.update(year_laggards(ctx, y))
        m = ctx.members.set_index("member_id")
        ids = [i for i in found if i in m.index]
        derived = pd.DataFrame(
            {
                "branch": [m.at[i, "branch"] for i in ids],
                "name": [m.at[i, "name"] for i in ids],
                "member_id": ids,
                "total": None,
                "reason": [found[i] for i in ids],
            },
            columns=["branch", "name", "member_id", "total", "reason"],
        )
        register = frames.laggards_frame(ctx.workspace, set(ctx.skipped))
        return track(with_marked(derived, ctx.members), register, ctx.members, ctx.rules, as_of)

    return _once(ctx, ("laggards", as_of), make)


def month_redemptions(ctx, period: Period) -> pd.DataFrame:
    """The period's redemptions (with balances before and after), for the monthly batch."""
    from dangyuan_cli.core.periods import within

    checked = shop_for(ctx, period.end)[1]
    if checked.empty:
        return checked
    return checked[within(checked, period)]


def report_counts(ctx, period: Period) -> pd.DataFrame:
    """Per branch, for the report upward: commitments made and fulfilled, members without one,
    points redeemed in the period, 后进党员 proposed, converted and overdue."""
    review, _ = commitments_for(ctx, period.year_period())
    spent = month_redemptions(ctx, period)
    lag = laggards_for(ctx, period.end)
    rows = []
    for branch in sorted(set(ctx.members["branch"])):
        r, g = review[review["branch"] == branch], lag[lag["branch"] == branch]
        rows.append(
            {
                "branch": branch,
                "承诺：作出": int(r["made"].sum()),
                "承诺：兑现": int(r["fulfilled"].sum()),
                "承诺：未作出承诺": int(r["missing"].sum()),
                "先锋超市：兑换积分": float(spent.loc[spent["branch"] == branch, "spent"].sum())
                if not spent.empty
                else 0.0,
                "后进：提出": int(g["proposed"].sum()),
                "后进：转化合格": int(g["status"].str.startswith("合格").sum()),
                "后进：期满未评定": int(g["status"].str.startswith("期满未评定").sum()),
            }
        )
    return pd.DataFrame(rows)


def with_report_counts(ctx, period: Period, table: pd.DataFrame) -> pd.DataFrame:
    """The report rows with the three registers' counts added (year reports only)."""
    if period.kind != "year" or table.empty:
        return table
    return table.merge(report_counts(ctx, period), on="branch", how="left")


def counts_sentence(branches: pd.DataFrame) -> str:
    """One sentence for the report's text; empty when the report has no such columns."""
    if "承诺：作出" not in branches.columns:
        return ""
    n = {c: branches[c].fillna(0).sum() for c in branches.columns if c.startswith(("承诺：", "先锋超市：", "后进："))}
    return (
        f"承诺践诺：作出承诺{int(n['承诺：作出'])}项、兑现{int(n['承诺：兑现'])}项，"
        f"{int(n['承诺：未作出承诺'])}名党员未作出承诺；先锋超市兑换积分{n['先锋超市：兑换积分']:g}分；"
        f"后进党员：提出{int(n['后进：提出'])}名，转化合格{int(n['后进：转化合格'])}名，"
        f"期满未评定{int(n['后进：期满未评定'])}名。"
    )

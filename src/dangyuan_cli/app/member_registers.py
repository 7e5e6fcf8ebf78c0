"""The three member registers over a workspace (SPEC §10b): 承诺践诺, 先锋超市, 后进转化.

What `prepare` and `check` add (`commitment_entries`, `register_problems`: located errors skip
their branch like any other data error, SPEC §2), and the frames the cached computations in
`compute` build on. Nothing here needs the scores: `compute` passes in who is ranked or proposed.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dangyuan_cli.core.periods import Period, within
from dangyuan_cli.core.problems import UNLISTED, Problem
from dangyuan_cli.core.rules.model import Rules
from dangyuan_cli.domain.commitments import DONE_ITEM, UNDONE_ITEM, entries, evaluation_problems, review
from dangyuan_cli.domain.laggards import converted, track, with_marked
from dangyuan_cli.domain.laggards import register_problems as laggard_problems
from dangyuan_cli.domain.shop import balances, check_redemptions
from dangyuan_cli.registers import member_frames
from dangyuan_cli.registers.workspace import Workspace


def commitment_entries(ws: Workspace, rules: Rules) -> pd.DataFrame | None:
    """The optional commitment points as ledger entries, or None when the option is off."""
    c = rules.commitments
    if not (c.done_points or c.undone_points):
        return None
    cutoff = rules.points.month_cutoff_day
    return entries(member_frames.commitments_frame(ws), c, lambda y: Period("year", y, 0, cutoff).end)


def without_own_items(problems: list[Problem]) -> list[Problem]:
    """The commitment entries' items are ours, not the clerk's: no `未列入项目清单` for them."""
    return [p for p in problems if not (p.fold[:1] == (UNLISTED,) and p.fold[1] in (DONE_ITEM, UNDONE_ITEM))]


def register_problems(
    ws: Workspace, members: pd.DataFrame, ledger: pd.DataFrame, rules: Rules, found: list[Problem]
) -> list[Problem]:
    """Unknown 评诺 words, redemptions beyond the balance, results before the 帮扶 months.

    Balances are checked only for branches whose registers read without error (`found` so far):
    a ledger that could not be read would make every redemption look like an overspend."""
    problems = evaluation_problems(member_frames.commitments_frame(ws), rules.commitments)
    broken = {p.branch for p in found if p.severity == "error"}
    if "" not in broken:
        redemptions = member_frames.redemptions_frame(ws, broken)
        if not redemptions.empty:
            problems += check_redemptions(redemptions, ledger, rules.shop)[1]
    register = member_frames.laggards_frame(ws)
    if not register.empty:
        problems += laggard_problems(register, members, rules)
    return problems


def _ours(frame: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Rows of the branches computed (a command limited to a folder drops the others)."""
    return frame[frame["branch"].isin(set(members["branch"]))]


def commitments_review(
    ws: Workspace, skipped: set[str], members: pd.DataFrame, ranked: set[str], year: int, rules: Rules
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-member 践诺评诺 incl. ranked members without a commitment, the year's commitment rows)."""
    rows = _ours(member_frames.commitments_frame(ws, skipped), members)
    return review(rows, members, ranked, year, rules.commitments), rows[rows["year"] == year]


def commitment_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The public 承诺公开 rows: branch, name, commitment — nothing else."""
    frame = pd.DataFrame({"branch": rows["branch"], "name": rows["name"], "commitment": rows["item"]})
    return frame.sort_values(["branch", "name"], kind="stable")


def shop_state(
    ws: Workspace, skipped: set[str], members: pd.DataFrame, ledger: pd.DataFrame, rules: Rules, as_of: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(balances per member as of the day, every redemption with its balance before and after)."""
    redemptions = _ours(member_frames.redemptions_frame(ws, skipped), members)
    checked, _ = check_redemptions(redemptions, ledger, rules.shop)
    return balances(members, ledger, redemptions, rules.shop, as_of), checked


def redemptions_in(checked: pd.DataFrame, period: Period) -> pd.DataFrame:
    return checked if checked.empty else checked[within(checked, period)]


def shop_basis(rules: Rules) -> str:
    what = "贡献加分扣除违规扣分" if rules.shop.redeemable == "net" else "贡献加分"
    return what + (f"，自{rules.shop.start:%Y年%m月%d日}起" if rules.shop.start else "")


def laggard_state(
    ws: Workspace, skipped: set[str], members: pd.DataFrame, derived: dict[str, str], rules: Rules, as_of: dt.date
) -> pd.DataFrame:
    """Every proposed (`derived`: member → reason, SPEC §6.4), marked or registered 后进党员."""
    m = members.set_index("member_id")
    ids = [i for i in derived if i in m.index]
    frame = pd.DataFrame(
        {
            "branch": [m.at[i, "branch"] for i in ids],
            "name": [m.at[i, "name"] for i in ids],
            "member_id": ids,
            "total": None,
            "reason": [derived[i] for i in ids],
        },
        columns=["branch", "name", "member_id", "total", "reason"],
    )
    register = member_frames.laggards_frame(ws, skipped)
    return track(with_marked(frame, members), register, members, rules, as_of)


def converted_by(ws: Workspace, skipped: set[str], as_of: dt.date) -> set[str]:
    """Members judged 合格 by `as_of`: back to their branch, no longer 后进 in `classify`."""
    return converted(member_frames.laggards_frame(ws, skipped), as_of)


def register_counts(review_frame: pd.DataFrame, spent: pd.DataFrame, lag: pd.DataFrame, branches) -> pd.DataFrame:
    """Per branch, for the report upward: commitments made and fulfilled, members without one,
    points redeemed in the period, 后进党员 proposed, converted and overdue — each count one
    groupby over the part."""

    def per_branch(frame: pd.DataFrame, values: pd.Series) -> dict:
        return values.astype(int).groupby(frame["branch"]).sum().to_dict() if not frame.empty else {}

    made, fulfilled, missing = (per_branch(review_frame, review_frame[c]) for c in ("made", "fulfilled", "missing"))
    proposed, passed, overdue = {}, {}, {}
    if not lag.empty:
        status = lag["status"].astype(str)
        proposed = per_branch(lag, lag["proposed"])
        passed = per_branch(lag, status.str.startswith("合格"))
        overdue = per_branch(lag, status.str.startswith("期满未评定"))
    # a branch's redemptions summed as the Series sum of its rows (object values, in row order)
    redeemed = {b: float(g["spent"].sum()) for b, g in spent.groupby("branch")} if not spent.empty else {}
    rows = [
        {
            "branch": branch,
            "承诺：作出": int(made.get(branch, 0)),
            "承诺：兑现": int(fulfilled.get(branch, 0)),
            "承诺：未作出承诺": int(missing.get(branch, 0)),
            "先锋超市：兑换积分": redeemed.get(branch, 0.0),
            "后进：提出": int(proposed.get(branch, 0)),
            "后进：转化合格": int(passed.get(branch, 0)),
            "后进：期满未评定": int(overdue.get(branch, 0)),
        }
        for branch in sorted(set(branches))
    ]
    return pd.DataFrame(rows)

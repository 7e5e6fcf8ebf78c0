"""先锋超市 (SPEC §10b; seed 000: 党员积分达到一定标准可在“先锋超市”兑换生活用品).

Balance = redeemable points earned − points spent, as of any day. Redeemable (rules: shop) is by
**default** the 贡献加分 net of 违规扣分, counted as the ledger counts them (revoked entries, caps),
from `shop.start`; the base 100 is not money. Spending never touches the scores or the stars:
this module only reads the resolved ledger.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dangyuan_cli.core.problems import Problem, error
from dangyuan_cli.core.rules.register_sections import ShopRules

BALANCE_COLUMNS = ["branch", "name", "member_id", "earned", "spent", "balance", "last_redemption"]
EPSILON = 1e-9


def earnings(ledger: pd.DataFrame, rules: ShopRules) -> pd.DataFrame:
    """The ledger rows that count as redeemable: member_id, date, points (signed, as counted)."""
    kinds = ["贡献加分", "违规扣分"] if rules.redeemable == "net" else ["贡献加分"]
    if ledger.empty:
        return pd.DataFrame(columns=["member_id", "date", "points"])
    rows = ledger[ledger["valid"] & ledger["type"].isin(kinds) & (ledger["counted"] != 0)]
    if rules.start is not None:
        rows = rows[[d >= rules.start for d in rows["date"]]]
    return pd.DataFrame({"member_id": rows["member_id"], "date": rows["date"], "points": rows["counted"]})


def check_redemptions(
    redemptions: pd.DataFrame, ledger: pd.DataFrame, rules: ShopRules
) -> tuple[pd.DataFrame, list[Problem]]:
    """Each redemption with the balance before and after it, in date order per member; a
    redemption beyond the balance at its date is an error located at its 消耗积分 cell — said as
    dated before the points were earned when the points it needs came in later."""
    earned = earnings(ledger, rules)
    # only the members who redeemed: sorting every member's earnings cost ~20 ms per branch
    earned = earned[earned["member_id"].isin(set(redemptions["member_id"]))] if not redemptions.empty else earned[:0]
    by_member = {m: g.sort_values("date") for m, g in earned.groupby("member_id")} if not earned.empty else {}
    problems: list[Problem] = []
    out = redemptions.assign(before=0.0, after=0.0)
    order = redemptions.sort_values(["member_id", "date", "file", "sheet", "row"]).index
    spent: dict[str, float] = {}
    for i in order:
        r = redemptions.loc[i]
        mine = by_member.get(r["member_id"])
        earned_then = (
            float(mine.loc[[d <= r["date"] for d in mine["date"]], "points"].sum()) if mine is not None else 0.0
        )
        before = round(earned_then - spent.get(r["member_id"], 0.0), 4)
        after = round(before - r["spent"], 4)
        out.at[i, "before"], out.at[i, "after"] = before, after
        if r["spent"] > before + EPSILON:
            later = mine[[d > r["date"] for d in mine["date"]]] if mine is not None else None
            problems.append(_overspend(r, before, later))
        spent[r["member_id"]] = spent.get(r["member_id"], 0.0) + float(r["spent"])
    return out, problems


def _overspend(r: pd.Series, before: float, later: pd.DataFrame | None) -> Problem:
    need = r["spent"] - max(before, 0.0)
    gained, when = 0.0, None
    for d, p in zip(later["date"], later["points"], strict=True) if later is not None else ():
        gained += p
        if gained + EPSILON >= need:
            when = d
            break
    where = f"{r['name']}{r['date']:%Y-%m-%d}兑换“{r['goods'] or '物品'}”消耗{r['spent']:g}分"
    if when is not None:
        message = (
            f"{where}，但兑换日可用积分只有{before:g}分，所需积分到{when:%Y-%m-%d}才获得："
            "兑换日期早于积分获得日期，请核对日期"
        )
    else:
        message = (
            f"{where}，超过兑换日的可用积分{before:g}分（超出{r['spent'] - before:g}分）；请核对消耗积分或积分台账"
        )
    return error(r["file"], r["sheet"], r["cell"], message, r["branch"])


def balances(
    members: pd.DataFrame, ledger: pd.DataFrame, redemptions: pd.DataFrame, rules: ShopRules, as_of: dt.date
) -> pd.DataFrame:
    """Per member of the branch, as of `as_of`: redeemable points earned, spent, and the balance."""
    earned = earnings(ledger, rules)
    earned = earned[[d <= as_of for d in earned["date"]]] if not earned.empty else earned
    used = redemptions[[d <= as_of for d in redemptions["date"]]] if not redemptions.empty else redemptions
    got = earned.groupby("member_id")["points"].sum() if not earned.empty else pd.Series(dtype=float)
    out = used.groupby("member_id")["spent"].sum() if not used.empty else pd.Series(dtype=float)
    last = used.groupby("member_id")["date"].max() if not used.empty else pd.Series(dtype=object)
    active = set(got.index) | set(out.index)
    got, out, last = got.to_dict(), out.to_dict(), last.to_dict()
    people = members[~members["exempt"] | members["member_id"].isin(active)]
    frame = pd.DataFrame(
        {
            "branch": people["branch"],
            "name": people["name"],
            "member_id": people["member_id"],
            # dict lookups, not Series.get per member; Python's round, as before (numpy's differs at .xx5)
            "earned": [round(float(got.get(m, 0.0)), 2) + 0.0 for m in people["member_id"]],
            "spent": [round(float(out.get(m, 0.0)), 2) + 0.0 for m in people["member_id"]],
            "last_redemption": [last.get(m) for m in people["member_id"]],
        }
    )
    frame["balance"] = (frame["earned"] - frame["spent"]).round(2) + 0.0
    return frame[BALANCE_COLUMNS].sort_values(["branch", "name"], kind="stable").reset_index(drop=True)

"""Boards (SPEC §7): monthly 蓝黄红榜 (seed 000) and the quarterly ranking (seed 004).

红榜: the top `red_ratio` of members with positive net points, ties included;
黄榜: net < 0 or a veto; 蓝榜: every other scored member.
"""

from __future__ import annotations

import pandas as pd

from dangyuan_cli.core.formatting import points_text
from dangyuan_cli.core.ranking import share_size
from dangyuan_cli.core.rules.model import Rules

RED, YELLOW, BLUE = "红榜", "黄榜", "蓝榜"
BOARD_ORDER = {RED: 0, BLUE: 1, YELLOW: 2}  # how boards are listed: 红榜 first, 黄榜 last


def in_board_order(board: pd.DataFrame, first: list[str] = ()) -> pd.DataFrame:
    """Rows by `first` columns, then board (红, 蓝, 黄), net points (highest first) and name."""
    first = list(first)
    ordered = board.assign(_order=[BOARD_ORDER.get(b, 1) for b in board["board"]]).sort_values(
        [*first, "_order", "net", "name"], ascending=[*[True] * len(first), True, False, True]
    )
    return ordered.drop(columns="_order")


def net_points(scores: pd.DataFrame, base_points: float) -> pd.Series:
    """A period's own movement: contributions − deductions − base lost in the period."""
    return (scores["contribution"] - scores["deduction"] + (scores["base"] - base_points)).round(2)


def build_board(scores: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """One row per scored member of a period: net points, board and why — column-wise over
    every branch at once (the 红榜 share by one sort per part, not a loop per branch)."""
    scored = scores[scores["total"].notna() & ~scores["left"]].copy()
    scored["net"] = net_points(scored, rules.points.base_points)
    if scored.empty:
        scored["board"], scored["board_reason"] = BLUE, ""
        return scored
    ratio = rules.boards.red_ratio
    vetoed = scored["vetoed"].astype(bool)
    positive = (scored["net"] > 0) & ~vetoed
    count = scored["net"].where(positive).groupby(scored["branch"]).transform("count")
    red = positive & _in_share(scored["net"], scored["branch"], positive, ratio, highest=True)
    yellow_veto = vetoed
    yellow_net = ~vetoed & (scored["net"] < 0)
    shown = scored["net"].map(points_text)
    board = pd.Series(BLUE, index=scored.index, dtype=object)
    board.loc[red], board.loc[yellow_veto | yellow_net] = RED, YELLOW
    reason = "净得分" + shown
    if red.any():
        size = count[red].astype(int)
        reason.loc[red] = (
            "净得分"
            + shown[red]
            + "，居净得分为正的"
            + size.astype(str)
            + f"人前{ratio:.0%}（前"
            + size.map(lambda n: str(share_size(n, ratio)))
            + "名，含并列）"
        )
    reason.loc[yellow_veto] = "一票否决：" + scored.loc[yellow_veto, "veto_items"].astype(str)
    reason.loc[yellow_net] = "净得分" + shown[yellow_net] + "<0"
    scored["board"] = board.tolist()
    scored["board_reason"] = reason.tolist()
    return scored


def _in_share(values: pd.Series, branches: pd.Series, among: pd.Series, ratio: float, highest: bool) -> pd.Series:
    """Per branch, the members of `among` within the top (`highest`) or bottom ceil(N × ratio) of
    `values`, ties included: `top_share`/`bottom_share` of every branch by one sort of the part."""
    if ratio <= 0 or not among.any():
        return pd.Series(False, index=values.index)
    frame = pd.DataFrame({"branch": branches[among], "value": values[among]})
    size = frame.groupby("branch", sort=False)["value"].transform("size")
    take = size.map(lambda n: share_size(n, ratio))
    take = take.where(take > 0, size)  # as the shares' iloc[-1] when the share rounds to none
    ordered = frame.sort_values(["branch", "value"], ascending=[True, not highest], kind="stable")
    nth = ordered.groupby("branch", sort=False).cumcount() + 1
    cut = ordered[nth == take[ordered.index]]  # each branch's last member in the share
    threshold = branches.map(dict(zip(cut["branch"], cut["value"], strict=True)))
    inside = values >= threshold if highest else values <= threshold
    return inside & among


def quarterly_ranking(scores: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Year-to-date ranking at quarter end, with the bottom `remind_ratio` marked for 督促提醒."""
    ranked = scores[scores["total"].notna() & ~scores["left"]].copy()
    ranked["ytd"] = ranked["ytd_total"].astype(float)
    ratio = rules.boards.remind_ratio
    if ranked.empty:
        ranked["rank"], ranked["remind"], ranked["remind_reason"] = 0, False, ""
        return ranked.sort_values(["branch", "rank", "name"])
    ranked["rank"] = competition_rank_by(ranked["ytd"], ranked["branch"])
    everyone = pd.Series(True, index=ranked.index)
    remind = _in_share(ranked["ytd"], ranked["branch"], everyone, ratio, highest=False)
    size = ranked.groupby("branch", sort=False)["ytd"].transform("size")
    reason = pd.Series("", index=ranked.index, dtype=object)
    if remind.any():
        reason.loc[remind] = (
            "累计积分"
            + ranked.loc[remind, "ytd"].map(points_text)
            + f"，居后{ratio:.0%}（后"
            + size[remind].map(lambda n: str(share_size(n, ratio)))
            + "名，含并列）"
        )
    ranked["remind"] = remind.to_numpy(dtype=bool)
    ranked["remind_reason"] = reason.tolist()
    return ranked.sort_values(["branch", "rank", "name"])


def competition_rank_by(values: pd.Series, branches: pd.Series) -> pd.Series:
    """`competition_rank` within each branch, by one groupby."""
    return values.groupby(branches, sort=False).rank(method="min", ascending=False).astype(int)


def consecutive(boards: list[pd.DataFrame], which: str, count: int) -> set[str]:
    """Members on board `which` in each of the last `count` periods (oldest first in `boards`)."""
    if count <= 0 or len(boards) < count:
        return set()
    sets = [set(b.loc[b["board"] == which, "member_id"]) for b in boards[-count:]]
    return set.intersection(*sets)

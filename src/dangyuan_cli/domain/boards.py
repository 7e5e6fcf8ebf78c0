"""Boards (SPEC §7): monthly 蓝黄红榜 (seed 000) and the quarterly ranking (seed 004).

红榜: the top `red_ratio` of members with positive net points, ties included;
黄榜: net < 0 or a veto; 蓝榜: every other scored member.
"""

from __future__ import annotations

import pandas as pd

from dangyuan_cli.core.ranking import bottom_share, competition_rank, share_size, top_share
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
    """One row per scored member of a period: net points, board and why."""
    scored = scores[scores["total"].notna() & ~scores["left"]].copy()
    scored["net"] = net_points(scored, rules.points.base_points)
    scored["board"] = BLUE
    scored["board_reason"] = ""
    for _, group in scored.groupby("branch"):
        positive = group[(group["net"] > 0) & ~group["vetoed"]]
        red = top_share(positive["net"], rules.boards.red_ratio)
        k = share_size(len(positive), rules.boards.red_ratio)
        for idx in positive.index[red.values]:
            scored.at[idx, "board"] = RED
            scored.at[idx, "board_reason"] = (
                f"净得分{scored.at[idx, 'net']:g}，居净得分为正的{len(positive)}人前{rules.boards.red_ratio:.0%}（前{k}名，含并列）"
            )
        for idx in group.index:
            if group.at[idx, "vetoed"]:
                scored.at[idx, "board"] = YELLOW
                scored.at[idx, "board_reason"] = f"一票否决：{group.at[idx, 'veto_items']}"
            elif group.at[idx, "net"] < 0:
                scored.at[idx, "board"] = YELLOW
                scored.at[idx, "board_reason"] = f"净得分{group.at[idx, 'net']:g}<0"
    blue = scored["board"] == BLUE
    scored.loc[blue, "board_reason"] = [f"净得分{n:g}" for n in scored.loc[blue, "net"]]
    return scored


def quarterly_ranking(scores: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Year-to-date ranking at quarter end, with the bottom `remind_ratio` marked for 督促提醒."""
    ranked = scores[scores["total"].notna() & ~scores["left"]].copy()
    ranked["ytd"] = ranked["ytd_total"].astype(float)
    ranked["rank"] = 0
    ranked["remind"] = False
    ranked["remind_reason"] = ""
    for _, group in ranked.groupby("branch"):
        ranked.loc[group.index, "rank"] = competition_rank(group["ytd"]).values
        low = bottom_share(group["ytd"], rules.boards.remind_ratio)
        k = share_size(len(group), rules.boards.remind_ratio)
        for idx in group.index[low.values]:
            ranked.at[idx, "remind"] = True
            ranked.at[idx, "remind_reason"] = (
                f"累计积分{group.at[idx, 'ytd']:g}，居后{rules.boards.remind_ratio:.0%}（后{k}名，含并列）"
            )
    return ranked.sort_values(["branch", "rank", "name"])


def consecutive(boards: list[pd.DataFrame], which: str, count: int) -> set[str]:
    """Members on board `which` in each of the last `count` periods (oldest first in `boards`)."""
    if count <= 0 or len(boards) < count:
        return set()
    sets = [set(b.loc[b["board"] == which, "member_id"]) for b in boards[-count:]]
    return set.intersection(*sets)

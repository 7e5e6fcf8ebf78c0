"""Tables of the three member registers (SPEC §10b): 践诺评诺, 先锋超市 balances and redemptions,
后进转化 — one `BranchTable` per branch, shown by the commands and written by them and by `run`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dangyuan_cli.core.formatting import fmt
from dangyuan_cli.core.periods import Period
from dangyuan_cli.publish.results import ResultSheet
from dangyuan_cli.publish.tables import BranchTable, by_branch

EVALUATIONS = ("自评", "书记点评", "党员互评", "群众测评")
INTERNAL = "内部资料，注意保密"


def _day(value: object) -> str:
    return f"{value:%Y-%m-%d}" if isinstance(value, dt.date) else ""


def commitment_tables(review: pd.DataFrame, rows: pd.DataFrame, year: int) -> list[BranchTable]:
    """Per branch: each member's 践诺评诺 (missing ones flagged for 督促), then every commitment."""
    header = ["姓名", "承诺数", "已完成", "评诺结果", "承诺事项", "说明"]
    tables = []
    mine_rows = rows[rows["year"] == year] if not rows.empty else rows
    details = {b: list(g) for b, g in by_branch(mine_rows, ["name", "row"])} if not mine_rows.empty else {}
    for branch, group in by_branch(review):
        body = [
            [r.name, r.made, r.fulfilled, r.result or "", r.items, r.reason if not r.missing else f"督促：{r.reason}"]
            for r in group
        ]
        sheets = [ResultSheet("践诺评诺", f"{branch}党支部{year}年党员承诺践诺评诺情况", header, body, (INTERNAL,))]
        detail = details.get(branch)
        if detail:
            lines = [
                [r.name, r.item, r.done, *(r.evaluations.get(e, ("", ""))[0] for e in EVALUATIONS)] for r in detail
            ]
            sheets.append(
                ResultSheet(
                    "承诺明细",
                    f"{branch}党支部{year}年党员承诺明细",
                    ["姓名", "承诺事项", "完成情况", *EVALUATIONS],
                    lines,
                )
            )
        tables.append(BranchTable(branch, f"{branch} {year}年承诺践诺", "践诺评诺（内部资料）.xlsx", sheets))
    return tables


def shop_tables(balances: pd.DataFrame, as_of: dt.date, basis: str) -> list[BranchTable]:
    header = ["姓名", "可兑换积分", "已兑换积分", "余额", "最近兑换"]
    note = f"可兑换积分：{basis}；基础积分不可兑换；兑换不影响积分排名和星级。"
    tables = []
    for branch, group in by_branch(balances):
        body = [[r.name, fmt(r.earned), fmt(r.spent), fmt(r.balance), _day(r.last_redemption)] for r in group]
        sheet = ResultSheet(
            "积分余额", f"{branch}党支部先锋超市积分余额（截至{as_of:%Y年%m月%d日}）", header, body, (note,)
        )
        tables.append(
            BranchTable(branch, f"{branch} 先锋超市积分余额（截至{as_of:%Y-%m-%d}）", "先锋超市积分余额.xlsx", [sheet])
        )
    return tables


def redemption_tables(redemptions: pd.DataFrame, period: Period) -> list[BranchTable]:
    """The period's redemptions per branch, each with the balance before and after it."""
    header = ["日期", "姓名", "物品", "消耗积分", "兑换前余额", "兑换后余额"]
    tables = []
    for branch, group in by_branch(redemptions, ["date", "name"]):
        body = [[_day(r.date), r.name, r.goods, fmt(r.spent), fmt(r.before), fmt(r.after)] for r in group]
        sheet = ResultSheet("兑换明细", f"{branch}党支部{period.label}先锋超市兑换明细", header, body)
        tables.append(BranchTable(branch, f"{branch} {period.label}先锋超市兑换", "先锋超市兑换明细.xlsx", [sheet]))
    return tables


def laggard_tables(frame: pd.DataFrame, as_of: dt.date) -> list[BranchTable]:
    header = ["姓名", "来源", "转入日期", "帮扶责任人", "期满日期", "结果", "结果日期", "状态", "说明"]
    tables = []
    for branch, group in by_branch(frame):
        body = [
            [
                r.name,
                "积分测算/名册标记" if r.proposed else "转化台账",
                _day(r.since),
                r.helper,
                _day(r.due),
                r.result,
                _day(r.result_date),
                r.status.split("：")[0].split("（")[0],
                "；".join(x for x in (r.status.partition("：")[2], fmt(r.reason)) if x),
            ]
            for r in group
        ]
        sheet = ResultSheet(
            "后进转化", f"{branch}党支部后进党员整顿转化情况（截至{as_of:%Y年%m月%d日}）", header, body, (INTERNAL,)
        )
        tables.append(
            BranchTable(
                branch, f"{branch} 后进党员转化（截至{as_of:%Y-%m-%d}）", "后进党员转化（内部资料）.xlsx", [sheet]
            )
        )
    return tables

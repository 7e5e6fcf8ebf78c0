"""Frames of the member registers that came last (承诺践诺, 先锋超市兑换, 后进党员转化, 民主评议票,
发展党员记实); the roster, points, duty, posts and contacts frames are in `frames`.
"""

from __future__ import annotations

import pandas as pd

from dangyuan_cli.core.records import LAGGARD_COLUMNS, LOCATION
from dangyuan_cli.registers.frame_rows import cell_or, date_of, located, located_or, member_frame, member_keys, rows_of
from dangyuan_cli.registers.members import Member
from dangyuan_cli.registers.recognize import Row, Table
from dangyuan_cli.registers.workspace import Workspace


def laggards_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """后进党员转化台账 rows; `cell` is the 结果日期 cell (where a too-early result is located)."""

    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        return {
            "branch": member.branch,
            "member_id": member.member_id,
            "since": date_of(row.values.get("转入日期")),
            "helper": row.values.get("帮扶责任人", "") or "",
            "result": row.values.get("结果", "") or "",
            "result_date": date_of(row.values.get("结果日期")),
            "name": member.name,
            **located_or(table, row, "结果日期", "姓名"),
            "helper_cell": cell_or(row, "帮扶责任人", "姓名"),
        }

    return member_frame(ws, "laggards", skip, [*LAGGARD_COLUMNS, "name", "helper_cell"], shape)


EVALUATIONS = ("自评", "书记点评", "党员互评", "群众测评")


def commitments_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """承诺践诺台账 rows: one per commitment, with the four evaluations and their cells."""

    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        year = row.values.get("年度")
        return {
            **member_keys(member),
            "year": int(year) if isinstance(year, int | float) else None,
            "item": str(row.values.get("承诺事项") or ""),
            "done": str(row.values.get("完成情况") or ""),
            "done_cell": cell_or(row, "完成情况", "承诺事项"),
            "evaluations": {
                e: (str(row.values[e]), row.cell(e)) for e in EVALUATIONS if row.has_column(e) and row.values.get(e)
            },
            **located(table, row, "承诺事项"),
        }

    columns = ["branch", "member_id", "name", "year", "item", "done", "done_cell", "evaluations", *LOCATION]
    return member_frame(ws, "commitments", skip, columns, shape)


def redemptions_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """先锋超市兑换台账 rows, located at their 消耗积分 cell."""

    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        spent = row.values.get("消耗积分")
        return {
            **member_keys(member),
            "date": row.values["日期"].date,
            "goods": str(row.values.get("物品") or ""),
            "spent": float(spent) if isinstance(spent, int | float) else 0.0,
            **located_or(table, row, "消耗积分", "姓名"),
        }

    columns = ["branch", "member_id", "name", "date", "goods", "spent", *LOCATION]
    return member_frame(ws, "redemptions", skip, columns, shape)


RATING_ITEMS = ("政治表现", "道德品行", "遵纪守法", "工作表现", "履行承诺")
BALLOT_COLUMNS = [
    "branch",
    "member_id",
    "name",
    "label",
    "voter",
    "overall",
    *RATING_ITEMS,
    "nominate",
    "date",
    "file",
    "sheet",
    "row",
    "cell",
]


def ballots_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """One row per 民主评议票 (seed 004 双评): the candidate, 党员/群众, the six ratings ("" when
    the ballot left an item blank), 推荐 (None without the column) and the 评议日期 if any.
    A ballot whose 类别 or 综合评价 did not parse is left out: an error of its branch already."""

    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        return {
            **member_keys(member),
            "label": member.label,
            "voter": row.values.get("评议人类别") or "",
            "overall": row.values.get("综合评价") or "",
            **{item: row.values.get(item) or "" for item in RATING_ITEMS},
            "nominate": bool(row.values.get("推荐")) if row.has_column("推荐") else None,
            "date": date_of(row.values.get("评议日期")),
            **located(table, row, "评议人类别"),
        }

    frame = member_frame(ws, "ballots", skip, BALLOT_COLUMNS, shape)
    return frame[(frame["voter"] != "") & (frame["overall"] != "")].reset_index(drop=True)


DEVELOPMENT_STAGES = ("申请入党日期", "确定积极分子日期", "确定发展对象日期", "接收预备党员日期", "转正日期")


def development_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """One row per person of the 发展党员记实 (applicants need not be on the roster); each stage's
    date and the cell it is in, so a finding can point at it."""
    rows = []
    for table, r, branch in rows_of(ws, "development", skip):
        if not r.values.get("姓名"):
            continue
        row = {
            "branch": branch,
            "name": str(r.values["姓名"]),
            "born": date_of(r.values.get("出生年月")),
            "contact": r.values.get("培养联系人") or "",
            "file": table.file,
            "sheet": table.sheet,
            "row": r.sheet_row,
        }
        for stage in DEVELOPMENT_STAGES:
            row[stage] = date_of(r.values.get(stage))
            row[f"{stage}_cell"] = r.cell(stage)
        row["出生年月_cell"] = r.cell("出生年月")
        rows.append(row)
    columns = ["branch", "name", "born", "contact", "file", "sheet", "row", *DEVELOPMENT_STAGES]
    columns += [f"{s}_cell" for s in (*DEVELOPMENT_STAGES, "出生年月")]
    return pd.DataFrame(rows, columns=columns)

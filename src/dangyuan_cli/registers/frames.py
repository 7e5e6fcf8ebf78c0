"""Parsed register rows → pandas DataFrames for the domain functions (columns: `core.records`).

Each frame row keeps where it came from (`file`, `sheet`, `row`, and the cell of the value that
matters), so any figure computed later can point back at its cells.
"""

from __future__ import annotations

import pandas as pd

from dangyuan_cli.core.records import (
    CLAIM_COLUMNS,
    CONTACT_COLUMNS,
    DUTY_COLUMNS,
    DUTY_RECORD_COLUMNS,
    ENTRY_COLUMNS,
    GROUP_COLUMNS,
    MEMBER_COLUMNS,
    POST_COLUMNS,
    with_ordinal,
)
from dangyuan_cli.registers.frame_rows import (
    cell_or,
    date_of,
    group_of,
    located,
    located_or,
    member_frame,
    member_keys,
    rows_of,
)
from dangyuan_cli.registers.members import Member
from dangyuan_cli.registers.recognize import Row, Table
from dangyuan_cli.registers.workspace import Workspace


def members_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """One row per roster member; `label` is how other registers must write them (`王伟（7）`
    when the branch has two of that name). Built column by column, like `entries_frame`."""
    rows = [m for m in ws.roster.members() if m.branch not in skip]
    if not rows:  # no rows: every column of object dtype, as pandas types an empty list of rows
        return pd.DataFrame([], columns=MEMBER_COLUMNS)
    cells = [m.row.values for m in rows]
    columns = {
        "branch": [m.branch for m in rows],
        "member_id": [m.member_id for m in rows],
        "number": [m.number for m in rows],
        "name": [m.name for m in rows],
        "label": [m.label for m in rows],
        "category": [c.get("人员类别") or "正式党员" for c in cells],
        "sex": [c.get("性别") or "" for c in cells],
        "phone": [c.get("联系方式") or "" for c in cells],
        "address": [c.get("详细住址") or "" for c in cells],
        "office": [c.get("职务") or "" for c in cells],
        "exempt": [bool(c.get("免于积分", False)) for c in cells],
        "born": [date_of(c.get("出生年月")) for c in cells],
        "joined": [date_of(c.get("入党时间")) for c in cells],
        "health": [c.get("身体状况") or "" for c in cells],
        "poor": [bool(c.get("生活困难", False)) for c in cells],
        "poor_note": [c.get("生活困难_说明", "") for c in cells],
        "away": [bool(c.get("外出务工", False)) for c in cells],
        "away_since": [date_of(c.get("外出时间")) for c in cells],
        "away_to": [c.get("外出去向") or "" for c in cells],
        "marked_laggard": [bool(c.get("后进党员", False)) for c in cells],
        "moved_in": [date_of(c.get("转入日期")) for c in cells],
        "moved_out": [date_of(c.get("转出日期")) for c in cells],
        "file": [m.table.file for m in rows],
        "sheet": [m.table.sheet for m in rows],
        "row": [m.row.sheet_row for m in rows],
    }
    return pd.DataFrame(columns, columns=MEMBER_COLUMNS)


def public_ids(members: pd.DataFrame) -> dict[str, str | None]:
    """Internal key → the `member_id` scripts see: the roster's 编号 as written, None without one."""
    return {k: (n or None) for k, n in zip(members["member_id"], members["number"], strict=True)}


def entries_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """Every points-register row that parsed and names a known member. Built column by column,
    each table's column in one comprehension: a county has 175,000 such rows, and a dict per row
    cost twice as much as one loop appending to every column, which cost 1.5× this."""
    columns: dict[str, list] = {c: [] for c in ENTRY_COLUMNS if c != "ordinal"}
    members = ws.names.members
    for table in ws.tables_of("points"):
        file, sheet = table.file, table.sheet
        named = [(row, members.get((file, sheet, row.sheet_row))) for row in table.rows]  # `ws.names.member`
        kept = [(row, m) for row, m in named if m is not None and m.branch not in skip]
        cells = [row.values for row, _ in kept]
        if "党支部" in table.columns:  # a township-wide register: a row may name its own branch
            columns["branch"] += [table.branch_of(row) for row, _ in kept]
        else:
            columns["branch"] += [table.branch] * len(kept)
        columns["member_id"] += [m.member_id for _, m in kept]
        columns["name"] += [m.name for _, m in kept]
        columns["date"] += [c["日期"].date for c in cells]
        columns["type"] += [c["积分类型"] for c in cells]
        columns["item"] += [c["事项"] for c in cells]
        columns["value"] += [_points(c.get("分值")) for c in cells]
        columns["status"] += [c.get("状态") or "有效" for c in cells]
        columns["reason"] += [c.get("撤销原因") or "" for c in cells]
        columns["approved_by"] += [c.get("认定") or "" for c in cells]
        columns["file"] += [file] * len(kept)
        columns["sheet"] += [sheet] * len(kept)
        columns["row"] += [row.sheet_row for row, _ in kept]
        columns["cell"] += [row.cell("分值" if "分值" in row.letters else "事项") for row, _ in kept]
    if not columns["row"]:  # no rows: every column of object dtype, as pandas types an empty list of rows
        return with_ordinal(pd.DataFrame([], columns=ENTRY_COLUMNS))
    return with_ordinal(pd.DataFrame(columns, columns=ENTRY_COLUMNS))


def _points(value: object) -> float:
    """A parsed 分值 as a float; NaN for a row without one."""
    return float(value) if isinstance(value, float) else float("nan")


def duty_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """One row per participation in a duty record (履岗记实)."""
    found = []
    for table, row, branch in rows_of(ws, "duty", skip):
        for m in ws.names.participants_of(table, row):
            found.append(
                {
                    "branch": branch,
                    "group": group_of(row),
                    "date": row.values["活动时间"].date,
                    "member_id": m.member_id,
                    "name": m.name,
                    "content": row.values.get("履岗内容", ""),
                    **located(table, row, "参与党员"),
                }
            )
    return pd.DataFrame(found, columns=DUTY_COLUMNS)


def contacts_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        return {
            "branch": member.branch,
            "member_id": member.member_id,
            "date": row.values["日期"].date,
            "way": row.values.get("方式", ""),
            **located(table, row, "日期"),
        }

    return member_frame(ws, "contacts", skip, CONTACT_COLUMNS, shape)


def posts_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    found = [
        {
            "branch": branch,
            "post": row.values["岗位名称"],
            "duty": row.values["职责任务"],
            "standard": row.values.get("标准要求", ""),
            **located(table, row, "岗位名称"),
        }
        for table, row, branch in rows_of(ws, "posts", skip)
    ]
    return pd.DataFrame(found, columns=POST_COLUMNS)


def claims_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        return {
            **member_keys(member),
            "first": row.values.get("第一志愿", ""),
            "second": row.values.get("第二志愿", ""),
            "specialty": row.values.get("特长", ""),
            "leader": bool(row.values.get("组长", False)),
            **located_or(table, row, "第一志愿", "姓名"),
            "second_cell": cell_or(row, "第二志愿", "姓名"),
        }

    return member_frame(ws, "claims", skip, CLAIM_COLUMNS, shape)


def groups_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """Rows of an existing 定岗编组台账, with the group, 组长 and 包组干部 of their block."""

    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        return {
            "branch": member.branch,
            "group": group_of(row),
            "leader": row.values.get("组长") or row.context.get("组长", ""),
            "cadre": row.values.get("包组干部") or row.context.get("包组干部", ""),
            "member_id": member.member_id,
            "name": member.name,
            **located(table, row, "姓名"),
        }

    return member_frame(ws, "groups", skip, GROUP_COLUMNS, shape)


def duty_records(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """One row per 履岗记实 record (not per participant), for writing the month's 履岗记实台账."""
    found = [
        {
            "branch": branch,
            "group": group_of(row),
            "date": row.values["活动时间"].date,
            "participants": "、".join(m.label for m in ws.names.participants_of(table, row)),
            "content": row.values.get("履岗内容", ""),
            "effect": row.values.get("取得成效", ""),
            "remark": row.values.get("备注", ""),
        }
        for table, row, branch in rows_of(ws, "duty", skip)
    ]
    return pd.DataFrame(found, columns=DUTY_RECORD_COLUMNS)


DUTY_ITEM = "履岗活动"


def duty_entries(ws: Workspace, points: float) -> pd.DataFrame:
    """Each participation in a 履岗记实 record as a 贡献加分 entry worth `points` (rules:
    points.duty_points), located at the record's 参与党员 cell."""
    duty = duty_frame(ws)
    frame = pd.DataFrame(
        {
            "branch": duty["branch"],
            "member_id": duty["member_id"],
            "name": duty["name"],
            "date": duty["date"],
            "type": "贡献加分",
            "item": DUTY_ITEM,
            "value": float(points),
            "status": "有效",
            "reason": "",
            "approved_by": "",
            "file": duty["file"],
            "sheet": duty["sheet"],
            "row": duty["row"],
            "cell": duty["cell"],
        },
        columns=ENTRY_COLUMNS,
    )
    return with_ordinal(frame)

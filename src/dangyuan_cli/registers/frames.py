"""Parsed register rows → pandas DataFrames for the domain functions.

Each frame row keeps where it came from (`file`, `sheet`, `row`, and the cell of the value that
matters), so any figure computed later can point back at its cells.
"""

from __future__ import annotations

import pandas as pd

from dangyuan_cli.registers import values as v
from dangyuan_cli.registers.branches import row_branch
from dangyuan_cli.registers.members import Member
from dangyuan_cli.registers.workspace import Workspace

# `member_id` in every frame is the internal key (unique, for joins); `number` is the roster's
# 编号 as written ("" when none), the only identity shown to scripts (SPEC §2)
MEMBER_COLUMNS = [
    "branch",
    "member_id",
    "number",
    "name",
    "label",
    "category",
    "sex",
    "phone",
    "address",
    "office",
    "exempt",
    "born",
    "joined",
    "health",
    "poor",
    "poor_note",
    "away",
    "away_since",
    "away_to",
    "marked_laggard",
    "moved_in",
    "moved_out",
    "file",
    "sheet",
    "row",
]
ENTRY_COLUMNS = [
    "branch",
    "member_id",
    "name",
    "date",
    "type",
    "item",
    "value",
    "status",
    "reason",
    "approved_by",
    "file",
    "sheet",
    "row",
    "cell",
]


def _date(value: object):
    return value.date if isinstance(value, v.DateValue) else None


def _member_rows(ws: Workspace, key: str, skip: set[str]):
    """Rows of register `key` that name a known member of a branch not skipped."""
    for table in ws.tables_of(key):
        for r in table.rows:
            member = r.values.get("_member")
            if isinstance(member, Member) and member.branch not in skip:
                yield table, r, member


def members_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """One row per roster member; `label` is how other registers must write them (`王伟（7）`
    when the branch has two of that name)."""
    rows = []
    for m in ws.roster.members():
        if m.branch in skip:
            continue
        g = m.row.values
        rows.append(
            {
                "branch": m.branch,
                "member_id": m.member_id,
                "number": m.number,
                "name": m.name,
                "label": m.label,
                "category": g.get("人员类别") or "正式党员",
                "sex": g.get("性别") or "",
                "phone": g.get("联系方式") or "",
                "address": g.get("详细住址") or "",
                "office": g.get("职务") or "",
                "exempt": bool(g.get("免于积分", False)),
                "born": _date(g.get("出生年月")),
                "joined": _date(g.get("入党时间")),
                "health": g.get("身体状况") or "",
                "poor": bool(g.get("生活困难", False)),
                "poor_note": g.get("生活困难_说明", ""),
                "away": bool(g.get("外出务工", False)),
                "away_since": _date(g.get("外出时间")),
                "away_to": g.get("外出去向") or "",
                "marked_laggard": bool(g.get("后进党员", False)),
                "moved_in": _date(g.get("转入日期")),
                "moved_out": _date(g.get("转出日期")),
                "file": m.table.file,
                "sheet": m.table.sheet,
                "row": m.row.row,
            }
        )
    return pd.DataFrame(rows, columns=MEMBER_COLUMNS)


def public_ids(members: pd.DataFrame) -> dict[str, str | None]:
    """Internal key → the `member_id` scripts see: the roster's 编号 as written, None without one."""
    return {k: (n or None) for k, n in zip(members["member_id"], members["number"], strict=True)}


def entries_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """Every points-ledger row that parsed and names a known member."""
    rows = []
    for table, r, member in _member_rows(ws, "points", skip):
        value = r.values.get("分值")
        rows.append(
            {
                "branch": row_branch(table, r),
                "member_id": member.member_id,
                "name": member.name,
                "date": r.values["日期"].date,
                "type": r.values["积分类型"],
                "item": r.values["事项"],
                "value": float(value) if isinstance(value, float) else float("nan"),
                "status": r.values.get("状态") or "有效",
                "reason": r.values.get("撤销原因") or "",
                "approved_by": r.values.get("认定") or "",
                "file": table.file,
                "sheet": table.sheet,
                "row": r.row,
                "cell": r.cell("分值") if r.has_column("分值") else r.cell("事项"),
            }
        )
    frame = pd.DataFrame(rows, columns=ENTRY_COLUMNS)
    frame["ordinal"] = [d.toordinal() for d in frame["date"]]  # for column-wise period filters
    return frame


def duty_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """One row per participation in a duty record (履岗记实)."""
    rows = []
    for table in ws.tables_of("duty"):
        for r in table.rows:
            branch = row_branch(table, r)
            if branch in skip:
                continue
            group = r.values.get("编组名称") or r.context.get("编组名称", "")
            for m in r.values.get("_members", []):
                rows.append(
                    {
                        "branch": branch,
                        "group": group,
                        "date": r.values["活动时间"].date,
                        "member_id": m.member_id,
                        "name": m.name,
                        "content": r.values.get("履岗内容", ""),
                        "file": table.file,
                        "sheet": table.sheet,
                        "row": r.row,
                        "cell": r.cell("参与党员"),
                    }
                )
    return pd.DataFrame(
        rows,
        columns=["branch", "group", "date", "member_id", "name", "content", "file", "sheet", "row", "cell"],
    )


def contacts_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    rows = []
    for _table, r, member in _member_rows(ws, "contacts", skip):
        rows.append(
            {
                "branch": member.branch,
                "member_id": member.member_id,
                "date": r.values["日期"].date,
                "way": r.values.get("方式", ""),
            }
        )
    return pd.DataFrame(rows, columns=["branch", "member_id", "date", "way"])


_WHERE = ["file", "sheet", "row", "cell"]
LAGGARD_COLUMNS = ["branch", "member_id", "since", "helper", "result", "result_date", "name", *_WHERE]


def laggards_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """后进党员转化台账 rows; `cell` is the 结果日期 cell (where a too-early result is located)."""
    rows = []
    for table, r, member in _member_rows(ws, "laggards", skip):
        rows.append(
            {
                "branch": member.branch,
                "member_id": member.member_id,
                "since": _date(r.values.get("转入日期")),
                "helper": r.values.get("帮扶责任人", "") or "",
                "result": r.values.get("结果", "") or "",
                "result_date": _date(r.values.get("结果日期")),
                "name": member.name,
                **_where(table, r, "结果日期", "姓名"),
                "helper_cell": r.cell("帮扶责任人") if r.has_column("帮扶责任人") else r.cell("姓名"),
            }
        )
    return pd.DataFrame(rows, columns=[*LAGGARD_COLUMNS, "helper_cell"])


EVALUATIONS = ("自评", "书记点评", "党员互评", "群众测评")


def commitments_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """承诺践诺台账 rows: one per commitment, with the four evaluations and their cells."""
    rows = []
    for table, r, member in _member_rows(ws, "commitments", skip):
        year = r.values.get("年度")
        rows.append(
            {
                "branch": member.branch,
                "member_id": member.member_id,
                "name": member.name,
                "year": int(year) if isinstance(year, int | float) else None,
                "item": str(r.values.get("承诺事项") or ""),
                "done": str(r.values.get("完成情况") or ""),
                "done_cell": r.cell("完成情况") if r.has_column("完成情况") else r.cell("承诺事项"),
                "evaluations": {
                    e: (str(r.values[e]), r.cell(e)) for e in EVALUATIONS if r.has_column(e) and r.values.get(e)
                },
                **_where(table, r, "承诺事项", "承诺事项"),
            }
        )
    columns = ["branch", "member_id", "name", "year", "item", "done", "done_cell", "evaluations", *_WHERE]
    return pd.DataFrame(rows, columns=columns)


def redemptions_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """先锋超市兑换台账 rows, located at their 消耗积分 cell."""
    rows = []
    for table, r, member in _member_rows(ws, "redemptions", skip):
        spent = r.values.get("消耗积分")
        rows.append(
            {
                "branch": member.branch,
                "member_id": member.member_id,
                "name": member.name,
                "date": r.values["日期"].date,
                "goods": str(r.values.get("物品") or ""),
                "spent": float(spent) if isinstance(spent, int | float) else 0.0,
                **_where(table, r, "消耗积分", "姓名"),
            }
        )
    return pd.DataFrame(rows, columns=["branch", "member_id", "name", "date", "goods", "spent", *_WHERE])


def _where(table, r, column: str, fallback: str) -> dict:
    return {
        "file": table.file,
        "sheet": table.sheet,
        "row": r.row,
        "cell": r.cell(column) if r.has_column(column) else r.cell(fallback),
    }


def posts_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    rows = []
    for table in ws.tables_of("posts"):
        for r in table.rows:
            branch = row_branch(table, r)
            if branch not in skip:
                rows.append(
                    {
                        "branch": branch,
                        "post": r.values["岗位名称"],
                        "duty": r.values["职责任务"],
                        "standard": r.values.get("标准要求", ""),
                    }
                )
    return pd.DataFrame(rows, columns=["branch", "post", "duty", "standard"])


def claims_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    rows = []
    for _table, r, member in _member_rows(ws, "claims", skip):
        rows.append(
            {
                "branch": member.branch,
                "member_id": member.member_id,
                "name": member.name,
                "first": r.values.get("第一志愿", ""),
                "second": r.values.get("第二志愿", ""),
                "specialty": r.values.get("特长", ""),
                "leader": bool(r.values.get("组长", False)),
            }
        )
    return pd.DataFrame(rows, columns=["branch", "member_id", "name", "first", "second", "specialty", "leader"])


def groups_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """Rows of an existing 定岗编组台账, with the group, 组长 and 包组干部 of their block."""
    rows = []
    for table, r, member in _member_rows(ws, "groups", skip):
        rows.append(
            {
                "branch": member.branch,
                "group": r.values.get("编组名称") or r.context.get("编组名称", ""),
                "leader": r.values.get("组长") or r.context.get("组长", ""),
                "cadre": r.values.get("包组干部") or r.context.get("包组干部", ""),
                "member_id": member.member_id,
                "name": member.name,
                "file": table.file,
                "sheet": table.sheet,
                "row": r.row,
                "cell": r.cell("姓名"),
            }
        )
    return pd.DataFrame(
        rows, columns=["branch", "group", "leader", "cadre", "member_id", "name", "file", "sheet", "row", "cell"]
    )


def duty_records(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """One row per 履岗记实 record (not per participant), for writing the month's ledger."""
    rows = []
    for table in ws.tables_of("duty"):
        for r in table.rows:
            branch = row_branch(table, r)
            if branch in skip:
                continue
            rows.append(
                {
                    "branch": branch,
                    "group": r.values.get("编组名称") or r.context.get("编组名称", ""),
                    "date": r.values["活动时间"].date,
                    "participants": "、".join(m.label for m in r.values.get("_members", [])),
                    "content": r.values.get("履岗内容", ""),
                    "effect": r.values.get("取得成效", ""),
                    "remark": r.values.get("备注", ""),
                }
            )
    return pd.DataFrame(rows, columns=["branch", "group", "date", "participants", "content", "effect", "remark"])


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
    frame["ordinal"] = [d.toordinal() for d in frame["date"]]
    return frame

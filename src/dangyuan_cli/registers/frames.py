"""Parsed register rows → pandas DataFrames for the domain functions (columns: `core.records`).

Each frame row keeps where it came from (`file`, `sheet`, `row`, and the cell of the value that
matters), so any figure computed later can point back at its cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd

from dangyuan_cli.core.records import (
    CLAIM_COLUMNS,
    CONTACT_COLUMNS,
    DUTY_COLUMNS,
    DUTY_RECORD_COLUMNS,
    ENTRY_COLUMNS,
    GROUP_COLUMNS,
    LAGGARD_COLUMNS,
    LOCATION,
    MEMBER_COLUMNS,
    POST_COLUMNS,
)
from dangyuan_cli.registers import values as v
from dangyuan_cli.registers.members import Member
from dangyuan_cli.registers.recognize import Row, Table
from dangyuan_cli.registers.workspace import Workspace


def _date(value: object):
    return value.date if isinstance(value, v.DateValue) else None


def _located(table: Table, row: Row, column: str) -> dict[str, object]:
    """The location columns of a frame row: the row, and the cell of `column` in it."""
    return {"file": table.file, "sheet": table.sheet, "row": row.sheet_row, "cell": row.cell(column)}


def _rows(ws: Workspace, key: str, skip: set[str]) -> Iterator[tuple[Table, Row, str]]:
    """(table, row, branch) for every row of register `key` in a branch not skipped."""
    for table in ws.tables_of(key):
        for row in table.rows:
            branch = table.branch_of(row)
            if branch not in skip:
                yield table, row, branch


def _member_frame(
    ws: Workspace,
    key: str,
    skip: set[str],
    columns: list[str],
    shape: Callable[[Table, Row, Member], dict[str, object]],
) -> pd.DataFrame:
    """One frame row per row of register `key` that names a known member of a branch not skipped."""
    found = []
    for table in ws.tables_of(key):
        for row in table.rows:
            member = ws.names.member(table, row)
            if member is not None and member.branch not in skip:
                found.append(shape(table, row, member))
    return pd.DataFrame(found, columns=columns)


def members_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """One row per roster member; `label` is how other registers must write them (`王伟（7）`
    when the branch has two of that name)."""
    found = []
    for m in ws.roster.members():
        if m.branch in skip:
            continue
        cells = m.row.values
        found.append(
            {
                "branch": m.branch,
                "member_id": m.member_id,
                "number": m.number,
                "name": m.name,
                "label": m.label,
                "category": cells.get("人员类别") or "正式党员",
                "sex": cells.get("性别") or "",
                "phone": cells.get("联系方式") or "",
                "address": cells.get("详细住址") or "",
                "office": cells.get("职务") or "",
                "exempt": bool(cells.get("免于积分", False)),
                "born": _date(cells.get("出生年月")),
                "joined": _date(cells.get("入党时间")),
                "health": cells.get("身体状况") or "",
                "poor": bool(cells.get("生活困难", False)),
                "poor_note": cells.get("生活困难_说明", ""),
                "away": bool(cells.get("外出务工", False)),
                "away_since": _date(cells.get("外出时间")),
                "away_to": cells.get("外出去向") or "",
                "marked_laggard": bool(cells.get("后进党员", False)),
                "moved_in": _date(cells.get("转入日期")),
                "moved_out": _date(cells.get("转出日期")),
                "file": m.table.file,
                "sheet": m.table.sheet,
                "row": m.row.sheet_row,
            }
        )
    return pd.DataFrame(found, columns=MEMBER_COLUMNS)


def public_ids(members: pd.DataFrame) -> dict[str, str | None]:
    """Internal key → the `member_id` scripts see: the roster's 编号 as written, None without one."""
    return {k: (n or None) for k, n in zip(members["member_id"], members["number"], strict=True)}


def _with_ordinal(frame: pd.DataFrame) -> pd.DataFrame:
    frame["ordinal"] = [d.toordinal() for d in frame["date"]]  # for column-wise period filters
    return frame


def entries_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """Every points-register row that parsed and names a known member."""

    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        value = row.values.get("分值")
        return {
            "branch": table.branch_of(row),
            "member_id": member.member_id,
            "name": member.name,
            "date": row.values["日期"].date,
            "type": row.values["积分类型"],
            "item": row.values["事项"],
            "value": float(value) if isinstance(value, float) else float("nan"),
            "status": row.values.get("状态") or "有效",
            "reason": row.values.get("撤销原因") or "",
            "approved_by": row.values.get("认定") or "",
            **_located(table, row, "分值" if row.has_column("分值") else "事项"),
        }

    return _with_ordinal(_member_frame(ws, "points", skip, ENTRY_COLUMNS, shape))


def _group_of(row: Row) -> str:
    return row.values.get("编组名称") or row.context.get("编组名称", "")


def duty_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """One row per participation in a duty record (履岗记实)."""
    found = []
    for table, row, branch in _rows(ws, "duty", skip):
        for m in ws.names.participants_of(table, row):
            found.append(
                {
                    "branch": branch,
                    "group": _group_of(row),
                    "date": row.values["活动时间"].date,
                    "member_id": m.member_id,
                    "name": m.name,
                    "content": row.values.get("履岗内容", ""),
                    **_located(table, row, "参与党员"),
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
            **_located(table, row, "日期"),
        }

    return _member_frame(ws, "contacts", skip, CONTACT_COLUMNS, shape)


def laggards_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """后进党员转化台账 rows; `cell` is the 结果日期 cell (where a too-early result is located)."""

    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        return {
            "branch": member.branch,
            "member_id": member.member_id,
            "since": _date(row.values.get("转入日期")),
            "helper": row.values.get("帮扶责任人", "") or "",
            "result": row.values.get("结果", "") or "",
            "result_date": _date(row.values.get("结果日期")),
            "name": member.name,
            **_located_or(table, row, "结果日期", "姓名"),
            "helper_cell": _cell_or(row, "帮扶责任人", "姓名"),
        }

    return _member_frame(ws, "laggards", skip, [*LAGGARD_COLUMNS, "name", "helper_cell"], shape)


EVALUATIONS = ("自评", "书记点评", "党员互评", "群众测评")


def commitments_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """承诺践诺台账 rows: one per commitment, with the four evaluations and their cells."""

    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        year = row.values.get("年度")
        return {
            "branch": member.branch,
            "member_id": member.member_id,
            "name": member.name,
            "year": int(year) if isinstance(year, int | float) else None,
            "item": str(row.values.get("承诺事项") or ""),
            "done": str(row.values.get("完成情况") or ""),
            "done_cell": _cell_or(row, "完成情况", "承诺事项"),
            "evaluations": {
                e: (str(row.values[e]), row.cell(e)) for e in EVALUATIONS if row.has_column(e) and row.values.get(e)
            },
            **_located(table, row, "承诺事项"),
        }

    columns = ["branch", "member_id", "name", "year", "item", "done", "done_cell", "evaluations", *LOCATION]
    return _member_frame(ws, "commitments", skip, columns, shape)


def redemptions_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """先锋超市兑换台账 rows, located at their 消耗积分 cell."""

    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        spent = row.values.get("消耗积分")
        return {
            "branch": member.branch,
            "member_id": member.member_id,
            "name": member.name,
            "date": row.values["日期"].date,
            "goods": str(row.values.get("物品") or ""),
            "spent": float(spent) if isinstance(spent, int | float) else 0.0,
            **_located_or(table, row, "消耗积分", "姓名"),
        }

    columns = ["branch", "member_id", "name", "date", "goods", "spent", *LOCATION]
    return _member_frame(ws, "redemptions", skip, columns, shape)


def _cell_or(row: Row, column: str, fallback: str) -> str:
    """The cell of `column`, or of `fallback` when the sheet has no such column."""
    return row.cell(column) if row.has_column(column) else row.cell(fallback)


def _located_or(table: Table, row: Row, column: str, fallback: str) -> dict[str, object]:
    return _located(table, row, column if row.has_column(column) else fallback)


def posts_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    found = [
        {
            "branch": branch,
            "post": row.values["岗位名称"],
            "duty": row.values["职责任务"],
            "standard": row.values.get("标准要求", ""),
            **_located(table, row, "岗位名称"),
        }
        for table, row, branch in _rows(ws, "posts", skip)
    ]
    return pd.DataFrame(found, columns=POST_COLUMNS)


def claims_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        return {
            "branch": member.branch,
            "member_id": member.member_id,
            "name": member.name,
            "first": row.values.get("第一志愿", ""),
            "second": row.values.get("第二志愿", ""),
            "specialty": row.values.get("特长", ""),
            "leader": bool(row.values.get("组长", False)),
            **_located(table, row, "第一志愿" if row.has_column("第一志愿") else "姓名"),
            "second_cell": row.cell("第二志愿" if row.has_column("第二志愿") else "姓名"),
        }

    return _member_frame(ws, "claims", skip, CLAIM_COLUMNS, shape)


def groups_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """Rows of an existing 定岗编组台账, with the group, 组长 and 包组干部 of their block."""

    def shape(table: Table, row: Row, member: Member) -> dict[str, object]:
        return {
            "branch": member.branch,
            "group": _group_of(row),
            "leader": row.values.get("组长") or row.context.get("组长", ""),
            "cadre": row.values.get("包组干部") or row.context.get("包组干部", ""),
            "member_id": member.member_id,
            "name": member.name,
            **_located(table, row, "姓名"),
        }

    return _member_frame(ws, "groups", skip, GROUP_COLUMNS, shape)


def duty_records(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """One row per 履岗记实 record (not per participant), for writing the month's 履岗记实台账."""
    found = [
        {
            "branch": branch,
            "group": _group_of(row),
            "date": row.values["活动时间"].date,
            "participants": "、".join(m.label for m in ws.names.participants_of(table, row)),
            "content": row.values.get("履岗内容", ""),
            "effect": row.values.get("取得成效", ""),
            "remark": row.values.get("备注", ""),
        }
        for table, row, branch in _rows(ws, "duty", skip)
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
    return _with_ordinal(frame)


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
            "branch": member.branch,
            "member_id": member.member_id,
            "name": member.name,
            "label": member.label,
            "voter": row.values.get("评议人类别") or "",
            "overall": row.values.get("综合评价") or "",
            **{item: row.values.get(item) or "" for item in RATING_ITEMS},
            "nominate": bool(row.values.get("推荐")) if row.has_column("推荐") else None,
            "date": _date(row.values.get("评议日期")),
            **_located(table, row, "评议人类别"),
        }

    frame = _member_frame(ws, "ballots", skip, BALLOT_COLUMNS, shape)
    return frame[(frame["voter"] != "") & (frame["overall"] != "")].reset_index(drop=True)


DEVELOPMENT_STAGES = ("申请入党日期", "确定积极分子日期", "确定发展对象日期", "接收预备党员日期", "转正日期")


def development_frame(ws: Workspace, skip: set[str] = frozenset()) -> pd.DataFrame:
    """One row per person of the 发展党员记实 (applicants need not be on the roster); each stage's
    date and the cell it is in, so a finding can point at it."""
    rows = []
    for table, r, branch in _rows(ws, "development", skip):
        if not r.values.get("姓名"):
            continue
        row = {
            "branch": branch,
            "name": str(r.values["姓名"]),
            "born": _date(r.values.get("出生年月")),
            "contact": r.values.get("培养联系人") or "",
            "file": table.file,
            "sheet": table.sheet,
            "row": r.sheet_row,
        }
        for stage in DEVELOPMENT_STAGES:
            row[stage] = _date(r.values.get(stage))
            row[f"{stage}_cell"] = r.cell(stage)
        row["出生年月_cell"] = r.cell("出生年月")
        rows.append(row)
    columns = ["branch", "name", "born", "contact", "file", "sheet", "row", *DEVELOPMENT_STAGES]
    columns += [f"{s}_cell" for s in (*DEVELOPMENT_STAGES, "出生年月")]
    return pd.DataFrame(rows, columns=columns)

"""The 一编三定 ledgers in the reference layouts of seed 004: 附件2 (定岗编组台账) and 附件3 (履岗记实台账).

Both are read back by the project's own reader, so a written ledger can be filled in and used
as input next time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from dangyuan_cli.core.records import Assignment
from dangyuan_cli.domain.posts import group_name
from dangyuan_cli.publish.results import ResultSheet
from dangyuan_cli.publish.xlsx import Block, new_workbook, save_and_discard, write_sheet

GROUP_HEADER = ["姓名", "性别", "出生年月", "入党时间", "联系方式", "职责任务", "服务承诺", "详细住址", "备注"]
DUTY_HEADER = ["活动时间", "参与党员", "履岗内容", "取得成效", "备注"]
SIGNATURES = "组长签字：                              包组干部签字："
DUTY_NOTE = "注：开展活动要注意保留照片等资料。"
BLANK_DUTY_ROWS = 3


def _month(d) -> str:
    return f"{d.year}.{d.month:02d}" if d else ""


def write_group_ledger(
    path: Path, branch: str, assignment: Assignment, people: pd.DataFrame, extra: list[ResultSheet] = ()
) -> Path:
    """附件2: one block per group — 编组名称, 包组干部, 组长 lines, then its members."""
    by_id = {r.member_id: r for r in people.itertuples(index=False)}
    blocks = []
    for g in assignment.groups:
        rows = []
        for member_id in g.members:
            m = by_id[member_id]
            rows.append(
                [
                    m.label,
                    m.sex or "",
                    _month(m.born),
                    _month(m.joined),
                    m.phone or "",
                    g.duty,
                    "",
                    m.address or "",
                    assignment.notes.get(member_id, ""),
                ]
            )
        cadre = by_id[g.cadre].label if g.cadre in by_id else ""
        leader = by_id[g.leader].label if g.leader in by_id else ""
        blocks.append(
            Block(GROUP_HEADER, rows, (f"编组名称：{group_name(g.post)}", f"包组干部：{cadre}", f"组长：{leader}"))
        )
    wb = new_workbook()
    ws = wb.create_sheet("定岗编组台账")
    write_sheet(ws, f"{branch}无职党员定岗编组台账", blocks, widths={"E": 16, "F": 24, "G": 20, "H": 22, "I": 30})
    for sheet in extra:
        write_sheet(wb.create_sheet(sheet.name), sheet.title, [Block(sheet.header, sheet.rows, (), sheet.notes)])
    save_and_discard(wb, path)
    return path


def write_duty_ledger(
    path: Path,
    branch: str,
    month_label: str,
    month_text: str,
    groups: list[str],
    records: pd.DataFrame,
    keep: np.ndarray | None = None,
    group_of: Callable[[str], str] | None = None,
) -> Path:
    """附件3: per group, 编组名称 and 时间, the month's records, blank rows to fill, signatures.
    `keep`: only these rows of `records` (a boolean array); `group_of`: the group a record's
    `group` is filed under."""
    blocks = []
    by_group = _dated_rows_by_group(records, keep, group_of) if not records.empty else {}
    for group in groups:
        rows = by_group.get(group, [])
        blocks.append(
            Block(
                DUTY_HEADER,
                rows,
                (f"编组名称：{group}                    时间：{month_text}",),
                (SIGNATURES, DUTY_NOTE),
                BLANK_DUTY_ROWS,
            )
        )
    wb = new_workbook()
    write_sheet(
        wb.create_sheet("履岗记实台账"),
        f"{branch}无职党员履岗记实台账（{month_label}）",
        blocks,
        widths={"A": 14, "B": 30, "C": 30, "D": 20, "E": 14},
    )
    save_and_discard(wb, path)
    return path


LEDGER_COLUMNS = ("group", "date", "participants", "content", "effect", "remark")  # only those written


def _dated_rows_by_group(
    records: pd.DataFrame, keep: np.ndarray | None = None, group_of: Callable[[str], str] | None = None
) -> dict[str, list[list[object]]]:
    """Each group's ledger rows in the order `records[records["group"] == g].sort_values("date")`
    gives (numpy's quicksort over the group's dates, so equal dates keep that order too), from
    each column's values taken once (a boolean mask, a column selection and itertuples per
    branch were a fifth of the ledger's CPU) instead of a mask, a sort and an itertuples per group."""
    columns = [records[c] for c in LEDGER_COLUMNS]
    dates = columns[1].to_numpy()
    values = [c.tolist() for c in columns]  # the values itertuples gives (Timestamps for datetime64)
    if keep is not None and not keep.all():
        at = np.flatnonzero(keep)
        dates = dates[at]
        values = [[v[i] for i in at] for v in values]
    if group_of is not None:
        values[0] = [group_of(g) for g in values[0]]
    tuples = list(zip(*values, strict=True))
    positions: dict[str, list[int]] = {}
    for i, r in enumerate(tuples):
        positions.setdefault(r[0], []).append(i)
    found = {}
    for group, at in positions.items():
        chosen = dates[at]
        if chosen.dtype == object and not pd.isna(chosen).any():  # pandas' nargsort, no missing date
            order = chosen.argsort(kind="quicksort")
        else:
            order = pd.Series(chosen).sort_values(kind="quicksort").index
        found[group] = [
            [f"{date:%Y.%m.%d}", participants, content, effect, remark]
            for _, date, participants, content, effect, remark in (tuples[at[k]] for k in order)
        ]
    return found

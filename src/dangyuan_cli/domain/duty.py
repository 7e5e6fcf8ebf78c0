"""履岗记实 (SPEC §5, seed 004 `每月进行更新`): the month's gaps and counts.

Groups with no record in the month, members with no participation in the quarter so far, and
participations per member and per group.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dangyuan_cli.core.periods import Period, within
from dangyuan_cli.domain.posts import same_group


@dataclass
class DutyReport:
    month: Period
    groups_without_record: list[tuple[str, str]]  # (branch, group)
    idle_members: pd.DataFrame  # branch, group, name, member_id
    per_member: pd.DataFrame  # branch, group, name, member_id, month, quarter
    per_group: pd.DataFrame  # branch, group, records, participations


def duty_report(roster_groups: pd.DataFrame, duty: pd.DataFrame, month: Period) -> DutyReport:
    """`roster_groups`: branch, group, member_id, name (from the 定岗编组台账 or the assignment)."""
    quarter = Period("quarter", month.year, (month.index - 1) // 3 + 1, month.cutoff)
    in_month = duty[within(duty, month)] if not duty.empty else duty
    # the quarter so far: from its first day to the end of this month
    in_quarter = (
        duty[within(duty, quarter) & duty["date"].map(lambda d: d <= month.end).astype(bool)]
        if not duty.empty
        else duty
    )
    missing = []
    per_group = []
    for (branch, group), _ in roster_groups.groupby(["branch", "group"], sort=True):
        mask = (
            (in_month["branch"] == branch) & in_month["group"].map(lambda g, group=group: same_group(g, group))
            if not in_month.empty
            else None
        )
        rows = in_month[mask] if mask is not None else in_month
        records = rows[["file", "sheet", "row"]].drop_duplicates() if not rows.empty else rows
        per_group.append({"branch": branch, "group": group, "records": len(records), "participations": len(rows)})
        if rows.empty:
            missing.append((branch, group))
    month_counts = in_month.groupby("member_id").size() if not in_month.empty else pd.Series(dtype=int)
    quarter_counts = in_quarter.groupby("member_id").size() if not in_quarter.empty else pd.Series(dtype=int)
    per_member = roster_groups[["branch", "group", "name", "member_id"]].copy()
    per_member["month"] = [int(month_counts.get(m, 0)) for m in per_member["member_id"]]
    per_member["quarter"] = [int(quarter_counts.get(m, 0)) for m in per_member["member_id"]]
    idle = per_member[per_member["quarter"] == 0]
    return DutyReport(
        month,
        missing,
        idle,
        per_member,
        pd.DataFrame(per_group, columns=["branch", "group", "records", "participations"]),
    )

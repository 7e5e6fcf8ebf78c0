"""履岗记实 (SPEC §5, seed 004 `每月进行更新`): the month's gaps and counts.

Groups with no record in the month, members with no participation in the quarter so far, and
participations per group and per member of each group (the month and the quarter so far).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dangyuan_cli.core.periods import Period
from dangyuan_cli.domain.posts import same_group

RECORD = ["file", "sheet", "row"]  # one 履岗记实 record is one row of the ledger
PER_MEMBER_COLUMNS = ["branch", "group", "name", "member_id", "month", "quarter", "guest"]


@dataclass
class DutyReport:
    month: Period
    groups_without_record: list[tuple[str, str]]  # (branch, group)
    idle_members: pd.DataFrame  # branch, group, name, member_id
    # per group, each member's participations in that group's records; `guest`: took part in a
    # record of a group they are not in
    per_member: pd.DataFrame  # PER_MEMBER_COLUMNS
    per_group: pd.DataFrame  # branch, group, records, participations

    @property
    def quarter(self) -> Period:
        return quarter_of(self.month)


def quarter_of(month: Period) -> Period:
    return Period("quarter", month.year, (month.index - 1) // 3 + 1, month.cutoff)


def duty_report(roster_groups: pd.DataFrame, duty: pd.DataFrame, month: Period) -> DutyReport:
    """`roster_groups`: branch, group, member_id, name (from the 定岗编组台账 or the assignment)."""
    duty = _as_roster_groups(roster_groups, duty)
    in_month = in_quarter = duty
    if not duty.empty:  # each record's day number once, compared for the month and the quarter
        day = duty["date"].map(lambda d: d.toordinal())
        quarter = quarter_of(month)
        in_month = duty[(day >= month.start.toordinal()) & (day <= month.end.toordinal())]
        # the quarter so far: from its first day to the end of this month
        in_quarter = duty[(day >= quarter.start.toordinal()) & (day <= min(quarter.end, month.end).toordinal())]
    missing = []
    per_group = []
    # the month's records and participations of every group by one groupby (not a mask per group)
    records, participations = {}, {}
    if not in_month.empty:
        by_group = in_month.groupby(["branch", "group"], sort=False)
        participations = by_group.size().to_dict()
        records = in_month.drop_duplicates(["branch", "group", *RECORD]).groupby(["branch", "group"]).size().to_dict()
    for branch, group in (
        roster_groups[["branch", "group"]]
        .dropna()
        .drop_duplicates()
        .sort_values(["branch", "group"])
        .itertuples(index=False)
    ):
        count = participations.get((branch, group), 0)
        per_group.append(
            {"branch": branch, "group": group, "records": records.get((branch, group), 0), "participations": count}
        )
        if not count:
            missing.append((branch, group))
    per_member = _per_member(roster_groups, in_month, in_quarter)
    mine = per_member[~per_member["guest"]]
    took_part = set(zip(in_quarter["branch"], in_quarter["member_id"], strict=True))  # in any group's records
    idle = mine[
        pd.Series(
            [(b, m) not in took_part for b, m in zip(mine["branch"], mine["member_id"], strict=True)],
            index=mine.index,
            dtype=bool,
        )
    ]
    return DutyReport(
        month,
        missing,
        idle[["branch", "group", "name", "member_id"]],
        per_member,
        pd.DataFrame(per_group, columns=["branch", "group", "records", "participations"]),
    )


def _as_roster_groups(roster_groups: pd.DataFrame, duty: pd.DataFrame) -> pd.DataFrame:
    """The participations, once per member and record (a name written twice in one 参与党员 cell
    is one participation), each filed under the roster's name of its group (`…岗` records land
    in `…组`)."""
    if duty.empty:
        return duty
    duty = duty.drop_duplicates([*RECORD, "member_id"])
    names: dict[str, list[str]] = {}
    for branch, group in roster_groups[["branch", "group"]].drop_duplicates().itertuples(index=False):
        names.setdefault(branch, []).append(group)
    pairs = duty[["branch", "group"]].drop_duplicates().itertuples(index=False)
    found = {(b, g): next((x for x in names.get(b, []) if same_group(x, g)), g) for b, g in pairs}
    filed = pd.Series(list(found.values()), index=pd.MultiIndex.from_tuples(list(found)), dtype=object)
    return duty.assign(group=filed.reindex(pd.MultiIndex.from_frame(duty[["branch", "group"]])).tolist())


def _per_member(roster_groups: pd.DataFrame, in_month: pd.DataFrame, in_quarter: pd.DataFrame) -> pd.DataFrame:
    """Each group's members (0 shown as 0), then anyone else of the branch who took part in its
    records this quarter, with their participations in the group's records."""
    keys = ["branch", "group", "member_id"]
    shown = ["branch", "group", "name", "member_id"]
    roster = roster_groups[shown].assign(guest=False)
    parts = [roster]
    if not in_quarter.empty and not roster.empty:
        listed = set(zip(*(roster[c].to_numpy(dtype=object) for c in keys), strict=True))
        groups = {(b, g) for b, g, _ in listed}
        visitors = in_quarter.drop_duplicates(keys).sort_values([*keys[:2], "date", "row"])
        found = zip(*(visitors[c].to_numpy(dtype=object) for c in keys), strict=True)
        guest = [k not in listed and k[:2] in groups for k in found]
        parts.append(visitors.loc[guest, shown].assign(guest=True))
    rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else roster.reset_index(drop=True)
    if rows.empty:
        return pd.DataFrame([], columns=PER_MEMBER_COLUMNS).astype({"month": int, "quarter": int, "guest": bool})
    # as per_group; stable: roster order within a group, the guests after
    rows = rows.sort_values(["branch", "group", "guest"], kind="stable").reset_index(drop=True)
    at = pd.MultiIndex.from_frame(rows[keys])

    def counts(frame: pd.DataFrame) -> np.ndarray:
        if frame.empty:
            return np.zeros(len(rows), dtype=int)
        return frame.groupby(keys).size().reindex(at, fill_value=0).to_numpy(dtype=int)

    frame = pd.DataFrame(
        {
            "branch": rows["branch"].tolist(),
            "group": rows["group"].tolist(),
            "name": rows["name"].tolist(),
            "member_id": rows["member_id"].tolist(),
            "month": counts(in_month),
            "quarter": counts(in_quarter),
            "guest": rows["guest"].to_numpy(dtype=bool),
        },
        columns=PER_MEMBER_COLUMNS,
    )
    return frame.astype({"month": int, "quarter": int, "guest": bool})

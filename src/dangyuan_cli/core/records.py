"""The shapes data takes between layers: the register frames' columns, the score table's
columns, the star columns, and the post assignment's types.

`registers/frames.py` builds frames with these columns and the domain reads them, so neither
reaches into the other for the names. Every frame built from register rows keeps where each row
came from (`file`, `sheet`, `row`, `cell`), so a figure or a warning can point back at its cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dangyuan_cli.core.problems import Problem

if TYPE_CHECKING:
    import pandas as pd

LOCATION = ["file", "sheet", "row", "cell"]


def with_ordinal(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds `ordinal` (each `date` as its ordinal) to an entries frame, so period filters work column-wise."""
    frame["ordinal"] = [d.toordinal() for d in frame["date"]]
    return frame


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
# one row per points-register entry (积分台账), before it is counted
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
    *LOCATION,
]
DUTY_COLUMNS = ["branch", "group", "date", "member_id", "name", "content", *LOCATION]  # one per participation
DUTY_RECORD_COLUMNS = ["branch", "group", "date", "participants", "content", "effect", "remark"]
CONTACT_COLUMNS = ["branch", "member_id", "date", "way", *LOCATION]
LAGGARD_COLUMNS = ["branch", "member_id", "since", "helper", "result", "result_date", *LOCATION]
POST_COLUMNS = ["branch", "post", "duty", "standard", *LOCATION]
# `cell` is the 第一志愿's, `second_cell` the 第二志愿's
CLAIM_COLUMNS = ["branch", "member_id", "name", "first", "second", "specialty", "leader", *LOCATION, "second_cell"]
GROUP_COLUMNS = ["branch", "group", "leader", "cadre", "member_id", "name", *LOCATION]  # a kept 定岗编组台账

# one row per member and period (domain.points)
SCORE_COLUMNS = [
    "branch",
    "name",
    "member_id",
    "category",
    "base",
    "contribution",
    "deduction",
    "vetoed",
    "total",
    "exempt",
    "left",
    "starred",
    "ytd_total",
    "max_deduction",
    "veto_items",
]
# what star rating adds to each member's score row (domain.stars)
STAR_RESULT_COLUMNS = ["rank", "stars", "grade", "reason"]
# the count of members at each star level, highest first (report, report workbook, documents)
STAR_COLUMNS = ["五星", "四星", "三星", "二星", "一星"]


@dataclass
class Group:
    """One post's group (一编三定): its members in placement order, leader and 包组干部."""

    post: str
    duty: str
    members: list[str] = field(default_factory=list)  # member_ids in placement order
    leader: str = ""
    leader_reason: str = ""
    cadre: str = ""


@dataclass
class Assignment:
    """Every eligible member of a branch placed on a post, and why where it needs saying."""

    groups: list[Group]
    placed: dict[str, str]  # member_id → post
    notes: dict[str, str]  # member_id → why (off-choice, unclaimed)
    excused: dict[str, str]  # member_id → why not taking part
    warnings: list[Problem]

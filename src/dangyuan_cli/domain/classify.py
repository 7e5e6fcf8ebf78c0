"""Member classes (SPEC §4): six classes (seed 000) or four (seed 002), each with its reason.

A member may match several classes; all are kept as tags, the primary class follows the rules'
precedence list. 入党积极分子 get no class.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dangyuan_cli.core.periods import add_months
from dangyuan_cli.core.rules.model import Rules

SCHEMES = {
    # tag → class name per scheme
    "six-class": {
        "laggard": "后进党员",
        "office": "在职党员",
        "away": "外出务工党员",
        "frail": "年老体弱党员",
        "poor": "贫困党员",
        "home": "在村务农（工）无职党员",
    },
    "four-class": {
        "office": "在职党员",
        "away": "外出流动党员",
        "frail": "年老体弱党员",
        "home": "在家无职党员",
    },
}
COLUMNS = ["branch", "name", "member_id", "category", "tags", "reason"]


def age_on(born: dt.date | None, day: dt.date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def holds_office(office: str, rules: Rules) -> bool:
    return bool(office) and any(word in office for word in rules.classify.office_words)


def away_days(since: dt.date | None, as_of: dt.date) -> int | None:
    return None if since is None else (as_of - since).days


def classify_members(
    members: pd.DataFrame, rules: Rules, as_of: dt.date, laggards: dict[str, str] | None = None
) -> pd.DataFrame:
    """One row per member: primary class, all matching classes, and why — in words."""
    policy = rules.classify
    names = SCHEMES[policy.scheme]
    order = {name: i for i, name in enumerate(policy.precedence)}
    rows = []
    for m in members.itertuples(index=False):
        if m.category == "入党积极分子":
            rows.append(
                {
                    "branch": m.branch,
                    "name": m.name,
                    "member_id": m.member_id,
                    "category": "",
                    "tags": [],
                    "reason": "入党积极分子不分类",
                }
            )
            continue
        found: dict[str, str] = {}
        if "laggard" in names and (m.marked_laggard or (laggards and m.member_id in laggards)):
            found["laggard"] = "名册标记为后进党员" if m.marked_laggard else (laggards or {})[m.member_id]
        if holds_office(m.office, rules):
            found["office"] = f"职务：{m.office}"
        if m.away:
            days = away_days(m.away_since, as_of)
            if days is None:
                found["away"] = "外出务工（未填外出时间，无法核对是否满6个月）"
            elif days >= policy.away_days:
                found["away"] = (
                    f"外出务工{days}天≥{policy.away_days}天（{m.away_since:%Y-%m-%d}外出{('，去向' + m.away_to) if m.away_to else ''}）"
                )
        age = age_on(m.born, as_of)
        frail = [w for w in policy.frail_words if w in (m.health or "")]
        if age is not None and age >= policy.elderly_age and frail:
            found["frail"] = f"年龄{age}≥{policy.elderly_age}，身体状况：{m.health}"
        if "poor" in names and m.poor:
            found["poor"] = f"生活困难：{m.poor_note}" if m.poor_note else "生活困难"
        if "office" not in found and "away" not in found:
            found["home"] = "在村无职务" if policy.scheme == "six-class" else "在家无职务"
        tags = sorted((names[t] for t in found), key=lambda n: (order.get(n, len(order)), n))
        reasons = {names[t]: why for t, why in found.items()}
        primary = tags[0]
        rows.append(
            {
                "branch": m.branch,
                "name": m.name,
                "member_id": m.member_id,
                "category": primary,
                "tags": tags,
                "reason": "；".join(f"{t}：{reasons[t]}" if t != primary else reasons[t] for t in tags),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def class_changes(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Who moved class since the previous classification (seed 000 动态调整), and why now."""
    previous = dict(zip(before["member_id"], before["category"], strict=True))
    rows = []
    for r in now.itertuples(index=False):
        old = previous.get(r.member_id)
        if old is None:
            rows.append(
                {"branch": r.branch, "name": r.name, "before": "（新增）", "after": r.category, "reason": r.reason}
            )
        elif old != r.category:
            rows.append({"branch": r.branch, "name": r.name, "before": old, "after": r.category, "reason": r.reason})
    gone = set(previous) - set(now["member_id"])
    for member_id in sorted(gone):
        gone_row = before[before["member_id"] == member_id].iloc[0]
        rows.append(
            {
                "branch": gone_row["branch"],
                "name": gone_row["name"],
                "before": gone_row["category"],
                "after": "（已不在名册）",
                "reason": "",
            }
        )
    return pd.DataFrame(rows, columns=["branch", "name", "before", "after", "reason"])


def floating_status(members: pd.DataFrame, contacts: pd.DataFrame, rules: Rules, as_of: dt.date) -> pd.DataFrame:
    """Members away for work: quarters of the as-of year without a contact (seed 003:
    每季度汇报一次), and 失联 after `lost_contact_months` without any (seed 001)."""
    months = rules.points.lost_contact_months
    rows = []
    away = members[members["away"]]
    # each member's contact dates, in register order: one pass, not a mask per member away
    contacted: dict[str, list] = {}
    if not contacts.empty and not away.empty:
        for member_id, day in zip(contacts["member_id"], contacts["date"], strict=True):
            contacted.setdefault(member_id, []).append(day)
    for m in away.itertuples(index=False):
        dates = sorted(d for d in contacted.get(m.member_id, ()) if d <= as_of)
        missing = []
        for q in range(1, 5):
            start = dt.date(as_of.year, 3 * q - 2, 1)
            end = (dt.date(as_of.year, 3 * q + 1, 1) if q < 4 else dt.date(as_of.year + 1, 1, 1)) - dt.timedelta(days=1)
            if end > as_of or (m.away_since and m.away_since > end):
                continue
            if not any(start <= d <= end for d in dates):
                missing.append(f"{as_of.year}Q{q}")
        last = dates[-1] if dates else None
        since = last or m.away_since
        limit = add_months(as_of, -months)
        lost = since is not None and since < limit
        reason = []
        if missing:
            reason.append(f"{'、'.join(missing)}无联系记录")
        if lost:
            reason.append(f"自{since:%Y-%m-%d}起超过{months}个月未与党组织联系，列为失联")
        if missing or lost:
            rows.append(
                {
                    "branch": m.branch,
                    "name": m.name,
                    "member_id": m.member_id,
                    "missing_quarters": missing,
                    "last_contact": last,
                    "lost": lost,
                    "reason": "；".join(reason),
                    "file": m.file,
                    "sheet": m.sheet,
                    "row": m.row,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "branch",
            "name",
            "member_id",
            "missing_quarters",
            "last_contact",
            "lost",
            "reason",
            "file",
            "sheet",
            "row",
        ],
    )

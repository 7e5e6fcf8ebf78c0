"""Member classes (SPEC §4): six classes (seed 000) or four (seed 002), each with its reason.

A member may match several classes; all are kept as tags, the primary class follows the rules'
precedence list. 入党积极分子 get no class.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
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
    """One row per member: primary class, all matching classes, and why — in words.

    Column-wise: one mask and one reason column per class over all members; the few members away,
    frail or poor get their dated reasons in a loop over themselves alone; the primary class and
    the joined reason are built once per combination of classes (a handful)."""
    policy = rules.classify
    names = SCHEMES[policy.scheme]
    if members.empty:
        return pd.DataFrame([], columns=COLUMNS)
    member = ~(members["category"] == "入党积极分子").to_numpy(dtype=bool)
    found: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # tag → (rows with it, reason per row)

    def tag(key: str, rows: np.ndarray, why) -> None:
        reason = np.full(len(members), None, dtype=object)
        reason[rows] = why
        found[key] = (rows, reason)

    if "laggard" in names:
        marked = members["marked_laggard"].to_numpy(dtype=bool)
        listed = members["member_id"].isin(set(laggards or {})).to_numpy(dtype=bool) if laggards else marked & False
        why = np.where(marked, "名册标记为后进党员", members["member_id"].map(laggards or {}).to_numpy(dtype=object))
        tag("laggard", member & (marked | listed), why[member & (marked | listed)])
    office = members["office"]
    held = office.map({o: holds_office(o, rules) for o in set(office)}).to_numpy(dtype=bool) & member
    tag("office", held, ("职务：" + office[held].astype(str)).to_numpy(dtype=object))
    away = members["away"].to_numpy(dtype=bool) & member
    rows, whys = [], []
    for i, since, to in zip(
        np.flatnonzero(away),
        members["away_since"].to_numpy(dtype=object)[away],
        members["away_to"].to_numpy(dtype=object)[away],
        strict=True,
    ):
        days = away_days(since, as_of)
        if days is None:
            rows.append(i), whys.append("外出务工（未填外出时间，无法核对是否满6个月）")
        elif days >= policy.away_days:
            where = ("，去向" + to) if to else ""
            rows.append(i), whys.append(f"外出务工{days}天≥{policy.away_days}天（{since:%Y-%m-%d}外出{where}）")
    tag("away", _rows(rows, len(members)), whys)
    health = members["health"]
    said = health.map({h: any(w in (h or "") for w in policy.frail_words) for h in set(health)})
    rows, whys = [], []
    for i in np.flatnonzero(said.to_numpy(dtype=bool) & member):
        age = age_on(members["born"].iat[i], as_of)
        if age is not None and age >= policy.elderly_age:
            rows.append(i), whys.append(f"年龄{age}≥{policy.elderly_age}，身体状况：{health.iat[i]}")
    tag("frail", _rows(rows, len(members)), whys)
    if "poor" in names:
        poor = members["poor"].to_numpy(dtype=bool) & member
        notes = members["poor_note"].to_numpy(dtype=object)[poor]
        tag("poor", poor, [f"生活困难：{n}" if n else "生活困难" for n in notes])
    home = member & ~found["office"][0] & ~found["away"][0]
    tag("home", home, "在村无职务" if policy.scheme == "six-class" else "在家无职务")
    category, tags, reason = _combined(found, names, policy.precedence, member)
    return pd.DataFrame(
        {
            "branch": members["branch"].tolist(),
            "name": members["name"].tolist(),
            "member_id": members["member_id"].tolist(),
            "category": category,
            "tags": tags,
            "reason": reason,
        },
        columns=COLUMNS,
    )


def _rows(positions: list[int], size: int) -> np.ndarray:
    rows = np.zeros(size, dtype=bool)
    rows[positions] = True
    return rows


def _combined(found: dict, names: dict[str, str], precedence: list[str], member: np.ndarray) -> tuple[list, list, list]:
    """Per member: the primary class, every class (by precedence, then name) and the joined
    reason — the primary's reason first, the others named — built once per combination."""
    order = {name: i for i, name in enumerate(precedence)}
    keys = list(found)
    combination = np.zeros(len(member), dtype=np.int64)
    for bit, key in enumerate(keys):
        combination |= found[key][0].astype(np.int64) << bit
    category = [""] * len(member)
    tags: list[list[str]] = [[] for _ in range(len(member))]
    reason = ["入党积极分子不分类"] * len(member)
    for combo in np.unique(combination[member]):
        at = np.flatnonzero(member & (combination == combo))
        present = [k for bit, k in enumerate(keys) if combo >> bit & 1]
        ranked = sorted(present, key=lambda k: (order.get(names[k], len(order)), names[k]))
        primary = names[ranked[0]]
        text = found[ranked[0]][1][at].astype(object)
        for k in ranked[1:]:
            text = text + ("；" + names[k] + "：") + found[k][1][at]
        listed = [names[k] for k in ranked]
        for i, why in zip(at, text, strict=True):
            category[i], tags[i], reason[i] = primary, list(listed), why
    return category, tags, reason


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

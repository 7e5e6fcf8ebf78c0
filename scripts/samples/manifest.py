"""`manifest.json`: the cases planted in the sample township, so tests name them from here
instead of repeating names and counts. Each entry is a fact of the input (who, where, which
dates), never a result the tool computes."""

from __future__ import annotations

import json
from pathlib import Path

from samples.layouts import DUTY_GAP
from samples.people import TRANSFERRED_IN, TRANSFERRED_OUT, YEAR, Branch, label
from samples.registers import (
    APPLICANTS,
    FIVE_STAR_BRANCH,
    INTERVAL_VIOLATION,
    away_members,
    township_rows,
    without_commitment,
)


def _who(b: Branch, m: dict) -> dict[str, str]:
    return {"branch": b.name, "name": label(m)}


def _branch(b: Branch) -> dict[str, object]:
    roles = b.roles()
    kinds = {k: [label(m) for m in b.members if m["人员类别"] == k] for k in ("预备党员", "入党积极分子")}
    return {
        "members": len(b.members),
        "officers": {label(m): m["职务"] for m in b.members if m["职务"]},
        "exempt": [label(m) for m in b.members if m["免于积分"]],
        "probationary": kinds["预备党员"],
        "activists": kinds["入党积极分子"],
        "away": [label(m) for m in away_members(b)],
        "laggard": label(roles["laggard"]),  # below base, no contribution, one major deduction
        "one_star": label(roles["weak"]),  # six 违规扣分 of 5, one of 10, one 基础积分 −5
        "vetoed": label(roles["vetoed"]),
        "revoked": label(roles["revoked"]),
        "award_twice": label(roles["award"]),
        "uncatalogued": label(roles["uncatalogued"]),
        "without_commitment": [label(m) for m in without_commitment(b)],
    }


def _ballots(branches: list[Branch]) -> list[dict[str, object]]:
    """Per activist: the ballots written for them, by kind, and how many say 优秀 overall."""
    _, _, ballots = township_rows(branches)
    found: dict[tuple[str, str], dict[str, object]] = {}
    for branch, written, kind, overall, *_ in ballots:
        name = written.split("（")[0]  # a shared name is written with its 编号
        one = found.setdefault(
            (branch, written),
            {"branch": branch.removesuffix("党支部"), "name": name, "label": written, "党员": 0, "群众": 0, "优秀": 0},
        )
        one[kind] += 1
        one["优秀"] += overall == "优秀"
    return list(found.values())


def manifest(branches: list[Branch], duty: dict[str, dict[int, int]]) -> dict[str, object]:
    by_name = {b.name: b for b in branches}
    xihe, nanling, dongguan = by_name["西河村"], by_name["南岭社区"], by_name["东关村"]
    twins = [m for m in xihe.members if m.get("称呼")]
    moved_in = next(m for b in branches for m in b.members if m["转入日期"])
    moved_out = next(m for b in branches for m in b.members if m["转出日期"])
    return {
        "year": YEAR,
        "branches": {b.name: _branch(b) for b in branches},
        "five_star_branch": FIVE_STAR_BRANCH,
        "shared_name": {"branch": xihe.name, "name": twins[0]["姓名"], "labels": [label(m) for m in twins]},
        "transferred_in": {**_who(xihe, moved_in), "date": TRANSFERRED_IN.isoformat()},
        "transferred_out": {**_who(nanling, moved_out), "date": TRANSFERRED_OUT.isoformat()},
        # 东关村's probationary member at 二星 (延长预备期审查); 西河村's activist below 100 two years
        # running (取消资格); 南岭社区's secretary without contribution (约谈) and an activist below 100
        "probationary_two_star": _who(dongguan, dongguan.roles()["probationary_two_star"]),
        "activist_low_twice": _who(xihe, xihe.roles()["activist_low_twice"]),
        "secretary_idle": _who(nanling, nanling.roles()["secretary_idle"]),
        # floating members: the first away member of each branch has no contact after Q1 (失联),
        # the second none in Q3
        "floating_lost": [_who(b, away_members(b)[0]) for b in branches],
        "floating_missed_q3": [_who(b, away_members(b)[1]) for b in branches],
        "duty_gap": {"group": DUTY_GAP[0].removesuffix("岗") + "组", "months": list(DUTY_GAP[1])},
        # names in the 参与党员 cells of each month's 履岗记实 records, per branch
        "duty_participations": {b: {f"{YEAR}-{m:02d}": n for m, n in sorted(by.items())} for b, by in duty.items()},
        "development": {
            "applicants": [{"branch": a[0], "name": a[1]} for a in APPLICANTS],
            "interval_violation": {"branch": INTERVAL_VIOLATION[0], "name": INTERVAL_VIOLATION[1]},
        },
        "ballots": _ballots(branches),
        # the 群众 ballots are 70% of the 党员 ones, rounded down: below the 2/3 quorum where that rounds away
        "masses_short": sorted({b["branch"] for b in _ballots(branches) if b["群众"] * 3 < b["党员"] * 2}),
        "laggard_register": {
            # entered 2025-05-06, no result when its 6 months end on 2025-11-06
            "overdue": {**_who(dongguan, dongguan.roles()["laggard"]), "due": "2025-11-06"},
            "not_entered": _who(dongguan, dongguan.roles()["weak"]),
            "converted_on_the_day": {**_who(xihe, xihe.roles()["laggard"]), "result_date": "2025-09-01"},
            "helper_not_in_office": {**_who(xihe, xihe.roles()["weak"]), "helper": label(xihe.roles()["first_plain"])},
            "unqualified": _who(nanling, nanling.roles()["laggard"]),
        },
    }


def write_manifest(root: Path, branches: list[Branch], duty: dict[str, dict[int, int]]) -> None:
    text = json.dumps(manifest(branches, duty), ensure_ascii=False, indent=1)
    (root / "manifest.json").write_text(text + "\n", encoding="utf-8")

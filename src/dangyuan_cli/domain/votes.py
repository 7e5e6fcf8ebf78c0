"""双推双评 (seed 004 二(一)(二)): tally the 民主评议票 per branch and candidate.

Pure: ballots and members in, one result row per candidate and the quorum findings out. Every
ratio comes from `rules.votes`; the comparisons keep the seed's words exact — 优秀“过半” is
strictly more than half, 差“不超过20%” includes 20% — with a tolerance for float ratios such as 2/3.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from dangyuan_cli.core.periods import add_months
from dangyuan_cli.core.problems import Problem, warning
from dangyuan_cli.core.rules.model import Rules

ITEMS = ("政治表现", "道德品行", "遵纪守法", "工作表现", "履行承诺")
RATINGS = ("优秀", "一般", "差")
GROUPS = ("党员", "群众", "合计")
EPS = 1e-9

ELIGIBLE = "可列为发展对象人选"
DISQUALIFIED = "取消入党积极分子资格"
KEPT = "保留入党积极分子资格"
INVALID = "评议无效（待补）"


@dataclass
class Quorum:
    branch: str
    members: int  # 支部党员总数 per rules.votes.member_base
    party: int  # 参加评议的党员 (the most 党员 ballots any candidate got)
    masses: int
    party_ok: bool
    masses_ok: bool

    @property
    def ok(self) -> bool:
        return self.party_ok and self.masses_ok


@dataclass
class Tally:
    results: pd.DataFrame
    quorums: dict[str, Quorum]
    problems: list[Problem] = field(default_factory=list)


RESULT_COLUMNS = [
    "branch",
    "member_id",
    "name",
    "label",
    "party_ballots",
    "mass_ballots",
    "excellent_share",
    "poor_share",
    "item_poor_share",
    "result",
    "reason",
    "bar_until",
    "counts",  # {group: {"综合评价" | item: {rating: n}}}
    "nominations",  # 党员 agreeing (None without a 推荐 column)
    "nominated",
    "vote_date",
]


def branch_members(members: pd.DataFrame, rules: Rules, day: dt.date) -> dict[str, int]:
    """支部党员总数 per branch: 正式 and 预备 党员 still on the roster at `day`; with
    `member_base = "ranked"` only those who take part in the points (not exempt)."""
    party = members["category"].isin(["正式党员", "预备党员"])
    stayed = [not (o and o <= day) for o in members["moved_out"]]
    keep = party & pd.Series(stayed, index=members.index, dtype=bool)
    if rules.votes.member_base == "ranked":
        keep &= ~members["exempt"].astype(bool)
    return members[keep].groupby("branch").size().to_dict()


def share(count: int, total: int) -> float:
    return count / total if total else 0.0


def vote_date(ballots: pd.DataFrame, year_end: dt.date) -> dt.date:
    """The day of the vote: the latest 评议日期 written, else the year's last day."""
    dates = [d for d in ballots["date"] if d is not None and not pd.isna(d)]
    return max(dates) if dates else year_end


def _counts(ballots: pd.DataFrame) -> dict[str, dict[str, dict[str, int]]]:
    found = {}
    for group in GROUPS:
        sub = ballots if group == "合计" else ballots[ballots["voter"] == group]
        found[group] = {field: {r: int((sub[field] == r).sum()) for r in RATINGS} for field in ("overall", *ITEMS)}
        found[group]["综合评价"] = found[group].pop("overall")
    return found


def _judge(counts: dict, total: int, rules: Rules, bar_until: dt.date) -> tuple[str, str, dt.date | None]:
    """The seed's three outcomes, with the reason in words (every threshold named)."""
    v = rules.votes
    overall = counts["合计"]["综合评价"]
    good, poor = overall["优秀"], overall["差"]
    if poor > v.disqualify_poor_over * total + EPS:
        return (
            DISQUALIFIED,
            f"综合评价“差”{poor}票，占{share(poor, total):.1%}，超过{v.disqualify_poor_over:.0%}；"
            f"{bar_until.year}年{bar_until.month}月{bar_until.day}日前不得重新确定为入党积极分子",
            bar_until,
        )
    too_poor = [
        f"{item}“差”{counts['合计'][item]['差']}票（{share(counts['合计'][item]['差'], total):.1%}）"
        for item in ITEMS
        if counts["合计"][item]["差"] > v.item_poor_max * total + EPS
    ]
    excellent = good > v.excellent_over * total + EPS
    if excellent and not too_poor:
        return (
            ELIGIBLE,
            f"综合评价“优秀”{good}票，占{share(good, total):.1%}，超过{v.excellent_over:.0%}；"
            f"各单项“差”票均不超过{v.item_poor_max:.0%}",
            None,
        )
    why = []
    if not excellent:
        why.append(f"综合评价“优秀”{good}票，占{share(good, total):.1%}，未超过{v.excellent_over:.0%}")
    if too_poor:
        why.append("、".join(too_poor) + f"超过{v.item_poor_max:.0%}")
    return KEPT, "；".join(why) + "；继续培养教育", None


def tally_votes(ballots: pd.DataFrame, members: pd.DataFrame, rules: Rules, year: int) -> Tally:
    """One row per (branch, candidate); a branch short of its quorum gets 评议无效 for every
    candidate, and a warning naming the numbers."""
    v = rules.votes
    year_end = dt.date(year, 12, 31)
    dated = ballots["date"].map(lambda d: d is None or pd.isna(d) or d.year == year)
    ballots = ballots[dated.astype(bool)]
    base = branch_members(members, rules, year_end)
    rows, quorums, problems = [], {}, []
    problems.extend(_not_activists(ballots, members))
    for branch, mine in ballots.groupby("branch", sort=True):
        by_candidate = list(mine.groupby("member_id", sort=False))
        party = max(int((b["voter"] == "党员").sum()) for _, b in by_candidate)
        masses = max(int((b["voter"] == "群众").sum()) for _, b in by_candidate)
        n = int(base.get(branch, 0))
        q = Quorum(
            branch,
            n,
            party,
            masses,
            party > v.party_quorum * n + EPS,
            masses + EPS >= v.mass_ratio * party,
        )
        quorums[branch] = q
        problems.extend(_quorum_problems(q, mine.iloc[0], rules))
        for member_id, b in by_candidate:
            total = len(b)
            counts = _counts(b)
            day = vote_date(b, year_end)
            result, reason, bar = _judge(counts, total, rules, add_months(day, v.bar_months))
            if not q.ok:
                result, reason, bar = INVALID, "参加评议人数不足，结果不予公示（原应为：" + result + "）", None
            nominations = (
                None if b["nominate"].isna().all() else int(b.loc[b["voter"] == "党员", "nominate"].eq(True).sum())
            )
            rows.append(
                {
                    "branch": branch,
                    "member_id": member_id,
                    "name": b["name"].iloc[0],
                    "label": b["label"].iloc[0],
                    "party_ballots": int((b["voter"] == "党员").sum()),
                    "mass_ballots": int((b["voter"] == "群众").sum()),
                    "excellent_share": round(share(counts["合计"]["综合评价"]["优秀"], total), 4),
                    "poor_share": round(share(counts["合计"]["综合评价"]["差"], total), 4),
                    "item_poor_share": {i: round(share(counts["合计"][i]["差"], total), 4) for i in ITEMS},
                    "result": result,
                    "reason": reason,
                    "bar_until": bar,
                    "counts": counts,
                    "nominations": nominations,
                    "nominated": None if nominations is None else nominations > v.nomination_over * n + EPS,
                    "vote_date": day,
                }
            )
    results = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    return Tally(results.sort_values(["branch", "name"]).reset_index(drop=True), quorums, problems)


def _quorum_problems(q: Quorum, first: pd.Series, rules: Rules) -> list[Problem]:
    v = rules.votes
    where = (first["file"], first["sheet"], f"A{first['row']}")
    found = []
    if not q.party_ok:
        need = math.floor(v.party_quorum * q.members + EPS) + 1
        found.append(
            f"参加评议的党员{q.party}人，未超过支部党员总数{q.members}人的{v.party_quorum:.0%}（至少需{need}人）"
        )
    if not q.masses_ok:
        need = math.ceil(v.mass_ratio * q.party - EPS)
        found.append(f"参加评议的群众{q.masses}人，少于到会党员{q.party}人的{_ratio(v.mass_ratio)}（至少需{need}人）")
    if not found:
        return []
    text = f"{q.branch}民主评议：" + "；".join(found) + "；本次评议结果无效，不予公示，请补充评议（焦组〔2018〕45号）"
    return [warning(*where, text, q.branch)]


def _not_activists(ballots: pd.DataFrame, members: pd.DataFrame) -> list[Problem]:
    """双评 is of 入党积极分子 (seed 004); a 正式/预备党员 as 被评议人 is most likely a slip."""
    category = dict(zip(members["member_id"], members["category"], strict=True))
    found = []
    for _, b in ballots.groupby("member_id", sort=True):
        first = b.iloc[0]
        kind = category.get(first["member_id"])
        if kind and kind != "入党积极分子":
            found.append(
                warning(
                    first["file"],
                    first["sheet"],
                    f"A{first['row']}",
                    f"被评议人{first['name']}在名册中为{kind}，民主评议的对象应是入党积极分子；请核对名册或评议票",
                    first["branch"],
                )
            )
    return found


def _ratio(value: float) -> str:
    return "2/3" if abs(value - 2 / 3) < 1e-6 else f"{value:.0%}"


def outcomes(results: pd.DataFrame) -> list[tuple[str, str, str, dt.date, dt.date | None]]:
    """(branch, label, result, day of the vote, first day a 取消 candidate may be determined
    again) per candidate, for the development timeline."""
    return [(r["branch"], r["label"], r["result"], r["vote_date"], r["bar_until"]) for r in results.to_dict("records")]

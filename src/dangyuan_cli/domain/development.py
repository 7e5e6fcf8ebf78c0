"""发展党员 timeline (seed 004 三全程; 《中国共产党发展党员工作细则》 as the seed cites it).

Pure: the 发展党员记实 rows, the roster, the 双评 results and the rules in; per person the stage
reached, what comes next and when, the 公示 that step needs, and every rule the record breaks,
each located on its cell. Dates that cannot be true (out of order, a stage skipped) are already
errors of the register (registers/validate.py); here are the rules' findings: too young, too
short a 考察期 or 预备期, determined again within the bar after a 双评 取消, roster disagreements.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dangyuan_cli.core.periods import add_months
from dangyuan_cli.core.problems import Problem, error, warning
from dangyuan_cli.core.rules.model import Rules
from dangyuan_cli.domain.votes import DISQUALIFIED, ELIGIBLE, INVALID, KEPT

APPLIED, ACTIVIST, CANDIDATE, PROBATION, FULL = (
    "申请入党日期",
    "确定积极分子日期",
    "确定发展对象日期",
    "接收预备党员日期",
    "转正日期",
)
STAGES = (APPLIED, ACTIVIST, CANDIDATE, PROBATION, FULL)
STAGE_NAMES = {
    APPLIED: "入党申请人",
    ACTIVIST: "入党积极分子",
    CANDIDATE: "发展对象",
    PROBATION: "预备党员",
    FULL: "正式党员",
}
NEXT_STEP = {
    None: "递交入党申请书",
    APPLIED: "确定为入党积极分子（党员推荐、群团推优）",
    ACTIVIST: "确定为发展对象（党员评议、群众评议）",
    CANDIDATE: "接收为预备党员（支部大会讨论）",
    PROBATION: "预备期满讨论转正",
    FULL: "",
}
# the stages whose 确定 is announced (004 全程公示: 申请人、积极分子、发展对象、预备党员)
PUBLICIZED = {APPLIED: ACTIVIST, ACTIVIST: CANDIDATE, CANDIDATE: PROBATION, PROBATION: FULL}

COLUMNS = [
    "branch",
    "name",
    "stage",
    "next_stage",
    "due",
    "notice",
    "publicity",
    "publicity_from",
    "problems",
    "file",
    "sheet",
    "row",
]


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def years_between(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Vote:
    """A person's 双评 (domain/votes.py): the result, the vote's day, and after a 取消 the first
    day the person may be determined again."""

    result: str
    voted: dt.date
    until: dt.date | None = None


def votes_by_person(outcomes: list[tuple]) -> dict[tuple[str, str], Vote]:
    """domain.votes.outcomes → the lookup the timeline uses."""
    return {key(b, label): Vote(result, day, until) for b, label, result, day, until in outcomes}


Span = Callable[[dt.date], tuple[dt.date, dt.date]]  # 公示 start on or after a day → (first, last)


def development_timeline(
    people: pd.DataFrame,
    members: pd.DataFrame,
    rules: Rules,
    as_of: dt.date,
    votes: dict[tuple[str, str], Vote] | None = None,
    span: Span | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Per person: stage, next stage, its earliest due date, the 下一期间 line, the 公示 text and
    the findings (also returned as located problems)."""
    d = rules.develop
    votes = votes or {}
    horizon = add_months(as_of, d.lookahead_months)
    roster = {key(r["branch"], r["label"]): r for r in members.to_dict("records")}
    rows, problems = [], []
    for p in people.to_dict("records"):
        found: list[Problem] = []

        def flag(column: str, text: str, severe: bool = False, p=p, found=found) -> None:
            make = error if severe else warning
            found.append(make(p["file"], p["sheet"], p[f"{column}_cell"], f"{p['name']}：{text}", p["branch"]))

        dated = [s for s in STAGES if _has(p[s])]
        last = dated[-1] if dated else None
        stage = STAGE_NAMES[last] if last else "未申请"
        known = roster.get(key(p["branch"], p["name"]))
        born = p["born"] if _has(p["born"]) else (known["born"] if known and _has(known["born"]) else None)
        if born and _has(p[APPLIED]) and years_between(born, p[APPLIED]) < d.min_age:
            flag(APPLIED, f"申请入党时（{p[APPLIED]:%Y-%m-%d}）未满{d.min_age}周岁（出生年月{born:%Y-%m}）")
        if _has(p[ACTIVIST]) and _has(p[CANDIDATE]) and p[CANDIDATE] < add_months(p[ACTIVIST], d.activist_months):
            flag(
                CANDIDATE,
                f"确定为入党积极分子（{p[ACTIVIST]:%Y-%m-%d}）至确定为发展对象（{p[CANDIDATE]:%Y-%m-%d}）"
                f"不足{_span(d.activist_months)}，应经过{_span(d.activist_months)}以上培养教育和考察",
            )
        if _has(p[PROBATION]) and _has(p[FULL]) and p[FULL] < add_months(p[PROBATION], d.probation_months):
            flag(
                FULL,
                f"接收为预备党员（{p[PROBATION]:%Y-%m-%d}）至转正（{p[FULL]:%Y-%m-%d}）不足{_span(d.probation_months)}预备期",
            )
        vote = votes.get(key(p["branch"], p["name"]))
        bar = vote if vote and vote.until else None
        if bar:
            for column in (ACTIVIST, CANDIDATE):
                if _has(p[column]) and bar.voted <= p[column] < bar.until:
                    flag(
                        column,
                        f"{cn_date(bar.voted)}民主评议综合评价“差”票过半，已取消入党积极分子资格，"
                        f"{cn_date(bar.until)}前不得重新确定；{column}{p[column]:%Y-%m-%d}违反此规定",
                        severe=True,
                    )
        _roster_checks(p, known, as_of, flag)
        next_stage, due = NEXT_STEP[last], _due(p, last, rules)
        if bar and last == ACTIVIST:
            next_stage, due = f"已取消入党积极分子资格，{cn_date(bar.until)}起方可重新确定", None
        elif vote and last == ACTIVIST:
            next_stage = {
                ELIGIBLE: "列为发展对象人选（双评通过），报上级党委备案后确定为发展对象",
                KEPT: "双评未通过，继续培养教育后再评议",
                INVALID: "民主评议参加人数不足，补充评议后确定",
            }.get(vote.result, next_stage)
        notice, publicity, first = "", "", None
        held = vote is not None and last == ACTIVIST and vote.result != ELIGIBLE  # no 公示 for 发展对象 yet
        if held and vote.result == INVALID:
            notice = f"下一期间：{p['name']} 民主评议参加人数不足，应补充评议"
        elif held:
            pass
        elif due and due <= horizon and last in PUBLICIZED:
            late = "（已到期）" if due <= as_of else ""
            notice = f"下一期间：{p['name']} {_due_words(last)}，应于{due.year}年{due.month}月{_NOTICE[last]}{late}"
        if not held and last in PUBLICIZED and span is not None and (notice or last in (APPLIED, CANDIDATE)):
            first, end = span(max(due or as_of, as_of + dt.timedelta(days=1)))
            target = STAGE_NAMES[PUBLICIZED[last]]
            days = rules.announce.development_working_days
            publicity = f"拟将{p['name']}确定为{target}，公示{days}个工作日：{cn_date(first)}至{cn_date(end)}"
        rows.append(
            {
                "branch": p["branch"],
                "name": p["name"],
                "stage": stage,
                "next_stage": next_stage,
                "due": due,
                "notice": notice,
                "publicity": publicity,
                "publicity_from": first,
                "problems": [f.message for f in found],
                "file": p["file"],
                "sheet": p["sheet"],
                "row": p["row"],
            }
        )
        problems.extend(found)
    problems.extend(_probationers_missing(people, members))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["branch", "file", "row"], kind="stable").reset_index(drop=True), problems


def _has(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value is not pd.NaT


def _span(months: int) -> str:
    return f"{months // 12}年" if months % 12 == 0 else f"{months}个月"


def _due(p: dict, last: str | None, rules: Rules) -> dt.date | None:
    """The earliest day the next step may be taken, where a rule fixes one."""
    if last == ACTIVIST:
        return add_months(p[ACTIVIST], rules.develop.activist_months)
    if last == PROBATION:
        return add_months(p[PROBATION], rules.develop.probation_months)
    return None


_NOTICE = {ACTIVIST: "评议确定发展对象", PROBATION: "讨论转正"}


def key(branch: str, name: str) -> tuple[str, str]:
    """`刘静（021）` in the roster's label and `刘静(021)` as a register writes it are one person."""
    return branch, unicodedata.normalize("NFKC", name)


def _due_words(last: str) -> str:
    return {ACTIVIST: "培养考察满一年", PROBATION: "预备期满"}.get(last, "")


def _roster_checks(p: dict, known: dict | None, as_of: dt.date, flag) -> None:
    if known is None:
        return
    if known["category"] == "预备党员" and not _has(p[PROBATION]):
        flag(PROBATION, "名册中为预备党员，但记实表中没有接收预备党员日期；请补填")
    if known["category"] == "预备党员" and _has(p[FULL]) and p[FULL] <= as_of:
        flag(FULL, f"已于{p[FULL]:%Y-%m-%d}转正，名册中仍为预备党员；请更新名册的人员类别")


def _probationers_missing(people: pd.DataFrame, members: pd.DataFrame) -> list[Problem]:
    """Roster 预备党员 with no 发展党员记实 row at all (only in branches that keep the register)."""
    kept = set(people["branch"])
    listed = {key(b, n) for b, n in zip(people["branch"], people["name"], strict=True)}
    found = []
    for m in members[members["category"] == "预备党员"].to_dict("records"):
        if m["branch"] in kept and key(m["branch"], m["label"]) not in listed:
            found.append(
                warning(
                    m["file"],
                    m["sheet"],
                    f"A{m['row']}",
                    f"{m['name']}：名册中为预备党员，发展党员记实中没有此人（缺接收预备党员日期）；请补记",
                    m["branch"],
                )
            )
    return found


COUNT_COLUMNS = ("发展党员：评议票", "发展党员：可列为发展对象人选", "发展党员：取消资格", "发展党员：下一期间到期")


def development_counts(votes: pd.DataFrame | None, timeline: pd.DataFrame | None) -> pd.DataFrame:
    """Per branch (index) for the report upward: ballots counted, candidates eligible and
    disqualified by the 双评, and the development steps due in the next period."""
    rows: dict[str, dict[str, int]] = {}

    def add(branch: str, column: str, n: int) -> None:
        rows.setdefault(branch, dict.fromkeys(COUNT_COLUMNS, 0))[column] += n

    for r in votes.to_dict("records") if votes is not None else []:
        add(r["branch"], COUNT_COLUMNS[0], r["party_ballots"] + r["mass_ballots"])
        add(r["branch"], COUNT_COLUMNS[1], int(r["result"] == ELIGIBLE))
        add(r["branch"], COUNT_COLUMNS[2], int(r["result"] == DISQUALIFIED))
    for r in timeline.to_dict("records") if timeline is not None else []:
        add(r["branch"], COUNT_COLUMNS[3], int(bool(r["notice"])))
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(COUNT_COLUMNS))


_UNITS = ("民主评议票{}张", "可列为发展对象人选{}名", "取消入党积极分子资格{}名", "下一期间到期的发展党员事项{}项")


def counts_sentence(branches: pd.DataFrame) -> list[str]:
    """The report's sentence on 双推双评 and 发展党员 (none when the registers are absent)."""
    if not any(c in branches.columns for c in COUNT_COLUMNS):
        return []
    totals = [int(branches[c].fillna(0).sum()) if c in branches.columns else 0 for c in COUNT_COLUMNS]
    return ["发展党员：" + "，".join(u.format(n) for u, n in zip(_UNITS, totals, strict=True)) + "。"]


def development_problems(people: pd.DataFrame, members: pd.DataFrame, rules: Rules) -> list[Problem]:
    """What `check` says of the 发展党员记实 without a vote or a day: ages, intervals and the roster
    (as of the latest date the record holds), all as warnings — the 双评 bar is `develop`'s."""
    dates = [d for s in STAGES for d in people[s] if _has(d)]
    if people.empty or not dates:
        return []
    _, found = development_timeline(people, members, rules, max(dates))
    return found

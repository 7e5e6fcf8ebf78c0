"""后进转化 (SPEC §10b; seed 000: 将后进党员纳入到第八党支部管理，明确专人进行帮扶教育转化，时间不少于半年).

Who should be in the 后进党员转化台账: every member proposed by the points (SPEC §6.4,
`points.derive_laggards`) or marked in the roster. The register's rows are checked against the
`consequences.laggard_months` rule (**default** 6): a 结果 dated before the months have passed is
an error; the months passed without one → due, with the date it fell due.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from dangyuan_cli.core.periods import add_months
from dangyuan_cli.core.problems import Problem, error, warning
from dangyuan_cli.core.rules.model import Rules
from dangyuan_cli.domain.classify import holds_office

COLUMNS = [
    "branch",
    "name",
    "member_id",
    "proposed",
    "reason",
    "since",
    "helper",
    "due",
    "result",
    "result_date",
    "status",
]
NOT_ENTERED, HELPING, DUE, PASSED, FAILED = "未登记转入", "帮扶中", "期满未评定", "合格，转回原党支部", "不合格"


def with_marked(derived: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """The derived 后进党员 (branch, name, member_id, total, reason) plus those the roster marks."""
    marked = members[members["marked_laggard"]]
    if marked.empty:
        return derived
    extra = marked[~marked["member_id"].isin(derived["member_id"])]
    return pd.concat(
        [derived, extra.assign(total=None, reason="名册标记为后进党员")[derived.columns]],
        ignore_index=True,
    )


def due_date(since: dt.date, months: int) -> dt.date:
    """The day the 帮扶 period ends: `since` plus `months` (a result on this day is in time)."""
    return add_months(since, months)


def register_problems(register: pd.DataFrame, members: pd.DataFrame, rules: Rules) -> list[Problem]:
    """Per row: a 结果 before the months have passed (error), a 结果 without its date, a missing
    帮扶责任人, or one who is not an in-office member (warnings)."""
    months = rules.consequences.laggard_months
    officers = {
        n
        for n, o, left in zip(members["name"], members["office"], members["moved_out"], strict=True)
        if holds_office(o, rules) and not left
    }
    everyone = set(members["name"])
    problems = []
    for r in register.itertuples(index=False):
        if r.since and r.result and r.result_date:
            due = due_date(r.since, months)
            if r.result_date < due:
                problems.append(
                    error(
                        r.file,
                        r.sheet,
                        r.cell,
                        f"{r.name}{r.since:%Y-%m-%d}转入第八党支部，帮扶教育不少于{months}个月（{due:%Y-%m-%d}期满），"
                        f"结果日期{r.result_date:%Y-%m-%d}早于期满，不能评定{r.result}；请核对日期或期满后再评定",
                        r.branch,
                    )
                )
        elif r.result and not r.result_date:
            problems.append(warning(r.file, r.sheet, r.cell, f"{r.name}已评定为{r.result}，但未填写结果日期", r.branch))
        helper = re.split(r"[（(]", str(r.helper or ""))[0].strip()  # `王伟（7）`: the name is what counts here
        if not helper:
            problems.append(
                warning(r.file, r.sheet, r.helper_cell, f"{r.name}未填写帮扶责任人（应明确专人帮扶）", r.branch)
            )
        elif helper not in officers:
            why = "名册中有此人但没有职务" if helper in everyone else "名册中没有此人"
            problems.append(
                warning(
                    r.file, r.sheet, r.helper_cell, f"{r.name}的帮扶责任人“{helper}”不是在职党员（{why}）", r.branch
                )
            )
    return problems


def track(
    proposed: pd.DataFrame, register: pd.DataFrame, members: pd.DataFrame, rules: Rules, as_of: dt.date
) -> pd.DataFrame:
    """Every proposed or registered 后进党员 as of a day: whether the register holds them, the
    due date, and where they stand (未登记转入 / 帮扶中 / 期满未评定 / 合格 / 不合格)."""
    months = rules.consequences.laggard_months
    ids, branches, people = (members[c].to_numpy(dtype=object) for c in ("member_id", "branch", "name"))
    names = dict(zip(ids, zip(branches, people, strict=True), strict=True))
    rows = register[[bool(s) and s <= as_of for s in register["since"]]] if not register.empty else register
    latest = {r.member_id: r for r in rows.sort_values("since").itertuples(index=False)}  # the last 转入 counts
    why = dict(zip(proposed["member_id"], proposed["reason"], strict=True))
    out = []
    for member_id in [*proposed["member_id"], *[m for m in latest if m not in why]]:
        if member_id not in names:
            continue
        branch, name = names[member_id]
        row = {"branch": branch, "name": name, "member_id": member_id, "proposed": member_id in why}
        row["reason"] = why.get(member_id, "后进党员转化台账登记")
        conv = latest.get(member_id)
        if conv is None:
            row.update(since=None, helper="", due=None, result="", result_date=None)
            row["status"] = f"{NOT_ENTERED}：应纳入第八党支部管理，请登记转化台账"
            out.append(row)
            continue
        due = due_date(conv.since, months)
        row.update(since=conv.since, helper=conv.helper or "", due=due, result=conv.result or "")
        done = conv.result and (conv.result_date is None or conv.result_date <= as_of)
        row["result_date"] = conv.result_date if done else None
        if done and conv.result == "合格":
            row["status"] = PASSED + (f"（{conv.result_date:%Y-%m-%d}）" if conv.result_date else "")
        elif done:
            row["status"] = f"{FAILED}，列入不合格党员处置审查" + (
                f"（{conv.result_date:%Y-%m-%d}）" if conv.result_date else ""
            )
        elif as_of >= due:
            row["status"] = f"{DUE}：{due:%Y-%m-%d}已满{months}个月，请评定结果"
        else:
            row["status"] = f"{HELPING}（{due:%Y-%m-%d}期满）"
        out.append(row)
    frame = pd.DataFrame(out, columns=COLUMNS)
    return frame.sort_values(["branch", "name"], kind="stable").reset_index(drop=True)


def converted(register: pd.DataFrame, as_of: dt.date) -> set[str]:
    """Members whose latest conversion was judged 合格 by `as_of`: back to their branch, not 后进."""
    if register.empty:
        return set()
    rows = register[[bool(s) and s <= as_of for s in register["since"]]].sort_values("since")
    latest = {r.member_id: r for r in rows.itertuples(index=False)}
    return {m for m, r in latest.items() if r.result == "合格" and r.result_date and r.result_date <= as_of}

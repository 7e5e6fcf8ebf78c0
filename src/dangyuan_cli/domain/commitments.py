"""承诺践诺 (SPEC §10b; seeds 000 承诺践诺, 002 四诺 承诺、践诺、评诺、督诺).

Per member and year: the commitments, how many were fulfilled, the 评诺 result from the four
evaluations (自评, 书记点评, 党员互评, 群众测评), and who made none (the 督诺 list). Optionally
(rules: commitments.done_points / undone_points, 0 = off) a fulfilled commitment becomes a
贡献加分 and an unfulfilled one a 违规扣分, as ledger entries so `score --explain` shows them.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from dangyuan_cli.core.problems import Problem, error
from dangyuan_cli.core.records import ENTRY_COLUMNS, with_ordinal
from dangyuan_cli.core.rules.register_sections import RESULT_WORDS, CommitmentRules

DONE_ITEM, UNDONE_ITEM = "践诺完成", "承诺未兑现"  # the item names of the optional entries
RESULT_VALUE = {"好": 4, "较好": 3, "一般": 2, "差": 1}
COLUMNS = ["branch", "name", "member_id", "made", "fulfilled", "result", "missing", "items", "reason"]


def word_table(rules: CommitmentRules) -> dict[str, str]:
    """Every accepted word (normalised) → its 评诺 result; the results name themselves."""
    table = {r: r for r in RESULT_WORDS}
    for result, words in rules.ratings.items():
        table.update({_norm(w): result for w in words})
    return table


def _norm(text: str) -> str:

    return "".join(unicodedata.normalize("NFKC", str(text)).split()).upper()


def fulfilment(text: str, rules: CommitmentRules) -> str:
    """`done`, `undone` or `` (blank, 推进中 …: not yet judged). Undone words first: 未完成 holds 完成."""
    t = _norm(text)
    if not t:
        return ""
    if any(_norm(w) in t for w in rules.undone_words):
        return "undone"
    if any(_norm(w) in t for w in rules.done_words):
        return "done"
    return ""


def evaluation_problems(rows: pd.DataFrame, rules: CommitmentRules) -> list[Problem]:
    """An evaluation word the rules do not map is a located error naming the words accepted."""
    table = word_table(rules)
    accepted = "、".join(RESULT_WORDS) + "及 dangyuan.toml [commitments.ratings] 中的别名"
    problems = []
    for r in rows.itertuples(index=False):
        for column, (word, cell) in r.evaluations.items():
            if _norm(word) not in table:
                problems.append(
                    error(
                        r.file,
                        r.sheet,
                        cell,
                        f"{column}“{word}”无法识别：应为{accepted}；请改写，或在规则文件中为它加别名",
                        r.branch,
                    )
                )
    return problems


def review(
    rows: pd.DataFrame, members: pd.DataFrame, ranked: set[str], year: int, rules: CommitmentRules
) -> pd.DataFrame:
    """One row per member with a commitment in `year`, or ranked without one (`missing`).

    The 评诺 result is the mean of every mapped evaluation of the member's commitments that year
    (好 4, 较好 3, 一般 2, 差 1), taken to the nearest result, a tie to the lower one (**default**).
    """
    table = word_table(rules)
    mine = rows[rows["year"] == year]
    # one pass over the year's rows (numpy arrays, members in order of first appearance, as a
    # groupby without sort); each distinct 完成情况 text and 评议 word is judged once
    columns = ("member_id", "branch", "name", "evaluations", "done", "item")
    ids, branches, names, evaluations, done, items = (mine[c].to_numpy(dtype=object) for c in columns)
    state = {d: fulfilment(d, rules) for d in set(done)}
    mark = {w: table.get(_norm(w)) for ev in evaluations for w, _ in ev.values()}
    found: dict[str, list] = {}
    for member_id, branch, name, ev, d, item in zip(ids, branches, names, evaluations, done, items, strict=True):
        got = found.get(member_id)
        if got is None:
            got = found[member_id] = [branch, name, [], 0, []]
        got[2].extend(mark[w] for w, _ in ev.values() if mark[w] is not None)
        got[3] += state[d] == "done"
        got[4].append(item)
    out = []
    for member_id, (branch, name, marks, fulfilled, listed) in found.items():
        result, why = _result(marks)
        out.append(
            {
                "branch": branch,
                "name": name,
                "member_id": member_id,
                "made": len(listed),
                "fulfilled": fulfilled,
                "result": result,
                "missing": False,
                "items": "；".join(listed),
                "reason": why,
            }
        )
    have = set(ids)
    without = members.loc[members["member_id"].isin(ranked - have), ["branch", "name", "member_id"]]
    for branch, name, member_id in without.to_numpy(dtype=object):  # arrays: no tuple of every column
        out.append(
            {
                "branch": branch,
                "name": name,
                "member_id": member_id,
                "made": 0,
                "fulfilled": 0,
                "result": None,
                "missing": True,
                "items": "",
                "reason": f"{year}年未作出承诺，请督促（每名党员年初应公开承诺）",
            }
        )
    frame = pd.DataFrame(out, columns=COLUMNS)
    return frame.sort_values(["branch", "missing", "name"], kind="stable").reset_index(drop=True)


def _result(marks: list[str]) -> tuple[str | None, str]:
    if not marks:
        return None, "尚无评议结果"
    mean = sum(RESULT_VALUE[m] for m in marks) / len(marks)
    result = min(RESULT_VALUE, key=lambda r: (abs(RESULT_VALUE[r] - mean), RESULT_VALUE[r]))  # nearest; ties → lower
    counts = "，".join(f"{r}{marks.count(r)}" for r in RESULT_WORDS if marks.count(r))
    return result, f"评议{len(marks)}项（{counts}），平均{mean:.2f}"


def entries(rows: pd.DataFrame, rules: CommitmentRules, year_end) -> pd.DataFrame:
    """The optional points as ledger entries (ENTRY_COLUMNS), dated at the end of the commitment's
    year (`year_end(year)` → date, so a month cut-off day keeps them in their year); none when off."""
    found = []
    for r in rows.itertuples(index=False):
        state = fulfilment(r.done, rules) if r.year else ""
        points = {"done": rules.done_points, "undone": rules.undone_points}.get(state, 0)
        if not points:
            continue
        found.append(
            {
                "branch": r.branch,
                "member_id": r.member_id,
                "name": r.name,
                "date": year_end(int(r.year)),
                "type": "贡献加分" if state == "done" else "违规扣分",
                "item": DONE_ITEM if state == "done" else UNDONE_ITEM,
                "value": float(points),
                "status": "有效",
                "reason": "",
                "approved_by": "",
                "file": r.file,
                "sheet": r.sheet,
                "row": r.row,
                "cell": r.done_cell,
            }
        )
    return with_ordinal(pd.DataFrame(found, columns=ENTRY_COLUMNS))

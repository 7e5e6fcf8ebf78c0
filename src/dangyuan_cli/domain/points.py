"""Points (SPEC §6): sum the resolved entries (`resolve`) per member and period, and explain them.

Names: `entries` are the points register's rows as read (registers.frames); `resolved` are those
entries with their signed `points`, what is `counted` and a `note` (not the 附件 台账 publish writes).

`年度积分 = 基础积分 + 贡献加分 − 违规扣分`; a valid 一票否决 → 0 (or capped). Every entry keeps
a note saying how it was counted, so any total can be explained cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dangyuan_cli.core.periods import Period, within
from dangyuan_cli.core.problems import Problem
from dangyuan_cli.core.records import SCORE_COLUMNS
from dangyuan_cli.core.rules.model import Rules
from dangyuan_cli.domain.resolve import BASE, CONTRIBUTION, DEDUCTION, VETO, resolve_entries

# resolve_entries is read from here too: the app asks one module for points
__all__ = ["Scores", "derive_laggards", "explain", "resolve_entries", "score_period"]


@dataclass
class Scores:
    period: Period
    table: pd.DataFrame  # one row per member (SCORE_COLUMNS)
    resolved: pd.DataFrame  # every entry resolved: `points`, `counted`, `note`
    problems: list[Problem]


def _sums(resolved: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Per member: contribution, deduction, base adjustment, veto, largest single deduction."""
    rows = resolved[within(resolved, period)] if not resolved.empty else resolved
    valid = rows[rows["valid"]] if not rows.empty else rows
    out = pd.DataFrame(
        index=pd.Index(sorted(resolved["member_id"].unique()) if not resolved.empty else [], name="member_id")
    )
    if valid.empty:
        for c in ("contribution", "deduction", "base_adj", "max_deduction"):
            out[c] = 0.0
        out["vetoed"] = False
        out["veto_items"] = ""
        return out
    ids, kind = valid["member_id"], valid["type"]
    out["contribution"] = valid["counted"].where(kind == CONTRIBUTION, 0.0).groupby(ids).sum()
    out["deduction"] = -valid["counted"].where(kind == DEDUCTION, 0.0).groupby(ids).sum()
    out["base_adj"] = valid["counted"].where(kind == BASE, 0.0).groupby(ids).sum()
    out["max_deduction"] = (-valid["counted"].where(kind == DEDUCTION, 0.0)).groupby(ids).max()
    vetoes: dict[str, list[str]] = {}
    for e in valid[kind == VETO].itertuples(index=False):
        vetoes.setdefault(e.member_id, []).append(f"{e.item}（{e.date:%Y-%m-%d}）")
    out["vetoed"] = out.index.isin(list(vetoes))
    out["veto_items"] = ["；".join(vetoes.get(i, [])) for i in out.index]
    return out.fillna({"contribution": 0.0, "deduction": 0.0, "base_adj": 0.0, "max_deduction": 0.0, "veto_items": ""})


def _totals(members: pd.DataFrame, sums: pd.DataFrame, period: Period, rules: Rules) -> pd.DataFrame:
    """One row per member of the branch during `period`: base, sums, veto, total (NaN if exempt)."""
    policy, end = rules.points, period.end
    joined = np.array([not (i and i > end) for i in members["moved_in"]], dtype=bool)  # joined later: not yet ours
    present = members[joined].reset_index(drop=True)
    summed = sums.reindex(present["member_id"])
    contribution = summed["contribution"].fillna(0.0).to_numpy(dtype=float)
    deduction = summed["deduction"].fillna(0.0).to_numpy(dtype=float)
    base_adj = summed["base_adj"].fillna(0.0).to_numpy(dtype=float)
    vetoed = summed["vetoed"].fillna(False).to_numpy(dtype=bool)
    exempt = present["exempt"].to_numpy(dtype=bool)
    left = np.array([bool(o and o < end) for o in present["moved_out"]], dtype=bool)
    base = np.where(left, 0.0, np.maximum(0.0, policy.base_points + base_adj))
    total = np.round(base + contribution - deduction, 2)
    total = np.where(vetoed, 0.0 if policy.veto == "zero" else np.minimum(total, policy.veto_cap), total)
    zero = np.zeros(len(present))
    frame = pd.DataFrame(
        {
            "branch": present["branch"],
            "name": present["name"],
            "member_id": present["member_id"],
            "category": present["category"],
            "base": np.where(exempt, zero, np.round(base, 2)) + 0.0,  # + 0.0 turns -0.0 into 0.0
            "contribution": np.where(exempt, zero, np.round(contribution, 2)) + 0.0,
            "deduction": np.where(exempt, zero, np.round(deduction, 2)) + 0.0,
            "vetoed": vetoed & ~exempt,
            "total": np.where(exempt, np.nan, total),
            "exempt": exempt,
            "left": left,
            "starred": ~exempt & ~left & present["category"].isin(["正式党员", "预备党员"]).to_numpy(),
            "max_deduction": summed["max_deduction"].fillna(0.0).to_numpy(dtype=float) + 0.0,
            "veto_items": summed["veto_items"].fillna("").to_numpy(dtype=object),
        }
    )
    frame["ytd_total"] = frame["total"]
    return frame[SCORE_COLUMNS]


def score_period(
    members: pd.DataFrame,
    entries: pd.DataFrame,
    rules: Rules,
    period: Period,
    resolved: pd.DataFrame | None = None,
) -> Scores:
    """Scores of every member for `period`, and for a sub-year period the year-to-date total."""
    problems: list[Problem] = []
    if resolved is None:
        resolved, problems = resolve_entries(entries, members, rules)
    table = _totals(members, _sums(resolved, period), period, rules)
    if period.kind != "year":
        ytd = _totals(members, _sums(resolved, period.year_to_date()), period, rules)
        table["ytd_total"] = table["member_id"].map(dict(zip(ytd["member_id"], ytd["total"], strict=True)))
    in_period = resolved[within(resolved, period)] if not resolved.empty else resolved
    return Scores(period, table, in_period, problems)


def derive_laggards(scores: Scores, rules: Rules) -> pd.DataFrame:
    """SPEC §6.4 (seed 003): below base, no contribution, and one deduction ≥ major_deduction."""
    t = scores.table
    base, major = rules.points.base_points, rules.points.major_deduction
    hit = t[
        t["starred"]
        & t["total"].notna()
        & (t["total"] < base)
        & (t["contribution"] == 0)
        & (t["max_deduction"] >= major)
    ]
    reasons = [
        f"年度积分{r.total:g}<基础分{base:g}，无贡献加分，单次扣分{r.max_deduction:g}≥{major:g}"
        for r in hit.itertuples(index=False)
    ]
    return hit.assign(reason=reasons)[["branch", "name", "member_id", "total", "reason"]]


def explain(scores: Scores, member_id: str, rules: Rules) -> list[str]:
    """Every entry of one member in the period, how it counted, and where it is."""
    row = scores.table[scores.table["member_id"] == member_id]
    lines = []
    entries = scores.resolved[scores.resolved["member_id"] == member_id].sort_values(["date", "file", "row"])
    for e in entries.itertuples(index=False):
        how = e.note or ("计入" if e.valid else "不计")
        lines.append(
            f"{e.date:%Y-%m-%d} {e.type} {e.item} {e.points:+g} → 计{e.counted:+g}"
            f"{'（' + how + '）' if how != '计入' else ''}  [{e.file}:{e.sheet}!{e.cell}]"
        )
    if not row.empty:
        r = row.iloc[0]
        if r["exempt"]:
            lines.append("免于积分（经批准），不计分、不排名")
        else:
            formula = f"基础积分{r['base']:g} + 贡献加分{r['contribution']:g} − 违规扣分{r['deduction']:g}"
            if r["vetoed"]:
                rule = "记0分" if rules.points.veto == "zero" else f"封顶{rules.points.veto_cap:g}分"
                formula += f"，一票否决（{r['veto_items']}）{rule}"
            lines.append(f"{formula} = {r['total']:g}")
    return lines

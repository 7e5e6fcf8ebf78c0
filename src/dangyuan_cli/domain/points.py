"""Points (SPEC §6): resolve every points-register entry, then sum per member and period.

Names: `entries` are the points register's rows as read (registers.frames); `resolved` are those
entries with their signed `points`, what is `counted` and a `note` (not the 附件 台账 publish writes).

`年度积分 = 基础积分 + 贡献加分 − 违规扣分`; a valid 一票否决 → 0 (or capped). Every entry keeps
a note saying how it was counted, so any total can be explained cell by cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dangyuan_cli.core.periods import Period, bucket_of, within
from dangyuan_cli.core.problems import OUTSIDE, UNLISTED, Problem
from dangyuan_cli.core.records import SCORE_COLUMNS
from dangyuan_cli.core.rules.model import Rules

CONTRIBUTION, DEDUCTION, BASE, VETO = "贡献加分", "违规扣分", "基础积分", "一票否决"


@dataclass
class Scores:
    period: Period
    table: pd.DataFrame  # one row per member (SCORE_COLUMNS)
    resolved: pd.DataFrame  # every entry resolved: `points`, `counted`, `note`
    problems: list[Problem]


def resolve_entries(entries: pd.DataFrame, members: pd.DataFrame, rules: Rules) -> tuple[pd.DataFrame, list[Problem]]:
    """Each entry's signed points and how much of it counts (revocation, membership, mode, caps).

    Column-wise over all entries at once: a county holds hundreds of thousands of entries.
    """
    resolved = entries.reset_index(drop=True)
    catalogue = _catalogue_columns(resolved, rules)
    resolved = resolved.merge(catalogue, on=["branch", "item"], how="left", sort=False)
    kind, blank = resolved["type"], resolved["value"].isna()
    known, veto = resolved["_known"].fillna(False).astype(bool), kind == VETO
    value = resolved["value"].where(~blank, resolved["_default"]).fillna(0.0)
    signed = np.select(
        [kind == CONTRIBUTION, kind == DEDUCTION, kind == BASE],
        [value.abs(), -value.abs(), np.minimum(value, 0.0)],  # a deduction may be written 3 or -3
        0.0,
    )
    window = members.set_index("member_id")[["moved_in", "moved_out"]]
    moved_in = resolved["member_id"].map(window["moved_in"])
    moved_out = resolved["member_id"].map(window["moved_out"])
    revoked = resolved["status"] == "撤销"
    before = pd.Series([bool(i) and d < i for d, i in zip(resolved["date"], moved_in, strict=True)], dtype=bool)
    after = pd.Series([bool(o) and d > o for d, o in zip(resolved["date"], moved_out, strict=True)], dtype=bool)
    outside = ~revoked & (before | after)
    positive_base = (kind == BASE) & (value > 0)
    # SPEC §3: an item applies to some member categories only (`applies_to`, empty = all)
    category = resolved["member_id"].map(members.set_index("member_id")["category"])
    misfit = (
        ~revoked
        & ~outside
        & pd.Series(
            [bool(a) and c not in a for a, c in zip(resolved["_applies"], category, strict=True)],
            index=resolved.index,
            dtype=bool,
        )
    )

    notes = pd.Series("", index=resolved.index, dtype=object)
    notes[positive_base] = "基础积分已全额计入，正分值不再累加"
    notes[revoked] = [f"已撤销{('：' + r) if r else ''}" for r in resolved["reason"][revoked]]
    notes[outside] = [
        f"记录日期{day:%Y-%m-%d}不在本支部期间" + (f"（转入{i:%Y-%m-%d}）" if b else f"（转出{o:%Y-%m-%d}）")
        for day, b, i, o in zip(
            resolved["date"][outside], before[outside], moved_in[outside], moved_out[outside], strict=True
        )
    ]
    applies = [
        (it, "、".join(a), c)
        for it, a, c in zip(resolved["item"][misfit], resolved["_applies"][misfit], category[misfit], strict=True)
    ]
    notes[misfit] = [f"“{it}”只适用于{a}，{c}不计入" for it, a, c in applies]

    problems = _entry_problems(resolved, blank, known, veto, positive_base, outside, notes)
    problems += [
        Problem(
            f,
            s,
            cell,
            f"{n}是{c}，项目清单中“{it}”只适用于{a}，此条不计入；如确应计入，请在规则文件中修改该项目的 applies_to",
            "warning",
            b,
        )
        for (it, a, c), n, f, s, cell, b in zip(
            applies,
            resolved["name"][misfit],
            resolved["file"][misfit],
            resolved["sheet"][misfit],
            resolved["cell"][misfit],
            resolved["branch"][misfit],
            strict=True,
        )
    ]
    valid = ~revoked & ~outside & ~misfit
    resolved["points"] = np.round(signed, 4) + 0.0
    resolved["counted"] = np.where(valid, resolved["points"], 0.0)
    resolved["valid"] = valid
    resolved["note"] = notes
    resolved = resolved.drop(columns=["_known", "_default", "_itype", "_applies"])
    _apply_modes_and_caps(resolved, rules.points.month_cutoff_day)
    return resolved, problems


def _entry_problems(
    resolved: pd.DataFrame,
    blank: pd.Series,
    known: pd.Series,
    veto: pd.Series,
    positive_base: pd.Series,
    outside: pd.Series,
    notes: pd.Series,
) -> list[Problem]:
    """The located problems of the entries, built column by column (no per-row lookups).

    Each warning carries a fold key (cause, …) so the terminal can say it once per branch and item
    or member; the message itself stays the per-row text.
    """
    found: list[tuple[int, Problem]] = []
    item, value, kind = resolved["item"].astype(str), resolved["value"], resolved["type"]

    def say(mask: pd.Series, make, texts, folds=None) -> None:
        rows = resolved.index[mask.to_numpy(dtype=bool)]
        if rows.empty:
            return
        sub = resolved.loc[rows, ["file", "sheet", "cell", "branch"]]
        folds = folds if folds is not None else [()] * len(rows)
        for i, f, s, c, b, text, fold in zip(
            rows, sub["file"], sub["sheet"], sub["cell"], sub["branch"], texts, folds, strict=True
        ):
            found.append((i, Problem(f, s, c, text, make, b, fold)))

    unlisted_blank = blank & ~known & ~veto
    say(unlisted_blank, "error", "分值为空，且“" + item[unlisted_blank] + "”不在项目清单中；请填写分值")
    unlisted = ~blank & ~known & ~veto
    pairs = list(zip(item[unlisted], value[unlisted], kind[unlisted], strict=True))
    say(
        unlisted,
        "warning",
        [f"“{it}”未列入项目清单，按所填分值{v:g}计入" for it, v, _ in pairs],
        [(UNLISTED, it, k, float(v)) for it, v, k in pairs],
    )
    other = known & (resolved["_itype"] != kind)
    say(
        other,
        "warning",
        [
            f"项目清单中“{it}”属于{t}，台账写的是{k}；按台账计"
            for it, t, k in zip(item[other], resolved["_itype"][other], kind[other], strict=True)
        ],
    )
    say(positive_base, "warning", ["基础积分已全额计入，正分值不再累加"] * int(positive_base.sum()))
    names = resolved["name"][outside].astype(str)
    say(
        outside,
        "warning",
        names + "：" + notes[outside] + "，不计入本支部",
        [
            (OUTSIDE, n, f"{d:%Y-%m-%d}", note.partition("不在本支部期间")[2])
            for n, d, note in zip(names, resolved["date"][outside], notes[outside], strict=True)
        ],
    )
    order = sorted(range(len(found)), key=lambda k: found[k][0])  # stable: per row, in the order above
    return [found[k][1] for k in order]


def _catalogue_columns(resolved: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Per (branch, item) of the entries: whether the catalogue knows it, and its settings."""
    rows = []
    catalogues: dict[str, dict] = {}
    for branch, name in resolved[["branch", "item"]].drop_duplicates().itertuples(index=False):
        item = catalogues.setdefault(branch, rules.items_for(branch)).get(name)
        rows.append(
            {
                "branch": branch,
                "item": name,
                "_known": item is not None,
                "_default": item.points if item is not None else np.nan,
                "_itype": item.type if item is not None else "",
                "_applies": tuple(item.applies_to) if item is not None else (),
                "mode": item.mode if item is not None else "sum",
                "cap": item.cap if item is not None and item.cap is not None else np.nan,
                "cap_period": item.cap_period if item is not None else "year",
            }
        )
    columns = ["branch", "item", "_known", "_default", "_itype", "_applies", "mode", "cap", "cap_period"]
    return pd.DataFrame(rows, columns=columns)


def _apply_modes_and_caps(resolved: pd.DataFrame, cutoff: int) -> None:
    """`highest` keeps one occurrence per scope; `cap` trims the running sum per scope. In place.

    Order within a scope is by date, then size, then item and location, so shuffling the entries'
    rows never changes a result.
    """
    if resolved.empty:
        return
    resolved["_abs"] = resolved["points"].abs()
    order = resolved.sort_values(
        ["date", "_abs", "item", "file", "sheet", "row"], ascending=[True, False, True, True, True, True]
    )
    scoped = order[order["valid"] & ((order["mode"] == "highest") | order["cap"].notna())]
    for _, group in scoped.groupby(
        [
            scoped["member_id"],
            scoped["item"],
            [bucket_of(d, p, cutoff) for d, p in zip(scoped["date"], scoped["cap_period"], strict=True)],
        ],
        sort=False,
    ):
        mode, cap = group["mode"].iloc[0], group["cap"].iloc[0]
        if mode == "highest":
            best = group["_abs"].idxmax()  # first of the largest, in date order
            for idx in group.index:
                if idx != best:
                    resolved.at[idx, "counted"] = 0.0
                    resolved.at[idx, "note"] = f"同一项目只计最高一次，已计{resolved.at[best, 'points']:g}分"
        if cap is not None and not math.isnan(cap):
            used = 0.0
            for idx in group.index:
                amount = abs(resolved.at[idx, "counted"])
                allowed = max(0.0, min(amount, cap - used))
                if allowed < amount:
                    sign = 1 if resolved.at[idx, "counted"] >= 0 else -1
                    resolved.at[idx, "counted"] = sign * allowed
                    resolved.at[idx, "note"] = (
                        f"超过每{_PERIOD_WORD[group['cap_period'].iloc[0]]}上限{cap:g}分，计{allowed:g}分"
                    )
                used += allowed
    del resolved["_abs"]


_PERIOD_WORD = {"year": "年", "half": "半年", "quarter": "季度", "month": "月"}


def _sums(resolved: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Per member: contribution, deduction, base adjustment, veto, largest single deduction."""
    rows = resolved[within(resolved, period)] if not resolved.empty else resolved
    valid = rows[rows["valid"]] if not rows.empty else rows
    out = pd.DataFrame(
        index=pd.Index(sorted(set(resolved["member_id"])) if not resolved.empty else [], name="member_id")
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

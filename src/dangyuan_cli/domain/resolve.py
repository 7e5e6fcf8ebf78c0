"""Resolving the points register's entries (SPEC §6): each entry's signed points, how much of it
counts (revocation, membership window, the item's categories, modes and caps), a note saying
why, and the located problems. `points` sums the resolved entries per member and period.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dangyuan_cli.core.periods import bucket_of
from dangyuan_cli.core.problems import OUTSIDE, UNLISTED, Problem
from dangyuan_cli.core.rules.model import Rules

CONTRIBUTION, DEDUCTION, BASE, VETO = "贡献加分", "违规扣分", "基础积分", "一票否决"


# the end of the last kind of warning resolve_entries gives: an item that does not apply to the member
MISFIT = "，此条不计入；如确应计入，请在规则文件中修改该项目的 applies_to"


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
    before = _compared(moved_in, resolved["date"], lambda i, d: d < i)
    after = _compared(moved_out, resolved["date"], lambda o, d: d > o)
    outside = ~revoked & (before | after)
    positive_base = (kind == BASE) & (value > 0)
    # SPEC §3: an item applies to some member categories only (`applies_to`, empty = all)
    category = resolved["member_id"].map(members.set_index("member_id")["category"])
    misfit = ~revoked & ~outside & _compared(resolved["_applies"], category, lambda a, c: c not in a)

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
            f"{n}是{c}，项目清单中“{it}”只适用于{a}{MISFIT}",
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


def _compared(first: pd.Series, second: pd.Series, test) -> pd.Series:
    """`bool(f) and test(f, s)` per row, `test` called only on the rows whose `first` is set (a
    move date, an item's categories): most entries have neither."""
    found = np.zeros(len(first), dtype=bool)
    at = np.flatnonzero(first.map(bool).to_numpy(dtype=bool))
    if len(at):
        firsts, seconds = first.to_numpy(dtype=object)[at], second.to_numpy(dtype=object)[at]
        found[at] = [test(f, s) for f, s in zip(firsts, seconds, strict=True)]
    return pd.Series(found, index=first.index, dtype=bool)


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
        # numpy object arrays: iterating pandas str columns costs a __getitem__ per value
        sub = resolved.loc[rows, ["file", "sheet", "cell", "branch"]].to_numpy(dtype=object)
        texts = texts.to_numpy(dtype=object) if isinstance(texts, pd.Series) else texts
        folds = folds if folds is not None else [()] * len(rows)
        for i, (f, s, c, b), text, fold in zip(rows, sub, texts, folds, strict=True):
            found.append((i, Problem(f, s, c, text, make, b, fold)))

    unlisted_blank = blank & ~known & ~veto
    say(unlisted_blank, "error", "分值为空，且“" + item[unlisted_blank] + "”不在项目清单中；请填写分值")
    unlisted = ~blank & ~known & ~veto
    pairs = list(zip(*(c[unlisted].to_numpy(dtype=object) for c in (item, value, kind)), strict=True))
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
    """Per (branch, item) of the entries: whether the catalogue knows it, and its settings.

    Free-text 事项 make most pairs unlisted: one catalogue per branch, plain lookups per pair."""
    pairs = resolved[["branch", "item"]].drop_duplicates()
    branches, names = pairs["branch"].to_numpy(dtype=object), pairs["item"].to_numpy(dtype=object)
    catalogues = {b: rules.items_for(b) for b in dict.fromkeys(branches)}
    items = [catalogues[b].get(n) for b, n in zip(branches, names, strict=True)]
    columns = {
        "branch": branches,
        "item": names,
        "_known": [i is not None for i in items],
        "_default": [i.points if i is not None else np.nan for i in items],
        "_itype": [i.type if i is not None else "" for i in items],
        "_applies": [tuple(i.applies_to) if i is not None else () for i in items],
        "mode": [i.mode if i is not None else "sum" for i in items],
        "cap": [i.cap if i is not None and i.cap is not None else np.nan for i in items],
        "cap_period": [i.cap_period if i is not None else "year" for i in items],
    }
    if not items:
        return pd.DataFrame(columns=list(columns))
    return pd.DataFrame({c: list(v) for c, v in columns.items()}, columns=list(columns))


def _apply_modes_and_caps(resolved: pd.DataFrame, cutoff: int) -> None:
    """`highest` credits what raises the highest so far; `cap` trims the running sum. In place.

    Both run in date order within a scope (member, item, cap period), so an occurrence's credit
    never depends on later entries: sub-year periods sum to the year and a closed quarter stays
    closed (SPEC §3). Same-day order is by size (largest first), then item and location, so
    shuffling the entries' rows never changes a result.
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
        if group["mode"].iloc[0] == "highest":
            _credit_highest(resolved, group.index)
        cap = group["cap"].iloc[0]
        if cap is not None and not math.isnan(cap):
            _consume_cap(resolved, group.index, cap, group["cap_period"].iloc[0])
    del resolved["_abs"]


def _credit_highest(resolved: pd.DataFrame, rows: pd.Index) -> None:
    """Each occurrence, in date order, counts only by how much it raises the highest so far."""
    best = 0.0
    for idx in rows:
        amount = resolved.at[idx, "_abs"]
        credit = max(0.0, amount - best)
        if best > 0:
            sign = 1 if resolved.at[idx, "points"] >= 0 else -1
            resolved.at[idx, "counted"] = sign * credit + 0.0
            resolved.at[idx, "note"] = f"最高值计分：此前最高{best:g}分，本次{amount:g}分，计{credit:g}分"
        best = max(best, amount)


def _consume_cap(resolved: pd.DataFrame, rows: pd.Index, cap: float, period: str) -> None:
    """The running sum of what counts, in date order, stops at the cap."""
    used = 0.0
    for idx in rows:
        counted = resolved.at[idx, "counted"]
        amount = abs(counted)
        allowed = max(0.0, min(amount, cap - used))
        if allowed < amount:
            sign = 1 if counted >= 0 else -1
            resolved.at[idx, "counted"] = sign * allowed + 0.0
            over = f"超过每{_PERIOD_WORD[period]}上限{cap:g}分，计{allowed:g}分"
            earlier = resolved.at[idx, "note"]
            resolved.at[idx, "note"] = f"{earlier}；{over}" if earlier else over
        used += allowed


_PERIOD_WORD = {"year": "年", "half": "半年", "quarter": "季度", "month": "月"}

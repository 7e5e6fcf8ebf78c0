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

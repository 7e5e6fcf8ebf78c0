"""Star rating (积分定星, SPEC §8): floors, quotas by floor(N × ratio), ties never split.

Seed 004: 五星一般不超过支部党员总数的15%，“三星”以下等次党员要有一定数量，对“五星”党组织可适当提高.
Seed 001 (named stars): 理论学习星…清正廉洁星, each earned per quarter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dangyuan_cli.core.formatting import points_text
from dangyuan_cli.core.periods import within
from dangyuan_cli.core.ranking import competition_rank
from dangyuan_cli.core.records import STAR_RESULT_COLUMNS
from dangyuan_cli.core.rules.model import Rules


def award_stars(scores: pd.DataFrame, rules: Rules, ratings: dict[str, int] | None = None) -> pd.DataFrame:
    """`scores` (one year) plus rank, stars, grade and reason for every starred member, per branch.

    Members not starred (exempt, left, activists) keep empty rank/stars. Column-wise over all
    branches at once: ranks by groupby, the floors by masks; only the quota tiers walk the tie
    groups (a few dozen per branch), never the members.
    """
    star_rules = rules.stars
    out = scores.copy()
    ranked = out.loc[out["starred"], ["branch", "total", "vetoed", "veto_items"]]
    if ranked.empty:
        for column in STAR_RESULT_COLUMNS:
            out[column] = pd.Series(None, index=out.index, dtype=object)
        return out
    total = ranked["total"].astype(float).round(2)
    by_branch = total.groupby(ranked["branch"], sort=False)
    rank = by_branch.rank(method="min", ascending=False).astype(int)
    n = by_branch.transform("size")
    vetoed = ranked["vetoed"].astype(bool)
    one = ~vetoed & (total < star_rules.one_star_below)
    two = ~vetoed & ~one & (total < star_rules.two_star_below)
    shown = total.map(points_text)  # f"{total:g}", once per distinct total
    # numpy arrays for the results: Series[bool Series] = … builds a repr of the key first
    floor_one, floor_two, veto = (vetoed | one).to_numpy(), two.to_numpy(), vetoed.to_numpy()
    stars = np.zeros(len(ranked), dtype=np.int64)
    stars[floor_one], stars[floor_two] = 1, 2
    why = np.full(len(ranked), "", dtype=object)
    why[veto] = ("一票否决：" + ranked.loc[vetoed, "veto_items"].astype(str)).to_numpy(dtype=object)
    why[one.to_numpy()] = ("总分" + shown[one] + f"<{star_rules.one_star_below:g}").to_numpy(dtype=object)
    why[floor_two] = ("总分" + shown[two] + f"<{star_rules.two_star_below:g}").to_numpy(dtype=object)
    rest = stars == 0
    if rest.any():
        tops = pd.DataFrame({"branch": ranked.loc[rest, "branch"], "total": total[rest], "n": n[rest]})
        tiers = _tier_groups(tops, out["branch"].value_counts(), rules, ratings)
        key = pd.MultiIndex.from_frame(tops[["branch", "total"]])
        stars[rest] = tiers["stars"].reindex(key).to_numpy()
        why[rest] = tiers["why"].reindex(key).to_numpy(dtype=object)
    stars = pd.Series(stars, index=ranked.index)
    reason = "第" + rank.astype(str) + "名/共" + n.astype(str) + "人，" + pd.Series(why, index=ranked.index)
    values = {
        "rank": rank,
        "stars": stars,
        "grade": stars.astype(str).map(star_rules.grades),
        "reason": reason,
    }
    where = out.index.get_indexer(ranked.index)
    for column in STAR_RESULT_COLUMNS:
        column_values = np.full(len(out), None, dtype=object)
        column_values[where] = values[column].tolist()  # Python ints and str, as the writers had them
        out[column] = pd.Series(column_values, index=out.index, dtype=object)
    return out


def _tier_groups(tops: pd.DataFrame, members: pd.Series, rules: Rules, ratings: dict[str, int] | None) -> pd.DataFrame:
    """Stars and reason per (branch, total) tie group of the members above the floors: the
    groups fill 五星 then 四星 in descending total, whole; the rest are 三星."""
    star_rules = rules.stars
    ties = tops.groupby(["branch", "total"], sort=False).agg(size=("n", "size"), n=("n", "first"))
    ties = ties.reset_index().sort_values(["branch", "total"], ascending=[True, False], kind="stable")
    found: list[tuple[str, float, int, str]] = []
    tiers, current = [], None
    columns = (ties[c].to_numpy(dtype=object) for c in ("branch", "total", "size", "n"))
    for branch, total, size, n in zip(*columns, strict=True):  # tie groups, branch by branch
        if branch != current:
            current, rating = branch, (ratings or {}).get(branch, rules.branch_rating(branch))
            base_n = int(members.get(branch, 0)) if star_rules.quota_base == "all" else int(n)
            tiers = _tiers(star_rules, base_n, rating)
        size = int(size)
        tie_note = f"，与{size - 1}人并列{total:g}分" if size > 1 else ""
        why = ""  # the first tier that closed on this tie group, carried into the tier below
        for tier in tiers:
            if tier.open and tier.used + size <= tier.cap:
                tier.used += size
                found.append((branch, total, tier.stars, f"{tier.quota}{tie_note}{why}"))
                break
            closed = tier.close(size)  # every tier a group passes closes, even after one said why
            why = why or closed
        else:
            three = f"总分{total:g}≥{star_rules.two_star_below:g}，五星、四星名额已满{why}{tie_note}"
            found.append((branch, total, 3, three))
    return pd.DataFrame(found, columns=["branch", "total", "stars", "why"]).set_index(["branch", "total"])


def _tiers(star_rules, base_n: int, rating: int) -> list[_Tier]:
    """The quota tiers, highest first: (stars, quota, how the quota was computed, why a tie overflowed)."""
    bonus = star_rules.five_star_branch_bonus if rating == 5 else 1.0
    bonus_note = f"×五星支部系数{bonus:g}" if bonus != 1 else ""
    tiers = []
    for stars, label, ratio, overflow in (
        (5, "五星", star_rules.five_star_max, "（并列{size}人超出五星剩余名额{left}，整组定为下一等次）"),
        (4, "四星", star_rules.four_star_max, "（并列{size}人超出四星剩余名额{left}）"),
    ):
        cap = math.floor(base_n * ratio * bonus + 1e-9)
        tiers.append(_Tier(stars, cap, f"{label}名额floor({base_n}×{ratio:.0%}{bonus_note})={cap}", overflow))
    return tiers


@dataclass
class _Tier:
    """A star level with a quota: filled by whole tie groups, closed by the first that does not fit."""

    stars: int
    cap: int
    quota: str  # how the cap was computed, for the reason column
    overflow: str  # why a tie group fell to the next level: {size}, {left}
    used: int = 0
    open: bool = True

    def close(self, size: int) -> str:
        """Close the tier (ties are never split); the reason, when the tier still had room."""
        if not self.open:
            return ""
        self.open = False
        return self.overflow.format(size=size, left=self.cap - self.used) if self.used < self.cap else ""


def three_or_below_share(stars: pd.DataFrame) -> dict[str, float]:
    """Per branch, the share of starred members at ≤ 三星 (seed 004: 要有一定数量)."""
    rated = stars[stars["stars"].notna()]
    return {b: float((g["stars"] <= 3).mean()) for b, g in rated.groupby("branch")}


def award_named_stars(year_scores: pd.DataFrame, resolved: pd.DataFrame, quarters: list, rules: Rules) -> pd.DataFrame:
    """Seed 001: each star earned in a quarter by a positive sum of its mapped items;
    清正廉洁星 is lost in a quarter with any counted 违规扣分 or a veto. A star counts for the
    year when earned in at least `quarters_for_year` quarters."""
    named = rules.stars.named
    out = year_scores.copy()
    for column in (*STAR_RESULT_COLUMNS, "star_names"):
        out[column] = None
    starred = out[out["starred"]]
    if starred.empty:
        return out
    catalogue_star = {}
    for branch in starred["branch"].unique():
        catalogue_star[branch] = {name: item.star for name, item in rules.items_for(branch).items() if item.star}
    valid = resolved[resolved["valid"]] if not resolved.empty else resolved
    for idx, r in starred.iterrows():
        mine = valid[valid["member_id"] == r["member_id"]] if not valid.empty else valid
        earned: dict[str, int] = dict.fromkeys(named.names, 0)
        for q in quarters:
            rows = mine[within(mine, q)] if not mine.empty else mine
            for star in named.names:
                if star == named.integrity_star:
                    bad = (
                        rows[(rows["type"].isin(["违规扣分", "一票否决"])) & (rows["counted"] != 0)]
                        if not rows.empty
                        else rows
                    )
                    vetoed = not rows.empty and bool((rows["type"] == "一票否决").any())
                    if bad.empty and not vetoed:
                        earned[star] += 1
                    continue
                mapping = catalogue_star.get(r["branch"], {})
                hits = (
                    rows[rows["item"].map(lambda i, star=star, mapping=mapping: mapping.get(i) == star).astype(bool)]
                    if not rows.empty
                    else rows
                )
                if not hits.empty and hits["counted"].sum() > 0:
                    earned[star] += 1
        got = [s for s in named.names if earned[s] >= named.quarters_for_year]
        count = len(got)
        out.at[idx, "stars"] = count
        out.at[idx, "grade"] = named.grades[str(count)]
        out.at[idx, "star_names"] = "、".join(got)
        detail = "，".join(f"{s}{earned[s]}个季度" for s in named.names)
        out.at[idx, "reason"] = (
            f"获得{count}颗星（{'、'.join(got) or '无'}；{detail}；需≥{named.quarters_for_year}个季度）"
        )
    for _, group in starred.groupby("branch"):
        out.loc[group.index, "rank"] = competition_rank(group["total"].astype(float)).values
    return out

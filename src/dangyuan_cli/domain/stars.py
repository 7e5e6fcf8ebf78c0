"""Star rating (积分定星, SPEC §8): floors, quotas by floor(N × ratio), ties never split.

Seed 004: 五星一般不超过支部党员总数的15%，“三星”以下等次党员要有一定数量，对“五星”党组织可适当提高.
Seed 001 (named stars): 理论学习星…清正廉洁星, each earned per quarter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from dangyuan_cli.core.periods import within
from dangyuan_cli.core.ranking import competition_rank
from dangyuan_cli.core.records import STAR_RESULT_COLUMNS
from dangyuan_cli.core.rules.model import Rules


def award_stars(scores: pd.DataFrame, rules: Rules, ratings: dict[str, int] | None = None) -> pd.DataFrame:
    """`scores` (one year) plus rank, stars, grade and reason for every starred member, per branch.

    Members not starred (exempt, left, activists) keep empty rank/stars.
    """
    out = scores.copy()
    found: dict[int, dict] = {}
    for branch, group in out.groupby("branch", sort=True):
        rating = (ratings or {}).get(branch, rules.branch_rating(branch))
        found.update(_branch_stars(group, rules, rating, all_members=len(group)))
    for column in STAR_RESULT_COLUMNS:
        out[column] = pd.Series(
            [found[i][column] if i in found else None for i in out.index], index=out.index, dtype=object
        )
    return out


def _branch_stars(group: pd.DataFrame, rules: Rules, rating: int, all_members: int) -> dict[int, dict]:
    star_rules = rules.stars
    ranked = group[group["starred"]].copy()
    ranked["total"] = ranked["total"].astype(float).round(2)
    n = len(ranked)
    if n == 0:
        return {}
    ranked["rank"] = competition_rank(ranked["total"])
    base_n = all_members if star_rules.quota_base == "all" else n
    bonus = star_rules.five_star_branch_bonus if rating == 5 else 1.0
    bonus_note = f"×五星支部系数{bonus:g}" if bonus != 1 else ""
    # the quota tiers, highest first: (stars, quota, how the quota was computed, why a tie overflowed)
    tiers = []
    for stars, label, ratio, overflow in (
        (5, "五星", star_rules.five_star_max, "（并列{size}人超出五星剩余名额{left}，整组定为下一等次）"),
        (4, "四星", star_rules.four_star_max, "（并列{size}人超出四星剩余名额{left}）"),
    ):
        cap = math.floor(base_n * ratio * bonus + 1e-9)
        tiers.append(_Tier(stars, cap, f"{label}名额floor({base_n}×{ratio:.0%}{bonus_note})={cap}", overflow))
    result: dict[int, dict] = {}

    ranks = dict(zip(ranked.index, ranked["rank"], strict=True))

    def put(idx: int, stars: int, reason: str) -> None:
        rank = int(ranks[idx])
        result[idx] = {
            "rank": rank,
            "stars": stars,
            "grade": star_rules.grades[str(stars)],
            "reason": f"第{rank}名/共{n}人，{reason}",
        }

    rest = []
    for idx, vetoed, total, items in zip(
        ranked.index, ranked["vetoed"], ranked["total"], ranked["veto_items"], strict=True
    ):
        if vetoed:
            put(idx, 1, f"一票否决：{items}")
        elif total < star_rules.one_star_below:
            put(idx, 1, f"总分{total:g}<{star_rules.one_star_below:g}")
        elif total < star_rules.two_star_below:
            put(idx, 2, f"总分{total:g}<{star_rules.two_star_below:g}")
        else:
            rest.append(idx)
    tops = ranked.loc[rest].sort_values("total", ascending=False)
    for total, tie in tops.groupby("total", sort=False):
        size = len(tie)
        tie_note = f"，与{size - 1}人并列{total:g}分" if size > 1 else ""
        why = ""  # the first tier that closed on this tie group, carried into the tier below
        for tier in tiers:
            if tier.open and tier.used + size <= tier.cap:
                tier.used += size
                for idx in tie.index:
                    put(idx, tier.stars, f"{tier.quota}{tie_note}{why}")
                break
            closed = tier.close(size)  # every tier a group passes closes, even after one said why
            why = why or closed
        else:
            for idx in tie.index:
                put(idx, 3, f"总分{total:g}≥{star_rules.two_star_below:g}，五星、四星名额已满{why}{tie_note}")
    return result


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

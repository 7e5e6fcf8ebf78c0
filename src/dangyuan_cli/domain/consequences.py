"""Consequences (结果运用, SPEC §9) from the year's stars and earlier years' results.

Seeds: 004 (五星评先, 二星谈话, 一星帮扶, 连续两年一星处置, 书记三星以下约谈, 预备党员延长预备期),
002 (入党积极分子 100分+贡献加分优先; 连续两年不合格或一票否决取消资格; 预备党员否决取消资格),
003 (3年累计积分靠后不得提名), 000 (后进党员第八党支部帮扶不少于半年).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dangyuan_cli.core.formatting import points_text
from dangyuan_cli.core.periods import add_months
from dangyuan_cli.core.ranking import share_size
from dangyuan_cli.core.rules.model import Rules

COLUMNS = ["branch", "name", "member_id", "list", "reason", "due"]
# every list this module can produce, in the order reports show them
LISTS = (
    "评先评优候选",
    "警示教育、支部书记谈话",
    "重点管理对象、专人帮扶",
    "不合格党员处置审查",
    "上级党组织约谈",
    "延长预备期审查",
    "取消预备党员资格",
    "优先列为发展对象",
    "取消入党积极分子资格审查",
    "取消入党积极分子资格",
    "不得提名为村党组织班子候选人",
    "后进党员（第八党支部帮扶）",
)
_SECRETARY = re.compile(r"(?<!副)书记")


def _listed(r: pd.Series, name: str, reason: str, due: str = "") -> dict:
    """One row of a consequence list: the member, the list's name, why, and the due date if any."""
    return {
        "branch": r["branch"],
        "name": r["name"],
        "member_id": r["member_id"],
        "list": name,
        "reason": reason,
        "due": due,
    }


def list_consequences(
    year: int,
    stars: pd.DataFrame,
    history: dict[int, pd.DataFrame],
    members: pd.DataFrame,
    laggards: pd.DataFrame,
    conversions: pd.DataFrame,
    rules: Rules,
) -> pd.DataFrame:
    """Every list of SPEC §9 for `year`; `history[y]` holds earlier years' member_id/stars/total/vetoed."""
    rows = _star_lists(year, stars, history.get(year - 1), members, rules)
    rows.extend(_nominations(year, stars, history, rules))
    rows.extend(_laggards(laggards, conversions, rules))
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.sort_values(["branch", "list", "name"], kind="stable").reset_index(drop=True)


def _star_lists(
    year: int, stars: pd.DataFrame, prev: pd.DataFrame | None, members: pd.DataFrame, rules: Rules
) -> list[dict]:
    """The lists read off the year's stars and totals (seeds 004, 002), column-wise: one mask per
    list over the whole part; rows in member order, a member's lists in the order SPEC §9 names them."""
    if stars.empty:
        return []
    policy = rules.consequences
    star = pd.to_numeric(stars["stars"], errors="coerce")
    rated = stars["starred"].astype(bool) & star.notna()
    label = f"{year}年" + star.fillna(0).astype(int).astype(str) + "星"
    office = stars["member_id"].map(dict(zip(members["member_id"], members["office"], strict=True)))
    secretary = office.fillna("").astype(str).str.contains(_SECRETARY)
    vetoed = stars["vetoed"].astype(bool)
    probationer = rated & (stars["category"] == "预备党员")
    prev_stars = dict(zip(prev["member_id"], prev["stars"], strict=True)) if prev is not None else {}
    total = pd.to_numeric(stars["total"], errors="coerce")
    activist = (stars["category"] == "入党积极分子") & total.notna()
    low_now = total < policy.activist_low_below
    before = _previous_totals(stars["member_id"], prev)
    low_before = before < policy.activist_low_below
    shown = total.map(points_text)
    low = f"{policy.activist_low_below:g}"
    reason, veto_items, contribution = (
        stars["reason"].astype(str),
        stars["veto_items"].astype(str),
        stars["contribution"],
    )
    lists = [  # (list, who, why of the rows `w` listed) — the texts are built for the listed rows only
        ("评先评优候选", rated & (star == 5), lambda w: label[w] + "（党支部评定年度优秀党员从五星党员中产生）"),
        ("警示教育、支部书记谈话", rated & (star == 2), lambda w: label[w] + "：" + reason[w]),
        ("重点管理对象、专人帮扶", rated & (star == 1), lambda w: label[w] + "：" + reason[w]),
        (
            "不合格党员处置审查",
            rated & (star == 1) & (stars["member_id"].map(prev_stars) == 1),
            lambda w: f"连续两年一星（{year - 1}年、{year}年）",
        ),
        (
            "上级党组织约谈",
            rated & (star <= 3) & secretary,
            lambda w: "党支部书记" + label[w] + "（三星及以下由上级党组织约谈）",
        ),
        ("取消预备党员资格", probationer & vetoed, lambda w: "预备期内一票否决：" + veto_items[w]),
        (
            "延长预备期审查",
            probationer & ~vetoed & (star <= 2),
            lambda w: "预备党员" + label[w] + "（二星、一星适当延长预备期）",
        ),
        ("取消入党积极分子资格", activist & vetoed, lambda w: "一票否决：" + veto_items[w]),
        (
            "取消入党积极分子资格",
            activist & ~vetoed & low_now & low_before,
            lambda w: (
                f"连续两年积分低于{low}（{year - 1}年"
                + before[w].map(points_text)
                + f"分，{year}年"
                + shown[w]
                + "分）"
            ),
        ),
        (
            "取消入党积极分子资格审查",
            activist & ~vetoed & low_now & ~low_before,
            lambda w: "年度积分" + shown[w] + f"<{low}（积分较低）",
        ),
        (
            "优先列为发展对象",
            activist & ~vetoed & ~low_now & (total >= policy.activist_priority_min) & (contribution > 0),
            lambda w: (
                "年度积分"
                + shown[w]
                + f"≥{policy.activist_priority_min:g}且有贡献加分"
                + contribution[w].map(points_text)
            ),
        ),
    ]
    terms = list_terms(rules)
    at, names, whys = [], [], []
    for name, who, why in lists:
        rows = who.to_numpy(dtype=bool)
        if rows.any():
            text = why(rows)
            at.append(np.flatnonzero(rows))
            names.append(np.full(rows.sum(), name, dtype=object))
            whys.append(
                text.to_numpy(dtype=object) if isinstance(text, pd.Series) else np.full(rows.sum(), text, dtype=object)
            )
    if not at:
        return []
    at, names, whys = np.concatenate(at), np.concatenate(names), np.concatenate(whys)
    order = np.argsort(at, kind="stable")  # member order; a member's lists in the order above
    people = stars[["branch", "name", "member_id"]].to_numpy(dtype=object)[at[order]]
    return [
        {"branch": b, "name": n, "member_id": m, "list": listed, "reason": why, "due": terms.get(listed, NO_TERM)}
        for (b, n, m), listed, why in zip(people, names[order], whys[order], strict=True)
    ]


def _previous_totals(member_ids: pd.Series, prev: pd.DataFrame | None) -> pd.Series:
    """Last year's total per member as a float (NaN when none)."""
    if prev is None:
        return pd.Series(float("nan"), index=member_ids.index)
    earlier = dict(zip(prev["member_id"], prev["total"], strict=True))
    return pd.to_numeric(member_ids.map(earlier), errors="coerce").astype(float)


NO_TERM = "—"  # a list without a term: said, not left blank


def months_text(months: int) -> str:
    return f"{months // 12}年" if months % 12 == 0 else f"{months}个月"


def list_terms(rules: Rules) -> dict[str, str]:
    """The 期限 column of the lists that carry one (rules-file values); the others show NO_TERM."""
    c = rules.consequences
    return {
        "重点管理对象、专人帮扶": f"帮扶不少于{months_text(c.help_months)}",
        "延长预备期审查": f"延长不超过{months_text(c.probation_extension_months)}",
        "取消入党积极分子资格": f"{months_text(c.requalify_months)}内不再列为积极分子",
    }


def _nominations(year: int, stars: pd.DataFrame, history: dict[int, pd.DataFrame], rules: Rules) -> list[dict]:
    """Seed 003: 3年累计积分排名靠后的，换届时不得提名为村党组织班子成员候选人."""
    policy = rules.consequences
    years = [y for y in range(year - policy.nomination_years + 1, year) if y in history]
    ranked = stars[stars["starred"] & stars["total"].notna()].copy()
    ranked["cumulative"] = ranked["total"].astype(float)
    for y in years:
        earlier = dict(zip(history[y]["member_id"], history[y]["total"], strict=True))
        ranked["cumulative"] += [float(earlier.get(m) or 0.0) for m in ranked["member_id"]]
    if ranked.empty:
        return []
    # the years each branch has, and the bottom share of each branch: one groupby over the part
    present = {y: set(history[y]["branch"]) for y in years}
    ratio = policy.nomination_ratio
    size = ranked.groupby("branch", sort=False)["cumulative"].transform("size")
    take = size.map(lambda n: share_size(n, ratio))
    take = take.where(take > 0, size)  # as bottom_share's iloc[-1] when the share rounds to none
    ascending = ranked.sort_values(["branch", "cumulative"], kind="stable")  # NaN last, as sort_values
    nth = ascending.groupby("branch", sort=False).cumcount() + 1
    cut = ascending[nth == take[ascending.index]]  # each branch's last member in the share
    threshold = ranked["branch"].map(dict(zip(cut["branch"], cut["cumulative"], strict=True)))
    low = ranked[(ranked["cumulative"] <= threshold) & (ratio > 0)]
    spans = {}
    for branch in low["branch"].unique():
        mine = [y for y in years if branch in present[y]]
        spans[branch] = f"{min(mine)}–{year}年" if mine else f"{year}年"
    reason = low["branch"].map(spans) + "累计积分" + low["cumulative"].map(points_text) + f"，居后{ratio:.0%}"
    return [
        _listed(r, "不得提名为村党组织班子候选人", why, "下次换届")
        for r, why in zip(low[["branch", "name", "member_id"]].to_dict("records"), reason, strict=True)
    ]


def _laggards(laggards: pd.DataFrame, conversions: pd.DataFrame, rules: Rules) -> list[dict]:
    """Seed 000: 后进党员纳入第八党支部, 帮扶不少于半年; due dates from the conversion register."""
    months = rules.consequences.laggard_months
    register = {r.member_id: r for r in conversions.itertuples(index=False)}
    rows = []
    for r in laggards.itertuples(index=False):
        conv = register.get(r.member_id)
        due, note = f"转入后不少于{months}个月", "尚未登记转入第八党支部"
        if conv is not None and conv.since:
            due = f"{add_months(conv.since, months):%Y-%m-%d}"
            note = f"{conv.since:%Y-%m-%d}转入，帮扶责任人{conv.helper or '未填'}"
            if conv.result:
                note += (
                    f"；{conv.result_date:%Y-%m-%d}评定为{conv.result}"
                    if conv.result_date
                    else f"；评定为{conv.result}"
                )
        rows.append(
            {
                "branch": r.branch,
                "name": r.name,
                "member_id": r.member_id,
                "list": "后进党员（第八党支部帮扶）",
                "reason": f"{r.reason}；帮扶不少于{months}个月；{note}",
                "due": due,
            }
        )
        if conv is not None and conv.since and conv.result == "不合格":  # 000: 期满不合格的，依据不合格党员处置办法
            rows.append({**rows[-1], "list": "不合格党员处置审查", "reason": f"第八党支部帮扶教育期满不合格：{note}"})
    return rows

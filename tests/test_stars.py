"""Star rating (SPEC §8): hand-computed quotas, ties, floors, the 五星支部 bonus; property tests."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dangyuan_cli.core.rules.model import load_rules, parse_rules
from dangyuan_cli.domain.stars import award_stars, three_or_below_share

RULES = load_rules(None, "jiaozuo")


def scores(totals: list[float], vetoed: set[int] = frozenset(), branch: str = "东关村") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "branch": branch,
            "name": [f"党员{i:02d}" for i in range(len(totals))],
            "member_id": [f"{branch}-{i}" for i in range(len(totals))],
            "category": "正式党员",
            "total": [0.0 if i in vetoed else float(t) for i, t in enumerate(totals)],
            "vetoed": [i in vetoed for i in range(len(totals))],
            "veto_items": ["严重违反党的纪律（2025-05-01）" if i in vetoed else "" for i in range(len(totals))],
            "starred": True,
            "exempt": False,
            "left": False,
        }
    )


def stars_of(frame: pd.DataFrame) -> list[int]:
    return [int(s) for s in frame["stars"]]


def test_twenty_members_by_hand() -> None:
    # N=20: 五星 floor(20×15%)=3, 四星 floor(20×30%)=6, rest 三星; <100 二星; <60 一星
    totals = [150, 140, 130, 125, 124, 123, 122, 121, 120, 119, 118, 117, 110, 105, 100, 99, 80, 60, 59, 30]
    result = award_stars(scores(totals), RULES)
    assert stars_of(result) == [5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 2, 2, 2, 1, 1]
    assert list(result["grade"][:3]) == ["优秀"] * 3
    assert result.iloc[15]["grade"] == "基本合格" and result.iloc[19]["grade"] == "不合格"
    assert result.iloc[0]["reason"] == "第1名/共20人，五星名额floor(20×15%)=3"


def test_a_tie_crossing_the_cap_takes_the_lower_star_whole() -> None:
    # N=10: 五星 floor(1.5)=1, 四星 floor(3)=3
    fits = award_stars(scores([150, 140, 130, 130, 120, 110, 105, 104, 103, 102]), RULES)
    assert stars_of(fits) == [5, 4, 4, 4, 3, 3, 3, 3, 3, 3]
    # two at 150 cannot share one 五星 place: both take 四星, and nobody below them gets 五星
    tied = award_stars(scores([150, 150, 140, 130, 120, 110, 105, 104, 103, 102]), RULES)
    assert stars_of(tied) == [4, 4, 4, 3, 3, 3, 3, 3, 3, 3]
    assert "与1人并列150分（并列2人超出五星剩余名额1，整组定为下一等次）" in tied.iloc[0]["reason"]


def test_a_tie_too_big_for_both_quotas_takes_three_stars_and_says_why() -> None:
    # N=10: 五星 1 place, 四星 3 places; four tied at the top fit neither, so all four take 三星
    tied = award_stars(scores([150, 150, 150, 150, 120, 110, 105, 104, 103, 102]), RULES)
    assert stars_of(tied) == [3] * 10
    reason = tied.iloc[0]["reason"]
    assert "五星、四星名额已满（并列4人超出五星剩余名额1，整组定为下一等次），与3人并列150分" in reason
    # both tiers closed on that group: the next one down may not take a 四星 place left empty
    assert tied.iloc[4]["reason"].endswith("五星、四星名额已满")


def test_five_star_branch_bonus() -> None:
    totals = [150 - i for i in range(20)]
    plain = award_stars(scores(totals), RULES)
    rated = award_stars(scores(totals), parse_rules({"branches": {"东关村": {"rating": 5}}}))
    assert stars_of(plain).count(5) == 3 and stars_of(rated).count(5) == 3  # floor(20×0.15×1.2)=3
    assert stars_of(plain).count(4) == 6 and stars_of(rated).count(4) == 7  # floor(20×0.36)=7
    assert "×五星支部系数1.2" in rated.iloc[0]["reason"]


def test_veto_is_one_star_with_its_reason() -> None:
    result = award_stars(scores([150, 120, 110], vetoed={0}), RULES)
    assert stars_of(result)[0] == 1
    assert result.iloc[0]["reason"].endswith("一票否决：严重违反党的纪律（2025-05-01）")


def test_competition_rank() -> None:
    result = award_stars(scores([120, 110, 110, 100]), RULES)
    assert list(result["rank"]) == [1, 2, 2, 4]


def test_unstarred_members_get_no_star() -> None:
    frame = scores([120, 110, 100])
    frame.loc[2, "starred"] = False
    result = award_stars(frame, RULES)
    assert result.iloc[2]["stars"] is None and result.iloc[2]["rank"] is None


totals_strategy = st.lists(st.integers(20, 160), min_size=1, max_size=60)


@settings(max_examples=120, deadline=None)
@given(totals_strategy, st.booleans())
def test_quotas_never_exceeded_and_enough_at_three_or_below(totals, rated) -> None:
    rules = parse_rules({"branches": {"东关村": {"rating": 5 if rated else 0}}})
    result = award_stars(scores(totals), rules)
    bonus = 1.2 if rated else 1.0
    n = len(totals)
    assert stars_of(result).count(5) <= math.floor(n * 0.15 * bonus + 1e-9)
    assert stars_of(result).count(4) <= math.floor(n * 0.30 * bonus + 1e-9)
    assert three_or_below_share(result)["东关村"] >= rules.stars.min_three_or_below


@settings(max_examples=120, deadline=None)
@given(totals_strategy)
def test_ties_never_split_and_more_points_never_fewer_stars(totals) -> None:
    result = award_stars(scores(totals), RULES)
    pairs = list(zip(result["total"], stars_of(result), strict=True))
    for t1, s1 in pairs:
        for t2, s2 in pairs:
            if t1 == t2:
                assert s1 == s2
            if t1 > t2:
                assert s1 >= s2


@settings(max_examples=120, deadline=None)
@given(totals_strategy, st.data())
def test_raising_one_member_never_lowers_their_star(totals, data) -> None:
    i = data.draw(st.integers(0, len(totals) - 1))
    raise_by = data.draw(st.integers(1, 40))
    before = stars_of(award_stars(scores(totals), RULES))[i]
    raised = list(totals)
    raised[i] += raise_by
    assert stars_of(award_stars(scores(raised), RULES))[i] >= before


@settings(max_examples=60, deadline=None)
@given(totals_strategy, st.randoms())
def test_row_order_never_changes_stars(totals, rnd) -> None:
    frame = scores(totals)
    shuffled = frame.sample(frac=1, random_state=rnd.randint(0, 10**6))
    a = award_stars(frame, RULES).set_index("member_id")["stars"]
    b = award_stars(shuffled, RULES).set_index("member_id")["stars"]
    assert a.sort_index().tolist() == b.sort_index().tolist()

"""Points (SPEC §6): hand-computed cases from the seeds and property tests."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import entries, members
from dangyuan_cli.core.periods import parse_period
from dangyuan_cli.core.rules.model import load_rules, parse_rules
from dangyuan_cli.domain.points import derive_laggards, explain, score_period

JIAOZUO = load_rules(None, "jiaozuo")
SANMENXIA = load_rules(None, "sanmenxia")
YEAR = parse_period("2025")


def total_of(scores, name: str) -> float:
    return scores.table.set_index("name").loc[name, "total"]


def test_seed_003_machinery_repaired_11_times_at_3_points_is_33() -> None:
    # 渑池县仰韶镇中涧村党员张灵勤 2017年义务为群众修理机械11次，仅此一项就获得33分 (003)
    rows = [(f"2025-{m:02d}-10", "张灵勤", "贡献加分", "义务修理农机", None) for m in range(1, 12)]
    s = score_period(members("张灵勤"), entries(*rows), SANMENXIA, YEAR)
    r = s.table.iloc[0]
    assert (r["base"], r["contribution"], r["total"]) == (100, 33, 133)


def test_seed_003_clean_area_is_10_per_quarter_at_most() -> None:
    # 绿化卫生责任区每季度能够保持干净的，加10分 (003): a second entry in a quarter adds nothing
    rows = [
        ("2025-02-01", "甲", "贡献加分", "绿化卫生责任区保持干净", None),
        ("2025-03-01", "甲", "贡献加分", "绿化卫生责任区保持干净", None),
        ("2025-05-01", "甲", "贡献加分", "绿化卫生责任区保持干净", None),
    ]
    s = score_period(members("甲"), entries(*rows), SANMENXIA, YEAR)
    assert total_of(s, "甲") == 120
    notes = list(s.resolved["note"])
    assert notes[1] == "超过每季度上限10分，计0分"


def test_yearly_cap_trims_the_running_sum() -> None:
    # 每次2分，全年不超过12分: the seventh entry and later count nothing
    rows = [(f"2025-{m:02d}-01", "甲", "贡献加分", "参加义务劳动", None) for m in range(1, 9)]
    s = score_period(members("甲"), entries(*rows), JIAOZUO, YEAR)
    assert total_of(s, "甲") == 112
    q4 = score_period(members("甲"), entries(*rows), JIAOZUO, parse_period("2025Q3"))
    # July and August entries fall after the cap was used up in the first half
    assert q4.table.iloc[0]["contribution"] == 0
    assert q4.table.iloc[0]["ytd_total"] == 112


def test_deduction_written_either_way_and_base_not_below_zero() -> None:
    rows = [
        ("2025-01-05", "甲", "违规扣分", "不参加组织生活", 3),
        ("2025-01-06", "甲", "违规扣分", "不参加组织生活", -3),
        ("2025-01-07", "乙", "基础积分", "无故不参加三会一课", -60),
        ("2025-01-08", "乙", "基础积分", "无故不参加三会一课", -60),
    ]
    s = score_period(members("甲", "乙"), entries(*rows), JIAOZUO, YEAR)
    assert s.table.set_index("name").loc["甲", ["deduction", "total"]].tolist() == [6, 94]
    assert s.table.set_index("name").loc["乙", ["base", "total"]].tolist() == [0, 0]


def test_revoked_entry_is_shown_never_counted() -> None:
    rows = [("2025-05-18", "甲", "贡献加分", "志愿服务", 5, "撤销"), ("2025-05-19", "甲", "贡献加分", "志愿服务", 2)]
    s = score_period(members("甲"), entries(*rows), JIAOZUO, YEAR)
    assert total_of(s, "甲") == 102
    lines = explain(s, "东关村-甲", JIAOZUO)
    assert any("已撤销" in line and "积分.xlsx:积分台账!E3" in line for line in lines)
    assert lines[-1] == "基础积分100 + 贡献加分2 − 违规扣分0 = 102"


def test_veto_zero_or_cap() -> None:
    rows = [("2025-03-01", "甲", "贡献加分", "带头致富", 30), ("2025-08-01", "甲", "一票否决", "受到刑事处罚", None)]
    zero = score_period(members("甲"), entries(*rows), JIAOZUO, YEAR).table.iloc[0]
    assert (zero["vetoed"], zero["total"]) == (True, 0)
    capped_rules = parse_rules({"points": {"veto": "cap", "veto_cap": 60}})
    capped = score_period(members("甲"), entries(*rows), capped_rules, YEAR).table.iloc[0]
    assert capped["total"] == 60
    # the veto counts in the period it is dated in
    q1 = score_period(members("甲"), entries(*rows), JIAOZUO, parse_period("2025Q1")).table.iloc[0]
    assert (q1["vetoed"], q1["total"]) == (False, 130)


def test_highest_mode_counts_one_occurrence() -> None:
    rows = [
        ("2025-06-30", "甲", "贡献加分", "获得县级以上表彰", 10),
        ("2025-12-01", "甲", "贡献加分", "获得县级以上表彰", 8),
    ]
    s = score_period(members("甲"), entries(*rows), JIAOZUO, YEAR)
    assert total_of(s, "甲") == 110


def test_catalogue_default_and_unknown_items() -> None:
    rows = [("2025-01-01", "甲", "贡献加分", "捐资修路", 6), ("2025-01-02", "甲", "贡献加分", "捐资修路", None)]
    s = score_period(members("甲"), entries(*rows), JIAOZUO, YEAR)
    messages = [(p.severity, p.cell, p.message) for p in s.problems]
    assert ("warning", "E3", "“捐资修路”未列入项目清单，按所填分值6计入") in messages
    assert ("error", "E4", "分值为空，且“捐资修路”不在项目清单中；请填写分值") in messages


def test_month_cutoff_moves_entries_to_the_next_month() -> None:
    rules = load_rules(None, "four-class")  # 自上月15日至本月15日 (002)
    rows = [("2025-07-16", "甲", "贡献加分", "志愿服务", 2), ("2024-12-20", "甲", "贡献加分", "志愿服务", 2)]
    july = score_period(members("甲"), entries(*rows), rules, parse_period("2025-07", 15)).table.iloc[0]
    august = score_period(members("甲"), entries(*rows), rules, parse_period("2025-08", 15)).table.iloc[0]
    year = score_period(members("甲"), entries(*rows), rules, parse_period("2025", 15)).table.iloc[0]
    assert (july["contribution"], august["contribution"], year["contribution"]) == (0, 2, 4)


def test_who_is_scored_exempt_activist_transfer() -> None:
    people = members(
        {"name": "老王", "exempt": True},
        {"name": "小李", "category": "入党积极分子"},
        {"name": "新来", "moved_in": pd.Timestamp("2025-05-01").date()},
        {"name": "走了", "moved_out": pd.Timestamp("2025-09-30").date()},
    )
    rows = [
        ("2025-03-01", "新来", "贡献加分", "志愿服务", 2),
        ("2025-06-01", "新来", "贡献加分", "志愿服务", 2),
        ("2025-03-01", "走了", "贡献加分", "志愿服务", 2),
    ]
    s = score_period(people, entries(*rows), JIAOZUO, YEAR)
    t = s.table.set_index("name")
    assert t.loc["老王", "exempt"] and math.isnan(t.loc["老王", "total"])
    assert t.loc["小李", "total"] == 100 and not t.loc["小李", "starred"]
    assert t.loc["新来", "total"] == 102
    assert t.loc["走了", "left"] and not t.loc["走了", "starred"] and t.loc["走了", "base"] == 0
    assert any("不在本支部期间" in p.message and p.cell == "E3" for p in s.problems)


def test_laggard_derived_as_seed_003_says() -> None:
    rows = [
        ("2025-04-01", "后进", "违规扣分", "参与集体上访", 10),
        ("2025-04-02", "小扣", "违规扣分", "不参加组织生活", 5),
        ("2025-04-03", "小扣", "违规扣分", "不参加组织生活", 5),
        ("2025-04-04", "有贡献", "违规扣分", "参与集体上访", 10),
        ("2025-04-05", "有贡献", "贡献加分", "志愿服务", 2),
    ]
    s = score_period(members("后进", "小扣", "有贡献"), entries(*rows), JIAOZUO, YEAR)
    found = derive_laggards(s, JIAOZUO)
    assert list(found["name"]) == ["后进"]
    assert found.iloc[0]["reason"] == "年度积分90<基础分100，无贡献加分，单次扣分10≥10"


ITEMS = ["志愿服务", "参加义务劳动", "获得县级以上表彰", "不参加组织生活", "无故不参加三会一课"]
TYPES = {
    "志愿服务": "贡献加分",
    "参加义务劳动": "贡献加分",
    "获得县级以上表彰": "贡献加分",
    "不参加组织生活": "违规扣分",
    "无故不参加三会一课": "基础积分",
}
entry_strategy = st.tuples(
    st.integers(1, 12),
    st.integers(1, 28),
    st.sampled_from(["甲", "乙", "丙"]),
    st.sampled_from(ITEMS),
    st.integers(1, 12),
    st.booleans(),
)


def _frame(specs):
    rows = []
    for month, day, name, item, value, revoked in specs:
        signed = -value if TYPES[item] == "基础积分" else value
        rows.append((f"2025-{month:02d}-{day:02d}", name, TYPES[item], item, signed, "撤销" if revoked else "有效"))
    return entries(*rows)


@settings(max_examples=60, deadline=None)
@given(st.lists(entry_strategy, max_size=25), st.randoms())
def test_row_order_never_changes_a_result(specs, rnd) -> None:
    people = members("甲", "乙", "丙")
    frame = _frame(specs)
    shuffled = frame.sample(frac=1, random_state=rnd.randint(0, 10**6)).reset_index(drop=True)
    a = score_period(people, frame, JIAOZUO, YEAR).table
    b = score_period(people, shuffled, JIAOZUO, YEAR).table
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=60, deadline=None)
@given(st.lists(entry_strategy, max_size=25), st.sampled_from(ITEMS), st.integers(1, 12))
def test_a_revoked_entry_never_counts(specs, item, value) -> None:
    people = members("甲", "乙", "丙")
    before = score_period(people, _frame(specs), JIAOZUO, YEAR).table
    after = score_period(people, _frame([*specs, (6, 1, "甲", item, value, True)]), JIAOZUO, YEAR).table
    pd.testing.assert_frame_equal(before, after)


def test_periods_and_relative_periods() -> None:
    import datetime as dt

    from dangyuan_cli.core.periods import PeriodError

    today = dt.date(2026, 1, 5)
    assert parse_period("last-month", today=today).code == "2025-12"
    assert parse_period("上季度", today=today).code == "2025Q4"
    assert parse_period("last-year", today=today).code == "2025"
    q = parse_period("2025Q3")
    assert (q.start, q.end, q.label) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30), "2025年第三季度")
    cut = parse_period("2025", 15)
    assert (cut.start, cut.end) == (dt.date(2024, 12, 16), dt.date(2025, 12, 15))
    with pytest.raises(PeriodError, match="last-month"):
        parse_period("2025Q5")


def test_an_item_for_some_categories_does_not_count_for_others() -> None:
    # SPEC §3: an item applies to member categories; an entry for another category is a warning, not counted
    rules = parse_rules(
        {"items": [{"name": "参加积极分子培训", "type": "贡献加分", "points": 5, "applies_to": ["入党积极分子"]}]}
    )
    people = members("甲", {"name": "乙", "category": "入党积极分子"})
    rows = [("2025-03-01", n, "贡献加分", "参加积极分子培训", None) for n in ("甲", "乙")]
    s = score_period(people, entries(*rows), rules, YEAR)
    contributions = dict(zip(s.table["name"], s.table["contribution"], strict=True))
    assert contributions == {"甲": 0, "乙": 5}
    [warning] = [p for p in s.problems if "只适用于" in p.message]
    assert (warning.severity, warning.cell) == ("warning", s.resolved.loc[s.resolved["name"] == "甲", "cell"].iloc[0])
    assert warning.message.startswith("甲是正式党员，项目清单中“参加积极分子培训”只适用于入党积极分子，此条不计入")

"""`highest` items over sub-year periods (SPEC §3): credit in date order, so quarters sum to the year."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from builders import entries, members
from dangyuan_cli.core.periods import parse_period
from dangyuan_cli.core.rules.model import load_rules, parse_rules
from dangyuan_cli.domain.points import explain, resolve_entries, score_period

JIAOZUO = load_rules(None, "jiaozuo")
HONOUR = "获得县级以上表彰"  # mode = "highest" in the jiaozuo preset
QUARTERS = [parse_period(f"2025Q{q}") for q in (1, 2, 3, 4)]
YEAR = parse_period("2025")


def contribution(rows, period, rules=JIAOZUO, people=None) -> float:
    s = score_period(people if people is not None else members("甲"), entries(*rows), rules, period)
    return s.table.iloc[0]["contribution"]


def test_each_quarter_gets_what_its_occurrence_raised_the_highest() -> None:
    rows = [
        ("2025-03-10", "甲", "贡献加分", HONOUR, 5),
        ("2025-07-10", "甲", "贡献加分", HONOUR, 10),
        ("2025-11-10", "甲", "贡献加分", HONOUR, 3),
    ]
    assert [contribution(rows, q) for q in QUARTERS] == [5, 0, 5, 0]
    assert contribution(rows, YEAR) == 10
    # Q1 was 5 before July's entry arrived and stays 5 after it
    assert contribution(rows[:1], QUARTERS[0]) == 5


def test_explain_says_why_an_occurrence_counted_partly() -> None:
    rows = [
        ("2025-03-10", "甲", "贡献加分", HONOUR, 5),
        ("2025-07-10", "甲", "贡献加分", HONOUR, 10),
        ("2025-11-10", "甲", "贡献加分", HONOUR, 3),
    ]
    lines = explain(score_period(members("甲"), entries(*rows), JIAOZUO, YEAR), "东关村-甲", JIAOZUO)
    assert lines[0].startswith(f"2025-03-10 贡献加分 {HONOUR} +5 → 计+5  [")
    assert "→ 计+5（最高值计分：此前最高5分，本次10分，计5分）" in lines[1]
    assert "→ 计+0（最高值计分：此前最高10分，本次3分，计0分）" in lines[2]
    assert lines[-1] == "基础积分100 + 贡献加分10 − 违规扣分0 = 110"


def test_two_on_one_day_the_larger_counts_whatever_the_row_order() -> None:
    for rows in (
        [("2025-05-01", "甲", "贡献加分", HONOUR, 4), ("2025-05-01", "甲", "贡献加分", HONOUR, 9)],
        [("2025-05-01", "甲", "贡献加分", HONOUR, 9), ("2025-05-01", "甲", "贡献加分", HONOUR, 4)],
    ):
        s = score_period(members("甲"), entries(*rows), JIAOZUO, YEAR)
        counted = dict(zip(s.resolved["value"], s.resolved["counted"], strict=True))
        assert counted == {9: 9, 4: 0}
    equal = [("2025-05-01", "甲", "贡献加分", HONOUR, 6), ("2025-05-01", "甲", "贡献加分", HONOUR, 6)]
    s = score_period(members("甲"), entries(*equal), JIAOZUO, YEAR)
    assert sorted(s.resolved["counted"]) == [0, 6]


def test_a_revoked_occurrence_never_counts_nor_raises_the_highest() -> None:
    rows = [
        ("2025-02-01", "甲", "贡献加分", HONOUR, 10, "撤销"),
        ("2025-08-01", "甲", "贡献加分", HONOUR, 6),
    ]
    assert [contribution(rows, q) for q in QUARTERS] == [0, 0, 6, 0]
    s = score_period(members("甲"), entries(*rows), JIAOZUO, YEAR)
    assert s.resolved["note"].iloc[1] == ""  # counted in full: nothing before it counts


def test_a_highest_item_with_a_cap_consumes_the_cap_in_date_order() -> None:
    rules = parse_rules(
        {"items": [{"name": "技能竞赛获奖", "type": "贡献加分", "points": 5, "mode": "highest", "cap": 8}]}
    )
    rows = [
        ("2025-02-01", "甲", "贡献加分", "技能竞赛获奖", 5),
        ("2025-06-01", "甲", "贡献加分", "技能竞赛获奖", 12),  # raises by 7, the cap leaves 3
        ("2025-10-01", "甲", "贡献加分", "技能竞赛获奖", 15),  # raises by 3, the cap leaves 0
    ]
    assert [contribution(rows, q, rules) for q in QUARTERS] == [5, 3, 0, 0]
    assert contribution(rows, YEAR, rules) == 8
    s = score_period(members("甲"), entries(*rows), rules, YEAR)
    assert s.resolved["note"].iloc[1] == "最高值计分：此前最高5分，本次12分，计7分；超过每年上限8分，计3分"


def test_a_highest_deduction_deducts_only_the_raise() -> None:
    rules = parse_rules({"items": [{"name": "严重违纪", "type": "违规扣分", "points": 5, "mode": "highest"}]})
    rows = [("2025-01-05", "甲", "违规扣分", "严重违纪", 4), ("2025-04-05", "甲", "违规扣分", "严重违纪", -10)]
    s = score_period(members("甲"), entries(*rows), rules, parse_period("2025Q2"))
    assert (s.table.iloc[0]["deduction"], s.table.iloc[0]["ytd_total"]) == (6, 90)


RULES = parse_rules(
    {
        "items": [
            {"name": "表彰", "type": "贡献加分", "points": 5, "mode": "highest"},
            {"name": "竞赛", "type": "贡献加分", "points": 5, "mode": "highest", "cap": 9, "cap_period": "half"},
            {"name": "季度最高", "type": "贡献加分", "points": 5, "mode": "highest", "cap_period": "quarter"},
            {"name": "劳动", "type": "贡献加分", "points": 2, "cap": 7},
            {"name": "违纪", "type": "违规扣分", "points": 3, "mode": "highest"},
        ]
    }
)
KINDS = {"表彰": "贡献加分", "竞赛": "贡献加分", "季度最高": "贡献加分", "劳动": "贡献加分", "违纪": "违规扣分"}
spec = st.tuples(
    st.integers(1, 12), st.integers(1, 28), st.sampled_from(sorted(KINDS)), st.integers(1, 15), st.booleans()
)


def _rows(specs):
    return [
        (f"2025-{m:02d}-{d:02d}", "甲", KINDS[item], item, v, "撤销" if revoked else "有效")
        for m, d, item, v, revoked in specs
    ]


def _by_quarter(rows) -> list[tuple[float, float]]:
    people, frame = members("甲"), entries(*rows)
    resolved, _ = resolve_entries(frame, people, RULES)  # once for the four quarters
    out = []
    for q in QUARTERS:
        r = score_period(people, frame, RULES, q, resolved).table.iloc[0]
        out.append((r["contribution"], r["deduction"]))
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(spec, max_size=20), spec)
@example([(3, 10, "表彰", 5, False)], (7, 10, "表彰", 10, False))
def test_quarters_sum_to_the_year_and_later_entries_never_change_them(specs, later) -> None:
    rows = _rows(specs)
    quarters = _by_quarter(rows)
    year = score_period(members("甲"), entries(*rows), RULES, YEAR).table.iloc[0]
    assert round(sum(c for c, _ in quarters), 4) == year["contribution"]
    assert round(sum(d for _, d in quarters), 4) == year["deduction"]
    # an entry dated after a quarter never changes that quarter (nor any earlier one)
    added = _by_quarter([*rows, *_rows([later])])
    closed = (later[0] - 1) // 3  # quarters before the one the later entry falls in
    assert added[:closed] == quarters[:closed]

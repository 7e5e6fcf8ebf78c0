"""Boards (SPEC §7) and consequences (SPEC §9) on small literal branches."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from builders import entries, members
from dangyuan_cli.core.periods import parse_period
from dangyuan_cli.core.ranking import bottom_share, top_share
from dangyuan_cli.core.rules.model import load_rules
from dangyuan_cli.domain.boards import build_board, quarterly_ranking
from dangyuan_cli.domain.consequences import list_consequences
from dangyuan_cli.domain.points import derive_laggards, score_period
from dangyuan_cli.domain.stars import award_stars

RULES = load_rules(None, "jiaozuo")


def test_top_and_bottom_shares_include_ties() -> None:
    values = pd.Series([10, 9, 9, 5, 1, 1, 0, 0, 0, 0])
    assert top_share(values, 0.2).tolist() == [True, True, True] + [False] * 7  # ceil(2) → 9, ties in
    assert bottom_share(values, 0.1).sum() == 4  # ceil(1) → 0, four members at 0


def test_monthly_board_red_yellow_blue() -> None:
    people = members("甲", "乙", "丙", "丁", "戊", "己")
    rows = [
        ("2025-07-02", "甲", "贡献加分", "带头致富", 5),
        ("2025-07-03", "乙", "贡献加分", "志愿服务", 2),
        ("2025-07-04", "丙", "贡献加分", "志愿服务", 2),
        ("2025-07-05", "丁", "违规扣分", "不参加组织生活", 5),
        ("2025-07-06", "戊", "一票否决", "严重违反党的纪律", None),
        ("2025-06-30", "己", "贡献加分", "带头致富", 5),  # June: not this board
    ]
    july = score_period(people, entries(*rows), RULES, parse_period("2025-07"))
    board = build_board(july.table, RULES).set_index("name")
    # positive net: 甲5 乙2 丙2 → ceil(3×20%)=1 → only 甲 on 红榜
    assert board["board"].to_dict() == {
        "甲": "红榜",
        "乙": "蓝榜",
        "丙": "蓝榜",
        "丁": "黄榜",
        "戊": "黄榜",
        "己": "蓝榜",
    }
    assert board.loc["丁", "board_reason"] == "净得分-5<0"
    assert board.loc["戊", "board_reason"].startswith("一票否决：严重违反党的纪律")


def test_quarterly_ranking_is_year_to_date_with_reminders() -> None:
    people = members(*[f"党员{i}" for i in range(10)])
    rows = [("2025-02-01", f"党员{i}", "贡献加分", "带头致富", i) for i in range(1, 10)]
    rows.append(("2025-08-01", "党员0", "违规扣分", "不参加组织生活", 5))
    ranking = quarterly_ranking(score_period(people, entries(*rows), RULES, parse_period("2025Q3")).table, RULES)
    r = ranking.set_index("name")
    assert r.loc["党员9", "rank"] == 1 and r.loc["党员9", "ytd"] == 109
    assert r[r["remind"]].index.tolist() == ["党员0"]  # ceil(10×10%)=1
    assert r.loc["党员0", "remind_reason"] == "累计积分95，居后10%（后1名，含并列）"


def _year(people: pd.DataFrame, rows: list[tuple], year: int = 2025):
    s = score_period(people, entries(*rows), RULES, parse_period(str(year)))
    return s, award_stars(s.table, RULES)


def test_consequence_lists_from_seed_rules() -> None:
    people = members(
        {"name": "书记", "office": "党支部书记"},
        {"name": "副书记", "office": "党支部副书记"},
        "优秀",
        "一星",
        {"name": "预备", "category": "预备党员"},
        {"name": "预备否决", "category": "预备党员"},
        {"name": "积极", "category": "入党积极分子"},
        {"name": "积极低", "category": "入党积极分子"},
        *[f"普通{i}" for i in range(12)],
    )
    rows = [
        ("2025-03-01", "优秀", "贡献加分", "带头致富", 50),
        ("2025-03-01", "一星", "违规扣分", "受到党纪处分", 50),
        ("2025-03-01", "预备", "违规扣分", "不参加组织生活", 5),
        ("2025-03-01", "预备否决", "一票否决", "受到刑事处罚", None),
        ("2025-03-01", "积极", "贡献加分", "志愿服务", 2),
        ("2025-03-01", "积极低", "违规扣分", "不参加组织生活", 5),
        *[("2025-04-01", f"普通{i}", "贡献加分", "志愿服务", i + 1) for i in range(12)],
    ]
    scores, stars = _year(people, rows)
    prev = stars.assign(
        stars=[1 if n == "一星" else 3 for n in stars["name"]],
        total=[90.0 if n == "积极低" else 100.0 for n in stars["name"]],
    )
    lists = list_consequences(
        2025,
        stars,
        {2024: prev},
        people,
        derive_laggards(scores, RULES),
        pd.DataFrame(columns=["branch", "member_id", "since", "helper", "result", "result_date"]),
        RULES,
    )
    got = {(r.name, r.list) for r in lists.itertuples()}
    assert ("优秀", "评先评优候选") in got
    assert ("一星", "重点管理对象、专人帮扶") in got
    assert ("一星", "不合格党员处置审查") in got
    assert ("书记", "上级党组织约谈") in got and ("副书记", "上级党组织约谈") not in got
    assert ("预备", "延长预备期审查") in got
    assert ("预备否决", "取消预备党员资格") in got
    assert ("积极", "优先列为发展对象") in got
    assert ("积极低", "取消入党积极分子资格") in got
    assert ("一星", "后进党员（第八党支部帮扶）") in got  # below base, no contribution, one deduction of 50
    nominated = {r.name for r in lists.itertuples() if r.list == "不得提名为村党组织班子候选人"}
    assert "一星" in nominated and "优秀" not in nominated


def test_laggard_due_date_from_conversion_register() -> None:
    people = members("后进")
    scores, stars = _year(people, [("2025-04-01", "后进", "违规扣分", "参与集体上访", 10)])
    register = pd.DataFrame(
        [
            {
                "branch": "东关村",
                "member_id": "东关村-后进",
                "since": dt.date(2025, 6, 30),
                "helper": "王书记",
                "result": "",
                "result_date": None,
            }
        ]
    )
    lists = list_consequences(2025, stars, {}, people, derive_laggards(scores, RULES), register, RULES)
    row = lists[lists["list"] == "后进党员（第八党支部帮扶）"].iloc[0]
    assert row["due"] == "2025-12-30"
    assert "2025-06-30转入，帮扶责任人王书记" in row["reason"]

"""定岗 (SPEC §5): every first choice is settled before anyone is placed on a second choice."""

from __future__ import annotations

import pandas as pd

from builders import d, members
from dangyuan_cli.core.records import CLAIM_COLUMNS, POST_COLUMNS
from dangyuan_cli.core.rules.model import load_rules
from dangyuan_cli.domain.posts import assign_posts

RULES = load_rules(None, "jiaozuo")
AS_OF = d("2025-12-31")
ENV, MEDIATE, CULTURE = "环境卫生保护岗", "民事纠纷调解岗", "文体活动组织岗"
POSTS = pd.DataFrame(
    [
        {"branch": "东关村", "post": p, "duty": p[:2], "standard": "", "file": "岗位.xlsx", "sheet": "岗位"}
        | {"row": i + 2, "cell": f"A{i + 2}"}
        for i, p in enumerate([ENV, MEDIATE, CULTURE])
    ],
    columns=POST_COLUMNS,
)


def claims(wishes: dict[str, tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"branch": "东关村", "member_id": f"东关村-{n}", "name": n, "first": first, "second": second}
            | {"specialty": "", "leader": False, "file": "认岗.xlsx", "sheet": "认岗", "row": i + 2}
            | {"cell": f"B{i + 2}", "second_cell": f"C{i + 2}"}
            for i, (n, (first, second)) in enumerate(wishes.items())
        ],
        columns=CLAIM_COLUMNS,
    )


def place(wishes: dict[str, tuple[str, str]], points: dict[str, float]):
    people = members(*wishes)
    a = assign_posts(people, POSTS, claims(wishes), {f"东关村-{n}": p for n, p in points.items()}, RULES, AS_OF)
    where = {m.removeprefix("东关村-"): g.post for g in a.groups for m in g.members}
    return a, where


def test_a_post_filled_exactly_by_first_choices_admits_no_second_choice() -> None:
    # 9 claimants, 3 posts: at most ceil(9/3)+1 = 4 per group
    wishes = {f"调{i}": (MEDIATE, "") for i in range(4)}  # 调解 filled by first choices with more points
    wishes["乙"] = (MEDIATE, ENV)  # refused at 调解; 环境 is only their second choice
    wishes |= {f"环{i}": (ENV, "") for i in range(4)}  # exactly 4 first choices for 环境
    points = {f"调{i}": 120 for i in range(4)} | {"乙": 110} | {f"环{i}": 100 - i for i in range(4)}
    a, where = place(wishes, points)
    assert [where[f"环{i}"] for i in range(4)] == [ENV] * 4  # every first choice of 环境 is honoured
    assert where["乙"] == CULTURE  # though 乙 has more points than any of them
    assert a.notes["东关村-乙"] == f"志愿岗位（{MEDIATE}、{ENV}）已满（每组至多4人），按总体平衡安排到{CULTURE}"
    assert not any(f"东关村-环{i}" in a.notes for i in range(4))


def test_one_seat_left_after_first_choices_goes_to_the_best_second_choice() -> None:
    wishes = {f"调{i}": (MEDIATE, "") for i in range(4)}
    wishes |= {"乙": (MEDIATE, ENV), "丙": (MEDIATE, ENV)}  # two second choices for 环境's one free seat
    wishes |= {f"环{i}": (ENV, "") for i in range(3)}
    points = {f"调{i}": 120 for i in range(4)} | {"乙": 105, "丙": 110} | {f"环{i}": 90 for i in range(3)}
    a, where = place(wishes, points)
    assert (where["丙"], where["乙"]) == (ENV, CULTURE)  # 择优 by points among second choices
    assert a.notes["东关村-丙"] == f"第一志愿{MEDIATE}已满（每组至多4人，按积分择优），安排到第二志愿"


def test_a_first_choice_off_the_post_list_says_so() -> None:
    a, where = place({"甲": ("护林岗", CULTURE), "乙": ("护林岗", "")}, {})
    assert where["甲"] == CULTURE
    assert a.notes["东关村-甲"] == "第一志愿护林岗不在岗位清单中，安排到第二志愿"
    assert a.notes["东关村-乙"] == f"第一志愿护林岗不在岗位清单中，未填第二志愿，按总体平衡安排到{ENV}"


def test_first_choices_settled_whatever_the_row_order() -> None:
    wishes = {f"调{i}": (MEDIATE, "") for i in range(4)} | {"乙": (MEDIATE, ENV)}
    wishes |= {f"环{i}": (ENV, "") for i in range(4)}
    points = {f"调{i}": 120 for i in range(4)} | {"乙": 110} | {f"环{i}": 100 for i in range(4)}
    people = members(*wishes)
    ids = {f"东关村-{n}": p for n, p in points.items()}
    a = assign_posts(people, POSTS, claims(wishes), ids, RULES, AS_OF)
    b = assign_posts(people[::-1], POSTS, claims(wishes)[::-1], ids, RULES, AS_OF)
    assert [g.members for g in a.groups] == [g.members for g in b.groups]
    assert a.notes == b.notes


def test_the_same_post_named_twice_is_named_once_in_the_reason() -> None:
    wishes = {f"环{i}": (ENV, "") for i in range(4)} | {"乙": (ENV, ENV)}
    a, _ = place(wishes | {"丙": (MEDIATE, "")}, {f"环{i}": 120 for i in range(4)})
    assert a.notes["东关村-乙"] == f"志愿岗位（{ENV}）已满（每组至多3人），按总体平衡安排到{MEDIATE}"

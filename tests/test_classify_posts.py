"""Classification (SPEC §4), 一编三定 (SPEC §5) and floating members (SPEC §6.3)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from builders import d, members
from conftest import MANIFEST, member, roster_rows, write_book
from dangyuan_cli.core.records import CLAIM_COLUMNS, POST_COLUMNS
from dangyuan_cli.core.rules.model import load_rules
from dangyuan_cli.domain.classify import class_changes, classify_members, floating_status
from dangyuan_cli.domain.posts import assign_posts
from dangyuan_cli.publish.group_ledgers import write_duty_ledger, write_group_ledger
from dangyuan_cli.registers.workspace import load_workspace

RULES = load_rules(None, "jiaozuo")
FOUR = load_rules(None, "four-class")
AS_OF = d("2025-12-31")
SAMPLES = Path(__file__).resolve().parent.parent / "sample_ledgers"


def primary(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["name"], frame["category"], strict=True))


@pytest.mark.parametrize(("born", "frail"), [("1961-01-01", False), ("1960-12-31", True), ("1959-06-01", True)])
def test_elderly_boundary_age_65_on_the_as_of_date(born: str, frail: bool) -> None:
    people = members({"name": "老人", "born": d(born), "health": "长期卧床"})
    result = classify_members(people, RULES, AS_OF).iloc[0]
    assert (result["category"] == "年老体弱党员") is frail
    if frail:
        assert result["reason"].startswith(f"年龄{65 if born == '1960-12-31' else 66}≥65，身体状况：长期卧床")


def test_old_but_healthy_is_not_frail() -> None:
    people = members({"name": "老人", "born": d("1950-01-01"), "health": "健康"})
    assert classify_members(people, RULES, AS_OF).iloc[0]["category"] == "在村务农（工）无职党员"


@pytest.mark.parametrize(("days", "away"), [(182, False), (183, True), (184, True)])
def test_away_boundary_183_days(days: int, away: bool) -> None:
    people = members({"name": "外出", "away": True, "away_since": AS_OF - dt.timedelta(days=days), "away_to": "广州"})
    result = classify_members(people, RULES, AS_OF).iloc[0]
    assert (result["category"] == "外出务工党员") is away
    if away:
        assert result["reason"].startswith(f"外出务工{days}天≥183天")


def test_precedence_keeps_every_tag() -> None:
    people = members(
        {"name": "甲", "office": "村会计", "poor": True, "born": d("1950-01-01"), "health": "行动不便"},
        {"name": "乙", "poor": True, "poor_note": "低保户", "born": d("1950-01-01"), "health": "常年患病"},
        {"name": "丙", "marked_laggard": True, "office": "村民小组长"},
        {"name": "丁", "category": "入党积极分子"},
    )
    result = classify_members(people, RULES, AS_OF).set_index("name")
    assert result.loc["甲", "category"] == "在职党员"
    assert result.loc["甲", "tags"] == ["在职党员", "年老体弱党员", "贫困党员"]
    assert result.loc["乙", "tags"] == ["年老体弱党员", "贫困党员", "在村务农（工）无职党员"]
    assert "生活困难：低保户" in result.loc["乙", "reason"]
    assert result.loc["丙", "category"] == "后进党员"
    assert result.loc["丁", "category"] == "" and result.loc["丁", "reason"] == "入党积极分子不分类"


def test_four_class_scheme_names() -> None:
    people = members(
        "在家",
        {"name": "干部", "office": "党支部书记"},
        {"name": "外出", "away": True, "away_since": d("2024-01-01"), "away_to": ""},
    )
    assert primary(classify_members(people, FOUR, AS_OF)) == {
        "在家": "在家无职党员",
        "干部": "在职党员",
        "外出": "外出流动党员",
    }


def test_change_report_names_who_moved() -> None:
    people = members({"name": "甲", "away": True, "away_since": d("2025-01-01"), "away_to": ""}, "乙")
    now = classify_members(people, RULES, AS_OF)
    before = now.assign(category=["在村务农（工）无职党员", "在村务农（工）无职党员"])
    moved = class_changes(now, before)
    assert moved[["name", "before", "after"]].values.tolist() == [["甲", "在村务农（工）无职党员", "外出务工党员"]]
    assert moved.iloc[0]["reason"].startswith("外出务工364天")


def test_floating_quarters_and_lost_contact() -> None:
    people = members(
        {"name": "常联系", "away": True, "away_since": d("2024-01-01")},
        {"name": "缺一季", "away": True, "away_since": d("2024-01-01")},
        {"name": "失联", "away": True, "away_since": d("2024-01-01")},
    )
    contacts = pd.DataFrame(
        [
            *[
                {"branch": "东关村", "member_id": "东关村-常联系", "date": d(f"2025-{m:02d}-10"), "way": "电话"}
                for m in (2, 5, 8, 11)
            ],
            *[
                {"branch": "东关村", "member_id": "东关村-缺一季", "date": d(f"2025-{m:02d}-10"), "way": "微信"}
                for m in (2, 5, 11)
            ],
            {"branch": "东关村", "member_id": "东关村-失联", "date": d("2025-03-01"), "way": "电话"},
        ]
    )
    found = floating_status(people, contacts, RULES, AS_OF).set_index("name")
    assert "常联系" not in found.index
    assert found.loc["缺一季", "missing_quarters"] == ["2025Q3"] and not found.loc["缺一季", "lost"]
    assert (
        found.loc["失联", "lost"] and "自2025-03-01起超过6个月未与党组织联系，列为失联" in found.loc["失联", "reason"]
    )


POSTS = pd.DataFrame(
    [
        {"branch": "东关村", "post": post, "duty": duty, "standard": "", "file": "岗位.xlsx", "sheet": "岗位"}
        | {"row": i + 2, "cell": f"A{i + 2}"}
        for i, (post, duty) in enumerate(
            [("环境卫生保护岗", "卫生"), ("民事纠纷调解岗", "调解"), ("文体活动组织岗", "文体")]
        )
    ],
    columns=POST_COLUMNS,
)


def claims_for(wishes: dict[str, tuple[str, str]], leader: str = "") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"branch": "东关村", "member_id": f"东关村-{n}", "name": n, "first": first, "second": second}
            | {"specialty": "", "leader": n == leader, "file": "认岗.xlsx", "sheet": "认岗", "row": i + 2}
            | {"cell": f"B{i + 2}", "second_cell": f"C{i + 2}"}
            for i, (n, (first, second)) in enumerate(wishes.items())
        ],
        columns=CLAIM_COLUMNS,
    )


def test_over_subscribed_post_stays_balanced_and_says_why() -> None:
    names = [f"党员{i}" for i in range(9)]
    people = members(
        *[{"name": n, "joined": d(f"20{10 + i:02d}-01-01")} for i, n in enumerate(names)],
        {"name": "书记", "office": "党支部书记"},
    )
    wishes = {n: ("环境卫生保护岗", "民事纠纷调解岗") for n in names}
    points = {f"东关村-{n}": 100 + i for i, n in enumerate(names)}  # 党员8 has the most points
    a = assign_posts(people, POSTS, claims_for(wishes), points, RULES, AS_OF)
    sizes = [len(g.members) for g in a.groups]
    assert sizes == [4, 4, 1]  # cap = ceil(9/3)+1 = 4: first choice, second choice, then balance
    env = a.groups[0]
    assert [m.removeprefix("东关村-") for m in env.members] == ["党员8", "党员7", "党员6", "党员5"]  # 择优
    assert a.notes["东关村-党员4"] == "第一志愿环境卫生保护岗已满（每组至多4人，按积分择优），安排到第二志愿"
    assert a.notes["东关村-党员0"].startswith("志愿岗位（环境卫生保护岗、民事纠纷调解岗）已满")
    assert env.leader == "东关村-党员8" and env.leader_reason.startswith("组内上年积分最高（108分）")
    assert {g.cadre for g in a.groups} == {"东关村-书记"}
    again = assign_posts(
        people.sample(frac=1, random_state=3),
        POSTS,
        claims_for(wishes).sample(frac=1, random_state=5),
        points,
        RULES,
        AS_OF,
    )
    assert [g.members for g in again.groups] == [g.members for g in a.groups]  # deterministic


def test_excused_members_and_named_leader() -> None:
    people = members(
        {"name": "卧床", "born": d("1950-01-01"), "health": "长期卧床"},
        {"name": "免积分", "exempt": True},
        {"name": "外出", "away": True},
        "甲",
        "乙",
    )
    a = assign_posts(
        people,
        POSTS,
        claims_for({"甲": ("文体活动组织岗", ""), "乙": ("文体活动组织岗", "")}, leader="乙"),
        {},
        RULES,
        AS_OF,
    )
    assert set(a.excused) == {"东关村-卧床", "东关村-免积分", "东关村-外出"}
    assert a.excused["东关村-卧床"].startswith("年龄75、长期卧床")
    culture = a.groups[2]
    assert culture.leader == "东关村-乙" and culture.leader_reason == "认岗申报表中确定为组长"


def test_written_ledgers_read_back(tmp_path: Path) -> None:
    people = members(
        *[
            {
                "name": n,
                "sex": "男",
                "born": d("1980-05-01"),
                "joined": d("2005-07-01"),
                "phone": "138",
                "address": "一组",
            }
            for n in ("甲", "乙", "丙", "丁")
        ],
        {"name": "书记", "office": "党支部书记"},
    )
    a = assign_posts(
        people,
        POSTS[:2],
        claims_for(
            {
                "甲": ("环境卫生保护岗", ""),
                "乙": ("环境卫生保护岗", ""),
                "丙": ("民事纠纷调解岗", ""),
                "丁": ("民事纠纷调解岗", ""),
            }
        ),
        {},
        RULES,
        AS_OF,
    )
    folder = tmp_path / "东关村"
    write_group_ledger(folder / "定岗编组台账.xlsx", "东关村", a, people)
    records = pd.DataFrame(
        [
            {
                "group": "环境卫生保护组",
                "date": d("2025-07-03"),
                "participants": "甲、乙",
                "content": "清扫",
                "effect": "干净",
                "remark": "",
            }
        ]
    )
    write_duty_ledger(
        folder / "履岗记实台账.xlsx", "东关村", "2025年7月", "2025年7月", ["环境卫生保护组", "民事纠纷调解组"], records
    )
    write_book(folder / "名册.xlsx", {"名册": roster_rows(*[member(n) for n in ("甲", "乙", "丙", "丁", "书记")])})
    ws = load_workspace(tmp_path)
    assert [p.format() for p in ws.problems if p.severity == "error"] == []
    groups = ws.tables_of("groups")[0].rows
    assert [(r.context["编组名称"], r.context["组长"], r.context["包组干部"], r.values["姓名"]) for r in groups] == [
        ("环境卫生保护组", "乙", "书记", "乙"),  # equal points and 入党时间: by name (code point) order
        ("环境卫生保护组", "乙", "书记", "甲"),
        ("民事纠纷调解组", "丁", "书记", "丁"),
        ("民事纠纷调解组", "丁", "书记", "丙"),
    ]
    [record] = ws.tables_of("duty")[0].rows
    assert record.context["编组名称"] == "环境卫生保护组" and record.values["参与党员"] == ["甲", "乙"]


def test_classify_json_and_since(township: Path, invoke, tmp_path: Path) -> None:
    result = invoke("classify", township, "--as-of", "2025-12-31", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert set(rows[0]) == {"branch", "name", "member_id", "category", "tags", "reason"}
    assert any(r["category"] == "年老体弱党员" and r["reason"].startswith("年龄") for r in rows)
    before = [
        dict(r, category="在职党员") if r["name"] == rows[10]["name"] and r["branch"] == rows[10]["branch"] else r
        for r in rows
    ]
    (tmp_path / "before.json").write_text(json.dumps(before, ensure_ascii=False), "utf-8")
    text = invoke(
        "classify", township, "--as-of", "2025-12-31", "--since", tmp_path / "before.json", "--no-write"
    ).output
    assert "党员类别动态调整" in text and rows[10]["name"] in text


def test_posts_writes_a_ledger_and_checks_a_kept_one(township: Path, invoke) -> None:
    result = invoke("posts", township, "--as-of", "2025-12-31")
    assert result.exit_code == 0, result.output
    assert "东关村 已有定岗编组台账" in result.output
    written = township / "输出" / "2025" / "西河村" / "定岗编组台账.xlsx"
    assert written.exists()
    shutil.copy(written, township / "西河村" / "定岗编组台账.xlsx")  # the clerk adopts it
    again = invoke("posts", township, "--as-of", "2025-12-31", "--no-write")
    assert "西河村 已有定岗编组台账" in again.output


def test_posts_warnings_point_at_the_claim_and_the_post(tmp_path: Path, invoke) -> None:
    folder = tmp_path / "东关村"
    write_book(folder / "名册.xlsx", {"名册": roster_rows(member("甲"), member("乙"))})
    write_book(
        folder / "岗位清单.xlsx",
        {"岗位": [["岗位名称", "职责任务"], ["环境卫生保护岗", "卫生"], ["文体活动组织岗", "文体"]]},
    )
    write_book(
        folder / "认岗申报.xlsx",
        {"认岗": [["姓名", "第一志愿", "第二志愿"], ["甲", "环境卫生保护岗", "护林岗"], ["乙", "环境卫生保护岗", ""]]},
    )
    result = invoke("posts", tmp_path, "--as-of", "2025-12-31", "--no-write")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "东关村/认岗申报.xlsx:认岗!C2: 甲申报的岗位“护林岗”不在岗位清单中" in text
    assert "东关村/岗位清单.xlsx:岗位!A3: 文体活动组织岗无人认领" in text


def test_duty_finds_the_planted_gaps(township: Path, invoke) -> None:
    result = invoke("duty", township, "--month", "2025-07", "--branch", "东关村")
    assert result.exit_code == 0, result.output
    gap = MANIFEST["duty_gap"]
    assert 7 in gap["months"] and gap["group"] in result.output and "本月无记录" in result.output
    assert (township / "输出" / "2025-07" / "东关村" / "履岗记实台账.xlsx").exists()


def test_check_lists_floating_members(township: Path, invoke) -> None:
    result = invoke("check", township)
    lines = result.output.splitlines()
    for planted in MANIFEST["floating_lost"]:
        assert any(f"流动党员{planted['name']}（" in line and "列为失联" in line for line in lines), planted
    for planted in MANIFEST["floating_missed_q3"]:
        assert any(f"流动党员{planted['name']}（" in line and "2025Q3无联系记录" in line for line in lines), planted


def test_write_roster_adds_a_class_column_to_a_copy(township: Path, invoke) -> None:
    import hashlib

    from openpyxl import load_workbook

    original = township / "东关村" / "党员名册.xlsx"
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    result = invoke(
        "classify", township, "--as-of", "2025-12-31", "--write-roster", "--out", township / "输出" / "分类"
    )
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before
    sheet = load_workbook(township / "输出" / "分类" / "名册（含分类）" / "东关村" / "党员名册.xlsx")["党员名册"]
    header = [c.value for c in sheet[2]]
    column, name = header.index("党员分类") + 1, header.index("姓名") + 1
    rows = {
        sheet.cell(r, name).value: sheet.cell(r, column).value
        for r in range(3, sheet.max_row + 1)
        if sheet.cell(r, name).value
    }
    [secretary] = [n for n, office in MANIFEST["branches"]["东关村"]["officers"].items() if office == "党支部书记"]
    assert rows[secretary] == "在职党员"

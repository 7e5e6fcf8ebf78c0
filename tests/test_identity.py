"""Member identity (SPEC §2): 编号 columns in any register, shared names, and `member_id` in --json."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import POINTS_HEADER, ROSTER_HEADER, entry, member, points_rows, roster_rows, write_book

CONTACTS_HEADER = ["日期", "编号", "姓名", "方式", "内容"]


def _township_with_numbers(root: Path) -> Path:
    """Two 王建国 told apart by 编号, kept in a column of the points ledger and the contacts register."""
    write_book(
        root / "北梁村" / "党员名册.xlsx",
        {
            "党员名册": roster_rows(
                member("王建国", born="1962.3", 编号="BL-007", 外出务工="是"),
                member("王建国", born="1985.6", 编号="BL-008"),
                member("李秀英", 编号="BL-009"),
                title="北梁村党支部党员名册",
            )
        },
    )
    header = ["编号", *POINTS_HEADER]
    write_book(
        root / "北梁村" / "积分台账.xlsx",
        {
            "积分台账": [
                ["北梁村党支部积分台账"],
                header,
                ["BL-007", *entry("2025-03-01", "王建国", "贡献加分", "义务植树", 5)],
                ["BL-008", *entry("2025-04-01", "王建国", "违规扣分", "无故缺席组织生活", 3)],
                ["", *entry("2025-05-01", "李秀英", "贡献加分", "义务植树", 2)],
            ]
        },
    )
    write_book(
        root / "北梁村" / "流动党员联系台账.xlsx",
        {
            "联系台账": [
                ["北梁村流动党员联系台账"],
                CONTACTS_HEADER,
                ["2025-02-01", "BL-007", "王建国", "电话", "汇报"],
                ["2025-05-01", "BL-007", "王建国", "微信", "汇报"],
            ]
        },
    )
    return root


def _score(invoke, root: Path) -> list[dict]:
    result = invoke("score", root, "-p", "2025", "--json")
    return json.loads(result.stdout)


def test_a_number_column_in_any_register_tells_shared_names_apart(tmp_path: Path, invoke) -> None:
    root = _township_with_numbers(tmp_path)
    check = invoke("check", root, "--json")
    assert check.exit_code == 0, check.output
    assert json.loads(check.stdout)["errors"] == []
    rows = {r["member_id"]: r for r in _score(invoke, root)}
    assert rows["BL-007"]["name"] == "王建国" and rows["BL-007"]["total"] == 105
    assert rows["BL-008"]["name"] == "王建国" and rows["BL-008"]["total"] == 97
    assert rows["BL-009"]["total"] == 102


def test_a_wrong_number_in_the_column_is_located_at_that_cell(tmp_path: Path, invoke) -> None:
    root = _township_with_numbers(tmp_path)
    write_book(
        root / "北梁村" / "积分台账.xlsx",
        {
            "积分台账": [
                ["北梁村党支部积分台账"],
                ["编号", *POINTS_HEADER],
                ["BL-099", *entry("2025-03-01", "王建国", "贡献加分", "义务植树", 5)],
                ["BL-007", *entry("2025-03-01", "李秀英", "贡献加分", "义务植树", 5)],
            ]
        },
    )
    errors = json.loads(invoke("check", root, "--json").stdout)["errors"]
    where = {(e["sheet"], e["cell"]): e["message"] for e in errors}
    assert "“BL-099”与其中任何人都对不上" in where[("积分台账", "C3")]
    assert where[("积分台账", "A4")].startswith("编号列写的是“BL-007”，与名册不符：名册中是李秀英（编号BL-009")
    assert len(errors) == 2


def test_member_id_is_the_roster_number_as_written_inline_layout(tmp_path: Path, invoke) -> None:
    write_book(
        tmp_path / "东杨村" / "台账.xlsx",
        {
            "名册": roster_rows(
                member("江水贵", born="1970.1", 编号="DY-01"),
                member("江水贵", born="1990.1", 编号="DY-02"),
                title="东杨村党支部党员名册",
            ),
            "积分": points_rows(
                entry("2025-03-01", "江水贵（DY-02）", "贡献加分", "义务植树", 4),
                entry("2025-03-02", "江水贵(1970.1)", "贡献加分", "义务植树", 1),
                title="东杨村党支部积分台账",
            ),
        },
    )
    rows = _score(invoke, tmp_path)
    assert {r["member_id"]: r["total"] for r in rows} == {"DY-01": 101, "DY-02": 104}
    stars = json.loads(invoke("stars", tmp_path, "--year", "2025", "--json").stdout)
    assert sorted(r["member_id"] for r in stars) == ["DY-01", "DY-02"]
    classes = json.loads(invoke("classify", tmp_path, "--as-of", "2025-12-31", "--json").stdout)
    assert sorted(r["member_id"] for r in classes) == ["DY-01", "DY-02"]


def test_member_id_is_null_without_a_number_column(tmp_path: Path, invoke) -> None:
    header = [h for h in ROSTER_HEADER if h != "编号"]
    write_book(
        tmp_path / "东关村" / "名册.xlsx",
        {"名册": [["东关村党支部党员名册"], header, member("张三")[1:], member("李四")[1:]]},
    )
    rows = _score(invoke, tmp_path)
    assert [(r["name"], r["member_id"]) for r in rows] == [("张三", None), ("李四", None)]


def test_classify_since_reads_back_its_own_json(tmp_path: Path, invoke) -> None:
    root = _township_with_numbers(tmp_path)
    before = invoke("classify", root, "--as-of", "2025-12-31", "--json").stdout
    (tmp_path / "before.json").write_text(before, "utf-8")
    again = invoke("classify", root, "--as-of", "2025-12-31", "--since", tmp_path / "before.json", "--no-write")
    assert again.exit_code == 0, again.output
    assert "（新增）" not in again.output and "已不在名册" not in again.output


def _shared_names_by_birth(root: Path, unqualified: bool) -> Path:
    write_book(
        root / "张四村" / "台账.xlsx",
        {
            "名册": roster_rows(
                member("王建国", born="1962.3"),
                member("王建国", born="1985.6"),
                member("赵六"),
                title="张四村党支部党员名册",
            ),
            "积分": points_rows(
                entry("2025-03-01", "王建国（1985.6）", "贡献加分", "义务植树", 5),
                *([entry("2025-03-02", "王建国", "贡献加分", "义务植树", 2)] if unqualified else []),
                title="张四村党支部积分台账",
            ),
        },
    )
    write_book(
        root / "李庄村" / "台账.xlsx",
        {
            "名册": roster_rows(member("孙七"), title="李庄村党支部党员名册"),
            "积分": points_rows(entry("2025-03-01", "孙七", "贡献加分", "义务植树", 3), title="李庄村党支部积分台账"),
        },
    )
    return root


COMMANDS = [
    ("check",),
    ("score", "-p", "2025"),
    ("score", "-p", "2025-03", "--explain", "王建国（1985.6）"),
    ("stars", "--year", "2025"),
    ("classify", "--as-of", "2025-12-31"),
    ("board", "--month", "2025-03"),
    ("consequences", "--year", "2025"),
    ("posts", "--as-of", "2025-12-31"),
    ("duty", "--month", "2025-03"),
    ("announce", "stars", "-p", "2025"),
    ("report", "-p", "2025"),
    ("run", "-p", "2025"),
]


def test_same_names_told_apart_by_birth_get_their_own_ids_in_every_command(tmp_path: Path, invoke) -> None:
    root = _shared_names_by_birth(tmp_path, unqualified=False)
    for args in COMMANDS:
        result = invoke(args[0], root, *args[1:])  # raises (fails the test) on any traceback
        assert result.exit_code == 0, (args, result.output)
    rows = _score(invoke, root)
    totals = sorted(r["total"] for r in rows if r["name"] == "王建国")
    assert totals == [100, 105]
    assert all(r["member_id"] is None for r in rows)


def test_an_unqualified_shared_name_is_one_located_error_listing_both(tmp_path: Path, invoke) -> None:
    root = _shared_names_by_birth(tmp_path, unqualified=True)
    for args in COMMANDS:
        result = invoke(args[0], root, *args[1:])
        assert result.exit_code == 1, (args, result.output)
    errors = json.loads(invoke("check", root, "--json").stdout)["errors"]
    assert errors == [
        {
            "file": "张四村/台账.xlsx",
            "sheet": "积分",
            "cell": "B4",
            "message": "名册中有2人叫“王建国”：王建国（出生1962年3月）；王建国（出生1985年6月）；"
            "请写成“王建国（编号）”或在“编号”列中填写以区分",
        }
    ]
    score = invoke("score", root, "-p", "2025", "--json")
    assert {r["branch"] for r in json.loads(score.stdout)} == {"李庄村"}
    assert "以下党支部已跳过：张四村" in score.output


def test_a_copied_roster_row_is_one_error_naming_both_rows(tmp_path: Path, invoke) -> None:
    root = _shared_names_by_birth(tmp_path, unqualified=False)
    write_book(
        root / "张四村" / "台账.xlsx",
        {
            "名册": roster_rows(member("邵新"), member("王五"), member("邵 新"), title="张四村党支部党员名册"),
            "积分": points_rows(entry("2025-03-01", "邵新", "贡献加分", "义务植树", 5), title="张四村党支部积分台账"),
        },
    )
    for args in [a for a in COMMANDS if "--explain" not in a] + [("score", "-p", "2025", "--explain", "邵新")]:
        result = invoke(args[0], root, *args[1:])
        assert result.exit_code == 1, (args, result.output)
    errors = json.loads(invoke("check", root, "--json").stdout)["errors"]
    roster_errors = [e for e in errors if e["sheet"] == "名册"]
    assert len(roster_errors) == 1
    assert roster_errors[0]["cell"] == "B3"
    assert roster_errors[0]["message"].startswith("名册中有2行都是“邵新（出生1980年5月）”（名册!B3、名册!B5）")
    stars = invoke("stars", root, "--year", "2025", "--json")
    assert {r["branch"] for r in json.loads(stars.stdout)} == {"李庄村"}
    assert "以下党支部已跳过：张四村" in stars.output


def _fuzz_case():
    from hypothesis import strategies as st

    person = st.tuples(
        st.sampled_from(["王建国", "王 建国", "李四", "张三"]),
        st.sampled_from(["", "7", "BL-007", "８"]),
        st.sampled_from(["1962.3", "1985.6", ""]),
    )
    row = st.tuples(
        st.sampled_from(["王建国", "李四", "王建国（7）", "王建国(1985.6)", "赵六"]),
        st.sampled_from(["", "7", "BL-007", "8"]),
    )
    return st.tuples(st.lists(person, min_size=1, max_size=5), st.lists(row, max_size=4))


def test_any_mix_of_shared_names_and_numbers_never_crashes(tmp_path_factory) -> None:
    from hypothesis import HealthCheck, given, settings

    from dangyuan_cli.app.compute import stars_for
    from dangyuan_cli.app.context import prepare
    from dangyuan_cli.core.periods import parse_period
    from dangyuan_cli.registers.frames import public_ids

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(_fuzz_case())
    def check(case) -> None:
        people, rows = case
        root = tmp_path_factory.mktemp("fuzz")
        roster = [member(n, born=b or None, 编号=k) for n, k, b in people]
        ledger = [["编号", *POINTS_HEADER]] + [[k, *entry("2025-03-01", n, "贡献加分", "志愿服务", 1)] for n, k in rows]
        write_book(root / "东关村" / "台账.xlsx", {"名册": roster_rows(*roster), "积分": [["东关村积分台账"], *ledger]})
        write_book(root / "西河村" / "名册.xlsx", {"名册": roster_rows(member("孙七"), title="西河村党支部党员名册")})
        ctx = prepare(root)
        assert ctx.workspace.roster.members()  # read
        keys = [m.member_id for m in ctx.workspace.roster.members()]
        assert len(keys) == len(set(keys))
        assert all(p.file for p in ctx.problems if p.severity == "error")
        stars = stars_for(ctx, parse_period("2025"))
        assert ("东关村" in set(stars["branch"])) == ("东关村" not in ctx.skipped)
        assert "西河村" in set(stars["branch"])
        written = {m.number or None for m in ctx.workspace.roster.members()}
        assert set(public_ids(ctx.members).values()) <= written

    check()

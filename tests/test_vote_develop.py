"""双推双评 (`vote`) and 发展党员 (`develop`), seed 004: the seed's boundaries, located errors, the
--json contract, the 公示 dates and the sample township."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MANIFEST, SAMPLES, member, roster_rows, write_book

BALLOT_HEADER = ["被评议人", "评议人类别", "综合评价", "政治表现", "道德品行", "遵纪守法", "工作表现", "履行承诺"]
DEV_HEADER = [
    "姓名",
    "出生年月",
    "申请入党日期",
    "确定积极分子日期",
    "确定发展对象日期",
    "接收预备党员日期",
    "转正日期",
]


def roster(n: int, *extra: list) -> list[list]:
    """n 正式党员 (党员1…), the candidate 张明 (入党积极分子) and any extra rows."""
    people = [member(f"党员{i}") for i in range(1, n + 1)]
    return roster_rows(*people, member("张明", "1998.3", "", "入党积极分子"), *extra)


def ballot(voter: str, overall: str, poor_item: str | None = None, name: str = "张明") -> list:
    items = ["差" if poor_item == item else "一般" for item in BALLOT_HEADER[3:]]
    return [name, voter, overall, *items]


def ballots(party: list[str], masses: list[str], poor: dict[str, int] | None = None, date: str = "") -> list[list]:
    """Ballots with these 综合评价 (党员 first); `poor` = item → how many ballots rate it 差."""
    rows, poor = [], dict(poor or {})
    for i, overall in enumerate(party + masses):
        item = next((k for k, n in poor.items() if n > 0), None)
        if item:
            poor[item] -= 1
        row = ballot("党员" if i < len(party) else "群众", overall, item)
        rows.append([*row, date] if date else row)
    header = BALLOT_HEADER + (["评议日期"] if date else [])
    return [["东关村党支部民主评议票"], header, *rows]


def township(tmp_path: Path, members: int, vote_rows: list[list], dev_rows: list[list] | None = None) -> Path:
    ws = tmp_path / "ws"
    sheets = {"名册": roster(members), "民主评议票": vote_rows}
    if dev_rows is not None:
        sheets["发展党员记实"] = [["东关村党支部发展党员全程记实表"], DEV_HEADER, *dev_rows]
    write_book(ws / "东关村" / "台账.xlsx", sheets)
    return ws


def vote_json(invoke, ws: Path) -> list[dict]:
    result = invoke("vote", ws, "--year", "2025", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---- 双评 thresholds (004: 优秀过半，单项差票不超过20%，差票超过50%取消) ----------------


@pytest.mark.parametrize(("excellent", "result"), [(5, "保留入党积极分子资格"), (6, "可列为发展对象人选")])
def test_excellent_must_be_more_than_half(tmp_path: Path, invoke, excellent: int, result: str) -> None:
    overall = ["优秀"] * excellent + ["一般"] * (10 - excellent)
    ws = township(tmp_path, 9, ballots(overall[:6], overall[6:]))
    [row] = vote_json(invoke, ws)
    assert row["excellent_share"] == excellent / 10
    assert row["result"] == result
    if excellent == 5:
        assert "未超过50%" in row["reason"]


@pytest.mark.parametrize(("poor", "result"), [(2, "可列为发展对象人选"), (3, "保留入党积极分子资格")])
def test_one_item_poor_at_most_20_percent(tmp_path: Path, invoke, poor: int, result: str) -> None:
    ws = township(tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * 4, {"遵纪守法": poor}))
    [row] = vote_json(invoke, ws)
    assert row["item_poor_share"]["遵纪守法"] == poor / 10
    assert row["result"] == result
    if poor == 3:
        assert "遵纪守法“差”3票" in row["reason"]


def test_more_than_half_poor_disqualifies_with_the_6_month_bar(tmp_path: Path, invoke) -> None:
    ws = township(tmp_path, 9, ballots(["差"] * 6, ["一般"] * 4, date="2026-01-02"))
    result = invoke("vote", ws, "--year", "2026", "--json")
    [row] = json.loads(result.stdout)
    assert row["result"] == "取消入党积极分子资格"
    assert row["bar_until"] == "2026-07-02"
    assert "2026年7月2日前不得重新确定" in row["reason"]


def test_exactly_half_poor_is_not_disqualified(tmp_path: Path, invoke) -> None:
    ws = township(tmp_path, 9, ballots(["差"] * 5 + ["一般"], ["一般"] * 4))
    [row] = vote_json(invoke, ws)
    assert row["poor_share"] == 0.5
    assert row["result"] == "保留入党积极分子资格" and row["bar_until"] is None


# ---- quorum (004: 党员超过半数，群众不低于到会党员的2/3) -----------------------------------


@pytest.mark.parametrize(("party", "valid"), [(5, False), (6, True)])
def test_exactly_half_the_members_voting_is_not_enough(tmp_path: Path, invoke, party: int, valid: bool) -> None:
    ws = township(tmp_path, 10, ballots(["优秀"] * party, ["优秀"] * 4))
    result = invoke("vote", ws, "--year", "2025", "--json")
    [row] = json.loads(result.stdout)
    assert (row["result"] != "评议无效（待补）") is valid
    if not valid:
        assert f"参加评议的党员{party}人，未超过支部党员总数10人的50%（至少需6人）" in result.stderr


@pytest.mark.parametrize(("masses", "valid"), [(4, True), (3, False)])
def test_masses_exactly_two_thirds_is_enough(tmp_path: Path, invoke, masses: int, valid: bool) -> None:
    ws = township(tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * masses))
    result = invoke("vote", ws, "--year", "2025", "--json")
    [row] = json.loads(result.stdout)
    assert (row["result"] == "可列为发展对象人选") is valid
    if not valid:
        assert "参加评议的群众3人，少于到会党员6人的2/3（至少需4人）" in result.stderr


def test_an_invalid_vote_is_not_published(tmp_path: Path, invoke) -> None:
    ws = township(tmp_path, 10, ballots(["优秀"] * 5, ["优秀"] * 4))
    result = invoke("vote", ws, "--year", "2025", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "评议结果无效" in result.output
    assert (tmp_path / "out" / "东关村" / "民主评议结果.xlsx").is_file()
    assert not list((tmp_path / "out").rglob("*公示*"))


# ---- the --json contract and the 公示 ----------------------------------------------------


def test_vote_json_keys_exactly(tmp_path: Path, invoke) -> None:
    ws = township(tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * 4))
    [row] = vote_json(invoke, ws)
    assert list(row) == [
        "branch",
        "name",
        "member_id",
        "party_ballots",
        "mass_ballots",
        "excellent_share",
        "poor_share",
        "item_poor_share",
        "result",
        "reason",
        "bar_until",
    ]
    assert set(row["item_poor_share"]) == {"政治表现", "道德品行", "遵纪守法", "工作表现", "履行承诺"}
    assert (row["party_ballots"], row["mass_ballots"]) == (6, 4)


def test_the_notice_shows_name_and_result_only_for_5_working_days(tmp_path: Path, invoke) -> None:
    ws = township(tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * 4))
    result = invoke("vote", ws, "--year", "2025", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    [md] = (tmp_path / "out" / "东关村").glob("*双评结果公示.md")
    text = md.read_text("utf-8")
    assert "| 张明 | 可列为发展对象人选 |" in text
    # published on the first working day of 2026 (元旦 1–3 off), five working days
    assert "公示时间：2026年1月4日至2026年1月8日（5个工作日）" in text
    assert "1998" not in text and "入党积极分子 |" not in text
    assert {p.suffix for p in (tmp_path / "out" / "东关村").glob("*双评结果公示.*")} == {".docx", ".html", ".md"}


def test_the_results_workbook_holds_numbers(tmp_path: Path, invoke) -> None:
    from openpyxl import load_workbook

    ws = township(tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * 3 + ["一般"]))
    invoke("vote", ws, "--year", "2025", "--out", tmp_path / "out")
    wb = load_workbook(tmp_path / "out" / "东关村" / "民主评议结果.xlsx")
    row = [c.value for c in wb["评议结果"][3]]
    assert row[:5] == ["张明", 6, 4, 90, 0]
    detail = {(r[1], r[2]): r[3:7] for r in wb["票数明细"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert detail[("群众", "综合评价")] == (3, 1, 0, 4)


# ---- bad ballots: located errors, the branch skipped, never a traceback -------------------


def test_every_bad_ballot_form_is_a_located_error(tmp_path: Path, invoke) -> None:
    rows = ballots(["优秀"] * 6, ["优秀"] * 4)
    rows[3][0] = "李四"  # not on the roster
    rows[4][1] = "团员"  # unknown 评议人类别
    rows[5][2] = "良好"  # not 优秀/一般/差
    rows[6][5] = "很好"  # an item's rating
    ws = township(tmp_path, 9, rows)
    result = invoke("vote", ws, "--year", "2025", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    check = json.loads(invoke("check", ws, "--json").stdout)
    cells = {e["cell"]: e["message"] for e in check["errors"]}
    assert "李四" in cells["A4"]
    assert "团员" in cells["B5"]
    assert "良好" in cells["C6"]
    assert "很好" in cells["F7"]


def test_more_party_ballots_than_members_is_an_error(tmp_path: Path, invoke) -> None:
    ws = township(tmp_path, 5, ballots(["优秀"] * 6, ["优秀"] * 4))
    result = invoke("check", ws, "--json")
    assert result.exit_code == 1
    [found] = [e for e in json.loads(result.stdout)["errors"] if "超过" in e["message"]]
    assert found["cell"] == "B8"  # the sixth 党员 ballot, one more than the 5 members
    assert "党员总数5张" in found["message"]


# ---- 发展党员 timeline ------------------------------------------------------------------------


def develop_json(invoke, ws: Path, as_of: str = "2025-12-31") -> tuple[int, list[dict]]:
    result = invoke("develop", ws, "--as-of", as_of, "--json")
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize(("candidate", "short"), [("2025-03-01", False), ("2025-02-28", True)])
def test_activist_at_least_one_year_before_candidate(tmp_path: Path, invoke, candidate: str, short: bool) -> None:
    ws = township(
        tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * 4), [["王芳", "1995.1", "2023-05-01", "2024-03-01", candidate]]
    )
    code, [row] = develop_json(invoke, ws)
    assert code == 0 and row["stage"] == "发展对象"
    assert bool(row["problems"]) is short
    if short:
        assert "不足1年" in row["problems"][0]


@pytest.mark.parametrize(("full", "short"), [("2025-06-10", False), ("2025-06-09", True)])
def test_probation_one_year_before_full_membership(tmp_path: Path, invoke, full: str, short: bool) -> None:
    dev = [["王芳", "1995.1", "2021-05-01", "2022-03-01", "2023-04-01", "2024-06-10", full]]
    ws = township(tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * 4), dev)
    code, [row] = develop_json(invoke, ws)
    assert code == 0 and row["stage"] == "正式党员"
    assert bool(row["problems"]) is short


@pytest.mark.parametrize(("applied", "young"), [("2025-03-15", False), ("2025-03-14", True)])
def test_eighteen_at_application(tmp_path: Path, invoke, applied: str, young: bool) -> None:
    ws = township(tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * 4), [["李娜", "2007-03-15", applied]])
    _, [row] = develop_json(invoke, ws)
    assert bool(row["problems"]) is young


def test_due_in_the_next_period_and_a_5_working_day_notice_across_national_day(tmp_path: Path, invoke) -> None:
    dev = [["王芳", "1995.1", "2023-05-01", "2024-03-01", "2024-05-01", "2024-09-30"]]
    ws = township(tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * 4), dev)
    code, [row] = develop_json(invoke, ws, "2025-09-29")
    assert code == 0 and (row["stage"], row["due"]) == ("预备党员", "2025-09-30")
    result = invoke("develop", ws, "--as-of", "2025-09-29", "--out", tmp_path / "out")
    assert "下一期间：王芳 预备期满，应于2025年9月讨论转正" in result.output
    # 9月30日, then 国庆 1–8 off, 10月9日、10日、11日（调休上班）、13日
    assert "公示5个工作日：2025年9月30日至2025年10月13日" in result.output
    assert (tmp_path / "out" / "东关村" / "发展党员工作提醒（内部资料）.xlsx").is_file()


def test_a_stage_missing_before_a_dated_one_is_a_located_error(tmp_path: Path, invoke) -> None:
    dev = [["王芳", "1995.1", "2023-05-01", "", "2025-05-01"], ["赵强", "1990.1", "2024-05-01", "2024-03-01"]]
    ws = township(tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * 4), dev)
    result = invoke("check", ws, "--json")
    assert result.exit_code == 1
    cells = {e["cell"]: e["message"] for e in json.loads(result.stdout)["errors"]}
    assert "缺少确定积极分子日期" in cells["D3"]
    assert "早于申请入党日期" in cells["D4"]


def test_determined_within_the_bar_after_a_cancelled_vote_is_an_error(tmp_path: Path, invoke) -> None:
    dev = [["张明", "1998.3", "2023-05-01", "2026-03-01"]]
    ws = township(tmp_path, 9, ballots(["差"] * 6, ["差"] * 4, date="2026-01-02"), dev)
    code, [row] = develop_json(invoke, ws, "2026-03-31")
    assert code == 1
    assert "2026年7月2日前不得重新确定" in row["problems"][0]


def test_a_roster_probationer_without_a_record_is_named(tmp_path: Path, invoke) -> None:
    ws = tmp_path / "ws"
    write_book(
        ws / "东关村" / "台账.xlsx",
        {
            "名册": roster(9, member("周洁", "1996.2", "2024.7", "预备党员")),
            "发展党员记实": [["东关村党支部发展党员全程记实表"], DEV_HEADER, ["王芳", "1995.1", "2025-05-01"]],
        },
    )
    result = invoke("develop", ws, "--as-of", "2025-12-31", "--no-write")
    assert "周洁：名册中为预备党员，发展党员记实中没有此人" in result.output


# ---- the sample township and --help ---------------------------------------------------------


def test_sample_vote_and_develop(invoke) -> None:
    result = invoke("vote", SAMPLES, "--year", "2025", "--json")
    assert result.exit_code == 0
    rows = {(r["branch"], r["name"]): r for r in json.loads(result.stdout)}
    planted = {(b["branch"], b["name"]): b for b in MANIFEST["ballots"]}
    assert {k: (r["party_ballots"], r["mass_ballots"]) for k, r in rows.items()} == {
        k: (b["党员"], b["群众"]) for k, b in planted.items()
    }
    [half] = [k for k, b in planted.items() if 2 * b["优秀"] == b["党员"] + b["群众"]]
    assert rows[half]["excellent_share"] == 0.5  # exactly half: kept, not eligible
    assert rows[half]["result"] == "保留入党积极分子资格"
    [short] = MANIFEST["masses_short"]
    assert {r["result"] for b, r in rows.items() if b[0] == short} == {"评议无效（待补）"}
    assert "取消入党积极分子资格" in {r["result"] for r in rows.values()}
    code, people = develop_json(invoke, SAMPLES)
    assert code == 0 and len(people) >= 12
    assert [p["name"] for p in people if p["problems"]] == [MANIFEST["development"]["interval_violation"]["name"]]


@pytest.mark.parametrize(("command", "words"), [("vote", "双推双评"), ("develop", "发展党员全程记实")])
def test_help_is_chinese(invoke, command: str, words: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert words in result.output and "以JSON格式输出" in result.output


@pytest.mark.parametrize(("agree", "nominated"), [(5, False), (6, True)])
def test_nomination_needs_more_than_half_the_members(tmp_path: Path, invoke, agree: int, nominated: bool) -> None:
    rows = ballots(["优秀"] * 8, ["优秀"] * 6)
    rows[1].append("推荐")
    for i, row in enumerate(rows[2:]):
        row.append("是" if i < agree else "否")
    ws = township(tmp_path, 10, rows)
    result = invoke("vote", ws, "--year", "2025", "--no-write")
    assert result.exit_code == 0, result.output
    assert f"推荐票{agree}张" in result.output
    assert ("获推荐" in result.output) is nominated


@pytest.mark.parametrize("command", [["vote", "--year", "2025"], ["develop", "--as-of", "2025-12-31"]])
def test_empty_folder_blank_registers_and_json_always(tmp_path: Path, runner, command: list[str]) -> None:
    from dangyuan_cli.cli.app import app

    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, [command[0], str(empty), *command[1:], "--json"])
    assert result.exit_code == 1 and json.loads(result.stdout) == []
    assert "没有找到党员名册" in result.stderr
    blank = tmp_path / "blank"
    assert runner.invoke(app, ["init", str(blank), "--branch", "东关村"]).exit_code == 0
    result = runner.invoke(app, [command[0], str(blank), *command[1:]])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output


def test_thresholds_come_from_the_rules_file(tmp_path: Path, invoke) -> None:
    ws = township(tmp_path, 9, ballots(["优秀"] * 5 + ["一般"], ["一般"] * 4))
    (ws / "dangyuan.toml").write_text('preset = "jiaozuo"\n[votes]\nexcellent_over = 0.4\n', "utf-8")
    [row] = vote_json(invoke, ws)
    assert row["result"] == "可列为发展对象人选" and "超过40%" in row["reason"]


@pytest.mark.parametrize(
    ("section", "key", "value", "says"),
    [
        ("votes", "item_poor_max", 2, "应不大于1"),
        ("votes", "bar_months", -1, "应不小于0"),
        ("develop", "min_age", 3, "应不小于14"),
    ],
)
def test_vote_and_develop_rules_are_bounded(section: str, key: str, value: object, says: str) -> None:
    from dangyuan_cli.core.rules.model import RulesError, parse_rules

    with pytest.raises(RulesError) as caught:
        parse_rules({section: {key: value}})
    assert caught.value.problems[0].startswith(f"{section}.{key}: ") and says in caught.value.problems[0]


def test_ballots_of_another_year_are_not_counted(tmp_path: Path, invoke) -> None:
    ws = township(tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * 4, date="2024-12-20"))
    assert vote_json(invoke, ws) == []
    result = invoke("vote", ws, "--year", "2024", "--json")
    [row] = json.loads(result.stdout)
    assert row["result"] == "可列为发展对象人选"


def test_a_party_member_as_candidate_is_a_warning(tmp_path: Path, invoke) -> None:
    rows = ballots(["优秀"] * 6, ["优秀"] * 4)
    for row in rows[2:]:
        row[0] = "党员1"
    ws = township(tmp_path, 9, rows)
    result = invoke("vote", ws, "--year", "2025", "--no-write")
    assert result.exit_code == 0
    assert "被评议人党员1在名册中为正式党员" in result.output


def test_the_year_end_run_writes_vote_and_develop_outputs_and_counts(township: Path, invoke) -> None:
    result = invoke("run", township, "-p", "2025", "--workers", "1")
    assert result.exit_code == 0, result.output
    out = township / "输出" / "2025"
    for branch in ("东关村", "西河村", "南岭社区"):
        assert (out / branch / "民主评议结果.xlsx").is_file()
        assert (out / branch / "发展党员工作提醒（内部资料）.xlsx").is_file()
    assert len(list((out / "东关村").glob("*双评结果公示.*"))) == 3
    [short] = MANIFEST["masses_short"]
    assert not list((out / short).glob("*双评结果公示.*"))  # its vote lacked a quorum
    [report] = out.glob("*工作情况报告*.md")
    ballots = sum(b["党员"] + b["群众"] for b in MANIFEST["ballots"])
    assert f"民主评议票{ballots}张，可列为发展对象人选2名，取消入党积极分子资格2名" in report.read_text("utf-8")
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert any("不足1年" in w["message"] for w in summary["warnings"])


def test_check_lists_a_short_interval_as_a_warning(tmp_path: Path, invoke) -> None:
    dev = [["王芳", "1995.1", "2023-05-01", "2024-03-01", "2025-02-28"]]
    ws = township(tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * 4), dev)
    result = invoke("check", ws, "--json")
    assert result.exit_code == 0
    [found] = [w for w in json.loads(result.stdout)["warnings"] if "不足1年" in w["message"]]
    assert (found["sheet"], found["cell"]) == ("发展党员记实", "E3")


def test_announce_votes_gives_the_same_notice_as_vote(tmp_path: Path, invoke) -> None:
    ws = township(tmp_path, 9, ballots(["优秀"] * 6, ["优秀"] * 4))
    assert invoke("vote", ws, "--year", "2025", "--out", tmp_path / "a").exit_code == 0
    assert invoke("announce", ws, "votes", "-p", "2025", "--out", tmp_path / "b").exit_code == 0
    for suffix in ("docx", "html", "md"):
        [first] = (tmp_path / "a" / "东关村").glob(f"*双评结果公示.{suffix}")
        assert first.read_bytes() == (tmp_path / "b" / "东关村" / first.name).read_bytes()

"""`score`, `board`, `stars`, `consequences`, `close` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from conftest import MANIFEST, entry, member, points_rows, roster_rows, write_book

SAMPLES = Path(__file__).resolve().parent.parent / "sample_ledgers"


def test_score_json_matches_the_contract(township: Path, invoke) -> None:
    result = invoke("score", township, "--period", "2025", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {tuple(r) for r in rows} == {
        ("branch", "name", "member_id", "base", "contribution", "deduction", "vetoed", "total", "exempt")
    }
    exempt = [r for r in rows if r["exempt"]]
    assert exempt and all(r["total"] is None for r in exempt)
    vetoed = [r for r in rows if r["vetoed"]]
    planted = {(b, p["vetoed"]) for b, p in MANIFEST["branches"].items()}
    assert {(r["branch"], r["name"]) for r in vetoed} == planted and all(r["total"] == 0 for r in vetoed)
    assert not (township / "输出").exists()  # --json writes nothing


def test_stars_json_adds_rank_stars_grade(township: Path, invoke) -> None:
    result = invoke("stars", township, "--year", "2025", "--json")
    rows = json.loads(result.output)
    assert list(rows[0]) == [
        "branch",
        "name",
        "member_id",
        "base",
        "contribution",
        "deduction",
        "vetoed",
        "total",
        "exempt",
        "rank",
        "stars",
        "grade",
    ]
    five = MANIFEST["five_star_branch"]
    dongguan = [r for r in rows if r["branch"] == five and r["stars"] is not None]
    planted = MANIFEST["branches"][five]
    ranked = planted["members"] - len(planted["exempt"]) - len(planted["activists"])
    assert len(dongguan) == ranked
    # a 五星党组织 in the samples' rules: floor(ranked × 15% × 1.2) places at most (7 of 43)
    assert sum(r["stars"] == 5 for r in dongguan) <= int(ranked * 0.15 * 1.2)
    assert all(r["grade"] == "不合格" for r in dongguan if r["stars"] == 1)


def test_score_writes_a_results_workbook_per_branch(township: Path, invoke) -> None:
    result = invoke("score", township, "-p", "2025Q3")
    assert result.exit_code == 0, result.output
    book = township / "输出" / "2025Q3" / "东关村" / "积分汇总.xlsx"
    sheet = load_workbook(book).active
    assert sheet["A1"].value == "东关村党支部2025年第三季度党员积分汇总"
    assert [c.value for c in sheet[2]][:3] == ["姓名", "类别", "基础积分"]


def test_explain_names_every_cell(township: Path, invoke) -> None:
    one_star = MANIFEST["branches"]["东关村"]["one_star"]
    result = invoke("score", township, "-p", "2025", "--explain", one_star, "--branch", "东关村")
    assert result.exit_code == 0, result.output
    assert "东关村/积分台账2025.xlsx:积分台账!F" in result.output
    assert "基础积分95 + 贡献加分0 − 违规扣分40 = 55" in result.output


def test_board_month_and_quarter(township: Path, invoke) -> None:
    month = invoke("board", township, "--month", "2025-07", "--no-write")
    assert month.exit_code == 0 and "红榜" in month.output and "蓝榜" in month.output
    quarter = invoke("board", township, "--quarter", "2025Q3", "--no-write")
    assert quarter.exit_code == 0 and "居后10%" in quarter.output
    assert invoke("board", township).exit_code == 2
    assert invoke("board", township, "--month", "2025").exit_code == 2  # a year is neither


def test_consequences_lists_are_internal(township: Path, invoke) -> None:
    result = invoke("consequences", township, "--year", "2025")
    assert result.exit_code == 0, result.output
    for name in (
        "评先评优候选",
        "不合格党员处置审查",
        "上级党组织约谈",
        "取消预备党员资格",
        "延长预备期审查",
        "取消入党积极分子资格",
        "后进党员（第八党支部帮扶）",
    ):
        assert name in result.output
    book = township / "输出" / "2025" / "东关村" / "积分定星结果（内部资料）.xlsx"  # the year's, as run writes
    assert "结果运用" in load_workbook(book).sheetnames


def test_close_then_a_changed_row_is_named(township: Path, invoke) -> None:
    assert invoke("close", township, "--period", "2025").exit_code == 0
    assert invoke("close", township, "--period", "2025").exit_code == 1  # already closed
    book = township / "南岭社区" / "2025年党建台账汇总.xlsx"
    wb = load_workbook(book)
    ws = wb["积分登记"]
    row = next(r for r in range(2, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("2025"))
    ws.cell(row, 5).value = 99
    wb.save(book)
    result = invoke("check", township)
    assert (
        f"南岭社区/2025年党建台账汇总.xlsx:积分登记!E{row}: 2025已结账，此行是结账后新增或修改的记录" in result.output
    )
    assert "2025已结账，结账时的记录（南岭社区/2025年党建台账汇总.xlsx:积分登记 第" in result.output


def test_history_comes_from_the_archive_once_closed(township: Path, invoke) -> None:
    before = invoke("consequences", township, "--year", "2025", "--branch", "东关村", "--no-write").output
    assert "连续两年一星（2024年、2025年）" in before
    assert invoke("close", township, "--period", "2024").exit_code == 0
    archived = json.loads((township / ".dangyuan" / "archive" / "2024.json").read_text("utf-8"))
    for m in archived["members"]:
        m["stars"] = 3  # the archive says otherwise now: the archive wins
    (township / ".dangyuan" / "archive" / "2024.json").write_text(json.dumps(archived, ensure_ascii=False), "utf-8")
    after = invoke("consequences", township, "--year", "2025", "--branch", "东关村", "--no-write").output
    assert "连续两年一星" not in after


def test_a_branch_with_errors_is_skipped_the_others_done(tmp_path: Path, invoke) -> None:
    write_book(
        tmp_path / "东关村" / "台账.xlsx",
        {
            "名册": roster_rows(member("张三")),
            "积分": points_rows(entry("2025-3-1", "张三", "贡献加分", "志愿服务", "五分")),
        },
    )
    write_book(
        tmp_path / "西河村" / "台账.xlsx",
        {
            "名册": roster_rows(member("李四"), title="西河村党支部党员名册"),
            "积分": points_rows(entry("2025-3-1", "李四", "贡献加分", "志愿服务", 2), title="西河村党支部积分台账"),
        },
    )
    result = invoke("score", tmp_path, "-p", "2025", "--no-write")
    assert result.exit_code == 1
    assert "西河村 2025年度积分" in result.output and "东关村 2025年度积分" not in result.output
    assert "以下党支部已跳过：东关村" in result.output
    strict = invoke("score", tmp_path, "-p", "2025", "--strict", "--no-write")
    assert strict.exit_code == 1 and "西河村 2025年度积分" not in strict.output


def _stars_by_member(township: Path, invoke) -> dict[str, tuple]:
    rows = json.loads(invoke("stars", township, "--year", "2025", "--json").output)
    return {(r["branch"], r["name"], r["member_id"]): (r["total"], r["stars"], r["grade"]) for r in rows}


def test_presets_change_results_the_way_their_seeds_say(township: Path, invoke) -> None:
    rules = township / "dangyuan.toml"
    jiaozuo = _stars_by_member(township, invoke)

    rules.write_text('preset = "four-class"\n', "utf-8")  # 002: months run from the 16th; grades 基本合格
    four = json.loads(invoke("score", township, "-p", "2025-07", "--json").output)
    std = json.loads(invoke("score", township, "-p", "2025-07", "--json").output)
    assert four == std  # same call twice, same answer (determinism)
    rules.write_text('preset = "jiaozuo"\n', "utf-8")
    calendar_july = json.loads(invoke("score", township, "-p", "2025-07", "--json").output)
    assert four != calendar_july

    rules.write_text('preset = "named-stars"\n', "utf-8")  # 001: five named stars, ≤ 二星 不合格
    named = json.loads(invoke("stars", township, "--year", "2025", "--json").output)
    assert {r["grade"] for r in named if r["stars"] is not None} <= {"优秀", "合格", "不合格"}
    assert all(r["grade"] == "不合格" for r in named if r["stars"] is not None and r["stars"] <= 2)

    rules.write_text('preset = "sanmenxia"\n[points]\nveto = "cap"\nveto_cap = 60\n', "utf-8")
    capped = _stars_by_member(township, invoke)
    vetoed = [
        (r["branch"], r["name"], r["member_id"])
        for r in json.loads(invoke("score", township, "-p", "2025", "--json").output)
        if r["vetoed"]
    ]
    assert len(vetoed) == len(MANIFEST["branches"])  # one planted veto per branch
    assert all(jiaozuo[m][0] == 0 and 0 < capped[m][0] <= 60 and capped[m][1] == 1 for m in vetoed)


def test_duty_participation_points_when_configured(township: Path, invoke) -> None:
    def dongguan_totals() -> dict[str, float]:
        rows = json.loads(invoke("score", township, "-p", "2025-07", "--json").output)
        return {r["name"]: r["contribution"] for r in rows if r["branch"] == "东关村"}

    before = dongguan_totals()
    (township / "dangyuan.toml").write_text('preset = "jiaozuo"\n[points]\nduty_points = 1\n', "utf-8")
    after = dongguan_totals()
    gained = {name: after[name] - before[name] for name in before}
    # 东关村's July records: every participant gains 1 point per record they took part in
    planted = MANIFEST["duty_participations"]["东关村"]["2025-07"]
    assert sum(gained.values()) == planted and all(v >= 0 for v in gained.values())
    active = next(name for name, v in sorted(gained.items()) if v > 0)
    explained = invoke("score", township, "-p", "2025-07", "--explain", active, "--branch", "东关村").output
    assert "履岗活动 +1" in explained and "一编三定台账.xlsx:履岗记实台账!B" in explained

"""承诺践诺, 先锋超市, 后进转化 (SPEC §10b): the three commands, their errors and their place in `run`."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from conftest import MANIFEST, entry, member, points_rows, roster_rows, write_book

COMMITMENT_HEADER = ["姓名", "年度", "承诺事项", "完成情况", "自评", "书记点评", "党员互评", "群众测评"]


def workspace(tmp_path: Path, people: list, entries: list, sheets: dict | None = None, rules: str = "") -> Path:
    root = tmp_path / "ws"
    write_book(root / "东关村" / "名册.xlsx", {"名册": roster_rows(*people)})
    write_book(root / "东关村" / "积分.xlsx", {"积分": points_rows(*entries)})
    for name, rows in (sheets or {}).items():
        write_book(root / "东关村" / f"{name}.xlsx", {name: rows})
    if rules:
        (root / "dangyuan.toml").write_text(rules, encoding="utf-8")
    return root


def shop_rows(*rows: list) -> list[list]:
    return [["东关村先锋超市兑换台账"], ["日期", "姓名", "物品", "消耗积分"], *rows]


def laggard_rows(*rows: list) -> list[list]:
    return [["后进党员转化台账"], ["姓名", "转入日期", "帮扶责任人", "结果", "结果日期"], *rows]


def test_balance_counts_points_earned_on_the_day_of_the_redemption(tmp_path: Path, invoke) -> None:
    root = workspace(
        tmp_path,
        [member("王建国"), member("李书记", 职务="党支部书记")],
        [
            entry("2025-03-01", "王建国", "贡献加分", "带头致富", 10),
            entry("2025-04-01", "王建国", "违规扣分", "不参加组织生活", 5),
        ],
        {"兑换": shop_rows(["2025-03-01", "王建国", "食用油", 10])},
    )
    on_the_day = invoke("shop", root, "--as-of", "2025-03-01", "--json")
    assert on_the_day.exit_code == 0, on_the_day.output
    row = next(r for r in json.loads(on_the_day.stdout) if r["name"] == "王建国")
    assert row == {
        "branch": "东关村",
        "name": "王建国",
        "member_id": None,
        "earned": 10.0,
        "spent": 10.0,
        "balance": 0.0,
    }
    the_day_before = json.loads(invoke("shop", root, "--as-of", "2025-02-28", "--json").stdout)
    assert next(r for r in the_day_before if r["name"] == "王建国")["earned"] == 0.0
    later = json.loads(invoke("shop", root, "--as-of", "2025-12-31", "--json").stdout)
    assert next(r for r in later if r["name"] == "王建国")["balance"] == -5.0  # net of the later deduction
    stars = json.loads(invoke("stars", root, "--year", "2025", "--json").stdout)
    assert next(r for r in stars if r["name"] == "王建国")["total"] == 105.0  # spending never lowers the score


def test_overspending_by_half_a_point_is_an_error_at_that_row(tmp_path: Path, invoke) -> None:
    root = workspace(
        tmp_path,
        [member("王建国")],
        [entry("2025-03-01", "王建国", "贡献加分", "带头致富", 10)],
        {"兑换": shop_rows(["2025-03-01", "王建国", "毛巾", 3], ["2025-05-20", "王建国", "食用油", 7.5])},
    )
    result = invoke("check", root, "--json")
    assert result.exit_code == 1
    errors = json.loads(result.stdout)["errors"]
    assert [(e["file"], e["cell"]) for e in errors] == [("东关村/兑换.xlsx", "D4")]
    assert "可用积分7分" in errors[0]["message"] and "超出0.5分" in errors[0]["message"]
    shop = invoke("shop", root, "--as-of", "2025-12-31")
    assert shop.exit_code == 1 and "D4" in shop.output


def test_spending_exactly_the_balance_is_accepted(tmp_path: Path, invoke) -> None:
    root = workspace(
        tmp_path,
        [member("王建国")],
        [entry("2025-03-01", "王建国", "贡献加分", "带头致富", 10)],
        {"兑换": shop_rows(["2025-03-01", "王建国", "毛巾", 3], ["2025-05-20", "王建国", "食用油", 7])},
    )
    assert invoke("check", root).exit_code == 0


def test_a_redemption_dated_before_the_points_were_earned_says_so(tmp_path: Path, invoke) -> None:
    root = workspace(
        tmp_path,
        [member("王建国")],
        [entry("2025-06-01", "王建国", "贡献加分", "带头致富", 10)],
        {"兑换": shop_rows(["2025-05-01", "王建国", "食用油", 6])},
    )
    result = invoke("shop", root, "--as-of", "2025-12-31")
    assert result.exit_code == 1
    assert "兑换日期早于积分获得日期" in result.output and "2025-06-01" in result.output


def test_shop_start_date_and_base_points_are_not_money(tmp_path: Path, invoke) -> None:
    root = workspace(
        tmp_path,
        [member("王建国")],
        [
            entry("2025-01-10", "王建国", "贡献加分", "带头致富", 5),
            entry("2025-04-10", "王建国", "贡献加分", "志愿服务", 2),
        ],
        rules="[shop]\nstart = 2025-04-01\n",
    )
    rows = json.loads(invoke("shop", root, "--as-of", "2025-12-31", "--json").stdout)
    assert rows[0]["earned"] == 2.0  # before the start date, and the base 100, are not redeemable


def _laggard(tmp_path: Path, result_date: str, result: str = "合格") -> Path:
    return workspace(
        tmp_path,
        [member("王建国"), member("李书记", 职务="党支部书记")],
        [entry("2025-02-01", "王建国", "违规扣分", "参与集体上访", 10)],
        {"后进": laggard_rows(["王建国", "2025-03-31", "李书记", result if result_date else "", result_date])},
    )


def test_a_result_on_the_day_six_months_end_is_in_time(tmp_path: Path, invoke) -> None:
    root = _laggard(tmp_path, "2025-09-30")
    assert invoke("check", root).exit_code == 0
    rows = json.loads(invoke("laggards", root, "--as-of", "2025-12-31", "--json").stdout)
    assert rows == [
        {
            "branch": "东关村",
            "name": "王建国",
            "member_id": None,
            "proposed": True,
            "since": "2025-03-31",
            "helper": "李书记",
            "due": "2025-09-30",
            "result": "合格",
            "result_date": "2025-09-30",
            "status": "合格，转回原党支部（2025-09-30）",
        }
    ]


def test_a_result_one_day_short_of_six_months_is_an_error(tmp_path: Path, invoke) -> None:
    root = _laggard(tmp_path, "2025-09-29")
    result = invoke("check", root, "--json")
    assert result.exit_code == 1
    (err,) = json.loads(result.stdout)["errors"]
    assert err["cell"] == "E3" and "2025-09-30期满" in err["message"]


def test_six_months_without_a_result_fall_due_on_the_day(tmp_path: Path, invoke) -> None:
    root = _laggard(tmp_path, "")
    before = json.loads(invoke("laggards", root, "--as-of", "2025-09-29", "--json").stdout)
    on_the_day = json.loads(invoke("laggards", root, "--as-of", "2025-09-30", "--json").stdout)
    assert before[0]["status"].startswith("帮扶中")
    assert on_the_day[0]["status"].startswith("期满未评定") and "2025-09-30" in on_the_day[0]["status"]


def test_proposed_but_not_entered_and_a_helper_out_of_office(tmp_path: Path, invoke) -> None:
    root = workspace(
        tmp_path,
        [member("王建国"), member("赵六"), member("张三")],
        [
            entry("2025-02-01", "王建国", "违规扣分", "参与集体上访", 10),
            entry("2025-02-01", "赵六", "违规扣分", "参与集体上访", 10),
        ],
        {"后进": laggard_rows(["赵六", "2025-03-01", "张三", "", ""])},
    )
    check = json.loads(invoke("check", root, "--json").stdout)
    assert any("帮扶责任人“张三”不是在职党员" in w["message"] for w in check["warnings"])
    rows = {r["name"]: r for r in json.loads(invoke("laggards", root, "--as-of", "2025-06-30", "--json").stdout)}
    assert rows["王建国"]["status"].startswith("未登记转入") and rows["王建国"]["since"] is None
    assert rows["赵六"]["status"].startswith("帮扶中")


def _commitments(tmp_path: Path, rules: str = "", word: str = "优秀") -> Path:
    people = [member(n) for n in "甲乙丙丁戊己庚"]
    entries = [entry("2025-03-01", n, "贡献加分", "志愿服务", 2) for n in "丙丁戊己庚"]
    entries += [
        entry("2025-03-01", "甲", "贡献加分", "带头致富", 10),
        entry("2025-04-01", "乙", "贡献加分", "带头致富", 8),
    ]
    rows = [
        ["年度承诺践诺台账"],
        COMMITMENT_HEADER,
        ["乙", "2025", "结对帮扶1户困难群众", "已完成", word, "良好", "好", "一般"],
        ["甲", "2025年", "带头参加环境整治", "正在推进", "好", "好", "较好", "好"],
    ]
    return workspace(tmp_path, people, entries, {"承诺": rows}, rules)


def test_completed_commitment_points_show_in_explain_and_change_the_star_only_when_on(tmp_path: Path, invoke) -> None:
    off = _commitments(tmp_path / "off")
    on = _commitments(tmp_path / "on", "[commitments]\ndone_points = 5\n")
    explain_off = invoke("score", off, "-p", "2025", "--explain", "乙")
    explain_on = invoke("score", on, "-p", "2025", "--explain", "乙")
    assert "践诺完成" not in explain_off.output
    assert "践诺完成 +5" in explain_on.output and "东关村/承诺.xlsx:承诺!D3" in explain_on.output
    assert "未列入项目清单" not in invoke("check", on).output
    stars_off = {r["name"]: r["stars"] for r in json.loads(invoke("stars", off, "-y", "2025", "--json").stdout)}
    stars_on = {r["name"]: r["stars"] for r in json.loads(invoke("stars", on, "-y", "2025", "--json").stdout)}
    assert (stars_off["甲"], stars_off["乙"]) == (5, 4)
    assert (stars_on["甲"], stars_on["乙"]) == (4, 5)


def test_commitments_review_missing_list_and_word_aliases(tmp_path: Path, invoke) -> None:
    root = _commitments(tmp_path)
    result = invoke("commitments", root, "-y", "2025", "--json")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert list(rows["乙"]) == ["branch", "name", "member_id", "made", "fulfilled", "result", "missing"]
    assert (rows["乙"]["made"], rows["乙"]["fulfilled"], rows["乙"]["result"]) == (
        1,
        1,
        "较好",
    )  # 优秀4 良好3 好4 一般2
    assert rows["甲"]["result"] == "好" and rows["甲"]["fulfilled"] == 0
    assert {n for n, r in rows.items() if r["missing"]} == set("丙丁戊己庚")


def test_an_unknown_evaluation_word_is_a_located_error(tmp_path: Path, invoke) -> None:
    root = _commitments(tmp_path, word="挺好的吧")
    result = invoke("check", root, "--json")
    assert result.exit_code == 1
    (err,) = json.loads(result.stdout)["errors"]
    assert err["cell"] == "E3" and "自评“挺好的吧”无法识别" in err["message"]
    ok = _commitments(tmp_path / "alias", '[commitments.ratings]\n"较好" = ["挺好的吧"]\n', word="挺好的吧")
    assert invoke("check", ok).exit_code == 0


def test_commitment_notice_is_public_and_carries_only_name_and_commitment(tmp_path: Path, invoke) -> None:
    root = _commitments(tmp_path)
    result = invoke("announce", root, "commitments", "-p", "2025", "--format", "md")
    assert result.exit_code == 0, result.output
    (md,) = (root / "输出" / "2025" / "东关村").glob("*.md")
    text = md.read_text("utf-8")
    assert "党员承诺公开" in md.name and "内部资料" not in md.name
    assert "结对帮扶1户困难群众" in text and "| 乙 |" in text
    assert "已完成" not in text and "良好" not in text and "正在推进" not in text


def test_the_three_commands_print_their_tables_on_the_samples(township: Path, invoke) -> None:
    for args, title in (
        (("commitments", "-y", "2025"), "东关村 2025年承诺践诺"),
        (("shop", "--as-of", "2025-12-31"), "先锋超市积分余额（截至2025-12-31）"),
        (("laggards", "--as-of", "2025-12-31"), "后进党员转化（截至2025-12-31）"),
    ):
        result = invoke(args[0], township, *args[1:], "--no-write")
        assert result.exit_code == 0, result.output
        assert title in result.output
    laggards = {
        r["name"]: r for r in json.loads(invoke("laggards", township, "--as-of", "2025-12-31", "--json").stdout)
    }
    planted = MANIFEST["laggard_register"]
    assert laggards[planted["overdue"]["name"]]["status"].startswith(f"期满未评定：{planted['overdue']['due']}")
    assert laggards[planted["not_entered"]["name"]]["status"].startswith("未登记转入")
    assert laggards[planted["converted_on_the_day"]["name"]]["status"].startswith("合格")
    assert laggards[planted["unqualified"]["name"]]["status"].startswith("不合格")


def test_planted_errors_on_a_copy_of_the_samples_skip_only_their_branch(township: Path, invoke) -> None:
    write_book(
        township / "西河村" / "先锋超市补登.xlsx",
        {
            "补登": [
                ["西河村先锋超市兑换补登"],
                ["日期", "姓名", "物品", "消耗积分"],
                ["2025-01-02", MANIFEST["branches"]["西河村"]["away"][0], "大米", 500],
            ]
        },
    )
    result = invoke("run", township, "-p", "2025")
    assert result.exit_code == 1
    summary = json.loads((township / "输出" / "2025" / "summary.json").read_text("utf-8"))
    status = {b["branch"]: b["status"] for b in summary["branches"]}
    assert status == {"东关村": "完成", "南岭社区": "完成", "西河村": "跳过"}
    assert any(e["cell"] == "D3" and "消耗500分" in e["message"] for e in summary["errors"])


def test_run_writes_the_year_and_the_month_files(township: Path, invoke) -> None:
    assert invoke("run", township, "-p", "2025").exit_code == 0
    year = township / "输出" / "2025" / "东关村"
    for name in ("践诺评诺（内部资料）.xlsx", "先锋超市积分余额.xlsx", "后进党员转化（内部资料）.xlsx"):
        assert (year / name).is_file(), name
    assert list(year.glob("*党员承诺公开.docx"))
    report = next((township / "输出" / "2025").glob("*工作情况报告.xlsx"))
    cells = {c.value for row in load_workbook(report)["发展与台账"].iter_rows() for c in row}
    assert {"承诺：作出", "承诺：兑现", "先锋超市：兑换积分", "后进：期满未评定"} <= cells
    assert invoke("run", township, "-p", "2025-06").exit_code == 0
    month = load_workbook(township / "输出" / "2025-06" / "东关村" / "先锋超市兑换明细.xlsx").worksheets[0]
    dates = [r[0] for r in month.iter_rows(min_row=3, values_only=True) if r[0]]
    assert dates and all(d.startswith("2025-06") for d in dates)


def test_a_member_converted_as_qualified_leaves_the_laggard_class(tmp_path: Path, invoke) -> None:
    root = _laggard(tmp_path, "2025-09-30")
    before = json.loads(invoke("classify", root, "--as-of", "2025-09-29", "--json", "--no-write").stdout)
    after = json.loads(invoke("classify", root, "--as-of", "2025-12-31", "--json", "--no-write").stdout)
    assert next(r for r in before if r["name"] == "王建国")["category"] == "后进党员"
    assert next(r for r in after if r["name"] == "王建国")["category"] != "后进党员"


def test_a_redemption_by_someone_not_on_the_roster_is_an_error(tmp_path: Path, invoke) -> None:
    root = workspace(
        tmp_path,
        [member("王建国")],
        [entry("2025-03-01", "王建国", "贡献加分", "带头致富", 10)],
        {"兑换": shop_rows(["2025-03-02", "王建华", "毛巾", 3])},
    )
    result = invoke("check", root, "--json")
    assert result.exit_code == 1
    (err,) = json.loads(result.stdout)["errors"]
    assert err["cell"] == "B3" and "王建华" in err["message"]


def test_json_keys_are_the_ones_the_help_lists(township: Path, invoke) -> None:
    import re

    for args in (
        ("commitments", "-y", "2025"),
        ("shop", "--as-of", "2025-12-31"),
        ("laggards", "--as-of", "2025-12-31"),
    ):
        help_text = " ".join(invoke(args[0], "--help").output.split())
        listed = re.search(r"每项键为 ([a-z_, ]+)。", help_text).group(1).split(", ")
        rows = json.loads(invoke(*args[:1], township, *args[1:], "--json").stdout)
        assert rows and all(list(r) == listed for r in rows), args[0]

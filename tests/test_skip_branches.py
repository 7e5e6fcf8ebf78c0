"""A broken register never yields a verdict (SPEC §2 "Errors belong to a branch"): its branch is
skipped whole and named; the other branches are unaffected."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import entry, member, points_rows, roster_rows, write_book

BRANCHES = ("东关村", "西河村", "南岭社区")


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a half-synced file


def _three_branches(root: Path) -> Path:
    for i, branch in enumerate(BRANCHES):
        write_book(
            root / branch / "党员名册.xlsx",
            {
                "党员名册": roster_rows(
                    member(f"甲{i}"), member(f"乙{i}", born="1975.2"), title=f"{branch}党支部党员名册"
                )
            },
        )
        write_book(
            root / branch / "积分台账2025.xlsx",
            {
                "积分台账": points_rows(
                    entry("2025-03-01", f"甲{i}", "贡献加分", "志愿服务", 5),
                    entry("2025-04-01", f"乙{i}", "违规扣分", "不参加组织生活", 5),
                    title=f"{branch}党支部积分台账",
                )
            },
        )
    return root


def _summary(root: Path) -> dict[str, dict]:
    summary = json.loads((root / "输出" / "2025" / "summary.json").read_text("utf-8"))
    return {b["branch"]: b for b in summary["branches"]}


def _star_branches(invoke, root: Path) -> set[str]:
    result = invoke("stars", root, "--year", "2025", "--json")
    assert result.exit_code == 1
    return {r["branch"] for r in json.loads(result.stdout)}


def _assert_only_broken_skipped(invoke, root: Path, broken: str, why: str) -> None:
    assert _star_branches(invoke, root) == set(BRANCHES) - {broken}
    stars = invoke("stars", root, "--year", "2025", "--no-write")
    assert f"以下党支部已跳过：{broken}" in stars.output
    run = invoke("run", root, "-p", "2025", "-v")
    assert run.exit_code == 1
    assert f"{broken}：已跳过，原因：" in run.output and why in run.output
    outcomes = _summary(root)
    assert outcomes[broken]["status"] == "跳过" and why in outcomes[broken]["reason"]
    assert outcomes[broken]["files"] == [] and outcomes[broken]["errors"] >= 1
    out = root / "输出" / "2025"
    assert not (out / broken).exists()  # no 公示, no results workbook
    for other in set(BRANCHES) - {broken}:
        assert outcomes[other]["status"] == "完成"
        assert (out / other / f"{other}党支部2025年度积分定星结果公示.docx").exists()
        assert (out / other / "积分定星结果（内部资料）.xlsx").exists()


def test_a_truncated_ledger_skips_its_branch_and_only_it(tmp_path: Path, invoke) -> None:
    root = _three_branches(tmp_path)
    _truncate(root / "东关村" / "积分台账2025.xlsx")
    _assert_only_broken_skipped(invoke, root, "东关村", "东关村/积分台账2025.xlsx: 无法读取此文件")
    announce = invoke("announce", root, "stars", "-p", "2025", "--out", tmp_path / "公示")
    assert announce.exit_code == 1
    assert {p.parent.name for p in (tmp_path / "公示").rglob("*.docx")} == {"西河村", "南岭社区"}
    score = invoke("score", root, "-p", "2025", "--json")
    assert {r["branch"] for r in json.loads(score.stdout)} == {"西河村", "南岭社区"}


def test_an_empty_workbook_beside_the_registers_skips_the_branch(tmp_path: Path, invoke) -> None:
    root = _three_branches(tmp_path)
    write_book(root / "西河村" / "积分台账2025补录.xlsx", {"Sheet1": []})
    _assert_only_broken_skipped(invoke, root, "西河村", "工作簿是空的")


def test_a_sheet_whose_header_was_deleted_skips_the_branch(tmp_path: Path, invoke) -> None:
    root = _three_branches(tmp_path)
    write_book(
        root / "南岭社区" / "积分台账2025.xlsx",
        {
            "积分台账": [
                entry("2025-03-01", "甲2", "贡献加分", "志愿服务", 5),
                entry("2025-04-01", "乙2", "违规扣分", "迟到", 1),
            ]
        },
    )
    check = json.loads(invoke("check", root, "--json").stdout)
    assert check["errors"] == [
        {
            "file": "南岭社区/积分台账2025.xlsx",
            "sheet": "积分台账",
            "cell": "A1",
            "message": "像是台账数据，但前30行中找不到表头（如“日期、姓名、积分类型、事项”或“姓名、出生年月、入党时间”）；"
            "请补上表头行，此表的数据未读取",
        }
    ]
    _assert_only_broken_skipped(invoke, root, "南岭社区", "找不到表头")


def test_a_ledger_named_after_its_branch_at_the_top_belongs_to_that_branch(tmp_path: Path, invoke) -> None:
    root = _three_branches(tmp_path)
    shutil.move(root / "东关村" / "积分台账2025.xlsx", root / "东关村积分台账2025.xlsx")
    _truncate(root / "东关村积分台账2025.xlsx")
    _assert_only_broken_skipped(invoke, root, "东关村", "东关村积分台账2025.xlsx: 无法读取此文件")


def test_a_broken_file_of_no_branch_stops_every_branch(tmp_path: Path, invoke) -> None:
    root = _three_branches(tmp_path)
    (root / "城关镇流动党员联系台账.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    assert _star_branches(invoke, root) == set()
    run = invoke("run", root, "-p", "2025")
    assert run.exit_code == 1
    outcomes = _summary(root)
    assert {b: o["status"] for b, o in outcomes.items()} == dict.fromkeys(BRANCHES, "跳过")
    assert all("城关镇流动党员联系台账.xlsx: 无法读取此文件" in o["reason"] for o in outcomes.values())
    assert not list((root / "输出" / "2025").rglob("*.docx"))


def test_one_branch_workspace_a_broken_file_at_the_top_skips_that_branch(tmp_path: Path, invoke) -> None:
    root = tmp_path / "城关镇"
    write_book(root / "党员名册.xlsx", {"党员名册": roster_rows(member("张三"))})
    (root / "积分台账.xlsx").write_bytes(b"\xd0\xcf\x11\xe0 encrypted or not a workbook")
    result = invoke("stars", root, "--year", "2025", "--json")
    assert result.exit_code == 1 and json.loads(result.stdout) == []
    assert "以下党支部已跳过：东关村" in invoke("stars", root, "--year", "2025", "--no-write").output


def test_the_issue_scenario_on_the_sample(township: Path, invoke) -> None:
    _truncate(township / "东关村" / "积分台账2025.xlsx")
    assert _star_branches(invoke, township) == {"西河村", "南岭社区"}
    run = invoke("run", township, "-p", "2025")
    assert run.exit_code == 1 and "已跳过：东关村" in run.output
    outcomes = _summary(township)
    assert outcomes["东关村"]["status"] == "跳过"
    assert outcomes["东关村"]["reason"].startswith("东关村/积分台账2025.xlsx: 无法读取此文件")
    assert not (township / "输出" / "2025" / "东关村").exists()
    log = (township / "输出" / "2025" / "run.log").read_text("utf-8")
    assert "东关村：跳过，文件0个，错误1项" in log and "原因：东关村/积分台账2025.xlsx" in log


def test_parallel_batch_names_a_broken_branch_once(tmp_path: Path, invoke) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from make_county import make_county

    from dangyuan_cli.app.batch import plan_parts
    from dangyuan_cli.registers.workspace import workbook_paths

    make_county(tmp_path, 9)
    (tmp_path / "城关镇说明.xlsx").write_bytes(b"")  # an empty file at the top: every branch stops
    _truncate(tmp_path / "第004村" / "台账.xlsx")
    assert len(plan_parts(tmp_path, workbook_paths(tmp_path), 2)[0]) > 1
    run = invoke("run", tmp_path, "-p", "2025", "--workers", "2")
    assert run.exit_code == 1
    summary = json.loads((tmp_path / "输出" / "2025" / "summary.json").read_text("utf-8"))
    names = [b["branch"] for b in summary["branches"]]
    assert names == [f"第{i:03d}村" for i in range(1, 10)]  # each once, 第004村 named by its folder
    assert all(b["status"] == "跳过" for b in summary["branches"])
    assert summary["branches"][3]["reason"].startswith("第004村/台账.xlsx: 无法读取此文件")
    assert summary["branches"][0]["reason"].startswith("城关镇说明.xlsx: ")


def test_parallel_and_serial_batches_skip_the_same_branches(tmp_path: Path, invoke) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from make_county import make_county

    from dangyuan_cli.registers.workspace import load_workspace

    make_county(tmp_path, 9)
    roster = load_workspace(tmp_path).roster
    # a township-wide register at the top naming every branch, one row of it broken
    rows = [["党支部", "日期", "姓名", "方式", "内容"]]
    rows += [
        [f"第{i:03d}村党支部", "2025-03-01", roster.members(f"第{i:03d}村")[0].name, "电话", "汇报"]
        for i in range(1, 10)
    ]
    rows[5][1] = "2025-02-30"
    write_book(tmp_path / "流动党员联系台账.xlsx", {"联系台账": [["城关镇流动党员联系台账"], *rows]})
    write_book(tmp_path / "第007村" / "补录.xlsx", {"Sheet1": []})
    summaries = []
    for workers in ("1", "2"):
        out = tmp_path / "输出" / workers
        assert invoke("run", tmp_path, "-p", "2025", "--workers", workers, "--out", out).exit_code == 1
        summaries.append(json.loads((out / "summary.json").read_text("utf-8")))
    assert summaries[0] == summaries[1]
    status = {b["branch"]: b["status"] for b in summaries[0]["branches"]}
    assert len(summaries[0]["branches"]) == len(status) == 9
    assert {b for b, s in status.items() if s == "跳过"} == {"第005村", "第007村"}
    assert sum("2025-02-30" in e["message"] for e in summaries[0]["errors"]) == 1


def test_parallel_batch_skips_only_the_broken_branch(tmp_path: Path, invoke) -> None:
    broken = "第002村"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from make_county import make_county

    make_county(tmp_path, 9)
    _truncate(tmp_path / broken / "台账.xlsx")
    run = invoke("run", tmp_path, "-p", "2025", "--workers", "2")
    assert run.exit_code == 1
    summary = json.loads((tmp_path / "输出" / "2025" / "summary.json").read_text("utf-8"))
    status = {b["branch"]: b["status"] for b in summary["branches"]}
    assert status == {f"第{i:03d}村": "跳过" if f"第{i:03d}村" == broken else "完成" for i in range(1, 10)}


def test_a_roster_without_its_name_column_says_so_once(tmp_path: Path, invoke) -> None:
    root = _three_branches(tmp_path)
    write_book(
        root / "东关村" / "党员名册.xlsx",
        {
            "党员名册": [
                ["东关村党支部党员名册"],
                ["编号", "名字", "性别", "出生年月", "入党时间", "人员类别"],
                ["1", "甲0", "男", "1980.5", "2005.7", "正式党员"],
            ]
        },
    )
    result = invoke("check", root)
    assert result.exit_code == 1
    assert "东关村/党员名册.xlsx:党员名册!A2: 像是党员名册，但缺少必填列“姓名”" in result.output
    assert "没有找到党员名册" not in result.output and "找不到东关村的党员名册" not in result.output
    errors = json.loads(invoke("check", root, "--json").stdout)["errors"]
    assert len(errors) == 1
    _assert_only_broken_skipped(invoke, root, "东关村", "像是党员名册")


def test_a_lone_roster_without_its_name_column_is_the_only_message(tmp_path: Path, invoke) -> None:
    write_book(
        tmp_path / "党员名册.xlsx",
        {
            "党员名册": [
                ["党员名册"],
                ["序号", "党员", "出生年月", "入党时间", "人员类别"],
                [1, "张三", "1980.5", "2005.7", "正式党员"],
            ]
        },
    )
    errors = json.loads(invoke("check", tmp_path, "--json").stdout)["errors"]
    assert [f"{e['file']}:{e['sheet']}!{e['cell']}: {e['message']}" for e in errors] == [
        "党员名册.xlsx:党员名册!A2: 像是党员名册，但缺少必填列“姓名”；请补上该列（也可写作：党员姓名），此表的数据未读取"
    ]


def _near_miss_cases():
    """For each register whose signature has several columns: its header without one of them."""
    from dangyuan_cli.registers.schema import REGISTERS

    for register in REGISTERS:
        if len(register.signature) < 2:
            continue
        for dropped in sorted(register.signature):
            yield pytest.param(register.key, dropped, id=f"{register.key}-{dropped}")


@pytest.mark.parametrize(("key", "dropped"), list(_near_miss_cases()))
def test_every_register_missing_one_signature_column_is_named(tmp_path: Path, key: str, dropped: str) -> None:
    from dangyuan_cli.registers.recognize import read_tables
    from dangyuan_cli.registers.schema import REGISTERS

    register = next(r for r in REGISTERS if r.key == key)
    header = [c.name for c in register.columns if c.name not in (dropped, "党支部")]
    tables, problems = read_tables([["东关村党支部台账"], header, ["x"] * len(header)], "台账.xlsx", "表")
    assert tables == []
    assert [(p.cell, p.severity, p.branch) for p in problems] == [("A2", "error", "东关村")]
    assert problems[0].message.startswith(f"像是{register.title}，但缺少必填列“{dropped}”")


def _mutate(root: Path, branch: str, how: str, i: int) -> None:
    """Break one register of `branch` the way files really break."""
    ledger = root / branch / "积分台账2025.xlsx"
    roster = root / branch / "党员名册.xlsx"
    if how == "truncate":
        data = ledger.read_bytes()
        ledger.write_bytes(data[: len(data) * (1 + i % 9) // 10])
    elif how == "empty":
        write_book(root / branch / "补录.xlsx", {"Sheet1": []})
    elif how == "garbage":
        roster.write_bytes(bytes(range(256)) * (1 + i))
    elif how == "headerless":
        rows = points_rows(
            entry("2025-03-01", f"甲{BRANCHES.index(branch)}", "贡献加分", "志愿服务", 5),
            title=f"{branch}党支部积分台账",
        )
        write_book(ledger, {"积分台账": [rows[0], *rows[2:]]})
    elif how == "no-name-column":
        rows = roster_rows(member(f"甲{BRANCHES.index(branch)}"), title=f"{branch}党支部党员名册")
        rows[1] = ["名字" if h == "姓名" else h for h in rows[1]]
        write_book(roster, {"党员名册": rows})
    else:  # a copied roster row
        i_ = BRANCHES.index(branch)
        rows = roster_rows(
            member(f"甲{i_}"),
            member(f"乙{i_}", born="1975.2"),
            member(f"乙 {i_}", born="1975.2"),
            title=f"{branch}党支部党员名册",
        )
        write_book(roster, {"党员名册": rows})


def test_a_broken_register_never_changes_another_branch(tmp_path_factory) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from dangyuan_cli.app.compute import stars_for
    from dangyuan_cli.app.context import prepare
    from dangyuan_cli.core.periods import parse_period

    base = _three_branches(tmp_path_factory.mktemp("base"))
    year = parse_period("2025")
    expected = stars_for(prepare(base), year)
    hows = ["truncate", "empty", "garbage", "headerless", "no-name-column", "copied-row"]

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.sampled_from(BRANCHES), st.sampled_from(hows), st.integers(0, 8))
    def check(branch: str, how: str, i: int) -> None:
        root = tmp_path_factory.mktemp("mutated") / "ws"
        shutil.copytree(base, root)
        _mutate(root, branch, how, i)
        ctx = prepare(root)
        assert branch in ctx.skipped and ctx.skipped == [branch]
        stars = stars_for(ctx, year)
        assert branch not in set(stars["branch"])
        others = expected[expected["branch"] != branch].reset_index(drop=True)
        columns = ["branch", "name", "total", "rank", "stars"]
        assert stars[columns].reset_index(drop=True).equals(others[columns])

    check()


def test_a_misspelt_branch_in_a_township_file_stops_the_branches_it_feeds(township: Path, invoke) -> None:
    """Found in review: `东关党支布` in the 党支部 column of a township-wide register skipped a
    branch that does not exist, while 东关村 was rated on a ballot fewer."""
    from openpyxl import load_workbook

    path = township / "城关镇流动党员与发展党员台账.xlsx"
    wb = load_workbook(path)
    sheet = wb["民主评议票"]
    header = next(r for r in sheet.iter_rows(min_row=1, max_row=6) if any(c.value == "党支部" for c in r))
    column = next(c.column_letter for c in header if c.value == "党支部")
    target = next(r[0].row for r in sheet.iter_rows(min_row=header[0].row + 1) if r[0].value or r[1].value)
    sheet[f"{column}{target}"] = "东关党支布"
    wb.save(path)
    result = invoke("run", township, "-p", "2025", "--workers", "1")
    assert result.exit_code == 1
    summary = json.loads((township / "输出" / "2025" / "summary.json").read_text("utf-8"))
    status = {b["branch"]: b["status"] for b in summary["branches"]}
    assert "东关党支布" not in status
    assert status.get("东关村") == "跳过", status  # the file feeds every branch of the township
    assert any("东关党支布" in e["message"] and "有名册的党支部" in e["message"] for e in summary["errors"])

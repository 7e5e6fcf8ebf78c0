"""`check` of a county on both cores says exactly what one process says, in the same order."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from conftest import SAMPLES, entry, points_rows, write_book
from dangyuan_cli.app.checking import check_in_parts
from dangyuan_cli.app.context import check_workspace, read_rules
from dangyuan_cli.app.parts import plan_parts, unit_of
from dangyuan_cli.registers.workspace import workbook_paths


def _county(root: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from real_county import make_real_county

    make_real_county(root, 24)  # townships of village folders and loose village files, floating members


def _same(root: Path) -> object:
    serial = check_workspace(root, workers=1)
    parallel = check_workspace(root, workers=2)
    assert parallel.problems == serial.problems  # the same problems, in the same order
    assert json.dumps(parallel.to_json(), ensure_ascii=False) == json.dumps(serial.to_json(), ensure_ascii=False)
    assert parallel.row_counts() == serial.row_counts()  # the registers table `check` prints
    return parallel


def test_a_county_checked_in_parts_says_what_one_process_says(tmp_path: Path, invoke) -> None:
    root = tmp_path / "县"
    _county(root)
    files = workbook_paths(root)
    plan, split = plan_parts(root, files, 2)
    assert len(plan) > 1
    part_of = {unit: i for i, (_, owned) in enumerate(plan) for unit in owned or []}
    roster = check_workspace(root, workers=1).workspace.roster
    folder_of = {m.branch: Path(m.table.file) for m in roster.members()}
    # two branches checked in different parts, and a name on the second's roster only
    first, other = next(
        (a, b)
        for a in sorted(folder_of)
        for b in sorted(folder_of)
        if part_of[unit_of(folder_of[a].parts, split)] != part_of[unit_of(folder_of[b].parts, split)]
    )
    stranger = next(n for n in roster.by_branch[other] if n not in roster.by_branch[first])
    known = next(iter(roster.by_branch[first]))
    where = root / folder_of[first].parent
    write_book(
        where / f"{first}补录积分台账.xlsx",
        {
            "积分": points_rows(
                entry("2025-03-01", stranger, "贡献加分", "义务劳动", 2),  # an error naming the other roster
                entry("2025-03-02", known, "贡献加分", "义务劳动", -3),  # an error
                entry("2025-03-03", known, "贡献加分", "清扫街道", 1),  # a warning: not in the catalogue
                title=f"{first}党支部积分台账",
            )
        },
    )
    (where / f"{first}损坏的台账.xlsx").write_bytes(b"not a workbook")  # an error of the file
    # a 帮扶责任人 is an officer anywhere in the county: here the other part's 党支部书记
    secretary = next(m.name for m in roster.members(other) if m.get("职务") == "党支部书记")
    assert secretary not in roster.by_branch[first]
    write_book(
        where / f"{first}后进党员转化台账.xlsx",
        {
            "转化": [
                [f"{first}党支部后进党员转化台账"],
                ["姓名", "转入日期", "帮扶责任人", "结果", "结果日期"],
                [known, "2025-01-10", secretary, "合格", "2025-03-01"],  # an error: before the months passed
                [known, "2025-02-10", "无名氏", None, None],  # a warning: not on any roster
            ]
        },
    )
    for folder in ("东关村", "西河村", "南岭社区"):  # commitments, redemptions, a second points year
        shutil.copytree(SAMPLES / folder, root / "城关镇" / folder)
    rules_text = (SAMPLES / "dangyuan.toml").read_text("utf-8")
    (root / "dangyuan.toml").write_text(
        rules_text + "\n[limits]\nmax_rows = 400\n", "utf-8"
    )  # the longest ledgers refused
    # 发展党员记实 in two parts, the later one sets the date every record is checked as of
    head = ["姓名", "出生年月", "申请入党日期", "确定积极分子日期", "确定发展对象日期", "接收预备党员日期", "转正日期"]
    for branch, day in ((first, "2025-06-01"), (other, "2026-02-01")):
        write_book(
            root / folder_of[branch].parent / f"{branch}发展党员记实.xlsx",
            {
                "记实": [
                    [f"{branch}党支部发展党员记实"],
                    head,
                    ["新人甲", "2000.1", "2024-03-01", "2024-09-01", None, None, None],
                    ["新人乙", "2001.2", "2023-01-05", None, "2024-05-01", day, None],  # a stage skipped
                ]
            },
        )
    rules, _ = read_rules(root)
    assert check_in_parts(root, rules, 2) is not None  # the parts could be merged exactly

    checked = _same(root)
    errors = [p.message for p in checked.problems if p.severity == "error"]
    assert any(f"“{stranger}”不在{first}的党员名册中" in m and f"{other}的名册中有此人" in m for m in errors)
    assert any(p.message.startswith("工作表过大") for p in checked.problems)
    helpers = [p.message for p in checked.problems if "的帮扶责任人" in p.message]
    assert helpers and not any(secretary in m for m in helpers)  # the secretary holds office
    floating = [p for p in checked.problems if p.message.startswith("流动党员")]  # as of the county's latest date
    assert floating
    result = invoke("check", root, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == json.loads(json.dumps(checked.to_json()))

    # a register kept in another part's branch folder: the parts notice, and one process checks
    shutil.copy(where / f"{first}补录积分台账.xlsx", root / folder_of[other].parent / "外村积分台账.xlsx")
    assert check_in_parts(root, rules, 2) is None
    _same(root)

"""履岗记实 (SPEC §5): each member's participations per group, in the month and the quarter so far."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from builders import d
from conftest import member, roster_rows, write_book
from dangyuan_cli.core.periods import parse_period
from dangyuan_cli.core.records import DUTY_COLUMNS
from dangyuan_cli.domain.duty import duty_report

ENV, MEDIATE = "环境卫生保护组", "民事纠纷调解组"
GROUPS = pd.DataFrame(
    [("东关村", g, f"东关村-{n}", n) for g, names in ((ENV, "甲乙"), (MEDIATE, "丙丁")) for n in names],
    columns=["branch", "group", "member_id", "name"],
)
# one 履岗记实 record per (row, date, group, participants); a name may be written twice
RECORDS = [
    (3, "2025-06-28", "环境卫生保护岗", "甲、乙"),  # Q2: never in Q3 counts
    (4, "2025-07-03", "环境卫生保护岗", "甲、甲、乙"),  # 甲 written twice: one participation
    (5, "2025-08-10", "环境卫生保护组", "甲"),
    (6, "2025-09-20", "民事纠纷调解组", "丙、甲"),  # 甲 helps another group
]


def duty_frame(records=RECORDS) -> pd.DataFrame:
    rows = [
        {"branch": "东关村", "group": g, "date": d(day), "member_id": f"东关村-{n}", "name": n, "content": "清扫"}
        | {"file": "履岗.xlsx", "sheet": "履岗", "row": row, "cell": f"B{row}"}
        for row, day, g, names in records
        for n in names.split("、")
    ]
    return pd.DataFrame(rows, columns=DUTY_COLUMNS)


def counts(month: str) -> dict[tuple[str, str], tuple[int, int]]:
    report = duty_report(GROUPS, duty_frame(), parse_period(month))
    shown = {
        (r.group, r.name + ("（外组）" if r.guest else "")): (r.month, r.quarter)
        for r in report.per_member.itertuples()
    }
    assert len(shown) == len(report.per_member)  # each member once per group
    return shown


def test_july_counts_only_july_for_the_month_and_the_quarter() -> None:
    assert counts("2025-07") == {
        (ENV, "甲"): (1, 1),  # written twice in one record: counted once
        (ENV, "乙"): (1, 1),  # June's record is the second quarter's
        (MEDIATE, "丙"): (0, 0),
        (MEDIATE, "丁"): (0, 0),
    }


def test_september_counts_the_quarter_from_july() -> None:
    assert counts("2025-09") == {
        (ENV, "甲"): (0, 2),
        (ENV, "乙"): (0, 1),
        (MEDIATE, "丙"): (1, 1),
        (MEDIATE, "丁"): (0, 0),
        (MEDIATE, "甲（外组）"): (1, 1),
    }


def test_june_is_the_last_month_of_the_second_quarter() -> None:
    report = duty_report(GROUPS, duty_frame(), parse_period("2025-06"))
    assert report.quarter.code == "2025Q2"
    quarter = dict(zip(report.per_member["name"], report.per_member["quarter"], strict=True))
    assert quarter == {"甲": 1, "乙": 1, "丙": 0, "丁": 0}


def test_idle_and_group_totals_count_a_member_once_per_record() -> None:
    report = duty_report(GROUPS, duty_frame(), parse_period("2025-07"))
    totals = report.per_group.set_index("group")
    assert (totals.loc[ENV, "records"], totals.loc[ENV, "participations"]) == (1, 2)
    assert list(report.idle_members["name"]) == ["丙", "丁"]
    assert report.groups_without_record == [("东关村", MEDIATE)]
    september = duty_report(GROUPS, duty_frame(), parse_period("2025-09"))
    assert list(september.idle_members["name"]) == ["丁"]


def _duty_sheet(records) -> list[list]:
    rows = [["东关村党支部无职党员履岗记实台账"], ["活动时间", "参与党员", "履岗内容", "取得成效", "备注"]]
    return rows + [[day, names, "清扫", "干净", ""] for day, names in records]


def test_duty_prints_and_writes_each_members_counts(tmp_path: Path, invoke) -> None:
    folder = tmp_path / "东关村"
    write_book(folder / "名册.xlsx", {"名册": roster_rows(*[member(n) for n in ("甲", "乙", "丙", "丁", "书记")])})
    ledger = [["东关村党支部定岗编组台账"], ["编组名称", "组长", "姓名", "职责任务"]]
    ledger += [[g, names[0], n, g[:4]] for g, names in ((ENV, "甲乙"), (MEDIATE, "丙丁")) for n in names]
    write_book(folder / "定岗编组台账.xlsx", {"定岗编组": ledger})
    env = _duty_sheet([("2025.06.28", "甲、乙"), ("2025.07.03", "甲、甲、乙"), ("2025.08.10", "甲")])
    write_book(folder / "履岗记实.xlsx", {"环境": [["编组名称：环境卫生保护组"], *env]})
    result = invoke("duty", tmp_path, "--month", "2025-08")
    assert result.exit_code == 0, result.output
    assert "每人每组参加次数" in result.output and "2025年第三季度至今" in result.output
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in result.output.splitlines()]
    assert ["", "乙", "0", "1"] in cells and ["", "丁", "0", "0"] in cells
    book = openpyxl.load_workbook(tmp_path / "输出" / "2025-08" / "东关村" / "履岗参加次数统计.xlsx")
    sheet = [r for r in book["参加次数统计"].iter_rows(min_row=2, values_only=True) if any(r)]
    assert sheet[0] == ("小组", "党员", "2025年8月参加次数", "2025年第三季度至今参加次数")
    assert sorted(sheet[1:]) == sorted(
        [(ENV, "甲", 1, 2), (ENV, "乙", 0, 1), (MEDIATE, "丙", 0, 0), (MEDIATE, "丁", 0, 0)]
    )

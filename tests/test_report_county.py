"""The report upward: townships of a county, named after the workspace, skipped branches named."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document as Docx
from openpyxl import load_workbook

from conftest import entry, member, points_rows, roster_rows, write_book

TITLE = "2025年度党员积分定星工作情况报告"


def village(path: Path, name: str, bad_cell: bool = False) -> None:
    """A roster and a points ledger of branch `name`, both in the workbook at `path`."""
    value = "五分" if bad_cell else 5
    write_book(
        path,
        {
            "党员名册": roster_rows(member("王建国"), member("李秀英"), title=f"{name}党支部党员名册"),
            "积分台账": points_rows(
                entry("2025-03-01", "王建国", "贡献加分", "志愿服务", value), title=f"{name}党支部积分台账"
            ),
        },
    )


def county(tmp_path: Path, area: str | None = "渑池县") -> Path:
    """Three townships: 仰韶镇 keeps its villages as loose files, 城关镇 as village folders,
    张村乡 its only village as one loose file."""
    ws = tmp_path / "渑池县台账"
    village(ws / "仰韶镇" / "北梁村台账.xlsx", "北梁村")
    village(ws / "仰韶镇" / "南岭村台账.xlsx", "南岭村")
    village(ws / "城关镇" / "东关村" / "台账.xlsx", "东关村")
    village(ws / "张村乡" / "西村台账.xlsx", "西村")  # a township with one village, loose
    if area is not None:
        (ws / "dangyuan.toml").write_text(f'preset = "jiaozuo"\narea = "{area}"\n', "utf-8")
    return ws


def summary_rows(book: Path) -> list[tuple]:
    return [r for r in load_workbook(book)["汇总"].iter_rows(values_only=True)][2:]


def test_county_report_groups_villages_under_their_township(tmp_path: Path, invoke) -> None:
    ws = county(tmp_path)
    result = invoke("report", ws, "-p", "2025")
    assert result.exit_code == 0, result.output
    folder = ws / "输出" / "2025"
    assert sorted(p.name for p in folder.glob("*.xlsx")) == [f"渑池县{TITLE}.xlsx"]
    rows = summary_rows(folder / f"渑池县{TITLE}.xlsx")
    township = {r[1]: r[0] for r in rows}
    assert township["北梁村"] == township["南岭村"] == "仰韶镇"
    assert township["东关村"] == "城关镇"
    assert township["西村"] == "张村乡"
    assert rows[-1][1] == "总计"
    md = (folder / f"渑池县{TITLE}（内部资料）.md").read_text("utf-8")
    assert "中共渑池县委员会组织办" in md and "、" not in md.splitlines()[2]


def test_report_without_an_area_is_named_after_the_folder_and_left_unsigned(tmp_path: Path, invoke) -> None:
    ws = county(tmp_path, area=None)
    result = invoke("report", ws, "-p", "2025")
    assert result.exit_code == 0, result.output
    assert "未设置 area" in result.output
    md = (ws / "输出" / "2025" / f"渑池县台账{TITLE}（内部资料）.md").read_text("utf-8")
    assert "委员会组织办" not in md


def three_branches(tmp_path: Path) -> Path:
    ws = tmp_path / "城关镇"
    village(ws / "东关村" / "台账.xlsx", "东关村")
    village(ws / "北梁村" / "台账.xlsx", "北梁村", bad_cell=True)
    village(ws / "西河村" / "台账.xlsx", "西河村")
    (ws / "dangyuan.toml").write_text('preset = "jiaozuo"\narea = "城关镇"\n', "utf-8")
    return ws


def assert_names_skipped(folder: Path) -> None:
    md = (folder / f"城关镇{TITLE}（内部资料）.md").read_text("utf-8")
    assert "另有1个党支部未参加汇总：北梁村。" in md
    assert "北梁村：未参加汇总，原因：" in md and "五分" in md
    docx = Docx(str(folder / f"城关镇{TITLE}（内部资料）.docx"))
    assert any(p.text.startswith("北梁村：未参加汇总，原因：") for p in docx.paragraphs)
    book = load_workbook(folder / f"城关镇{TITLE}.xlsx")
    listed = [r for r in book["未参加汇总"].iter_rows(values_only=True)]
    assert listed[-1][0] == "北梁村" and "五分" in listed[-1][1]
    assert "北梁村" not in {r[1] for r in summary_rows(folder / f"城关镇{TITLE}.xlsx")}


def test_report_command_names_the_skipped_branch(tmp_path: Path, invoke) -> None:
    ws = three_branches(tmp_path)
    result = invoke("report", ws, "-p", "2025")
    assert result.exit_code == 1
    assert_names_skipped(ws / "输出" / "2025")


def test_run_report_names_the_skipped_branch(tmp_path: Path, invoke) -> None:
    ws = three_branches(tmp_path)
    result = invoke("run", ws, "-p", "2025", "--workers", "1")
    assert result.exit_code == 1
    folder = ws / "输出" / "2025"
    assert_names_skipped(folder)
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    assert {b["branch"]: b["status"] for b in summary["branches"]}["北梁村"] == "跳过"

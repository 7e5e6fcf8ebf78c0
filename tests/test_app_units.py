"""The app layer piece by piece: which branches `prepare` skips and why, the report's roll-up,
and the archive read back after `close` (issue 11: tests that teach where things happen)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import entry, member, points_rows, roster_rows, write_book
from dangyuan_cli.app import archive
from dangyuan_cli.app.compute import history_for, stars_for
from dangyuan_cli.app.context import StopRun, prepare, skip_reasons
from dangyuan_cli.core.periods import parse_period
from dangyuan_cli.core.problems import error
from dangyuan_cli.domain.report import roll_up

BRANCHES = ("东关村", "西河村")


def _workspace(root: Path) -> Path:
    for i, branch in enumerate(BRANCHES):
        write_book(
            root / branch / "党员名册.xlsx",
            {"党员名册": roster_rows(member(f"甲{i}"), member(f"乙{i}"), title=f"{branch}党支部党员名册")},
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


def _break(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100])  # a half-copied file: unreadable


# --- the skip logic (SPEC §2) -----------------------------------------------------------------


def test_prepare_skips_only_the_branch_whose_register_is_broken(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws")
    _break(root / "西河村" / "积分台账2025.xlsx")
    ctx = prepare(root)
    assert ctx.skipped == ["西河村"]
    assert set(ctx.members["branch"]) == {"东关村"} and set(ctx.entries["branch"]) == {"东关村"}
    assert all(p.file == "西河村/积分台账2025.xlsx" and p.severity == "error" for p in ctx.blocked["西河村"])
    reason = skip_reasons(ctx.problems, ctx.skipped)["西河村"]
    assert reason.startswith("西河村/积分台账2025.xlsx")
    assert ctx.has_errors  # the command exits 1 although 东关村 was computed


def test_prepare_skips_nothing_when_every_register_reads(tmp_path: Path) -> None:
    ctx = prepare(_workspace(tmp_path / "ws"))
    assert ctx.skipped == [] and not ctx.has_errors
    assert set(ctx.members["branch"]) == set(BRANCHES)


def test_strict_stops_everything_naming_the_errors(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws")
    _break(root / "西河村" / "积分台账2025.xlsx")
    with pytest.raises(StopRun) as stopped:
        prepare(root, strict=True)
    assert any(p.file == "西河村/积分台账2025.xlsx" for p in stopped.value.problems)


def test_a_broken_rules_file_stops_the_run_naming_the_file(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws")
    (root / "dangyuan.toml").write_text("[points\n", encoding="utf-8")
    with pytest.raises(StopRun) as stopped:
        prepare(root)
    assert stopped.value.problems and all(p.file == "dangyuan.toml" for p in stopped.value.problems)


# --- report.roll_up ---------------------------------------------------------------------------


def _row(township: str, branch: str, scored: int, average: float | None, before: float | None) -> dict:
    change = None if average is None or before is None else round(average - before, 1)
    return {
        "township": township,
        "branch": branch,
        "党员": scored + 1,
        "参加积分": scored,
        "平均积分": average,
        "上期平均": before,
        "变化": change,
        "五星": 1,
    }


def test_roll_up_adds_a_subtotal_per_township_and_a_total_weighted_by_scored_members() -> None:
    branches = pd.DataFrame(
        [
            _row("城关镇", "东关村", 10, 90.0, 80.0),
            _row("城关镇", "西河村", 30, 70.0, None),
            _row("河口乡", "北村", 20, 100.0, 100.0),
        ]
    )
    summary = roll_up(branches)
    assert list(summary["branch"]) == ["东关村", "西河村", "城关镇合计", "北村", "河口乡合计", "总计"]
    rows = summary.set_index("branch")
    assert rows.loc["城关镇合计", "党员"] == 11 + 31 and rows.loc["总计", "五星"] == 3
    assert rows.loc["城关镇合计", "平均积分"] == 75.0  # (10×90 + 30×70) / 40, not the mean of 90 and 70
    assert rows.loc["城关镇合计", "上期平均"] == 80.0  # only 东关村 had a previous period
    assert rows.loc["城关镇合计", "变化"] == -5.0
    assert rows.loc["总计", "平均积分"] == pytest.approx((900 + 2100 + 2000) / 60, abs=0.05)


def test_roll_up_of_one_branch_adds_no_subtotal() -> None:
    one = pd.DataFrame([_row("城关镇", "东关村", 10, 90.0, 80.0)])
    assert list(roll_up(one)["branch"]) == ["东关村"]


# --- the archive round trip ---------------------------------------------------------------------


def test_a_closed_year_reads_back_as_its_history_even_after_the_ledger_changes(tmp_path: Path, invoke) -> None:
    root = _workspace(tmp_path / "ws")
    year = parse_period("2025")
    computed = stars_for(prepare(root), year)
    assert invoke("close", root, "-p", "2025").exit_code == 0
    closed = archive.history(root, 2025)
    columns = ["branch", "member_id", "name", "total", "stars"]
    assert closed[columns].astype(object).equals(computed.reindex(columns=columns).astype(object))
    # a late edit of a closed year: next year's consequences still see the closed results
    write_book(
        root / "东关村" / "积分台账2025.xlsx",
        {"积分台账": points_rows(entry("2025-03-01", "甲0", "贡献加分", "志愿服务", 9), title="东关村党支部积分台账")},
    )
    ctx = prepare(root)
    assert history_for(ctx, 2026, 1)[2025][columns].equals(closed[columns])
    assert any("2025已结账" in p.message for p in ctx.problems)


def test_an_earlier_year_is_recomputed_only_for_the_branches_whose_ledgers_hold_it(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws")
    write_book(  # 2024 only in 东关村: 西河村 has no history, and is not scored for 2024 at all
        root / "东关村" / "积分台账2024.xlsx",
        {
            "积分台账": points_rows(
                entry("2024-03-01", "甲0", "违规扣分", "不参加组织生活", 50),
                entry("2024-05-01", "乙0", "贡献加分", "志愿服务", 8),
                title="东关村党支部积分台账",
            )
        },
    )
    ctx = prepare(root)
    past = history_for(ctx, 2025, 1)[2024]
    everyone = stars_for(ctx, parse_period("2024"))  # the whole part, as before the restriction
    columns = ["branch", "member_id", "total", "stars", "grade", "reason"]
    assert set(past["branch"]) == {"东关村"}
    expected = everyone[everyone["branch"] == "东关村"][columns].reset_index(drop=True)
    assert past[columns].reset_index(drop=True).equals(expected)
    assert expected["stars"].tolist() == [1, 3]  # 2024 itself: 50 off is 一星; 108 is 三星 (no 五星 quota of 2)


def test_closing_a_closed_period_again_needs_force_and_keeps_the_record(tmp_path: Path, invoke) -> None:
    root = _workspace(tmp_path / "ws")
    assert invoke("close", root, "-p", "2025").exit_code == 0
    record = (root / ".dangyuan" / "archive" / "2025.json").read_bytes()
    again = invoke("close", root, "-p", "2025")
    assert again.exit_code == 1
    assert "如需重新结账请加 --force" in again.output and "已有的结账记录未改动" in again.output
    assert (root / ".dangyuan" / "archive" / "2025.json").read_bytes() == record
    assert invoke("close", root, "-p", "2025", "--force").exit_code == 0


def test_an_error_of_no_branch_names_a_reason_for_every_branch_it_stops() -> None:
    shared = error("城关镇流动党员台账.xlsx", "流动党员", "", "文件无法读取")
    assert skip_reasons([shared], ["东关村", "西河村"]) == {
        "东关村": "城关镇流动党员台账.xlsx:流动党员: 文件无法读取",
        "西河村": "城关镇流动党员台账.xlsx:流动党员: 文件无法读取",
    }


def test_strict_in_a_batch_split_over_workers_prints_the_errors(township: Path, invoke) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from make_county import make_county

    make_county(township / "县", 10)  # enough branch folders for worker processes
    for folder in (township / "县").iterdir():
        folder.rename(township / folder.name)
    _break(township / "第003村" / "台账.xlsx")
    result = invoke("run", township, "-p", "2025", "--strict", "--workers", "2")
    assert result.exit_code == 1
    assert "第003村/台账.xlsx: 无法读取此文件" in result.output and "已停止，未生成任何文件" in result.output
    assert not (township / "输出" / "2025").exists()


def test_a_command_module_that_does_not_import_is_an_error_not_a_missing_command(monkeypatch) -> None:
    from dangyuan_cli.cli import app as cli_app

    monkeypatch.setattr(cli_app, "COMMANDS", ("votes",))  # a command listed but not (yet) written
    with pytest.raises(ModuleNotFoundError, match="votes_cmd"):
        cli_app._register()

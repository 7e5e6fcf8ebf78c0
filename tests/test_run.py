"""`dangyuan run`: reproducible, one at a time, never half-written, isolated, quiet under cron."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import shutil
import sys
import time
from pathlib import Path

import pytest

from conftest import entry, member, points_rows, roster_rows, write_book

SAMPLES = Path(__file__).resolve().parent.parent / "sample_ledgers"


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_year_end_writes_everything_quietly(township: Path, invoke) -> None:
    result = invoke("run", township, "--period", "2025")
    assert result.exit_code == 0
    assert result.output == ""  # no terminal, no -v: nothing to say on success
    folder = township / "输出" / "2025"
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    assert [b["branch"] for b in summary["branches"]] == ["东关村", "南岭社区", "西河村"]
    assert all(b["status"] == "完成" for b in summary["branches"])
    assert "城关镇2025年度党员积分定星工作情况报告.xlsx" in summary["report"]
    names = {p.name for p in (folder / "东关村").iterdir()}
    assert {
        "东关村党支部2025年度积分定星结果公示.docx",
        "东关村党支部2025年度无职党员定岗编组公布.html",
        "积分定星结果（内部资料）.xlsx",
    } <= names
    assert not list(township.rglob(".~tmp-*")) and not list((township / "输出").glob(".*"))


def test_two_runs_give_identical_bytes(township: Path, invoke) -> None:
    assert invoke("run", township, "--period", "2025", "--workers", "1").exit_code == 0
    first = digests(township / "输出" / "2025")
    time.sleep(1.1)  # a second later: any timestamp would show
    assert invoke("run", township, "--period", "2025", "--workers", "1").exit_code == 0
    assert digests(township / "输出" / "2025") == first


def test_parallel_and_serial_runs_agree(township: Path, invoke) -> None:
    # enough branch folders for the batch to split them over worker processes
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from make_county import make_county

    make_county(township / "县", 10)
    for folder in (township / "县").iterdir():
        shutil.move(folder, township / folder.name)
    from dangyuan_cli.app.batch import plan_parts
    from dangyuan_cli.registers.workspace import workbook_paths

    assert len(plan_parts(township, workbook_paths(township), 2)[0]) > 1
    assert (
        invoke("run", township, "--period", "2025", "--workers", "1", "--out", township / "输出" / "serial").exit_code
        == 0
    )
    assert (
        invoke("run", township, "--period", "2025", "--workers", "2", "--out", township / "输出" / "parallel").exit_code
        == 0
    )
    assert digests(township / "输出" / "serial") == digests(township / "输出" / "parallel")
    # a register kept in another branch's folder: the batch notices and runs in one piece
    shutil.copy(township / "东关村" / "积分台账2024.xls", township / "第001村" / "东关村积分台账2024.xls")
    assert (
        invoke("run", township, "--period", "2025", "--workers", "2", "--out", township / "输出" / "mixed").exit_code
        == 0
    )
    assert (
        invoke("run", township, "--period", "2025", "--workers", "1", "--out", township / "输出" / "mixed1").exit_code
        == 0
    )
    assert digests(township / "输出" / "mixed") == digests(township / "输出" / "mixed1")


def test_a_county_split_by_village_agrees_with_one_process(tmp_path: Path, invoke) -> None:
    # townships holding village folders and villages kept as loose files (the bench county's layout):
    # the batch splits a township into its villages so no worker holds a whole large township
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from real_county import make_real_county

    from dangyuan_cli.app.batch import plan_parts
    from dangyuan_cli.registers.workspace import workbook_paths

    root = tmp_path / "县"
    make_real_county(root, 40)
    for folder in [f for f in root.iterdir() if f.is_dir()]:  # "城关片": a township known by its villages only
        folder.rename(root / (folder.name[:-1] + "片"))
    plan, split = plan_parts(root, workbook_paths(root), 2)
    assert len(split) >= 5 and len(plan) > 1
    units = [u for _, own in plan for u in own or []]
    assert len(units) == len(set(units))  # each unit read by one part
    assert any(u.endswith("/") for u in units)  # a township's loose files stay together
    runs = {}
    for workers in ("1", "2"):
        out = tmp_path / "输出" / workers
        assert invoke("run", root, "-p", "2025", "--workers", workers, "--out", out).exit_code == 0
        runs[workers] = digests(out)
    assert runs["1"] == runs["2"]  # the report's townships too: a part seeing one village of a township


def _hold_lock(root: str, ready, release) -> None:
    from dangyuan_cli.app.lock import workspace_lock

    with workspace_lock(Path(root)):
        ready.set()
        release.wait(20)


def test_a_second_concurrent_run_exits_75(township: Path, invoke) -> None:
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(township), ready, release))
    holder.start()
    try:
        assert ready.wait(20)
        result = invoke("run", township, "--period", "2025")
        assert result.exit_code == 75
        assert f"进程{holder.pid}" in result.output
    finally:
        release.set()
        holder.join(20)
    assert invoke("run", township, "--period", "2025").exit_code == 0  # released: runs again


def test_a_dead_holder_leaves_no_stale_lock(township: Path, invoke) -> None:
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(township), ready, release))
    holder.start()
    assert ready.wait(20)
    holder.kill()  # killed while holding the lock
    holder.join(20)
    assert invoke("run", township, "--period", "2025").exit_code == 0


def test_a_run_killed_midway_leaves_old_outputs_whole(township: Path, invoke, monkeypatch) -> None:
    assert invoke("run", township, "--period", "2025", "--workers", "1").exit_code == 0
    before = digests(township / "输出" / "2025")
    import dangyuan_cli.publish.documents.render as render

    calls = {"n": 0}
    real = render.write_atomic

    def failing(path, data):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError("磁盘已满（模拟）")
        return real(path, data)

    monkeypatch.setattr(render, "write_atomic", failing)
    result = invoke("run", township, "--period", "2025", "--workers", "1")
    assert result.exit_code == 1 and "模拟" in result.output and "原有输出未改动" in result.output
    assert calls["n"] == 5
    assert digests(township / "输出" / "2025") == before
    assert not [
        p for p in (township / "输出").rglob("*") if p.name.startswith(".") and p.name != ".dangyuan-output.json"
    ]


def test_one_broken_branch_is_skipped_the_others_done(township: Path, invoke) -> None:
    from openpyxl import load_workbook

    book = township / "西河村" / "2025年党建台账汇总.xlsx"
    wb = load_workbook(book)
    wb["积分登记"]["E5"] = "五分"
    wb.save(book)
    result = invoke("run", township, "--period", "2025")
    assert result.exit_code == 1
    assert "已跳过：西河村" in result.output and "积分登记!E5" in result.output
    summary = json.loads((township / "输出" / "2025" / "summary.json").read_text("utf-8"))
    status = {b["branch"]: b["status"] for b in summary["branches"]}
    assert status == {"东关村": "完成", "南岭社区": "完成", "西河村": "跳过"}
    assert not (township / "输出" / "2025" / "西河村").exists()
    strict = invoke("run", township, "--period", "2025", "--strict", "--out", township / "输出" / "strict")
    assert strict.exit_code == 1 and not (township / "输出" / "strict").exists()


def test_month_and_quarter_runs(tmp_path: Path, invoke) -> None:
    write_book(
        tmp_path / "东关村" / "台账.xlsx",
        {
            "名册": roster_rows(member("甲"), member("乙")),
            "积分": points_rows(entry("2025-07-03", "甲", "贡献加分", "志愿服务", 2)),
        },
    )
    assert invoke("run", tmp_path, "--period", "2025-07").exit_code == 0
    assert (tmp_path / "输出" / "2025-07" / "东关村" / "东关村党支部2025年7月蓝黄红榜.docx").exists()
    assert invoke("run", tmp_path, "--period", "2025Q3").exit_code == 0
    assert (tmp_path / "输出" / "2025Q3" / "东关村" / "东关村党支部2025年第三季度党员积分排名公示.md").exists()
    assert invoke("run", tmp_path, "--period", "2025X").exit_code == 2


COMMANDS = [
    ["run", "-p", "2025"],
    ["score", "-p", "2025"],
    ["board", "--month", "2025-07"],
    ["board", "--quarter", "2025Q3"],
    ["stars", "-y", "2025"],
    ["consequences", "-y", "2025"],
    ["classify", "--as-of", "2025-12-31"],
    ["posts"],
    ["duty", "--month", "2025-07"],
    ["announce", "stars", "-p", "2025"],
    ["report", "-p", "2025"],
    ["close", "-p", "2025"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_an_empty_folder_is_a_clear_error_not_a_traceback(tmp_path: Path, runner, command: list[str]) -> None:
    from dangyuan_cli.cli.app import app

    args = (
        [command[0], str(tmp_path), *command[1:]]
        if command[0] != "announce"
        else ["announce", str(tmp_path), *command[1:]]
    )
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert "没有找到党员名册" in result.output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_blank_registers_from_init_run_every_command(tmp_path: Path, runner, command: list[str]) -> None:
    from dangyuan_cli.cli.app import app

    assert runner.invoke(app, ["init", str(tmp_path), "--branch", "东关村"]).exit_code == 0
    result = runner.invoke(app, [command[0], str(tmp_path), *command[1:]])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output


def test_month_run_bytes_are_identical_too(township: Path, invoke) -> None:
    # the month's 履岗记实台账 is written with openpyxl: its document times must be fixed as well
    assert invoke("run", township, "--period", "2025-07", "--workers", "1").exit_code == 0
    first = digests(township / "输出" / "2025-07")
    assert any(name.endswith("履岗记实台账.xlsx") for name in first)
    time.sleep(1.1)
    assert invoke("run", township, "--period", "2025-07", "--workers", "1").exit_code == 0
    assert digests(township / "输出" / "2025-07") == first

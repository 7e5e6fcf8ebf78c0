"""`run` never loses a user's file (issue 10: items 1–3, 13, 15, 16, the catch-all).

Every refusal asserts the user's bytes are still there afterwards, byte for byte.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import pathlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import entry, member, points_rows, roster_rows, write_book

MARKER = ".dangyuan-output.json"


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def hidden_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".staging", ".previous", ".lock")))


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "WS"
    write_book(
        root / "东关村" / "台账.xlsx",
        {
            "名册": roster_rows(member("甲"), member("乙")),
            "积分": points_rows(entry("2025-07-03", "甲", "贡献加分", "志愿服务", 2)),
        },
    )
    (root / "dangyuan.toml").write_text("# 规则：默认预设\n", "utf-8")
    return root


def run(invoke, ws: Path, *extra):
    return invoke("run", ws, "--period", "2025", "--workers", "1", *extra)


# --- item 1–3: an --out run may not replace ------------------------------------------------


def test_out_is_the_workspace_is_refused_and_nothing_is_touched(ws: Path, invoke) -> None:
    before = digests(ws)
    result = run(invoke, ws, "--out", ws)
    assert result.exit_code == 2
    assert "不能是工作目录本身" in result.output and str(ws) in result.output
    assert digests(ws) == before
    assert not (ws / MARKER).exists()


def test_out_containing_the_workspace_is_refused(ws: Path, invoke) -> None:
    before = digests(ws.parent)
    result = run(invoke, ws, "--out", ws.parent)
    assert result.exit_code == 2 and "包含工作目录" in result.output
    assert digests(ws.parent) == before


def test_out_inside_a_branch_folder_is_refused(ws: Path, invoke) -> None:
    result = run(invoke, ws, "--out", ws / "东关村" / "结果")
    assert result.exit_code == 2
    assert "存放台账的文件夹" in result.output and "台账.xlsx" in result.output
    assert not (ws / "东关村" / "结果").exists()


def test_out_that_is_an_existing_file_is_refused(ws: Path, tmp_path: Path, invoke) -> None:
    target = tmp_path / "成绩单.xlsx"
    target.write_bytes(b"user bytes \x00\x01")
    result = run(invoke, ws, "--out", target)
    assert result.exit_code == 2 and "已有的文件" in result.output
    assert target.read_bytes() == b"user bytes \x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["WS", "成绩单.xlsx"]  # no hidden .previous


def test_out_whose_parent_is_a_file_is_refused(ws: Path, tmp_path: Path, invoke) -> None:
    parent = tmp_path / "记录"
    parent.write_text("用户的文件", "utf-8")
    result = run(invoke, ws, "--out", parent / "2025")
    assert result.exit_code == 2 and "是一个文件" in result.output and "记录" in result.output
    assert parent.read_text("utf-8") == "用户的文件"


def test_a_non_empty_folder_run_did_not_create_is_refused(ws: Path, tmp_path: Path, invoke) -> None:
    folder = tmp_path / "我的文件"
    (folder / "子").mkdir(parents=True)
    (folder / "报告.docx").write_bytes(b"mine")
    (folder / "子" / "a.txt").write_bytes(b"also mine")
    before = digests(folder)
    result = run(invoke, ws, "--out", folder)
    assert result.exit_code == 2 and MARKER in result.output and "不是空的" in result.output
    assert digests(folder) == before and not (folder / MARKER).exists()


def test_an_empty_folder_is_taken_and_marked(ws: Path, tmp_path: Path, invoke) -> None:
    folder = tmp_path / "结果"
    folder.mkdir()
    assert run(invoke, ws, "--out", folder).exit_code == 0
    marker = json.loads((folder / MARKER).read_text("utf-8"))
    assert marker["period"] == "2025"
    assert marker["files"] == sorted(f for f in digests(folder) if f != MARKER)
    assert "summary.json" in marker["files"] and "run.log" in marker["files"]
    assert run(invoke, ws, "--out", folder).exit_code == 0  # marked: replaced the next time


def test_a_marked_folder_keeps_the_files_a_user_added(ws: Path, tmp_path: Path, invoke) -> None:
    folder = tmp_path / "结果"
    assert run(invoke, ws, "--out", folder).exit_code == 0
    (folder / "批注.txt").write_bytes("书记的批注".encode())
    (folder / "东关村" / "签字版.pdf").write_bytes(b"%PDF signed")
    (folder / "summary.json").write_bytes(b"edited by hand")  # a listed file: run's own, replaced
    result = run(invoke, ws, "--out", folder)
    assert result.exit_code == 0
    assert "2 项不是 dangyuan run 写入的" in result.output
    assert (folder / "批注.txt").read_bytes() == "书记的批注".encode()
    assert (folder / "东关村" / "签字版.pdf").read_bytes() == b"%PDF signed"
    assert json.loads((folder / "summary.json").read_text("utf-8"))["period"] == "2025"
    log = (folder / "run.log").read_text("utf-8")
    assert "保留：批注.txt" in log and "保留：东关村/签字版.pdf" in log
    assert "批注.txt" not in json.loads((folder / MARKER).read_text("utf-8"))["files"]
    assert hidden_leftovers(tmp_path) == []
    assert run(invoke, ws, "--out", folder).exit_code == 0  # kept again, still untouched
    assert (folder / "批注.txt").read_bytes() == "书记的批注".encode()


def test_the_default_folder_without_a_marker_keeps_every_file(ws: Path, invoke) -> None:
    # an older version, or another command, wrote here: nothing is refused, nothing is lost
    folder = ws / "输出" / "2025"
    (folder / "东关村").mkdir(parents=True)
    (folder / "笔记.txt").write_bytes(b"notes")
    (folder / "run.log").write_bytes(b"an old log")
    (folder / "东关村" / "积分定星结果（内部资料）.xlsx").write_bytes(b"hand-made workbook")
    (folder / "空文件夹").mkdir()
    result = run(invoke, ws)
    assert result.exit_code == 0
    assert (folder / "笔记.txt").read_bytes() == b"notes"
    assert (folder / "run（原有）.log").read_bytes() == b"an old log"
    assert (folder / "东关村" / "积分定星结果（内部资料）（原有）.xlsx").read_bytes() == b"hand-made workbook"
    assert (folder / "东关村" / "积分定星结果（内部资料）.xlsx").read_bytes()[:2] == b"PK"  # the new result
    assert (folder / "空文件夹").is_dir()
    assert "改名保留" in (folder / "run.log").read_text("utf-8")
    assert hidden_leftovers(ws / "输出") == []


def test_two_runs_over_a_kept_file_stay_byte_identical(ws: Path, invoke) -> None:
    (ws / "输出" / "2025").mkdir(parents=True)
    (ws / "输出" / "2025" / "笔记.txt").write_bytes(b"notes")
    assert run(invoke, ws).exit_code == 0
    first = digests(ws / "输出" / "2025")
    time.sleep(1.1)
    assert run(invoke, ws).exit_code == 0
    assert digests(ws / "输出" / "2025") == first


def test_recovery_never_deletes_a_file_the_marker_does_not_list(ws: Path, invoke) -> None:
    from dangyuan_cli.app.staging import recover

    assert run(invoke, ws).exit_code == 0
    final = ws / "输出" / "2025"
    # as if killed just after the swap: the replaced folder still beside the new one
    previous = final.with_name(".2025.previous")
    previous.mkdir()
    (previous / MARKER).write_text(json.dumps({"files": ["summary.json"]}), "utf-8")
    (previous / "summary.json").write_bytes(b"old summary")
    (previous / "用户.txt").write_bytes(b"user bytes")
    recover(final)
    assert not previous.exists()
    assert (final / "用户.txt").read_bytes() == b"user bytes"
    # killed between the two renames: the old folder comes back whole
    final.rename(previous)
    recover(final)
    assert (final / "用户.txt").read_bytes() == b"user bytes" and not previous.exists()


# --- item 13: the environment ----------------------------------------------------------------


def test_dot_dangyuan_being_a_file_puts_the_lock_beside_the_output(ws: Path, tmp_path: Path, invoke) -> None:
    (ws / ".dangyuan").write_bytes(b"not a folder")
    result = run(invoke, ws, "--out", tmp_path / "结果")
    assert result.exit_code == 0
    assert ".dangyuan" in result.output and "运行锁改放在" in result.output
    assert (ws / ".dangyuan").read_bytes() == b"not a folder"
    assert (tmp_path / "结果" / "summary.json").exists() and hidden_leftovers(tmp_path) == []
    assert run(invoke, ws).exit_code == 0  # the default folder: the lock goes beside it too
    assert (ws / "输出" / "2025" / "summary.json").exists() and hidden_leftovers(ws / "输出") == []


def _refuse_writes_below(monkeypatch, root: Path, code: int) -> None:
    """A read-only folder, for tests that run as root (chmod does not stop root)."""
    real_open, real_mkdir = os.open, pathlib.Path.mkdir

    def guarded(path) -> None:
        if Path(path).resolve().is_relative_to(root.resolve()):
            raise OSError(code, os.strerror(code), str(path))

    def fake_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            guarded(path)
        return real_open(path, flags, *args, **kwargs)

    def fake_mkdir(self, *args, **kwargs):
        if not self.is_dir():
            guarded(self)
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(pathlib.Path, "mkdir", fake_mkdir)


def test_a_read_only_workspace_is_one_sentence_exit_1(ws: Path, invoke, monkeypatch) -> None:
    _refuse_writes_below(monkeypatch, ws, errno.EROFS)
    result = run(invoke, ws)
    assert result.exit_code == 1
    assert "只读" in result.output and str(ws / ".dangyuan") in result.output
    assert "Traceback" not in result.output


def test_a_read_only_workspace_runs_with_out_elsewhere(ws: Path, tmp_path: Path, invoke, monkeypatch) -> None:
    before = digests(ws)
    _refuse_writes_below(monkeypatch, ws, errno.EACCES)
    result = run(invoke, ws, "--out", tmp_path / "结果")
    assert result.exit_code == 0, result.output
    assert "运行锁改放在" in result.output
    assert (tmp_path / "结果" / "summary.json").exists()
    assert digests(ws) == before and not (ws / ".dangyuan").exists()
    assert hidden_leftovers(tmp_path) == []  # the lock beside the output is removed afterwards


def test_a_read_only_out_parent_is_exit_2(ws: Path, tmp_path: Path, invoke, monkeypatch) -> None:
    parent = tmp_path / "只读"
    parent.mkdir()
    _refuse_writes_below(monkeypatch, parent, errno.EACCES)
    result = run(invoke, ws, "--out", parent / "结果")
    assert result.exit_code == 2
    assert "没有写入权限" in result.output and str(parent) in result.output
    assert list(parent.iterdir()) == []


def test_disk_full_is_one_sentence_and_the_old_outputs_stay(ws: Path, invoke, monkeypatch) -> None:
    assert run(invoke, ws).exit_code == 0
    before = digests(ws / "输出" / "2025")
    import dangyuan_cli.publish.files as files

    real = files.atomic_text

    def full(path):
        if path.name == "summary.json":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path)

    monkeypatch.setattr(files, "atomic_text", full)
    result = run(invoke, ws)
    assert result.exit_code == 1
    assert "磁盘空间不足" in result.output and "原有输出未改动" in result.output
    assert "Traceback" not in result.output
    assert digests(ws / "输出" / "2025") == before
    assert hidden_leftovers(ws / "输出") == []


# --- item 15: no staging folder left on any exit the process survives ------------------------


def test_ctrl_c_removes_the_staging_folder_and_exits_130(ws: Path, invoke, monkeypatch) -> None:
    assert run(invoke, ws).exit_code == 0
    before = digests(ws / "输出" / "2025")
    import dangyuan_cli.app.batch as batch

    def interrupted(job):
        assert job.staging.name == ".2025.staging" and job.staging.is_dir()
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "run_part", interrupted)
    result = run(invoke, ws)
    assert result.exit_code == 130
    assert "已中断，原有输出未改动" in result.output
    assert digests(ws / "输出" / "2025") == before and hidden_leftovers(ws / "输出") == []


def test_sigterm_removes_the_staging_folder(ws: Path, invoke, monkeypatch) -> None:
    import dangyuan_cli.app.batch as batch

    def terminated(job):
        (job.staging / "东关村").mkdir()
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends

    monkeypatch.setattr(batch, "run_part", terminated)
    result = run(invoke, ws)
    assert result.exit_code == 143 and "已中断" in result.output
    assert not (ws / "输出").exists() or hidden_leftovers(ws / "输出") == []
    assert signal.getsignal(signal.SIGTERM) is not None  # restored afterwards


def test_sigterm_to_a_real_run_with_workers_leaves_nothing_behind(township: Path) -> None:
    # enough branch folders for worker processes: they are ended before the staging folder goes
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from make_county import make_county

    make_county(township / "县", 10)
    for folder in (township / "县").iterdir():
        folder.rename(township / folder.name)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    args = [sys.executable, "-m", "dangyuan_cli", "run", str(township), "-p", "2025", "--workers", "2"]
    subprocess.run(args, env=env, check=True, capture_output=True)
    before = digests(township / "输出" / "2025")
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    staging = township / "输出" / ".2025.staging"
    deadline = time.monotonic() + 30
    while not staging.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if process.poll() is not None:
        pytest.skip("the run finished before it could be stopped")
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, err.decode()
    assert "已中断，原有输出未改动" in err.decode() and b"Traceback" not in err
    assert digests(township / "输出" / "2025") == before
    assert hidden_leftovers(township / "输出") == []


# --- item 16: the reader skips marked output folders ----------------------------------------


def test_check_does_not_read_results_written_inside_the_workspace(township: Path, invoke) -> None:
    before = invoke("check", township).output
    assert invoke("run", township, "-p", "2025", "--out", township / "结果").exit_code == 0
    assert (township / "结果" / MARKER).exists()
    after = invoke("check", township).output
    assert after.count("未识别") == before.count("未识别")
    assert "结果/" not in after


# --- the catch-all ---------------------------------------------------------------------------


def test_an_internal_error_is_one_line_exit_70_and_the_traceback_is_logged(ws: Path, monkeypatch, capsys) -> None:
    from dangyuan_cli.cli.app import main

    main_args = ["run", str(ws), "-p", "2025", "--workers", "1"]
    with pytest.raises(SystemExit) as first:
        main(main_args)
    assert first.value.code == 0
    import dangyuan_cli.app.batch as batch

    def broken(*args, **kwargs):
        raise RuntimeError("模拟的程序错误")

    monkeypatch.setattr(batch, "produce", broken)
    with pytest.raises(SystemExit) as stopped:
        main(main_args)
    assert stopped.value.code == 70
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    log = ws / "输出" / "2025" / "run.log"
    assert err.strip().splitlines() == [
        f"内部错误：RuntimeError: 模拟的程序错误，详细信息已写入 {log}，请把该文件发给维护人员"
    ]
    text = log.read_text("utf-8")
    assert "Traceback" in text and "模拟的程序错误" in text and "dangyuan run" in text
    assert hidden_leftovers(ws / "输出") == []


def test_an_internal_error_in_another_command_logs_in_the_workspace(ws: Path, monkeypatch, capsys) -> None:
    import dangyuan_cli.app.context as context
    from dangyuan_cli.cli.app import main

    def broken(*args, **kwargs):
        raise KeyError("列")

    monkeypatch.setattr(context, "prepare", broken)
    with pytest.raises(SystemExit) as stopped:
        main(["score", str(ws), "-p", "2025"])
    assert stopped.value.code == 70
    out, err = capsys.readouterr()
    log = ws / ".dangyuan" / "error.log"
    assert "Traceback" not in out + err and f"详细信息已写入 {log}" in err
    assert "KeyError" in log.read_text("utf-8") and "Traceback" in log.read_text("utf-8")


def test_run_help_names_the_out_rules_and_exit_codes(runner) -> None:
    from dangyuan_cli.cli.app import app

    text = runner.invoke(app, ["run", "--help"]).output
    assert "70" in text and "130" in text and "包含工作目录" in text


# --- found in review: one --out shared by two workspaces; --out on the single commands ----------


def test_a_second_run_into_the_same_out_waits_its_turn(ws: Path, tmp_path: Path, invoke) -> None:
    """Two workspaces run with one --out: the second must not clean up the first's staging folder
    (it did: the first then swapped in a half-written folder); it exits 75 and writes nothing."""
    from dangyuan_cli.app.lock import output_lock

    out = tmp_path / "共用输出"
    with output_lock(out):  # another run writing there right now
        result = run(invoke, ws, "--out", out)
    assert result.exit_code == 75, result.output
    assert not out.exists() and not list(tmp_path.glob(".共用输出.staging"))
    assert run(invoke, ws, "--out", out).exit_code == 0  # the lock is gone with its holder
    assert not list(tmp_path.glob(".共用输出.lock"))


@pytest.mark.parametrize("command", [["stars", "-p", "2025"], ["score", "-p", "2025"], ["classify", "-p", "2025"]])
def test_single_commands_never_write_into_a_users_folder(ws: Path, tmp_path: Path, invoke, command) -> None:
    folder = tmp_path / "docs"
    (folder / "东关村").mkdir(parents=True)
    (folder / "东关村" / "积分定星结果（内部资料）.xlsx").write_bytes(b"USER")
    before = digests(folder)
    result = invoke(command[0], ws, *command[1:], "--out", folder)
    assert result.exit_code == 2 and "不是空的" in result.output, result.output
    assert digests(folder) == before and not (folder / MARKER).exists()

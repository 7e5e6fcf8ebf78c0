"""`--json` always prints JSON on stdout (SPEC §12), whatever stops the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import entry, member, points_rows, roster_rows, write_book

COMMANDS = [("check",), ("score", "-p", "2025"), ("stars", "-y", "2025"), ("classify", "--as-of", "2025-12-31")]


def branch(ws: Path, bad_cell: bool = False) -> Path:
    write_book(ws / "东关村" / "党员名册.xlsx", {"党员名册": roster_rows(member("王建国"), member("李秀英"))})
    value = "五分" if bad_cell else 5
    rows = points_rows(entry("2025-03-01", "王建国", "贡献加分", "志愿服务", value))
    write_book(ws / "东关村" / "积分台账.xlsx", {"积分台账": rows})
    return ws


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_broken_rules_file_still_prints_json(tmp_path: Path, runner, command) -> None:
    from dangyuan_cli.cli.app import app

    ws = branch(tmp_path / "ws")
    (ws / "dangyuan.toml").write_text('preset = "jiaozuo"\n[points]\nbase_points = "abc"\n', "utf-8")
    result = runner.invoke(app, [command[0], str(ws), *command[1:], "--json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    if command[0] == "check":
        assert any(e["file"] == "dangyuan.toml" and "points.base_points" in e["message"] for e in data["errors"])
    else:
        assert data == []
        assert "points.base_points" in result.stderr


@pytest.mark.parametrize("command", COMMANDS[1:], ids=lambda c: c[0])
def test_no_roster_and_strict_stop_still_print_json(tmp_path: Path, runner, command) -> None:
    from dangyuan_cli.cli.app import app

    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, [command[0], str(empty), *command[1:], "--json"])
    assert result.exit_code == 1 and json.loads(result.stdout) == []
    strict = branch(tmp_path / "ws", bad_cell=True)
    result = runner.invoke(app, [command[0], str(strict), *command[1:], "--json", "--strict"])
    assert result.exit_code == 1 and json.loads(result.stdout) == []
    assert "五分" in result.stderr


def test_a_usage_error_under_json_prints_json_too(tmp_path: Path, runner) -> None:
    from dangyuan_cli.cli.app import app

    result = runner.invoke(app, ["score", str(branch(tmp_path / "ws")), "-p", "2025Q9", "--json"])
    assert result.exit_code == 2 and json.loads(result.stdout) == []

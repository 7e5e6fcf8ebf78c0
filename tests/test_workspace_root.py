"""Where the workspace is: from inside a branch folder, the rules and registers above are used."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import member, roster_rows, write_book


def stars_json(invoke, *args: str) -> list[dict]:
    result = invoke("stars", *args, "-y", "2025", "--json", "--no-write")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_stars_from_a_branch_folder_equal_those_from_the_root(township: Path, invoke, monkeypatch) -> None:
    everyone = stars_json(invoke, str(township))
    monkeypatch.chdir(township / "东关村")
    result = invoke("stars", "-y", "2025", "--json", "--no-write")
    assert result.exit_code == 0, result.output
    assert f"使用工作目录：{township.resolve()}（上级目录中有 dangyuan.toml）" in result.stderr
    here = json.loads(result.stdout)
    assert here == [r for r in everyone if r["branch"] == "东关村"] and here
    # dangyuan.toml rates 东关村 a five-star branch: its quota is larger than the default preset's
    alone = township.parent / "alone"
    (township / "东关村").rename(alone)
    monkeypatch.chdir(alone)
    assert [r["stars"] for r in stars_json(invoke, ".")] != [r["stars"] for r in here]


def test_an_explicit_branch_wins_over_the_folder(township: Path, invoke, monkeypatch) -> None:
    monkeypatch.chdir(township / "东关村")
    rows = stars_json(invoke, ".", "-b", "西河村")
    assert rows and {r["branch"] for r in rows} == {"西河村"}


def test_check_and_classify_from_a_branch_folder_see_township_registers(township: Path, invoke, monkeypatch) -> None:
    monkeypatch.chdir(township / "西河村")
    result = invoke("check")
    assert "城关镇流动党员与发展党员台账.xlsx" in result.stdout and "东关村" in result.stdout
    result = invoke("classify", "--as-of", "2025-12-31", "--json")
    assert result.exit_code == 0, result.output
    assert {r["branch"] for r in json.loads(result.stdout)} == {"西河村"}


def test_without_rules_above_the_folder_given_is_the_workspace(tmp_path: Path, invoke, monkeypatch) -> None:
    ws = tmp_path / "东关村"
    write_book(ws / "党员名册.xlsx", {"党员名册": roster_rows(member("王建国"))})
    monkeypatch.chdir(ws)
    result = invoke("stars", "-y", "2025", "--json", "--no-write")
    assert result.exit_code == 0 and "使用工作目录" not in result.stderr
    assert [r["name"] for r in json.loads(result.stdout)] == ["王建国"]
    assert invoke("stars", "nowhere", "-y", "2025").exit_code == 2


def test_init_in_a_subfolder_creates_it_there(township: Path, invoke) -> None:
    result = invoke("init", township / "新村", "-b", "新村")
    assert result.exit_code == 0, result.output
    assert (township / "新村" / "dangyuan.toml").exists()

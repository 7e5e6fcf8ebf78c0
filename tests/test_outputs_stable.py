"""Outputs that must not drift: the tree comparison a refactor is checked with, and two code paths
that write the same 公示 and report — the period-end batch (`run`, branch by branch in parts) and
the single commands (`announce`, `report`, one context) — agreeing byte for byte.

Why not a golden digest list: .xlsx/.docx bytes move with openpyxl/xlsxwriter/docxtpl versions,
so a stored list would fail on a library upgrade, not on a change of ours. Before/after a
refactor, run both commits and `python scripts/compare_runs.py OLD NEW` (README, issue 11).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "compare_runs.py"


def compare(old: Path, new: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(old), str(new)], capture_output=True, text=True)


def test_compare_runs_names_each_differing_file(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for tree in (old, new):
        (tree / "东关村").mkdir(parents=True)
        (tree / "东关村" / "公示.docx").write_bytes(b"same")
        (tree / ".dangyuan-output.json").write_text("{}")
    assert compare(old, new).returncode == 0 and compare(old, new).stdout == ""
    (new / "东关村" / "公示.docx").write_bytes(b"changed")
    (old / "run.log").write_text("only old")
    (new / ".dangyuan-output.json").write_text('{"files": []}')
    found = compare(old, new)
    assert found.returncode == 1
    assert found.stdout.splitlines() == [
        f"only in {old}: run.log",
        "differs: .dangyuan-output.json",
        "differs: 东关村/公示.docx",
    ]
    assert compare(old, tmp_path / "missing").returncode == 2


@pytest.mark.parametrize(
    ("period", "commands"),
    [
        ("2025", [["announce", "stars"], ["announce", "groups"], ["announce", "consequences"], ["report"]]),
        ("2025Q3", [["announce", "ranking"]]),
        ("2025-07", [["announce", "board"]]),
    ],
)
def test_the_batch_and_the_single_commands_write_the_same_bytes(
    township: Path, invoke, tmp_path: Path, period: str, commands: list[list[str]]
) -> None:
    batch, single = tmp_path / "batch", tmp_path / "single"
    assert invoke("run", township, "-p", period, "--out", batch).exit_code == 0
    for command in commands:
        name, *kind = command
        assert invoke(name, township, *kind, "-p", period, "--out", single).exit_code == 0
    written = sorted(p.relative_to(single) for p in single.rglob("[!.]*") if p.is_file())  # not the marker
    assert len(written) >= 3  # every branch's notice at least
    assert [p for p in written if (batch / p).read_bytes() != (single / p).read_bytes()] == []

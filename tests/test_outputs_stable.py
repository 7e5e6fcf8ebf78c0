"""Outputs that must not drift: the tree comparison a refactor is checked with, and two code paths
that write the same 公示 and report — the period-end batch (`run`, branch by branch in parts) and
the single commands (`announce`, `report`, one context) — agreeing byte for byte.

The golden list pins what a clerk sees in every output of the samples (issue 15: optimising
changes no output): `scripts/dump_outputs.py` turns each .xlsx/.docx into text that does not move
with openpyxl/xlsxwriter/docxtpl versions (cells, styles, merges, print set-up; paragraphs and
table rows), our own .html/.md/.json/.log as they are, and the list holds a digest per file.
After a deliberate change of an output, review `dump_outputs.py TREE --full FILE` before and after
and rewrite the list with `python scripts/dump_outputs.py --golden`. Bytes themselves are compared
between two commits with `python scripts/compare_runs.py OLD NEW` (README, issue 11).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "compare_runs.py"
sys.path.insert(0, str(SCRIPT.parent))
from dump_outputs import GOLDEN, sample_outputs  # noqa: E402


def test_every_sample_output_is_what_the_reviewed_list_says(tmp_path: Path) -> None:
    expected = GOLDEN.read_text(encoding="utf-8").splitlines()
    found = sample_outputs(SCRIPT.parent.parent / "sample_ledgers", tmp_path)
    assert [line for line in found if line not in expected] == []  # a changed or new output
    assert [line for line in expected if line not in found] == []  # a changed or missing one


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

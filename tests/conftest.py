"""Shared test helpers: workbooks built from row literals in tmp_path, a stable CLI runner."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

os.environ.setdefault("COLUMNS", "200")
os.environ.setdefault("NO_COLOR", "1")
os.environ.setdefault("TERM", "dumb")

ROSTER_HEADER = [
    "编号",
    "姓名",
    "性别",
    "出生年月",
    "入党时间",
    "人员类别",
    "职务",
    "联系方式",
    "身体状况",
    "免于积分",
]
POINTS_HEADER = ["日期", "姓名", "积分类型", "事项", "分值", "认定", "状态", "撤销原因"]


def write_book(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """A workbook whose sheets hold exactly these rows (None = empty cell)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    cell = ws.cell(r, c, value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # the clerk typed text that looks like a formula
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def member(name: str, born: str = "1980.5", joined: str = "2005.7", kind: str = "正式党员", **extra: object) -> list:
    row = {"编号": "", "姓名": name, "性别": "男", "出生年月": born, "入党时间": joined, "人员类别": kind}
    row.update(extra)
    return [row.get(h, "") for h in ROSTER_HEADER]


def roster_rows(*members: list, title: str = "东关村党支部党员名册") -> list[list]:
    return [[title], ROSTER_HEADER, *members]


def entry(date: str, name: str, kind: str, item: str, value: object = None, status: str = "", reason: str = "") -> list:
    return [date, name, kind, item, value, "支委会", status, reason]


def points_rows(*entries: list, title: str = "东关村党支部积分台账") -> list[list]:
    return [[title], POINTS_HEADER, *entries]


SAMPLES = Path(__file__).resolve().parent.parent / "sample_ledgers"
# the cases scripts/make_samples.py planted in the samples (who, where, which dates): tests name
# them from here, never by repeating a name or a count
MANIFEST = json.loads((SAMPLES / "manifest.json").read_text("utf-8"))


@pytest.fixture
def township(tmp_path: Path) -> Path:
    """A copy of the sample township to run commands on (outputs and archive left behind)."""
    target = tmp_path / "城关镇"
    shutil.copytree(SAMPLES, target, ignore=shutil.ignore_patterns("输出", ".dangyuan"))
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner):
    from dangyuan_cli.cli.app import app

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run

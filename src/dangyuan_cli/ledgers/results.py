"""Results workbooks: one styled, print-ready workbook per branch and command."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dangyuan_cli.ledgers.xlsx import Block, new_workbook, save_atomic, write_sheet


@dataclass
class ResultSheet:
    name: str
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    notes: Sequence[str] = ()


def write_results(path: Path, sheets: Sequence[ResultSheet]) -> Path:
    wb = new_workbook()
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name[:31])
        write_sheet(ws, sheet.title, [Block(sheet.header, sheet.rows, (), sheet.notes)])
    save_atomic(wb, path)
    return path

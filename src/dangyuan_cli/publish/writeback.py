"""Write computed values back into a *copy* of a register (the input is never touched).

Used by `classify --write-roster`: the roster workbook is copied to the output folder and a
column 党员分类 is added beside the header, one value per member row.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import load_workbook

from dangyuan_cli.publish.xlsx import set_text


def add_column_to_copy(
    source: Path, target: Path, sheet: str, header_row: int, title: str, values: dict[int, str]
) -> Path:
    """Copy `source` to `target` and add a column `title` after the last header cell of `sheet`,
    filled from `values` (sheet row number → text)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    wb = load_workbook(target)
    ws = wb[sheet]
    column = max((c.column for c in ws[header_row] if c.value not in (None, "")), default=0) + 1
    set_text(ws.cell(header_row, column), title)
    ws.cell(header_row, column)._style = ws.cell(header_row, max(column - 1, 1))._style
    for row, value in values.items():
        set_text(ws.cell(row, column), value)
    wb.save(target)
    return target

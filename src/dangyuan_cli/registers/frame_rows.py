"""The shared steps of building a frame from register rows (`frames`, `member_frames`): walk a
register's rows of the branches not skipped, find the member a row names, and locate a value's cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd

from dangyuan_cli.registers import values as v
from dangyuan_cli.registers.members import Member
from dangyuan_cli.registers.recognize import Row, Table
from dangyuan_cli.registers.workspace import Workspace


def date_of(value: object):
    """The date of a parsed date cell, None for anything else (blank, unparsed)."""
    return value.date if isinstance(value, v.DateValue) else None


def located(table: Table, row: Row, column: str) -> dict[str, object]:
    """The location columns of a frame row: the row, and the cell of `column` in it."""
    return {"file": table.file, "sheet": table.sheet, "row": row.sheet_row, "cell": row.cell(column)}


def rows_of(ws: Workspace, key: str, skip: set[str]) -> Iterator[tuple[Table, Row, str]]:
    """(table, row, branch) for every row of register `key` in a branch not skipped."""
    for table in ws.tables_of(key):
        for row in table.rows:
            branch = table.branch_of(row)
            if branch not in skip:
                yield table, row, branch


def member_frame(
    ws: Workspace,
    key: str,
    skip: set[str],
    columns: list[str],
    shape: Callable[[Table, Row, Member], dict[str, object]],
) -> pd.DataFrame:
    """One frame row per row of register `key` that names a known member of a branch not skipped."""
    found = []
    for table in ws.tables_of(key):
        for row in table.rows:
            member = ws.names.member(table, row)
            if member is not None and member.branch not in skip:
                found.append(shape(table, row, member))
    return pd.DataFrame(found, columns=columns)


def cell_or(row: Row, column: str, fallback: str) -> str:
    """The cell of `column`, or of `fallback` when the sheet has no such column."""
    return row.cell(column) if row.has_column(column) else row.cell(fallback)


def located_or(table: Table, row: Row, column: str, fallback: str) -> dict[str, object]:
    """`located` at `column`, or at `fallback` when the sheet has no such column."""
    return located(table, row, column if row.has_column(column) else fallback)


def group_of(row: Row) -> str:
    """The 编组名称 of a row, written in it or in the block heading above it."""
    return row.values.get("编组名称") or row.context.get("编组名称", "")


def member_keys(member: Member) -> dict[str, str]:
    """The columns naming a member in every member frame: branch, internal key, name."""
    return {"branch": member.branch, "member_id": member.member_id, "name": member.name}

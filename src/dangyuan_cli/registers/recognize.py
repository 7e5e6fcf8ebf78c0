"""Read the registers in a sheet: find the header (`headers`), then parse each data row's cells.

Input is a sheet as a list of rows of raw cell values (as the fast reader returns them);
output is `Table`s of parsed rows plus located problems. No IO here.
"""

from __future__ import annotations

from dataclasses import dataclass

from dangyuan_cli.core.problems import Problem, error, warning
from dangyuan_cli.registers import values as v
from dangyuan_cli.registers.branches import branch_key
from dangyuan_cli.registers.headers import (
    FOOT,
    HEADER_SCAN_ROWS,
    LABEL_FIRST_CHARS,
    HeaderMatch,
    first_data_row,
    first_filled,
    match_header,
    near_miss_message,
    read_context,
    texts_of,
    title_of,
)
from dangyuan_cli.registers.rows import Row, make_plan, parse_block
from dangyuan_cli.registers.schema import Register


@dataclass
class Table:
    """One register found in one sheet."""

    register: Register
    file: str
    sheet: str
    header_row: int
    title: str
    rows: list[Row]
    columns: dict[str, str]  # canonical → column letter
    branch: str = ""  # from the title, else the folder (set by the workspace reader)

    def branch_of(self, row: Row) -> str:
        """The row's branch: its 党支部 cell (a township-wide register), else the table's."""
        written = row.values.get("党支部")
        if isinstance(written, str) and written.strip():
            return branch_key(written)
        return self.branch


def _header_marks(cells: list[object], header: HeaderMatch) -> list[tuple[int, object]]:
    """The first two header cells: a row repeating them is a repeated header (a new block)."""
    return [(i, cells[i]) for i in sorted(header.columns)[:2]]


def read_tables(rows: list[list[object]], file: str, sheet: str) -> tuple[list[Table], list[Problem]]:
    """Every register in one sheet, with the problems of its cells."""
    problems: list[Problem] = []
    if not any(texts_of(r) for r in rows):
        return [], [warning(file, sheet, "", "工作表为空，已跳过")]

    first: tuple[int, HeaderMatch] | None = None
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        match = match_header(cells)
        if match:
            first = (index, match)
            break
    if first is None:
        non_empty = [t for r in rows for t in texts_of(r)]
        data = first_data_row(rows)
        if data is not None:  # rows of values with no header above them: a register that lost its header
            title = title_of(rows, data)
            return [], [
                error(
                    file,
                    sheet,
                    f"A{data + 1}",
                    "像是台账数据，但前30行中找不到表头（如“日期、姓名、积分类型、事项”或“姓名、出生年月、入党时间”）；"
                    "请补上表头行，此表的数据未读取",
                    branch_key(title) if title else "",
                )
            ]
        if len(non_empty) == 1:
            msg = f"只有标题“{non_empty[0]}”，没有表头和数据，已跳过"
        else:
            msg = "未识别为任何台账：前30行中找不到表头（如“姓名、出生年月、入党时间”），已跳过"
        return [], [warning(file, sheet, "", msg)]

    header_index, header = first
    register = header.register
    if not header.complete:
        title = title_of(rows, header_index)
        return [], [
            error(
                file,
                sheet,
                f"A{header_index + 1}",
                near_miss_message(header),
                branch_key(title) if title else "",
            )
        ]
    title = title_of(rows, header_index)
    context: dict[str, str] = {}
    for cells in rows[:header_index]:
        found = read_context(cells)
        if found:
            context.update(found)

    table = Table(register, file, sheet, header_index + 1, title, [], _letters(header))
    tables = [table]
    marks = _header_marks(rows[header_index], header)
    plan = make_plan(header)
    columns = header.columns
    mark_index, mark_text = marks[0] if marks else (0, None)
    block: list[tuple[int, list[object], dict[str, str]]] = []  # the data rows under one header
    for index in range(header_index + 1, len(rows)):
        cells = rows[index]
        first = cells[0] if cells else None  # most rows start in column A: no call to find it
        if first.__class__ is str:
            if not first.strip():
                first = first_filled(cells)
        elif first is None:
            first = first_filled(cells)
        if first is None:
            continue
        # the first header cell compared first: a data row is told from a repeated header at once
        if (not marks or (mark_index < len(cells) and cells[mark_index] == mark_text)) and all(
            i < len(cells) and cells[i] == text for i, text in marks
        ):
            again = match_header(cells)
            if again and again.register is register and again.complete:
                header = again  # a repeated header starts the next block
                marks = _header_marks(cells, header)
                mark_index, mark_text = marks[0] if marks else (0, None)
                if header.columns != columns:  # the same columns again: one block goes on (parsed at once)
                    parse_block(block, plan, file, sheet, table.rows, problems)
                    block = []
                    columns = header.columns
                    plan = make_plan(header)
                    table.columns.update(plan.letters)
                continue
        if first.__class__ is str:
            # only a line starting like a label (编组名称、组长、时间…) can be a context line
            found = read_context(cells, first) if first.lstrip()[:1] in LABEL_FIRST_CHARS else None
            if found:
                if "编组名称" in found:  # a new group block: its leaders are its own
                    context = {k: val for k, val in context.items() if k not in ("包组干部", "组长")}
                context = {**context, **found}  # a new dict: the rows above keep theirs (rows share one)
                continue
            if FOOT.search(first):  # `is_foot`, without a call per row
                continue
        block.append((index, cells, context))
    parse_block(block, plan, file, sheet, table.rows, problems)
    return tables, problems


def _letters(header: HeaderMatch) -> dict[str, str]:
    return {name: v.column_letter(i) for i, name in header.columns.items()}

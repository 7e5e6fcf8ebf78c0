"""Blank registers for `init`: one styled workbook per register, in the seeds' layouts."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dangyuan_cli.publish.xlsx import Block, new_workbook, save_atomic, write_sheet

BLANK_ROWS = 30


def _block(register: Any) -> Block:
    header = [
        "序号",
        *[c.name for c in register.columns if c.name not in ("编组名称", "包组干部", "组长", "党支部")],
    ]
    dropdowns = {c.name: tuple(c.choices) for c in register.columns if c.choices}
    dropdowns.update({c.name: ("是", "否") for c in register.columns if c.kind == "flag"})
    context: tuple[str, ...] = ()
    foot: tuple[str, ...] = ()
    if register.key == "groups":  # seed 004 附件2
        context = ("编组名称：", "包组干部：", "组长：")
    elif register.key == "duty":  # seed 004 附件3
        context = ("编组名称：                              时间：    年  月  日",)
        foot = (
            "组长签字：                              包组干部签字：",
            "注：开展活动要注意保留照片等资料。",
        )
    rows = [[i] + [""] * (len(header) - 1) for i in range(1, BLANK_ROWS + 1)]
    return Block(header, rows, context, foot, 0, dropdowns)


def write_blank_registers(folder: Path, branch: str, registers: Iterable[Any]) -> list[Path]:
    """Write each register's blank workbook into `folder`; existing files are left alone.

    `registers` is the reader's schema (`registers.schema.REGISTERS`), handed in by the command:
    a writer never imports the reading side (the import contract in pyproject.toml)."""
    written = []
    for register in registers:
        path = folder / f"{register.title}.xlsx"
        if path.exists():
            continue
        wb = new_workbook()
        ws = wb.create_sheet(register.title)
        title = f"{branch}党支部{register.title}" if branch else register.title
        if register.key in ("posts", "groups", "duty"):
            title = f"{branch}无职党员{register.title}" if branch else f"无职党员{register.title}"
        write_sheet(ws, title, [_block(register)], widths={"A": 6})
        save_atomic(wb, path)
        written.append(path)
    return written

"""What the terminal shows is rich's own layout, byte for byte (issue 15): `check` and the other
commands draw their tables with each column measured on a few stand-in cells and each distinct
cell rendered once, and print the problems in one call — tested here against rich's plain Table
and one print per line, over many random tables and terminal widths, with and without colour."""

from __future__ import annotations

import io
import random

import pytest
from rich.console import Console
from rich.table import Table

from dangyuan_cli.cli import render
from dangyuan_cli.core.problems import UNLISTED, Problem, warning

CELLS = [
    "",
    "0",
    "12",
    "2025-07-01",
    "东关村",
    "党支部",  # also a header: the same text in bold
    "积分台账",
    "党员积分台账",
    "城关镇/东关村/东关村党支部积分台账2025.xlsx",
    "一编三定台账.xlsx",
    "an ASCII cell with words",
    "混合 mixed 单元格 with spaces",
    "[bold]像标记的文字[/bold]",
    "[红]",
    "a]b[c",
    "时间 12:30",
    ":thumbs_up: 点赞",
    "多行\n单元格",
    "制表\t符",
    "欧阳娜娜、司马相如、张秀英、李明、王建国、赵六、钱七、孙八、周九、吴十",
    "x" * 70,
    "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长",
    "  前后空格  ",
    "é",  # a combining accent: no display width of its own
    "１２３",  # full-width digits
]
HEADERS = ["文件", "工作表", "台账", "党支部", "行数", "说明", "理由", "name", "事项"]


class _RichTable(Table):
    """rich's Table as it is: every cell measured and rendered (the stand-in `twin` unused)."""

    twin = None


def _printed(shown: object, width: int, colour: bool) -> str:
    options = {"force_terminal": True, "color_system": "truecolor"} if colour else {}
    out = Console(width=width, file=io.StringIO(), highlight=False, soft_wrap=True, **options)
    out.print(shown)
    return out.file.getvalue()


def _random_table(rng: random.Random) -> tuple[list[str], list[list[object]]]:
    header = rng.sample(HEADERS, rng.randint(1, 7))
    pool = [rng.choice(CELLS) for _ in range(rng.randint(1, 12))]  # few distinct cells, repeated
    rows = [[rng.choice(pool) if rng.random() < 0.8 else rng.choice(CELLS) for _ in header] for _ in range(40)]
    if rng.random() < 0.3:
        rows = [
            [rng.randint(0, 10 ** rng.randint(0, 14)) if i == len(r) - 1 else c for i, c in enumerate(r)] for r in rows
        ]
    return header, rows[: rng.randint(0, 40)]


@pytest.mark.parametrize("seed", range(40))
def test_a_table_prints_as_rich_prints_it(monkeypatch, seed: int) -> None:
    rng = random.Random(seed)
    header, rows = _random_table(rng)
    for width in (24, 40, 60, 80, 120, 200):
        colour = rng.random() < 0.5
        fast = _printed(render.table("已识别的台账", header, rows, width=width), width, colour)
        with monkeypatch.context() as m:
            m.setattr(render, "_MeasuredTable", _RichTable)
            plain = _printed(render.table("已识别的台账", header, rows, width=width), width, colour)
        assert fast == plain, (seed, width, header)
        assert len(fast.splitlines()) >= len(rows) + 4  # title, three rules, a line per row at least


def test_a_county_table_repeats_cells_and_still_prints_every_row(monkeypatch) -> None:
    header = ["文件", "工作表", "台账", "党支部", "行数"]
    rows = [
        [f"城关镇/第{i % 9}村/积分台账{i}.xlsx", "积分台账", "党员积分台账", f"第{i % 9}村", i % 400]
        for i in range(600)
    ]
    for width in (60, 80, 120):
        fast = _printed(render.table("已识别的台账", header, rows, width=width), width, False)
        with monkeypatch.context() as m:
            m.setattr(render, "_MeasuredTable", _RichTable)
            plain = _printed(render.table("已识别的台账", header, rows, width=width), width, False)
        assert fast == plain
        assert fast.count("积分台账") >= 600


@pytest.mark.parametrize("odd", ["[bold]标记[/bold]", ":thumbs_up:", "a\tb", "两个 词"])
def test_a_cell_rich_reads_as_markup_or_emoji_is_measured_as_rich_shows_it(monkeypatch, odd: str) -> None:
    rows = [[odd, 1], ["东关村", 2], ["东关村党", 3]]
    for width in (12, 20, 80):
        fast = _printed(render.table("表", ["党支部", "行数"], rows, width=width), width, False)
        with monkeypatch.context() as m:
            m.setattr(render, "_MeasuredTable", _RichTable)
            plain = _printed(render.table("表", ["党支部", "行数"], rows, width=width), width, False)
        assert fast == plain, (odd, width)


def test_a_narrow_terminal_caption_prints_as_rich_prints_it(monkeypatch) -> None:
    header = [f"列{i}" for i in range(20)]
    rows = [[f"值{i}{j}" for i in range(20)] for j in range(5)]
    fast = _printed(render.table("宽表", header, rows, width=40), 40, True)
    with monkeypatch.context() as m:
        m.setattr(render, "_MeasuredTable", _RichTable)
        plain = _printed(render.table("宽表", header, rows, width=40), 40, True)
    assert fast == plain and "终端太窄" in fast


def _problems(rng: random.Random) -> list[Problem]:
    messages = ["缺少姓名", "[bold]不是标记[/]", "路径 C:\\台账\\", "以反斜杠结尾\\", ":smile: 不是表情", "制表\t符"]
    found = []
    for i in range(300):
        message = rng.choice(messages)
        if rng.random() < 0.5:
            item = rng.choice(["义务清扫", "[帮扶]", "防汛:值班"])
            found.append(
                Problem(
                    "积分台账.xlsx",
                    "积分台账",
                    f"D{i}",
                    message,
                    "warning",
                    f"村{i % 3}",
                    (UNLISTED, item, "贡献加分", 2.0),
                )
            )
        elif rng.random() < 0.5:
            found.append(warning(f"台账{i % 4}.xlsx", "名册", f"B{i}", message, f"村{i % 3}"))
        else:
            found.append(Problem(f"台账{i % 4}.xlsx", "名册", f"C{i % 7}", message, "error"))
    return found


@pytest.mark.parametrize("colour", [False, True])
def test_problems_print_as_one_print_per_line_would(monkeypatch, colour: bool) -> None:
    problems = _problems(random.Random(7))
    options = {"force_terminal": True, "color_system": "truecolor"} if colour else {}
    out = Console(width=60, file=io.StringIO(), highlight=False, soft_wrap=True, **options)
    monkeypatch.setattr(render, "console", out)
    assert render.print_problems(problems) == (
        len({p for p in problems if p.severity == "error"}),
        len({p for p in problems if p.severity == "warning"}),
    )
    printed = out.file.getvalue()
    expected = Console(width=60, file=io.StringIO(), highlight=False, soft_wrap=True, **options)
    errors = [p for p in dict.fromkeys(problems) if p.severity == "error"]
    warnings = [p for p in dict.fromkeys(problems) if p.severity == "warning"]
    for title, lines, count, style in (
        ("错误", render.grouped_lines(errors), len(errors), "red"),
        ("提示", render.warning_lines(warnings), len(warnings), "yellow"),
    ):
        expected.print(f"[bold {style}]{title} {count} 项[/]")
        for line in lines:
            expected.print(f"  [{style}]•[/] {render.escape(line)}", soft_wrap=True)
    render.print_items_snippet(warnings, expected)
    assert printed == expected.file.getvalue()
    assert "[bold]不是标记[/]" in printed and "以反斜杠结尾\\" in printed

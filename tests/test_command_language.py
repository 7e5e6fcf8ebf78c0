"""One command language (issue 14): -p everywhere, Chinese from Click too, help that wraps,
-b as the clerk writes it, tables that never cut data, one output layout."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
import typer.main
from rich.cells import cell_len
from typer.core import TyperArgument, TyperOption

from dangyuan_cli.cli import render
from dangyuan_cli.cli.app import COMMANDS, app
from dangyuan_cli.publish.documents.kinds import KINDS

PERIOD_FLAGS = {"--year", "--month", "--quarter", "--as-of", "--period"}
NO_PERIOD = {"init", "check"}  # they work on the registers as they are, not on a period


def commands() -> dict:
    """The registered commands (other modules add theirs to COMMANDS; all are checked)."""
    group = typer.main.get_command(app)
    return {name: group.commands[name] for name in COMMANDS}


@pytest.fixture
def narrow(monkeypatch):
    """The program's consoles as on an 80-column terminal."""
    monkeypatch.setattr(render.console, "width", 80)
    monkeypatch.setattr(render.err_console, "width", 80)


def test_every_period_command_takes_p(runner) -> None:
    for name, command in commands().items():
        opts = {o for p in command.params for o in getattr(p, "opts", [])}
        if name not in NO_PERIOD or opts & PERIOD_FLAGS:
            assert {"-p", "--period"} <= opts, f"{name} lacks -p/--period"


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_help_wraps_at_80_columns_in_chinese(runner, name: str) -> None:
    result = runner.invoke(app, [name, "--help"] if name else ["--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    text = result.output
    assert "…" not in text
    assert all(cell_len(line) <= 80 for line in text.splitlines()), text
    for english in ("Usage", "Options", "Arguments", "Commands", "Show this message", "<bool>", "<str>", "[default"):
        assert english not in text, (name, english)
    assert "用法：dangyuan" in text


def _usage_errors(name: str, command, folder: Path) -> list[list[str]]:
    """Every kind of mistake the command line can hold, for this command."""
    ws = str(folder)
    tries = [[name, ws, "--no-such-option"], [name, ws, "x", "y", "z"], [name, ws]]
    for p in command.params:
        if isinstance(p, TyperOption):
            flag = next(o for o in p.opts if o.startswith("--"))
            if p.is_flag:
                tries.append([name, ws, f"{flag}=1"])
            else:
                tries.append([name, ws, flag])  # the value missing
                if p.type_descriptor.annotation in (int, int | None):
                    tries.append([name, ws, flag, "abc"])
        elif isinstance(p, TyperArgument) and p.required:
            tries.append([name])
    return tries


def test_every_usage_error_is_chinese(runner, tmp_path: Path) -> None:
    group = commands()
    seen = 0
    for name, command in group.items():
        for args in _usage_errors(name, command, tmp_path):
            result = runner.invoke(app, args, env={"COLUMNS": "80"})
            if result.exit_code != 2:
                continue
            seen += 1
            text = result.output
            rest = re.sub(r"--?[A-Za-z][\w-]*|last-\w+|dangyuan|\b(docx|html|md|abc|x|y|z|toml)\b", "", text)
            rest = rest.replace(str(tmp_path), "")
            for word in sorted({name, *COMMANDS, *KINDS}, key=len, reverse=True):  # our own words
                rest = rest.replace(word, "")
            assert not re.search(r"[A-Za-z]{3,}", rest), (args, text)
            assert "错误：" in text, (args, text)
    assert seen >= 3 * len(group)
    top = runner.invoke(app, ["stasr"])
    assert top.exit_code == 2 and "没有命令“stasr”" in top.output and "stars" in top.output


def test_a_month_command_says_it_needs_a_month(invoke, tmp_path: Path) -> None:
    for args in (["duty", tmp_path, "-p", "2025"], ["duty", tmp_path, "--month", "2025Q3"]):
        result = invoke(*args)
        assert result.exit_code == 2
        assert "此命令需要月份，如 2025-07" in result.output
        assert "2025Q3、" not in result.output  # no example of a kind it refuses
    board = invoke("board", tmp_path, "-p", "2025")
    assert board.exit_code == 2 and "此命令需要月份或季度，如 2025-07、2025Q3" in board.output


def test_old_flags_stay_as_aliases(township: Path, invoke) -> None:
    for flags in (["--year", "2025"], ["-y", "2025"], ["-p", "2025"]):
        result = invoke("stars", township, *flags, "-b", "东关村", "--json")
        assert result.exit_code == 0, result.output
        assert '"branch": "东关村"' in result.output


@pytest.mark.parametrize("written", ["东关村党支部", "东关村", "东关", "中共东关村支部委员会"])
def test_branch_as_the_clerk_writes_it(township: Path, invoke, written: str) -> None:
    result = invoke("stars", township, "-p", "2025", "-b", written, "--no-write")
    assert result.exit_code == 0, result.output
    assert "东关村 2025年度积分定星" in result.output
    assert "西河村" not in result.output and "南岭社区" not in result.output


def test_unknown_branch_names_those_that_exist(township: Path, invoke) -> None:
    result = invoke("score", township, "-p", "2025", "-b", "北山村", "--no-write")
    assert result.exit_code == 2
    assert "没有党支部“北山村”" in result.output and "东关村、南岭社区、西河村" in result.output


def test_report_table_keeps_every_number_at_80_columns(township: Path, invoke, narrow) -> None:
    result = invoke("report", township, "-p", "2025")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    table = [line for line in lines if line.startswith(("┏", "┃", "│", "└", "┡"))]
    assert any(re.search(r"│ ?103 +│ ?105 +│", line) for line in table), "\n".join(table)  # not `10`
    assert "一星" in _column(table, -1, "┃")  # the last header is there, folded if need be
    assert "城关镇合计" in _column(table, 2, "│")
    assert all(cell_len(line) <= 80 for line in table)


def _column(lines: list[str], index: int, bar: str) -> str:
    """A table column's text read top to bottom (folded cells joined)."""
    return "".join(line.split(bar)[index if index >= 0 else index - 1].strip() for line in lines if bar in line)


def test_check_table_folds_names_at_80_columns(township: Path, invoke, narrow) -> None:
    result = invoke("check", township)
    table = [line for line in result.output.splitlines() if line.startswith("│")]
    assert table and "南岭社区" in _column(table, 4, "│")
    assert all(cell_len(line) <= 80 for line in table)


def test_posts_table_keeps_leaders_and_full_names() -> None:
    from rich.console import Console

    header = ["小组", "人数", "组长", "组长理由", "包组干部", "成员"]
    rows = [["政策宣传组", 3, "李明", "党龄最长，年度积分最高", "王建国", "李明、张秀英、欧阳娜娜、司马相如"]]
    out = Console(width=80, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    out.print(render.table("东关村 定岗编组", header, rows, width=80))
    lines = out.export_text().splitlines()
    assert "组长" in _column(lines, 3, "┃")
    assert _column(lines, 3, "│") == "李明"
    assert _column(lines, 6, "│") == "李明、张秀英、欧阳娜娜、司马相如"


def test_a_table_too_wide_to_fold_says_what_it_left_out() -> None:
    from rich.console import Console

    header = [f"列{i}" for i in range(20)]
    out = Console(width=40, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    out.print(render.table("宽表", header, [list(range(20))], width=40))
    text = out.export_text()
    assert "终端太窄，未显示：" in text and "列19" in text


def test_a_long_table_of_repeated_cells_prints_as_rich_lays_it_out() -> None:
    """Column widths are measured on each column's distinct cells (a county's check table repeats
    them thousands of times): the printed text is still rich's own layout, folded cell for cell."""
    from rich.console import Console
    from rich.table import Table

    header = ["文件", "工作表", "台账", "党支部", "行数"]
    rows = [
        [f"城关镇/第{i % 7}村/第{i % 7}村党支部积分台账{i}.xlsx", "积分台账", "党员积分台账", f"第{i % 7}村", i % 5]
        for i in range(60)
    ]
    for width in (60, 80, 120):
        plain = Table(title="已识别的台账", title_justify="left", header_style="bold", caption_justify="left")
        for c in header:
            plain.add_column(c, overflow="fold", min_width=1 if c == "行数" else None)
        for r in rows:
            plain.add_row(*map(str, r))
        printed = []
        for shown in (render.table("已识别的台账", header, rows, width=width), plain):
            out = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
            out.print(shown)
            printed.append(out.export_text())
        assert printed[0] == printed[1]
        assert printed[0].count("│ 积分台账") == 60  # every row printed


def test_check_on_a_missing_folder_is_a_usage_error(invoke, tmp_path: Path) -> None:
    result = invoke("check", tmp_path / "没有这个文件夹")
    assert result.exit_code == 2
    assert "工作目录不存在" in result.output


@pytest.mark.parametrize("args", [["check"], ["score", "-p", "2025"], ["stars", "-p", "2025"], ["run", "-p", "2025"]])
def test_an_empty_folder_is_left_empty(invoke, tmp_path: Path, args: list[str]) -> None:
    empty = tmp_path / "空"
    empty.mkdir()
    invoke(args[0], empty, *args[1:])
    assert list(empty.iterdir()) == []


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_stars_then_run_replaces_without_copies(township: Path, invoke) -> None:
    stars = invoke("stars", township, "-p", "2025", "-b", "东关")
    assert stars.exit_code == 0, stars.output
    book = township / "输出" / "2025" / "东关村" / "积分定星结果（内部资料）.xlsx"
    assert book.is_file() and _mode(book) == 0o644
    ledger = township / "东关村" / "积分台账2025.xlsx"  # the registers change before the run
    from openpyxl import load_workbook

    wb = load_workbook(ledger)
    ws = wb.worksheets[0]
    ws.append([999, "2025-12-01", "刘海", "贡献加分", "志愿服务", 5, "", "支委会", "组织委员", "", ""])
    wb.save(ledger)
    run = invoke("run", township, "-p", "2025", "--workers", "1")
    assert run.exit_code == 0, run.output
    found = sorted(p.name for p in (township / "输出" / "2025").rglob("*"))
    assert not [name for name in found if "原有" in name], found
    assert book.is_file() and _mode(book) == 0o644


def test_every_command_writes_under_period_and_branch(township: Path, invoke) -> None:
    out = township / "输出"
    for args in (
        ["classify", "-p", "2025"],
        ["posts", "-p", "2025"],
        ["board", "-p", "2025Q3"],
        ["duty", "-p", "2025-07"],
        ["consequences", "-p", "2025"],
    ):
        result = invoke(args[0], township, *args[1:], "-b", "东关村")
        assert result.exit_code == 0, result.output
    assert (out / "2025" / "东关村" / "党员分类（内部资料）.xlsx").is_file()
    assert (out / "2025Q3" / "东关村" / "季度积分排名（内部资料）.xlsx").is_file()
    assert (out / "2025-07" / "东关村" / "履岗记实台账.xlsx").is_file()
    assert (out / "2025" / "东关村" / "积分定星结果（内部资料）.xlsx").is_file()
    assert sorted(p.name for p in out.iterdir()) == ["2025", "2025-07", "2025Q3"]
    assert all(_mode(p) == 0o644 for p in out.rglob("*") if p.is_file())


def test_run_progress_counts_branches(township: Path) -> None:
    from dangyuan_cli.app.batch import run_batch

    heard = []
    run_batch(township, "2025-07", workers=1, on_progress=lambda *step: heard.append(step))
    assert heard[0] == (0, None, "读取台账")
    assert (0, 3, "计算、写出") in heard and heard[-1] == (3, 3, "完成")


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "文件是空的"),
        (b"garbage data here", "文件已损坏或不完整"),
        (b"PK\x03\x04junk", "文件已损坏或不完整"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1junkjunk", "文件设有打开密码"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "网页（HTML/XML）格式"),
    ],
)
def test_an_unreadable_workbook_is_explained_in_chinese(tmp_path: Path, content: bytes, said: str) -> None:
    from dangyuan_cli.registers.workspace import load_workspace

    (tmp_path / "台账.xlsx").write_bytes(content)
    messages = [p.message for p in load_workspace(tmp_path).problems if p.file == "台账.xlsx"]
    assert messages and messages[0].startswith("无法读取此文件：") and said in messages[0], messages
    assert not re.search(r"[A-Za-z]{4,}", messages[0].replace("Excel", "").replace("xlsx", "").replace("HTML", "")), (
        messages
    )

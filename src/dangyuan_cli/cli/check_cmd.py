"""`dangyuan check`: what was recognised in the workspace, then every problem."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dangyuan_cli.cli.options import JsonFlag, Strict, Workspace
from dangyuan_cli.cli.render import EXIT_DATA, EXIT_OK, console, print_json, print_problems, table

if TYPE_CHECKING:
    from dangyuan_cli.app.context import Loaded


def check(workspace: Workspace = Path("."), as_json: JsonFlag = False, strict: Strict = False) -> None:
    """检查工作目录中的全部台账：识别了哪些台账、每个有问题的单元格（文件:工作表!单元格）。

    退出码：0 无错误；1 有数据错误（--strict 时提示也算错误）；2 用法错误。
    """
    from dangyuan_cli.app.context import check_workspace
    from dangyuan_cli.cli.render import EXIT_USAGE, fail
    from dangyuan_cli.registers.workspace import paused_gc

    if not Path(workspace).is_dir():
        fail(f"工作目录不存在：{workspace}。请检查路径是否写对", EXIT_USAGE)
    # reading, checking and printing in one pause; what was read is then set aside (paused_gc), not
    # walked once more when collection resumes and again at exit (a county: 0.3 s each)
    with paused_gc():
        result = check_workspace(workspace)
        failed = any(p.severity == "error" or strict for p in result.problems)
        if as_json:
            print_json(result.to_json())
        else:
            print_report(result, workspace)
    raise typer.Exit(EXIT_DATA if failed else EXIT_OK)


def print_report(result: Loaded, workspace: Path) -> None:
    """The recognised registers as a table (rows per file, sheet and branch), then the problems."""
    rows = result.row_counts()
    console.print(
        table(
            f"已识别的台账（{workspace}）",
            ["文件", "工作表", "台账", "党支部", "行数"],
            [(*key, n) for key, n in rows],
        )
    )
    if not rows:
        console.print("[yellow]没有识别到任何台账。[/]可运行 dangyuan init 生成空白台账模板。")
    n_err, n_warn = print_problems(result.problems)
    if not n_err and not n_warn:
        console.print("[green]✓ 未发现问题[/]")
    elif n_err:
        console.print(f"[red]共 {n_err} 个错误[/]，请按上面的位置逐一修改后重新检查。")


def register(app: typer.Typer) -> None:
    from dangyuan_cli.cli.common import json_always

    app.command("check")(json_always({"errors": [], "warnings": []})(check))

"""Options declared once and shared by every command (Annotated aliases)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


class RootPath(type(Path())):
    """The workspace found above the folder given; remembers that folder and the command's
    parameters, so the output can be limited to the folder asked for (see common.prepare_or_exit)."""

    asked: Path | None = None
    context: typer.Context | None = None


def workspace_root(ctx: typer.Context, value: Path) -> Path:
    """The workspace for the folder given: the nearest one upward holding dangyuan.toml or
    .dangyuan/, said once on stderr; otherwise the folder itself, unchanged."""
    from dangyuan_cli.registers.root import find_root

    if ctx.resilient_parsing or value is None:
        return value
    root = find_root(value)
    if not root.moved:
        return value
    from dangyuan_cli.cli.render import err_console

    err_console.print(root.note(), markup=False, soft_wrap=True)
    found = RootPath(root.path)
    found.asked, found.context = root.asked, ctx
    return found


Workspace = Annotated[
    Path,
    typer.Argument(
        help="工作目录（存放各党支部台账的文件夹），默认当前目录；在支部文件夹中运行时使用上级目录中有 dangyuan.toml 的工作目录",
        show_default=False,
        metavar="工作目录",
        callback=workspace_root,
    ),
]
NewFolder = Annotated[
    Path,
    typer.Argument(help="新建的工作目录，默认当前目录", show_default=False, metavar="工作目录"),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="以JSON格式输出到标准输出，供脚本使用")]
Strict = Annotated[bool, typer.Option("--strict", help="任何支部有数据错误即全部停止（默认跳过出错支部）")]

# One period option (SPEC §12): `-p/--period` everywhere; a command's older flag stays as an alias.
PERIOD_HELP = "期间：2025（年）、2025H1（半年）、2025Q3（季度）、2025-07（月）；或 last-month、last-quarter、last-year"
YEAR_HELP = "年度，如 2025（或 last-year）；必填"
MONTH_HELP = "月份，如 2025-07（或 last-month）；必填"
BOARD_HELP = "月份（蓝黄红榜，如 2025-07）或季度（排名公示，如 2025Q3）；必填"


def period_option(help: str = PERIOD_HELP) -> typer.models.OptionInfo:
    return typer.Option("--period", "-p", help=help, metavar="期间", show_default=False)


def old_flag(*names: str) -> typer.models.OptionInfo:
    """An older name of -p, still accepted, not shown in the help (common.one_period merges it)."""
    return typer.Option(*names, hidden=True, show_default=False)


Period = Annotated[str, period_option()]  # required: `period: Period = ...`
PeriodOpt = Annotated[str | None, period_option()]  # optional: `= None`
YearPeriod = Annotated[str | None, period_option(YEAR_HELP)]  # stars, consequences: `= None`, with OldYear
MonthPeriod = Annotated[str | None, period_option(MONTH_HELP)]  # duty, with OldMonth
BoardPeriod = Annotated[str | None, period_option(BOARD_HELP)]  # board, with OldMonth and OldQuarter
OldYear = Annotated[str | None, old_flag("--year", "-y")]
OldMonth = Annotated[str | None, old_flag("--month", "-m")]
OldQuarter = Annotated[str | None, old_flag("--quarter", "-q")]
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="基准日，如 2025-12-31（默认：-p 期间的期末，否则今天）", metavar="日期"),
]
Year = Annotated[int, typer.Option("--year", "-y", help="年度，如 2025", metavar="年度")]
Out = Annotated[
    Path | None,
    typer.Option("--out", help="输出目录，默认 <工作目录>/输出/<期间>/", show_default=False, metavar="文件夹"),
]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="显示更多过程信息")]
Branch = Annotated[
    str | None,
    typer.Option(
        "--branch",
        "-b",
        help="只处理此党支部：全称、简称或开头几个字均可（如“东关村党支部”“东关村”“东关”）",
        show_default=False,
        metavar="党支部",
    ),
]
NoWrite = Annotated[bool, typer.Option("--no-write", help="只在终端显示，不写结果工作簿")]
Accept = Annotated[
    bool,
    typer.Option("--accept", help="定岗编组有少于每组最少人数的小组时仍正式公布（默认生成“草稿”）"),
]

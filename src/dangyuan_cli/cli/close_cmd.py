"""`dangyuan close`: freeze a period's results and the hashes of its inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangyuan_cli.cli.common import finish, parse_period_or_exit, prepare_or_exit
from dangyuan_cli.cli.options import Period, Strict, Workspace
from dangyuan_cli.cli.render import EXIT_DATA, console, print_stop


def close(
    workspace: Workspace = Path("."),
    period: Period = ...,
    force: Annotated[bool, typer.Option("--force", help="重新结账（覆盖已有的结账记录）")] = False,
    strict: Strict = False,
) -> None:
    """结账：把本期结果和所用台账的哈希存入工作目录档案（.dangyuan/archive）；之后改动已结账期间的记录会被提示。"""
    from dangyuan_cli.app.compute import close_period
    from dangyuan_cli.app.context import StopRun

    ctx = prepare_or_exit(workspace, strict)
    p = parse_period_or_exit(period, ctx.rules.points.month_cutoff_day)
    if ctx.members.empty and ctx.has_errors:  # every branch skipped, or no roster: nothing to freeze
        print_stop(ctx.problems, "没有可以结账的党支部，未写入结账记录。")
        raise typer.Exit(EXIT_DATA)
    try:
        path = close_period(ctx, p, force=force)
    except StopRun as stop:
        print_stop(stop.problems, "已有的结账记录未改动。")
        raise typer.Exit(EXIT_DATA) from None
    console.print(f"{p.label}已结账：{path}")
    finish(ctx)


def register(app: typer.Typer) -> None:
    app.command("close")(close)

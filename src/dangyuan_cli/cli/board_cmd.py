"""`dangyuan board`: the monthly 蓝黄红榜 or the quarterly ranking with 督促提醒."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangyuan_cli.cli.common import finish, parse_period_or_exit, prepare_or_exit, show_tables
from dangyuan_cli.cli.options import Branch, Month, NoWrite, Out, Strict, Workspace
from dangyuan_cli.cli.render import EXIT_USAGE, fail

Quarter = Annotated[str | None, typer.Option("--quarter", "-q", help="季度排名公示，如 2025Q3（年初至季末累计）")]


def board(
    workspace: Workspace = Path("."),
    month: Month = None,
    quarter: Quarter = None,
    branch: Branch = None,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """蓝黄红榜（每月）或季度积分排名（年初至季末累计，后10%督促提醒）。"""
    if bool(month) == bool(quarter):
        fail("请指定 --month 2025-07（蓝黄红榜）或 --quarter 2025Q3（季度排名）其中之一", EXIT_USAGE)
    ctx = prepare_or_exit(workspace, strict, out=out)
    cutoff = ctx.rules.points.month_cutoff_day
    if month:
        _monthly(ctx, parse_period_or_exit(month, cutoff, ("month",)), branch, out, no_write)
    else:
        _quarterly(ctx, parse_period_or_exit(quarter, cutoff, ("quarter",)), branch, out, no_write)
    finish(ctx)


def _monthly(ctx, p, branch, out, no_write) -> None:
    from dangyuan_cli.app.compute import boards_for
    from dangyuan_cli.publish.tables import board_tables

    result = boards_for(ctx, p)
    show_tables(
        board_tables(result if branch is None else result[result["branch"] == branch], p),
        ctx.output_dir(p, out),
        no_write,
    )


def _quarterly(ctx, p, branch, out, no_write) -> None:
    from dangyuan_cli.app.compute import ranking_for
    from dangyuan_cli.publish.tables import ranking_tables

    ranking, streaks = ranking_for(ctx, p)
    frame = ranking if branch is None else ranking[ranking["branch"] == branch]
    show_tables(ranking_tables(frame, streaks, p), ctx.output_dir(p, out), no_write)


def register(app: typer.Typer) -> None:
    app.command("board")(board)

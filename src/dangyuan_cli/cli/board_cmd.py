"""`dangyuan board`: the monthly 蓝黄红榜 or the quarterly ranking with 督促提醒."""

from __future__ import annotations

from pathlib import Path

import typer

from dangyuan_cli.cli.common import (
    finish,
    one_period,
    parse_period_or_exit,
    prepare_or_exit,
    resolve_branch,
    show_tables,
)
from dangyuan_cli.cli.options import BoardPeriod, Branch, NoWrite, OldMonth, OldQuarter, Out, Strict, Workspace


def board(
    workspace: Workspace = Path("."),
    period: BoardPeriod = None,
    month: OldMonth = None,
    quarter: OldQuarter = None,
    branch: Branch = None,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """蓝黄红榜（每月）或季度积分排名（年初至季末累计，后10%督促提醒）。"""
    period = one_period(period, month=month, quarter=quarter)
    parse_period_or_exit(period, 0, ("month", "quarter"))
    ctx = prepare_or_exit(workspace, strict, out=out)
    p = parse_period_or_exit(period, ctx.rules.points.month_cutoff_day, ("month", "quarter"))
    branch = resolve_branch(ctx, branch)
    (_monthly if p.kind == "month" else _quarterly)(ctx, p, branch, out, no_write)
    finish(ctx)


def _monthly(ctx, p, branch, out, no_write) -> None:
    from dangyuan_cli.app.compute import boards_for
    from dangyuan_cli.publish.tables import board_tables

    result = boards_for(ctx, p)
    show_tables(
        board_tables(result if branch is None else result[result["branch"] == branch], p),
        ctx.output_dir(p, out),
        no_write,
        run_writes=True,
    )


def _quarterly(ctx, p, branch, out, no_write) -> None:
    from dangyuan_cli.app.compute import ranking_for
    from dangyuan_cli.publish.tables import ranking_tables

    ranking, streaks = ranking_for(ctx, p)
    frame = ranking if branch is None else ranking[ranking["branch"] == branch]
    show_tables(ranking_tables(frame, streaks, p), ctx.output_dir(p, out), no_write, run_writes=True)


def register(app: typer.Typer) -> None:
    app.command("board")(board)

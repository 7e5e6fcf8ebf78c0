"""`dangyuan board`: the monthly 蓝黄红榜 or the quarterly ranking with 督促提醒."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangyuan_cli.cli.common import finish, fmt, parse_period_or_exit, prepare_or_exit
from dangyuan_cli.cli.options import Branch, NoWrite, Out, Strict, Workspace
from dangyuan_cli.cli.render import EXIT_USAGE, console, fail, table

Month = Annotated[str | None, typer.Option("--month", "-m", help="月度蓝黄红榜，如 2025-07")]
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
    from dangyuan_cli.boards import RED, YELLOW
    from dangyuan_cli.ledgers.results import ResultSheet, write_results
    from dangyuan_cli.pipeline import boards_for

    result = boards_for(ctx, p)
    frame = result if branch is None else result[result["branch"] == branch]
    order = {RED: 0, YELLOW: 2}
    for name, group in frame.groupby("branch", sort=True):
        group = group.assign(_o=[order.get(b, 1) for b in group["board"]]).sort_values(
            ["_o", "net", "name"], ascending=[True, False, True]
        )
        header = ["榜单", "姓名", "当月净得分", "理由"]
        rows = [[r.board, r.name, fmt(r.net), r.board_reason] for r in group.itertuples(index=False)]
        console.print(table(f"{name} {p.label}蓝黄红榜", header, rows))
        if not no_write:
            path = ctx.output_dir(p, out) / name / "蓝黄红榜.xlsx"
            write_results(path, [ResultSheet("蓝黄红榜", f"{name}党支部{p.label}党员积分蓝黄红榜", header, rows)])
            console.print(f"已写入：{path}")


def _quarterly(ctx, p, branch, out, no_write) -> None:
    from dangyuan_cli.ledgers.results import ResultSheet, write_results
    from dangyuan_cli.pipeline import ranking_for

    ranking, streaks = ranking_for(ctx, p)
    frame = ranking if branch is None else ranking[ranking["branch"] == branch]
    for name, group in frame.groupby("branch", sort=True):
        header = ["名次", "姓名", "本季度", "年度累计", "督促提醒", "说明"]
        rows = []
        for r in group.itertuples(index=False):
            notes = [r.remind_reason] if r.remind else []
            notes += [label for label, ids in streaks.items() if r.member_id in ids]
            rows.append(
                [
                    r.rank,
                    r.name,
                    fmt(r.total),
                    fmt(r.ytd),
                    "是" if r.remind else "",
                    "；".join(n for n in notes if n),
                ]
            )
        console.print(table(f"{name} {p.label}积分排名（截至季末累计）", header, rows))
        if not no_write:
            path = ctx.output_dir(p, out) / name / "季度积分排名.xlsx"
            write_results(path, [ResultSheet("季度排名", f"{name}党支部{p.label}党员积分排名", header, rows)])
            console.print(f"已写入：{path}")


def register(app: typer.Typer) -> None:
    app.command("board")(board)

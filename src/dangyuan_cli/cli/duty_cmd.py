"""`dangyuan duty`: the month's 履岗记实 report and ledger."""

from __future__ import annotations

from pathlib import Path

import typer

from dangyuan_cli.cli.common import (
    finish,
    note_written,
    one_period,
    parse_period_or_exit,
    prepare_or_exit,
    resolve_branch,
)
from dangyuan_cli.cli.options import Branch, MonthPeriod, NoWrite, OldMonth, Out, Strict, Workspace
from dangyuan_cli.cli.render import console, table


def duty(
    workspace: Workspace = Path("."),
    period: MonthPeriod = None,
    month: OldMonth = None,
    branch: Branch = None,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """履岗记实月报：本月没有记录的小组、本季度未参加活动的党员、每人每组参加次数；写出本月履岗记实台账（附件3样式）和履岗参加次数统计。"""
    from dangyuan_cli.app.compute import duty_for
    from dangyuan_cli.publish.tables import duty_count_rows, write_duty_counts, write_duty_month

    period = one_period(period, month=month)
    parse_period_or_exit(period, 0, ("month",))
    ctx = prepare_or_exit(workspace, strict, out=out)
    p = parse_period_or_exit(period, ctx.rules.points.month_cutoff_day, ("month",))
    branch = resolve_branch(ctx, branch)
    report, records = duty_for(ctx, p)
    quarter = report.quarter.label
    for name, group in report.per_group.groupby("branch", sort=True):
        if branch and name != branch:
            continue
        rows = [
            [r.group, r.records, r.participations, "本月无记录" if r.records == 0 else ""]
            for r in group.itertuples(index=False)
        ]
        console.print(table(f"{name} {p.label}履岗记实", ["小组", "活动次数", "参加人次", "提示"], rows))
        idle = report.idle_members[report.idle_members["branch"] == name]
        if not idle.empty:
            console.print(
                f"  {quarter}至今未参加履岗活动："
                + "、".join(f"{r.name}（{r.group}）" for r in idle.itertuples(index=False))
            )
        counts = duty_count_rows(report.per_member[report.per_member["branch"] == name])
        shown = [[g if i == 0 or counts[i - 1][0] != g else "", *rest] for i, (g, *rest) in enumerate(counts)]
        console.print(table(f"{name} 每人每组参加次数", ["小组", "党员", "本月", f"{quarter}至今"], shown))
        if not no_write:
            folder = ctx.output_dir(p, out)
            paths = [
                write_duty_month(folder, name, p, list(group["group"]), records[records["branch"] == name]),
                write_duty_counts(folder, name, p, report.per_member[report.per_member["branch"] == name]),
            ]
            note_written(folder, paths, run_writes=True)  # run writes both for the month
            for path in paths:
                console.print(f"已写入：{path}")
    finish(ctx)


def register(app: typer.Typer) -> None:
    app.command("duty")(duty)

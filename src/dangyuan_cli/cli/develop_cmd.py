"""`dangyuan develop`: 发展党员 timeline — stages, intervals, what falls due, the 公示 each needs."""

from __future__ import annotations

from pathlib import Path

import typer

from dangyuan_cli.cli.common import finish, prepare_or_exit, resolve_as_of, resolve_branch
from dangyuan_cli.cli.options import AsOf, Branch, JsonFlag, NoWrite, Out, PeriodOpt, Strict, Workspace
from dangyuan_cli.cli.render import EXIT_DATA, console, err_console, print_json, report_problems, table

JSON_KEYS = ("branch", "name", "stage", "next_stage", "due", "problems")


def develop_json(frame) -> list[dict]:
    return [
        {k: (f"{r[k]:%Y-%m-%d}" if k == "due" and r[k] else r[k]) for k in JSON_KEYS} for r in frame.to_dict("records")
    ]


def develop(
    workspace: Workspace = Path("."),
    period: PeriodOpt = None,
    as_of: AsOf = None,
    branch: Branch = None,
    as_json: JsonFlag = False,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """发展党员全程记实：核对各阶段日期和间隔（申请时年满18周岁、积极分子培养一年以上、预备期一年），
    与名册和民主评议结果对照，列出下一期间到期的事项及所需公示（5个工作日），写出发展党员工作提醒（内部资料）。"""
    from dangyuan_cli.app.development import develop_for, write_development
    from dangyuan_cli.publish.development import develop_tables

    ctx = prepare_or_exit(workspace, strict, as_json, out)
    branch = resolve_branch(ctx, branch)
    day = resolve_as_of(as_of, period, ctx.rules.points.month_cutoff_day)
    frame, problems = develop_for(ctx, day)
    if branch is not None:
        frame = frame[frame["branch"] == branch]
        problems = [q for q in problems if q.branch == branch]
    broken = any(q.severity == "error" for q in problems)
    if as_json:
        print_json(develop_json(frame))
        report_problems(problems, to_stderr=True, warnings=True)
        if broken and not ctx.has_errors:
            raise typer.Exit(EXIT_DATA)
        finish(ctx, as_json=True)
    if frame.empty:
        console.print("没有发展党员记实（发展党员记实：姓名、申请入党日期……）")
    for t in develop_tables(frame, day):
        rows = [[r[0], r[1], r[3], r[2] + (f"。问题：{r[6]}" if r[6] else "")] for r in t.rows]
        console.print(table(t.title, ["姓名", "阶段", "最早时间", "说明"], rows))
    for line in [*(n for n in frame["notice"] if n), *(f"公示：{t}" for t in frame["publicity"] if t)]:
        console.print(line, markup=False)
    if not no_write:
        folder = ctx.output_dir(f"发展党员{day:%Y%m%d}", out)
        for paths in write_development(ctx, day, folder, frame).values():
            for path in paths:
                console.print(f"已写入：{path}")
    report_problems(problems, warnings=True)
    if broken and not ctx.has_errors:
        err_console.print("[red]发展党员记实中有违反规定的情况[/]（见上）")
        raise typer.Exit(EXIT_DATA)
    finish(ctx)


def register(app: typer.Typer) -> None:
    from dangyuan_cli.cli.common import json_always

    app.command("develop")(json_always([])(develop))

"""`dangyuan score`: every member's points for a period, explainable entry by entry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from dangyuan_cli.cli.common import (
    finish,
    parse_period_or_exit,
    prepare_or_exit,
    resolve_branch,
    score_json,
    show_tables,
)
from dangyuan_cli.cli.options import Branch, JsonFlag, NoWrite, Out, Period, Strict, Workspace
from dangyuan_cli.cli.render import EXIT_DATA, console, fail, print_json


def score(
    workspace: Workspace = Path("."),
    period: Period = ...,
    explain_name: Annotated[
        str | None,
        typer.Option("--explain", help="列出某党员本期每条积分记录如何计算（姓名，重名写“王伟（7）”）"),
    ] = None,
    branch: Branch = None,
    as_json: JsonFlag = False,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """计算积分：基础积分 + 贡献加分 − 违规扣分；一票否决记0分。期间可为年、半年、季度或月。"""
    from dangyuan_cli.app.compute import scores_for
    from dangyuan_cli.publish.tables import score_tables

    ctx = prepare_or_exit(workspace, strict, as_json, out)
    p = parse_period_or_exit(period, ctx.rules.points.month_cutoff_day)
    branch = resolve_branch(ctx, branch)
    result = scores_for(ctx, p)
    frame = result.table if branch is None else result.table[result.table["branch"] == branch]
    if as_json:
        from dangyuan_cli.registers.frames import public_ids

        print_json(score_json(frame, public_ids(ctx.members)))
        finish(ctx, as_json=True)
    if explain_name:
        _explain(ctx, result, explain_name, branch)
        finish(ctx)
    show_tables(score_tables(frame, p), ctx.output_dir(p, out), no_write, run_writes=p.kind == "half")
    finish(ctx)


def _explain(ctx, result, written: str, branch: str | None) -> None:
    from dangyuan_cli.domain.points import explain

    branches = [branch] if branch else sorted(ctx.members["branch"].unique())
    found = []
    for b in branches:
        m = ctx.workspace.roster.resolve(b, written)
        if not isinstance(m, str):
            found.append(m)
    if not found:
        name = re.split(r"[(（]", written)[0]
        skipped = [b for b in ctx.skipped if b == (branch or b) and name in ctx.workspace.roster.by_branch.get(b, {})]
        if skipped:
            fail(f"“{written}”所在的{'、'.join(skipped)}有数据错误，已跳过（dangyuan check 可列出全部问题）", EXIT_DATA)
        fail(f"找不到党员“{written}”；重名请写“姓名（编号）”，或用 --branch 指定党支部")
    for m in found:
        console.print(f"[bold]{m.branch} {m.describe()}[/] {result.period.label}")
        for line in explain(result, m.member_id, ctx.rules):
            console.print(f"  {line}", markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    from dangyuan_cli.cli.common import json_always

    app.command("score")(json_always([])(score))

"""`dangyuan commitments`: 承诺践诺 of a year — who committed, fulfilled, the 评诺 result, who made none."""

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
from dangyuan_cli.cli.options import Branch, JsonFlag, NoWrite, OldYear, Out, Strict, Workspace, YearPeriod
from dangyuan_cli.cli.render import print_json

COMMITMENT_KEYS = ["branch", "name", "member_id", "made", "fulfilled", "result", "missing"]


def commitments_json(frame, ids: dict[str, str | None]) -> list[dict]:
    return [
        {
            "branch": r["branch"],
            "name": r["name"],
            "member_id": ids.get(r["member_id"]),
            "made": int(r["made"]),
            "fulfilled": int(r["fulfilled"]),
            "result": r["result"] or None,
            "missing": bool(r["missing"]),
        }
        for r in frame.to_dict("records")
    ]


def commitments(
    workspace: Workspace = Path("."),
    period: YearPeriod = None,
    year: OldYear = None,
    branch: Branch = None,
    as_json: JsonFlag = False,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """承诺践诺（四诺）：每名党员的承诺数、已完成数、评诺结果（好/较好/一般/差）；
    未作出承诺的参加排名党员列入督促名单。写入“践诺评诺（内部资料）.xlsx”；
    承诺公开公示用 dangyuan announce commitments -p 年度。
    --json 输出列表，每项键为 branch, name, member_id, made, fulfilled, result, missing。"""
    from dangyuan_cli.app.compute import commitments_for
    from dangyuan_cli.publish.member_registers import commitment_tables
    from dangyuan_cli.registers.frames import public_ids

    period = one_period(period, year=year)
    parse_period_or_exit(period, 0, ("year",))  # a wrong period before the registers are read
    ctx = prepare_or_exit(workspace, strict, as_json, out)
    branch = resolve_branch(ctx, branch)
    p = parse_period_or_exit(period, ctx.rules.points.month_cutoff_day, ("year",))
    review, rows = commitments_for(ctx, p)
    if branch is not None:
        review, rows = review[review["branch"] == branch], rows[rows["branch"] == branch]
    if as_json:
        print_json(commitments_json(review, public_ids(ctx.members)))
        finish(ctx, as_json=True)
    show_tables(commitment_tables(review, rows, p.year), ctx.output_dir(p, out), no_write)
    finish(ctx)


def register(app: typer.Typer) -> None:
    from dangyuan_cli.cli.common import json_always

    app.command("commitments")(json_always([])(commitments))

"""`dangyuan laggards`: 后进党员整顿转化 — who should be in the 第八党支部 register, and where they stand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from dangyuan_cli.cli.common import (
    finish,
    parse_period_or_exit,
    prepare_or_exit,
    resolve_as_of,
    resolve_branch,
    show_tables,
)
from dangyuan_cli.cli.options import AsOf, Branch, JsonFlag, NoWrite, Out, PeriodOpt, Strict, Workspace
from dangyuan_cli.cli.render import print_json

LAGGARD_KEYS = ["branch", "name", "member_id", "proposed", "since", "helper", "due", "result", "result_date", "status"]


def _day(value: object) -> str | None:
    return f"{value:%Y-%m-%d}" if isinstance(value, dt.date) else None


def laggards_json(frame, ids: dict[str, str | None]) -> list[dict]:
    return [
        {
            "branch": r["branch"],
            "name": r["name"],
            "member_id": ids.get(r["member_id"]),
            "proposed": bool(r["proposed"]),
            "since": _day(r["since"]),
            "helper": r["helper"] or None,
            "due": _day(r["due"]),
            "result": r["result"] or None,
            "result_date": _day(r["result_date"]),
            "status": r["status"],
        }
        for r in frame.to_dict("records")
    ]


def laggards(
    workspace: Workspace = Path("."),
    as_of: AsOf = None,
    period: PeriodOpt = None,
    branch: Branch = None,
    as_json: JsonFlag = False,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """后进党员整顿转化（内部资料）：积分测算或名册标记的后进党员是否已登记转入第八党支部，
    帮扶不少于 laggard_months（默认6）个月，期满日期、结果（合格转回原支部，不合格列入处置审查）。
    --json 输出列表，每项键为 branch, name, member_id, proposed, since, helper, due, result, result_date, status。"""
    from dangyuan_cli.app.compute import laggards_for
    from dangyuan_cli.publish.member_registers import laggard_tables
    from dangyuan_cli.registers.frames import public_ids

    ctx = prepare_or_exit(workspace, strict, as_json, out)
    branch = resolve_branch(ctx, branch)
    cutoff = ctx.rules.points.month_cutoff_day
    day = resolve_as_of(as_of, period, cutoff)
    frame = laggards_for(ctx, day)
    if branch is not None:
        frame = frame[frame["branch"] == branch]
    if as_json:
        print_json(laggards_json(frame, public_ids(ctx.members)))
        finish(ctx, as_json=True)
    folder = ctx.output_dir(parse_period_or_exit(period or str(day.year), cutoff), out)
    show_tables(laggard_tables(frame, day), folder, no_write)
    finish(ctx)


def register(app: typer.Typer) -> None:
    from dangyuan_cli.cli.common import json_always

    app.command("laggards")(json_always([])(laggards))

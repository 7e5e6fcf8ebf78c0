"""`dangyuan consequences`: the 结果运用 lists of the year (internal)."""

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
    write_year_books,
)
from dangyuan_cli.cli.options import Branch, NoWrite, OldYear, Out, Strict, Workspace, YearPeriod


def consequences(
    workspace: Workspace = Path("."),
    period: YearPeriod = None,
    year: OldYear = None,
    branch: Branch = None,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """结果运用名单（内部资料）：评先评优、谈话、帮扶、处置审查、约谈、延长预备期、发展对象、不得提名、后进党员。"""
    from dangyuan_cli.app.compute import consequences_for
    from dangyuan_cli.publish.tables import consequence_tables

    period = one_period(period, year=year)
    parse_period_or_exit(period, 0, ("year",))
    ctx = prepare_or_exit(workspace, strict, out=out)
    p = parse_period_or_exit(period, ctx.rules.points.month_cutoff_day, ("year",))
    branch = resolve_branch(ctx, branch)
    lists, _ = consequences_for(ctx, p)
    frame = lists if branch is None else lists[lists["branch"] == branch]
    tables = consequence_tables(frame, p)
    show_tables(tables, ctx.output_dir(p, out), no_write=True)
    if not no_write:  # the year's workbook, as `run` writes it
        write_year_books(ctx, p, out, [t.branch for t in tables])
    finish(ctx)


def register(app: typer.Typer) -> None:
    app.command("consequences")(consequences)

"""`dangyuan stars`: the year's star rating per branch, each star with its reason."""

from __future__ import annotations

from pathlib import Path

import typer

from dangyuan_cli.cli.common import (
    finish,
    one_period,
    parse_period_or_exit,
    prepare_or_exit,
    resolve_branch,
    score_json,
    write_year_books,
)
from dangyuan_cli.cli.options import Branch, JsonFlag, NoWrite, OldYear, Out, Strict, Workspace, YearPeriod
from dangyuan_cli.cli.render import console, print_json, table


def stars_json(frame, ids: dict[str, str | None] | None = None) -> list[dict]:
    rows = score_json(frame, ids)
    for row, rec in zip(rows, frame.to_dict("records"), strict=True):
        row["rank"] = None if rec["rank"] is None else int(rec["rank"])
        row["stars"] = None if rec["stars"] is None else int(rec["stars"])
        row["grade"] = rec["grade"]
    return rows


def stars(
    workspace: Workspace = Path("."),
    period: YearPeriod = None,
    year: OldYear = None,
    branch: Branch = None,
    as_json: JsonFlag = False,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """年度积分定星：一星、二星按分数线；五星、四星按名额 floor(人数×比例)，同分不拆分。"""
    from dangyuan_cli.app.compute import stars_for
    from dangyuan_cli.domain.stars import three_or_below_share
    from dangyuan_cli.publish.tables import star_tables

    period = one_period(period, year=year)
    parse_period_or_exit(period, 0, ("year",))  # a wrong period before the registers are read
    ctx = prepare_or_exit(workspace, strict, as_json, out)
    p = parse_period_or_exit(period, ctx.rules.points.month_cutoff_day, ("year",))
    branch = resolve_branch(ctx, branch)
    result = stars_for(ctx, p)
    frame = result if branch is None else result[result["branch"] == branch]
    if as_json:
        from dangyuan_cli.registers.frames import public_ids

        print_json(stars_json(frame, public_ids(ctx.members)))
        finish(ctx, as_json=True)
    share = three_or_below_share(frame)
    minimum = ctx.rules.stars.min_three_or_below
    tables = star_tables(frame, p)
    for t in tables:
        console.print(table(t.title, t.header, t.rows))
        if t.branch in share and ctx.rules.stars.scheme == "quota":
            ok = share[t.branch] + 1e-9 >= minimum
            note = "" if ok else " [red]不满足“三星以下要有一定数量”[/]"
            console.print(f"三星及以下占{share[t.branch]:.0%}（要求≥{minimum:.0%}）{note}")
    if not no_write:  # the year's workbook, as `run` writes it
        write_year_books(ctx, p, out, [t.branch for t in tables])
    finish(ctx)


def register(app: typer.Typer) -> None:
    from dangyuan_cli.cli.common import json_always

    app.command("stars")(json_always([])(stars))

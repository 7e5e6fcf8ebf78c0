"""`dangyuan consequences`: the 结果运用 lists of the year (internal)."""

from __future__ import annotations

from pathlib import Path

import typer

from dangyuan_cli.cli.common import finish, parse_period_or_exit, prepare_or_exit
from dangyuan_cli.cli.options import Branch, NoWrite, Out, Strict, Workspace, Year
from dangyuan_cli.cli.render import console, table


def consequences(
    workspace: Workspace = Path("."),
    year: Year = ...,
    branch: Branch = None,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """结果运用名单（内部资料）：评先评优、谈话、帮扶、处置审查、约谈、延长预备期、发展对象、不得提名、后进党员。"""
    from dangyuan_cli.ledgers.results import ResultSheet, write_results
    from dangyuan_cli.pipeline import consequences_for

    ctx = prepare_or_exit(workspace, strict, out=out)
    p = parse_period_or_exit(str(year), ctx.rules.points.month_cutoff_day, ("year",))
    lists, _ = consequences_for(ctx, p)
    frame = lists if branch is None else lists[lists["branch"] == branch]
    for name, group in frame.groupby("branch", sort=True):
        header = ["名单", "姓名", "依据", "期限"]
        rows = [[r.list, r.name, r.reason, r.due] for r in group.itertuples(index=False)]
        console.print(table(f"{name} {p.label}积分定星结果运用（内部资料）", header, rows))
        if not no_write:
            path = ctx.output_dir(p, out) / name / "结果运用名单（内部资料）.xlsx"
            sheet = ResultSheet(
                "结果运用",
                f"{name}党支部{p.label}积分定星结果运用名单",
                header,
                rows,
                ("内部资料，注意保密",),
            )
            write_results(path, [sheet])
            console.print(f"已写入：{path}")
    finish(ctx)


def register(app: typer.Typer) -> None:
    app.command("consequences")(consequences)

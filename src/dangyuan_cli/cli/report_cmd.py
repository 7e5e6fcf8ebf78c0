"""`dangyuan report`: the report upward — an .xlsx with native charts and a .docx summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangyuan_cli.cli.common import (
    finish,
    fmt,
    note_written,
    parse_date_or_exit,
    parse_period_or_exit,
    prepare_or_exit,
    stop_on_template_problems,
)
from dangyuan_cli.cli.options import Out, Period, Strict, Workspace
from dangyuan_cli.cli.render import console, err_console, table
from dangyuan_cli.core.records import STAR_COLUMNS


def report(
    workspace: Workspace = Path("."),
    period: Period = ...,
    date: Annotated[str | None, typer.Option("--date", help="报告日期，默认期末后第一个工作日")] = None,
    strict: Strict = False,
    out: Out = None,
) -> None:
    """向上级党组织报送：按党支部、乡镇汇总党员类别、星级、等次、积分及环比变化、结果运用人数；
    生成带图表的 Excel 和 Word 报告。"""
    from dangyuan_cli.app.compute import report_for
    from dangyuan_cli.publish.notices import publication_date
    from dangyuan_cli.publish.tables import write_report

    ctx = prepare_or_exit(workspace, strict, out=out)
    stop_on_template_problems(ctx.root, ("report",))
    p = parse_period_or_exit(period, ctx.rules.points.month_cutoff_day)
    result = report_for(ctx, p)
    for note in result.problems:  # e.g. no `area` in the rules: the report is named, unsigned
        err_console.print(f"[yellow]提示：[/]{note.format()}", soft_wrap=True)
    if result.branches.empty:
        for line in result.paragraphs:
            console.print(line)
        finish(ctx)
    shown = ["township", "branch", "党员", "参加积分", "平均积分", "上期平均", "变化"] + [
        c for c in STAR_COLUMNS if c in result.summary.columns
    ]
    rows = [[fmt(v) for v in r] for r in result.summary[shown].itertuples(index=False)]
    console.print(
        table(result.title, ["乡镇", "党支部", "党员", "参加积分", "平均积分", "上期平均", "变化", *shown[7:]], rows)
    )
    for line in result.paragraphs:
        console.print(line)
    published = parse_date_or_exit(date, "--date") or publication_date(p)
    written = write_report(result, p, ctx.output_dir(p, out), published, ctx.root)
    note_written(ctx.output_dir(p, out), written, run_writes=p.kind == "year")  # run reports the year
    for path in written:
        console.print(f"已生成：{path}")
    finish(ctx)


def register(app: typer.Typer) -> None:
    app.command("report")(report)

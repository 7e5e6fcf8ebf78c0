"""`dangyuan announce`: 公示 and lists as .docx, .html and .md from Jinja templates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangyuan_cli.cli.common import (
    finish,
    note_written,
    parse_date_or_exit,
    parse_period_or_exit,
    prepare_or_exit,
    resolve_branch,
    stop_on_template_problems,
)
from dangyuan_cli.cli.options import Accept, Branch, Out, Period, Strict
from dangyuan_cli.cli.render import EXIT_DATA, EXIT_USAGE, console, fail, report_problems

RUN_WRITES = {
    ("board", "month"),
    ("ranking", "quarter"),
    ("stars", "year"),
    ("groups", "year"),
    ("consequences", "year"),
    ("commitments", "year"),
    ("votes", "year"),
}
KIND_HELP = "ranking（季度排名公示）、board（月度蓝黄红榜）、stars（年度定星结果公示）、groups（定岗编组公布）、commitments（党员承诺公开，年度）、consequences（结果运用名单，内部资料）、votes（双评结果公示）"


def announce(
    args: Annotated[
        list[str],
        typer.Argument(
            help=f"可先写工作目录（默认当前目录），再写文件种类：{KIND_HELP}",
            show_default=False,
            metavar="[工作目录] 种类",
        ),
    ],
    period: Period = ...,
    date: Annotated[str | None, typer.Option("--date", help="公示（落款）日期，默认期末后第一个工作日")] = None,
    formats: Annotated[str, typer.Option("--format", "-f", help="输出格式，逗号分隔：docx,html,md")] = "docx,html,md",
    branch: Branch = None,
    strict: Strict = False,
    out: Out = None,
    accept: Accept = False,
) -> None:
    """生成公示文件（docx 可直接打印，GB/T 9704 版式；html 带A4打印样式；md 便于发微信群）。
    公开文件只含姓名、党支部、积分、名次、星级、等次；结果运用名单标注“内部资料”。"""
    from dangyuan_cli.app.compute import announce_for
    from dangyuan_cli.publish.documents.kinds import KINDS
    from dangyuan_cli.publish.documents.render import FORMATS, TemplateProblem, write_document

    if len(args) not in (1, 2):
        fail(f"用法：dangyuan announce [工作目录] 种类 -p 期间；种类为 {KIND_HELP}", EXIT_USAGE)
    workspace, kind_name = (Path("."), args[0]) if len(args) == 1 else (Path(args[0]), args[1])
    if kind_name not in KINDS:
        fail(f"未知的文件种类“{kind_name}”，可选：{'、'.join(KINDS)}", EXIT_USAGE)
    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    if not chosen or any(f not in FORMATS for f in chosen):
        fail(f"--format 只能是 {','.join(FORMATS)} 的组合", EXIT_USAGE)
    published = parse_date_or_exit(date, "--date")
    kind = KINDS[kind_name]
    ctx = prepare_or_exit(workspace, strict, out=out)
    stop_on_template_problems(ctx.root, (kind_name,))
    allowed = ("year", "half", "quarter", "month") if kind.period_kind == "any" else (kind.period_kind,)
    p = parse_period_or_exit(period, ctx.rules.points.month_cutoff_day, allowed)
    branch = resolve_branch(ctx, branch)
    try:
        for doc in announce_for(ctx, kind_name, p, published, accept):
            if branch and doc.branch != branch:
                continue
            folder = ctx.output_dir(p, out) / doc.branch
            written = write_document(doc, folder, chosen, ctx.root)
            note_written(ctx.output_dir(p, out), written, (kind_name, p.kind) in RUN_WRITES)
            for path in written:
                console.print(f"已生成：{path}")
    except TemplateProblem as exc:  # a template that failed only on this data
        report_problems(exc.problems, to_stderr=True)
        raise typer.Exit(EXIT_DATA) from None
    finish(ctx)


def register(app: typer.Typer) -> None:
    app.command("announce")(announce)

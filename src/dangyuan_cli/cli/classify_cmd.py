"""`dangyuan classify`: each member's class with its reason, who moved, floating members."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from dangyuan_cli.cli.common import finish, parse_period_or_exit, prepare_or_exit
from dangyuan_cli.cli.options import Branch, JsonFlag, NoWrite, Out, Strict, Workspace
from dangyuan_cli.cli.render import EXIT_USAGE, console, fail, print_json, table

AsOf = Annotated[
    str | None, typer.Option("--as-of", help="分类基准日，如 2025-12-31（默认：--period 的期末，否则今天）")
]
PeriodOpt = Annotated[str | None, typer.Option("--period", "-p", help="按此期间的期末分类，如 2025、2025Q4")]
Since = Annotated[
    Path | None,
    typer.Option("--since", help="与之前的分类结果比较（classify --json 的输出文件）；默认与最近一次结账时的分类比较"),
]


def resolve_as_of(as_of: str | None, period: str | None, cutoff: int) -> dt.date:
    from dangyuan_cli.ledgers.values import CellError, parse_date

    if as_of:
        try:
            return parse_date(as_of).date
        except CellError as exc:
            fail(f"--as-of：{exc}", EXIT_USAGE)
    if period:
        return parse_period_or_exit(period, cutoff).end
    return dt.date.today()


def classify(
    workspace: Workspace = Path("."),
    as_of: AsOf = None,
    period: PeriodOpt = None,
    since: Since = None,
    branch: Branch = None,
    as_json: JsonFlag = False,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """党员分类（六类或四类，按预设）：主类别、全部符合的类别和理由；与上次分类比较，列出流动党员联系情况。"""
    import pandas as pd

    from dangyuan_cli.ledgers.results import ResultSheet, write_results
    from dangyuan_cli.pipeline import classify_for

    ctx = prepare_or_exit(workspace, strict, as_json, out)
    day = resolve_as_of(as_of, period, ctx.rules.points.month_cutoff_day)
    previous, label = None, ""
    if since is not None:
        try:
            previous = pd.DataFrame(json.loads(since.read_text("utf-8")))[["branch", "name", "member_id", "category"]]
        except (OSError, ValueError, KeyError) as exc:
            fail(f"--since 文件无法读取（应为 classify --json 的输出）：{exc}", EXIT_USAGE)
        label = str(since)
    result = classify_for(ctx, day, previous, label)
    classes = result.classes if branch is None else result.classes[result.classes["branch"] == branch]
    if as_json:
        print_json(
            [
                {k: r[k] for k in ("branch", "name", "category", "tags", "reason")} | {"member_id": r["member_id"]}
                for r in classes.to_dict("records")
            ]
        )
        finish(ctx, as_json=True)
    for name, group in classes.groupby("branch", sort=True):
        header = ["姓名", "类别", "同时符合", "理由"]
        rows = [
            [r.name, r.category or "—", "、".join(r.tags[1:]), r.reason]
            for r in group.sort_values(["category", "name"]).itertuples(index=False)
        ]
        console.print(table(f"{name} 党员分类（基准日{day:%Y-%m-%d}）", header, rows))
        counts = group[group["category"] != ""]["category"].value_counts()
        console.print("  " + "，".join(f"{k}{v}人" for k, v in counts.items()))
        sheets = [ResultSheet("党员分类", f"{name}党支部党员分类（{day:%Y年%m月%d日}）", header, rows)]
        floating = result.floating[result.floating["branch"] == name]
        if not floating.empty:
            frows = [
                [
                    r.name,
                    "失联" if r.lost else "",
                    f"{r.last_contact:%Y-%m-%d}" if r.last_contact else "无记录",
                    r.reason,
                ]
                for r in floating.itertuples(index=False)
            ]
            console.print(table(f"{name} 流动党员联系情况", ["姓名", "状态", "最近联系", "说明"], frows))
            sheets.append(
                ResultSheet("流动党员", f"{name}党支部流动党员联系情况", ["姓名", "状态", "最近联系", "说明"], frows)
            )
        if result.changes is not None:
            moved = result.changes[result.changes["branch"] == name]
            title = f"{name} 类别变动（与{result.compared_with}相比）"
            if moved.empty:
                console.print(f"{title}：无变动")
            else:
                crows = [[r.name, r.before, r.after, r.reason] for r in moved.itertuples(index=False)]
                console.print(table(title, ["姓名", "原类别", "现类别", "理由"], crows))
                sheets.append(
                    ResultSheet(
                        "类别变动", f"{name}党支部党员类别动态调整", ["姓名", "原类别", "现类别", "理由"], crows
                    )
                )
        if not no_write:
            path = (out or ctx.root / "输出" / f"分类{day:%Y%m%d}") / name / "党员分类（内部资料）.xlsx"
            write_results(path, sheets)
            console.print(f"已写入：{path}")
    finish(ctx)


def register(app: typer.Typer) -> None:
    app.command("classify")(classify)

"""`dangyuan classify`: each member's class with its reason, who moved, floating members."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from dangyuan_cli.cli.common import finish, parse_period_or_exit, prepare_or_exit, resolve_as_of, resolve_branch
from dangyuan_cli.cli.options import AsOf, Branch, JsonFlag, NoWrite, Out, PeriodOpt, Strict, Workspace
from dangyuan_cli.cli.render import EXIT_USAGE, console, fail, print_json, table

Since = Annotated[
    Path | None,
    typer.Option("--since", help="与之前的分类结果比较（classify --json 的输出文件）；默认与最近一次结账时的分类比较"),
]


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
    write_roster: Annotated[
        bool, typer.Option("--write-roster", help="把分类结果作为新列写入名册的副本（输出目录中，原文件不变）")
    ] = False,
) -> None:
    """党员分类（六类或四类，按预设）：主类别、全部符合的类别和理由；与上次分类比较，列出流动党员联系情况。"""
    import pandas as pd

    from dangyuan_cli.app.compute import classify_for, classify_since
    from dangyuan_cli.publish.tables import class_tables, write_tables

    ctx = prepare_or_exit(workspace, strict, as_json, out)
    day = resolve_as_of(as_of, period, ctx.rules.points.month_cutoff_day)
    branch = resolve_branch(ctx, branch)
    previous, label = None, ""
    if since is not None:
        try:
            previous = pd.DataFrame(json.loads(since.read_text("utf-8")))[["branch", "name", "member_id", "category"]]
            previous["member_id"] = _internal_keys(previous, ctx.members)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            fail(f"--since 文件无法读取（应为 classify --json 的输出）：{exc}", EXIT_USAGE)
        label = str(since)
    result = classify_for(ctx, day) if previous is None else classify_since(ctx, day, previous, label)
    classes = result.classes if branch is None else result.classes[result.classes["branch"] == branch]
    if as_json:
        from dangyuan_cli.registers.frames import public_ids

        ids = public_ids(ctx.members)
        print_json(
            [
                {k: r[k] for k in ("branch", "name", "category", "tags", "reason")}
                | {"member_id": ids.get(r["member_id"])}
                for r in classes.to_dict("records")
            ]
        )
        finish(ctx, as_json=True)
    floating = result.floating
    code = parse_period_or_exit(period, ctx.rules.points.month_cutoff_day).code if period else f"{day.year}"
    folder = ctx.output_dir(code, out)  # 输出/<期间>/<党支部>/, as every command
    for t in class_tables(classes, floating, result.changes, result.compared_with, day):
        console.print(table(t.title, t.header, t.rows))
        counts = classes[(classes["branch"] == t.branch) & (classes["category"] != "")]["category"].value_counts()
        console.print("  " + "，".join(f"{k}{v}人" for k, v in counts.items()))
        for sheet in t.sheets[1:]:
            console.print(table(sheet.title, sheet.header, sheet.rows) if sheet.rows else f"{sheet.title}：无")
        if not no_write:
            for path in write_tables([t], folder):
                console.print(f"已写入：{path}")
    if write_roster:
        _write_rosters(ctx, result.classes, folder)
    finish(ctx)


def _internal_keys(previous, members) -> list[str]:
    """The rows of an earlier `classify --json` (whose member_id is the roster's 编号, or null)
    matched to today's members: by 编号, else by a name the branch has once; the rest keep a key
    of their own (they are reported as no longer in the roster)."""
    from dangyuan_cli.registers.members import same_number

    found = []
    for r in previous.itertuples(index=False):
        mine = members[members["branch"] == r.branch]
        written = "" if r.member_id is None or r.member_id != r.member_id else str(r.member_id)
        hits = [k for k, n in zip(mine["member_id"], mine["number"], strict=True) if same_number(n, written)]
        if len(hits) != 1:
            hits = list(mine.loc[mine["name"] == r.name, "member_id"])
        found.append(hits[0] if len(hits) == 1 else f"{r.branch}-{r.name}-{written}（此前）")
    return found


def _write_rosters(ctx, classes, folder: Path) -> None:
    """One copy per roster sheet .xlsx, with a 党员分类 column; .xls rosters cannot be edited in place."""
    from dangyuan_cli.publish.writeback import add_column_to_copy

    category = dict(zip(classes["member_id"], classes["category"], strict=True))
    for roster in ctx.workspace.tables_of("roster"):
        if not roster.file.lower().endswith((".xlsx", ".xlsm")):
            console.print(f"[yellow]{roster.file} 是 .xls 老格式，不能写回分类；请另存为 .xlsx[/]")
            continue
        values = {
            r.sheet_row: category.get(ctx.workspace.names.member(roster, r).member_id, "") or "（不分类）"
            for r in roster.rows
            if ctx.workspace.names.member(roster, r)
        }
        target = folder / "名册（含分类）" / roster.file
        add_column_to_copy(ctx.root / roster.file, target, roster.sheet, roster.header_row, "党员分类", values)
        console.print(f"已写入名册副本：{target}")


def register(app: typer.Typer) -> None:
    from dangyuan_cli.cli.common import json_always

    app.command("classify")(json_always([])(classify))

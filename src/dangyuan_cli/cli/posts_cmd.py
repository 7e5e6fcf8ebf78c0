"""`dangyuan posts`: 定岗编组 — assign posts and groups, or check a kept 定岗编组台账."""

from __future__ import annotations

from pathlib import Path

import typer

from dangyuan_cli.cli.common import finish, prepare_or_exit, resolve_as_of, resolve_branch
from dangyuan_cli.cli.options import AsOf, Branch, NoWrite, Out, PeriodOpt, Strict, Workspace
from dangyuan_cli.cli.render import console, report_problems, table


def posts(
    workspace: Workspace = Path("."),
    period: PeriodOpt = None,
    as_of: AsOf = None,
    branch: Branch = None,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """一编三定：按“第一志愿、第二志愿、总体平衡”为无职党员定岗编组，推荐组长、分配包组干部，
    写出定岗编组台账（附件2样式）；已有定岗编组台账的支部则检查该台账。"""
    from dangyuan_cli.app.compute import posts_for
    from dangyuan_cli.domain.posts import group_name
    from dangyuan_cli.publish.group_ledgers import write_group_ledger
    from dangyuan_cli.publish.results import ResultSheet

    ctx = prepare_or_exit(workspace, strict, out=out)
    day = resolve_as_of(as_of, period, ctx.rules.points.month_cutoff_day)
    branch = resolve_branch(ctx, branch)
    names = dict(zip(ctx.members["member_id"], ctx.members["name"], strict=True))
    for bp in posts_for(ctx, day):
        if branch and bp.branch != branch:
            continue
        if bp.existing is not None:
            sizes = bp.existing.groupby("group").size()
            console.print(f"[bold]{bp.branch}[/] 已有定岗编组台账：{len(sizes)}个小组，{len(bp.existing)}人 — 已检查")
            report_problems(bp.problems, warnings=True)
            if not bp.problems:
                console.print("  ✓ 未发现问题")
            continue
        report_problems(bp.problems, warnings=True)
        a = bp.assignment
        if a is None:
            continue
        rows = [
            [
                group_name(g.post),
                len(g.members),
                names.get(g.leader, ""),
                g.leader_reason,
                names.get(g.cadre, ""),
                "、".join(names[i] for i in g.members),
            ]
            for g in a.groups
        ]
        console.print(table(f"{bp.branch} 定岗编组", ["小组", "人数", "组长", "组长理由", "包组干部", "成员"], rows))
        moved = [[names[i], a.placed[i], why] for i, why in a.notes.items()]
        if moved:
            console.print(table(f"{bp.branch} 未按第一志愿安排的党员", ["姓名", "安排岗位", "理由"], moved))
        excused = [[names[i], why] for i, why in a.excused.items()]
        if excused:
            console.print(table(f"{bp.branch} 不参加认岗的党员", ["姓名", "理由"], excused))
        if not no_write:
            path = ctx.output_dir(f"{day.year}", out) / bp.branch / "定岗编组台账.xlsx"
            extra = [
                ResultSheet("定岗说明", f"{bp.branch}党支部定岗说明", ["姓名", "安排岗位", "理由"], moved),
                ResultSheet("不参加认岗", f"{bp.branch}党支部不参加认岗党员", ["姓名", "理由"], excused),
            ]
            write_group_ledger(path, bp.branch, a, ctx.members[ctx.members["branch"] == bp.branch], extra)
            console.print(f"已写入：{path}")
    finish(ctx)


def register(app: typer.Typer) -> None:
    app.command("posts")(posts)

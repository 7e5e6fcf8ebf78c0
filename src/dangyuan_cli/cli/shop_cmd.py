"""`dangyuan shop`: 先锋超市 balances as of a day (redeemable points earned − points spent)."""

from __future__ import annotations

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
from dangyuan_cli.cli.render import console, print_json

SHOP_KEYS = ["branch", "name", "member_id", "earned", "spent", "balance"]


def shop_json(frame, ids: dict[str, str | None]) -> list[dict]:
    return [
        {
            "branch": r["branch"],
            "name": r["name"],
            "member_id": ids.get(r["member_id"]),
            "earned": float(r["earned"]),
            "spent": float(r["spent"]),
            "balance": float(r["balance"]),
        }
        for r in frame.to_dict("records")
    ]


def shop(
    workspace: Workspace = Path("."),
    as_of: AsOf = None,
    period: PeriodOpt = None,
    branch: Branch = None,
    as_json: JsonFlag = False,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """先锋超市积分余额：可兑换积分（默认为贡献加分扣除违规扣分，基础积分不可兑换）减去已兑换积分；
    兑换不影响积分排名和星级。超出兑换日余额的兑换是数据错误。写入“先锋超市积分余额.xlsx”。
    --json 输出列表，每项键为 branch, name, member_id, earned, spent, balance。"""
    from dangyuan_cli.app.compute import shop_for
    from dangyuan_cli.app.member_registers import shop_basis
    from dangyuan_cli.publish.member_registers import shop_tables
    from dangyuan_cli.registers.frames import public_ids

    ctx = prepare_or_exit(workspace, strict, as_json, out)
    branch = resolve_branch(ctx, branch)
    cutoff = ctx.rules.points.month_cutoff_day
    day = resolve_as_of(as_of, period, cutoff)
    balances, _ = shop_for(ctx, day)
    if branch is not None:
        balances = balances[balances["branch"] == branch]
    if as_json:
        print_json(shop_json(balances, public_ids(ctx.members)))
        finish(ctx, as_json=True)
    folder = ctx.output_dir(parse_period_or_exit(period or str(day.year), cutoff), out)
    show_tables(shop_tables(balances, day, shop_basis(ctx.rules)), folder, no_write)
    if balances.empty:
        console.print("没有可显示的党员（名册为空或所在党支部已跳过）")
    finish(ctx)


def register(app: typer.Typer) -> None:
    from dangyuan_cli.cli.common import json_always

    app.command("shop")(json_always([])(shop))

"""`dangyuan vote`: 双推双评 — tally the 民主评议票 per branch and candidate (seed 004)."""

from __future__ import annotations

from pathlib import Path

import typer

from dangyuan_cli.cli.common import (
    finish,
    one_period,
    parse_period_or_exit,
    prepare_or_exit,
    resolve_branch,
    stop_on_template_problems,
)
from dangyuan_cli.cli.options import Branch, JsonFlag, NoWrite, OldYear, Out, Strict, Workspace, YearPeriod
from dangyuan_cli.cli.render import console, print_json, report_problems, table

JSON_KEYS = (
    "branch",
    "name",
    "member_id",
    "party_ballots",
    "mass_ballots",
    "excellent_share",
    "poor_share",
    "item_poor_share",
    "result",
    "reason",
    "bar_until",
)


def vote_json(results, ids: dict[str, str | None]) -> list[dict]:
    rows = []
    for r in results.to_dict("records"):
        row = {k: r[k] for k in JSON_KEYS if k != "member_id"}
        row["member_id"] = ids.get(r["member_id"])
        row["bar_until"] = None if r["bar_until"] is None else f"{r['bar_until']:%Y-%m-%d}"
        rows.append({k: row[k] for k in JSON_KEYS})
    return rows


TERMINAL_HEADER = ["姓名", "党员票", "群众票", "优秀", "差", "结果", "理由"]


def terminal_rows(results) -> list[list]:
    rows = []
    for r in results.itertuples(index=False):
        nominated = "" if r.nominations is None else f"；推荐票{r.nominations}张{'，获推荐' if r.nominated else ''}"
        rows.append(
            [
                r.name,
                r.party_ballots,
                r.mass_ballots,
                f"{r.excellent_share:.1%}",
                f"{r.poor_share:.1%}",
                r.result,
                r.reason + nominated,
            ]
        )
    return rows


def vote(
    workspace: Workspace = Path("."),
    period: YearPeriod = None,
    year: OldYear = None,
    branch: Branch = None,
    as_json: JsonFlag = False,
    strict: Strict = False,
    out: Out = None,
    no_write: NoWrite = False,
) -> None:
    """双推双评：统计民主评议票。综合评价“优秀”过半且各单项“差”票不超过20%的，可列为发展对象人选；
    “差”票超过50%的，取消入党积极分子资格，半年内不得重新确定。参加评议的党员须超过支部党员半数、
    群众不少于到会党员的2/3，否则评议无效。写出民主评议结果工作簿和双评结果公示（5个工作日）。"""
    from dangyuan_cli.app.development import votes_for, write_votes
    from dangyuan_cli.registers.frames import public_ids

    period = one_period(period, year=year)
    parse_period_or_exit(period, 0, ("year",))  # a wrong period before the registers are read
    ctx = prepare_or_exit(workspace, strict, as_json, out)
    branch = resolve_branch(ctx, branch)
    p = parse_period_or_exit(period, ctx.rules.points.month_cutoff_day, ("year",))
    tally = votes_for(ctx, p.year)
    results = tally.results if branch is None else tally.results[tally.results["branch"] == branch]
    mine = [q for q in tally.problems if branch is None or q.branch == branch]
    if as_json:
        print_json(vote_json(results, public_ids(ctx.members)))
        report_problems(mine, to_stderr=True, warnings=True)
        finish(ctx, as_json=True)
    if results.empty:
        console.print(f"{p.label}没有可统计的民主评议票（民主评议票：被评议人、评议人类别、综合评价……）")
    report_problems(mine, warnings=True)
    for branch, group in results.groupby("branch", sort=True):
        console.print(table(f"{branch} {p.year}年民主评议（双评）结果", TERMINAL_HEADER, terminal_rows(group)))
        q = tally.quorums.get(branch)
        if q is not None:
            enough = "参加人数符合要求" if q.ok else "参加人数不足，评议结果无效，不予公示"
            console.print(f"支部党员总数{q.members}人，参加评议党员{q.party}人、群众{q.masses}人；{enough}")
    if not no_write:
        stop_on_template_problems(ctx.root, ("votes",))
        wanted = set(results["branch"])
        for paths in write_votes(ctx, p, ctx.output_dir(p, out), wanted).values():
            for path in paths:
                console.print(f"已写入：{path}")
    finish(ctx)


def register(app: typer.Typer) -> None:
    from dangyuan_cli.cli.common import json_always

    app.command("vote")(json_always([])(vote))

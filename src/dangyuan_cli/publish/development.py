"""Outputs of 双推双评 and 发展党员 (seed 004): the 民主评议结果 workbook, the 双评结果公示
(through the documents machinery, public fields only) and the 发展党员工作提醒 (内部资料)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from dangyuan_cli.core.periods import Period
from dangyuan_cli.domain.votes import INVALID
from dangyuan_cli.publish.documents.calendar import chinese_date, working_span
from dangyuan_cli.publish.documents.kinds import INTROS, KINDS, build
from dangyuan_cli.publish.files import write_atomic
from dangyuan_cli.publish.results import ResultSheet
from dangyuan_cli.publish.tables import BranchTable

ITEMS = ("政治表现", "道德品行", "遵纪守法", "工作表现", "履行承诺")
RESULT_HEADER = ["姓名", "党员票", "群众票", "优秀占比", "差票占比", "单项差票最高", "评议结果", "理由", "推荐票"]


def _pct(value: float) -> float:
    return round(value * 100, 1)


def vote_tables(tally, year: int) -> list[BranchTable]:
    """Per branch: the results (shares in %, numbers as numbers) and every count behind them —
    综合评价 and the five items, for 党员, 群众 and together."""
    tables = []
    for branch, group in tally.results.groupby("branch", sort=True):
        rows, detail = [], []
        for r in group.itertuples(index=False):
            worst = max(r.item_poor_share.values()) if r.item_poor_share else 0.0
            rows.append(
                [
                    r.name,
                    r.party_ballots,
                    r.mass_ballots,
                    _pct(r.excellent_share),
                    _pct(r.poor_share),
                    _pct(worst),
                    r.result,
                    r.reason,
                    "" if r.nominations is None else r.nominations,
                ]
            )
            for who in ("党员", "群众", "合计"):
                for item in ("综合评价", *ITEMS):
                    c = r.counts[who][item]
                    total = sum(c.values())
                    poor = round(c["差"] / total * 100, 1) if total else None
                    detail.append([r.name, who, item, c["优秀"], c["一般"], c["差"], total, poor])
        q = tally.quorums.get(branch)
        notes = []
        if q is not None:
            notes.append(
                f"支部党员总数{q.members}人，参加评议党员{q.party}人、群众{q.masses}人；"
                + ("参加人数符合要求。" if q.ok else "参加人数不足，评议结果无效，请补充评议。")
            )
        notes.append("优秀占比、差票占比为百分数（%）。")
        sheets = [
            ResultSheet("评议结果", f"{branch}党支部{year}年入党积极分子民主评议结果", RESULT_HEADER, rows, notes),
            ResultSheet(
                "票数明细",
                f"{branch}党支部{year}年民主评议票数明细",
                ["姓名", "评议人", "项目", "优秀", "一般", "差", "合计", "差票占比"],
                detail,
            ),
        ]
        tables.append(BranchTable(branch, f"{branch} {year}年民主评议（双评）结果", "民主评议结果.xlsx", sheets))
    return tables


DEVELOP_HEADER = ["姓名", "当前阶段", "下一步", "最早时间", "提醒", "公示", "问题"]


def develop_tables(frame: pd.DataFrame, as_of: dt.date) -> list[BranchTable]:
    tables = []
    for branch, group in frame.groupby("branch", sort=True):
        rows = [
            [
                r.name,
                r.stage,
                r.next_stage,
                f"{r.due:%Y-%m-%d}" if r.due else "",
                r.notice,
                r.publicity,
                "；".join(r.problems),
            ]
            for r in group.itertuples(index=False)
        ]
        sheet = ResultSheet(
            "发展党员提醒",
            f"{branch}党支部发展党员工作提醒（截至{as_of:%Y年%m月%d日}）",
            DEVELOP_HEADER,
            rows,
            ("内部资料，注意保密",),
        )
        tables.append(
            BranchTable(branch, f"{branch} 发展党员工作提醒（内部资料）", "发展党员工作提醒（内部资料）.xlsx", [sheet])
        )
    return tables


def write_publicity_texts(frame: pd.DataFrame, folder: Path, signer: str, objections: str) -> list[Path]:
    """Per branch, the 公示 texts ready to post for the stages due (004 全程公示: 5个工作日)."""

    written = []
    for branch, group in frame[frame["publicity"] != ""].groupby("branch", sort=True):
        parts = []
        for r in group.itertuples(index=False):
            parts += [
                f"# {branch}党支部发展党员公示（{r.name}）",
                "",
                f"根据《关于实行“双推双评三全程”进一步规范发展党员工作的实施意见》全程公示的要求，{r.publicity}。{objections}",
                "",
                f"{signer.format(branch=branch)}  ",
                chinese_date(r.publicity_from),
                "",
            ]
        written.append(write_atomic(folder / branch / "发展党员公示文本.md", "\n".join(parts).encode("utf-8")))
    return written


def vote_documents(tally, period: Period, published: dt.date, rules) -> list:
    """One 双评结果公示 per branch whose评议 is valid (SPEC §11: 5 working days, seed 004)."""

    a = rules.announce
    span = working_span(published, a.development_working_days)
    documents = []
    for branch, records in tally.results.groupby("branch", sort=True):
        records = records[records["result"] != INVALID]
        if records.empty:
            continue
        intro = INTROS["votes"].format(branch=branch, label=period.label)
        documents.append(
            build(
                KINDS["votes"],
                branch,
                period,
                records,
                published,
                span,
                a.signer,
                a.objections,
                f"{a.development_working_days}个工作日",
                intro,
            )
        )
    return documents

"""The tables every command shows and writes: one place builds them, the commands and `run` share.

A `BranchTable` is one branch's result as a titled table; the terminal prints it with rich, the
output folder gets it as a styled workbook sheet.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

import pandas as pd

from dangyuan_cli.core.formatting import fmt, star_text
from dangyuan_cli.core.periods import Period, within
from dangyuan_cli.core.rows import row_tuples
from dangyuan_cli.domain.boards import in_board_order
from dangyuan_cli.domain.duty import quarter_of
from dangyuan_cli.domain.posts import same_group
from dangyuan_cli.publish.documents.kinds import KINDS, build
from dangyuan_cli.publish.documents.render import write_document
from dangyuan_cli.publish.group_ledgers import write_duty_ledger
from dangyuan_cli.publish.report_xlsx import write_report_workbook
from dangyuan_cli.publish.results import ResultSheet, write_results
from dangyuan_cli.publish.xlsx import Block, new_workbook, save_and_discard, write_sheet


def number(value: object) -> object:
    """A figure for a workbook cell: stored as a number (120.0 → 120), blank when missing, so a
    clerk's SUM and sort work; anything else as its text."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    try:  # numpy scalars
        return number(value.item())
    except AttributeError:
        return fmt(value)


@dataclass
class BranchTable:
    branch: str
    title: str
    file: str
    sheets: list[ResultSheet]

    @property
    def header(self) -> list[str]:
        return list(self.sheets[0].header)

    @property
    def rows(self) -> list[list[object]]:
        return [list(r) for r in self.sheets[0].rows]


def by_branch(
    frame: pd.DataFrame, by: Sequence[str] = (), ascending: bool | list[bool] = True, columns: Sequence[str] = ()
) -> Iterator:
    """(branch, its rows as named tuples) in branch order, each branch's rows ordered by `by`:
    one stable sort and one itertuples over the whole part, not a groupby, a sort and a frame
    per branch (a county part has hundreds). The same rows in the same order as
    `frame.groupby("branch", sort=True)` with `group.sort_values(by, ascending)`. `columns`:
    only these in the tuples (a date column costs a Timestamp per row even when unused)."""
    asc = ascending if isinstance(ascending, list) else [ascending] * len(by)
    ordered = frame[frame["branch"].notna()].sort_values(["branch", *by], ascending=[True, *asc], kind="stable")
    return _tuples_by_branch(ordered, columns)


def _tuples_by_branch(ordered: pd.DataFrame, columns: Sequence[str]) -> Iterator:
    # a missing column stays missing: the row's attribute fails where it is used, as before
    wanted = ordered[[c for c in dict.fromkeys(["branch", *columns]) if c in ordered.columns]] if columns else ordered
    return itertools.groupby(row_tuples(wanted), key=attrgetter("branch"))


def rows_of_branch(frame: pd.DataFrame) -> dict[str, list]:
    """Each branch's rows (named tuples) in the frame's order: a lookup per branch without a
    boolean mask over the whole frame per branch."""
    found: dict[str, list] = defaultdict(list)
    for r in row_tuples(frame):
        found[r.branch].append(r)
    return found


def write_tables(tables: Iterable[BranchTable], folder: Path) -> list[Path]:
    return [write_results(folder / t.branch / t.file, t.sheets) for t in tables]


def score_tables(frame: pd.DataFrame, period: Period) -> list[BranchTable]:
    sub_year = period.kind != "year"
    header = [
        "姓名",
        "类别",
        "基础积分",
        "贡献加分",
        "违规扣分",
        "一票否决",
        "总分",
        *(["年度累计"] if sub_year else []),
        "说明",
    ]
    tables = []
    used = ["name", "category", "base", "contribution", "deduction", "vetoed", "total", "ytd_total", "exempt", "left"]
    for branch, group in by_branch(frame, ["total", "name"], [False, True], used):
        rows = [
            [
                r.name,
                r.category,
                number(r.base),
                number(r.contribution),
                number(r.deduction),
                "是" if r.vetoed else "",
                number(r.total),
                *([number(r.ytd_total)] if sub_year else []),
                "免于积分" if r.exempt else ("已转出，不排名" if r.left else ""),
            ]
            for r in group
        ]
        sheet = ResultSheet("积分汇总", f"{branch}党支部{period.label}党员积分汇总", header, rows)
        tables.append(BranchTable(branch, f"{branch} {period.label}积分", "积分汇总.xlsx", [sheet]))
    return tables


def _star_why(r) -> str:
    if r.exempt:
        return "免于积分，不定星"
    if r.left:
        return "已转出，不定星"
    if r.category == "入党积极分子":
        return "入党积极分子不定星级等次"
    return fmt(r.reason)


def star_tables(frame: pd.DataFrame, period: Period) -> list[BranchTable]:
    header = ["名次", "姓名", "类别", "总分", "星级", "等次", "理由"]
    tables = []
    used = ["rank", "name", "category", "total", "stars", "grade", "exempt", "left", "reason"]
    for branch, group in by_branch(frame.assign(_r=frame["rank"].fillna(10**6)), ["_r", "name"], columns=used):
        rows = [
            [number(r.rank), r.name, r.category, number(r.total), star_text(r.stars), fmt(r.grade), _star_why(r)]
            for r in group
        ]
        sheet = ResultSheet("星级评定", f"{branch}党支部{period.label}党员积分定星结果", header, rows)
        tables.append(BranchTable(branch, f"{branch} {period.label}积分定星", "星级评定.xlsx", [sheet]))
    return tables


def board_tables(frame: pd.DataFrame, period: Period) -> list[BranchTable]:
    header = ["榜单", "姓名", "当月净得分", "理由"]
    tables = []
    for branch, group in _tuples_by_branch(in_board_order(frame, ["branch"]), ["board", "name", "net", "board_reason"]):
        rows = [[r.board, r.name, number(r.net), r.board_reason] for r in group]
        sheet = ResultSheet("蓝黄红榜", f"{branch}党支部{period.label}党员积分蓝黄红榜", header, rows)
        tables.append(BranchTable(branch, f"{branch} {period.label}蓝黄红榜", "蓝黄红榜.xlsx", [sheet]))
    return tables


def ranking_tables(frame: pd.DataFrame, streaks: dict[str, set[str]], period: Period) -> list[BranchTable]:
    header = ["名次", "姓名", "本季度", "年度累计", "督促提醒", "说明"]
    tables = []
    for branch, group in by_branch(
        frame, columns=["rank", "name", "total", "ytd", "remind", "remind_reason", "member_id"]
    ):
        rows = []
        for r in group:
            notes = [r.remind_reason] if r.remind else []
            notes += [label for label, ids in streaks.items() if r.member_id in ids]
            rows.append(
                [
                    number(r.rank),
                    r.name,
                    number(r.total),
                    number(r.ytd),
                    "是" if r.remind else "",
                    "；".join(n for n in notes if n),
                ]
            )
        sheet = ResultSheet("季度排名", f"{branch}党支部{period.label}党员积分排名（内部，含督促提醒）", header, rows)
        tables.append(
            BranchTable(
                branch, f"{branch} {period.label}积分排名（截至季末累计）", "季度积分排名（内部资料）.xlsx", [sheet]
            )
        )
    return tables


def consequence_tables(frame: pd.DataFrame, period: Period) -> list[BranchTable]:
    header = ["名单", "姓名", "依据", "期限"]
    tables = []
    for branch, group in by_branch(frame, columns=["list", "name", "reason", "due"]):
        rows = [[r.list, r.name, r.reason, r.due] for r in group]
        sheet = ResultSheet(
            "结果运用", f"{branch}党支部{period.label}积分定星结果运用名单", header, rows, ("内部资料，注意保密",)
        )
        tables.append(
            BranchTable(
                branch, f"{branch} {period.label}积分定星结果运用（内部资料）", "结果运用名单（内部资料）.xlsx", [sheet]
            )
        )
    return tables


def class_tables(
    classes: pd.DataFrame, floating: pd.DataFrame, changes: pd.DataFrame | None, compared_with: str, day
) -> list[BranchTable]:
    tables = []
    floating_of = rows_of_branch(floating)
    changes_of = rows_of_branch(changes) if changes is not None else {}
    for branch, group in by_branch(classes, ["category", "name"], columns=["name", "category", "tags", "reason"]):
        header = ["姓名", "类别", "同时符合", "理由"]
        rows = [[r.name, r.category or "—", "、".join(r.tags[1:]), r.reason] for r in group]
        sheets = [ResultSheet("党员分类", f"{branch}党支部党员分类（{day:%Y年%m月%d日}）", header, rows)]
        mine = floating_of.get(branch, [])
        if mine:
            frows = [
                [
                    r.name,
                    "失联" if r.lost else "",
                    f"{r.last_contact:%Y-%m-%d}" if r.last_contact else "无记录",
                    r.reason,
                ]
                for r in mine
            ]
            sheets.append(
                ResultSheet("流动党员", f"{branch}党支部流动党员联系情况", ["姓名", "状态", "最近联系", "说明"], frows)
            )
        if changes is not None:
            crows = [[r.name, r.before, r.after, r.reason] for r in changes_of.get(branch, [])]
            sheets.append(
                ResultSheet(
                    "类别变动",
                    f"{branch}党支部党员类别动态调整（与{compared_with}相比）",
                    ["姓名", "原类别", "现类别", "理由"],
                    crows,
                )
            )
        tables.append(
            BranchTable(branch, f"{branch} 党员分类（基准日{day:%Y-%m-%d}）", "党员分类（内部资料）.xlsx", sheets)
        )
    return tables


def write_report(report, period: Period, folder: Path, published, workspace: Path) -> list[Path]:
    """The report upward: the workbook with charts, then the summary as .docx and .md."""

    skipped = [[b, why] for b, why in report.skipped.items()]
    paths = [
        write_report_workbook(folder / f"{report.title}.xlsx", report.title, report.summary, report.branches, skipped)
    ]
    area = report.title.removesuffix(f"{period.label}党员积分定星工作情况报告")
    doc = build(KINDS["report"], area, period, report.summary, published, None, report.signer, "", "", "")
    doc.title, doc.intro = report.title, report.paragraphs
    return paths + write_document(doc, folder, ("docx", "md"), workspace)


def write_duty_month(folder: Path, branch: str, period: Period, groups: list[str], records: pd.DataFrame) -> Path:
    """The month's 履岗记实台账 of one branch (附件3): its records (`records`: the branch's rows),
    filed under the group names of the group list (`环境卫生保护岗` records land in `环境卫生保护组`)."""

    keep = within(records, period).to_numpy(dtype=bool) if not records.empty else None
    known: dict[str, str] = {}

    def group_of(g: str) -> str:
        if g not in known:
            known[g] = next((x for x in groups if same_group(x, g)), g)
        return known[g]

    path = folder / branch / "履岗记实台账.xlsx"
    month = f"{period.year}年{period.index}月"
    return write_duty_ledger(path, branch, period.label, month, groups, records, keep, group_of)


def write_duty_counts(folder: Path, branch: str, period: Period, per_member: pd.DataFrame) -> Path:
    """履岗参加次数统计: each member's participations per group in the month and the quarter so far
    (the branch's rows of the duty report's `per_member`). A workbook of its own, so the 附件3 ledger beside it can be
    filled in and read back as it is."""

    header = ["小组", "党员", f"{period.label}参加次数", f"{quarter_of(period).label}至今参加次数"]
    wb = new_workbook()
    write_sheet(
        wb.create_sheet("参加次数统计"),
        f"{branch}无职党员履岗参加次数统计（{period.label}）",
        [Block(header, duty_count_rows(per_member))],
        widths={"A": 18, "B": 16, "C": 18, "D": 26},
    )
    path = folder / branch / "履岗参加次数统计.xlsx"
    save_and_discard(wb, path)
    return path


def duty_count_rows(per_member: pd.DataFrame) -> list[list[object]]:
    """小组, 党员, month, quarter so far — one row per member of a group (a member of another group
    who took part in its records marked 外组); the terminal and the workbook show the same rows."""
    used = [c for c in ("group", "name", "guest", "month", "quarter") if c in per_member.columns]
    if len(used) == 5:  # each column's values once: itertuples over a column selection was most of it
        columns = (per_member[c].tolist() for c in used)
        return [
            [group, f"{name}（外组）" if guest else name, int(month), int(quarter)]
            for group, name, guest, month, quarter in zip(*columns, strict=True)
        ]
    return [
        [r.group, f"{r.name}（外组）" if r.guest else r.name, int(r.month), int(r.quarter)]
        for r in per_member[used].itertuples(index=False)
    ]

"""The report workbook: the roll-up split into sheets a clerk prints on A4 landscape, one page
wide each (overview, stars and grades, classes, consequences), and native Excel charts — one per
township over its branches, plus one over the townships when the report covers several (a chart
of 500 branches cannot be read)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dangyuan_cli.core.records import STAR_COLUMNS
from dangyuan_cli.publish.results import Chart, ResultSheet, write_results

LABELS = {"township": "乡镇（街道）", "branch": "党支部"}
KEYS = ["township", "branch"]
# the roll-up's column groups, by the prefix domain/report gives them; the rest is the overview
PARTS = (
    ("星级等次", "星级、等次", ("等次：",)),
    ("党员类别", "党员类别", ("类别：",)),
    ("结果运用", "结果运用", ("结果运用：",)),
    # the registers of SPEC §10/§10b: their prefixes name the register, so they stay in the header
    ("发展与台账", "发展党员、承诺践诺、先锋超市、后进转化", ("发展党员：", "承诺：", "先锋超市：", "后进：")),
)
KEEP_PREFIX = {"发展与台账"}


def _table(frame: pd.DataFrame, prefix: tuple[str, ...] = ()) -> tuple[list[str], list[list[object]]]:
    header = [LABELS.get(c, _unprefixed(c, prefix)) for c in frame.columns]
    rows = [
        ["" if (v is None or (isinstance(v, float) and v != v)) else v for v in r]
        for r in frame.itertuples(index=False)
    ]
    return header, rows


def _unprefixed(column: str, prefixes: tuple[str, ...]) -> str:
    return next((column.removeprefix(p) for p in prefixes if column.startswith(p)), column)


def summary_sheets(title: str, summary: pd.DataFrame) -> list[ResultSheet]:
    """汇总 (counts and averages) and one sheet per column group, each with 乡镇 and 党支部."""
    taken = set(KEYS)
    parts = []
    for name, label, prefixes in PARTS:
        stars = [c for c in STAR_COLUMNS if c in summary.columns] if name == "星级等次" else []
        cols = stars + [c for c in summary.columns if c.startswith(prefixes)]
        taken.update(cols)
        if cols:
            h, r = _table(summary[KEYS + cols], () if name in KEEP_PREFIX else prefixes)
            parts.append(ResultSheet(name, f"{title}——{label}", h, r, landscape=True))
    h, r = _table(summary[[c for c in summary.columns if c not in taken or c in KEYS]])
    return [ResultSheet("汇总", title, h, r, landscape=True), *parts]


def _distribution(title: str, name: str, what: str, branches: pd.DataFrame, cols: list[str]) -> list[ResultSheet]:
    """Branches by township with a chart per township; then, over several townships, their totals
    with one chart by township."""
    frame = branches[KEYS + cols].rename(columns={c: _unprefixed(c, ("类别：",)) for c in cols})
    header, rows = _table(frame)
    last = 1 + len(cols)
    charts, start = [], 0
    for township, group in frame.groupby("township", sort=False):
        end = start + len(group) - 1
        label = f"{township}各党支部{what}" if township else f"各党支部{what}"
        charts.append(Chart(label, 2, last, (start, end)))
        start = end + 1
    sheets = [ResultSheet(name, f"{title}——{what}", header, rows, charts=charts)]
    if frame["township"].nunique() > 1:
        totals = frame.groupby("township", sort=True)[frame.columns[2:]].sum().reset_index()
        h, r = _table(totals)
        h[0] = LABELS["township"]
        sheets.append(
            ResultSheet(
                f"乡镇{name}",
                f"{title}——各乡镇（街道）{what}",
                h,
                r,
                charts=[Chart(f"各乡镇（街道）{what}", 1, len(cols), None, 0)],
            )
        )
    return sheets


def write_report_workbook(
    path: Path, title: str, summary: pd.DataFrame, branches: pd.DataFrame, skipped: list[list[str]] | None = None
) -> Path:
    """Sheets 汇总, 星级等次, 党员类别, 结果运用 (A4 landscape, one page wide); 星级分布 and 类别分布
    with a chart per township (乡镇星级分布, 乡镇类别分布 by township over several); 未参加汇总
    naming each skipped branch and why."""
    sheets = summary_sheets(title, summary)
    star_cols = [c for c in STAR_COLUMNS if c in branches.columns]
    if star_cols:
        sheets += _distribution(title, "星级分布", "星级分布", branches, star_cols)
    class_cols = [c for c in branches.columns if c.startswith("类别：")]
    if class_cols:
        sheets += _distribution(title, "类别分布", "党员类别分布", branches, class_cols)
    if skipped:
        sheets.append(ResultSheet("未参加汇总", f"{title}——未参加汇总的党支部", ["党支部", "原因"], skipped))
    return write_results(path, sheets)

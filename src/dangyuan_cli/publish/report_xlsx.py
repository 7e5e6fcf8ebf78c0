"""The report workbook: the roll-up table and native Excel charts (star and class distribution)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dangyuan_cli.core.records import STAR_COLUMNS
from dangyuan_cli.publish.results import ResultSheet, write_results

LABELS = {"township": "乡镇（街道）", "branch": "党支部"}


def _table(frame: pd.DataFrame) -> tuple[list[str], list[list[object]]]:
    header = [LABELS.get(c, c) for c in frame.columns]
    rows = [
        ["" if (v is None or (isinstance(v, float) and v != v)) else v for v in r]
        for r in frame.itertuples(index=False)
    ]
    return header, rows


def write_report_workbook(
    path: Path, title: str, summary: pd.DataFrame, branches: pd.DataFrame, skipped: list[list[str]] | None = None
) -> Path:
    """Sheet 汇总: branches with township subtotals; sheets 星级分布 and 类别分布 with charts;
    sheet 未参加汇总 naming each skipped branch and why."""
    header, rows = _table(summary)
    sheets = [ResultSheet("汇总", title, header, rows)]
    star_cols = [c for c in STAR_COLUMNS if c in branches.columns]
    if star_cols:
        h, r = _table(branches[["township", "branch", *star_cols]])
        sheets.append(
            ResultSheet("星级分布", f"{title}——星级分布", h, r, chart=("各党支部星级分布", 2, 1 + len(star_cols)))
        )
    class_cols = [c for c in branches.columns if c.startswith("类别：")]
    if class_cols:
        frame = branches[["township", "branch", *class_cols]].rename(
            columns={c: c.removeprefix("类别：") for c in class_cols}
        )
        h, r = _table(frame)
        sheets.append(
            ResultSheet(
                "类别分布", f"{title}——党员类别分布", h, r, chart=("各党支部党员类别分布", 2, 1 + len(class_cols))
            )
        )
    if skipped:
        sheets.append(ResultSheet("未参加汇总", f"{title}——未参加汇总的党支部", ["党支部", "原因"], skipped))
    return write_results(path, sheets)

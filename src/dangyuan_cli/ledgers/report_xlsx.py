"""The report workbook: the roll-up table and native Excel charts (star and class distribution)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl.chart import BarChart, Reference

from dangyuan_cli.ledgers.xlsx import Block, new_workbook, save_atomic, write_sheet

LABELS = {"township": "乡镇（街道）", "branch": "党支部"}


def _table(frame: pd.DataFrame) -> tuple[list[str], list[list[object]]]:
    header = [LABELS.get(c, c) for c in frame.columns]
    rows = [
        ["" if (v is None or (isinstance(v, float) and v != v)) else v for v in r]
        for r in frame.itertuples(index=False)
    ]
    return header, rows


def _chart(ws, title: str, first_col: int, last_col: int, rows: int, anchor: str, stacked: bool) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = "人数"
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    data = Reference(ws, min_col=first_col, max_col=last_col, min_row=2, max_row=rows + 2)
    cats = Reference(ws, min_col=2, min_row=3, max_row=rows + 2)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, anchor)


def write_report_workbook(path: Path, title: str, summary: pd.DataFrame, branches: pd.DataFrame) -> Path:
    """Sheet 汇总: branches with township subtotals; sheets 星级分布 and 类别分布 with charts."""
    wb = new_workbook()
    header, rows = _table(summary)
    write_sheet(wb.create_sheet("汇总"), title, [Block(header, rows)])
    star_cols = [c for c in ("五星", "四星", "三星", "二星", "一星") if c in branches.columns]
    if star_cols:
        frame = branches[["township", "branch", *star_cols]]
        h, r = _table(frame)
        ws = wb.create_sheet("星级分布")
        write_sheet(ws, f"{title}——星级分布", [Block(h, r)])
        _chart(ws, "各党支部星级分布", 3, 2 + len(star_cols), len(r), f"A{len(r) + 5}", stacked=True)
    class_cols = [c for c in branches.columns if c.startswith("类别：")]
    if class_cols:
        frame = branches[["township", "branch", *class_cols]].rename(
            columns={c: c.removeprefix("类别：") for c in class_cols}
        )
        h, r = _table(frame)
        ws = wb.create_sheet("类别分布")
        write_sheet(ws, f"{title}——党员类别分布", [Block(h, r)])
        _chart(ws, "各党支部党员类别分布", 3, 2 + len(class_cols), len(r), f"A{len(r) + 5}", stacked=True)
    save_atomic(wb, path)
    return path

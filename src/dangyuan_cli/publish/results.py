"""Results workbooks: styled, print-ready tables written with xlsxwriter.

A county batch writes one of these per branch, so the writer is xlsxwriter (measured about twice
as fast as openpyxl for the same styled sheet); text is always written as text, so a name like
`=SUM(A1)` can never become a formula. openpyxl stays for the ledgers with dropdowns and charts.
"""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dangyuan_cli.publish.files import write_atomic

FIXED_TIME = datetime.datetime(2026, 1, 1)


@dataclass
class ResultSheet:
    name: str
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    notes: Sequence[str] = ()
    # a native stacked column chart of columns first..last (0-based) by the categories in column 1
    chart: tuple[str, int, int] | None = None  # (title, first column, last column)


def write_results(path: Path, sheets: Sequence[ResultSheet]) -> Path:
    import xlsxwriter

    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    wb = xlsxwriter.Workbook(buffer, options)
    wb.set_properties({"created": FIXED_TIME, "author": "dangyuan"})
    title = wb.add_format(
        {"bold": True, "font_name": "方正小标宋简体", "font_size": 18, "align": "center", "valign": "vcenter"}
    )
    head = wb.add_format(
        {
            "bold": True,
            "font_name": "黑体",
            "font_size": 11,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "border": 1,
            "bg_color": "#F2F2F2",
        }
    )
    body = wb.add_format(
        {"font_name": "宋体", "font_size": 11, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1}
    )
    note = wb.add_format({"font_name": "宋体", "font_size": 11})
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name[:31])
        width = max(len(sheet.header), 1)
        if width > 1:
            ws.merge_range(0, 0, 0, width - 1, sheet.title, title)
        else:
            ws.write_string(0, 0, sheet.title, title)
        ws.set_row(0, 36)
        for c, name in enumerate(sheet.header):
            ws.write_string(1, c, str(name), head)
        r = 2
        for r, values in enumerate(sheet.rows, start=2):
            for c, value in enumerate(values):
                if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
                    ws.write_blank(r, c, None, body)
                elif isinstance(value, int | float) and not isinstance(value, bool) and not _unwritable(value):
                    ws.write_number(r, c, value, body)
                else:
                    ws.write_string(r, c, str(value), body)
        for i, line in enumerate(sheet.notes, start=r + 2):
            ws.write_string(i, 0, line, note)
        ws.set_column(0, width - 1, 14)
        ws.freeze_panes(2, 0)
        ws.repeat_rows(1)
        ws.set_paper(9)  # A4
        if width > 7:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5)
        ws.set_footer("&C第 &P 页，共 &N 页")
        if sheet.chart and sheet.rows:
            _add_chart(wb, ws, sheet, r)
    wb.close()
    write_atomic(path, buffer.getvalue())  # xlsxwriter dates zip entries 1980-01-01: already reproducible
    return path


def _add_chart(wb, ws, sheet: ResultSheet, last_row: int) -> None:
    title, first, last = sheet.chart
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    for c in range(first, last + 1):
        chart.add_series(
            {
                "name": [ws.name, 1, c],
                "categories": [ws.name, 2, 1, last_row, 1],
                "values": [ws.name, 2, c, last_row, c],
                "overlap": 100,
            }
        )
    chart.set_title({"name": title})
    chart.set_y_axis({"name": "人数"})
    chart.set_size({"width": 720, "height": 360})
    ws.insert_chart(last_row + 3, 0, chart)


def _unwritable(value: float) -> bool:
    """xlsxwriter refuses inf and ints beyond a float; one that slips past the cell checks is
    written as text, not a crash."""
    try:
        return math.isinf(value)
    except OverflowError:
        return True

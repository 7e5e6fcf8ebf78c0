"""Results workbooks: styled, print-ready tables written with xlsxwriter.

A county batch writes one of these per branch, so the writer is xlsxwriter (measured about twice
as fast as openpyxl for the same styled sheet); text is always written as text, so a name like
`=SUM(A1)` can never become a formula. openpyxl stays for the ledgers with dropdowns and charts.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from dangyuan_cli.publish.files import write_atomic

FIXED_TIME = datetime.datetime(2026, 1, 1)


@dataclass(frozen=True)
class Chart:
    """A native stacked column chart of columns first..last (0-based) over the data rows `rows`
    (first, last; 0 = the first row under the header; None = all), by the categories in
    column `categories`."""

    title: str
    first: int
    last: int
    rows: tuple[int, int] | None = None
    categories: int = 1


@dataclass
class ResultSheet:
    name: str
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    notes: Sequence[str] = ()
    chart: tuple[str, int, int] | None = None  # (title, first column, last column): one Chart over all rows
    charts: Sequence[Chart] = ()
    landscape: bool | None = None  # None: landscape when wider than 7 columns

    def all_charts(self) -> list[Chart]:
        return ([Chart(*self.chart)] if self.chart else []) + list(self.charts)


def write_results(path: Path, sheets: Sequence[ResultSheet]) -> Path:
    # lazy: xlsxwriter is 46 ms of import (-X importtime) that commands printing no workbook skip
    from dangyuan_cli.publish.xlsx_rows import ReusingWorkbook, RowsSheet

    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    wb = ReusingWorkbook(buffer, options)
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
    text = wb.add_format(
        {"font_name": "宋体", "font_size": 11, "align": "left", "valign": "vcenter", "text_wrap": True, "border": 1}
    )
    internal = "内部资料" in path.name
    for sheet in sheets:
        widths, tall = _layout(sheet.header, sheet.rows)
        styles = [text if w >= WRAP_AT else body for w in widths]
        ws = wb.add_worksheet(sheet.name[:31], RowsSheet)
        width = max(len(sheet.header), 1)
        if width > 1:
            ws.merge_range(0, 0, 0, width - 1, sheet.title, title)
        else:
            ws.write_string(0, 0, sheet.title, title)
        ws.set_row(0, 36)
        for c, name in enumerate(sheet.header):
            ws.write_string(1, c, str(name), head)
        _fit_height(ws, 1, sheet.header, widths)
        for i, lines in sorted(tall.items()):
            ws.set_row(2 + i, LINE_HEIGHT * lines)
        ws.put_rows(2, sheet.rows, styles[:width], body)
        r = max(len(sheet.rows) + 1, 2)
        for i, line in enumerate(sheet.notes, start=r + 2):
            ws.write_string(i, 0, line, note)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.freeze_panes(2, 0)
        ws.repeat_rows(1)
        ws.set_paper(9)  # A4
        if sheet.landscape or (sheet.landscape is None and width > 7):
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5)
        ws.set_footer("&C第 &P 页，共 &N 页")
        if internal:  # every printed page, not only the file name (issue 14)
            ws.set_header('&L&"黑体,常规"&12内部资料')
        charts = sheet.all_charts() if sheet.rows else []
        for i, chart in enumerate(charts):
            # one chart: under the table; several: beside it, one under the other
            at = (r + 3, 0) if len(charts) == 1 else (1 + i * CHART_ROWS, width + 1)
            _add_chart(wb, ws, chart, r, at)
    wb.close()
    write_atomic(path, buffer.getvalue())  # xlsxwriter dates zip entries 1980-01-01: already reproducible
    return path


MIN_WIDTH, WRAP_AT = 6, 40  # Excel column widths (one unit ≈ one Latin character of 宋体 11)


class _Widths(dict):
    """str.translate table: a wide character becomes two, others stay; each code point is looked
    up in unicodedata once, so text_width runs in C (a county measures ~1.5 million cells)."""

    def __missing__(self, code: int) -> str | int:
        found = "ww" if unicodedata.east_asian_width(chr(code)) in "WFA" else code
        self[code] = found
        return found


_WIDTHS = _Widths()


def text_width(value: object) -> int:
    """Columns a value takes: a CJK (wide or ambiguous: ★, ①) character counts double."""
    text = value if isinstance(value, str) else str(value)
    return len(text) if text.isascii() else len(text.translate(_WIDTHS))


LINE_HEIGHT = 15  # points per line of 宋体 11


def _fit_height(ws, row: int, values: Sequence[object], widths: Sequence[float]) -> None:
    """Room for every line of a wrapped cell: Excel and LibreOffice keep a row one line high
    when the file sets no height, and the wrapped text is cut."""
    lines = _lines(values, widths)
    if lines > 1:
        ws.set_row(row, LINE_HEIGHT * lines)


def _lines(values: Sequence[object], widths: Sequence[float]) -> int:
    return max(
        (-(-text_width(v) // max(int(w) - 2, 1)) for v, w in zip(values, widths, strict=False) if isinstance(v, str)),
        default=1,
    )


def column_widths(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[float]:
    """Each column as wide as its longest value (the header may wrap onto two lines); long text
    stops at WRAP_AT and wraps inside the cell."""
    return _layout(header, rows)[0]


def _layout(header: Sequence[str], rows: Sequence[Sequence[object]]) -> tuple[list[float], dict[int, int]]:
    """column_widths, and the lines (> 1) each row's tallest wrapped text needs, by row index.
    Column by column with str.translate mapped in C; only a column stopped at WRAP_AT can hold
    a value wider than itself, so only those are looked at for row heights."""
    widths: list[float] = []
    tall: dict[int, int] = {}
    for c, name in enumerate(header):
        column = [r[c] if c < len(r) else None for r in rows]
        sizes = list(map(len, map(str.translate, map(str, column), repeat(_WIDTHS))))
        longest = max([n for n, v in zip(sizes, column, strict=True) if v is not None], default=0)
        head = -(-text_width(name) // 2) if text_width(name) > 8 else text_width(name)
        width = min(max(longest, head, MIN_WIDTH - 2) + 2, WRAP_AT)
        widths.append(width)
        room = max(int(width) - 2, 1)
        if longest > room:
            for i, (n, v) in enumerate(zip(sizes, column, strict=True)):
                if n > room and isinstance(v, str):
                    tall[i] = max(tall.get(i, 1), -(-n // room))
    if not header:  # no columns measured: the one default column, row by row
        widths = [MIN_WIDTH]
        for i, values in enumerate(rows):
            lines = _lines(values, widths)
            if lines > 1:
                tall[i] = lines
    return widths, tall


CHART_ROWS = 20  # rows a 360-pixel chart covers, with a gap


def _add_chart(wb, ws, spec: Chart, last_row: int, at: tuple[int, int]) -> None:
    first, last = (spec.rows[0] + 2, spec.rows[1] + 2) if spec.rows else (2, last_row)
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    for c in range(spec.first, spec.last + 1):
        chart.add_series(
            {
                "name": [ws.name, 1, c],
                "categories": [ws.name, first, spec.categories, last, spec.categories],
                "values": [ws.name, first, c, last, c],
                "overlap": 100,
            }
        )
    chart.set_title({"name": spec.title})
    chart.set_y_axis({"name": "人数"})
    chart.set_size({"width": min(max(480, 48 * (last - first + 1)), 1200), "height": 360})
    ws.insert_chart(at[0], at[1], chart)

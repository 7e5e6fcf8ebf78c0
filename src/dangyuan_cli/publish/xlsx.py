"""Styled, print-ready worksheets written with openpyxl (title, header, borders, A4).

Text from registers is always written as text: a name like `=SUM(A1)` never becomes a formula.
Files are written to a temporary name and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import datetime
import functools
import io
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet
from pandas import NA

from dangyuan_cli.publish.files import FixedTimeZip, write_atomic
from dangyuan_cli.publish.results import column_widths, text_width
from dangyuan_cli.publish.styled_rows import sheet_data

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name="方正小标宋简体", size=18, bold=True)
HEADER_FONT = Font(name="黑体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=11)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


@dataclass
class Block:
    """One table in a sheet: context lines above, header, rows, foot lines below."""

    header: Sequence[str]
    rows: Sequence[Sequence[object]] = ()
    context: Sequence[str] = ()
    foot: Sequence[str] = ()
    blank_rows: int = 0
    dropdowns: dict[str, Sequence[str]] = field(default_factory=dict)


def set_text(cell, value: object) -> None:
    """Write a value; strings stay strings even when they look like a formula; pandas' NA is a
    blank cell (openpyxl refuses it)."""
    cell.value = None if value is NA else value
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"


def _style_of(ws: Worksheet, font: Font, alignment: Alignment, border: Border):
    """The style array openpyxl keeps for this combination, registered once in the workbook."""
    probe = ws.cell(ws.max_row + 100, 1)
    probe.font, probe.alignment, probe.border = font, alignment, border
    style = copy(probe._style)
    ws._cells.pop((probe.row, probe.column), None)
    return style


class _Styles:
    """A sheet's cell styles by combination: the first cell of a combination registers it in the
    workbook as openpyxl's setters do (so in the same order: the same style ids), later cells
    copy its style array (each setter hashes the whole Font/Border object: most of a ledger's
    CPU)."""

    def __init__(self) -> None:
        self._known: dict[tuple, object] = {}

    def apply(self, cell, font: Font, alignment: Alignment | None = None, border=None, fill=None) -> None:
        key = (id(font), id(alignment), id(border), id(fill))
        known = self._known.get(key)
        if known is not None:
            cell._style = copy(known)
            return
        cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        if border is not None:
            cell.border = border
        if fill is not None:
            cell.fill = fill
        self._known[key] = copy(cell._style)


def write_sheet(ws: Worksheet, title: str, blocks: Sequence[Block], widths: dict[str, float] | None = None) -> None:
    width = max(len(b.header) for b in blocks)
    styles = _Styles()
    _merge_row(ws, 1, width)
    set_text(ws.cell(1, 1), title)
    styles.apply(ws.cell(1, 1), TITLE_FONT, CENTER)
    ws.row_dimensions[1].height = 36
    r = 2
    first_header = 0
    for block in blocks:
        for line in block.context:
            _merge_row(ws, r, width)
            set_text(ws.cell(r, 1), line)
            styles.apply(ws.cell(r, 1), BODY_FONT, LEFT)
            r += 1
        header_row = r
        first_header = first_header or header_row
        for c, name in enumerate(block.header, start=1):
            cell = ws.cell(r, c)
            set_text(cell, name)
            styles.apply(cell, HEADER_FONT, CENTER, BORDER, HEADER_FILL)
        r += 1
        body_start = r
        body_style = _style_of(ws, BODY_FONT, CENTER, BORDER)
        r = _body_rows(ws, r, block, body_style)
        for name, choices in block.dropdowns.items():
            if name not in block.header or r - 1 < body_start:
                continue
            col = get_column_letter(list(block.header).index(name) + 1)
            dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
            dv.error, dv.errorTitle = f"请从下拉列表中选择：{'、'.join(choices)}", "输入有误"
            dv.add(f"{col}{body_start}:{col}{max(r - 1, body_start)}")
            ws.add_data_validation(dv)
        for line in block.foot:
            set_text(ws.cell(r, 1), line)
            styles.apply(ws.cell(r, 1), BODY_FONT)
            r += 1
        r += 1 if len(blocks) > 1 else 0
    fitted = _content_widths(blocks, width)
    for c in range(1, width + 1):
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = (widths or {}).get(letter, fitted[c - 1])
    if len(blocks) == 1:
        ws.freeze_panes = ws.cell(first_header + 1, 1)
        ws.print_title_rows = f"{first_header}:{first_header}"
    setup_print(ws, landscape=width > 7)


def _merge_row(ws: Worksheet, row: int, width: int) -> None:
    """`ws.merge_cells` over columns 1..width of `row`. A row with no cells yet has no borders
    or protection to carry over: the same range and cells without openpyxl's second range and
    its border and protection passes (a fifth of a 履岗 ledger's sheet)."""
    if any((row, c) in ws._cells for c in range(1, width + 1)):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        return
    coord = f"A{row}" if width == 1 else f"A{row}:{get_column_letter(width)}{row}"  # CellRange.coord
    merged = MergedCellRange(ws, coord)  # makes the first cell
    ws.merged_cells.add(merged)
    merged.start_cell._style = StyleArray()  # what the protection pass leaves: the default, unstyled
    for c in range(2, width + 1):
        cell = ws._cells[row, c] = MergedCell(ws, row, c)
        cell._style = StyleArray()


def _body_rows(ws: Worksheet, r: int, block: Block, style: StyleArray) -> int:
    """The block's rows, then its blank rows, from row `r`, each cell in the body style (one
    style lookup per sheet, not four per cell); the row after them. The cells are new: made
    and stored as ws.cell does, without its checks per cell."""
    cells = ws._cells
    for values in block.rows:
        for c, value in enumerate(values, start=1):
            cell = cells[r, c] = Cell(ws, r, c)
            set_text(cell, value)
            cell._style = StyleArray(style)
        r += 1
    for _ in range(block.blank_rows):
        for c in range(1, len(block.header) + 1):
            cells[r, c] = Cell(ws, r, c, style_array=style)
        r += 1
    ws._current_row = max(ws._current_row, r - 1)  # what ws.cell keeps: the highest row made
    return r


def _content_widths(blocks: Sequence[Block], width: int) -> list[float]:
    """Each column as wide as its longest header or value (CJK counts double); a blank form
    keeps room to write in (14)."""
    header = [""] * width
    rows: list[Sequence[object]] = []
    for block in blocks:
        for c, name in enumerate(block.header):
            header[c] = max(header[c], str(name), key=text_width)
        rows.extend(block.rows)
    fitted = column_widths(header, rows)
    return [max(w, BLANK_WIDTH) for w in fitted] if not rows else fitted


BLANK_WIDTH = 14


def setup_print(ws: Worksheet, landscape: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


FIXED_TIME = datetime.datetime(2026, 1, 1)


def new_workbook() -> Workbook:
    """An empty workbook: `Workbook()` with its first sheet removed, made without that sheet
    (built to be thrown away, it was a third of a ledger's workbook set-up)."""
    wb = Workbook(write_only=True)  # the flag's one effect in __init__: no first sheet
    wb._Workbook__write_only = False
    wb.properties.creator = "dangyuan"
    return wb


def save_atomic(wb: Workbook, path: Path) -> None:
    """Write to a temporary file beside `path`, then rename over it; the same workbook gives
    the same bytes (fixed document times and zip dates)."""
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with FixedTimeZip(buffer) as archive:  # openpyxl's own save stamps the current time
        _writer_class()(wb, archive).save()
    write_atomic(path, buffer.getvalue())


def save_and_discard(wb: Workbook, path: Path) -> None:
    """save_atomic for a workbook no one uses afterwards: its cells dropped once written. Each
    cell and its sheet hold each other, so only the cyclic collector could free them; a
    county's ledgers left it tens of thousands to walk, again and again."""
    save_atomic(wb, path)
    for ws in wb.worksheets:
        ws._cells.clear()


@functools.cache
def _writer_class():
    """openpyxl's ExcelWriter, each worksheet's XML kept in memory: its own writer goes through a
    temporary file per sheet (create, write, read back, remove: half the CPU of a small ledger on
    a busy disk). Same XML, same zip entry."""
    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer import excel  # lazy: ~190 ms of import; only styled ledgers need it

    class TextRowsWriter(WorksheetWriter):
        def write_rows(self) -> None:  # openpyxl's, the rows written by styled_rows when it can
            data = sheet_data(self.ws)
            if data is None:
                return super().write_rows()
            xf = self.xf.send(True)
            with xf.element("sheetData"):
                xf.flush()  # lxml's buffer out first: the rows go straight after <sheetData>
                self.out.write(data)
            self.xf.send(None)
            return None

    class InMemoryWriter(excel.ExcelWriter):
        def write_data(self) -> None:
            # the library's, its styles.xml from _known_stylesheet (it calls its module's name)
            saved = excel.write_stylesheet
            excel.write_stylesheet = functools.partial(_known_stylesheet, saved)
            try:
                super().write_data()
            finally:
                excel.write_stylesheet = saved

        def write_worksheet(self, ws) -> None:  # openpyxl 3.1's, with `out` a BytesIO
            if self.workbook.write_only:
                return super().write_worksheet(ws)
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = TextRowsWriter(ws, out=io.BytesIO())
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], writer.read())
            self.manifest.append(ws)
            return None

    return InMemoryWriter


def _known_stylesheet(write_stylesheet, wb: Workbook):
    """openpyxl's styles.xml tree, built once per set of styles: a county's ledgers all register
    the same few (building the tree was 0.65 ms of a ledger's 4 ms). The key is everything
    openpyxl's write_stylesheet reads; the tree is only serialised, never changed."""
    key = (
        tuple(wb._fonts),
        tuple(wb._fills),
        tuple(wb._borders),
        tuple(wb._differential_styles.styles),
        tuple(wb._colors),
        tuple(wb._number_formats),
        tuple(tuple(style) for style in wb._cell_styles),
        tuple(wb._alignments),
        tuple(wb._protections),
        tuple((style, tuple(style._style)) for style in wb._named_styles),
        wb._table_styles,
    )
    tree = _STYLESHEETS.get(key)
    if tree is None:
        tree = _STYLESHEETS[key] = write_stylesheet(wb)
        if len(_STYLESHEETS) > 16:
            del _STYLESHEETS[next(iter(_STYLESHEETS))]
    return tree


_STYLESHEETS: dict[tuple, object] = {}

"""An xlsxwriter worksheet that takes a table's rows at once and writes its cells in one pass.

A county batch writes about 1,800 cells per branch into its results workbooks; xlsxwriter's
per-cell API (argument conversion, a bounds check per cell) and its per-cell XML writer were
a third of their CPU. The file is the same, byte for byte: cells in the same order, shared
strings numbered in the same order, numbers in the same `.16G` form. Anything this writer
does not know (comments, cells without a format, formulas …) goes the library's own way.
ReusingWorkbook zips the parts that repeat from file to file without deflating them again.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence

from pandas import NA  # a blank cell (`NA == ""` is NA, whose truth value raises)
from xlsxwriter import workbook as _workbook
from xlsxwriter import worksheet as _worksheet
from xlsxwriter.packager import Packager
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from dangyuan_cli.publish.files import ReusingZip

# the library's cell records (snake-case names in older xlsxwriter); tests/test_fast_writing.py
# checks that this writer still gives the library's own bytes
CellBlankTuple = getattr(_worksheet, "CellBlankTuple", None) or _worksheet.cell_blank_tuple
CellNumberTuple = getattr(_worksheet, "CellNumberTuple", None) or _worksheet.cell_number_tuple
CellStringTuple = getattr(_worksheet, "CellStringTuple", None) or _worksheet.cell_string_tuple

_LONG = 16383  # a longer string may need xlsxwriter's truncation to 32,767 UTF-16 units
_KNOWN = (CellStringTuple, CellNumberTuple, CellBlankTuple)
_HUGE = 1 << 1000  # an int this small is a finite float: no need to ask _unwritable


class ReusingWorkbook(Workbook):
    """xlsxwriter's Workbook zipped by files.ReusingZip: a results workbook's theme, styles,
    rels and properties are the same in every branch's file and were a third of its zip CPU."""

    def _store_workbook(self) -> None:
        # xlsxwriter opens its archive as its module's `ZipFile(...)`: that name, for this call
        saved = _workbook.ZipFile
        _workbook.ZipFile = ReusingZip
        try:
            super()._store_workbook()
        finally:
            _workbook.ZipFile = saved

    def _get_packager(self) -> Packager:
        return _Packager()

    def close(self) -> None:
        """xlsxwriter's, then each sheet's bound `workbook_add_format` let go: it held the
        workbook, so the whole workbook (~1,500 objects) waited for the cyclic collector."""
        super().close()
        for ws in self.worksheets():
            ws.workbook_add_format = None


class _Packager(Packager):
    """xlsxwriter's packager with sharedStrings.xml written in one piece when no string needs
    one of the library's special cases (a tag per string was 7 % of a results workbook)."""

    def _write_shared_strings_file(self) -> None:
        table = self.workbook.str_table
        strings = table.string_array
        if not table.count or not strings or not self.in_memory:  # else xlsxwriter writes temp files
            return super()._write_shared_strings_file()
        if _UNUSUAL.search("\n".join(strings)) or any(s[:1].isspace() or s[-1:].isspace() for s in strings):
            return super()._write_shared_strings_file()
        joined = "\x00".join(strings)  # \x00 is in no string now: a control character is unusual
        body = joined.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\x00", _SI_BETWEEN)
        self._filename("xl/sharedStrings.xml").write(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
            f' count="{table.count}" uniqueCount="{table.unique_count}"><si><t>{body}</t></si></sst>'
        )
        return None


# what xlsxwriter's <si> writer treats specially: its _xHHHH_ escapes, control characters, the
# two non-characters, rich strings (<r>…); whitespace at either end is checked string by string
_UNUSUAL = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]|<r>")
_SI_BETWEEN = "</t></si><si><t>"


class RowsSheet(Worksheet):
    """A worksheet with `put_rows`, and a faster `<sheetData>` writer for what it holds."""

    def put_rows(self, first: int, rows: Sequence[Sequence[object]], styles: Sequence, default) -> None:
        """Store `rows` from row `first` (0-based): a blank, NaN, NA or None as a styled blank cell,
        a number (not bool, not inf) as a number in `default`, anything else as its text;
        column c takes `styles[c]`, a column beyond them `default`."""
        if first + len(rows) > self.xls_rowmax or any(len(v) > self.xls_colmax for v in rows):
            return self._put_rows_slowly(first, rows, styles, default)
        index = self.str_table._get_shared_string_index
        table = self.table
        new = tuple.__new__  # the cell namedtuples' own __new__ is a Python function: 90,000 calls
        longest = max(map(len, rows), default=0)
        styles = [*styles, *[default] * (longest - len(styles))]
        blanks = {id(s): new(CellBlankTuple, (s,)) for s in styles}  # a blank cell is its style only
        top = bottom = right = -1
        for r, values in enumerate(rows, start=first):
            if len(values) == 0:
                continue
            cells = table[r]
            for c, value in enumerate(values):
                kind = value.__class__
                if kind is str and value and len(value) <= _LONG:  # most cells: plain text
                    cells[c] = new(CellStringTuple, (index(value), styles[c]))
                elif (kind is int and -_HUGE < value < _HUGE) or (kind is float and math.isfinite(value)):
                    cells[c] = new(CellNumberTuple, (value, default))
                elif value is None or value is NA or value == "" or (isinstance(value, float) and math.isnan(value)):
                    cells[c] = blanks[id(styles[c])]
                elif isinstance(value, int | float) and not isinstance(value, bool) and not _unwritable(value):
                    cells[c] = new(CellNumberTuple, (value, default))
                else:
                    text = str(value)
                    if len(text) > _LONG:
                        self._write_string(r, c, text, styles[c])
                    else:
                        cells[c] = new(CellStringTuple, (index(text), styles[c]))
            top = r if top < 0 else top
            bottom, right = r, max(right, len(values) - 1)
        if top >= 0:  # the bounds xlsxwriter's per-cell check would have kept
            self._check_dimensions(top, 0)
            self._check_dimensions(bottom, right)
        return None

    def _put_rows_slowly(self, first: int, rows: Sequence[Sequence[object]], styles: Sequence, default) -> None:
        width = len(styles)
        for r, values in enumerate(rows, start=first):
            for c, value in enumerate(values):
                style = styles[c] if c < width else default
                if value is None or value is NA or value == "" or (isinstance(value, float) and math.isnan(value)):
                    self.write_blank(r, c, None, style)
                elif isinstance(value, int | float) and not isinstance(value, bool) and not _unwritable(value):
                    self.write_number(r, c, value, default)
                else:
                    self.write_string(r, c, str(value), style)

    def _write_rows(self) -> None:
        real = self.fh
        self.fh = io.StringIO()
        try:
            done = self._write_known_rows()
            data = self.fh.getvalue()
        finally:
            self.fh = real
        if done:
            real.write(data)
        else:
            super()._write_rows()

    def _write_known_rows(self) -> bool:
        """xlsxwriter's `_write_rows` for rows of strings, numbers and blanks that all have a
        format and no comments; False (nothing usable written) for anything else."""
        if self.comments:
            return False
        self._calculate_spans()
        # each column's `<c r="A`, each format's `" s="3`: built once, not per cell
        cell_at = [f'<c r="{xl_col_to_name(c)}' for c in range(self.dim_colmax + 1)]
        xf: dict[int, str] = {}
        fh, table, row_info, spans = self.fh, self.table, self.row_info, self.row_spans
        # a row without set_row: xlsxwriter's <row> has only r and spans (no height, no 2010 attribute)
        plain = self.default_row_height == self.original_row_height and self.excel_version == 2007
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row_num)
            if not cells and row_num not in row_info:
                continue
            span = spans.get(row_num // 16)
            if not cells:
                self._write_empty_row(row_num, span, row_info[row_num])
                continue
            at = str(row_num + 1)
            if plain and row_num not in row_info:
                fh.write(f'<row r="{at}" spans="{span}">' if span else f'<row r="{at}">')
            else:
                self._write_row(row_num, span, row_info.get(row_num))
            parts = []
            append = parts.append
            for col_num, cell in sorted(cells.items()):
                kind = cell.__class__
                style = cell[-1]  # (string or number, format) or (format,)
                s = xf.get(id(style))
                if s is None:
                    if style is None or kind not in _KNOWN:
                        return False
                    s = xf[id(style)] = f'" s="{style._get_xf_index()}'
                if kind is CellStringTuple:
                    append(f'{cell_at[col_num]}{at}{s}" t="s"><v>{cell[0]}</v></c>')
                elif kind is CellNumberTuple:
                    append(f'{cell_at[col_num]}{at}{s}"><v>{cell[0]:.16G}</v></c>')
                elif kind is CellBlankTuple:
                    append(f'{cell_at[col_num]}{at}{s}"/>')
                else:
                    return False
            append("</row>")
            fh.write("".join(parts))
        return True

    def _calculate_spans(self) -> None:
        """The `spans` of each block of 16 rows: first and last column holding a cell (no
        comments here: `_write_known_rows` leaves sheets with comments to xlsxwriter)."""
        if self.comments:
            return super()._calculate_spans()
        low: dict[int, int] = {}
        high: dict[int, int] = {}
        for row_num, cells in self.table.items():
            if cells and self.dim_rowmin <= row_num <= self.dim_rowmax:
                block = row_num // 16
                low[block] = min(low.get(block, math.inf), min(cells))
                high[block] = max(high.get(block, -1), max(cells))
        self.row_spans = {block: f"{low[block] + 1}:{high[block] + 1}" for block in sorted(low)}
        return None


def _unwritable(value: float) -> bool:
    """xlsxwriter refuses inf and ints beyond a float; one that slips past the cell checks is
    written as text, not a crash."""
    try:
        return math.isinf(value)
    except OverflowError:
        return True

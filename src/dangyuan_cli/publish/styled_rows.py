"""openpyxl's `<sheetData>` for the styled ledgers (publish/xlsx.py), written as text in one pass.

openpyxl writes every cell through lxml's incremental writer (an element with its attributes
and a child or two per cell): a fifth of a 履岗 ledger's CPU. This gives the same bytes for the
cells those ledgers hold — text, numbers, styled blanks — as lxml writes them with no encoding
given: ASCII, `&`, `<`, `>` and a carriage return escaped, any other character beyond ASCII as
a decimal character reference. A sheet with anything else (a formula, a date, rich text, a
comment, a hyperlink, an unusual row attribute) is left to openpyxl's own writer, whole.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet


def sheet_data(ws: Worksheet) -> bytes | None:
    """What openpyxl writes between `<sheetData>` and `</sheetData>` (registering each written
    cell's style in the workbook in the same order, so the style ids are its own); None when
    the sheet needs openpyxl's writer."""
    by_row: dict[int, list] = defaultdict(list)
    for (row, _), cell in sorted(ws._cells.items()):
        by_row[row].append(cell)
    dimensions = ws.row_dimensions
    for row in dimensions.keys() - by_row.keys():
        by_row[row] = []
    register = ws.parent._cell_styles.add  # what cell.style_id does, in the same order
    ids: dict[bytes, str] = {}  # a style's index by its bytes: one hash of 9 ints, not three

    def style_id(style) -> str:
        key = style.tobytes()
        found = ids.get(key)
        if found is None:
            found = ids[key] = str(register(style))
        return found

    parts: list[str] = []
    for row, cells in sorted(by_row.items()):
        attributes = {"r": f"{row}"}
        attributes.update(dimensions.get(row, {}))
        if not all(_PLAIN.fullmatch(value) for value in attributes.values()):
            return None
        parts.append("<row " + " ".join(f'{key}="{value}"' for key, value in attributes.items()) + ">")
        for cell in cells:
            if cell._comment is not None or cell.hyperlink:
                return None
            value, style = cell._value, cell._style
            styled = style is not None and any(style)
            if value is None and not styled:
                continue
            kind = cell.data_type
            at = f'<c r="{get_column_letter(cell.column)}{row}"' + (f' s="{style_id(style)}"' if styled else "")
            if kind == "s" and value.__class__ is str:
                if not value:
                    parts.append(f'{at} t="inlineStr"></c>')
                    continue
                space = ' xml:space="preserve"' if value != value.strip() else ""
                text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
                parts.append(f'{at} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif kind == "n" and value is None:
                parts.append(f'{at} t="n"></c>')
            elif kind == "n" and (value.__class__ is int or value.__class__ is float) and math.isfinite(value):
                parts.append(f'{at} t="n"><v>{value:.16g}</v></c>')
            else:
                return None
        parts.append("</row>")
    xml = "".join(parts)
    if _UNWRITABLE.search(xml):  # lxml refuses these: openpyxl's writer raises its own error
        return None
    return xml.encode("ascii", "xmlcharrefreplace")


_PLAIN = re.compile(r"[0-9A-Za-z.+-]*")  # a row attribute written as it is (numbers, flags)
_UNWRITABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")

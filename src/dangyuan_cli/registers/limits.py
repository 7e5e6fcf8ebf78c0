"""A cheap look at a workbook before calamine reads it.

calamine builds a sheet as one dense block from A1 to its last cell, so a single cell at
XFD1048576 asks for 512 GB and aborts the process, and a 1 MB zip bomb expands to gigabytes.
Before reading, an .xlsx/.xlsm is opened as a zip: the directory gives each part's size, and each
worksheet's XML is streamed once (never built) to find the last row and column it references.
The `<dimension>` element is not trusted: calamine ignores it, and a file may leave it out or lie.
"""

from __future__ import annotations

import itertools
import operator
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path, PurePosixPath

from dangyuan_cli.core.rules.model import LimitsRules
from dangyuan_cli.registers.quick_zip import QuickZip

CHUNK = 1 << 20
HINT = "请删除多余的行列或在 dangyuan.toml [limits] 中调整"
# parts calamine reads whole when it opens a workbook
WHOLE_PARTS = ("xl/workbook.xml", "xl/sharedstrings.xml", "xl/styles.xml", "xl/_rels/workbook.xml.rels")


def _mb(n: int) -> str:
    if n >= 1e7:
        return f"{n / 1e6:.0f}MB"
    return f"{n / 1e6:.1f}MB" if n >= 1e6 else f"{n / 1e3:.0f}KB"


def refusals(path: Path, size: int, limits: LimitsRules) -> dict[str, str]:
    """Sheets too big to read safely → why ("" for the whole file); empty when all is well."""
    if size > limits.max_file_mb * 1_000_000:
        return {"": f"文件过大（{_mb(size)}），超过限制{limits.max_file_mb}MB；{HINT}"}
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}  # .xls is bounded by its format (65,536×256), checked again after opening
    try:
        with QuickZip(path) as quick:
            return _zip_refusals(quick, limits)
    except Exception:  # any doubt (`Unusual`, a part that does not read back): zipfile decides
        pass
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return {}  # not a zip (an encrypted workbook is not): calamine says what it is
    try:
        with zf:
            return _zip_refusals(zf, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        return {"": f"无法读取此文件（文件损坏、加密或不是Excel格式）：{exc}"}


def _zip_refusals(zf: zipfile.ZipFile | QuickZip, limits: LimitsRules) -> dict[str, str]:
    max_bytes = limits.max_sheet_mb * 1_000_000
    infos = {i.filename.lower(): i for i in zf.infolist()}
    for part in WHOLE_PARTS:
        info = infos.get(part)
        if info is not None and (info.file_size > max_bytes or _bomb(info, limits)):
            return {"": f"文件内容过大（{part}解压后{_mb(info.file_size)}），超过限制{limits.max_sheet_mb}MB；{HINT}"}
    screen = _screen(limits)
    found: dict[str, str] = {}
    for key, info in infos.items():
        if not (key.startswith("xl/worksheets/") and key.endswith(".xml")):
            continue
        sheet = key  # named below, only when refused
        if info.file_size > max_bytes:
            found[sheet] = f"工作表过大（解压后{_mb(info.file_size)}），超过限制{limits.max_sheet_mb}MB；{HINT}"
        elif _bomb(info, limits):
            ratio = info.file_size // max(info.compress_size, 1)
            found[sheet] = f"工作表压缩比异常（{ratio}倍，解压后{_mb(info.file_size)}），疑似恶意构造的文件；{HINT}"
        else:
            with zf.open(info) as stream:
                found_extent = extent(stream, screen)
            if found_extent is None:
                continue
            rows, cols = found_extent
            if over(rows, cols, limits):
                found[sheet] = too_big(rows, cols, limits)
    if found:
        names = _sheet_names(zf, infos)
        found = {names.get(k, PurePosixPath(k).stem): why for k, why in found.items()}
    return found


def over(rows: int, cols: int, limits: LimitsRules) -> bool:
    return rows > limits.max_rows or cols > limits.max_columns or rows * cols > limits.max_cells


def too_big(rows: int, cols: int, limits: LimitsRules) -> str:
    return (
        f"工作表过大（{rows}行×{cols}列），超过限制（{limits.max_rows}行、{limits.max_columns}列、"
        f"共{limits.max_cells}个单元格）；{HINT}"
    )


def _bomb(info: zipfile.ZipInfo, limits: LimitsRules) -> bool:
    # small parts compress well for harmless reasons (a run of empty rows); only big ones matter
    return info.file_size > 10_000_000 and info.file_size > limits.max_ratio * max(info.compress_size, 1)


def _sheet_names(zf: zipfile.ZipFile | QuickZip, infos: dict) -> dict[str, str]:
    """Worksheet part (lower case) → the sheet's name as the clerk sees it; {} when unreadable."""
    try:
        book = ET.fromstring(zf.read(infos["xl/workbook.xml"]))
        rels = ET.fromstring(zf.read(infos["xl/_rels/workbook.xml.rels"]))
    except (KeyError, ET.ParseError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id")] = part.lower()
    names = {}
    for el in book.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                names[targets[rid]] = el.get("name", "")
    return names


_REF = re.compile(rb' r="([A-Z]*)(\d+)"')
_TAG = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*)>")
_TAG_REF = re.compile(rb'\br="([A-Z]*)(\d+)"')
_ATTRIBUTES = operator.methodcaller("group", 2)  # a _TAG match's attributes
_LAST_ROW = re.compile(rb'<row [^>]*?\br="(\d+)"')


def column_number(letters: bytes | str) -> int:
    """A → 1, XFD → 16384."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n


# every digit → 0, every capital → A: a reference's shape (`"AA000"`) found by plain byte search
_SHAPE = bytes.maketrans(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"0" * 10 + b"A" * 26)


def _screen(limits: LimitsRules) -> tuple[bytes, ...] | None:
    """Shapes only a reference that could pass a limit has: a column with as many letters as the
    widest allowed (`"AA`), or a row with as many digits as the longest allowed (`000000"`). When
    neither occurs the sheet is known small without reading each reference; None when that bound
    would not be tight enough for `max_cells`."""
    letters = len(_letters(limits.max_columns))
    digits = len(str(limits.max_rows))
    widest = column_number("Z" * (letters - 1)) if letters > 1 else 0
    if (10 ** (digits - 1) - 1) * widest > limits.max_cells:
        return None
    return (b'"' + b"A" * letters, b"0" * digits + b'"')


def _letters(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _flagged(chunk: bytes, start: int, screen: tuple[bytes, ...]) -> bool:
    shapes = chunk.translate(_SHAPE)
    return any(shapes.find(shape, start) >= 0 for shape in screen)


def extent(stream, screen: tuple[bytes, ...] | None = None) -> tuple[int, int] | None:
    """(last row, last column), 1-based from A1, that reading the worksheet XML would fill; None
    when no shape of `screen` occurs, i.e. the sheet is surely within the limits it was made from.

    Every producer we know (Excel, WPS, openpyxl, xlsxwriter) writes `r="…"` on each `<row>` and
    `<c>`, so the largest reference is the extent. Each chunk is first screened by shape; only a
    chunk with a long reference (or a false alarm such as `sqref="C3:C1048576"`) is read reference
    by reference. A file whose first tags leave `r` out places cells by position, as calamine does
    too: then each tag is walked.
    """
    max_row = max_col = 0
    positional = exact = False
    first = True
    row = col = 0
    rest = b""
    while True:
        data = stream.read(CHUNK)
        chunk = rest + data
        cut = len(chunk) if not data else chunk.rfind(b">") + 1
        chunk, rest = chunk[:cut], chunk[cut:][-4096:]  # no real tag is longer; a hostile one is cut
        start = 0
        if first:
            first = False
            start = max(chunk.find(b"<sheetData"), 0)  # the XML declaration's "UTF-8" is no reference
            tags = itertools.islice(_TAG.finditer(chunk), 64)
            # any of the first tags without `r` (in C: a generator here cost as much as the screen)
            positional = exact = None in map(_TAG_REF.search, map(_ATTRIBUTES, tags))
        if positional:
            for m in _TAG.finditer(chunk):
                ref = _TAG_REF.search(m.group(2))
                if m.group(1) == b"row":
                    row = int(ref.group(2)) if ref else row + 1
                    col = 0
                else:
                    col = column_number(ref.group(1)) if ref and ref.group(1) else col + 1
                    if ref:
                        row = max(row, int(ref.group(2)))
                max_row, max_col = max(max_row, row), max(max_col, col)
        elif exact or screen is None or _flagged(chunk, start, screen):
            exact = True
            refs = _REF.findall(chunk)
            if refs:
                max_row = max(max_row, max(map(int, (d for _, d in refs))))
                widest = max({c for c, _ in refs}, key=lambda c: (len(c), c))
                max_col = max(max_col, column_number(widest))
        else:  # rows usually come in order: the last one keeps the count right if a later chunk is read
            last = _LAST_ROW.search(chunk, max(chunk.rfind(b"<row "), 0))
            if last:
                max_row = max(max_row, int(last.group(1)))
        if not data:
            return (max_row, max_col) if exact else None

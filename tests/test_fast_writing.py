"""The fast writers (issue 15) write the same bytes as the plain ones they replace: a results
sheet's rows stored at once and written in one pass give the file xlsxwriter's per-cell API
gives, for ordinary and awkward values alike; widths and row heights measured column-wise equal
the cell-by-cell measure."""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from dangyuan_cli.core.rows import frames_by_branch
from dangyuan_cli.publish.files import ReusingZip
from dangyuan_cli.publish.group_ledgers import write_duty_ledger
from dangyuan_cli.publish.results import Chart, ResultSheet, _layout, _lines, text_width, write_results
from dangyuan_cli.publish.xlsx import Block, new_workbook, save_atomic, write_sheet
from dangyuan_cli.publish.xlsx_rows import ReusingWorkbook, RowsSheet

AWKWARD = [
    "张三",
    "",
    None,
    float("nan"),
    float("inf"),
    -float("inf"),
    0,
    -3,
    2.5,
    1 / 3,
    1e300,
    10**400,
    True,
    False,
    np.int64(7),
    np.float64(1.25),
    np.str_("李四"),
    pd.Timestamp("2025-07-01"),
    "=SUM(A1)",
    "x\ny",
    "控制\x01符",
    "_x0041_",
    "长" * 20000,
    "★①",
]


def _book(sheet_class, rows: list[list[object]], width: int, workbook_class=xlsxwriter.Workbook) -> bytes:
    """A workbook of one sheet: a merged title, a header, then `rows` (the results layout)."""
    buffer = io.BytesIO()
    wb = workbook_class(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    wb.set_properties({"created": pd.Timestamp("2026-01-01").to_pydatetime()})
    body, text, title = wb.add_format({"border": 1}), wb.add_format({"align": "left"}), wb.add_format({"bold": True})
    ws = wb.add_worksheet("表", sheet_class)
    ws.merge_range(0, 0, 0, width - 1, "标题", title)
    ws.set_row(3, 30)
    styles = [text if c % 2 else body for c in range(width)]
    if sheet_class is RowsSheet:
        ws.put_rows(2, rows, styles, body)
    else:  # the per-cell writing results.py did before
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values):
                style = styles[c] if c < width else body
                if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
                    ws.write_blank(r, c, None, style)
                elif isinstance(value, int | float) and not isinstance(value, bool) and not _infinite(value):
                    ws.write_number(r, c, value, body)
                else:
                    ws.write_string(r, c, str(value), style)
    ws.write_string(len(rows) + 4, 0, "注", body)
    wb.close()
    return buffer.getvalue()


def _infinite(value: float) -> bool:
    try:
        return math.isinf(value)
    except OverflowError:
        return True


@pytest.mark.parametrize("seed", range(6))
def test_rows_stored_at_once_give_the_bytes_of_the_per_cell_api(seed: int) -> None:
    rng = np.random.default_rng(seed)
    width = 4
    rows = [
        [AWKWARD[i] for i in rng.integers(0, len(AWKWARD), size=int(rng.integers(0, width + 3)))]
        for _ in range(int(rng.integers(0, 40)))
    ]
    assert _book(RowsSheet, rows, width) == _book(Worksheet, rows, width)


PLAIN = ["张三", "a&b<c>d", "x\ny", "★①", "正式党员", 5, 2.5, None, ""]
ODD = [" 前有空格", "后有空格 ", "_x0041_", "<r>富文本</r>", "控制\x01符", "非字符\ufffe", "\t制表"]


@pytest.mark.parametrize("values", [PLAIN, PLAIN + ODD[:1], PLAIN + ODD[1:2], PLAIN + ODD[2:]], ids=str)
def test_a_workbook_zipped_with_parts_reused_is_xlsxwriters_own_file(values: list[object]) -> None:
    """Shared strings written in one piece (or, for a string the library treats specially, its
    own way) and parts deflated once per process: the same bytes, the first time and again."""
    rows = [values[i : i + 3] for i in range(0, len(values), 3)] * 2
    plain = _book(Worksheet, rows, 3)
    for _ in range(3):  # the parts written once, kept, then reused
        assert _book(RowsSheet, rows, 3, ReusingWorkbook) == plain


def test_a_zip_with_reused_parts_has_the_bytes_of_a_plain_zip() -> None:
    parts = [("a.xml", b"<a/>" * 50), ("b.xml", "党员".encode() * 30), ("c.bin", b"")]
    books = []
    for zip_class in (zipfile.ZipFile, ReusingZip, ReusingZip, ReusingZip):  # seen, kept, reused
        buffer = io.BytesIO()
        with zip_class(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts:
                info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        books.append(buffer.getvalue())
    assert books[0] == books[1] == books[2] == books[3]
    assert zipfile.ZipFile(io.BytesIO(books[3])).read("b.xml") == "党员".encode() * 30


def test_pandas_na_in_a_table_is_a_blank_cell(tmp_path) -> None:
    """A missing value pandas writes as NA (nullable columns) gives a blank cell, not an internal error."""
    rows = [["张三", pd.NA, 3], ["李四", 2, pd.NA]]
    path = write_results(tmp_path / "结果.xlsx", [ResultSheet("表", "标题", ["姓名", "分", "合计"], rows)])
    ledger = tmp_path / "台账.xlsx"
    wb = new_workbook()
    write_sheet(wb.create_sheet("表"), "标题", [Block(["姓名", "分", "合计"], rows)])
    save_atomic(wb, ledger)
    for written in (path, ledger):
        ws = openpyxl.load_workbook(written).worksheets[0]
        assert [[c.value for c in r] for r in ws.iter_rows(min_row=3, max_row=4)] == [
            ["张三", None, 3],
            ["李四", 2, None],
        ]


def test_a_sheet_the_fast_writer_does_not_know_goes_the_librarys_way() -> None:
    """A formula among the cells (never written by results.py): the file is xlsxwriter's own."""
    books = []
    for sheet_class in (RowsSheet, Worksheet):
        buffer = io.BytesIO()
        wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
        wb.set_properties({"created": pd.Timestamp("2026-01-01").to_pydatetime()})
        ws = wb.add_worksheet("表", sheet_class)
        ws.write_string(0, 0, "甲", wb.add_format({"border": 1}))
        ws.write_formula(1, 0, "=1+1")
        ws.write_comment(2, 1, "批注")
        wb.close()
        books.append(buffer.getvalue())
    assert books[0] == books[1]


def test_text_width_counts_wide_characters_double() -> None:
    every = "".join(chr(c) for c in range(0x20, 0x30000) if not 0xD800 <= c < 0xE000)
    expected = sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in every)
    assert text_width(every) == expected
    assert (text_width("党员"), text_width("ab"), text_width(120.5), text_width(None)) == (4, 2, 5, 4)


def test_columns_measured_at_once_match_the_cell_by_cell_measure(tmp_path) -> None:
    header = ["姓名", "理由（说明较长的表头文字）", "分"]
    rows = [["张三", "违反" * 15, 3], ["李四", None, float("nan")], ["王五", "短", 12.5, "额外"], []]
    widths, tall = _layout(header, rows)
    assert widths == [6, 40, 6]
    assert tall == {0: 2}  # 60 columns of text in a 38-wide cell: two lines
    assert tall == {i: n for i, r in enumerate(rows) if (n := _lines(r, widths)) > 1}  # the per-row measure
    path = write_results(tmp_path / "x.xlsx", [ResultSheet("表", "标题", header, rows)])
    assert path.read_bytes()[:2] == b"PK"


def test_a_duty_ledger_lists_each_groups_records_in_date_order_as_pandas_sorts_them(tmp_path) -> None:
    """附件3 from one pass over the branch: each group's records in the order the per-group
    filter and sort gave (numpy's quicksort: equal dates keep that order too), other groups left out."""
    rng = np.random.default_rng(7)
    groups = ["环境卫生保护组", "民事纠纷调解组"]
    records = pd.DataFrame(
        {
            "group": rng.choice([*groups, "别的组"], size=60),
            "date": [dt.date(2025, 7, int(day)) for day in rng.integers(1, 4, size=60)],  # many equal dates
            "participants": "甲、乙",
            "content": [f"记录{i}" for i in range(60)],
            "effect": "好",
            "remark": "",
        }
    )
    path = write_duty_ledger(tmp_path / "履岗记实台账.xlsx", "东关村", "2025年7月", "2025年7月", groups, records)
    ws = openpyxl.load_workbook(path).worksheets[0]
    written = [c.value for c in ws["C"] if isinstance(c.value, str) and c.value.startswith("记录")]
    expected = [v for g in groups for v in records[records["group"] == g].sort_values("date")["content"]]
    assert len(expected) > 2 * 16 and written == expected  # over 16 rows a group: quicksort is not stable


def test_frames_by_branch_gives_the_rows_a_mask_gives() -> None:
    frame = pd.DataFrame({"branch": ["乙", "甲", None, "乙", "甲"], "n": [1, 2, 3, 4, 5]}, index=[9, 8, 7, 6, 5])
    found = frames_by_branch(frame)
    for branch in ("甲", "乙", "丙"):
        pd.testing.assert_frame_equal(found.get(branch, frame.iloc[:0]), frame[frame["branch"] == branch])


def test_a_ledgers_styles_are_openpyxls_own_whichever_ledger_came_before(tmp_path) -> None:
    """styles.xml built once per set of styles: each ledger still gets the one openpyxl makes for it."""
    from openpyxl.styles import Font
    from openpyxl.writer.excel import write_stylesheet
    from openpyxl.xml.functions import tostring

    def ledger(red: bool):
        wb = new_workbook()
        ws = wb.create_sheet("表")
        write_sheet(ws, "标题", [Block(["姓名", "分"], [["张三", 3]])])
        if red:
            ws["A3"].font = Font(name="宋体", color="FF123456")
        return wb

    for i, red in enumerate([False, True, False, True]):
        wb = ledger(red)
        save_atomic(wb, tmp_path / f"{i}.xlsx")
        with zipfile.ZipFile(tmp_path / f"{i}.xlsx") as z:
            assert z.read("xl/styles.xml") == tostring(write_stylesheet(wb))
            assert (b"FF123456" in z.read("xl/styles.xml")) == red


def test_a_results_workbook_leaves_nothing_for_the_cyclic_collector(tmp_path) -> None:
    """Once written, a branch's workbook is freed at once (its sheets no longer hold the
    workbook through a bound method): a county's thousands of them no longer pile up for the
    collector to walk."""
    import gc

    rows = [["张三", 3], ["李四", 2.5]]
    sheets = [ResultSheet(name, "标题", ["姓名", "分"], rows, charts=[Chart("图", 1, 1)]) for name in ("甲", "乙")]
    gc.collect()
    gc.disable()
    try:
        write_results(tmp_path / "x.xlsx", sheets)
        assert gc.collect() == 0
    finally:
        gc.enable()

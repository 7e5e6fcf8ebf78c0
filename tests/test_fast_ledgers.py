"""The styled ledgers' fast paths (issue 15) give openpyxl's own file, byte for byte: rows written
as text, for ordinary and awkward values alike, and anything else left to the library."""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile

import numpy as np
import pytest
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from dangyuan_cli.publish import xlsx
from dangyuan_cli.publish.files import FixedTimeZip
from dangyuan_cli.publish.styled_rows import sheet_data
from dangyuan_cli.publish.xlsx import FIXED_TIME, Block, new_workbook, save_atomic, set_text, write_sheet

# values the text writer takes: text of every kind, numbers, blanks
PLAIN = [
    "张三",
    "",
    None,
    0,
    -3,
    2.5,
    1 / 3,
    1e300,
    -0.0,
    2**60,
    "=SUM(A1)",
    "-1",
    "x\ny",
    "a\r\nb",
    "  前后空格 ",
    "\t制表",
    "&<>\"'",
    "😀 表情",
    "\x7f\x80\u00a0",
    "★①",
    "长" * 3000,
]
# values it leaves to openpyxl: a date, a bool, numpy numbers, nan, inf
OTHER = [dt.date(2025, 7, 1), dt.datetime(2025, 7, 1, 8, 30), True, np.int64(7), np.float64(1.5), float("nan"), 1e309]


def _ledger(rows: list[list[object]], wb=None):
    wb = wb or new_workbook()
    blocks = [
        Block(["活动时间", "参与党员", "内容"], rows, ("编组名称：甲组",), ("组长签字：",), 2),
        Block(["活动时间", "参与党员", "内容"], rows[:1], (), (), 0, {"内容": ["是", "否"]}),
    ]
    write_sheet(wb.create_sheet("台账"), "标题", blocks, widths={"A": 14})
    return wb


def _library_bytes(wb) -> bytes:
    """The file openpyxl's own writer makes (per-cell lxml rows, its temporary files)."""
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with FixedTimeZip(buffer) as archive:
        ExcelWriter(wb, archive).save()
    return buffer.getvalue()


def _fast_bytes(wb, tmp_path) -> bytes:
    save_atomic(wb, tmp_path / "x.xlsx")
    return (tmp_path / "x.xlsx").read_bytes()


@pytest.mark.parametrize("seed", range(4))
def test_ledger_rows_written_as_text_are_openpyxls_own_bytes(seed: int, tmp_path) -> None:
    rng = np.random.default_rng(seed)
    rows = [[PLAIN[i] for i in rng.integers(0, len(PLAIN), size=3)] for _ in range(30)]
    assert sheet_data(_ledger(rows).worksheets[0]) is not None  # the text writer took them all
    fast = _fast_bytes(_ledger(rows), tmp_path)
    assert fast == _library_bytes(_ledger(rows))
    with zipfile.ZipFile(io.BytesIO(fast)) as z:
        assert b"<t>&#26631;&#39064;</t>" in z.read("xl/worksheets/sheet1.xml")  # 标题, as lxml writes it


@pytest.mark.parametrize("value", OTHER, ids=repr)
def test_a_value_the_text_writer_does_not_know_goes_the_librarys_way(value: object, tmp_path) -> None:
    rows = [["张三", value, 1]]
    assert sheet_data(_ledger(rows).worksheets[0]) is None
    assert _fast_bytes(_ledger(rows), tmp_path) == _library_bytes(_ledger(rows))


def test_a_comment_or_a_row_style_the_text_writer_does_not_know_goes_the_librarys_way(tmp_path) -> None:
    from openpyxl.comments import Comment

    def commented():
        wb = _ledger([["张三", "李四", 1]])
        wb.worksheets[0]["B3"].comment = Comment("备注", "dangyuan")
        return wb

    assert sheet_data(commented().worksheets[0]) is None
    assert _fast_bytes(commented(), tmp_path) == _library_bytes(commented())


def _workbook_with_its_first_sheet_removed():
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "dangyuan"
    return wb


def _body_rows_cell_by_cell(ws, r: int, block: Block, style) -> int:
    for values in block.rows:
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c)
            set_text(cell, value)
            cell._style = copy.copy(style)
        r += 1
    for _ in range(block.blank_rows):
        for c in range(1, len(block.header) + 1):
            ws.cell(r, c)._style = copy.copy(style)
        r += 1
    return r


def test_a_ledger_set_up_at_once_is_the_one_openpyxls_api_builds_cell_by_cell(tmp_path, monkeypatch) -> None:
    """new_workbook without a first sheet to remove, body cells stored without ws.cell, title
    and context lines merged without merge_cells' passes: the same file."""
    rows = [[PLAIN[i % len(PLAIN)], PLAIN[(3 * i) % len(PLAIN)], OTHER[i % len(OTHER)]] for i in range(40)]
    fast = _fast_bytes(_ledger(rows), tmp_path)
    monkeypatch.setattr(xlsx, "_body_rows", _body_rows_cell_by_cell)
    monkeypatch.setattr(
        xlsx, "_merge_row", lambda ws, row, width: ws.merge_cells(f"A{row}:{get_column_letter(width)}{row}")
    )
    assert _fast_bytes(_ledger(rows, _workbook_with_its_first_sheet_removed()), tmp_path) == fast


def test_a_kept_group_ledgers_groups_are_the_ones_pandas_groupby_gives() -> None:
    """公示 of a kept 定岗编组台账: one pass over its rows gives groupby's groups, in its order."""
    import pandas as pd

    from dangyuan_cli.publish.notices import _kept_groups

    ledger = pd.DataFrame(
        {
            "group": ["乙组", "甲组", None, "乙组", float("nan"), "甲组", "", "丙组"],
            "leader": ["李", "张", "王", None, "赵", "钱", "孙", "周"],
            "cadre": ["书记", "委员", "书记", "书记", None, "委员", "书记", None],
            "name": ["李", "张", "王", "吴", "赵", "钱", "孙", "周"],
        }
    ).astype({"group": "string"})
    expected = {
        group: (g["leader"].iloc[0], g["cadre"].iloc[0], list(g["name"]))
        for group, g in ledger.groupby("group", sort=False)
    }
    assert _kept_groups(ledger) == expected
    assert list(_kept_groups(ledger)) == ["乙组", "甲组", "", "丙组"]


@pytest.mark.parametrize("kind", ["stars", "board", "groups", "report"])
def test_a_docx_is_the_archive_appending_to_the_templates_static_parts_gives(kind: str) -> None:
    """A .docx from its template's static parts read once: the same bytes as opening them for
    appending each time (the way it was written before)."""
    from dangyuan_cli.publish.documents.calendar import chinese_date
    from dangyuan_cli.publish.documents.kinds import Document
    from dangyuan_cli.publish.documents.render import CORE_XML, FixedTimeZip, _compiled_docx, find_template, render_docx

    doc = Document(
        kind=kind,
        branch="东关村",
        title="东关村党支部公示",
        public=True,
        intro=["现将结果公示如下。"],
        columns=["名次", "姓名", "说明"],
        rows=[[1, "张三", "第一行\n第二行"], [2, "李<四>&", "\t制表"]],
        signer="中共东关村党支部",
        date=chinese_date(dt.date(2026, 1, 4)),
    )
    written = render_docx(doc)
    path = find_template([f"{kind}.docx"], None)
    static = _compiled_docx(str(path), path.stat().st_mtime_ns)._static
    with zipfile.ZipFile(io.BytesIO(written)) as z:
        appended = [(name, z.read(name)) for name in ("word/document.xml", CORE_XML) if name in z.namelist()]
    out = io.BytesIO(static)
    with FixedTimeZip(out, "a") as target:
        for name, data in appended:
            target.writestr(name, data)
    assert written == out.getvalue()


def test_a_documents_records_read_column_by_column_are_to_dicts_own() -> None:
    """formatted_records without DataFrame.to_dict: the same texts for every kind of column."""
    import numpy as np
    import pandas as pd

    from dangyuan_cli.core.formatting import fmt
    from dangyuan_cli.publish.documents.kinds import Kind, formatted_records

    frame = pd.DataFrame(
        {
            "text": ["张三", None, float("nan"), np.bool_(True), np.int64(3), np.float64(2.5), "", pd.NA],
            "string": pd.array(["甲", None, "乙", "", "丙", None, "丁", "戊"], dtype="string"),
            "number": [1.0, 2.5, float("nan"), -0.0, 1e20, 3.0, 0.1, 7.0],
            "count": pd.array([1, None, 3, 4, 5, 6, 7, 8], dtype="Int64"),
            "flag": [True, False, True, True, False, False, True, False],
            "day": pd.to_datetime(["2025-07-01"] * 7 + [None]),
            "kind": pd.Categorical(["红榜", "蓝榜", "红榜", None, "黄榜", "红榜", "蓝榜", "黄榜"]),
            "other": list(range(8)),
        }
    )
    names = ("text", "string", "number", "count", "flag", "day", "kind", "missing")
    kind = Kind("x", "x", "year", True, ("",) * 8, names)
    fields = [f for f in kind.fields if f in frame.columns]
    expected = [{k: fmt(v) for k, v in r.items()} for r in frame[fields].to_dict("records")]
    assert formatted_records(kind, frame) == expected
    assert formatted_records(kind, frame.iloc[:0]) == []

"""Mutated registers never crash a command (issues 9 and 10).

Hypothesis mutates a small two-branch workspace the way real and hostile files differ from the
clean ones — odd cell values of every type, headers deleted, duplicated or reordered, extra
sheets, copied rows, a far-away cell — and asserts what a clerk or a cron job relies on: the exit
code is 0, 1 or 2, no traceback, `--json` stdout always parses, every error is located in a file,
and the input files are unchanged.

Derandomized, so CI explores the same examples every run (a new crash is found by widening the
search locally: `FUZZ_EXAMPLES=2000 make test`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import POINTS_HEADER, ROSTER_HEADER, entry, member, write_book

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))


def _base() -> dict[str, dict[str, list[list[object]]]]:
    """file → sheet → rows: two branches, a roster and a ledger each (one as two files, one as one)."""
    people = [member(n) for n in ("张三", "李四", "王五", "赵六")]
    people[1][ROSTER_HEADER.index("编号")] = "7"
    east_ledger = [
        entry("2025-03-15", "张三", "贡献加分", "义务铲雪", 1),
        entry("2025.7.1", "李四", "违规扣分", "无故缺席组织生活", "３"),
        entry("2025年9月2日", "王五", "贡献加分", "防汛值班", "5分"),
        entry("20251102", "赵六", "一票否决", "违法犯罪", None),
    ]
    west = [member(n) for n in ("孙一", "周二", "吴三")]
    west_ledger = [
        entry("2025-05-05", "孙一", "贡献加分", "调解纠纷", 2),
        entry("2025-06-06", "周二", "违规扣分", "x", -2),
    ]
    book = {
        "东关村/党员名册.xlsx": {"党员名册": [["东关村党支部党员名册"], ROSTER_HEADER, *people]},
        "东关村/积分台账2025.xlsx": {"积分台账": [["东关村党支部积分台账"], POINTS_HEADER, *east_ledger]},
        "西河村/2025年台账.xlsx": {
            "名册": [["西河村党支部党员名册"], ROSTER_HEADER, *west],
            "积分": [["西河村党支部积分台账"], POINTS_HEADER, *west_ledger],
        },
    }
    # every row its own list: the edits change rows in place, never the shared headers
    return {f: {s: [list(r) for r in rows] for s, rows in sheets.items()} for f, sheets in book.items()}


ODD_VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "＋５",
            "－3",
            "五分",
            "=1+1",
            "=SUM(A1:A9)",
            "<script>x</script>",
            "9999-12-31",
            "0000-00-00",
            "2025.13.45",
            "1e999",
            "inf",
            "nan",
            "NaN",
            "邵 新",
            "张三（99）",
            "张三(1980.5)",
            "撤销",
            "是",
            "否",
            "2025年",
            "\x00",
            "\u202e",
            "🙂",
            "a" * 300,
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 12, 31)),
)


def _cell_edit(draw, book):
    file = draw(st.sampled_from(sorted(book)))
    sheet = draw(st.sampled_from(sorted(book[file])))
    rows = book[file][sheet]
    r = draw(st.integers(0, len(rows) + 1))
    c = draw(st.integers(0, 11))
    while len(rows) <= r:
        rows.append([])
    row = rows[r]
    while len(row) <= c:
        row.append(None)
    value = draw(ODD_VALUES)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        value = str(value)  # openpyxl cannot store a non-finite number; the clerk's text is the same test
    row[c] = value


def _header_edit(draw, book):
    file = draw(st.sampled_from(sorted(book)))
    sheet = draw(st.sampled_from(sorted(book[file])))
    rows = book[file][sheet]
    if len(rows) < 2 or not rows[1]:
        return  # an earlier edit took the header row away: that is a test of its own
    header = rows[1]
    how = draw(st.sampled_from(["delete", "duplicate", "swap", "rename"]))
    i = draw(st.integers(0, len(header) - 1))
    j = draw(st.integers(0, len(header) - 1))
    if how == "delete":
        header[i] = None
    elif how == "duplicate":
        header[j] = header[i]
    elif how == "swap":
        header[i], header[j] = header[j], header[i]
    else:
        header[i] = draw(st.sampled_from(["党员编号", "编 号", "姓 名", "名字", "分数", "类型", "党支部"]))


def _rows_edit(draw, book):
    file = draw(st.sampled_from(sorted(book)))
    sheet = draw(st.sampled_from(sorted(book[file])))
    rows = book[file][sheet]
    how = draw(st.sampled_from(["copy", "drop", "title", "blank-top"]))
    if how == "copy" and len(rows) > 2:
        rows.append(list(rows[draw(st.integers(2, len(rows) - 1))]))
    elif how == "drop" and len(rows) > 2:
        del rows[draw(st.integers(0, len(rows) - 1))]
    elif how == "title":
        rows[0] = [draw(st.sampled_from(["", "北梁村党支部积分台账", "填报单位：南岭社区", "城关镇"]))]
    else:
        rows.insert(0, [])


def _sheet_edit(draw, book):
    file = draw(st.sampled_from([*sorted(book), "散页.xlsx", "东关村/说明.xlsx"]))
    name = draw(st.sampled_from(["说明", "Sheet1", "积分台账(2)", "名册"]))
    rows = draw(st.lists(st.lists(ODD_VALUES, max_size=5), max_size=4))
    rows = [[str(v) if isinstance(v, float) else v for v in row] for row in rows]
    book.setdefault(file, {})[name] = rows


EDITS = [_cell_edit, _cell_edit, _cell_edit, _header_edit, _rows_edit, _sheet_edit]


@st.composite
def workspaces(draw):
    book = _base()
    for _ in range(draw(st.integers(1, 4))):
        draw(st.sampled_from(EDITS))(draw, book)
    far = draw(st.sampled_from([None, None, None, None, "ZZ200", "A250000", "XFD1048576"]))
    broken = draw(st.sampled_from([None, None, None, None, "truncate", "empty", "text"]))
    return book, far, broken


def _clean(value: object) -> object:
    """What openpyxl can store: XML forbids control characters; a bad value is stored as its text."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    if isinstance(value, dt.datetime | dt.date) and value.year < 1900:
        return value.isoformat()  # before Excel's epoch: the clerk's text
    return value


def _write(root: Path, book, far, broken) -> None:
    for name, sheets in book.items():
        rows = {sheet: [[_clean(v) for v in row] for row in cells] for sheet, cells in sheets.items()}
        path = write_book(root / name, rows)
        if far and sheets:
            wb = load_workbook(path)
            wb.worksheets[0][far] = "远处的单元格"
            wb.save(path)
            far = None
    victim = root / "东关村/积分台账2025.xlsx"
    if broken == "truncate":
        data = victim.read_bytes()
        victim.write_bytes(data[: len(data) // 2])
    elif broken == "empty":
        victim.write_bytes(b"")
    elif broken == "text":
        victim.write_text("这不是Excel文件", "utf-8")


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "输出" not in p.parts and ".dangyuan" not in p.parts
    }


def _invoke(*args: str):
    from dangyuan_cli.cli.app import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), f"{args}: {exc!r}"
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    return result


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(case=workspaces())
def test_mutated_registers_never_crash(tmp_path_factory, case) -> None:
    book, far, broken = case
    root = tmp_path_factory.mktemp("ws") / "城关镇"
    _write(root, book, far, broken)
    before = _digests(root)

    check = _invoke("check", root, "--json")
    report = json.loads(check.stdout)
    assert set(report) == {"errors", "warnings"}
    assert all(p["file"] for p in report["errors"]), report["errors"]

    stars = _invoke("stars", root, "--year", "2025", "--json")
    assert isinstance(json.loads(stars.stdout), list)

    _invoke("run", root, "-p", "2025")
    assert _digests(root) == before  # inputs never modified

"""Odd and hostile workbooks (issue 10, items 5–9): each is a located Chinese problem, never a crash,
a hang or gigabytes of memory. The workbooks are built here; the dangerous ones are read in a
child process with a timeout, so a regression fails the test instead of killing or hanging the suite."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import entry, member, points_rows, roster_rows, write_book
from dangyuan_cli.registers.workspace import load_workspace

TRACEBACK = "Traceback"
SAMPLES = Path(__file__).resolve().parent.parent / "sample_ledgers"


def workspace(root: Path, *entries: list) -> Path:
    """A branch with a two-member roster and a points ledger holding `entries`."""
    write_book(root / "东关村" / "党员名册.xlsx", {"党员名册": roster_rows(member("张三"), member("李四"))})
    write_book(root / "东关村" / "积分台账.xlsx", {"积分台账": points_rows(*entries)})
    return root


def patch_sheet(path: Path, old: bytes, new: bytes) -> None:
    """Write into the sheet XML what no spreadsheet program would (`1e999`, `inf`)."""
    with zipfile.ZipFile(path) as zin:
        parts = [(info, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in parts:
            zout.writestr(info, data.replace(old, new) if "worksheets/" in info.filename else data)


def cli(*args: object, timeout: int = 60) -> subprocess.CompletedProcess:
    """The real program in a child process: an abort (SIGABRT) or a hang fails only this test."""
    return subprocess.run(
        [sys.executable, "-m", "dangyuan_cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "RUST_BACKTRACE": "0"},
    )


# --- item 5: non-finite and absurd numbers ---------------------------------------------------


@pytest.mark.parametrize("written", [b"1e999", b"-1e999", b"inf", b"nan", b"123456789"])
def test_absurd_points_value_is_a_located_error_and_run_survives(tmp_path: Path, invoke, written: bytes) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 777.25))
    patch_sheet(root / "东关村" / "积分台账.xlsx", b"777.25", written)

    result = invoke("check", root)
    assert result.exit_code == 1, result.output
    assert "东关村/积分台账.xlsx:积分台账!E3: 分值：" in result.output
    assert "合理范围" in result.output or "不是有效数字" in result.output

    result = invoke("run", root, "-p", "2025")
    assert result.exit_code == 1, result.output
    assert TRACEBACK not in result.output
    assert "积分台账!E3" in (root / "输出" / "2025" / "run.log").read_text("utf-8")


def test_huge_number_in_a_date_column_is_a_located_error(tmp_path: Path, invoke) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 2))
    patch_sheet(root / "东关村" / "积分台账.xlsx", b"<t>2025-03-05</t>", b"<t>x</t>")
    book = root / "东关村" / "积分台账.xlsx"
    patch_sheet(book, b'<c r="A3" t="inlineStr"><is><t>x</t></is></c>', b'<c r="A3" t="n"><v>1e300</v></c>')
    result = invoke("check", root, "--json")
    assert result.exit_code == 1
    errors = json.loads(result.output)["errors"]
    assert {k: errors[0][k] for k in ("file", "sheet", "cell")} == {
        "file": "东关村/积分台账.xlsx",
        "sheet": "积分台账",
        "cell": "A3",
    }
    assert "不是日期" in errors[0]["message"]


def test_a_date_cell_calamine_cannot_convert_is_one_problem_not_a_crash(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 2))
    wb = Workbook()
    sheet = wb.active
    sheet.title = "日期"
    sheet["A1"] = -1e308
    sheet["A1"].number_format = "yyyy-mm-dd"  # calamine panics converting it (a BaseException)
    wb.save(root / "东关村" / "坏日期.xlsx")

    result = cli("check", root)
    assert result.returncode == 1, result.stderr
    assert "东关村/坏日期.xlsx:日期: 无法读取此工作表" in result.stdout
    assert TRACEBACK not in result.stdout + result.stderr


# --- item 6: dates outside 1900–2100 ---------------------------------------------------------


@pytest.mark.parametrize("date", ["9999-12-31", dt.datetime(9999, 12, 31), "1850-01-01", 80000])
def test_dates_outside_the_window_are_located_errors_in_check_and_run(tmp_path: Path, invoke, date: object) -> None:
    root = workspace(tmp_path / "ws", entry(date, "张三", "贡献加分", "义务铲雪", 2))

    result = invoke("check", root)
    assert result.exit_code == 1, result.output
    assert "东关村/积分台账.xlsx:积分台账!A3: 日期：" in result.output
    assert "不合理，应在1900—2100年之间" in result.output

    result = invoke("run", root, "-p", "2025")
    assert result.exit_code == 1, result.output
    assert "积分台账!A3" in (root / "输出" / "2025" / "run.log").read_text("utf-8")


# --- item 7: sheets too big to read ----------------------------------------------------------

SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def raw_book(path: Path, sheet_xml: str | bytes, name: str = "大表") -> Path:
    """A workbook written part by part, with `sheet_xml` as its only sheet's `<sheetData>` body."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    body = sheet_xml.encode() if isinstance(sheet_xml, str) else sheet_xml
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{rel}">'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr(
            "xl/worksheets/sheet1.xml", SHEET_HEAD.encode() + b"<sheetData>" + body + b"</sheetData></worksheet>"
        )
    return path


TITLE_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>东关村党支部</t></is></c></row>'


@pytest.mark.parametrize(
    ("cells", "size"),
    [
        (TITLE_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "1048576行×16384列"),
        (TITLE_ROW + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>', "1048576行×1列"),
        # the reference hides in the middle, the tail looks harmless, no <dimension> at all
        (TITLE_ROW + '<row r="2"><c r="IV2"><v>1</v></c></row><row r="3"><c r="A3"><v>1</v></c></row>', "3行×256列"),
        # cells without r="…" are placed by position, as calamine does
        ("<row>" + "<c/>" * 300 + "<c><v>1</v></c></row>", "1行×301列"),
    ],
)
def test_a_sheet_beyond_the_limits_is_refused_unread(tmp_path: Path, cells: str, size: str) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 2))
    raw_book(root / "东关村" / "巨表.xlsx", cells)
    result = cli("check", root)
    assert result.returncode == 1, result.stderr  # not 134 (SIGABRT)
    assert f"东关村/巨表.xlsx:大表: 工作表过大（{size}），超过限制" in result.stdout
    assert "dangyuan.toml [limits]" in result.stdout


def test_rows_and_columns_far_apart_in_a_long_sheet_still_count_together(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 2))
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(1, 100_000))
    raw_book(root / "东关村" / "长表.xlsx", rows + b'<row r="3"><c r="AE3"><v>1</v></c></row>')  # 3.1 M cells
    result = cli("check", root)
    assert result.returncode == 1, result.stderr
    assert "东关村/长表.xlsx:大表: 工作表过大（99999行×31列）" in result.stdout


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 2))
    raw_book(root / "东关村" / "炸弹.xlsx", b"<row>" + b"<c><v>1</v></c>" * 800_000 + b"</row>")  # 12 MB in ~15 KB
    assert (root / "东关村" / "炸弹.xlsx").stat().st_size < 100_000
    result = cli("check", root)
    assert result.returncode == 1, result.stderr
    assert "东关村/炸弹.xlsx:大表: 工作表压缩比异常" in result.stdout


def test_limits_come_from_the_rules_file_and_a_refused_sheet_belongs_to_its_branch(tmp_path: Path, invoke) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 2))
    (root / "dangyuan.toml").write_text("[limits]\nmax_rows = 3\n", "utf-8")
    result = invoke("check", root)
    assert result.exit_code == 1
    assert "东关村/党员名册.xlsx:党员名册: 工作表过大（4行×10列），超过限制（3行" in result.output
    problems = load_workspace(root, limits=_limits(max_rows=3)).problems
    assert {p.branch for p in problems if "工作表过大" in p.message} == {"东关村"}


def test_a_broken_rules_file_still_reads_with_the_default_limits(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 2))
    (root / "dangyuan.toml").write_text("[limits]\nmax_rows = 0\n", "utf-8")
    raw_book(root / "东关村" / "巨表.xlsx", TITLE_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    result = cli("check", root)
    assert result.returncode == 1, result.stderr
    assert "limits.max_rows" in result.stdout
    assert "工作表过大（1048576行×16384列）" in result.stdout


def _limits(**values: int):
    from dangyuan_cli.core.rules.model import LimitsRules

    return LimitsRules(**values)


# --- item 8: a FIFO or other non-regular file named *.xlsx -----------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_named_xlsx_is_skipped_with_a_warning_not_a_hang(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 2))
    os.mkfifo(root / "东关村" / "管道.xlsx")
    result = cli("check", root, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "东关村/管道.xlsx: 不是普通文件" in result.stdout
    result = cli("run", root, "-p", "2025", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "管道.xlsx: 不是普通文件" in (root / "输出" / "2025" / "run.log").read_text("utf-8")


# --- item 9: a file name that is not UTF-8 ---------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path, invoke) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 2))
    ledger = root / "东关村" / "积分台账.xlsx"
    write_book(ledger, {"积分台账": points_rows(entry("2025-03-05", "张三", "贡献加分", "修路", 3))})
    os.rename(ledger, os.fsencode(ledger.parent) + b"/\xff\xfe.xlsx")  # an unlisted item: a warning there

    result = invoke("check", root)
    assert result.exit_code == 0, result.output
    assert "东关村/\\xff\\xfe.xlsx:积分台账!E3" in result.output

    result = invoke("run", root, "-p", "2025")
    assert result.exit_code == 0, result.output
    out = root / "输出" / "2025"
    assert "东关村/\\xff\\xfe.xlsx:积分台账!E3" in (out / "run.log").read_text("utf-8")
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert "东关村/\\xff\\xfe.xlsx" in {w["file"] for w in summary["warnings"]}


def test_an_xls_sheet_beyond_the_limits_is_refused_after_opening(tmp_path: Path, invoke) -> None:
    root = tmp_path / "ws"
    (root / "东关村").mkdir(parents=True)
    shutil.copy(SAMPLES / "东关村" / "积分台账2024.xls", root / "东关村")
    (root / "dangyuan.toml").write_text("[limits]\nmax_rows = 5\n", "utf-8")
    result = invoke("check", root)
    assert result.exit_code == 1
    assert "东关村/积分台账2024.xls:积分台账: 工作表过大（" in result.output


def test_a_file_beyond_the_size_limit_is_refused_unopened(tmp_path: Path, invoke) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 2))
    with zipfile.ZipFile(root / "东关村" / "积分台账.xlsx", "a") as z:
        z.writestr("xl/media/image1.bin", os.urandom(1_200_000), zipfile.ZIP_STORED)
    (root / "dangyuan.toml").write_text("[limits]\nmax_file_mb = 1\n", "utf-8")
    result = invoke("check", root)
    assert result.exit_code == 1
    assert "东关村/积分台账.xlsx: 文件过大（1.2MB），超过限制1MB" in result.output


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
def test_folders_whose_names_are_not_utf8_name_the_branch_and_township_escaped(tmp_path: Path, invoke) -> None:
    root = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xfe\xfd\xe9\x95\x87"))  # "\xfe\xfd镇"
    branch = root / os.fsdecode(b"\xff\xe6\x9d\x91")  # "\xff村", no title line: the folder names it
    write_book(branch / "名册.xlsx", {"名册": roster_rows(member("张三"), member("李四"), title="")[1:]})
    result = invoke("run", root, "-p", "2025")
    assert result.exit_code == 0, result.output
    out = root / "输出" / "2025"
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert [b["branch"] for b in summary["branches"]] == ["\\xff村"]
    assert (out / "\\xfe\\xfd镇2025年度党员积分定星工作情况报告.xlsx").is_file()


def test_a_broken_link_named_xlsx_is_skipped_with_a_warning(tmp_path: Path, invoke) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 2))
    (root / "东关村" / "旧台账.xlsx").symlink_to(tmp_path / "gone.xlsx")
    result = invoke("check", root)
    assert result.exit_code == 0, result.output
    assert "东关村/旧台账.xlsx: 文件不存在（可能是失效的链接），已跳过" in result.output


# --- the quick look at a zip (registers/quick_zip): an unusual zip gets zipfile's answer ----------


def _patch_entry(path: Path, signature: bytes, name_at: int, at: int, new: bytes) -> None:
    """Overwrite bytes `at` an offset into the zip record (`signature`) of the first worksheet."""
    data = bytearray(path.read_bytes())
    start = data.find(signature)
    while data[start + name_at : start + name_at + 24] != b"xl/worksheets/sheet1.xml":
        start = data.find(signature, start + 1)
    data[start + at : start + at + len(new)] = new
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ((b"PK\x01\x02", 46, 16, b"\0\0\0\0"), "Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"),
        ((b"PK\x03\x04", 30, 30 + 14, b"X"), "File name in directory 'xl/worksheets/sheet1.xml' and header"),
    ],
)
def test_a_damaged_zip_part_is_refused_with_what_zipfile_says(tmp_path: Path, damage: tuple, said: str) -> None:
    root = workspace(tmp_path / "ws", entry("2025-03-05", "张三", "贡献加分", "义务铲雪", 2))
    book = raw_book(root / "东关村" / "坏表.xlsx", TITLE_ROW)
    _patch_entry(book, *damage)
    problems = [p for p in load_workspace(root).problems if p.file == "东关村/坏表.xlsx"]
    assert len(problems) == 1
    assert problems[0].message.startswith("无法读取此文件（文件损坏、加密或不是Excel格式）：")
    assert said in problems[0].message


def test_a_zip_with_a_comment_is_still_looked_at_before_reading(tmp_path: Path) -> None:
    from dangyuan_cli.registers.limits import refusals

    book = raw_book(tmp_path / "巨表.xlsx", TITLE_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    with zipfile.ZipFile(book, "a") as z:
        z.comment = b"written by some tool"  # not the layout the quick look reads: zipfile reads it
    assert refusals(book, book.stat().st_size, _limits()) == {
        "大表": "工作表过大（1048576行×16384列），超过限制（200000行、200列、共3000000个单元格）；"
        "请删除多余的行列或在 dangyuan.toml [limits] 中调整"
    }

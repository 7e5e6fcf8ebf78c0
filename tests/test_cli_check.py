"""`init` and `check` from the command line, as a clerk runs them."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from conftest import entry, member, points_rows, roster_rows, write_book

SAMPLES = Path(__file__).resolve().parent.parent / "sample_ledgers"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_init_then_check_is_clean(tmp_path: Path, invoke) -> None:
    ws = tmp_path / "东关村"
    result = invoke("init", ws)
    assert result.exit_code == 0, result.output
    assert (ws / "dangyuan.toml").read_text("utf-8").startswith("# dangyuan 规则文件")
    assert (ws / "积分台账.xlsx").exists() and (ws / "定岗编组台账.xlsx").exists()
    result = invoke("check", ws)
    assert result.exit_code == 0, result.output
    assert "积分台账" in result.output and "未发现问题" in result.output


def test_init_workbooks_have_dropdowns_frozen_header_and_a4(tmp_path: Path, invoke) -> None:
    invoke("init", tmp_path, "--branch", "东关村")
    sheet = load_workbook(tmp_path / "积分台账.xlsx").active
    assert sheet["A1"].value == "东关村党支部积分台账"
    assert any(str(r).startswith("A1:") for r in sheet.merged_cells.ranges)
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert '"基础积分,贡献加分,违规扣分,一票否决"' in lists
    assert sheet.freeze_panes == "A3"
    assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4) == "9"


def test_init_refuses_an_unknown_preset(tmp_path: Path, invoke) -> None:
    result = invoke("init", tmp_path, "--preset", "beijing")
    assert result.exit_code == 2
    assert "jiaozuo" in result.output


def test_samples_check_clean(invoke) -> None:
    result = invoke("check", SAMPLES)
    assert result.exit_code == 0, result.output
    for branch in ("东关村", "西河村", "南岭社区"):
        assert branch in result.output


def test_planted_defects_exit_1_located_and_input_untouched(tmp_path: Path, invoke) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(SAMPLES / "南岭社区", ws / "南岭社区")
    book = ws / "南岭社区" / "2025年党建台账汇总.xlsx"
    wb = load_workbook(book)
    points = wb["积分登记"]
    points["A5"] = "2025-02-30"
    points["E6"] = "五分"
    points["C7"] = "奖励"
    points["C8"], points["E8"] = "贡献加分", -3
    roster = wb["名册"]
    roster["E3"] = "1900.1"  # 入党时间 before 出生年月
    wb.save(book)
    before = digest(book)

    result = invoke("check", ws, "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert set(data) == {"errors", "warnings"}
    assert all(list(e) == ["file", "sheet", "cell", "message"] for e in data["errors"] + data["warnings"])
    cells = {(e["sheet"], e["cell"]) for e in data["errors"]}
    assert {
        ("积分登记", "A5"),
        ("积分登记", "E6"),
        ("积分登记", "C7"),
        ("积分登记", "E8"),
        ("名册", "E3"),
    } <= cells
    assert digest(book) == before

    text = invoke("check", ws)
    assert text.exit_code == 1
    assert "南岭社区/2025年党建台账汇总.xlsx:积分登记!E6: 分值：“五分”不是数字" in text.output


def test_strict_makes_warnings_fail(tmp_path: Path, invoke) -> None:
    write_book(
        tmp_path / "东关村" / "台账.xlsx",
        {"名册": roster_rows(member("张三")), "说明": [["仅供参考的说明"], ["第二行"]]},
    )
    assert invoke("check", tmp_path).exit_code == 0
    assert invoke("check", tmp_path, "--strict").exit_code == 1


def test_bad_rules_file_names_the_key(tmp_path: Path, invoke) -> None:
    write_book(
        tmp_path / "东关村" / "台账.xlsx",
        {
            "名册": roster_rows(member("张三")),
            "积分": points_rows(entry("2025-1-1", "张三", "贡献加分", "志愿服务", 1)),
        },
    )
    (tmp_path / "dangyuan.toml").write_text(
        '[stars]\nfive_star_max = 0.6\nfour_star_max = 0.3\n[points]\nveto = "half"\nbase = 90\n', "utf-8"
    )
    result = invoke("check", tmp_path)
    assert result.exit_code == 1
    assert "points.veto: 取值“half”无效，可选：zero、cap" in result.output
    assert "points.base: 未知的设置项" in result.output


def test_help_is_chinese_and_does_not_import_pandas() -> None:
    code = "import sys; from dangyuan_cli.cli.app import app; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    help_text = subprocess.run(
        [sys.executable, "-m", "dangyuan_cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "党员积分定星" in help_text.stdout

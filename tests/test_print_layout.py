"""Documents a clerk posts unchanged (GB/T 9704-2012) and workbooks a clerk prints (issue 14):
the produced .docx read back for its footer, line pitch, objection channel, metadata and columns."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from docx import Document as Docx
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Emu
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

CONTACT = '\n[announce]\ncontact_person = "张明"\ncontact_phone = "0391-1234567"\n\n[branches."西河村"]\ncontact_person = "李华"\n'


def _year_run(township: Path, invoke, contact: bool = True) -> Path:
    if contact:
        rules = township / "dangyuan.toml"
        rules.write_text(rules.read_text("utf-8") + CONTACT, "utf-8")
    result = invoke("run", township, "-p", "2025")
    assert result.exit_code == 0, result.output
    return township / "输出" / "2025"


def _notice(out: Path, branch: str, label: str) -> Path:
    return out / branch / f"{branch}党支部2025年度{label}"


def test_footer_numbers_every_page_with_a_page_field(township: Path, invoke) -> None:
    out = _year_run(township, invoke)
    doc = Docx(str(_notice(out, "东关村", "积分定星结果公示.docx")))
    footer = doc.sections[0].footer.paragraphs[0]
    xml = footer._p.xml
    assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))
    assert footer.text.startswith("— ") and footer.text.endswith(" —")  # — 1 —
    assert {r.font.size.pt for r in footer.runs if r.text} == {14}  # 4号
    assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml


def test_body_and_tables_sit_on_a_fixed_line_pitch(township: Path, invoke) -> None:
    out = _year_run(township, invoke)
    doc = Docx(str(_notice(out, "东关村", "积分定星结果公示.docx")))
    section = doc.sections[0]
    assert round(Emu(section.page_height - section.top_margin - section.bottom_margin).mm) == 225
    assert round(Emu(section.page_width - section.left_margin - section.right_margin).mm) == 156
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 225 mm / 22 lines
    body = [p for p in doc.paragraphs if p.text]
    cells = [p for row in doc.tables[0].rows for c in row.cells for p in c.paragraphs]
    for p in body + cells:
        f = p.paragraph_format
        assert f.line_spacing_rule == WD_LINE_SPACING.EXACTLY, p.text
        assert abs(f.line_spacing.pt - 28.95) < 0.1, p.text
    title, *rest = body
    assert abs(title.paragraph_format.space_after.pt - 28.95) < 0.1  # one blank grid line under the title
    for p in rest + cells:
        assert (p.paragraph_format.space_after or 0) == 0, p.text  # no inherited 10 pt after a table cell
    sizes = {r.font.size.pt for p in cells for r in p.runs if r.text}
    assert sizes and sizes <= {12, 14}  # 小四 or 4号, under the 3号 body


def test_notice_names_contact_person_and_phone_per_branch(township: Path, invoke) -> None:
    out = _year_run(township, invoke)
    east = "".join(p.text for p in Docx(str(_notice(out, "东关村", "积分定星结果公示.docx"))).paragraphs)
    west = "".join(p.text for p in Docx(str(_notice(out, "西河村", "积分定星结果公示.docx"))).paragraphs)
    assert "联系人：张明，联系电话：0391-1234567。" in east
    assert "联系人：李华，联系电话：0391-1234567。" in west  # the branch's own 联系人, the common phone
    md = _notice(out, "东关村", "积分定星结果公示.md").read_text("utf-8")
    assert "联系电话：0391-1234567" in md


def test_check_warns_when_the_notices_would_lack_a_contact(township: Path, invoke) -> None:
    result = invoke("check", township, "--json")
    warnings = [w["message"] for w in json.loads(result.stdout)["warnings"]]
    assert any("联系人或联系电话" in w and "东关村" in w for w in warnings)
    rules = township / "dangyuan.toml"
    rules.write_text(rules.read_text("utf-8") + CONTACT, "utf-8")
    result = invoke("check", township, "--json")
    assert not any("联系人或联系电话" in w["message"] for w in json.loads(result.stdout)["warnings"])


def test_metadata_names_the_branch_and_the_document_date(township: Path, invoke) -> None:
    out = _year_run(township, invoke)
    path = _notice(out, "东关村", "积分定星结果公示.docx")
    props = Docx(str(path)).core_properties
    assert props.author == "中共东关村党支部"
    assert props.created.date().isoformat() == "2026-01-04" == props.modified.date().isoformat()
    with zipfile.ZipFile(path) as z:
        meta = b"".join(z.read(n) for n in z.namelist() if n.startswith("docProps/") and n.endswith(".xml"))
    assert b"python-docx" not in meta and b"Microsoft" not in meta and b"Normal.dotm" not in meta


@pytest.mark.parametrize(
    ("label", "column"),
    [("无职党员定岗编组公布.docx", "岗位职责"), ("积分定星结果运用名单（内部资料）.docx", "期限")],
)
def test_no_column_is_left_empty(township: Path, invoke, label: str, column: str) -> None:
    out = _year_run(township, invoke)
    for branch in ("东关村", "西河村", "南岭社区"):
        found = sorted((out / branch).glob(f"*{label.removesuffix('.docx')}*.docx"))  # 草稿 or final
        assert len(found) == 1, found
        table = Docx(str(found[0])).tables[0]
        header = [c.text for c in table.rows[0].cells]
        assert column in header
        for i in range(len(header)):
            assert any(row.cells[i].text.strip() for row in table.rows[1:]), (branch, header[i])


def test_internal_documents_say_so_in_the_header_of_every_page(township: Path, invoke) -> None:
    out = _year_run(township, invoke)
    internal = Docx(str(_notice(out, "东关村", "积分定星结果运用名单（内部资料）.docx")))
    public = Docx(str(_notice(out, "东关村", "积分定星结果公示.docx")))
    assert internal.sections[0].header.paragraphs[0].text == "内部资料"
    assert "内部资料" not in "".join(p.text for p in public.sections[0].header.paragraphs)


def _sheet_values(book: Path, sheet: str) -> tuple[list, list[list]]:
    ws = load_workbook(book)[sheet]
    rows = [list(r) for r in ws.iter_rows(min_row=2)]
    return [c.value for c in rows[0]], rows[1:]


def test_branch_workbooks_store_figures_as_numbers(township: Path, invoke) -> None:
    out = _year_run(township, invoke, contact=False)
    book = out / "东关村" / "积分定星结果（内部资料）.xlsx"
    header, rows = _sheet_values(book, "积分汇总")
    total = header.index("总分")
    totals = [r[total].value for r in rows if r[total].value is not None]  # exempt members: blank
    assert len(totals) > len(rows) / 2 and all(isinstance(v, int | float) for v in totals)
    header, rows = _sheet_values(book, "星级评定")
    ranked = [r for r in rows if r[header.index("名次")].value is not None]
    assert ranked and all(isinstance(r[header.index("名次")].value, int) for r in ranked)
    assert ranked[0][header.index("名次")].value == 1
    assert invoke("run", township, "-p", "2025-07").exit_code == 0
    header, rows = _sheet_values(township / "输出" / "2025-07" / "东关村" / "蓝黄红榜.xlsx", "蓝黄红榜")
    assert rows and all(isinstance(r[header.index("当月净得分")].value, int | float) for r in rows)


def test_column_widths_follow_the_content_and_long_reasons_wrap(township: Path, invoke) -> None:
    out = _year_run(township, invoke, contact=False)
    ws = load_workbook(out / "东关村" / "积分定星结果（内部资料）.xlsx")["星级评定"]
    header = [c.value for c in ws[2]]
    width = {name: ws.column_dimensions[get_column_letter(i + 1)].width for i, name in enumerate(header)}
    assert width["理由"] > 2 * width["名次"]
    assert width["姓名"] >= 6  # three CJK characters count double
    reason = ws.cell(3, header.index("理由") + 1)
    assert reason.alignment.wrap_text and len(str(reason.value)) * 2 > width["理由"]


def test_internal_workbooks_say_so_on_every_printed_page(township: Path, invoke) -> None:
    out = _year_run(township, invoke, contact=False)
    internal = load_workbook(out / "东关村" / "积分定星结果（内部资料）.xlsx")
    assert all("内部资料" in (ws.oddHeader.left.text or "") for ws in internal)
    assert invoke("run", township, "-p", "2025-07").exit_code == 0
    public = load_workbook(township / "输出" / "2025-07" / "东关村" / "蓝黄红榜.xlsx")
    assert not any("内部资料" in (ws.oddHeader.left.text or "") for ws in public)


def test_report_prints_in_landscape_sheets_with_a_chart_per_township(tmp_path: Path, invoke) -> None:
    from test_report_county import county

    ws = county(tmp_path)
    assert invoke("report", ws, "-p", "2025").exit_code == 0
    wb = load_workbook(ws / "输出" / "2025" / "渑池县2025年度党员积分定星工作情况报告.xlsx")
    for name in ("汇总", "星级等次", "党员类别", "结果运用"):
        sheet = wb[name]
        assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0, name  # 1 page wide
        assert sheet.max_column <= 16, name
        assert [c.value for c in sheet[2]][:2] == ["乡镇（街道）", "党支部"]
    assert len(wb["星级分布"]._charts) == 3  # 仰韶镇, 城关镇, 张村乡
    by_township = wb["乡镇星级分布"]
    assert [r[0] for r in by_township.iter_rows(min_row=3, values_only=True)] == ["仰韶镇", "城关镇", "张村乡"]
    assert len(by_township._charts) == 1


def test_a_group_list_with_one_person_groups_is_a_draft_until_accepted(township: Path, invoke) -> None:
    out = _year_run(township, invoke, contact=False)
    draft = _notice(out, "西河村", "无职党员定岗编组公布（草稿）.docx")
    assert draft.exists() and not _notice(out, "西河村", "无职党员定岗编组公布.docx").exists()
    first = next(p.text for p in Docx(str(draft)).paragraphs if p.text.startswith("草稿"))
    assert "民事纠纷调解组（1人）" in first and "--accept" in first
    assert _notice(out, "东关村", "无职党员定岗编组公布.docx").exists()  # no small group: final
    assert invoke("announce", township, "groups", "-p", "2025", "--accept", "--branch", "西河村").exit_code == 0
    final = Docx(str(_notice(out, "西河村", "无职党员定岗编组公布.docx")))
    assert final.paragraphs and not any("草稿" in p.text for p in final.paragraphs)
    assert invoke("run", township, "-p", "2025", "--accept").exit_code == 0
    assert not list(out.rglob("*草稿*"))

"""Build the built-in .docx templates in templates/ (docxtpl: Jinja tags inside Word).

GB/T 9704-2012 page: A4, margins 37/35/28/26 mm (a 156 × 225 mm 版心), 22 lines × 28 characters
(a line grid and an exact 28.95 pt line pitch, not Word's inherited 1.15 "auto"), title 2号
方正小标宋 centred, body 3号仿宋 with a two-character indent, tables in 4号仿宋 one grid line per
row, 落款 (organisation and date) on the right, page numbers 4号 `— 1 —` centred in the footer
(a PAGE field). Internal kinds carry 内部资料 in the header, so every printed page says so.
No application or author metadata: the renderer writes docProps/core.xml per document.
One template per document kind, because each kind has its own table columns.
Usage: python scripts/make_docx_templates.py templates
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dangyuan_cli.core.records import STAR_COLUMNS
from dangyuan_cli.publish.documents.kinds import KINDS, Kind

TITLE_FONT, BODY_FONT, TABLE_FONT, HEADER_FONT, PAGE_FONT = (
    "方正小标宋简体",
    "仿宋_GB2312",
    "仿宋_GB2312",
    "黑体",
    "宋体",
)
BODY_SIZE, TABLE_SIZE, SMALL_TABLE_SIZE, PAGE_SIZE = 16, 14, 12, 14  # 3号, 4号, 小四, 4号
LINE_PITCH = 579  # twips: 225 mm / 22 lines = 28.95 pt
APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>dangyuan</Application></Properties>"
)


TEXT_WIDTH = 156  # mm
# a column's share of the width, in 4号 characters its longest usual value takes (names 3,
# 名次 2, ★★★★★ 5); free text (依据, 成员 …) gets the room that is left
WIDE = {"岗位职责": 9, "成员": 12, "依据": 12, "理由": 12, "党支部": 6, "乡镇（街道）": 5, "小组": 7, "名单": 8}
NARROW = {"名次": 3, "姓名": 4, "组长": 5, "包组干部": 5, "星级": 5, "期限": 6, "榜单": 4, "党员": 4, "变化": 4}
NARROW.update(dict.fromkeys(STAR_COLUMNS, 3))


def _weight(column: str) -> float:
    return WIDE.get(column) or NARROW.get(column) or max(len(column), 3) + 1


def _font(run, name: str, size: float) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _pitch(p, exact: bool = True) -> None:
    """One grid line per text line, nothing added after the paragraph."""
    f = p.paragraph_format
    f.space_before = f.space_after = Pt(0)
    if exact:
        f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        f.line_spacing = Pt(LINE_PITCH / 20)
    else:
        f.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _para(doc, text: str, font: str = BODY_FONT, size: float = BODY_SIZE, align=None, indent: bool = False):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _pitch(p)
    _font(p.add_run(text), font, size)
    return p


def _page_number(paragraph) -> None:
    """`— 1 —`: half-width digits from a PAGE field between two dashes, 4号."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _pitch(paragraph, exact=False)
    _font(paragraph.add_run("— "), PAGE_FONT, PAGE_SIZE)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _font(run, PAGE_FONT, PAGE_SIZE)
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    _font(paragraph.add_run(" —"), PAGE_FONT, PAGE_SIZE)


def _defaults(doc) -> None:
    """Normal: 3号仿宋 on the grid; the document grid itself (22 × 28)."""
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    f = normal.paragraph_format
    f.space_before = f.space_after = Pt(0)
    f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    f.line_spacing = Pt(LINE_PITCH / 20)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:  # python-docx's template: 10 pt after, 1.15 lines
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        doc.sections[0]._sectPr.append(grid)
    # a line grid only: a character grid (linesAndChars, charSpace -849) spreads every character
    # to the grid in LibreOffice and WPS with substituted fonts (16 characters a line, measured);
    # 3号 in 156 mm sets 27–28 characters a line by itself
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


def build(kind: Kind, path: Path) -> None:
    columns = list(kind.columns)
    size = TABLE_SIZE if len(columns) <= 6 else SMALL_TABLE_SIZE  # the report's 12 columns: 小四
    doc = Document()
    _defaults(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(23)  # the number's top 7 mm below the 版心
    section.header_distance = Mm(20)
    _page_number(section.footer.paragraphs[0])
    if not kind.public:
        head = section.header.paragraphs[0]
        _pitch(head, exact=False)
        _font(head.add_run("内部资料"), HEADER_FONT, BODY_SIZE)
    props = doc.core_properties
    props.author = props.last_modified_by = props.comments = ""
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.revision = 1
    if kind.public:  # a public kind rendered as internal (public=False) says so in the body
        _para(doc, "{%p if not public %}")
        _para(doc, "内部资料", HEADER_FONT, BODY_SIZE)
        _para(doc, "{%p endif %}")
    title = _para(doc, "{{ title }}", TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_after = Pt(LINE_PITCH / 20)  # one blank grid line under the title
    _para(doc, "{%p for para in intro %}")
    _para(doc, "{{ para }}", indent=True)
    _para(doc, "{%p endfor %}")
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    weights = [_weight(c) for c in columns]
    for column, weight in zip(table.columns, weights, strict=True):  # the grid LibreOffice/WPS read
        column.width = Mm(TEXT_WIDTH * weight / sum(weights))
    for row in table.rows:
        # a row never splits over two pages (LibreOffice split 城关|镇 at the page foot)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for row in table.rows:
        for cell, weight in zip(row.cells, weights, strict=True):
            _pitch(cell.paragraphs[0])
            cell.width = Mm(TEXT_WIDTH * weight / sum(weights))
    for i, name in enumerate(columns):
        cell = table.rows[0].cells[i]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(name), HEADER_FONT, size)
        body = table.rows[2].cells[i]
        body.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(body.paragraphs[0].add_run(f"{{{{ row[{i}] }}}}"), TABLE_FONT, size)
    _font(table.rows[1].cells[0].paragraphs[0].add_run("{%tr for row in rows %}"), TABLE_FONT, size)
    _font(table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}"), TABLE_FONT, size)
    # mark the header row to repeat on every printed page
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = tr_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    tr_pr.append(header)
    _para(doc, "")
    for text in ("{{ signer }}", "{{ date }}"):  # 落款: right-aligned, four characters in from the edge
        p = _para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(BODY_SIZE * 4)
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(_without_app_metadata(buffer.getvalue()))


def _without_app_metadata(data: bytes) -> bytes:
    """python-docx's template says "Microsoft Macintosh Word" and "Normal.dotm": replace app.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = APP_XML.encode("utf-8") if info.filename == "docProps/app.xml" else src.read(info.filename)
            dst.writestr(zipfile.ZipInfo(info.filename, (2026, 1, 1, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main(target: str) -> None:
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    for kind in KINDS.values():
        build(kind, folder / f"{kind.name}.docx")
    print(f"docx templates written to {folder}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "templates")

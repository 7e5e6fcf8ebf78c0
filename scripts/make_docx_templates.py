"""Build the built-in .docx templates in templates/ (docxtpl: Jinja tags inside Word).

GB/T 9704-style page: A4, margins 37/35/28/26 mm, title 2号方正小标宋 centred, body 3号仿宋 with a
two-character indent, a bordered table, 落款 (organisation and date) on the right.
One template per document kind, because each kind has its own table columns.
Usage: python scripts/make_docx_templates.py templates
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dangyuan_cli.publish.documents.kinds import KINDS

TITLE_FONT, BODY_FONT, TABLE_FONT, HEADER_FONT = "方正小标宋简体", "仿宋_GB2312", "仿宋_GB2312", "黑体"


def _font(run, name: str, size: float) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _para(doc, text: str, font: str = BODY_FONT, size: float = 16, align=None, indent: bool = False):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.space_after = Pt(0)
    _font(p.add_run(text), font, size)
    return p


def build(columns: list[str], path: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    props = doc.core_properties
    props.author = props.last_modified_by = "dangyuan"
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.revision = 1
    _para(doc, "{%p if not public %}")
    _para(doc, "内部资料", HEADER_FONT, 14)
    _para(doc, "{%p endif %}")
    title = _para(doc, "{{ title }}", TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_after = Pt(16)
    _para(doc, "{%p for para in intro %}")
    _para(doc, "{{ para }}", indent=True)
    _para(doc, "{%p endfor %}")
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, name in enumerate(columns):
        cell = table.rows[0].cells[i]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(name), HEADER_FONT, 12)
        body = table.rows[2].cells[i]
        body.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(body.paragraphs[0].add_run(f"{{{{ row[{i}] }}}}"), TABLE_FONT, 12)
    _font(table.rows[1].cells[0].paragraphs[0].add_run("{%tr for row in rows %}"), TABLE_FONT, 12)
    _font(table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}"), TABLE_FONT, 12)
    # mark the header row to repeat on every printed page
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = tr_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    tr_pr.append(header)
    _para(doc, "")
    for text in ("{{ signer }}", "{{ date }}"):  # 落款: right-aligned, four characters in from the edge
        p = _para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(16 * 4)
    doc.save(str(path))


def main(target: str) -> None:
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    for kind in KINDS.values():
        build(list(kind.columns), folder / f"{kind.name}.docx")
    print(f"docx templates written to {folder}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "templates")

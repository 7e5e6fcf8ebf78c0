"""What a clerk sees in an output tree of `dangyuan run`, as text that does not move with library
versions — so a golden list of it pins our behaviour, not openpyxl's or docxtpl's serialisation.

    python scripts/dump_outputs.py TREE            one line per file: path, what it holds, a digest
    python scripts/dump_outputs.py TREE --full F   the whole canonical text of one file (to diff)
    python scripts/dump_outputs.py --golden        rewrite tests/golden/sample_outputs.txt

- .xlsx: every sheet's cells (value, number format, font, alignment, border, fill), merged
  ranges, frozen panes, column widths, row heights, print set-up, header/footer, validations,
  charts;
- .docx: the paragraphs and table rows of the body, headers and footers, and the core properties;
- anything else (.html, .md, summary.json, run.log, the folder's marker): its bytes, which we
  write ourselves.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "sample_outputs.txt"
PERIODS = ("2025", "2025H1", "2025Q3", "2025-07")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def xlsx_text(data: bytes) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    lines = []
    for ws in wb.worksheets:
        lines.append(f"== {ws.title} merged={sorted(str(r) for r in ws.merged_cells.ranges)} freeze={ws.freeze_panes}")
        ps = ws.page_setup
        lines.append(
            f"page paper={ps.paperSize} orientation={ps.orientation} fit={ws.sheet_properties.pageSetUpPr.fitToPage}"
            f"/{ps.fitToWidth}/{ps.fitToHeight} titles={ws.print_title_rows} "
            f"header={ws.oddHeader.left.text}|{ws.oddHeader.center.text} footer={ws.oddFooter.center.text}"
        )
        widths = {k: round(d.width, 2) for k, d in sorted(ws.column_dimensions.items()) if d.width}
        heights = {k: d.height for k, d in sorted(ws.row_dimensions.items()) if d.height}
        lines.append(f"widths={widths} heights={heights}")
        for dv in ws.data_validations.dataValidation:
            lines.append(f"validation {dv.sqref} {dv.type} {dv.formula1}")
        lines.append(f"charts={len(ws._charts)}")
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                f, a, b = c.font, c.alignment, c.border
                lines.append(
                    f"{c.coordinate} {c.value!r} fmt={c.number_format} font={f.name},{f.sz},{f.b} "
                    f"align={a.horizontal},{a.vertical},{a.wrap_text} border={b.left.style},{b.top.style} "
                    f"fill={c.fill.fgColor.rgb if c.fill.fill_type else None}"
                )
    return "\n".join(lines)


def _paragraphs(xml: bytes) -> list[str]:
    root = ElementTree.fromstring(xml)
    in_cell = {p for tc in root.iter(f"{W}tc") for p in tc.iter(f"{W}p")}
    lines = []
    for el in root.iter():
        if el.tag == f"{W}tr":
            cells = ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in el.findall(f"{W}tc")]
            lines.append("| " + " | ".join(cells) + " |")
        elif el.tag == f"{W}p" and el not in in_cell:
            lines.append("".join(t.text or "" for t in el.iter(f"{W}t")))
    return lines


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))
        lines = []
        for name in names:
            if name == "word/document.xml" or name.startswith(("word/header", "word/footer")):
                lines.append(f"== {name}")
                lines.extend(_paragraphs(z.read(name)))
        core = ElementTree.fromstring(z.read("docProps/core.xml"))
        lines.append("== core " + " ".join(f"{el.tag.split('}')[1]}={el.text}" for el in core))
    return "\n".join(lines)


def canonical(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".xlsx":
        return xlsx_text(data)
    if path.suffix == ".docx":
        return docx_text(data)
    return data.decode("utf-8", errors="replace")


def dump(tree: Path) -> list[str]:
    lines = []
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        digest = hashlib.sha256(canonical(path).encode("utf-8")).hexdigest()[:16]
        lines.append(f"{path.relative_to(tree).as_posix()}  {digest}")
    return lines


def sample_outputs(samples: Path, work: Path) -> list[str]:
    """Run every period over a copy of the samples; the dump of each period's tree."""
    ws = work / "ws"
    shutil.copytree(samples, ws, ignore=shutil.ignore_patterns("输出", ".dangyuan"))
    lines = []
    for period in PERIODS:
        out = work / "out" / period
        subprocess.run(
            [str(Path(sys.executable).with_name("dangyuan")), "run", str(ws), "-p", period, "--out", str(out)],
            capture_output=True,
            check=False,
        )
        lines += [f"{period}/{line}" for line in dump(out)]
    return lines


def main(argv: list[str]) -> int:
    if argv == ["--golden"]:
        with tempfile.TemporaryDirectory() as tmp:
            lines = sample_outputs(ROOT / "sample_ledgers", Path(tmp))
        GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {GOLDEN} ({len(lines)} files)")
        return 0
    if len(argv) == 3 and argv[1] == "--full":
        print(canonical(Path(argv[0]) / argv[2]))
        return 0
    if len(argv) == 1:
        print("\n".join(dump(Path(argv[0]))))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

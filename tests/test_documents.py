"""Documents (SPEC §11): golden .md/.html, .docx read back, privacy, working days, overrides."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document as Docx
from openpyxl import load_workbook

from conftest import entry, member, points_rows, roster_rows, write_book
from dangyuan_cli.publish.documents.calendar import calendar_span, chinese_date, working_span
from dangyuan_cli.publish.documents.kinds import Document
from dangyuan_cli.publish.documents.privacy import PrivacyError, public_rows
from dangyuan_cli.publish.documents.render import TemplateProblem, render_docx, render_text, write_document

GOLDEN = Path(__file__).parent / "golden"
SAMPLES = Path(__file__).resolve().parent.parent / "sample_ledgers"


def sample_document(public: bool = True) -> Document:
    return Document(
        kind="stars",
        branch="东关村",
        title="东关村党支部2025年度积分定星结果公示",
        public=public,
        intro=["经支部党员大会评定，现将结果公示如下。", "公示时间：2026年1月4日至2026年1月10日（7天）。"],
        columns=["名次", "姓名", "年度积分", "星级", "评定等次"],
        rows=[[1, "张三", 150, "★★★★★", "优秀"], [2, "李<四>&", 120, "★★★★", "合格"]],
        signer="中共东关村党支部",
        date=chinese_date(dt.date(2026, 1, 4)),
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_text_documents(fmt: str) -> None:
    rendered = render_text(sample_document(), fmt)
    golden = GOLDEN / f"stars.{fmt}"
    assert rendered == golden.read_text("utf-8")


def test_html_is_escaped_self_contained_and_a4() -> None:
    html = render_text(sample_document(), "html")
    assert "李&lt;四&gt;&amp;" in html and "李<四>" not in html
    assert "@page { size: A4;" in html
    assert "http://" not in html and "https://" not in html and "<link" not in html and "<script" not in html


def test_docx_reads_back_with_title_table_and_signature() -> None:
    doc = Docx(io.BytesIO(render_docx(sample_document())))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == "东关村党支部2025年度积分定星结果公示"
    assert texts[-2:] == ["中共东关村党支部", "2026年1月4日"]
    assert "内部资料" not in texts
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["名次", "姓名", "年度积分", "星级", "评定等次"]
    assert [c.text for c in table.rows[2].cells] == ["2", "李<四>&", "120", "★★★★", "合格"]
    assert len(table.rows) == 3


def test_internal_documents_say_so() -> None:
    doc = Docx(io.BytesIO(render_docx(sample_document(public=False))))
    assert doc.paragraphs[0].text == "内部资料"
    assert render_text(sample_document(public=False), "md").startswith("**内部资料**")


def test_docx_bytes_are_reproducible() -> None:
    first, second = render_docx(sample_document()), render_docx(sample_document())
    assert first == second
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {(2026, 1, 1, 0, 0, 0)}


def test_public_rows_only_take_allowed_fields() -> None:
    record = {"name": "张三", "total": 120, "phone": "138"}
    assert public_rows([record], ["name", "total"]) == [["张三", 120]]
    with pytest.raises(PrivacyError, match="phone"):
        public_rows([record], ["name", "phone"])


def test_seven_calendar_days_and_five_working_days_across_national_day() -> None:
    span = calendar_span(dt.date(2025, 9, 29), 7)
    assert (span.first, span.last) == (dt.date(2025, 9, 29), dt.date(2025, 10, 5))
    # 2025: 9/28 (Sun) is a make-up working day; 10/1–10/8 holiday; 10/11 (Sat) a make-up working day
    work = working_span(dt.date(2025, 9, 30), 5)
    assert (work.first, work.last, work.note) == (dt.date(2025, 9, 30), dt.date(2025, 10, 13), "")
    assert working_span(dt.date(2025, 9, 27), 1).first == dt.date(2025, 9, 28)


def test_working_days_past_the_known_calendar_say_so() -> None:
    span = working_span(dt.date(2099, 1, 1), 5)
    assert span.last == dt.date(2099, 1, 7) and "超出节假日数据范围" in span.note


def test_workspace_template_overrides_builtin(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "notice.md.j2").write_text("自定义：{{ title }}\n", "utf-8")
    paths = write_document(sample_document(), tmp_path / "out", ("md", "html"), tmp_path)
    assert paths[0].read_text("utf-8") == "自定义：东关村党支部2025年度积分定星结果公示\n"
    assert paths[1].read_text("utf-8").startswith("<!DOCTYPE html>")  # html still the built-in one


def test_workspace_templates_run_in_the_sandbox(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "notice.md.j2").write_text("{{ title.__class__.__mro__[1].__subclasses__() }}", "utf-8")
    with pytest.raises(TemplateProblem, match="沙箱不允许的操作"):
        render_text(sample_document(), "md", tmp_path)


SENTINELS = ("13912345678", "幸福路88号SENTINEL", "410801199001011234", "长期卧床SENTINEL", "低保户SENTINEL")


def _text_of(path: Path) -> str:
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml"))
    return path.read_text("utf-8")


def test_private_roster_values_never_reach_a_public_document(tmp_path: Path, invoke) -> None:
    header = ["姓名", "出生年月", "入党时间", "人员类别", "联系方式", "详细住址", "身份证号", "身体状况", "生活困难"]
    people = [
        [
            f"党员{i}",
            "1980.1",
            "2005.1",
            "正式党员",
            SENTINELS[0],
            SENTINELS[1],
            SENTINELS[2],
            SENTINELS[3],
            SENTINELS[4],
        ]
        for i in range(6)
    ]
    entries = [entry(f"2025-{m:02d}-05", f"党员{i}", "贡献加分", "志愿服务", i + 1) for i in range(6) for m in (2, 7)]
    write_book(
        tmp_path / "东关村" / "台账.xlsx",
        {"名册": [["东关村党支部党员名册"], header, *people], "积分": points_rows(*entries)},
    )
    write_book(tmp_path / "东关村" / "一编三定.xlsx", {"岗位": [["岗位名称", "职责任务"], ["环境卫生保护岗", "卫生"]]})
    for kind, period in (("stars", "2025"), ("ranking", "2025Q3"), ("board", "2025-07"), ("groups", "2025")):
        result = invoke("announce", tmp_path, kind, "--period", period)
        assert result.exit_code == 0, result.output
    public = [p for p in (tmp_path / "输出").rglob("[!.]*") if p.is_file() and "内部资料" not in p.name]
    assert len(public) == 12
    for path in public:
        text = _text_of(path)
        assert "党员1" in text
        for sentinel in SENTINELS:
            assert sentinel not in text, (path.name, sentinel)


def test_formula_looking_names_are_written_as_text(tmp_path: Path, invoke) -> None:
    write_book(
        tmp_path / "东关村" / "台账.xlsx",
        {
            "名册": roster_rows(member("=HYPERLINK(1)"), member("+张三")),
            "积分": points_rows(entry("2025-3-1", "=HYPERLINK(1)", "贡献加分", "志愿服务", 2)),
        },
    )
    assert invoke("score", tmp_path, "-p", "2025").exit_code == 0
    sheet = load_workbook(tmp_path / "输出" / "2025" / "东关村" / "积分汇总.xlsx").active
    cells = [c for row in sheet.iter_rows() for c in row if c.value in ("=HYPERLINK(1)", "+张三")]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)


def test_every_kind_renders_in_every_format_on_the_samples(township: Path, invoke) -> None:
    for kind, period in (
        ("ranking", "2025Q3"),
        ("board", "2025-07"),
        ("stars", "2025"),
        ("groups", "2025"),
        ("consequences", "2025"),
    ):
        result = invoke("announce", township, kind, "-p", period, "--branch", "东关村")
        assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (township / "输出").rglob("[!.]*.*"))  # not the marker
    assert len(files) == 15
    assert "东关村党支部2025年度积分定星结果运用名单（内部资料）.docx" in files
    stars = Docx(str(township / "输出" / "2025" / "东关村" / "东关村党支部2025年度积分定星结果公示.docx"))
    assert stars.paragraphs[-1].text == "2026年1月4日"  # the first working day of 2026 (a make-up Sunday)


def test_report_has_native_charts_and_a_summary(township: Path, invoke) -> None:
    result = invoke("report", township, "--period", "2025")
    assert result.exit_code == 0, result.output
    book = township / "输出" / "2025" / "城关镇2025年度党员积分定星工作情况报告.xlsx"
    wb = load_workbook(book)
    assert wb.sheetnames == ["汇总", "星级等次", "党员类别", "结果运用", "发展与台账", "星级分布", "类别分布"]
    assert len(wb["星级分布"]._charts) == 1 and len(wb["类别分布"]._charts) == 1
    rows = [r for r in wb["汇总"].iter_rows(values_only=True)]
    assert rows[-1][1] == "城关镇合计"
    docx = Docx(str(township / "输出" / "2025" / "城关镇2025年度党员积分定星工作情况报告（内部资料）.docx"))
    assert any(p.text.startswith("定星结果：五星") for p in docx.paragraphs)


def test_a_line_break_in_a_value_becomes_a_word_line_break() -> None:
    doc = sample_document()
    doc.rows = [[1, "张三", 150, "★★★★★", "优秀\n（支部大会通过）"]]
    body = zipfile.ZipFile(io.BytesIO(render_docx(doc))).read("word/document.xml").decode("utf-8")
    assert "<w:br/>" in body and "（支部大会通过）" in body


def test_markdown_escapes_html_and_keeps_table_rows_whole() -> None:
    doc = sample_document()
    doc.rows = [[1, "<script>alert(1)</script>", 150, "★★★★★", "优秀|甲\n乙"]]
    doc.intro = ["<img src=x onerror=alert(1)> & 说明"]
    md = render_text(doc, "md")
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md and "&lt;img src=x onerror=alert(1)&gt; &amp; 说明" in md
    row = next(line for line in md.splitlines() if "script" in line)
    assert row.count("|") == 6 and "优秀／甲 乙" in row  # five cells: a pipe or line break cannot add one


def test_an_override_markdown_template_is_escaped_too(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "notice.md.j2").write_text("{% for r in rows %}{{ r[1] }}\n{% endfor %}", "utf-8")
    doc = sample_document()
    doc.rows = [[1, "<script>x</script>", 1, "", ""]]
    assert render_text(doc, "md", tmp_path) == "&lt;script&gt;x&lt;/script&gt;\n"


def test_a_script_name_in_a_register_reaches_no_md_or_html_raw(tmp_path: Path, invoke) -> None:
    hostile = "<script>alert(1)</script>"
    write_book(
        tmp_path / "东关村" / "台账.xlsx",
        {
            "名册": roster_rows(member(hostile), member("张三")),
            "积分": points_rows(*(entry("2025-3-1", n, "贡献加分", "志愿服务", 2) for n in (hostile, "张三"))),
        },
    )
    result = invoke("run", tmp_path, "-p", "2025")
    assert result.exit_code == 0, result.output
    texts = [p for p in (tmp_path / "输出").rglob("*") if p.suffix in (".md", ".html")]
    assert len(texts) >= 4
    for path in texts:
        text = path.read_text("utf-8")
        assert "<script" not in text, path.name
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in p.read_text("utf-8") for p in texts if p.suffix == ".md")
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in p.read_text("utf-8") for p in texts if p.suffix == ".html")

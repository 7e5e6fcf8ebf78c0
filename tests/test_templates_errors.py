"""Broken `templates/` overrides (issue 10, item 14): a located 模板错误, exit 1, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from docx import Document as Docx

from conftest import entry, member, points_rows, roster_rows, write_book
from dangyuan_cli.publish.documents.render import TemplateProblem, builtin_templates, render_docx, render_text
from dangyuan_cli.publish.documents.template_check import check_templates, sample_document


def workspace(root: Path) -> Path:
    people = [member(n) for n in ("张三", "李四", "王五")]
    entries = [entry(f"2025-{m:02d}-05", n, "贡献加分", "志愿服务", 2) for n in ("张三", "李四") for m in (3, 8)]
    write_book(root / "东关村" / "台账.xlsx", {"名册": roster_rows(*people), "积分": points_rows(*entries)})
    (root / "templates").mkdir()
    return root


def docx_with(path: Path, text: str, kind: str = "stars") -> Path:
    """The built-in .docx of `kind` with one more paragraph holding `text`."""
    doc = Docx(str(builtin_templates() / f"{kind}.docx"))
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


BROKEN_TEXT = [
    ("notice.md.j2", "# {{ title }}\n\n{{ title }\n", "行3", "语法错误"),
    ("notice.md.j2", "# {{ title }}\n{{ title.nothing.here }}\n", "行2", "不存在的变量或属性"),
    ("notice.html.j2", "<p>\n{% for i in range(1000000) %}x{% endfor %}\n", "行2", "range 最多 100000"),
    ("stars.md.j2", "{{ title.__class__.__mro__ }}\n", "行1", "沙箱不允许"),
    ("notice.md.j2", "{% include 'missing.j2' %}\n", "行1", "找不到引用的模板“missing.j2”"),
]


@pytest.mark.parametrize(("name", "text", "line", "said"), BROKEN_TEXT)
def test_a_broken_text_template_is_a_located_problem(
    tmp_path: Path, name: str, text: str, line: str, said: str
) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / name).write_text(text, "utf-8")
    with pytest.raises(TemplateProblem) as caught:
        render_text(sample_document("stars"), name.split(".")[1], tmp_path)
    problem = caught.value.problem
    assert problem.file == f"templates/{name}" and problem.cell == line
    assert problem.message.startswith("模板错误：") and said in problem.message
    assert [p.format() for p in check_templates(tmp_path)] == [problem.format()]


@pytest.mark.parametrize("content", ["这不是Word文件", "zip"])
def test_a_file_named_docx_that_is_not_one_is_a_located_problem(tmp_path: Path, content: str) -> None:
    import zipfile

    (tmp_path / "templates").mkdir()
    if content == "zip":  # a zip, but none of Word's parts
        with zipfile.ZipFile(tmp_path / "templates" / "stars.docx", "w") as z:
            z.writestr("readme.txt", "x")
    else:
        (tmp_path / "templates" / "stars.docx").write_text(content, "utf-8")
    with pytest.raises(TemplateProblem) as caught:
        render_docx(sample_document("stars"), tmp_path)
    assert caught.value.problem.file == "templates/stars.docx"
    assert "不是有效的Word文件" in caught.value.problem.message


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("落款 {{ title }", "语法错误"),
        ("{% for i in range(1000000) %}x{% endfor %}", "range 最多 100000"),
        ("{{ nothing.here }}", "不存在的变量或属性"),
    ],
)
def test_a_broken_docx_template_names_its_paragraph(tmp_path: Path, text: str, said: str) -> None:
    (tmp_path / "templates").mkdir()
    docx_with(tmp_path / "templates" / "stars.docx", text)
    problems = check_templates(tmp_path)
    assert len(problems) == 1
    assert problems[0].file == "templates/stars.docx"
    assert said in problems[0].message and f"出错的段落：“{text}”" in problems[0].message


def test_templates_for_other_kinds_are_left_alone_when_asked_for_one(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "board.docx").write_bytes(b"PK not a zip")
    assert check_templates(tmp_path, ("stars",)) == []
    assert len(check_templates(tmp_path, ("board",))) == 1


def test_good_overrides_and_word_lock_files_pass_the_check(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "notice.md.j2").write_text("# {{ title }}\n{{ signer }}\n", "utf-8")
    docx_with(tmp_path / "templates" / "stars.docx", "{{ date }}")
    (tmp_path / "templates" / "~$stars.docx").write_bytes(b"\x00lock")
    assert check_templates(tmp_path) == []


def test_check_lists_a_broken_template_with_its_line(tmp_path: Path, invoke) -> None:
    ws = workspace(tmp_path)
    (ws / "templates" / "notice.md.j2").write_text("# {{ title }}\n\n{{ rows | badfilter }}\n", "utf-8")
    result = invoke("check", ws)
    assert result.exit_code == 1
    assert "templates/notice.md.j2:行3: 模板错误：语法错误" in result.output
    assert "Traceback" not in result.output
    listed = json.loads(invoke("check", ws, "--json").output)
    assert {"file": "templates/notice.md.j2", "sheet": "", "cell": "行3"}.items() <= listed["errors"][0].items()


def test_announce_with_a_broken_template_exits_1_with_the_location(tmp_path: Path, invoke) -> None:
    ws = workspace(tmp_path)
    (ws / "templates" / "stars.docx").write_text("not a docx", "utf-8")
    result = invoke("announce", ws, "stars", "-p", "2025")
    assert result.exit_code == 1
    assert "templates/stars.docx: 模板错误：不是有效的Word文件" in result.output
    assert "Traceback" not in result.output and not (ws / "输出").exists()
    # another kind does not use the broken file
    assert invoke("announce", ws, "ranking", "-p", "2025Q3").exit_code == 0


def test_run_with_a_broken_template_stops_before_writing_and_keeps_the_previous_outputs(tmp_path: Path, invoke) -> None:
    ws = workspace(tmp_path)
    assert invoke("run", ws, "-p", "2025").exit_code == 0
    before = {p: p.read_bytes() for p in (ws / "输出").rglob("*") if p.is_file()}
    (ws / "templates" / "notice.html.j2").write_text("{% for i in range(10**7) %}{% endfor %}", "utf-8")
    result = invoke("run", ws, "-p", "2025")
    assert result.exit_code == 1
    assert "templates/notice.html.j2:行1: 模板错误：循环次数超出沙箱限制" in result.output
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in (ws / "输出").rglob("*") if p.is_file()} == before


def test_a_template_that_fails_only_on_real_data_stops_the_run(tmp_path: Path, invoke) -> None:
    ws = workspace(tmp_path)
    # passes the check's one-row sample, fails on a branch with more rows
    (ws / "templates" / "notice.md.j2").write_text("{{ rows[1][9] if rows | length > 1 else '' }}\n", "utf-8")
    assert check_templates(ws) == []
    result = invoke("run", ws, "-p", "2025", "--workers", "1")
    assert result.exit_code == 1
    assert "templates/notice.md.j2:行1: 模板错误：" in result.output and "Traceback" not in result.output
    assert not (ws / "输出" / "2025").exists()
    assert not (ws / "输出").exists() or not any(p.name.endswith(".staging") for p in (ws / "输出").iterdir())


def test_the_problem_survives_the_trip_out_of_a_worker_process(tmp_path: Path) -> None:
    import pickle

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "notice.md.j2").write_text("{{ title }\n", "utf-8")
    with pytest.raises(TemplateProblem) as caught:
        render_text(sample_document("ranking"), "md", tmp_path)
    again = pickle.loads(pickle.dumps(caught.value))
    assert again.problems == [caught.value.problem]


def test_builtin_templates_pass_their_own_check(tmp_path: Path) -> None:
    shutil.copytree(builtin_templates(), tmp_path / "templates")
    assert check_templates(tmp_path) == []

"""Render documents from Jinja templates to .md, .html (A4 print CSS) and .docx (docxtpl).

Built-in templates ship inside the package (`dangyuan_cli/templates`); a `templates/` folder in
the workspace overrides any of them by file name. Every template runs in Jinja's sandbox, HTML
and docx XML are autoescaped, and Markdown gets `&`, `<`, `>` escaped too (most viewers render
it as HTML) with table pipes and line breaks taken out of cells. A template that cannot be
compiled or rendered raises `TemplateProblem`, one located `Problem`. Files are written to a
temporary name and renamed; zip-based files get fixed timestamps so the same inputs give the
same bytes.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateSyntaxError
from jinja2.exceptions import SecurityError, TemplateNotFound, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from dangyuan_cli.core.problems import Problem, error
from dangyuan_cli.publish.documents.kinds import Document
from dangyuan_cli.publish.files import FixedTimeZip, write_atomic

FORMATS = ("docx", "html", "md")
VARIABLES = "kind、branch、title、public、intro、columns、rows、signer、date、notes"


class TemplateProblem(Exception):
    """A template (usually a workspace override) failed to compile or render: one located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)  # args = (problem,): survives pickling out of a worker process
        self.problem = problem

    @property
    def problems(self) -> list[Problem]:
        return [self.problem]

    def __str__(self) -> str:
        return self.problem.format()


@functools.lru_cache(maxsize=1)
def builtin_templates() -> Path:
    """The package's templates folder (it does not move while the process runs)."""
    return Path(str(resources.files("dangyuan_cli").joinpath("templates")))


def template_dirs(workspace: Path | None) -> list[Path]:
    dirs = []
    if workspace is not None and (Path(workspace) / "templates").is_dir():
        dirs.append(Path(workspace) / "templates")
    dirs.append(builtin_templates())
    return dirs


def _environment(workspace: Path | None, fmt: str = "html") -> SandboxedEnvironment:
    dirs = template_dirs(workspace)
    # the override names are part of the key: Jinja's reload check would keep serving the
    # built-in template after an override of the same name appears
    try:
        overrides = tuple(sorted(p.name for p in dirs[0].iterdir())) if len(dirs) > 1 else ()
    except OSError:  # an unreadable folder: Jinja's loader says so when a template is asked for
        overrides = ()
    return _environment_for(tuple(str(d) for d in dirs), fmt == "md", overrides)


def md_escape(value: object) -> object:
    """Every `{{ … }}` of a Markdown template: `&`, `<`, `>` as entities, so a name such as
    `<script>` is shown, never run, by a viewer that renders Markdown as HTML. Quotes and
    Markdown punctuation stay as typed: they are harmless once no tag can be opened."""
    if isinstance(value, Markup):  # a template's deliberate `|safe`
        return value
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@functools.lru_cache(maxsize=16)
def _environment_for(dirs: tuple[str, ...], markdown: bool = False, overrides: tuple = ()) -> SandboxedEnvironment:
    """One environment per set of template folders, so each template compiles once per run
    (Jinja still reloads a template whose file changed)."""
    loader = ChoiceLoader([FileSystemLoader(d) for d in dirs])
    if markdown:
        return SandboxedEnvironment(
            loader=loader, undefined=StrictUndefined, keep_trailing_newline=True, finalize=md_escape
        )
    return SandboxedEnvironment(
        loader=loader,
        autoescape=lambda name: bool(name) and ".html" in name,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _markdown_cells(context: dict) -> dict:
    """A cell's `|` would split a Markdown table row and a line break would end it."""
    rows = [[v.replace("|", "／").replace("\r\n", " ").replace("\n", " ") for v in r] for r in context["rows"]]
    return {**context, "rows": rows}


def _where(path: Path | str, workspace: Path | None) -> str:
    """A template's path as the user knows it: relative to the workspace (`templates/x.md.j2`)."""
    path = Path(path)
    if workspace is not None:
        try:
            return path.resolve().relative_to(Path(workspace).resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return path.name if path.is_absolute() else path.as_posix()


def _explain(exc: BaseException) -> str:
    if isinstance(exc, TemplateSyntaxError):
        return f"语法错误（{exc.message}）"
    if isinstance(exc, TemplateNotFound):
        return f"找不到引用的模板“{exc.name}”"
    if isinstance(exc, UndefinedError):
        return f"用到了不存在的变量或属性（{exc.message}）；可用的变量：{VARIABLES}"
    if isinstance(exc, SecurityError):
        return f"模板执行了沙箱不允许的操作（{exc}）"
    if isinstance(exc, OverflowError) and "range" in str(exc).lower():
        return "循环次数超出沙箱限制（range 最多 100000 次）"
    if isinstance(exc, UnicodeDecodeError):
        return "文件不是UTF-8编码，请以UTF-8编码保存"
    if isinstance(exc, OSError):
        return f"无法读取（{exc.strerror or exc}）"
    if isinstance(exc, NotADocx):
        return f"不是有效的Word文件（.docx），请用Word打开后“另存为”.docx（{type(exc.cause).__name__}: {exc.cause}）"
    return f"{type(exc).__name__}: {exc}"


def template_problem(
    exc: BaseException, path: Path | str, workspace: Path | None, paragraph: str | None = None
) -> Problem:
    """The located problem for a template failure: its file, the line (text templates) or the
    paragraph's text (.docx, whose XML lines mean nothing to a user), and what went wrong."""
    line = None
    if paragraph is None:
        if isinstance(exc, TemplateSyntaxError) and exc.filename:
            path, line = exc.filename, exc.lineno
        else:  # a runtime error: Jinja's traceback frames carry the template file and line
            line = _template_line(exc, lambda name: name.endswith(".j2") and Path(name).is_file())
            path = line[0] if line else path
            line = line[1] if line else None
    where = f"（出错的段落：“{paragraph}”）" if paragraph else ""
    return error(
        _where(path, workspace),
        "",
        f"行{line}" if line else "",
        f"模板错误：{_explain(exc)}{where}。请修改该模板，或删除它以使用内置模板",
    )


def _template_line(exc: BaseException, wanted) -> tuple[str, int] | None:
    """The innermost traceback frame whose file name `wanted` accepts: (file, line)."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if wanted(name):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def find_template(name_options: list[str], workspace: Path | None) -> Path:
    for folder in template_dirs(workspace):
        for name in name_options:
            if (folder / name).is_file():
                return folder / name
    raise FileNotFoundError(f"找不到模板：{'、'.join(name_options)}")


def compile_template(name: str, fmt: str, workspace: Path | None) -> None:
    """Compile a text template (raises Jinja's error): `check` on an included part."""
    _environment(workspace, fmt).get_template(name)


def render_text(doc: Document, fmt: str, workspace: Path | None = None) -> str:
    env = _environment(workspace, fmt)
    names = [f"{doc.kind}.{fmt}.j2", f"notice.{fmt}.j2"]
    context = _markdown_cells(doc.context()) if fmt == "md" else doc.context()
    try:
        template = env.select_template(names)
        return template.render(**context)
    except Exception as exc:  # anything a template can raise: syntax, undefined, sandbox, range limit
        found = next((d / n for d in template_dirs(workspace) for n in names if (d / n).is_file()), names[-1])
        raise TemplateProblem(template_problem(exc, found, workspace)) from None


def render_docx(doc: Document, workspace: Path | None = None) -> bytes:
    """docxtpl's own tag handling, compiled once per template file: a county writes thousands."""
    path = find_template([f"{doc.kind}.docx"], workspace)
    try:
        compiled = _compiled_docx(str(path), path.stat().st_mtime_ns)
    except DocxProblem as exc:
        raise TemplateProblem(template_problem(exc.cause, path, workspace, exc.paragraph)) from None
    except Exception as exc:  # not a zip, no word/document.xml, unreadable: not a usable .docx
        raise TemplateProblem(template_problem(NotADocx(exc), path, workspace, "")) from None
    try:
        return compiled.render(doc.context())
    except Exception as exc:
        raise TemplateProblem(template_problem(exc, path, workspace, compiled.paragraph_of(exc))) from None


class NotADocx(Exception):
    """A file named `.docx` that docxtpl cannot open as one (PackageNotFoundError, BadZipFile …)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class DocxProblem(Exception):
    """The Jinja inside a .docx failed to compile; `paragraph` is the text of the paragraph."""

    def __init__(self, cause: BaseException, paragraph: str) -> None:
        super().__init__(str(cause))
        self.cause, self.paragraph = cause, paragraph


def _paragraph(body: str, line: int | None) -> str:
    """The text of the body's `line` (one paragraph per line, see _CompiledDocx), tags removed."""

    lines = body.split("\n")
    if not line or not 0 < line <= len(lines):
        return ""
    text = re.sub(r"<[^>]+>", "", lines[line - 1]).strip()
    return text if len(text) <= 60 else text[:60] + "…"


class _CompiledDocx:
    """A .docx template whose body docxtpl has patched into plain Jinja, ready to render."""

    def __init__(self, path: str) -> None:

        from docxtpl import DocxTemplate  # lazy: 88 ms of import (-X importtime); .md/.html need none of it

        tpl = DocxTemplate(path)
        tpl.render_init()
        body = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(tpl.get_xml()))
        self._tpl = tpl
        self._source = body
        try:
            self._body = SandboxedEnvironment(autoescape=True).from_string(body)
        except TemplateSyntaxError as exc:
            raise DocxProblem(exc, _paragraph(body, exc.lineno)) from None
        with zipfile.ZipFile(path) as z:
            parts = [(info.filename, z.read(info.filename)) for info in z.infolist()]
        static = io.BytesIO()  # every part but the body, compressed once; each render appends the body
        with FixedTimeZip(static) as target:
            for name, data in parts:
                if name not in ("word/document.xml", CORE_XML):
                    target.writestr(name, data)
        self._has_core = any(name == CORE_XML for name, _ in parts)
        self._static = static.getvalue()
        with zipfile.ZipFile(io.BytesIO(self._static)) as opened:  # its entries, read once
            self._entries, self._local = opened.infolist(), self._static[: opened.start_dir]
        document = dict(parts)["word/document.xml"].decode("utf-8")
        start = document.index("<w:body")
        end = document.index("</w:body>") + len("</w:body>")
        self._head, self._tail = document[:start], document[end:]

    def paragraph_of(self, exc: BaseException) -> str:
        """The paragraph whose Jinja raised `exc` while rendering (from_string names it <template>)."""
        found = _template_line(exc, lambda name: name == "<template>")
        return _paragraph(self._source, found[1] if found else None)

    def render(self, context: dict) -> bytes:

        # the line breaks the compile put before each paragraph (two plain replaces: re.sub
        # expands its replacement template once per paragraph)
        xml = self._body.render(context).replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(c in xml for c in "\n\t\a\f"):  # a value with a line break or tab: Word needs <w:br/>, <w:tab/>
            xml = self._tpl.resolve_listing(xml)
        document = (self._head + xml + self._tail).encode("utf-8")
        out = io.BytesIO()
        out.write(self._local)
        with FixedTimeZip(out) as target:
            # the static entries as appending to the archive reads them, read once: closing only
            # writes them into the central directory, never changes them
            target.filelist.extend(self._entries)
            target.NameToInfo.update((entry.filename, entry) for entry in self._entries)
            target.writestr("word/document.xml", document)
            if self._has_core:
                target.writestr(CORE_XML, core_properties(context))
        return out.getvalue()


CORE_XML = "docProps/core.xml"


def core_properties(context: dict) -> bytes:
    """The document's own metadata, never the template's ("python-docx", a template author):
    author = the signing branch or committee, created = modified = the document date, so the
    same inputs still give the same bytes."""

    issued = context.get("issued") or "2026-01-01"
    stamp = f'<dcterms:{{0}} xsi:type="dcterms:W3CDTF">{issued}T00:00:00Z</dcterms:{{0}}>'
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(str(context.get('title', '')))}</dc:title>"
        f"<dc:creator>{escape(str(context.get('signer', '')))}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(str(context.get('signer', '')))}</cp:lastModifiedBy>"
        f"<cp:revision>1</cp:revision>{stamp.format('created')}{stamp.format('modified')}"
        "</cp:coreProperties>"
    )
    return xml.encode("utf-8")


@functools.lru_cache(maxsize=64)
def _compiled_docx(path: str, mtime_ns: int) -> _CompiledDocx:
    return _CompiledDocx(path)


def write_document(
    doc: Document, folder: Path, formats: tuple[str, ...] = FORMATS, workspace: Path | None = None
) -> list[Path]:
    written = []
    for fmt in formats:
        if fmt == "docx":
            data = render_docx(doc, workspace)
        else:
            data = render_text(doc, fmt, workspace).encode("utf-8")
        written.append(write_atomic(folder / f"{doc.file_stem}.{fmt}", data))
    return written

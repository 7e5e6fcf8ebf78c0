"""Render documents from Jinja templates to .md, .html (A4 print CSS) and .docx (docxtpl).

Built-in templates ship inside the package (`dangyuan_cli/templates`); a `templates/` folder in
the workspace overrides any of them by file name. Every template runs in Jinja's sandbox, HTML
and docx XML are autoescaped. Files are written to a temporary name and renamed; zip-based
files get fixed timestamps so the same inputs give the same bytes.
"""

from __future__ import annotations

import functools
import io
import zipfile
from importlib import resources
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from dangyuan_cli.documents.kinds import Document
from dangyuan_cli.files import FixedTimeZip, write_atomic

FORMATS = ("docx", "html", "md")


def builtin_templates() -> Path:
    return Path(str(resources.files("dangyuan_cli").joinpath("templates")))


def template_dirs(workspace: Path | None) -> list[Path]:
    dirs = []
    if workspace is not None and (Path(workspace) / "templates").is_dir():
        dirs.append(Path(workspace) / "templates")
    dirs.append(builtin_templates())
    return dirs


def _environment(workspace: Path | None) -> SandboxedEnvironment:
    return _environment_for(tuple(str(d) for d in template_dirs(workspace)))


@functools.lru_cache(maxsize=16)
def _environment_for(dirs: tuple[str, ...]) -> SandboxedEnvironment:
    """One environment per set of template folders, so each template compiles once per run
    (Jinja still reloads a template whose file changed)."""
    loader = ChoiceLoader([FileSystemLoader(d) for d in dirs])
    return SandboxedEnvironment(
        loader=loader,
        autoescape=lambda name: bool(name) and ".html" in name,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def find_template(name_options: list[str], workspace: Path | None) -> Path:
    for folder in template_dirs(workspace):
        for name in name_options:
            if (folder / name).is_file():
                return folder / name
    raise FileNotFoundError(f"找不到模板：{'、'.join(name_options)}")


def render_text(doc: Document, fmt: str, workspace: Path | None = None) -> str:
    env = _environment(workspace)
    template = env.select_template([f"{doc.kind}.{fmt}.j2", f"notice.{fmt}.j2"])
    return template.render(**doc.context())


def render_docx(doc: Document, workspace: Path | None = None) -> bytes:
    """docxtpl's own tag handling, compiled once per template file: a county writes thousands."""
    path = find_template([f"{doc.kind}.docx"], workspace)
    compiled = _compiled_docx(str(path), path.stat().st_mtime_ns)
    return compiled.render(doc.context())


class _CompiledDocx:
    """A .docx template whose body docxtpl has patched into plain Jinja, ready to render."""

    def __init__(self, path: str) -> None:
        import re

        from docxtpl import DocxTemplate

        tpl = DocxTemplate(path)
        tpl.render_init()
        body = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(tpl.get_xml()))
        self._tpl = tpl
        self._body = SandboxedEnvironment(autoescape=True).from_string(body)
        with zipfile.ZipFile(path) as z:
            parts = [(info.filename, z.read(info.filename)) for info in z.infolist()]
        static = io.BytesIO()  # every part but the body, compressed once; each render appends the body
        with FixedTimeZip(static) as target:
            for name, data in parts:
                if name != "word/document.xml":
                    target.writestr(name, data)
        self._static = static.getvalue()
        document = dict(parts)["word/document.xml"].decode("utf-8")
        start = document.index("<w:body")
        end = document.index("</w:body>") + len("</w:body>")
        self._head, self._tail = document[:start], document[end:]

    def render(self, context: dict) -> bytes:
        import re

        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", self._body.render(context))
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(c in xml for c in "\n\t\a\f"):  # a value with a line break or tab: Word needs <w:br/>, <w:tab/>
            xml = self._tpl.resolve_listing(xml)
        document = (self._head + xml + self._tail).encode("utf-8")
        out = io.BytesIO(self._static)
        with FixedTimeZip(out, "a") as target:
            target.writestr("word/document.xml", document)
        return out.getvalue()


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

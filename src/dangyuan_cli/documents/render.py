"""Render documents from Jinja templates to .md, .html (A4 print CSS) and .docx (docxtpl).

Built-in templates ship inside the package (`dangyuan_cli/templates`); a `templates/` folder in
the workspace overrides any of them by file name. Every template runs in Jinja's sandbox, HTML
and docx XML are autoescaped. Files are written to a temporary name and renamed; zip-based
files get fixed timestamps so the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from dangyuan_cli.documents.kinds import Document

FORMATS = ("docx", "html", "md")
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def builtin_templates() -> Path:
    return Path(str(resources.files("dangyuan_cli").joinpath("templates")))


def template_dirs(workspace: Path | None) -> list[Path]:
    dirs = []
    if workspace is not None and (Path(workspace) / "templates").is_dir():
        dirs.append(Path(workspace) / "templates")
    dirs.append(builtin_templates())
    return dirs


def _environment(workspace: Path | None) -> SandboxedEnvironment:
    loader = ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs(workspace)])
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
    from docxtpl import DocxTemplate

    path = find_template([f"{doc.kind}.docx"], workspace)
    template = DocxTemplate(str(path))
    template.render(doc.context(), jinja_env=SandboxedEnvironment(), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return stable_zip(buffer.getvalue())


def stable_zip(data: bytes) -> bytes:
    """The same zip with every entry dated FIXED_ZIP_TIME (reproducible .docx/.xlsx bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def write_atomic(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~tmp-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


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

"""`check` for the workspace's `templates/` overrides: each one compiled and tried on a sample
document of every kind that would use it, so a broken template is a located problem before a
run, not a traceback in the middle of one.
"""

from __future__ import annotations

from pathlib import Path

from dangyuan_cli.core.problems import Problem
from dangyuan_cli.publish.documents.kinds import KINDS, Document
from dangyuan_cli.publish.documents.render import (
    TemplateProblem,
    compile_template,
    render_docx,
    render_text,
    template_problem,
)

SAMPLE = {  # one plausible value per field a kind's table shows
    "rank": "1",
    "name": "张三",
    "period_total": "105",
    "ytd": "110",
    "board": "红榜",
    "net": "5",
    "total": "110",
    "stars": "★★★★★",
    "grade": "优秀",
    "group": "环境卫生保护组",
    "duty": "村内环境卫生",
    "leader": "李四",
    "cadre": "王五",
    "list": "优先推荐",
    "reason": "年度积分居前",
    "due": "",
    "township": "城关镇",
    "branch": "示例村",
    "result": "可列为发展对象人选",
    "commitment": "带头参加村内环境整治",
}


def sample_document(kind: str) -> Document:
    k = KINDS[kind]
    return Document(
        kind=kind,
        branch="示例村",
        title=f"示例村党支部2025年度{k.label}",
        public=k.public,
        intro=["示例说明。", "公示时间：2026年1月5日至2026年1月11日（7天）。"],
        columns=list(k.columns),
        rows=[[SAMPLE.get(f, "1") for f in k.fields]],
        signer="中共示例村党支部",
        date="2026年1月5日",
    )


def _kinds_using(path: Path, folder: Path) -> list[str]:
    """The kinds whose documents this override renders (`notice.md.j2` serves every kind
    without its own `<kind>.md.j2`)."""
    name = path.name
    if name.endswith(".docx"):
        return [path.stem] if path.stem in KINDS else []
    parts = name.split(".")
    if len(parts) != 3 or parts[2] != "j2" or parts[1] not in ("md", "html"):
        return []
    if parts[0] in KINDS:
        return [parts[0]]
    if parts[0] == "notice":
        return [k for k in KINDS if not (folder / f"{k}.{parts[1]}.j2").is_file()]
    return []


def check_templates(root: Path, kinds: tuple[str, ...] | None = None) -> list[Problem]:
    """Every problem of the workspace's template overrides (only those serving `kinds`, when
    given, plus any included part); none when the workspace has no `templates/`."""
    kinds_wanted = kinds
    folder = Path(root) / "templates"
    if not folder.is_dir():
        return []
    problems: list[Problem] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith(("~$", ".")):  # Word's lock files, hidden files
            continue
        used = _kinds_using(path, folder) if path.parent == folder else []
        kinds = [k for k in used if kinds_wanted is None or k in kinds_wanted]
        if used and not kinds:
            continue
        try:
            if path.suffix == ".j2" and not kinds:  # a part included by others: compiles on its own
                fmt = "md" if ".md." in path.name else "html"
                compile_template(path.relative_to(folder).as_posix(), fmt, Path(root))
            for kind in kinds:
                if path.suffix == ".docx":
                    render_docx(sample_document(kind), Path(root))
                else:
                    render_text(sample_document(kind), path.name.split(".")[1], Path(root))
        except TemplateProblem as exc:
            problems.append(exc.problem)
        except Exception as exc:  # the compile-only path raises Jinja's own errors
            problems.append(template_problem(exc, path, Path(root)))
    return list(dict.fromkeys(problems))

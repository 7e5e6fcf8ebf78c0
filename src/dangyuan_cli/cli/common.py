"""What every computing command does around its one call: prepare, report problems, exit —
and what several commands share (a command module never imports another)."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import typer

from dangyuan_cli.cli.render import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    console,
    err_console,
    fail,
    print_stop,
    report_problems,
)
from dangyuan_cli.core.formatting import fmt  # noqa: F401 - re-exported for the commands


def json_always(empty: object):
    """A command with `--json` prints JSON on stdout whatever happens (SPEC §12): when it stops
    before printing its result (bad rules, no roster, --strict, a usage error), `empty` is printed
    so `| jq` never breaks; the human messages are on stderr."""

    def wrap(command):
        @functools.wraps(command)
        def run(*args, **kwargs):
            from dangyuan_cli.cli import render

            if not kwargs.get("as_json"):
                return command(*args, **kwargs)
            before = render.json_printed
            try:
                return command(*args, **kwargs)
            except BaseException as exc:
                stopped = not isinstance(exc, typer.Exit) or exc.exit_code != EXIT_OK
                if stopped and render.json_printed == before:
                    render.print_json(empty)
                raise

        return run

    return wrap


KIND_WORDS = {
    "year": ("年度", "2025"),
    "half": ("半年", "2025H1"),
    "quarter": ("季度", "2025Q3"),
    "month": ("月份", "2025-07"),
}


def parse_period_or_exit(text: str | None, cutoff: int = 0, kinds: tuple[str, ...] = ()):
    """The period of `-p`, or a usage error (exit 2). A command that needs one kind of period
    says so, with an example of that kind only (`此命令需要月份，如 2025-07`)."""
    from dangyuan_cli.core.periods import PeriodError, parse_period

    need = ""
    if kinds:
        words = [KIND_WORDS[k] for k in kinds]
        need = f"此命令需要{'或'.join(w for w, _ in words)}，如 {'、'.join(e for _, e in words)}"
    if not text:
        fail(f"{need or '请用 -p 指定期间，如 2025、2025Q3、2025-07'}（-p/--period）", EXIT_USAGE)
    try:
        period = parse_period(text, cutoff)
    except PeriodError as exc:
        fail(f"{need}；收到“{text}”" if need else str(exc), EXIT_USAGE)
    if kinds and period.kind not in kinds:
        fail(f"{need}；收到“{text}”", EXIT_USAGE)
    return period


def one_period(period: str | None, **older: str | None) -> str | None:
    """-p, or the older flag written instead (`--year 2025`); two different periods: exit 2."""
    given = {"-p": period} | {f"--{k}": v for k, v in older.items()}
    written = {flag: v for flag, v in given.items() if v}
    if len(set(written.values())) > 1:
        fail(f"期间只写一个：{'、'.join(f'{k} {v}' for k, v in written.items())}", EXIT_USAGE)
    return next(iter(written.values()), None)


def resolve_branch(ctx, written: str | None) -> str | None:
    """`-b` as the clerk writes it — the full name (`东关村党支部`), the short name (`东关村`) or
    a unique beginning (`东关`) — as the branch's short name; unknown or ambiguous: exit 2
    naming the branches that exist."""
    from dangyuan_cli.registers.branches import branch_key

    if not written:
        return None
    known = sorted({*ctx.workspace.roster.by_branch, *ctx.members["branch"], *ctx.skipped} - {""})
    key = branch_key(written)
    for name in (written.strip(), key):
        if name in known:
            return name
    found = [b for b in known if b.startswith(written.strip()) or (key and b.startswith(key))]
    if len(found) == 1:
        return found[0]
    if found:
        fail(f"“{written}”可指{'、'.join(found)}，请写全党支部名称", EXIT_USAGE)
    fail(f"没有党支部“{written}”；工作目录中的党支部：{'、'.join(known) or '（无）'}", EXIT_USAGE)
    return None


def prepare_or_exit(workspace: Path, strict: bool, as_json: bool = False, out: Path | None = None):
    """The computation context; on unusable rules or --strict errors, print the problems and exit 1.

    Run from a folder inside a workspace (a branch folder), the workspace above is used; a command
    with -b then shows only the branches whose registers are in that folder, unless -b is given.
    """
    from dangyuan_cli.app.context import StopRun, prepare
    from dangyuan_cli.registers.root import find_root

    if not Path(workspace).is_dir():
        fail(f"工作目录不存在：{workspace}", EXIT_USAGE)
    asked, params = getattr(workspace, "asked", None), {}
    if asked is not None and workspace.context is not None:
        params = workspace.context.params
    root = find_root(workspace)
    if root.moved:  # a command whose folder argument is not the shared Workspace argument (announce)
        err_console.print(root.note(), markup=False, soft_wrap=True)
        workspace = root.path
    if out is not None:  # the same rules as `run --out`: never write into a folder of the user's
        from rich.markup import escape

        from dangyuan_cli.app.staging import OutputError, check_out

        try:
            check_out(workspace, Path(out), explicit=True)
        except OutputError as exc:
            fail(escape(exc.message), exc.code)
    try:
        ctx = prepare(workspace, strict=strict, out=out)
    except StopRun as stop:
        print_stop(stop.problems)
        raise typer.Exit(EXIT_DATA) from None
    if asked is not None and "branch" in params and not params["branch"]:
        limit_to_folder(ctx, Path(asked))
    return ctx


def limit_to_folder(ctx, asked: Path) -> None:
    """Keep the branches whose roster is in `asked` (or whose name it is); say so on stderr."""
    from dangyuan_cli.registers.branches import branch_key, row_branch

    where = asked.relative_to(Path(ctx.root).resolve()).as_posix() + "/"
    rosters = [t for t in ctx.workspace.tables_of("roster") if t.file.startswith(where)]
    mine = {row_branch(t, r) for t in rosters for r in t.rows}  # skipped branches too
    if not mine and branch_key(asked.name) in {*ctx.members["branch"], *ctx.skipped}:
        mine = {branch_key(asked.name)}
    if not mine:
        err_console.print(f"“{asked.name}”中没有党支部的党员名册，显示全部党支部", markup=False)
        return
    ctx.members = ctx.members[ctx.members["branch"].isin(mine)].reset_index(drop=True)
    ctx.entries = ctx.entries[ctx.entries["branch"].isin(mine)].reset_index(drop=True)
    ctx.ledger = ctx.ledger[ctx.ledger["branch"].isin(mine)].reset_index(drop=True)
    ctx.problems = [p for p in ctx.problems if not p.branch or p.branch in mine]
    ctx.skipped = [b for b in ctx.skipped if b in mine]
    ctx.cache.clear()
    err_console.print(
        f"只显示{'、'.join(sorted(mine))}（所在文件夹）；要看全部党支部请在 {ctx.root} 中运行", markup=False
    )


def finish(ctx, as_json: bool = False) -> None:
    """Exit 1 when some branch was skipped for data errors, else 0."""
    if ctx.has_errors:
        target = err_console if as_json else console
        target.print(
            "[red]有数据错误[/]，以下党支部已跳过：" + ("、".join(ctx.skipped) or "（无，错误不属于任何支部）")
        )
        report_problems(ctx.problems, to_stderr=as_json)
        raise typer.Exit(EXIT_DATA)
    raise typer.Exit(EXIT_OK)


def show_tables(tables, folder: Path, no_write: bool, run_writes: bool = False) -> None:
    """Print each branch's table; unless --no-write, write its workbook and say where.
    `run_writes`: `run` writes these same files for this period (see note_written)."""
    from dangyuan_cli.cli.render import table
    from dangyuan_cli.publish.tables import write_tables

    written = []
    for t in tables:
        console.print(table(t.title, t.header, t.rows))
        if not no_write:
            for path in write_tables([t], folder):
                written.append(path)
                console.print(f"已写入：{path}")
    note_written(folder, written, run_writes)


def note_written(folder: Path, paths: list[Path], run_writes: bool) -> None:
    """Files a command wrote into `输出/<期间>/` under the names `run` uses for that period are
    listed in the folder's marker as tool-written: a later `run` replaces them, rather than
    keeping the older copy as `…（原有）`. Other files stay unlisted: `run` keeps them."""
    if run_writes and paths:
        from dangyuan_cli.app.staging import record_outputs

        record_outputs(folder, paths)


def write_year_books(ctx, p, out: Path | None, branches) -> None:
    """The year's workbook per branch, as `run` writes it (`积分定星结果（内部资料）.xlsx`)."""
    from dangyuan_cli.app.batch import YEAR_BOOK, write_branch_books, year_tables

    folder = ctx.output_dir(p, out)
    written = write_branch_books(folder, YEAR_BOOK, year_tables(ctx, p, set(branches)))
    for path in written.values():
        console.print(f"已写入：{path}")
    note_written(folder, list(written.values()), True)


def stop_on_template_problems(root: Path, kinds: tuple[str, ...]) -> None:
    """Before any work: a broken workspace template (`templates/`) for these kinds of document
    is a located error, exit 1 — it would fail every branch's document of that kind."""
    from dangyuan_cli.publish.documents.template_check import check_templates

    problems = check_templates(root, kinds)
    if problems:
        print_stop(problems, "请先修正以上模板错误。", "已停止，未生成任何文件")
        raise typer.Exit(EXIT_DATA)


def parse_date_or_exit(text: str | None, option: str) -> dt.date | None:
    """A date option (`--date`, `--as-of`) as a date, or None; a bad date is a usage error."""
    from dangyuan_cli.registers.values import CellError, parse_date

    if not text:
        return None
    try:
        return parse_date(text).date
    except CellError as exc:
        fail(f"{option}：{exc}", EXIT_USAGE)


def resolve_as_of(as_of: str | None, period: str | None, cutoff: int) -> dt.date:
    """The day a classification or assignment is as of: --as-of, else the end of -p, else today."""
    if as_of:
        return parse_date_or_exit(as_of, "--as-of")
    if period:
        return parse_period_or_exit(period, cutoff).end
    return dt.date.today()


SCORE_KEYS = ["branch", "name", "member_id", "base", "contribution", "deduction", "vetoed", "total", "exempt"]


def score_json(frame, ids: dict[str, str | None] | None = None) -> list[dict]:
    """Score rows for `--json` (`score`, `stars`). `ids`: internal key → the roster's 编号
    (frames.public_ids); internal keys never leave."""
    ids = ids or {}
    rows = []
    for rec in frame.to_dict("records"):
        row = {k: rec[k] for k in SCORE_KEYS}
        row["member_id"] = ids.get(rec["member_id"])
        row["total"] = None if rec["total"] is None or rec["total"] != rec["total"] else float(rec["total"])
        row["vetoed"], row["exempt"] = bool(rec["vetoed"]), bool(rec["exempt"])
        rows.append(row)
    return rows

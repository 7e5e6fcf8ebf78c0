"""What every computing command does around its one call: prepare, report problems, exit."""

from __future__ import annotations

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
    grouped_lines,
    warning_lines,
)
from dangyuan_cli.formatting import fmt  # noqa: F401 - re-exported for the commands


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


def parse_period_or_exit(text: str, cutoff: int = 0, kinds: tuple[str, ...] = ()):
    from dangyuan_cli.periods import PeriodError, parse_period

    try:
        period = parse_period(text, cutoff)
    except PeriodError as exc:
        fail(str(exc), EXIT_USAGE)
    if kinds and period.kind not in kinds:
        names = {"year": "年", "half": "半年", "quarter": "季度", "month": "月"}
        fail(
            f"此命令需要{'或'.join(names[k] for k in kinds)}，如 2025Q3、2025-07、2025；收到“{text}”",
            EXIT_USAGE,
        )
    return period


def prepare_or_exit(workspace: Path, strict: bool, as_json: bool = False, out: Path | None = None):
    """The computation context; on unusable rules or --strict errors, print the problems and exit 1."""
    from dangyuan_cli.pipeline import StopRun, prepare

    if not Path(workspace).is_dir():
        fail(f"工作目录不存在：{workspace}", EXIT_USAGE)
    try:
        return prepare(workspace, strict=strict, out=out)
    except StopRun as stop:
        report_problems(stop.problems, to_stderr=True)
        err_console.print("[red]已停止：[/]请先修正以上错误（dangyuan check 可列出全部问题）。")
        raise typer.Exit(EXIT_DATA) from None


def report_problems(problems: list, to_stderr: bool = False, warnings: bool = False) -> None:
    """Errors always (they decide the exit code); warnings only when asked (`check` lists them)."""
    target = err_console if to_stderr else console
    errors = [p for p in problems if p.severity == "error"]
    shown = [p for p in problems if p.severity == "warning"] if warnings else []
    for line in grouped_lines(errors) + warning_lines(shown):
        target.print(f"  • {line}", markup=False, soft_wrap=True)


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


def show_tables(tables, folder: Path, no_write: bool) -> None:
    """Print each branch's table; unless --no-write, write its workbook and say where."""
    from dangyuan_cli.cli.render import table
    from dangyuan_cli.outputs import write_tables

    for t in tables:
        console.print(table(t.title, t.header, t.rows))
        if not no_write:
            for path in write_tables([t], folder):
                console.print(f"已写入：{path}")

"""The last line of defence (SPEC §12, exit 70): an exception no command expected becomes one
Chinese line on stderr, and its traceback goes to a log file the user can send on — so a cron
mail never carries a Python traceback. Standard library only: `--help` stays fast."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path

EXIT_INTERNAL = 70
_output: list[Path] = []  # the output folder of the running `run`, once known


def note_output(folder: Path) -> None:
    """`run` names its output folder: an internal error is then logged in its run.log."""
    _output[:] = [Path(folder)]


def forget() -> None:
    _output.clear()


def _workspace(args: list[str]) -> Path:
    """The command's workspace argument, parsed as the command itself would (default `.`)."""
    try:
        import typer.main

        from dangyuan_cli.cli.app import app

        group = typer.main.get_command(app)
        ctx = group.make_context("dangyuan", list(args), resilient_parsing=True)
        name, command, rest = group.resolve_command(
            ctx, [*(getattr(ctx, "_protected_args", None) or getattr(ctx, "protected_args", [])), *ctx.args]
        )
        sub = command.make_context(name, rest, parent=ctx, resilient_parsing=True)
        return Path(sub.params.get("workspace") or ".")
    except Exception:
        return Path(".")


def _candidates(args: list[str]) -> list[Path]:
    found = [folder / "run.log" for folder in _output if (folder / "run.log").is_file()]
    return [*found, _workspace(args) / ".dangyuan" / "error.log"]


def write_log(exc: BaseException, args: list[str]) -> Path:
    """Append the traceback to the first writable log: the run's run.log, the workspace's
    `.dangyuan/error.log`, else a new file in the system's temporary folder."""
    from dangyuan_cli import __version__

    text = (
        f"\n==== dangyuan {__version__} 内部错误 {dt.datetime.now():%Y-%m-%d %H:%M:%S}"
        f"  命令：dangyuan {' '.join(args)}\n" + "".join(traceback.format_exception(exc))
    )
    for path in _candidates(args):
        try:
            if path.name == "error.log":
                path.parent.mkdir(exist_ok=True)
            with open(path, "a", encoding="utf-8", errors="replace") as fh:
                fh.write(text)
            return path
        except OSError:
            continue
    fd, name = tempfile.mkstemp(prefix="dangyuan-error-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as fh:
        fh.write(text)
    return Path(name)


def internal_error(exc: BaseException, args: list[str]) -> int:
    """Log the traceback, print one line, return the exit code (70)."""
    try:
        where = str(write_log(exc, args))
    except Exception as second:  # nowhere to write: still one line, never a traceback
        where = f"（无法写入日志：{second}）"
    message = " ".join(str(exc).split())[:300]
    sys.stderr.write(f"内部错误：{type(exc).__name__}: {message}，详细信息已写入 {where}，请把该文件发给维护人员\n")
    sys.stderr.flush()
    return EXIT_INTERNAL

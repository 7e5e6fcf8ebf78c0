"""The `dangyuan` program: Chinese help, English command names.

Commands import their work lazily so `dangyuan --help` stays fast (no pandas at start-up).
"""

from __future__ import annotations

import typer
from typer.core import TyperCommand

from dangyuan_cli import __version__
from dangyuan_cli.cli import zh

app = typer.Typer(
    cls=zh.Group,
    options_metavar=zh.OPTIONS_METAVAR,
    name="dangyuan",
    help="党员积分定星与台账管理工具：读取各党支部的Excel台账，分类、积分、定星、公示、报表。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dangyuan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本号"),
) -> None:
    """党员积分定星与台账管理工具。"""


# In the order `--help` lists them: set-up, checks, the period's work, documents, archive.
COMMANDS = (
    "init",
    "check",
    "classify",
    "posts",
    "duty",
    "score",
    "board",
    "stars",
    "consequences",
    "vote",
    "develop",
    "commitments",
    "shop",
    "laggards",
    "announce",
    "report",
    "close",
    "run",
)


def _register() -> None:
    import importlib

    for name in COMMANDS:  # a command module that fails to import is an error, never skipped
        importlib.import_module(f"dangyuan_cli.cli.{name}_cmd").register(app)
    for info in app.registered_commands:  # Chinese usage line, help option and placeholders
        if info.cls in (None, TyperCommand):
            info.cls = zh.Command


_register()


def main(args: list[str] | None = None) -> None:
    """The console script: the commands, with a top-level handler — an unexpected exception is
    one Chinese line and exit 70, its traceback in a log file (cli/crash.py)."""
    import sys

    from dangyuan_cli.cli import crash  # standard library only: start-up stays fast

    argv = sys.argv[1:] if args is None else [str(a) for a in args]
    crash.forget()
    try:
        app(args=argv)
    except SystemExit:
        raise
    except Exception as exc:
        raise SystemExit(crash.internal_error(exc, argv)) from None

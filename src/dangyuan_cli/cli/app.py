"""The `dangyuan` program: Chinese help, English command names.

Commands import their work lazily so `dangyuan --help` stays fast (no pandas at start-up).
"""

from __future__ import annotations

import typer

from dangyuan_cli import __version__

app = typer.Typer(
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


def _register() -> None:
    from dangyuan_cli.cli import (
        board_cmd,
        check_cmd,
        classify_cmd,
        close_cmd,
        consequences_cmd,
        duty_cmd,
        init_cmd,
        posts_cmd,
        score_cmd,
        stars_cmd,
    )

    commands = (
        init_cmd,
        check_cmd,
        classify_cmd,
        posts_cmd,
        duty_cmd,
        score_cmd,
        board_cmd,
        stars_cmd,
        consequences_cmd,
        close_cmd,
    )
    for module in commands:
        module.register(app)


_register()


def main() -> None:
    app()

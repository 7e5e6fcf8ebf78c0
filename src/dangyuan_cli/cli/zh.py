"""Typer's and Click's own texts in Chinese: help panels, placeholders, usage errors.

Typer (0.29) vendors Click with English f-strings, so the words are replaced where they are
shown: rich_utils' constants, the command classes (usage line, the help option, type
placeholders) and one printer for usage errors, which builds each message from the exception's
parts. Help text folds at the terminal's width instead of ending in `…` (rich does not break
Chinese text without spaces, and a table cell crops it).
"""

from __future__ import annotations

import sys
from typing import Any

from typer import rich_utils
from typer._click import exceptions as click_errors
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.exceptions import Abort

USAGE_PREFIX = "用法："
OPTIONS_METAVAR = "[选项]"
HELP_TEXT = "显示本帮助并退出"

rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
rich_utils.OPTIONS_PANEL_TITLE = "选项"
rich_utils.COMMANDS_PANEL_TITLE = "命令"
rich_utils.ERRORS_PANEL_TITLE = "错误"
rich_utils.DEFAULT_STRING = "[默认：{}]"
rich_utils.REQUIRED_LONG_STRING = "[必填]"
rich_utils.ENVVAR_STRING = "[环境变量：{}]"
rich_utils.DEPRECATED_STRING = "（已停用）"
rich_utils.ABORTED_TEXT = "已中止。"
rich_utils.RICH_HELP = "运行 [blue]{command_path} {help_option}[/] 查看帮助。"

_make_rich_text = rich_utils._make_rich_text


def _folding_text(**kwargs: Any):
    """Help text that wraps at any character: Chinese has no spaces to break at."""
    text = _make_rich_text(**kwargs)
    if hasattr(text, "overflow"):
        text.overflow = "fold"
    return text


rich_utils._make_rich_text = _folding_text

# Placeholders for a value's type: Typer shows `<int>`, `<path>`, `<bool>`.
TYPE_NAMES = {"str": "文本", "int": "整数", "float": "数字", "path": "路径", "Path": "路径", "datetime": "日期"}


def type_name(param: Any) -> str | None:
    """The Chinese placeholder of a parameter's value: none for a flag or a named argument."""
    if isinstance(param, TyperOption) and param.is_flag:
        return None
    if isinstance(param, TyperArgument) and param.metavar is not None:
        return None
    desc = param.type_descriptor
    annotation = desc.annotation
    if desc.is_list:
        annotation = getattr(annotation, "__args__", (str,))[0]
        return TYPE_NAMES.get(getattr(annotation, "__name__", ""), "值") + "…"
    if desc.is_path:
        return "路径"
    return TYPE_NAMES.get(getattr(annotation, "__name__", ""), "值")


def _display_type(self: Any, ctx: Any) -> str | None:
    name = type_name(self)
    return None if name is None else f"<{name}>"


TyperArgument.display_type_rich = _display_type  # type: ignore[method-assign]


class _Chinese:
    """What a command and the program share: the usage line and the help option in Chinese."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE_PREFIX)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help, option.metavar = HELP_TEXT, ""
        return option


class Command(_Chinese, TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:  # an option's value placeholder; a flag has none
            if isinstance(param, TyperOption) and param.metavar is None:
                name = type_name(param)
                param.metavar = "" if name is None else f"<{name}>"


class Group(_Chinese, TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["subcommand_metavar"] = kwargs.get("subcommand_metavar") or "命令 [参数]..."
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperOption) and param.metavar is None and param.is_flag:
                param.metavar = ""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Usage errors printed in Chinese (Typer would print Click's English in a panel)."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click_errors.NoArgsIsHelpError as exc:  # the help was printed as it was raised
            sys.exit(exc.exit_code)
        except click_errors.ClickException as exc:
            show_error(exc)
            sys.exit(exc.exit_code)
        except Abort:
            from dangyuan_cli.cli.render import err_console

            err_console.print("已中止。", markup=False)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def show_error(exc: click_errors.ClickException) -> None:
    """`用法：…`, where to find help, and the error in Chinese, on stderr."""
    from dangyuan_cli.cli.render import err_console

    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        err_console.print(ctx.get_usage(), markup=False, soft_wrap=True)
        if ctx.command.get_help_option(ctx) is not None:
            err_console.print(f"运行 {ctx.command_path} {ctx.help_option_names[0]} 查看帮助。", markup=False)
    err_console.print(f"[red]错误：[/]{message(exc)}", soft_wrap=True, highlight=False)


def _hint(param: Any) -> str:
    if param is None:
        return ""
    if isinstance(param, TyperOption):  # `-p/--period`: the first short and the first long name
        shorts = [o for o in param.opts if not o.startswith("--")]
        longs = [o for o in param.opts if o.startswith("--")]
        return "/".join(shorts[:1] + longs[:1])
    return param.metavar or param.name or ""


def message(exc: click_errors.ClickException) -> str:
    """The exception said in Chinese, from its parts (Click's text is an English f-string)."""
    from rich.markup import escape

    text = _message(exc)
    return escape(text)


def _message(exc: click_errors.ClickException) -> str:
    if isinstance(exc, click_errors.MissingParameter):
        param = exc.param
        kind = "选项" if isinstance(param, TyperOption) else "参数"
        about = f"：{param.help.split('；')[0]}" if param is not None and getattr(param, "help", None) else ""
        return f"缺少必填{kind} {_hint(param)}{about}"
    if isinstance(exc, click_errors.BadParameter):
        return f"{_hint(exc.param) or '参数'} 的值无效：{_bad_value(exc)}"
    if isinstance(exc, click_errors.NoSuchOption):
        near = sorted(exc.possibilities or [])
        return f"没有选项 {exc.option_name}" + (f"；是否要用 {'、'.join(near)}？" if near else "")
    if isinstance(exc, click_errors.BadOptionUsage):
        if "does not take a value" in exc.message:
            return f"选项 {exc.option_name} 不带值（是开关，直接写 {exc.option_name.split('=')[0]}）"
        if "requires an argument" in exc.message or "requires" in exc.message:
            return f"选项 {exc.option_name} 后面要写一个值"
        return f"选项 {exc.option_name} 用法不对"
    return _usage_message(exc.message)


def _bad_value(exc: click_errors.BadParameter) -> str:
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            given = found[0].get("input")
            expected = {"int_parsing": "整数", "float_parsing": "数字", "bool_parsing": "是或否"}
            want = expected.get(found[0].get("type", ""), TYPE_NAMES.get(str(type_name(exc.param)), "合适的值"))
            return f"“{given}”不是{want}"
    if exc.message and not exc.message.isascii():
        return exc.message  # our own callbacks raise in Chinese
    name = type_name(exc.param) if exc.param is not None else None
    return f"应为{name or '合适的值'}"


def _usage_message(text: str) -> str:
    import re

    found = re.match(r"Got unexpected extra arguments? \((.*)\)", text)
    if found:
        return f"多余的参数：{found.group(1)}（带空格的值请加引号）"
    found = re.match(r"No such command '(.*?)'\.(?: Did you mean (.*)\?)?", text)
    if found:
        near = re.findall(r"'([^']*)'", found.group(2) or "")
        return f"没有命令“{found.group(1)}”" + (
            f"；是否要用 {'、'.join(near)}？" if near else "；dangyuan -h 列出全部命令"
        )
    if text.startswith("Missing command"):
        return "缺少命令；dangyuan -h 列出全部命令"
    if text.isascii():
        return "命令行写法不对"
    return text

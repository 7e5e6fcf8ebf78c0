"""`dangyuan run`: the whole period-end batch, safe under cron."""

from __future__ import annotations

import functools
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from dangyuan_cli.cli.common import parse_period_or_exit, stop_on_template_problems
from dangyuan_cli.cli.options import Accept, Out, Period, Strict, Verbose, Workspace
from dangyuan_cli.cli.render import (
    EXIT_DATA,
    EXIT_LOCKED,
    EXIT_USAGE,
    console,
    err_console,
    fail,
    print_stop,
    report_problems,
    table,
)

Workers = Annotated[int | None, typer.Option("--workers", help="并行进程数，默认为CPU核数")]


EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


def run(
    workspace: Workspace = Path("."),
    period: Period = ...,
    out: Out = None,
    strict: Strict = False,
    verbose: Verbose = False,
    workers: Workers = None,
    accept: Accept = False,
) -> None:
    """期末批处理（可放入 cron）：月——蓝黄红榜、履岗记实；季——排名公示、督促提醒；
    年——分类、积分、定星、结果运用、全部公示和上报材料。输出到 <工作目录>/输出/<期间>/。

    输出文件夹整体替换，并带标记文件 .dangyuan-output.json；run 只替换自己建立的文件夹，
    其中不是 run 写入的文件原样保留（见 run.log）。--out 不能是工作目录本身、包含工作目录、
    位于存放台账的文件夹中、是已有文件，或是不空且不是 run 建立的文件夹。
    同一工作目录同时只运行一个；无终端时成功不输出任何内容（-v 显示详情）；
    退出码：0 成功，1 有数据错误（出错支部已跳过）或无法写入（只读、磁盘已满），
    2 用法错误（含不可用的 --out），70 内部错误（详情写入日志），75 另一任务正在运行，
    130 被中断（Ctrl-C；SIGTERM 为 143），原有输出不变。
    """
    from rich.markup import escape

    from dangyuan_cli.app.batch import output_folder, run_batch
    from dangyuan_cli.app.context import StopRun
    from dangyuan_cli.app.interrupts import Terminated
    from dangyuan_cli.app.lock import LockUnavailable, WorkspaceLocked, output_lock, workspace_lock
    from dangyuan_cli.app.staging import OutputError, check_out
    from dangyuan_cli.cli.crash import note_output
    from dangyuan_cli.publish.documents.render import TemplateProblem

    if not workspace.is_dir():
        fail(f"工作目录不存在：{workspace}", EXIT_USAGE)
    _stop_if_no_workbooks(workspace)
    kinds = {"month": ("board",), "quarter": ("ranking",), "year": ("stars", "groups", "consequences", "report")}
    stop_on_template_problems(workspace, kinds.get(parse_period_or_exit(period).kind, ()))
    interactive = console.is_terminal
    previous = _on_sigterm()
    try:
        final = output_folder(workspace, period, out)
        if out is not None:
            check_out(workspace, final, explicit=True)  # before the lock, which may go beside it
        note_output(final)
        with workspace_lock(workspace, fallback=final) as held:
            if held.moved:
                err_console.print(f"[yellow]提示：[/]{escape(held.moved)}；运行锁改放在 {escape(str(held.path))}")
            # the output's own lock too (unless the workspace lock already went there): another
            # workspace run with the same --out must not clean up this run's staging folder
            with nullcontext() if held.moved else output_lock(final):
                result = _with_progress(
                    functools.partial(run_batch, accept=accept, detail=verbose),
                    interactive,
                    workspace,
                    period,
                    out,
                    strict,
                    workers,
                )
    except WorkspaceLocked as locked:
        err_console.print(f"[red]工作目录正在被另一个任务使用：[/]{locked.holder}。请等它结束后再运行。")
        raise typer.Exit(EXIT_LOCKED) from None
    except (OutputError, LockUnavailable) as exc:
        fail(escape(exc.message), getattr(exc, "code", EXIT_DATA))
    except (StopRun, TemplateProblem) as stop:
        print_stop(stop.problems, stopped="已停止，未生成任何文件")
        raise typer.Exit(EXIT_DATA) from None
    except (KeyboardInterrupt, Terminated) as stop:
        err_console.print("已中断，原有输出未改动")
        raise typer.Exit(EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED) from None
    finally:
        _restore_sigterm(previous)
    if result.kept:
        err_console.print(
            f"[yellow]提示：[/]输出目录中有 {len(result.kept)} 项不是 dangyuan run 写入的，已原样保留在 "
            f"{escape(str(result.folder))}（详见 run.log）"
        )
    if interactive or verbose:
        _closing_table(result)
    if verbose:
        _warnings(result.problems)
    if result.exit_code:
        skipped = [o.branch for o in result.outcomes if o.status == "跳过"]
        err_console.print(
            f"[red]有数据错误[/]，已跳过：{'、'.join(skipped) or '（无）'}；详见 {result.folder / 'run.log'}"
        )
        report_problems(result.problems, to_stderr=True)
    raise typer.Exit(result.exit_code)


def _stop_if_no_workbooks(workspace: Path) -> None:
    """A folder without any Excel file is not a workspace: say so, and leave it as it was
    (no 输出/, no .dangyuan/ lock folder)."""
    from dangyuan_cli.app.context import load
    from dangyuan_cli.registers.workspace import workbook_paths

    if not workbook_paths(workspace):  # a walk only; the registers are read by the batch
        print_stop(
            load(workspace).problems,
            "请确认工作目录是否正确，或运行 dangyuan init 生成空白台账。",
            "已停止，未生成任何文件",
        )
        raise typer.Exit(EXIT_DATA)


def _on_sigterm() -> dict:
    """SIGTERM (a stopped cron job, a shutdown) and Ctrl-C raise in the main process, so the run
    cleans up its staging folder on the way out (an ignored SIGINT, as under cron, stays ignored)."""
    import signal

    from dangyuan_cli.app.interrupts import on_stop_signal, reset_stop

    reset_stop()
    previous = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            if signum == signal.SIGINT and signal.getsignal(signum) is not signal.default_int_handler:
                continue
            previous[signum] = signal.signal(signum, on_stop_signal)
        except ValueError:  # not the main thread
            pass
    return previous


def _restore_sigterm(previous: dict) -> None:
    import signal

    for signum, handler in previous.items():
        signal.signal(signum, handler)


def _with_progress(fn, interactive: bool, *args):
    if not interactive:
        return fn(*args)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[count]}"),  # no `0/?` while the registers are read
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("读取台账", total=None, count="")

        def advance(done: int, total: int | None, stage: str) -> None:
            count = f"{done}/{total} 个党支部" if total is not None else ""
            progress.update(task, completed=done, total=total, description=stage, count=count)

        return fn(*args, on_progress=advance)


def _closing_table(result) -> None:
    rows = [[o.branch, o.status, len(o.files), o.errors, o.warnings] for o in result.outcomes]
    console.print(table(f"{result.period_label}期末批处理", ["党支部", "状态", "文件", "错误", "提示"], rows))
    for o in result.outcomes:
        if o.reason:
            console.print(f"{o.branch}：已跳过，原因：{o.reason}", markup=False, soft_wrap=True)
    done = sum(o.status == "完成" for o in result.outcomes)
    console.print(f"完成 {done} 个党支部，跳过 {len(result.outcomes) - done} 个。输出目录：{result.folder}")
    order = ("定星结果公示", "排名公示", "蓝黄红榜", "公布")
    notices = sorted(
        {f for o in result.outcomes for f in o.files if f.endswith(".docx") and "内部资料" not in f},
        key=lambda f: (next((i for i, word in enumerate(order) if word in f), len(order)), f),
    )
    if notices:
        console.print(f"公示文件（每个支部一个文件夹）例如：{result.folder / notices[0]}")
    for name in result.shared_files:
        console.print(f"汇总报告：{result.folder / name}")
    console.print(f"摘要：{result.folder / 'summary.json'}；日志：{result.folder / 'run.log'}")


def _warnings(problems) -> None:
    """`-v`: the warnings folded by cause (run.log keeps every located row)."""
    from dangyuan_cli.cli.render import print_items_snippet, warning_lines

    warnings = [p for p in problems if p.severity == "warning"]
    if warnings:
        console.print(f"[yellow]提示 {len(warnings)} 项[/]（逐条见 run.log）")
        for line in warning_lines(warnings):
            console.print(f"  • {line}", markup=False, soft_wrap=True)
        print_items_snippet(warnings)


def register(app: typer.Typer) -> None:
    app.command("run")(run)

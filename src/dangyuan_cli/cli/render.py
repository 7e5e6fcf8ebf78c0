"""Rich rendering shared by the commands: problems, tables, JSON, exit codes."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.markup import escape
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table

from dangyuan_cli.core.problems import Problem, split

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75

console = Console(highlight=False, soft_wrap=True)  # paths and messages are never broken mid-word
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


STOP_ADVICE = "请先修正以上错误（dangyuan check 可列出全部问题）。"

json_printed = 0  # how many JSON documents went to stdout (see common.json_always)


def print_json(data: object) -> None:
    global json_printed
    json_printed += 1
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def grouped_lines(items: list[Problem]) -> list[str]:
    """One line per (file, sheet, message); the same complaint in many cells is listed once."""
    groups: dict[tuple[str, str, str], list[Problem]] = {}
    for p in items:
        groups.setdefault((p.file, p.sheet, p.message), []).append(p)
    lines = []
    for same in groups.values():
        first = same[0]
        if len(same) == 1:
            lines.append(first.format())
            continue
        cells = "、".join(p.cell for p in same[:6]) + ("等" if len(same) > 6 else "")
        lines.append(f"{first.file}:{first.sheet}!{cells}（共{len(same)}处）: {first.message}")
    return lines


def warning_lines(warnings: list[Problem]) -> list[str]:
    """Warnings for a person: repeated causes folded per branch (item, member), the rest grouped."""
    from dangyuan_cli.core.folding import fold_warnings

    folded, rest = fold_warnings(warnings)
    return folded + grouped_lines(rest)


def print_items_snippet(warnings: list[Problem], target: Console | None = None) -> None:
    """Once: the `dangyuan.toml` lines that would add the items the ledgers use but the catalogue lacks."""
    from dangyuan_cli.core.folding import items_snippet

    snippet = items_snippet(warnings)
    if snippet:
        target = target or console
        target.print("以上未列入项目清单的事项，核对类型和分值后可加入 dangyuan.toml（追加到文件末尾）：")
        target.print(snippet, markup=False, soft_wrap=True)


def report_problems(problems: list[Problem], to_stderr: bool = False, warnings: bool = False) -> None:
    """The problems as lines: errors always (they decide the exit code); warnings only when asked."""
    target = err_console if to_stderr else console
    errors = [p for p in problems if p.severity == "error"]
    shown = [p for p in problems if p.severity == "warning"] if warnings else []
    for line in grouped_lines(errors) + warning_lines(shown):
        target.print(f"  • {line}", markup=False, soft_wrap=True)


def print_stop(problems: list[Problem], advice: str = STOP_ADVICE, stopped: str = "已停止") -> None:
    """Why nothing was computed or written: the errors on stderr, then what to do."""
    report_problems(problems, to_stderr=True)
    err_console.print(f"[red]{stopped}：[/]{advice}")


def print_problems(problems: Iterable[Problem]) -> tuple[int, int]:
    """Errors as `file:sheet!cell: message`, then warnings folded by cause; returns (errors, warnings)."""
    errors, warnings = split(list(problems))
    for title, lines, count, style in (
        ("错误", grouped_lines(errors), len(errors), "red"),
        ("提示", warning_lines(warnings), len(warnings), "yellow"),
    ):
        if not count:
            continue
        console.print(f"[bold {style}]{title} {count} 项[/]")
        # One print of all the lines: a county's 3,600 lines printed one by one cost 0.4 s in rich's
        # per-call work; soft wrap keeps every line whole either way, so the bytes are the same.
        console.print("\n".join(f"  [{style}]•[/] {escape(line)}" for line in lines), soft_wrap=True)
    print_items_snippet(warnings)
    return len(errors), len(warnings)


WRAPPED_COLUMNS = {"说明", "理由", "原因", "依据", "事项"}
NUMBER_WIDTH = 12  # a cell of at most this many ASCII characters is a number, a date, a code: kept whole


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]], width: int | None = None) -> Table:
    """A terminal table that never cuts data: cells fold at the console's width (rich measures
    CJK as two columns), numbers are kept whole when they fit, and a column is left out only
    when even folding cannot fit it — said in the table's caption."""
    cells = [["" if x is None else str(x) for x in r] for r in rows]
    width = width or console.width
    header = list(columns)
    shown = len(header)
    while shown > 1 and 3 * shown + 1 + 2 * shown > width:  # borders, padding, one CJK character each
        shown -= 1
    dropped = header[shown:]
    numeric = [bool(cells) and all(len(r[i]) <= NUMBER_WIDTH and r[i].isascii() for r in cells) for i in range(shown)]
    whole = {i: max(cell_len(r[i]) for r in cells) for i in range(shown) if numeric[i]}
    caption = f"（终端太窄，未显示：{'、'.join(dropped)}；完整内容见输出的工作簿，或加宽终端）" if dropped else None
    rows = [r[:shown] for r in cells]
    built = _build(title, header[:shown], rows, whole, caption)
    if whole and _width_of(built, width) > width:  # numbers whole, cells without side padding
        built = _build(title, header[:shown], rows, whole, caption, (0, 0))
    if whole and _width_of(built, width) > width:  # too narrow to keep numbers whole: they fold too
        built = _build(title, header[:shown], rows, {}, caption)
    return built


class _MeasuredTable(Table):
    """A rich Table whose column widths come from `twin`, a few cells standing in for each column
    (see `_stand_ins`), and whose rows are drawn with each distinct cell rendered once. A county's
    `check` table has 3,000 rows repeating their sheet, register, branch and count cells: measuring
    and rendering every cell cost most of check's printing (1.8 s of 2.2 s)."""

    twin: Table | None = None

    def _calculate_column_widths(self, console: Console, options: ConsoleOptions) -> list[int]:
        if self.twin is None:
            return super()._calculate_column_widths(console, options)
        return self.twin._calculate_column_widths(console, options)

    def _render(self, console: Console, options: ConsoleOptions, widths: list[int]) -> RenderResult:
        return super()._render(_RenderedOnce(console), options, widths)


class _RenderedOnce:
    """The console as rich's `Table._render` uses it, except that a cell equal to one already
    rendered (same text, padding, options and style) gets the same lines again. Rendering is a
    function of exactly these, and the table only reads the lines (it aligns and shapes copies)."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._lines: dict[tuple, list[list[Segment]]] = {}

    def __getattr__(self, name: str) -> object:
        return getattr(self._console, name)

    def render_lines(
        self,
        renderable: object,
        options: ConsoleOptions | None = None,
        *,
        style: Style | None = None,
        pad: bool = True,
        new_lines: bool = False,
    ) -> list[list[Segment]]:
        if not (isinstance(renderable, Padding) and isinstance(renderable.renderable, str) and options is not None):
            return self._console.render_lines(renderable, options, style=style, pad=pad, new_lines=new_lines)
        cell = renderable
        key = (
            cell.renderable,
            (cell.top, cell.right, cell.bottom, cell.left, cell.style, cell.expand),
            tuple(vars(options).values()),
            style,
            pad,
            new_lines,
        )
        lines = self._lines.get(key)
        if lines is None:
            lines = self._console.render_lines(cell, options, style=style, pad=pad, new_lines=new_lines)
            self._lines[key] = lines
        return lines


def _build(
    title: str,
    header: list[str],
    cells: list[list[str]],
    whole: dict[int, int],
    caption: str | None,
    padding: tuple[int, int] = (0, 1),
) -> Table:
    t = _columns(_MeasuredTable, title, header, whole, caption, padding)
    for r in cells:
        t.add_row(*r)
    t.twin = _columns(Table, title, header, whole, caption, padding)
    stand_ins = [_stand_ins(r[i] for r in cells) for i in range(len(header))]
    for r in itertools.zip_longest(*stand_ins, fillvalue=""):  # an empty cell is never the widest
        t.twin.add_row(*r)
    return t


def _stand_ins(column: Iterable[str]) -> list[str]:
    """Cells that give a column the same widths as all of its cells: rich takes the widest of the
    cells' (narrowest, widest) measurements. A plain cell — one line, one word, no markup or emoji
    code — measures its own display width both ways, so the longest of them stands for all; any
    other cell is kept as it is (once)."""
    longest = ""
    others: dict[str, None] = {}
    for cell in column:
        if _plain(cell):
            if cell_len(cell) > cell_len(longest):
                longest = cell
        else:
            others[cell] = None
    return [longest, *others]


def _plain(cell: str) -> bool:
    """No whitespace, line break or control character, and nothing rich reads as markup or emoji."""
    return cell.isprintable() and " " not in cell and "[" not in cell and ":" not in cell


def _columns(
    kind: type[Table],
    title: str,
    header: list[str],
    whole: dict[int, int],
    caption: str | None,
    padding: tuple[int, int],
) -> Table:
    t = kind(
        title=title, title_justify="left", header_style="bold", caption=caption, caption_justify="left", padding=padding
    )
    for i, c in enumerate(header):
        t.add_column(c, overflow="fold", min_width=whole.get(i), ratio=1 if c in WRAPPED_COLUMNS else None)
    return t


def _width_of(t: Table, width: int) -> int:
    """How wide the table comes out at this terminal width (rich may exceed it to honour min widths).

    The width rich's `Table.__rich_console__` settles on (column widths + borders and padding),
    without rendering every row: the title and caption fold inside it, so no line is wider. On a
    county's `check` the two rendered probes cost more than the table's own print."""
    import io

    probe = Console(width=width, file=io.StringIO())
    extra = t._extra_width
    widths = t._calculate_column_widths(probe, probe.options.update_width(width - extra))
    return sum(widths) + extra


def fail(message: str, code: int = EXIT_USAGE) -> None:
    """An expected failure: one Chinese line on stderr, no traceback."""
    import typer

    err_console.print(f"[red]错误：[/]{message}")
    raise typer.Exit(code)

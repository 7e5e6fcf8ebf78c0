"""Rich rendering shared by the commands: problems, tables, JSON, exit codes."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable, Iterable, Sequence

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
        if not self._drawn_here():
            return super()._render(console, options, widths)
        return self._draw(console, options, widths)

    def _drawn_here(self) -> bool:
        """The tables `_columns` builds: text cells under a header, no footer, row lines, row or
        section styles, cells aligned to the top; any other table is rich's to draw."""
        return (
            self.box is not None
            and self.show_header
            and self.show_edge
            and self.pad_edge
            and not (self.show_footer or self.show_lines or self.leading or self.row_styles or self.collapse_padding)
            and all(r.style is None and not r.end_section for r in self.rows)
            and all(c.vertical == "top" and all(isinstance(x, str) for x in (c.header, *c.cells)) for c in self.columns)
        )

    def _draw(self, console: Console, options: ConsoleOptions, widths: list[int]) -> list[Segment]:
        """What rich's `Table._render` yields for such a table, with each distinct cell rendered and
        shaped once per row height: rich renders a cell from its text, padding, options and style
        only, and the lines are only read (its test: tests/test_terminal_tables.py)."""
        get_style = console.get_style
        border = get_style(self.style or "") + get_style(self.border_style or "")
        box = self.box.substitute(options, safe=console.safe_box if self.safe_box is None else self.safe_box)
        edges = [
            [Segment(left, border), Segment(right, border), Segment(divider, border)]
            for left, right, divider in (
                (box.head_left, box.head_right, box.head_vertical),
                (box.mid_left, box.mid_right, box.mid_vertical),
                (box.foot_left, box.foot_right, box.foot_vertical),
            )
        ]
        columns = [
            options.update(
                width=w, justify=c.justify, no_wrap=c.no_wrap, overflow=c.overflow, height=None, highlight=c.highlight
            )
            for w, c in zip(widths, self.columns, strict=True)
        ]
        head_styles = [get_style(self.header_style or "") + get_style(c.header_style) for c in self.columns]
        cell_styles = [get_style(c.style or "") for c in self.columns]
        padding = self.padding
        room = [w - padding[1] - padding[3] for w in widths]  # a cell's text width inside its padding
        shaped: dict[tuple, list[list[Segment]]] = {}
        one_line: dict[tuple, tuple[list[Segment], int]] = {}  # (column, style) → a plain cell's line

        def rendered(i: int, text: str, style: Style) -> list[list[Segment]]:
            """rich's lines for the cell; a plain cell that fits is the same line as any other
            plain one that fits, its text padded with spaces to the room (rich's own first)."""
            fits = bool(text) and _plain(text) and cell_len(text) <= room[i]
            if fits and (i, style) in one_line:
                line, at = one_line[i, style]
                filled = Segment(text + " " * (room[i] - cell_len(text)), line[at].style, line[at].control)
                return [[*line[:at], filled, *line[at + 1 :]]]
            lines = console.render_lines(Padding(text, padding), columns[i], style=style)
            if fits:
                padded = text + " " * (room[i] - cell_len(text))
                at = [n for n, seg in enumerate(lines[0]) if seg.text == padded]
                if len(lines) == 1 and len(at) == 1:
                    one_line[i, style] = (lines[0], at[0])
            return lines

        def lines_of(
            i: int, text: str, style: Style, align: Callable, height: int | None = None
        ) -> list[list[Segment]]:
            key = (i, text, style, align, height)
            found = shaped.get(key)
            if found is None:
                if height is None:
                    found = rendered(i, text, style)
                else:
                    found = lines_of(i, text, style, align)
                    found = Segment.set_shape(align(found, widths[i], height, style), widths[i], max(1, height))
                shaped[key] = found
            return found

        out = [Segment(box.get_top(widths), border), Segment.line()]
        rows = [[c.header for c in self.columns], *map(list, zip(*(c.cells for c in self.columns), strict=True))]
        for index, row in enumerate(rows):
            head = index == 0  # the header: rich aligns it to the bottom, with no row style
            row_style = Style.null() if head else get_style(self.get_row_style(console, index - 1))
            align = Segment.align_bottom if head else Segment.align_top
            styles = [get_style(s) + row_style for s in (head_styles if head else cell_styles)]
            height = max(len(lines_of(i, text, styles[i], align)) for i, text in enumerate(row))
            cells = [lines_of(i, text, styles[i], align, height) for i, text in enumerate(row)]
            left, right, divider = edges[0 if head else (2 if index == len(rows) - 1 else 1)]
            if not divider.text.strip():
                divider = Segment(divider.text, row_style.background_style + divider.style)
            for line_no in range(max(1, height)):
                out.append(left)
                for i, cell in enumerate(cells):
                    if i:
                        out.append(divider)
                    out.extend(cell[line_no])
                out.append(right)
                out.append(Segment.line())
            if head:
                out += [Segment(box.get_row(widths, "head", edge=True), border), Segment.line()]
        out += [Segment(box.get_bottom(widths), border), Segment.line()]
        return out


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

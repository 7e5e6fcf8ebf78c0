"""Find registers inside a sheet: header row, context lines, data rows, typed cells.

Input is a sheet as a list of rows of raw cell values (as the fast reader returns them);
output is `Table`s of parsed rows plus located problems. No IO here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from dangyuan_cli.core.problems import Problem, error, warning
from dangyuan_cli.registers import values as v
from dangyuan_cli.registers.branches import branch_key
from dangyuan_cli.registers.schema import (
    ALIASES,
    CONTEXT_LABELS,
    FOOT_WORDS,
    NEAR_HINTS,
    REGISTERS,
    Register,
    clean_header,
)

HEADER_SCAN_ROWS = 30


class _Letters(dict):
    def __missing__(self, index: int) -> str:
        self[index] = v.column_letter(index)
        return self[index]


_LETTERS = _Letters()


@dataclass
class Row:
    """One parsed data row: canonical column → value, and where each value came from."""

    values: dict[str, object]
    row: int  # 1-based sheet row
    letters: dict[str, str]  # canonical column → column letter, shared by the rows of one header
    context: dict[str, str] = field(default_factory=dict)  # 编组名称, 时间, 包组干部, 组长

    def get(self, column: str, default: object = None) -> object:
        return self.values.get(column, default)

    def has_column(self, column: str) -> bool:
        return column in self.letters

    def cell(self, column: str) -> str:
        """Where a column's value is (`E17`); column A of the row when the sheet lacks it."""
        return f"{self.letters.get(column, 'A')}{self.row}"


@dataclass
class Table:
    """One register found in one sheet."""

    register: Register
    file: str
    sheet: str
    header_row: int
    title: str
    rows: list[Row]
    columns: dict[str, str]  # canonical → column letter
    branch: str = ""


@dataclass(frozen=True)
class HeaderMatch:
    register: Register
    columns: dict[int, str]  # cell index → canonical column
    complete: bool

    @property
    def by_name(self) -> dict[str, str]:
        return {name: _LETTERS[i] for i, name in self.columns.items()}

    @property
    def missing(self) -> list[str]:
        present = set(self.columns.values())
        return [c for c in sorted(self.register.signature | set(self.register.required)) if c not in present]


def match_header(cells: list[object]) -> HeaderMatch | None:
    """The register this row is the header of, if any: complete matches first, then most columns;
    but a near miss (one signature column missing) that explains more of the row than the complete
    match, with cells the complete one does not know, is what the clerk meant (a 定岗编组台账
    without 职责任务 is not a roster)."""
    cleaned = [clean_header(c) if isinstance(c, str) else "" for c in cells]
    best: dict[bool, tuple[int, HeaderMatch]] = {}
    for order, register in enumerate(REGISTERS):
        aliases = ALIASES[register.key]
        columns: dict[int, str] = {}
        for index, text in enumerate(cleaned):
            canonical = aliases.get(text)
            if canonical and canonical not in columns.values():
                columns[index] = canonical
        present = set(columns.values())
        sig = register.signature
        complete = sig <= present and (len(sig) > 1 or len(present) >= 3)
        # a register of three columns (岗位清单) shows two of them; the others three
        enough = min(3, len(register.columns) - 2)
        if complete:
            near = False
        elif len(sig) >= 2:
            near = len(sig & present) >= len(sig) - 1 and len(present) >= enough
        else:
            near = len(NEAR_HINTS.get(register.key, frozenset()) & present) >= 2 and len(present) >= 3
        if not (complete or near):
            continue
        rank = len(present) * 100 - order
        if complete not in best or rank > best[complete][0]:
            best[complete] = (rank, HeaderMatch(register, columns, complete))
    whole, near_miss = best.get(True), best.get(False)
    if whole and near_miss:
        extra = set(near_miss[1].columns) - set(whole[1].columns)
        if extra and len(near_miss[1].columns) > len(whole[1].columns):
            return near_miss[1]
    return (whole or near_miss)[1] if (whole or near_miss) else None


def _texts(cells: list[object]) -> list[str]:
    return [v.normalize_text(c) for c in cells if not v.is_blank(c)]


_LABEL_START = re.compile(r"^(编组名称|小组名称|包组干部|组\s*长|时\s*间)\s*([:：]|$)")
_LABEL = re.compile(
    r"(编组名称|小组名称|包组干部|组\s*长|时\s*间)\s*[:：]\s*([^:：]*?)(?=\s{2,}|$|\s+(?:编组名称|小组名称|包组干部|组\s*长|时\s*间)\s*[:：])"
)


_LABEL_FIRST_CHARS = frozenset("编小包组时")


def read_context(cells: list[object], first: object = "") -> dict[str, str] | None:
    """`编组名称：环境卫生保护组    时间：2025年7月` → {"编组名称": …, "时间": …}; None if not such a line."""
    first = _first_filled(cells) if first == "" else first
    if not isinstance(first, str) or first.lstrip()[:1] not in _LABEL_FIRST_CHARS:
        return None
    if not _LABEL_START.match(v.normalize_text(first)) or is_foot(cells, first):
        return None
    texts = _texts(cells)
    found: dict[str, str] = {}
    for i, text in enumerate(texts):
        for m in _LABEL.finditer(text):
            label = CONTEXT_LABELS[re.sub(r"\s", "", m.group(1))]
            value = m.group(2).strip()
            if not value and i + 1 < len(texts) and not _LABEL.search(texts[i + 1]):
                value = texts[i + 1]
            found[label] = value
    if not found:
        # a bare label in the first cell with the value beside it (`组长 | 张三`)
        label = re.sub(r"\s", "", texts[0])
        if label in CONTEXT_LABELS and len(texts) >= 2:
            found[CONTEXT_LABELS[label]] = texts[1]
    return found or None


def is_foot(cells: list[object], first: object = "") -> bool:
    """A signature or note line below a table (`组长签字：`, `注：…`, `制表人：`)."""
    first = _first_filled(cells) if first == "" else first
    return isinstance(first, str) and any(w in first for w in FOOT_WORDS)


_BRANCH_HINT = re.compile(r"(党支部|党总支|支部委员会|党委|村|社区)")


def title_of(rows: list[list[object]], before: int) -> str:
    """The first title-like line above the header (`XX村党支部积分台账`)."""
    for cells in rows[:before]:
        texts = _texts(cells)
        if len(texts) == 1 and _BRANCH_HINT.search(texts[0]) and read_context(cells) is None:
            return texts[0]
        for text in texts:  # `填报单位：XX村党支部`
            m = re.match(r"^(填报单位|单位|党支部|支部)[:：]\s*(\S+)", text)
            if m:
                return m.group(2)
    return ""


_CACHE: dict[tuple, object] = {}
_COLUMN_CACHES: dict[tuple[str, str], dict[str, object]] = {}


def _plan(header: HeaderMatch) -> list[tuple[int, str, object, dict | None]]:
    """(cell index, column name, column, cache of parsed text) for each header column; the cache
    is shared by every sheet with that column, since clerks repeat dates, names and words."""
    plan = []
    for i, name in header.columns.items():
        column = header.register.by_name[name]
        cache = None
        if column.kind not in ("text", "names"):
            cache = _COLUMN_CACHES.setdefault((column.kind, name), {})
            if len(cache) > 200_000:
                cache.clear()
        plan.append((i, name, column, cache))
    return plan


def parse_cell(column_kind: str, raw: object, column: str, choices: dict | None) -> object:
    """`_parse_cell`, remembered per distinct text: registers repeat the same dates, names and words."""
    if not isinstance(raw, str) or column_kind in ("names", "text"):
        return _parse_cell(column_kind, raw, column, choices)
    key = (column_kind, column, raw)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) > 500_000:
            _CACHE.clear()
        try:
            found = _parse_cell(column_kind, raw, column, choices)
        except v.CellError as exc:
            found = exc
        _CACHE[key] = found
    if isinstance(found, v.CellError):
        raise found
    return found


def _parse_cell(column_kind: str, raw: object, column: str, choices: dict | None) -> object:
    if column_kind == "name":
        return v.normalize_name(raw)
    if column_kind == "names":
        return v.split_names(raw)
    if column_kind == "date":
        return v.parse_date(raw)
    if column_kind == "month_date":
        return v.parse_date(raw, allow_month=True)
    if column_kind == "number":
        return v.parse_number(raw)
    if column_kind == "flag":
        return v.parse_flag(raw)
    if column_kind == "choice":
        return v.parse_choice(raw, choices or {}, column)
    if column_kind == "year":
        number = v.parse_number(str(v.normalize_text(raw)).removesuffix("年").removesuffix("年度"))
        if not (1900 <= number <= 2100 and float(number).is_integer()):
            raise v.CellError(f"年度“{v.show(raw)}”不合理")
        return int(number)
    # free text keeps the clerk's own punctuation; only the ends are trimmed
    return v.show(raw)


def _header_marks(cells: list[object], header: HeaderMatch) -> list[tuple[int, object]]:
    """The first two header cells: a row repeating them is a repeated header (a new block)."""
    return [(i, cells[i]) for i in sorted(header.columns)[:2]]


def _first_filled(cells: list[object]) -> object:
    for c in cells:
        if c != "" and c is not None and not (isinstance(c, str) and not c.strip()):
            return c
    return None


def read_tables(rows: list[list[object]], file: str, sheet: str) -> tuple[list[Table], list[Problem]]:
    """Every register in one sheet, with the problems of its cells."""
    problems: list[Problem] = []
    if not any(_texts(r) for r in rows):
        return [], [warning(file, sheet, "", "工作表为空，已跳过")]

    first: tuple[int, HeaderMatch] | None = None
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        match = match_header(cells)
        if match:
            first = (index, match)
            break
    if first is None:
        non_empty = [t for r in rows for t in _texts(r)]
        data = _first_data_row(rows)
        if data is not None:  # rows of values with no header above them: a register that lost its header
            title = title_of(rows, data)
            return [], [
                error(
                    file,
                    sheet,
                    f"A{data + 1}",
                    "像是台账数据，但前30行中找不到表头（如“日期、姓名、积分类型、事项”或“姓名、出生年月、入党时间”）；"
                    "请补上表头行，此表的数据未读取",
                    branch_key(title) if title else "",
                )
            ]
        if len(non_empty) == 1:
            msg = f"只有标题“{non_empty[0]}”，没有表头和数据，已跳过"
        else:
            msg = "未识别为任何台账：前30行中找不到表头（如“姓名、出生年月、入党时间”），已跳过"
        return [], [warning(file, sheet, "", msg)]

    header_index, header = first
    register = header.register
    if not header.complete:
        title = title_of(rows, header_index)
        return [], [
            error(
                file,
                sheet,
                f"A{header_index + 1}",
                near_miss_message(header),
                branch_key(title) if title else "",
            )
        ]
    title = title_of(rows, header_index)
    context: dict[str, str] = {}
    for cells in rows[:header_index]:
        found = read_context(cells)
        if found:
            context.update(found)

    table = Table(register, file, sheet, header_index + 1, title, [], _letters(header))
    tables = [table]
    marks = _header_marks(rows[header_index], header)
    letters = header.by_name
    plan = _plan(header)
    for index in range(header_index + 1, len(rows)):
        cells = rows[index]
        first = _first_filled(cells)
        if first is None:
            continue
        if all(i < len(cells) and cells[i] == text for i, text in marks):
            again = match_header(cells)
            if again and again.register is register and again.complete:
                header = again  # a repeated header starts the next block
                marks = _header_marks(cells, header)
                letters = header.by_name
                plan = _plan(header)
                table.columns.update(letters)
                continue
        if isinstance(first, str):
            found = read_context(cells, first)
            if found:
                if "编组名称" in found:  # a new group block: its leaders are its own
                    context = {k: val for k, val in context.items() if k not in ("包组干部", "组长")}
                context.update(found)
                continue
            if is_foot(cells, first):
                continue
        row, row_problems = _parse_row(cells, index, header, plan, file, sheet, letters)
        problems.extend(row_problems)
        if row is not None:
            row.context = dict(context)
            table.rows.append(row)
    return tables, problems


def near_miss_message(header: HeaderMatch) -> str:
    """`像是党员名册，但缺少必填列“姓名”；请补上该列（也可写作：党员姓名）`."""
    register = header.register
    missing = "、".join(f"“{c}”" for c in header.missing)
    aliases = [a for c in header.missing for a in register.by_name[c].aliases]
    also = f"（也可写作：{'、'.join(aliases)}）" if aliases else ""
    return f"像是{register.title}，但缺少必填列{missing}；请补上该列{also}，此表的数据未读取"


def _first_data_row(rows: list[list[object]]) -> int | None:
    """Index of the first row of three or more values when it holds dates or numbers (a header
    row holds words only); None when the sheet has no such row (notes, an unknown table)."""
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        filled = [c for c in cells if not v.is_blank(c)]
        if len(filled) < 3 or is_foot(cells):  # `制表人：张三 | 2025-01-05` is a signature line
            continue
        return index if any(_is_value(c) for c in filled) else None
    return None


def _is_value(cell: object) -> bool:
    if not isinstance(cell, str):
        return True  # numbers, dates and times from the reader
    try:
        v.parse_date(cell)
        return True
    except v.CellError:
        return False


def _letters(header: HeaderMatch) -> dict[str, str]:
    return {name: v.column_letter(i) for i, name in header.columns.items()}


def _parse_row(
    cells: list[object], index: int, header: HeaderMatch, plan: list, file: str, sheet: str, letters: dict[str, str]
) -> tuple[Row | None, list[Problem]]:
    """One data row; (None, []) for a row with nothing in the header's columns (a spacer or a
    pre-printed 序号), (None, problems) for a row with a bad cell."""
    register = header.register
    problems: list[Problem] = []
    values: dict[str, object] = {}
    blank_required: list[str] = []
    n = len(cells)
    for i, name, column, cache in plan:
        raw = cells[i] if i < n else ""
        if raw.__class__ is str:
            text = raw.strip()
            if not text:
                if column.required:
                    blank_required.append(name)
                continue
            if column.kind == "text":  # the hot path: free text is kept as typed
                values[name] = text
                continue
            found = cache.get(raw) if cache is not None else None
            if found is None:
                try:
                    found = parse_cell(column.kind, raw, name, column.choices)
                except v.CellError as exc:
                    found = exc
                if cache is not None:
                    cache[raw] = found
        elif raw is None:
            if column.required:
                blank_required.append(name)
            continue
        else:
            try:
                found = parse_cell(column.kind, raw, name, column.choices)
            except v.CellError as exc:
                found = exc
        if found.__class__ is v.CellError:
            problems.append(error(file, sheet, f"{letters[name]}{index + 1}", f"{name}：{found}"))
            continue
        values[name] = found
        if column.kind == "flag" and not v.is_explicit_flag(raw):
            values[name + "_说明"] = v.normalize_text(raw)
    if not values and not problems:
        return None, []
    for name in blank_required:
        problems.append(error(file, sheet, f"{letters[name]}{index + 1}", f"必填项“{name}”为空"))
    for name in register.required:
        if name not in letters:
            problems.append(error(file, sheet, f"A{index + 1}", f"缺少必填列“{name}”"))
    written = next((cells[i] for i, name in header.columns.items() if name == "党支部" and i < n), "")
    if not v.is_blank(written):  # a township-wide register: the row names its own branch
        branch = branch_key(str(written))
        problems = [replace(p, branch=branch) for p in problems]
    if problems:
        return None, problems
    return Row(values, index + 1, letters), problems

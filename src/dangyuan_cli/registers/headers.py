"""Header rows, context lines and titles: which register a sheet holds and where its rows start.

A header row is matched against every register's aliases (`match_header`); lines above and
between blocks carry context (`编组名称：…  时间：…`, `read_context`) or are signatures and notes
(`is_foot`). No IO here, and no cell parsing (that is `recognize`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dangyuan_cli.registers import values as v
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


LETTERS = _Letters()  # cell index → column letter, remembered


@dataclass(frozen=True)
class HeaderMatch:
    register: Register
    columns: dict[int, str]  # cell index → canonical column
    complete: bool

    @property
    def by_name(self) -> dict[str, str]:
        return {name: LETTERS[i] for i, name in self.columns.items()}

    @property
    def missing(self) -> list[str]:
        present = set(self.columns.values())
        return [c for c in sorted(self.register.signature | set(self.register.required)) if c not in present]


_MATCHED: dict[tuple[str, ...], HeaderMatch | None] = {}


def match_header(cells: list[object]) -> HeaderMatch | None:
    """`_match_header`, remembered per row of texts: a county's sheets repeat a few header rows
    (and the rows above them) thousands of times. Only the text cells decide a match."""
    key = tuple([c if isinstance(c, str) else "" for c in cells])  # a list first: no generator per cell
    found = _MATCHED.get(key, _MATCHED)
    if found is _MATCHED:
        if len(_MATCHED) > 20_000:
            _MATCHED.clear()
        found = _MATCHED[key] = _match_header(cells)
    return found


_ANY_ALIAS = frozenset(text for aliases in ALIASES.values() for text in aliases)
_CLEANED: dict[str, str] = {}  # the rows above a header repeat their words (性别, 正式党员, 签字…)


def _cleaned(text: str) -> str:
    found = _CLEANED.get(text)
    if found is None:
        if len(_CLEANED) > 100_000:
            _CLEANED.clear()
        found = _CLEANED[text] = clean_header(text)
    return found


def _match_header(cells: list[object]) -> HeaderMatch | None:
    """The register this row is the header of, if any: complete matches first, then most columns;
    but a near miss (one signature column missing) that explains more of the row than the complete
    match, with cells the complete one does not know, is what the clerk meant (a 定岗编组台账
    without 职责任务 is not a roster)."""
    cleaned = [_cleaned(c) if isinstance(c, str) else "" for c in cells]
    if _ANY_ALIAS.isdisjoint(cleaned):  # no register knows any cell (a title, a data row): none matches
        return None
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


def texts_of(cells: list[object]) -> list[str]:
    return [v.normalize_text(c) for c in cells if not v.is_blank(c)]


_LABEL_START = re.compile(r"^(编组名称|小组名称|包组干部|组\s*长|时\s*间)\s*([:：]|$)")
_LABEL = re.compile(
    r"(编组名称|小组名称|包组干部|组\s*长|时\s*间)\s*[:：]\s*([^:：]*?)(?=\s{2,}|$|\s+(?:编组名称|小组名称|包组干部|组\s*长|时\s*间)\s*[:：])"
)


LABEL_FIRST_CHARS = frozenset("编小包组时")


_CONTEXTS: dict[tuple[str, ...], dict[str, str] | None] = {}
_TEXT = {str}


def read_context(cells: list[object], first: object = "") -> dict[str, str] | None:
    """`编组名称：环境卫生保护组    时间：2025年7月` → {"编组名称": …, "时间": …}; None if not such a line.
    Remembered per row of texts (a county repeats its group names and months); the dict returned
    is shared: read it, don't change it."""
    if set(map(type, cells)) != _TEXT:  # a number or a date in the row: 1 == 1.0 == True as keys
        return _read_context(cells, first)
    key = tuple(cells)
    found = _CONTEXTS.get(key, _CONTEXTS)
    if found is _CONTEXTS:
        if len(_CONTEXTS) > 20_000:
            _CONTEXTS.clear()
        found = _CONTEXTS[key] = _read_context(cells, first)
    return found


def _read_context(cells: list[object], first: object) -> dict[str, str] | None:
    first = first_filled(cells) if first == "" else first
    if not isinstance(first, str) or first.lstrip()[:1] not in LABEL_FIRST_CHARS:
        return None
    if not _LABEL_START.match(v.normalize_text(first)) or is_foot(cells, first):
        return None
    texts = texts_of(cells)
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


FOOT = re.compile("|".join(map(re.escape, FOOT_WORDS)))  # one search instead of a word at a time


def is_foot(cells: list[object], first: object = "") -> bool:
    """A signature or note line below a table (`组长签字：`, `注：…`, `制表人：`)."""
    first = first_filled(cells) if first == "" else first
    return isinstance(first, str) and FOOT.search(first) is not None


_BRANCH_HINT = re.compile(r"(党支部|党总支|支部委员会|党委|村|社区)")


def title_of(rows: list[list[object]], before: int) -> str:
    """The first title-like line above the header (`XX村党支部积分台账`)."""
    for cells in rows[:before]:
        texts = texts_of(cells)
        if len(texts) == 1 and _BRANCH_HINT.search(texts[0]) and read_context(cells) is None:
            return texts[0]
        for text in texts:  # `填报单位：XX村党支部`
            m = re.match(r"^(填报单位|单位|党支部|支部)[:：]\s*(\S+)", text)
            if m:
                return m.group(2)
    return ""


def first_filled(cells: list[object]) -> object:
    for c in cells:
        if c != "" and c is not None and not (isinstance(c, str) and not c.strip()):
            return c
    return None


def near_miss_message(header: HeaderMatch) -> str:
    """`像是党员名册，但缺少必填列“姓名”；请补上该列（也可写作：党员姓名）`."""
    register = header.register
    missing = "、".join(f"“{c}”" for c in header.missing)
    aliases = [a for c in header.missing for a in register.by_name[c].aliases]
    also = f"（也可写作：{'、'.join(aliases)}）" if aliases else ""
    return f"像是{register.title}，但缺少必填列{missing}；请补上该列{also}，此表的数据未读取"


def first_data_row(rows: list[list[object]]) -> int | None:
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

"""Member identity (SPEC §2): a member is their normalised name within a branch.

Two roster rows with one name must be told apart by 编号 (or 出生年月); every other register
must then write the name the same way (`张伟（3）`, `张伟(1985.6)`, or a 编号 column).

`member_id` here is an internal key, unique in the workspace, for joins between frames;
what scripts see as `member_id` is the roster's 编号 as written (`number`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dangyuan_cli.registers import values as v
from dangyuan_cli.registers.recognize import Row, Table


@dataclass(frozen=True)
class Member:
    branch: str
    name: str
    member_id: str  # internal key, never shown: the roster's 编号 is `number`
    number: str  # 编号 as written in the roster, may be ""
    born: v.DateValue | None
    table: Table = field(compare=False, repr=False)
    row: Row = field(compare=False, repr=False)
    label: str = ""  # how registers write this member: the name, or `王伟（7）` for a shared name

    def get(self, column: str, default: object = None) -> object:
        return self.row.values.get(column, default)

    def describe(self) -> str:
        parts = []
        if self.number:
            parts.append(f"编号{self.number}")
        if self.born:
            parts.append(f"出生{self.born}")
        return f"{self.name}（{'，'.join(parts)}）" if parts else self.name

    @property
    def key(self) -> str:
        """What tells this member from another of the same name: 编号, else 出生年月 (`1985.6`)."""
        if self.number:
            return self.number
        return f"{self.born.date.year}.{self.born.date.month}" if self.born else ""


RowKey = tuple[str, str, int]  # (file, sheet, 1-based sheet row)


@dataclass
class Names:
    """Who each register row names, resolved against the roster: (file, sheet, row) → member, and
    for a 履岗记实 row the members of its 参与党员 cell. A row naming no known member is absent."""

    members: dict[RowKey, Member] = field(default_factory=dict)
    participants: dict[RowKey, list[Member]] = field(default_factory=dict)

    def add(self, table: Table, row: Row, member: Member) -> None:
        self.members[(table.file, table.sheet, row.sheet_row)] = member

    def add_participants(self, table: Table, row: Row, members: list[Member]) -> None:
        self.participants[(table.file, table.sheet, row.sheet_row)] = members

    def member(self, table: Table, row: Row) -> Member | None:
        return self.members.get((table.file, table.sheet, row.sheet_row))

    def participants_of(self, table: Table, row: Row) -> list[Member]:
        return self.participants.get((table.file, table.sheet, row.sheet_row), [])


_QUALIFIED = re.compile(r"^(.+?)[(（](.+?)[)）]$")


def same_number(a: str, b: str) -> bool:
    """`BL-007` = `bl-007`, `007` = `7` (a number cell loses its zeros), `编号7` = `7`."""
    return bool(a) and _number(a) == _number(b)


def _number(text: str) -> str:
    text = v.normalize_text(text).removeprefix("编号").strip().casefold()
    return (text.lstrip("0") or "0") if text.isdigit() else text


class Roster:
    """All members of all branches, with name resolution."""

    def __init__(self) -> None:
        self.by_branch: dict[str, dict[str, list[Member]]] = {}
        self._numbered: dict[str, bool] = {}  # has_numbers per branch, asked once per register row
        self._resolved: dict[tuple[str, str, str], Member | str] = {}  # a name is written on many rows

    def add(self, member: Member) -> None:
        self._numbered.pop(member.branch, None)
        self._resolved.clear()
        same = self.by_branch.setdefault(member.branch, {}).setdefault(member.name, [])
        same.append(member)
        for m in same:
            label = f"{m.name}（{m.key}）" if len(same) > 1 and m.key else m.name
            object.__setattr__(m, "label", label)

    def members(self, branch: str | None = None) -> list[Member]:
        branches = [branch] if branch is not None else sorted(self.by_branch)
        return [m for b in branches for ms in self.by_branch.get(b, {}).values() for m in ms]

    def has_branch(self, branch: str) -> bool:
        return branch in self.by_branch

    def has_numbers(self, branch: str) -> bool:
        """Whether the branch's roster carries 编号 at all (else a 编号 column elsewhere is not ours)."""
        found = self._numbered.get(branch)
        if found is None:
            found = self._numbered[branch] = any(m.number for ms in self.by_branch.get(branch, {}).values() for m in ms)
        return found

    def remembered(self) -> Callable[[tuple[str, str, str]], Member | str | None]:
        """What `resolve` already answered, by (branch, written, number), None when not yet: a
        register names each member on many rows, and this lookup is no call per row."""
        return self._resolved.get

    def resolve(self, branch: str, written: str, number: str = "") -> Member | str:
        """The member a register row names (`王伟`, `王伟（7）`, or `王伟` beside a 编号 column
        holding `number`), or a Chinese message saying why it cannot be told."""
        key = (branch, written, number)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(branch, written, number)
        return found

    def _resolve(self, branch: str, written: str, number: str) -> Member | str:
        name, key = written, number
        m = _QUALIFIED.match(written)
        if m and written not in self.by_branch.get(branch, {}):  # `王伟（7）`, unless that is the name itself
            name, key = m.group(1), m.group(2)
        candidates = self.by_branch.get(branch, {}).get(name, [])
        if not candidates:
            return self._unknown(branch, name, number)
        if len(candidates) == 1 and not key:
            return candidates[0]
        if key:
            picked = [c for c in candidates if _matches(c, key)]
            if len(picked) == 1:
                return picked[0]
        listed = "；".join(c.describe() for c in candidates)
        if len(candidates) == 1:
            told = f"编号列写的是“{key}”" if key == number and key else f"写的是“{written}”"
            return f"{told}，与名册不符：名册中是{listed}"
        if key:
            return f"名册中有{len(candidates)}人叫“{name}”：{listed}；“{key}”与其中任何人都对不上，请核对编号"
        return f"名册中有{len(candidates)}人叫“{name}”：{listed}；请写成“{name}（编号）”或在“编号”列中填写以区分"

    def _unknown(self, branch: str, name: str, number: str = "") -> str:
        names = list(self.by_branch.get(branch, {}))
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        elsewhere = [b for b, ms in sorted(self.by_branch.items()) if b != branch and name in ms]
        numbered = [m.describe() for m in self.members(branch) if number and same_number(m.number, number)]
        msg = f"“{name}”不在{branch}的党员名册中"
        if numbered:
            msg += f"；名册中编号{number}的是{'、'.join(numbered)}"
        if close:
            msg += f"；是否为：{'、'.join(close)}"
        if elsewhere:
            msg += f"；{'、'.join(elsewhere)}的名册中有此人"
        return msg


def _matches(member: Member, key: str) -> bool:
    if member.number and same_number(member.number, key):
        return True
    if member.born:
        try:
            born = v.parse_date(v.normalize_text(key), allow_month=True).date
        except v.CellError:
            return False
        return (born.year, born.month) == (member.born.date.year, member.born.date.month)
    return False


def member_id(branch: str, name: str, number: str, key: str = "") -> str:
    """The internal key: `东关村-7` by 编号, else `东关村-王伟`, or `东关村-王伟（1985.6）` for a
    shared name told apart by 出生年月. The roster builder makes it unique (copied rows)."""
    if number:
        return f"{branch}-{number}"
    return f"{branch}-{name}（{key}）" if key else f"{branch}-{name}"

"""Checks across cells and registers, listed in one place (`CHECKS`); `validate_tables` runs them.

Each check is a pure function `(table, row, roster) -> problems`. The roster is built first and
every name in every other register is resolved against it; who each row names comes back as a
`Names` mapping (file, sheet, row) → member, beside the roster and the problems.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable

from dangyuan_cli.core.problems import Problem, error, warning
from dangyuan_cli.registers import values as v
from dangyuan_cli.registers.members import Member, Names, Roster, member_id
from dangyuan_cli.registers.recognize import Row, Table

# registers whose rows name one roster member in this column (and may carry its 编号 in NUMBER_COLUMNS)
NUMBER_COLUMNS = {"ballots": "被评议人编号"}
NAME_COLUMNS = {
    "points": "姓名",
    "contacts": "姓名",
    "claims": "姓名",
    "groups": "姓名",
    "commitments": "姓名",
    "redemptions": "姓名",
    "laggards": "姓名",
    "ballots": "被评议人",
}


def _error_at(table: Table, row: Row, column: str, message: str) -> Problem:
    return error(table.file, table.sheet, row.cell(column), message, table.branch_of(row))


def _warning_at(table: Table, row: Row, column: str, message: str) -> Problem:
    return warning(table.file, table.sheet, row.cell(column), message, table.branch_of(row))


def check_roster_row(table: Table, row: Row, roster: Roster) -> list[Problem]:
    problems = []
    born, joined = row.get("出生年月"), row.get("入党时间")
    if isinstance(born, v.DateValue) and isinstance(joined, v.DateValue):
        if joined.date < born.date:
            problems.append(_error_at(table, row, "入党时间", f"入党时间{joined}早于出生年月{born}"))
        elif (joined.date.year - born.date.year) < 18 and row.get("人员类别") != "入党积极分子":
            problems.append(_warning_at(table, row, "入党时间", f"入党时间{joined}时不满18周岁，请核对"))
    came, left = row.get("转入日期"), row.get("转出日期")
    if isinstance(came, v.DateValue) and isinstance(left, v.DateValue) and left.date < came.date:
        problems.append(_error_at(table, row, "转出日期", f"转出日期{left}早于转入日期{came}"))
    return problems


def check_points_row(table: Table, row: Row, roster: Roster) -> list[Problem]:
    values = row.values  # a county has 175,000 such rows: the dict itself, not a method per cell
    kind, status = values.get("积分类型"), values.get("状态")
    if kind != "贡献加分" and kind != "一票否决" and status != "撤销":  # the common row: nothing to say
        return []
    problems = []
    value = values.get("分值")
    if kind == "贡献加分" and isinstance(value, float) and value < 0:
        problems.append(
            _error_at(table, row, "分值", f"贡献加分不能为负数（{v.show(value)}）；扣分请把积分类型写成“违规扣分”")
        )
    if status == "撤销" and not values.get("撤销原因"):
        problems.append(_warning_at(table, row, "状态", "已撤销的积分应写明撤销原因"))
    if kind == "一票否决" and values.get("认定") not in (None, "支部大会"):
        problems.append(_warning_at(table, row, "认定", "一票否决须经支部大会认定（焦组〔2018〕45号）"))
    return problems


def check_laggard_row(table: Table, row: Row, roster: Roster) -> list[Problem]:
    came, done = row.get("转入日期"), row.get("结果日期")
    if isinstance(came, v.DateValue) and isinstance(done, v.DateValue) and done.date < came.date:
        return [_error_at(table, row, "结果日期", f"结果日期{done}早于转入日期{came}")]
    return []


STAGES = ("申请入党日期", "确定积极分子日期", "确定发展对象日期", "接收预备党员日期", "转正日期")


def check_development_row(table: Table, row: Row, roster: Roster) -> list[Problem]:
    """Stages in order, none skipped (seed 004 全程记实): what the record itself cannot mean.
    Intervals and ages are rules (domain/development.py) and say 违反, not 填错."""
    dated = [(c, row.get(c).date) for c in STAGES if isinstance(row.get(c), v.DateValue)]
    if not dated:
        return []
    problems = []
    last = STAGES.index(dated[-1][0])
    for column in STAGES[:last]:
        if not isinstance(row.get(column), v.DateValue):
            problems.append(_error_at(table, row, column, f"缺少{column}，但已填写{dated[-1][0]}；请补填此阶段日期"))
    born = row.get("出生年月")
    if isinstance(born, v.DateValue) and dated[0][1] < born.date:
        problems.append(_error_at(table, row, dated[0][0], f"{dated[0][0]}早于出生年月{born}"))
    for (before, early), (after, late) in itertools.pairwise(dated):
        if late < early:
            problems.append(_error_at(table, row, after, f"{after}{late:%Y-%m-%d}早于{before}{early:%Y-%m-%d}，请核对"))
    return problems


CHECKS: dict[str, list[Callable[[Table, Row, Roster], list[Problem]]]] = {
    "roster": [check_roster_row],
    "points": [check_points_row],
    "laggards": [check_laggard_row],
    "development": [check_development_row],
}


def party_members(roster: Roster, branch: str) -> int:
    """正式 and 预备 党员 of a branch still on its roster: the most ballots a candidate can get."""
    return sum(
        1
        for m in roster.members(branch)
        if (m.get("人员类别") or "正式党员") in ("正式党员", "预备党员") and not m.get("转出日期")
    )


def ballot_count_problems(tables: list[Table], roster: Roster, names: Names) -> list[Problem]:
    """More 党员 ballots for one candidate than the branch has 党员: an error at the first ballot
    too many (ballots copied twice, or another branch's sheet)."""
    counts: dict[tuple[str, str], int] = {}
    problems = []
    for table in tables:
        if table.register.key != "ballots":
            continue
        for row in table.rows:
            found = names.member(table, row)
            if found is None or row.get("评议人类别") != "党员":
                continue
            key = (found.branch, found.member_id)
            counts[key] = counts.get(key, 0) + 1
            limit = party_members(roster, found.branch)
            if counts[key] == limit + 1:
                problems.append(
                    _error_at(
                        table,
                        row,
                        "评议人类别",
                        f"{found.name}的党员评议票已超过{found.branch}党员总数{limit}张；请删去重复或不属于本支部的票",
                    )
                )
    return problems


def _participants(table: Table, row: Row, roster: Roster, branch: str) -> tuple[list[Member], list[Problem]]:
    """The members a 履岗记实 row's 参与党员 cell names (the row is of `branch`); each name not in
    the roster is an error."""
    problems = []
    found = []
    remembered = roster.remembered()
    for name in row.values.get("参与党员") or ():
        member = remembered((branch, name, ""))
        if member is None:
            member = roster.resolve(branch, name)
        if member.__class__ is str:
            problems.append(_error_at(table, row, "参与党员", f"参与党员：{member}"))
        else:
            found.append(member)
    return found, problems


def _named(table: Table, roster: Roster) -> Callable[[Row, str], Member | Problem]:
    """The member a row's name cell names, or the error saying why it cannot be told; what is
    the same for every row of the table worked out once (a county has 175,000 named rows)."""
    key = table.register.key
    name_column = NAME_COLUMNS[key]
    # a 编号 column beside the name tells shared names apart, like `王伟（7）` (SPEC §2);
    # where the roster has no 编号 at all, such a column numbers something else
    number_column = NUMBER_COLUMNS.get(key, "编号")
    has_numbers = roster.has_numbers
    resolve = roster.resolve
    remembered = roster.remembered()

    def named(row: Row, branch: str) -> Member | Problem:
        values = row.values
        number = values.get(number_column)  # a blank cell is not in `values`: no 编号 written
        number = (v.show(number) if has_numbers(branch) else "") if number is not None else ""
        written = str(values[name_column])
        found = remembered((branch, written, number))
        if found is None:
            found = resolve(branch, written, number)
        if found.__class__ is str:
            return _error_at(table, row, number_column if found.startswith("编号列") else name_column, found)
        return found

    return named


def build_roster(tables: list[Table]) -> tuple[Roster, Names, list[Problem]]:
    """The roster of every branch, the roster rows as `Names` (each row names its member), and
    the problems of shared names and numbers."""
    roster = Roster()
    names = Names()
    for table in tables:
        if table.register.key != "roster":
            continue
        for row, branch in zip(table.rows, _branches(table), strict=False):
            values = row.values
            born = values.get("出生年月")
            member = Member(
                branch,
                str(values.get("姓名")),
                "",
                v.show(values.get("编号", "")),
                born if isinstance(born, v.DateValue) else None,
                table,
                row,
            )
            names.add(table, row, member)
            roster.add(member)
    problems: list[Problem] = []
    used: set[str] = set()
    for branch in sorted(roster.by_branch):
        for name, same in roster.by_branch[branch].items():
            if len(same) > 1:
                problems.extend(_shared_name_problems(branch, name, same))
            for m in same:
                # internal keys stay unique even for a copied row (an error, but never a crash)
                base = member_id(branch, name, m.number, m.key if len(same) > 1 else "")
                key, n = base, 1
                while key in used:
                    n += 1
                    key = f"{base}#{n}"
                used.add(key)
                object.__setattr__(m, "member_id", key)
        problems.extend(_duplicate_numbers(branch, roster.members(branch)))
    return roster, names, problems


def _cells(members: list[Member]) -> str:
    """`名册!B3、B5`, or with the file when the rows are in different files."""
    files = {m.table.file for m in members}
    found = []
    for m in members:
        where = f"{m.table.sheet}!{m.row.cell('姓名')}"
        found.append(f"{m.table.file}:{where}" if len(files) > 1 else where)
    return "、".join(found)


_FIX = "：同一人重复登记请删去多余的行；不同的人请填写不同的编号或出生年月以区分"


def _shared_name_problems(branch: str, name: str, same: list[Member]) -> list[Problem]:
    """One error per group of rows that cannot be told apart (SPEC §2), listing their cells."""
    problems = []
    by_key: dict[str, list[Member]] = {}
    for m in same:
        by_key.setdefault(v.normalize_text(m.key).casefold(), []).append(m)
    first = same[0]
    if "" in by_key:  # rows without 编号 or 出生年月 cannot be told from any other of the name
        blank = len(by_key[""])
        what = f"名册中有{len(same)}行姓名都是“{name}”（{_cells(same)}），其中{blank}行没有编号或出生年月"
        return [error(first.table.file, first.table.sheet, first.row.cell("姓名"), what + _FIX, branch)]
    for group in by_key.values():
        if len(group) > 1:
            first = group[0]
            what = f"名册中有{len(group)}行都是“{first.describe()}”（{_cells(group)}）"
            problems.append(error(first.table.file, first.table.sheet, first.row.cell("姓名"), what + _FIX, branch))
    return problems


def _duplicate_numbers(branch: str, members: list[Member]) -> list[Problem]:
    """Two people with one 编号: the results still add up (names tell them apart), but a script
    joining `member_id` back to the roster cannot, so say so."""
    by_number: dict[str, list[Member]] = {}
    for m in members:
        if m.number:
            by_number.setdefault(v.normalize_text(m.number).casefold(), []).append(m)
    problems = []
    for group in by_number.values():
        names = {m.name for m in group}
        if len(group) > 1 and len(names) > 1:
            first = group[0]
            problems.append(
                warning(
                    first.table.file,
                    first.table.sheet,
                    first.row.cell("编号"),
                    f"编号“{first.number}”在{branch}的名册中重复（{_cells(group)}：{'、'.join(m.name for m in group)}）；编号应每人唯一",
                    branch,
                )
            )
    return problems


def _branches(table: Table) -> Iterable[str]:
    """Each row's branch (`Table.branch_of`); the table's own for every row when no row can name one."""
    if "党支部" in table.columns:  # a township-wide register: a row may name its own branch
        return map(table.branch_of, table.rows)
    return itertools.repeat(table.branch)


VALIDATE_STAGES = ("roster", "rows", "ballots")  # validate_tables' problems, in this order


def validate_tables(tables: list[Table], partial: bool = False) -> tuple[Roster, Names, list[Problem]]:
    """Every check on every row, and who each row names. `partial`: only some of the workspace's
    files were read (one part of a batch), so rows of branches whose roster was not read belong to
    another part: skip them."""
    roster, names, stages = validate_stages(tables, partial)
    return roster, names, [p for stage in VALIDATE_STAGES for p in stages[stage]]


def validate_stages(tables: list[Table], partial: bool = False) -> tuple[Roster, Names, dict[str, list[Problem]]]:
    """validate_tables with its problems by stage (VALIDATE_STAGES): the rosters' shared names
    and numbers, every row's checks, the ballot counts."""
    roster, names, shared = build_roster(tables)
    problems: list[Problem] = []
    known_branches = roster.by_branch
    known: str | None = None  # the branches with a roster, as a message lists them
    for table in tables:
        key = table.register.key
        checks = CHECKS.get(key, [])
        name_column = NAME_COLUMNS.get(key)
        named = _named(table, roster) if name_column else None
        members = names.members
        where = (table.file, table.sheet)
        no_roster: dict[str, list[Row]] = {}
        for row, branch in zip(table.rows, _branches(table), strict=False):
            if partial and branch not in known_branches:
                continue
            for check in checks:
                problems.extend(check(table, row, roster))
            if key == "duty":
                found, missing = _participants(table, row, roster, branch)
                names.add_participants(table, row, found)
                problems.extend(missing)
            if named is not None and name_column in row.values:
                if branch not in known_branches:
                    no_roster.setdefault(branch, []).append(row)
                    continue
                found = named(row, branch)
                if found.__class__ is Member:
                    members[(*where, row.sheet_row)] = found  # `names.add`, without a call per row
                else:
                    problems.append(found)
        if no_roster and known is None:  # said only when a sheet lacks its roster: not sorted per table
            known = "、".join(sorted(roster.by_branch)) or "无"
        for branch, rows in no_roster.items():  # one line per sheet, not one per row
            # of no branch: a misspelt 党支部 (`东关党支布`) must stop the branches this file feeds, not
            # skip a branch that does not exist while the real one is rated on a row fewer
            problems.append(
                error(
                    table.file,
                    table.sheet,
                    rows[0].cell(name_column),
                    f"找不到{branch}的党员名册，无法核对此表{len(rows)}行中的姓名（有名册的党支部：{known}）",
                )
            )
    ballots = ballot_count_problems(tables, roster, names)
    return roster, names, {"roster": shared, "rows": problems, "ballots": ballots}

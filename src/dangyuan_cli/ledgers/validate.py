"""Checks across cells and registers, listed in one place (`CHECKS`); `check` runs them all.

Each check is a plain function `(table, row, roster) -> problems`; the roster is built first
and every name in every other register is resolved against it.
"""

from __future__ import annotations

from collections.abc import Callable

from dangyuan_cli.ledgers import values as v
from dangyuan_cli.ledgers.branches import row_branch
from dangyuan_cli.ledgers.members import Member, Roster, member_id
from dangyuan_cli.ledgers.recognize import Row, Table
from dangyuan_cli.problems import Problem, error, warning

# registers whose rows name one roster member in this column
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


def _e(table: Table, row: Row, column: str, message: str) -> Problem:
    return error(table.file, table.sheet, row.cell(column), message, row_branch(table, row))


def _w(table: Table, row: Row, column: str, message: str) -> Problem:
    return warning(table.file, table.sheet, row.cell(column), message, row_branch(table, row))


def check_roster_row(table: Table, row: Row, roster: Roster) -> list[Problem]:
    problems = []
    born, joined = row.get("出生年月"), row.get("入党时间")
    if isinstance(born, v.DateValue) and isinstance(joined, v.DateValue):
        if joined.date < born.date:
            problems.append(_e(table, row, "入党时间", f"入党时间{joined}早于出生年月{born}"))
        elif (joined.date.year - born.date.year) < 18 and row.get("人员类别") != "入党积极分子":
            problems.append(_w(table, row, "入党时间", f"入党时间{joined}时不满18周岁，请核对"))
    came, left = row.get("转入日期"), row.get("转出日期")
    if isinstance(came, v.DateValue) and isinstance(left, v.DateValue) and left.date < came.date:
        problems.append(_e(table, row, "转出日期", f"转出日期{left}早于转入日期{came}"))
    return problems


def check_points_row(table: Table, row: Row, roster: Roster) -> list[Problem]:
    problems = []
    kind, value = row.get("积分类型"), row.get("分值")
    if kind == "贡献加分" and isinstance(value, float) and value < 0:
        problems.append(
            _e(table, row, "分值", f"贡献加分不能为负数（{v.show(value)}）；扣分请把积分类型写成“违规扣分”")
        )
    if row.get("状态") == "撤销" and not row.get("撤销原因"):
        problems.append(_w(table, row, "状态", "已撤销的积分应写明撤销原因"))
    if kind == "一票否决" and row.get("认定") not in (None, "支部大会"):
        problems.append(_w(table, row, "认定", "一票否决须经支部大会认定（焦组〔2018〕45号）"))
    return problems


def check_duty_row(table: Table, row: Row, roster: Roster) -> list[Problem]:
    problems = []
    branch = row_branch(table, row)
    resolved = []
    for name in row.get("参与党员", []) or []:
        found = roster.resolve(branch, name)
        if isinstance(found, str):
            problems.append(_e(table, row, "参与党员", f"参与党员：{found}"))
        else:
            resolved.append(found)
    row.values["_members"] = resolved
    return problems


def check_laggard_row(table: Table, row: Row, roster: Roster) -> list[Problem]:
    came, done = row.get("转入日期"), row.get("结果日期")
    if isinstance(came, v.DateValue) and isinstance(done, v.DateValue) and done.date < came.date:
        return [_e(table, row, "结果日期", f"结果日期{done}早于转入日期{came}")]
    return []


CHECKS: dict[str, list[Callable[[Table, Row, Roster], list[Problem]]]] = {
    "roster": [check_roster_row],
    "points": [check_points_row],
    "duty": [check_duty_row],
    "laggards": [check_laggard_row],
}


def build_roster(tables: list[Table]) -> tuple[Roster, list[Problem]]:
    roster = Roster()
    problems: list[Problem] = []
    for table in tables:
        if table.register.key != "roster":
            continue
        for row in table.rows:
            branch = row_branch(table, row)
            number = v.normalize_text(row.get("编号", ""))
            name = str(row.get("姓名"))
            born = row.get("出生年月")
            member = Member(
                branch,
                name,
                member_id(branch, name, number),
                number,
                born if isinstance(born, v.DateValue) else None,
                table,
                row,
            )
            row.values["_member"] = member
            roster.add(member)
    for branch in sorted(roster.by_branch):
        for name, same in roster.by_branch[branch].items():
            if len(same) < 2:
                continue
            keys = [m.number or (str(m.born) if m.born else "") for m in same]
            if "" in keys or len(set(keys)) < len(keys):
                for m in same:
                    problems.append(
                        error(
                            m.table.file,
                            m.table.sheet,
                            m.row.cell("姓名"),
                            f"名册中有{len(same)}人叫“{name}”，必须填写不同的编号或出生年月以区分",
                            branch,
                        )
                    )
    return roster, problems


def validate_tables(tables: list[Table], partial: bool = False) -> tuple[Roster, list[Problem]]:
    """Every check on every row. `partial`: only some of the workspace's files were read (one part
    of a batch), so rows of branches whose roster was not read belong to another part: skip them."""
    roster, problems = build_roster(tables)
    for table in tables:
        key = table.register.key
        checks = CHECKS.get(key, [])
        name_column = NAME_COLUMNS.get(key)
        for row in table.rows:
            if partial and not roster.has_branch(row_branch(table, row)):
                continue
            for check in checks:
                problems.extend(check(table, row, roster))
            if name_column and name_column in row.values:
                branch = row_branch(table, row)
                if not roster.has_branch(branch):
                    problems.append(_e(table, row, name_column, f"找不到{branch}的党员名册，无法核对姓名"))
                    continue
                found = roster.resolve(branch, str(row.values[name_column]), v.normalize_text(row.get("编号", "")))
                if isinstance(found, str):
                    problems.append(_e(table, row, name_column, found))
                else:
                    row.values["_member"] = found
    return roster, problems


def member_of(row: Row) -> Member | None:
    found = row.values.get("_member")
    return found if isinstance(found, Member) else None

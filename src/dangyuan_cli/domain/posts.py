"""一编三定 (SPEC §5, seed 004): assign members without office to posts, form one group per post.

`岗位所需、党员所长，择优配岗、总体平衡`: every first choice is settled before anyone is placed on
a second choice, then second choices, then the smallest group; within a post claimants are taken
by priority (previous-year points, then earlier 入党时间, then name), and no group grows beyond the
average size plus `balance_slack` (and `max_group`). The same input always gives the same groups;
every member placed off their choices, or excused, says why.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dangyuan_cli.core.problems import Problem, warning
from dangyuan_cli.core.records import Assignment, Group
from dangyuan_cli.core.rules.model import Rules
from dangyuan_cli.domain.classify import age_on, holds_office


def group_name(post: str) -> str:
    """`环境卫生保护岗` → `环境卫生保护组`: the group that holds a post's members."""
    return post.removesuffix("岗") + "组"


def same_group(post_or_group: str, other: str) -> bool:
    """`环境卫生保护岗` and `环境卫生保护组` name one group."""
    return post_or_group.removesuffix("岗").removesuffix("组") == other.removesuffix("岗").removesuffix("组")


def excuse_reason(person, rules: Rules, as_of) -> str:
    """Why a member (a members-frame row) takes no post, or ""."""
    if person.exempt:
        return "免于积分，经党组织同意不参加认岗"
    if person.away:
        return "外出务工，不在村参加认岗"
    if rules.posts.excuse_elderly:
        age = age_on(person.born, as_of)
        if (
            age is not None
            and age >= rules.classify.elderly_age
            and any(word in (person.health or "") for word in rules.classify.frail_words)
        ):
            return f"年龄{age}、{person.health}，经党组织同意不参加认岗"
    return ""


def too_small(size: int, min_group: int) -> bool:
    """A group with members but fewer than `posts.min_group` (seed 004: 总体平衡): `posts` warns,
    and its 定岗编组公布 is a draft until the clerk accepts it."""
    return 0 < size < min_group


def assign_posts(
    members: pd.DataFrame,
    posts: pd.DataFrame,
    claims: pd.DataFrame,
    previous_points: dict[str, float],
    rules: Rules,
    as_of,
) -> Assignment:
    """Place every eligible member without office on one post; propose leaders and cadres.
    Warnings point at the 认岗申报 or 岗位清单 cell they are about."""
    branch = str(members["branch"].iloc[0]) if len(members) else ""
    post_names = list(dict.fromkeys(posts["post"]))
    duties = dict(zip(posts["post"], posts["duty"], strict=True))
    groups = {p: Group(p, duties[p]) for p in post_names}
    notes: dict[str, str] = {}
    excused: dict[str, str] = {}
    warnings: list[Problem] = []
    eligible = []
    for m in members.itertuples(index=False):
        if m.category == "入党积极分子" or holds_office(m.office, rules):
            continue
        if (m.moved_out and m.moved_out <= as_of) or (m.moved_in and m.moved_in > as_of):
            continue  # not a member of this branch on the day
        why = excuse_reason(m, rules, as_of)
        if why:
            excused[m.member_id] = why
        else:
            eligible.append(m)
    if not post_names:
        return Assignment([], {}, {}, excused, [warning("", "", "", f"{branch}：没有岗位清单，无法定岗", branch)])
    by_id = {m.member_id: m for m in eligible}
    wishes = {r.member_id: (r.first, r.second) for r in claims.itertuples(index=False) if r.member_id in by_id}
    for r in claims.itertuples(index=False):
        for wish, cell in ((r.first, r.cell), (r.second, r.second_cell)):
            if wish and wish not in groups:
                warnings.append(warning(r.file, r.sheet, cell, f"{r.name}申报的岗位“{wish}”不在岗位清单中", branch))

    def priority(m) -> tuple:
        joined = m.joined.isoformat() if m.joined else "9999"
        return (-previous_points.get(m.member_id, 0.0), joined, m.name, m.member_id)

    cap = min(
        rules.posts.max_group,
        max(rules.posts.min_group, math.ceil(len(eligible) / len(post_names)) + rules.posts.balance_slack),
    )
    placed: dict[str, str] = {}
    ordered = sorted(eligible, key=priority)
    claimants = [m for m in ordered if any(wishes.get(m.member_id, ("", "")))]

    def admit(m, post: str, note: str = "") -> None:
        placed[m.member_id] = post
        groups[post].members.append(m.member_id)
        if note:
            notes[m.member_id] = note

    def has_room(post: str) -> bool:
        return post in groups and len(groups[post].members) < cap

    # every first choice is settled (择优 by priority within a post) before anyone takes a second
    for m in claimants:
        first = wishes[m.member_id][0]
        if has_room(first):
            admit(m, first)
    for m in claimants:
        first, second = wishes[m.member_id]
        if m.member_id not in placed and has_room(second):
            why = f"第一志愿{first}已满（每组至多{cap}人，按积分择优）" if first in groups else _unlisted(first, "第一")
            admit(m, second, f"{why}，安排到第二志愿")
    for m in claimants:  # both choices full (or not posts): balance
        if m.member_id not in placed:
            target = _smallest(groups, post_names)
            admit(m, target, f"{_refused(wishes[m.member_id], groups, cap)}，按总体平衡安排到{target}")
    for m in ordered:  # members who did not claim go where groups are smallest
        if m.member_id not in placed:
            target = _smallest(groups, post_names)
            admit(m, target, f"未申报岗位，按总体平衡安排到{target}")
    where = {r.post: (r.file, r.sheet, r.cell) for r in posts.itertuples(index=False)}
    for post in post_names:
        size = len(groups[post].members)
        if too_small(size, rules.posts.min_group):
            message = f"{post}只有{size}人，少于每组最少{rules.posts.min_group}人，请调整岗位设置"
            warnings.append(warning(*where[post], message, branch))
        if size == 0:
            warnings.append(warning(*where[post], f"{post}无人认领，请考虑合并或调整岗位", branch))
    named = {r.member_id for r in claims.itertuples(index=False) if getattr(r, "leader", False)}
    for group in groups.values():
        _choose_leader(group, by_id, named, previous_points)
    _spread_cadres(groups, post_names, members, rules)
    return Assignment([groups[p] for p in post_names], placed, notes, excused, warnings)


def _unlisted(wish: str, which: str) -> str:
    return f"{which}志愿{wish}不在岗位清单中" if wish else f"未填{which}志愿"


def _refused(wish: tuple[str, str], groups: dict[str, Group], cap: int) -> str:
    """Why neither choice took the member: both full, or one not a post at all."""
    listed = list(dict.fromkeys(w for w in wish if w in groups))  # the same post twice is one post
    if listed and len(listed) == len({w for w in wish if w}):
        return f"志愿岗位（{'、'.join(listed)}）已满（每组至多{cap}人）"
    parts = [
        f"{which}志愿{w}已满（每组至多{cap}人）" if w in groups else _unlisted(w, which)
        for which, w in zip(("第一", "第二"), wish, strict=True)
    ]
    return "，".join(parts)


def _smallest(groups: dict[str, Group], order: list[str]) -> str:
    return min(order, key=lambda p: (len(groups[p].members), order.index(p)))


def _choose_leader(g: Group, by_id: dict, named: set[str], previous_points: dict[str, float]) -> None:
    if not g.members:
        return
    chosen = [i for i in g.members if i in named]
    if chosen:
        g.leader, g.leader_reason = chosen[0], "认岗申报表中确定为组长"
        return

    def key(i: str) -> tuple:
        m = by_id[i]
        return (-previous_points.get(i, 0.0), m.joined.isoformat() if m.joined else "9999", m.name)

    best = min(g.members, key=key)
    g.leader = best
    joined = by_id[best].joined
    g.leader_reason = f"组内上年积分最高（{previous_points.get(best, 0):g}分）" + (
        f"，入党时间{joined:%Y年%m月}" if joined else ""
    )


def _spread_cadres(groups: dict[str, Group], order: list[str], members: pd.DataFrame, rules: Rules) -> None:
    """包组干部: in-office members, one per group in turn, largest groups first."""
    officers = [
        m for m in members.itertuples(index=False) if m.category != "入党积极分子" and holds_office(m.office, rules)
    ]
    if not officers:
        return
    targets = sorted(order, key=lambda p: (-len(groups[p].members), order.index(p)))
    for i, post in enumerate(targets):
        groups[post].cadre = officers[i % len(officers)].member_id


def check_groups(rows: pd.DataFrame, members: pd.DataFrame, rules: Rules) -> list[Problem]:
    """An existing 定岗编组台账 (groups-frame rows): a located warning for every inconsistency."""
    return [p for found in check_all_groups(rows, members, rules).values() for p in found]


def check_all_groups(rows: pd.DataFrame, members: pd.DataFrame, rules: Rules) -> dict[str, list[Problem]]:
    """Per branch, `check_groups` of its rows — column-wise over every branch's 定岗编组台账 at
    once: a row's double group, then its office; then each group (by name) without a leader or
    led by a non-member. Only the rows at fault become Problems."""
    found: dict[str, list[Problem]] = {}
    if rows.empty:
        return found
    col = {c: rows[c].to_numpy(dtype=object) for c in ("branch", "member_id", "group", "name")}  # fast to iterate
    keys = list(zip(col["branch"], col["member_id"], strict=True))
    people = (members[c].to_numpy(dtype=object) for c in ("branch", "member_id", "office"))
    offices = {(b, m): o for b, m, o in zip(*people, strict=True)}
    office = pd.Series([offices.get(k, "") for k in keys], index=rows.index, dtype=object)
    held = office.map({o: holds_office(o, rules) for o in set(office)}).astype(bool)
    firsts = rows.drop_duplicates(["branch", "member_id"]).set_index(["branch", "member_id"])["group"]
    first = pd.Series(firsts.reindex(pd.MultiIndex.from_tuples(keys)).to_numpy(), index=rows.index)
    twice = rows.duplicated(["branch", "member_id"]) & (first != rows["group"])
    name = rows["name"].astype(str)
    checks = (  # a row's double group first, then its office
        (twice.to_numpy(), (name + "同时编入" + first.astype(str) + "和" + rows["group"].astype(str)).to_numpy()),
        (held.to_numpy(), (name + "担任" + office.astype(str) + "，属在职党员，不应编入无职党员小组").to_numpy()),
    )
    where = rows[["branch", "file", "sheet", "cell"]].to_numpy()
    for i in np.flatnonzero(checks[0][0] | checks[1][0]):  # only the rows at fault, in row order
        branch, file, sheet, cell = where[i]
        for flagged, messages in checks:
            if flagged[i]:
                found.setdefault(branch, []).append(warning(file, sheet, cell, messages[i], branch))
    heads = rows[rows["group"].notna()].drop_duplicates(["branch", "group"])
    heads = heads.sort_values(["branch", "group"], kind="stable")
    members_of = set(zip(col["branch"], col["group"], col["name"], strict=True))
    for r in heads.itertuples(index=False):  # one row per group
        leader = str(r.leader or "")
        if not leader:
            message = f"{r.group}没有组长"
        elif (r.branch, r.group, leader) not in members_of:
            message = f"{r.group}的组长“{leader}”不是本组成员"
        else:
            continue
        found.setdefault(r.branch, []).append(warning(r.file, r.sheet, r.cell, message, r.branch))
    return found

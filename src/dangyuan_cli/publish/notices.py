"""Shaping the computed frames into 公示 (SPEC §11): which rows each notice lists and in what
order, how stars are written, the rows of a group list; then one `Document` per branch.

Frames in, documents out: the app computes, this only arranges (it never reads a register).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Protocol

import pandas as pd

from dangyuan_cli.core.periods import Period
from dangyuan_cli.core.rules.model import Rules
from dangyuan_cli.domain.boards import in_board_order
from dangyuan_cli.domain.posts import group_name, same_group, too_small
from dangyuan_cli.publish.documents.calendar import calendar_span, next_workday
from dangyuan_cli.publish.documents.kinds import INTROS, KINDS, Document, build, formatted_records

GROUP_COLUMNS = ["branch", "group", "duty", "leader", "cadre", "name", "size"]
DRAFT = "（草稿）"


class BranchGroups(Protocol):
    """A branch's groups: an assignment computed from the post list, or its own kept ledger."""

    branch: str
    assignment: object | None  # posts.Assignment
    existing: pd.DataFrame | None  # rows of the branch's 定岗编组台账


def publication_date(period: Period) -> dt.date:
    """Default 公示 date: the first working day after the period (004: 每季度初…排名公示)."""
    return next_workday(period.end + dt.timedelta(days=1))[0]


def ranking_rows(ranking: pd.DataFrame) -> pd.DataFrame:
    return ranking.assign(period_total=lambda f: f["total"])


def board_rows(board: pd.DataFrame) -> pd.DataFrame:
    """Per branch: the red list first, the yellow last; within a list by net points, then name."""
    return in_board_order(board, ["branch"])


def star_rows(stars: pd.DataFrame) -> pd.DataFrame:
    """The rated members, stars written as ★ marks, by rank."""
    frame = stars[stars["stars"].notna()].copy()
    frame["stars"] = ["★" * int(s) for s in frame["stars"]]
    return frame.sort_values(["branch", "rank", "name"])


def group_rows(
    posts: Iterable[BranchGroups], names: dict[str, str], post_list: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per group with its members' names joined (`names`: member key → name); a kept
    ledger's group takes its 岗位职责 from the branch's 岗位清单 (`post_list`: branch, post, duty)."""
    duties = {}
    if post_list is not None:
        for r in post_list.itertuples(index=False):
            duties.setdefault(r.branch, []).append((r.post, r.duty))

    def duty_of(branch: str, group: str) -> str:
        return next((d for p, d in duties.get(branch, []) if same_group(p, str(group))), "")

    rows = []
    for bp in posts:
        if bp.assignment is not None:
            for g in bp.assignment.groups:
                if g.members:
                    rows.append(
                        {
                            "branch": bp.branch,
                            "group": group_name(g.post),
                            "duty": g.duty,
                            "leader": names.get(g.leader, ""),
                            "cadre": names.get(g.cadre, ""),
                            "name": "、".join(names[i] for i in g.members),
                            "size": len(g.members),
                        }
                    )
        elif bp.existing is not None:
            for group, (leader, cadre, members) in _kept_groups(bp.existing).items():
                rows.append(
                    {
                        "branch": bp.branch,
                        "group": group,
                        "duty": duty_of(bp.branch, group),
                        "leader": leader,
                        "cadre": cadre,
                        "name": "、".join(members),
                        "size": len(members),
                    }
                )
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


def _kept_groups(ledger: pd.DataFrame) -> dict[object, tuple[object, object, list]]:
    """A kept 定岗编组台账's groups as `ledger.groupby("group", sort=False)` gives them (in order
    of first appearance, rows without a group left out): each group's first leader and cadre
    and its members' names. One pass over four columns: a groupby and three lookups per
    group were half a branch's 公示 shaping."""
    found: dict[object, tuple[object, object, list]] = {}
    columns = (ledger[c] for c in ("group", "leader", "cadre", "name"))
    for group, leader, cadre, name in zip(*columns, strict=True):
        if pd.isna(group):
            continue
        if group in found:
            found[group][2].append(name)
        else:
            found[group] = (leader, cadre, [name])
    return found


def notices(
    kind_name: str,
    rows: pd.DataFrame,
    period: Period,
    rules: Rules,
    published: dt.date | None = None,
    accept: bool = False,
) -> list[Document]:
    """One document per branch of `rows` (already shaped for the kind), dated `published` or the
    first working day after the period. A group list with a group below `posts.min_group` (what
    `posts` flags) is a draft, titled so, unless the clerk `accept`s it."""
    kind = KINDS[kind_name]
    a = rules.announce
    published = published or publication_date(period)
    span = calendar_span(published, a.public_days) if kind.public else None
    documents = []
    # one sort and one conversion for the whole part, not a sub-frame per branch (same order:
    # branches sorted, each branch's rows as they come)
    ordered = rows[rows["branch"].notna()].sort_values("branch", kind="stable")
    data = formatted_records(kind, ordered)
    sizes = list(zip(ordered["group"], ordered["size"], strict=True)) if kind_name == "groups" else []
    start = 0
    for branch, count in ((b, len(list(g))) for b, g in itertools.groupby(ordered["branch"])):
        mine = slice(start, start + count)
        start += count
        intro = INTROS[kind_name].format(branch=branch, label=period.label, red=f"{rules.boards.red_ratio:.0%}")
        objections = a.objections + contact_sentence(*rules.contact_for(branch))
        doc = build(
            kind, branch, period, data[mine], published, span, a.signer, objections, f"{a.public_days}天", intro
        )
        if kind_name == "groups" and not accept:
            mark_draft(doc, sizes[mine], rules.posts.min_group)
        documents.append(doc)
    return documents


def mark_draft(doc: Document, groups: list[tuple[str, int]], min_group: int) -> None:
    """Title (and so file name) `…（草稿）` and a first paragraph saying which groups are too
    small (`groups`: each group's name and size)."""
    small = [(g, n) for g, n in groups if too_small(n, min_group)]  # the rule is the domain's
    if not small:
        return
    named = "、".join(f"{g}（{n}人）" for g, n in small)
    doc.title += DRAFT
    doc.intro.insert(
        0,
        f"草稿：{named}少于每组最少{min_group}人，请调整定岗编组后重新生成；确认按此公布请加 --accept 重新生成。",
    )


def contact_sentence(person: str, phone: str) -> str:
    """`联系人：张明，联系电话：0391-1234567。` (what is configured of it), or ``."""
    parts = [f"联系人：{person}"] if person else []
    parts += [f"联系电话：{phone}"] if phone else []
    return "，".join(parts) + "。" if parts else ""

"""Warnings said once per cause: the terminal folds what the registers repeat row by row.

A township can give hundreds of “未列入项目清单” warnings, one per ledger row; a clerk acts on
one line per branch and item (and one `dangyuan.toml` snippet), or one line per member whose
entries fall outside their time in the branch. The located warnings stay whole for `--json`
and run.log; only what a person reads is folded.
"""

from __future__ import annotations

import json
from collections import Counter

from dangyuan_cli.core.problems import OUTSIDE, UNLISTED, Problem

# What a person can read: a county's free-text 事项 make thousands of distinct unlisted items, so a
# branch shows its most used ones and one line for the rest; the snippet offers the most used only.
ITEM_LINES_PER_BRANCH = 5
SNIPPET_ITEMS = 10


def fold_warnings(warnings: list[Problem]) -> tuple[list[str], list[Problem]]:
    """(one line per branch and cause, the warnings that have no fold key), in order of first sight."""
    groups: dict[tuple, list[Problem]] = {}
    rest = []
    for p in warnings:  # a county's 150,000 warnings: one look at each (get, not setdefault's new list)
        fold = p.fold
        if not fold or fold[0] not in (UNLISTED, OUTSIDE):
            rest.append(p)
            continue
        key = (fold[0], p.branch or p.file, fold[1])
        same = groups.get(key)
        if same is None:
            groups[key] = [p]
        else:
            same.append(p)
    lines = []
    for (cause, branch, what), same in _most_used_first(groups):
        if what is None:  # the rest of a branch's unlisted items, in one line
            kinds = len({p.fold[1] for p in same})
            lines.append(
                f"{branch}：另有{kinds}种事项（{len(same)}处）未列入项目清单，按所填分值计入；逐条见 check --json 或 run.log"
            )
            continue
        first = f"{'见' if len(same) == 1 else '首处在'} {same[0].location()}"
        if cause == UNLISTED:
            values = sorted({p.fold[3] for p in same})
            span = f"{values[0]:g}分" if len(values) == 1 else f"{values[0]:g}–{values[-1]:g}分"
            lines.append(f"{branch}：“{what}”未列入项目清单，{len(same)}处按所填分值计入（{span}），{first}")
        else:
            days = sorted(p.fold[2] for p in same)
            edges = "；".join(dict.fromkeys(p.fold[3].strip("（）") for p in same))
            when = days[0] if len(days) == 1 else f"{days[0]}至{days[-1]}"
            lines.append(
                f"{branch}：{what}有{len(same)}条记录（{when}）不在本支部期间（{edges}），不计入本支部，{first}"
            )
    return lines, rest


def _most_used_first(groups: dict[tuple, list[Problem]]) -> list[tuple[tuple, list[Problem]]]:
    """Each branch's unlisted items, most used first, beyond ITEM_LINES_PER_BRANCH merged into one
    group keyed `what=None`; the other causes as they came."""
    by_branch: dict[str, list[tuple[tuple, list[Problem]]]] = {}
    order: list[tuple] = []
    for key, same in groups.items():
        if key[0] == UNLISTED:
            if key[1] not in by_branch:
                order.append((UNLISTED, key[1]))
            by_branch.setdefault(key[1], []).append((key, same))
        else:
            order.append(key)
    found = []
    for key in order:
        if key[0] != UNLISTED or len(key) == 3:
            found.append((key, groups[key]))
            continue
        items = sorted(by_branch[key[1]], key=lambda pair: -len(pair[1]))  # stable: first sight on ties
        shown, rest = items[:ITEM_LINES_PER_BRANCH], items[ITEM_LINES_PER_BRANCH:]
        found.extend(shown)
        if len(rest) == 1:
            found.extend(rest)
        elif rest:
            found.append(((UNLISTED, key[1], None), [p for _, same in rest for p in same]))
    return found


def items_snippet(warnings: list[Problem]) -> str:
    """`[[items]]` tables for every item the ledgers use but the catalogue lacks ("" if none).

    Type and points are the ones written most often; the clerk checks them before adding.
    """
    used: dict[str, list[tuple]] = {}  # item → its fold keys; counted only for the items offered
    for p in warnings:
        fold = p.fold
        if fold and fold[0] == UNLISTED:
            same = used.get(fold[1])
            if same is None:
                used[fold[1]] = [fold]
            else:
                same.append(fold)
    blocks = []
    ranked = sorted(used.items(), key=lambda pair: -len(pair[1]))  # most used first, stable
    for name, folds in ranked[:SNIPPET_ITEMS]:
        kind = Counter(f[2] for f in folds).most_common(1)[0][0]
        points = Counter(f[3] for f in folds).most_common(1)[0][0]
        blocks.append(
            f"[[items]]\nname = {json.dumps(name, ensure_ascii=False)}\n"
            f"type = {json.dumps(kind, ensure_ascii=False)}\npoints = {points:g}\n"
        )
    if len(ranked) > SNIPPET_ITEMS:
        blocks.append(f"# 另有{len(ranked) - SNIPPET_ITEMS}种事项使用较少，未列出（逐条见 dangyuan check --json）\n")
    return "\n".join(blocks)

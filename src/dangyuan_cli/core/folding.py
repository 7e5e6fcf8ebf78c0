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
    lines = []
    grouped, rest = _grouped(warnings)
    for (cause, branch, what), same in grouped:
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


def _grouped(warnings: list[Problem]) -> tuple[list[tuple[tuple, list[Problem]]], list[Problem]]:
    """((cause, branch, what), its warnings) in order of first sight — a branch's unlisted items
    where its first one was seen, most used first, those beyond ITEM_LINES_PER_BRANCH merged into
    one group keyed `what=None` — and the warnings without a fold key.

    A county has 150,000 unlisted warnings in 130,000 (branch, item) groups: one pass, each
    warning looked up by branch, then item."""
    unlisted: dict[str, dict[object, list[Problem]]] = {}  # branch → item → its warnings
    outside: dict[tuple, list[Problem]] = {}
    order: list[tuple] = []  # (UNLISTED, branch) or an OUTSIDE key, as first seen
    rest = []
    for p in warnings:
        fold = p.fold
        if fold and fold[0] == UNLISTED:
            branch = p.branch or p.file
            items = unlisted.get(branch)
            if items is None:
                items = unlisted[branch] = {}
                order.append((UNLISTED, branch))
            same = items.get(fold[1])
            if same is None:
                items[fold[1]] = [p]
            else:
                same.append(p)
        elif fold and fold[0] == OUTSIDE:
            key = (OUTSIDE, p.branch or p.file, fold[1])
            if key not in outside:
                outside[key] = []
                order.append(key)
            outside[key].append(p)
        else:
            rest.append(p)
    found = []
    for key in order:
        if key[0] != UNLISTED:
            found.append((key, outside[key]))
            continue
        branch = key[1]
        items = sorted(unlisted[branch].items(), key=lambda pair: -len(pair[1]))  # stable: first sight on ties
        shown, more = items[:ITEM_LINES_PER_BRANCH], items[ITEM_LINES_PER_BRANCH:]
        found.extend(((UNLISTED, branch, what), same) for what, same in shown)
        if len(more) == 1:
            found.append(((UNLISTED, branch, more[0][0]), more[0][1]))
        elif more:
            found.append(((UNLISTED, branch, None), [p for _, same in more for p in same]))
    return found, rest


def items_snippet(warnings: list[Problem]) -> str:
    """`[[items]]` tables for every item the ledgers use but the catalogue lacks ("" if none).

    Type and points are the ones written most often; the clerk checks them before adding.
    """
    folds = [p.fold for p in warnings if p.fold and p.fold[0] == UNLISTED]
    used = Counter(fold[1] for fold in folds)  # in order of first sight
    ranked = sorted(used.items(), key=lambda pair: -pair[1])  # most used first, stable
    offered = {name: (Counter(), Counter()) for name, _ in ranked[:SNIPPET_ITEMS]}
    for fold in folds:  # type and points counted for the items offered only
        if fold[1] in offered:
            kinds, values = offered[fold[1]]
            kinds[fold[2]] += 1
            values[fold[3]] += 1
    blocks = []
    for name, (kinds, values) in offered.items():
        kind = kinds.most_common(1)[0][0]
        points = values.most_common(1)[0][0]
        blocks.append(
            f"[[items]]\nname = {json.dumps(name, ensure_ascii=False)}\n"
            f"type = {json.dumps(kind, ensure_ascii=False)}\npoints = {points:g}\n"
        )
    if len(ranked) > SNIPPET_ITEMS:
        blocks.append(f"# 另有{len(ranked) - SNIPPET_ITEMS}种事项使用较少，未列出（逐条见 dangyuan check --json）\n")
    return "\n".join(blocks)

"""Which branches an error stops (SPEC §2 "Errors belong to a branch").

An error belongs to the branch of its row; else to the branch its file's name or folders name
(`东关村/积分台账2025.xlsx`, `东关村积分台账2025.xlsx`). An error of no branch stops every branch it
could affect: those with registers below its folder, or all of them for a file at the top.
A branch with an error is skipped whole, never rated on the part that could be read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import PurePosixPath

from dangyuan_cli.core.problems import Problem
from dangyuan_cli.registers.branches import branch_key
from dangyuan_cli.registers.recognize import Table


def register_branches(tables: list[Table], default: str = "") -> dict[str, set[str]]:
    """Branch → the files holding its rows, over every register (a branch whose roster could not be
    read is still known by its other registers). `default`, the guess from the workspace folder's
    own name, counts only when a roster says it is a branch."""
    return branches_of(*branch_pieces(tables), default)


Pieces = tuple[dict[str, set[str]], dict[str, set[str]], set[str]]


def branch_pieces(tables: list[Table]) -> Pieces:
    """What register_branches gathers from the tables: branch → files for registers of one branch,
    name → files for names written in 党支部 cells, and the names on rosters. The pieces of several
    groups of tables, united, are the pieces of all of them (a parallel `check`'s parts)."""
    found: dict[str, set[str]] = {}
    written: dict[str, set[str]] = {}  # names known only from a 党支部 cell
    for table in tables:
        if "党支部" in table.columns:  # a township-wide register: each row names its branch
            for name in {table.branch_of(r) for r in table.rows}:
                written.setdefault(name, set()).add(table.file)
        else:
            found.setdefault(table.branch, set()).add(table.file)
    rostered = {t.branch_of(r) for t in tables if t.register.key == "roster" for r in t.rows}
    return found, written, rostered


def branches_of(
    found: dict[str, set[str]], written: dict[str, set[str]], rostered: set[str], default: str
) -> dict[str, set[str]]:
    """register_branches from its pieces (`found` is extended in place)."""
    for name, files in written.items():
        # a misspelt 党支部 cell (`东关党支布`) names no branch: its rows' error stops the branches
        # the file feeds, and the misspelling is never listed as a skipped branch of its own
        if name in rostered or name in found:
            found.setdefault(name, set()).update(files)
    found.pop("", None)
    if default not in rostered:
        found.pop(default, None)
    return found


def file_branch(file: str, known: Iterable[str]) -> str:
    """The known branch named by a file's name, else by its nearest folder that names one; ""."""
    known = set(known)
    path = PurePosixPath(file)
    for text in [path.stem, *reversed(path.parent.parts)]:
        key = branch_key(text)
        if key in known:
            return key
        plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
        inside = {b for b in known if len(b) >= 2 and b in plain}  # `2025年东关村积分台账`
        if len(inside) == 1:
            return inside.pop()
    return ""


def assign_branches(problems: list[Problem], branches: dict[str, set[str]], default: str = "") -> list[Problem]:
    """Errors of files whose rows name no known branch (an unreadable or empty workbook, a sheet
    without a header, a table titled with a misspelt name) given the branch their file's name or
    folder names; a folder holding no other branch's registers names its branch by itself.
    `branches`: register_branches(). `default`: the branch guessed from the workspace folder's
    own name, which names no branch of a township: such errors then belong to no branch."""
    found = []
    for p in problems:
        if p.severity == "error" and p.file and p.branch not in branches:
            branch = file_branch(p.file, branches) or _own_folder(p.file, branches)
            if branch:
                p = replace(p, branch=branch)
            elif p.branch == default:
                p = replace(p, branch="")
        found.append(p)
    return found


def _own_folder(file: str, branches: dict[str, set[str]]) -> str:
    """`第004村/台账.xlsx`, the branch's only file, unreadable: its folder is its branch."""
    folder = PurePosixPath(file).parent
    if folder.as_posix() == ".":
        return ""
    inside = folder.as_posix() + "/"
    if any(f.startswith(inside) for files in branches.values() for f in files):
        return ""  # a township folder: the error is of no branch, and stops all of them
    return branch_key(folder.name)


def affected(problem: Problem, branches: dict[str, set[str]]) -> list[str]:
    """The branches an error stops. `branches`: branch → the register files it was read from."""
    if problem.branch:
        return [problem.branch]
    folder = PurePosixPath(problem.file).parent.as_posix() if problem.file else "."
    if folder != ".":
        below = [b for b, files in branches.items() if any(f.startswith(folder + "/") for f in files)]
        if below:
            return sorted(below)
    return sorted(branches)


def blocking(errors: list[Problem], branches: dict[str, set[str]]) -> dict[str, list[Problem]]:
    """Branch → the errors that stop it, in order."""
    found: dict[str, list[Problem]] = {}
    for p in errors:
        for branch in affected(p, branches):
            found.setdefault(branch, []).append(p)
    return found


def reason(problems: list[Problem]) -> str:
    """Why a branch was skipped, in one line: its first error, and how many there are."""
    first = problems[0].format()
    return first if len(problems) == 1 else f"{first}（共{len(problems)}项错误）"

"""One problem type for every located complaint about the registers or the rules file.

Problems are data: every stage returns them beside its result and nothing stops at the
first one (the beancount loader's habit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# Fold keys: the cause of a warning repeated row by row, so the terminal can say it once.
UNLISTED = "unlisted"  # (UNLISTED, item, type, value): an item not in the catalogue
OUTSIDE = "outside"  # (OUTSIDE, name, date, edge): an entry outside the member's time in the branch


@dataclass(frozen=True, order=True, slots=True)  # slots: a county run holds ~150,000 of them
class Problem:
    file: str
    sheet: str
    cell: str
    message: str
    severity: Severity = "error"
    branch: str = ""
    fold: tuple = field(default=(), compare=False)  # (cause, …) for folding on the terminal; not part of identity

    def location(self) -> str:
        """`file:sheet!cell`, shortened when the sheet or cell is unknown."""
        where = self.file
        if self.sheet:
            where += f":{self.sheet}"
            if self.cell:
                where += f"!{self.cell}"
        elif self.cell:
            where += f":{self.cell}"
        return where

    def format(self) -> str:
        return f"{self.location()}: {self.message}" if self.location() else self.message

    def to_json(self) -> dict[str, str]:
        """Exactly the keys of SPEC §12: file, sheet, cell, message."""
        return {"file": self.file, "sheet": self.sheet, "cell": self.cell, "message": self.message}


def error(file: str, sheet: str, cell: str, message: str, branch: str = "") -> Problem:
    return Problem(file, sheet, cell, message, "error", branch)


def warning(file: str, sheet: str, cell: str, message: str, branch: str = "") -> Problem:
    return Problem(file, sheet, cell, message, "warning", branch)


def split(problems: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings), duplicates dropped, in the order they were found."""
    unique = list(dict.fromkeys(problems))
    return [p for p in unique if p.severity == "error"], [p for p in unique if p.severity == "warning"]

"""Runs over a whole workspace: load the rules and registers, call the domain, collect problems.

The CLI calls one function here per command; nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dangyuan_cli.ledgers.workspace import Workspace, load_workspace
from dangyuan_cli.problems import Problem, error, split
from dangyuan_cli.rules.model import RULES_FILE, Rules, RulesError, load_rules


@dataclass
class Loaded:
    workspace: Workspace
    rules: Rules | None
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, list[dict[str, str]]]:
        errors, warnings = split(self.problems)
        return {"errors": [p.to_json() for p in errors], "warnings": [p.to_json() for p in warnings]}

    def branches_with_errors(self) -> set[str]:
        return {p.branch for p in self.problems if p.severity == "error" and p.branch}

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def load(root: Path, out: Path | None = None) -> Loaded:
    """Rules and registers of a workspace, with every problem of both."""
    problems: list[Problem] = []
    rules: Rules | None = None
    try:
        rules = load_rules(root)
    except RulesError as exc:
        problems.extend(error(RULES_FILE, "", "", msg) for msg in exc.problems)
    ws = load_workspace(root, skip=out)
    problems.extend(ws.problems)
    return Loaded(ws, rules, problems)


def check_workspace(root: Path) -> Loaded:
    return load(Path(root))

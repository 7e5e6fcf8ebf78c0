"""Every command has Chinese help text and a line in the README (sqlite-utils' test_docs habit)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dangyuan_cli.cli.app import COMMANDS, app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
REGISTERED = {c.name: c for c in app.registered_commands}


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_registered_helped_and_documented(name: str, invoke) -> None:
    assert name in REGISTERED
    result = invoke(name, "--help")
    assert result.exit_code == 0
    assert re.search(r"[\u4e00-\u9fff]{4,}", result.output), "help text should be Chinese"
    assert f"`{name}`" in README

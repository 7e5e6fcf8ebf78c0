"""Which branch (党支部) a row belongs to: its 党支部 column, else the sheet title, else the folder."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

_PREFIX = re.compile(r"^(中共|中国共产党)")
_TOWNSHIP = re.compile(r"^.+?(镇|乡|街道|办事处)(?=.+(村|社区))")
_SUFFIX = re.compile(r"(党总支部|党总支|党支部委员会|支部委员会|党支部|党委|支部)$")
_UNIT = re.compile(r"^(.*?(?:村|社区|居委会))")


@functools.lru_cache(maxsize=65536)  # asked per row of a township-wide register, of a few hundred names
def branch_key(text: str) -> str:
    """A branch's name as written in a column, a title or a folder → its short name (`东关村`).

    `城关镇东关村党支部2025年积分台账`, `中共东关村支部委员会` and `东关村` all give `东关村`, so
    registers kept in different places meet on one branch.
    """
    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    name = _PREFIX.sub("", name)
    m = re.match(r"^(.*?)(党总支部|党总支|党支部|支部委员会|党委)", name)
    if m and m.group(1):
        name = m.group(1)
    else:
        unit = _UNIT.match(name)
        if unit:
            name = unit.group(1)
    name = _SUFFIX.sub("", name)
    return _TOWNSHIP.sub("", name) or name


def row_branch(table: Any, row: Any) -> str:
    """`table.branch_of(row)`, for callers outside registers/ (this module imports no Table:
    recognize imports `branch_key` from here)."""
    return table.branch_of(row)

"""Frames for domain tests, written as literals: members and ledger entries of one branch."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dangyuan_cli.core.records import ENTRY_COLUMNS, MEMBER_COLUMNS


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def members(*specs: dict | str, branch: str = "东关村") -> pd.DataFrame:
    rows = []
    for i, spec in enumerate(specs):
        spec = {"name": spec} if isinstance(spec, str) else dict(spec)
        name = spec.pop("name")
        row = {c: None for c in MEMBER_COLUMNS}
        row.update(
            branch=branch,
            member_id=f"{branch}-{name}",
            name=name,
            label=name,
            category="正式党员",
            office="",
            exempt=False,
            health="",
            poor=False,
            poor_note="",
            away=False,
            marked_laggard=False,
            file="名册.xlsx",
            sheet="名册",
            row=i + 3,
        )
        row.update(spec)
        rows.append(row)
    return pd.DataFrame(rows, columns=MEMBER_COLUMNS)


def entries(*specs: tuple, branch: str = "东关村") -> pd.DataFrame:
    """(date, name, type, item, value[, status]) tuples; value None = blank 分值."""
    rows = []
    for i, spec in enumerate(specs):
        date, name, kind, item, value, *rest = spec
        rows.append(
            {
                "branch": branch,
                "member_id": f"{branch}-{name}",
                "name": name,
                "date": d(date),
                "type": kind,
                "item": item,
                "value": float("nan") if value is None else float(value),
                "status": rest[0] if rest else "有效",
                "reason": "",
                "approved_by": "支委会",
                "file": "积分.xlsx",
                "sheet": "积分台账",
                "row": i + 3,
                "cell": f"E{i + 3}",
            }
        )
    frame = pd.DataFrame(rows, columns=ENTRY_COLUMNS)
    frame["ordinal"] = [x.toordinal() for x in frame["date"]]
    return frame

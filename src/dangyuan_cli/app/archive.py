"""The workspace archive (`.dangyuan/archive/`): closed periods, their results and input hashes.

`close` freezes a period; later runs compare the ledger entries dated in a closed period with
the archived fingerprints and name every row that changed. Star history (SPEC §9) is read here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from dangyuan_cli.core.periods import Period, parse_period, within
from dangyuan_cli.core.problems import Problem, warning

ARCHIVE = Path(".dangyuan") / "archive"
HISTORY_COLUMNS = ["branch", "member_id", "name", "category", "total", "stars", "vetoed", "contribution"]


def archive_dir(root: Path) -> Path:
    return Path(root) / ARCHIVE


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprint(e) -> str:
    value = "" if pd.isna(e.value) else f"{e.value:g}"
    text = f"{e.branch}|{e.member_id}|{e.date:%Y-%m-%d}|{e.type}|{e.item}|{value}|{e.status}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def closed_periods(root: Path) -> dict[str, dict]:
    folder = archive_dir(root)
    if not folder.is_dir():
        return {}
    return {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))}


def write_closed(
    root: Path, period: Period, inputs: list[str], entries: pd.DataFrame, results: pd.DataFrame, classes: pd.DataFrame
) -> Path:
    folder = archive_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    in_period = entries[within(entries, period)] if not entries.empty else entries
    data = {
        "period": period.code,
        "closed_on": f"{dt.date.today():%Y-%m-%d}",
        "inputs": {name: file_hash(Path(root) / name) for name in sorted(inputs)},
        "entries": sorted(
            (
                {"fp": fingerprint(e), "where": f"{e.file}:{e.sheet} 第{e.row}行"}
                for e in in_period.itertuples(index=False)
            ),
            key=lambda x: (x["fp"], x["where"]),
        ),
        "members": [
            {k: (None if pd.isna(v) else (bool(v) if isinstance(v, bool) else v)) for k, v in rec.items()}
            for rec in results.reindex(columns=HISTORY_COLUMNS).to_dict("records")
        ],
        "classes": {
            "as_of": f"{period.end:%Y-%m-%d}",
            "members": classes[["branch", "name", "member_id", "category"]].to_dict("records"),
        },
    }
    path = folder / f"{period.code}.json"
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True, default=_plain)
    os.replace(tmp, path)
    return path


def _plain(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def changes_since_close(root: Path, entries: pd.DataFrame) -> list[Problem]:
    """Rows of closed periods added, changed or removed after closing, each named."""
    problems: list[Problem] = []
    for code, data in closed_periods(root).items():
        period = parse_period(code)
        current = entries[within(entries, period)] if not entries.empty else entries
        archived: dict[str, list[str]] = {}
        for item in data.get("entries", []):
            archived.setdefault(item["fp"], []).append(item["where"])
        seen: dict[str, int] = {}
        for e in current.itertuples(index=False):
            fp = fingerprint(e)
            seen[fp] = seen.get(fp, 0) + 1
            if seen[fp] > len(archived.get(fp, [])):
                problems.append(
                    warning(
                        e.file,
                        e.sheet,
                        e.cell,
                        f"{code}已结账，此行是结账后新增或修改的记录，已结账的结果不会改变",
                        e.branch,
                    )
                )
        for fp, places in archived.items():
            for where in places[seen.get(fp, 0) :]:
                problems.append(warning("", "", "", f"{code}已结账，结账时的记录（{where}）已被删除或修改"))
    return problems


def history(root: Path, year: int) -> pd.DataFrame | None:
    """A closed year's member results, or None when that year was never closed."""
    data = closed_periods(root).get(str(year))
    if data is None:
        return None
    return pd.DataFrame(data.get("members", []), columns=HISTORY_COLUMNS)


def previous_classes(root: Path, as_of: dt.date) -> tuple[pd.DataFrame | None, str]:
    """The latest classification archived by `close` before `as_of` (seed 000 动态调整)."""
    best: tuple[str, dict] | None = None
    for data in closed_periods(root).values():
        classes = data.get("classes")
        if classes and classes["as_of"] < f"{as_of:%Y-%m-%d}" and (best is None or classes["as_of"] > best[0]):
            best = (classes["as_of"], classes)
    if best is None:
        return None, ""
    return pd.DataFrame(best[1]["members"], columns=["branch", "name", "member_id", "category"]), f"{best[0]}（已结账）"

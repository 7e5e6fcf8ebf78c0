"""The report to the superior committee (SPEC §11): counts by class, star, grade and branch,
change against the previous period, consequence counts; rolled up branch → township → county.
"""

from __future__ import annotations

import pandas as pd

from dangyuan_cli.core.records import STAR_COLUMNS
from dangyuan_cli.domain.consequences import LISTS


def branch_summary(
    members: pd.DataFrame,
    scores: pd.DataFrame,
    previous: pd.DataFrame | None,
    stars: pd.DataFrame | None,
    classes: pd.DataFrame,
    consequences: pd.DataFrame | None,
    townships: dict[str, str],
    class_names: list[str],
) -> pd.DataFrame:
    """One row per branch: members, scored, average points and change, stars, grades, classes."""
    rows = []
    for branch, people in members.groupby("branch", sort=True):
        mine = scores[scores["branch"] == branch]
        scored = mine[mine["total"].notna() & ~mine["left"]]
        average = float(scored["total"].astype(float).mean()) if not scored.empty else None
        before = None
        if previous is not None:
            prev = previous[(previous["branch"] == branch) & previous["total"].notna()]
            before = float(prev["total"].astype(float).mean()) if not prev.empty else None
        row = {
            "township": townships.get(branch, ""),
            "branch": branch,
            "党员": int((people["category"] != "入党积极分子").sum()),
            "入党积极分子": int((people["category"] == "入党积极分子").sum()),
            "参加积分": len(scored),
            "免于积分": int(mine["exempt"].sum()),
            "平均积分": round(average, 1) if average is not None else None,
            "上期平均": round(before, 1) if before is not None else None,
            "变化": round(average - before, 1) if average is not None and before is not None else None,
            "一票否决": int(mine["vetoed"].sum()),
        }
        if stars is not None:
            rated = stars[(stars["branch"] == branch) & stars["stars"].notna()]
            for i, name in zip(range(5, 0, -1), STAR_COLUMNS, strict=True):
                row[name] = int((rated["stars"] == i).sum())
            for grade, count in rated["grade"].value_counts().items():
                row[f"等次：{grade}"] = int(count)
        cls = classes[classes["branch"] == branch]
        for name in class_names:
            row[f"类别：{name}"] = int((cls["category"] == name).sum())
        if consequences is not None:
            for name, count in consequences[consequences["branch"] == branch]["list"].value_counts().items():
                row[f"结果运用：{name}"] = int(count)
        rows.append(row)
    return pd.DataFrame(rows).fillna({c: 0 for c in _count_columns(rows)})


def _count_columns(rows: list[dict]) -> list[str]:
    keys = dict.fromkeys(k for r in rows for k in r)
    return [k for k in keys if k.startswith(("等次：", "结果运用：", "类别：")) or k in STAR_COLUMNS]


GRADE_ORDER = ("优秀", "合格", "基本合格", "不合格")


def canonical_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Count columns in a fixed order, whatever order the branches happened to add them in."""

    def key(column: str) -> tuple:
        if column.startswith("等次："):
            grade = column.removeprefix("等次：")
            return (1, GRADE_ORDER.index(grade) if grade in GRADE_ORDER else 99, grade)
        if column.startswith("类别："):
            return (2, 0, "")  # classes keep the scheme's order (stable sort)
        if column.startswith("结果运用："):
            name = column.removeprefix("结果运用：")
            return (3, LISTS.index(name) if name in LISTS else 99, name)
        return (0, 0, "")

    return frame[sorted(frame.columns, key=key)]


def roll_up(summary: pd.DataFrame) -> pd.DataFrame:
    """Branch rows, then a subtotal per township, then the total (averages weighted by scored)."""
    if summary.empty:
        return summary
    counts = [c for c in summary.columns if c not in ("township", "branch", "平均积分", "上期平均", "变化")]
    out = []
    for township, group in summary.groupby("township", sort=True):
        out.extend(group.to_dict("records"))
        if summary["township"].nunique() > 1 or len(group) > 1:
            out.append(_total(group, counts, township, f"{township}合计"))
    if summary["township"].nunique() > 1:
        out.append(_total(summary, counts, "", "总计"))
    return pd.DataFrame(out, columns=summary.columns)


def _total(group: pd.DataFrame, counts: list[str], township: str, label: str) -> dict:
    row = {"township": township, "branch": label}
    for c in counts:
        row[c] = int(group[c].fillna(0).sum())
    weight = group["参加积分"].fillna(0)
    for c in ("平均积分", "上期平均"):
        values = group[c].astype(float)
        mask = values.notna() & (weight > 0)
        row[c] = round(float((values[mask] * weight[mask]).sum() / weight[mask].sum()), 1) if mask.any() else None
    row["变化"] = (
        round(row["平均积分"] - row["上期平均"], 1)
        if row["平均积分"] is not None and row["上期平均"] is not None
        else None
    )
    return row

"""The report to the superior committee (SPEC §11): counts by class, star, grade and branch,
change against the previous period, consequence counts; rolled up branch → township → county.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dangyuan_cli.core.periods import Period
from dangyuan_cli.core.problems import Problem
from dangyuan_cli.core.records import STAR_COLUMNS
from dangyuan_cli.domain.consequences import LISTS
from dangyuan_cli.domain.development import counts_sentence


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
    """One row per branch: members, scored, average points and change, stars, grades, classes.

    Every count is one groupby over the whole part; only the assembly of the rows walks the
    branches (a few hundred dicts), so a county costs no mask per branch."""
    people = _sizes(members, members["category"] != "入党积极分子")
    activists = _sizes(members, members["category"] == "入党积极分子")
    scored = scores[scores["total"].notna() & ~scores["left"]]
    averages = _means(scored["branch"], scored["total"].astype(float))
    before: dict = {}
    if previous is not None:
        prev = previous[previous["total"].notna()]
        before = _means(prev["branch"], prev["total"].astype(float))
    exempt, vetoed = _sums(scores, "exempt"), _sums(scores, "vetoed")
    star_counts, grades = {}, {}
    if stars is not None:
        rated = stars[stars["stars"].notna()]
        star_counts = rated.groupby(["branch", "stars"]).size().to_dict()
        grades = _value_counts(rated, "grade")
    class_counts = classes.groupby(["branch", "category"]).size().to_dict()
    lists = _value_counts(consequences, "list") if consequences is not None else {}
    rows = []
    for branch in sorted(members["branch"].dropna().unique()):
        average, prior = averages.get(branch), before.get(branch)
        row = {
            "township": townships.get(branch, ""),
            "branch": branch,
            "党员": people.get(branch, 0),
            "入党积极分子": activists.get(branch, 0),
            "参加积分": averages[branch][1] if branch in averages else 0,
            "免于积分": exempt.get(branch, 0),
            "平均积分": round(average[0], 1) if average is not None else None,
            "上期平均": round(prior[0], 1) if prior is not None else None,
            "变化": round(average[0] - prior[0], 1) if average is not None and prior is not None else None,
            "一票否决": vetoed.get(branch, 0),
        }
        if stars is not None:
            for i, name in zip(range(5, 0, -1), STAR_COLUMNS, strict=True):
                row[name] = int(star_counts.get((branch, i), 0))
            for grade, count in grades.get(branch, []):
                row[f"等次：{grade}"] = count
        for name in class_names:
            row[f"类别：{name}"] = int(class_counts.get((branch, name), 0))
        for name, count in lists.get(branch, []):
            row[f"结果运用：{name}"] = count
        rows.append(row)
    return pd.DataFrame(rows).fillna({c: 0 for c in _count_columns(rows)})


def _sizes(frame: pd.DataFrame, mask: pd.Series) -> dict[str, int]:
    return {b: int(n) for b, n in frame.loc[mask, "branch"].value_counts().items()}


def _sums(frame: pd.DataFrame, column: str) -> dict[str, int]:
    return {b: int(n) for b, n in frame.groupby("branch")[column].sum().items()}


def _means(branches: pd.Series, values: pd.Series) -> dict[str, tuple[float, int]]:
    """Per branch (mean, count), summed by numpy over each branch's values in frame order —
    the very sum `Series.mean` makes, so the rounded averages stay the same to the last bit."""
    if branches.empty:
        return {}
    order = np.argsort(branches.to_numpy(dtype=object), kind="stable")
    keys, numbers = branches.to_numpy(dtype=object)[order], values.to_numpy(dtype=float)[order]
    found = {}
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    for start, end in zip(starts, [*starts[1:], len(keys)], strict=True):
        found[keys[start]] = (float(numbers[start:end].sum() / (end - start)), int(end - start))
    return found


def _value_counts(frame: pd.DataFrame, column: str) -> dict[str, list[tuple[str, int]]]:
    """Per branch, (value, count) in `Series.value_counts` order: most first, ties as they appear."""
    found: dict[str, list[tuple[str, int]]] = {}
    for (branch, value), count in frame.groupby(["branch", column], sort=False).size().items():
        found.setdefault(branch, []).append((value, int(count)))
    return {b: sorted(pairs, key=lambda p: -p[1]) for b, pairs in found.items()}


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
    """Branch rows, then a subtotal per township, then the total (averages weighted by scored).

    Each column is taken out of the frame once; a township's sums are numpy sums over its rows
    in frame order — the very sums `Series.sum` makes per group, without a Series per column."""
    if summary.empty:
        return summary
    counts = [c for c in summary.columns if c not in ("township", "branch", "平均积分", "上期平均", "变化")]
    records = summary.to_dict("records")
    columns = {c: summary[c].fillna(0).to_numpy() for c in counts}
    weight = summary["参加积分"].fillna(0).to_numpy()
    averages = {c: summary[c].astype(float).to_numpy() for c in ("平均积分", "上期平均")}
    towns = summary["township"].nunique() > 1
    out = []
    codes, townships = pd.factorize(summary["township"], sort=True)  # groupby's order, NaN left out
    for code, township in enumerate(townships):
        at = np.flatnonzero(codes == code)
        out.extend(records[i] for i in at)
        if towns or len(at) > 1:
            out.append(_total(at, columns, weight, averages, township, f"{township}合计"))
    if towns:
        out.append(_total(np.arange(len(summary)), columns, weight, averages, "", "总计"))
    return pd.DataFrame(out, columns=summary.columns)


def _total(at: np.ndarray, columns: dict, weight: np.ndarray, averages: dict, township: str, label: str) -> dict:
    row = {"township": township, "branch": label}
    for c, values in columns.items():
        row[c] = int(values[at].sum())
    w = weight[at]
    for c, values in averages.items():
        v = values[at]
        mask = ~np.isnan(v) & (w > 0)
        row[c] = round(float((v[mask] * w[mask]).sum() / w[mask].sum()), 1) if mask.any() else None
    row["变化"] = (
        round(row["平均积分"] - row["上期平均"], 1)
        if row["平均积分"] is not None and row["上期平均"] is not None
        else None
    )
    return row


@dataclass
class Report:
    title: str
    branches: pd.DataFrame
    summary: pd.DataFrame
    paragraphs: list[str]
    skipped: dict[str, str] = field(default_factory=dict)  # branch → why it is not in the report
    signer: str = ""  # 落款; empty when the rules name no area
    problems: list[Problem] = field(default_factory=list)


def compose_report(
    branches: pd.DataFrame,
    period: Period,
    area: str = "",
    skipped: dict[str, str] | None = None,
    signed: bool = True,
    problems: list[Problem] | None = None,
) -> Report:
    """Roll the branch rows up to townships and the total, and say it in sentences.

    `area` names the report (the workspace: a township or a county); `skipped` maps each branch
    left out to its reason, stated in one sentence and one line per branch.
    """
    skipped = dict(sorted((skipped or {}).items()))
    title = f"{area}{period.label}党员积分定星工作情况报告"
    signer = f"中共{area}委员会组织办" if area and signed else ""
    left_out = []
    if skipped:
        left_out.append(f"另有{len(skipped)}个党支部未参加汇总：{'、'.join(skipped)}。")
        left_out += [f"{b}：未参加汇总，原因：{why}" for b, why in skipped.items()]
    if branches.empty:
        return Report(
            title,
            branches,
            branches,
            [f"{period.label}没有可汇总的党支部（名册中没有党员）。", *left_out],
            skipped,
            signer,
            list(problems or []),
        )
    branches = canonical_columns(
        branches.fillna({c: 0 for c in branches.columns if c.startswith(("类别：", "结果运用：", "等次："))})
    )
    stars = True if "五星" in branches.columns else None
    summary = roll_up(branches)
    total = summary.iloc[-1]
    joined = f"（参加汇总{len(branches)}个）" if skipped else ""
    parts = [
        f"{period.label}，{area}共有党支部{len(branches) + len(skipped)}个{joined}，党员{int(branches['党员'].sum())}名、入党积极分子{int(branches['入党积极分子'].sum())}名，"
        f"参加积分{int(branches['参加积分'].sum())}名，免于积分{int(branches['免于积分'].sum())}名。"
    ]
    average = total["平均积分"] if len(summary) > len(branches) else branches["平均积分"].iloc[0]
    if average is not None and not pd.isna(average):
        line = f"人均积分{average:g}分"
        before = total["上期平均"] if len(summary) > len(branches) else branches["上期平均"].iloc[0]
        if before is not None and not pd.isna(before):
            line += f"，上期{before:g}分，{'增加' if average >= before else '减少'}{abs(average - before):.1f}分"
        parts.append(line + f"；一票否决{int(branches['一票否决'].sum())}名。")
    if stars is not None:
        parts.append("定星结果：" + "，".join(f"{c}{int(branches[c].sum())}名" for c in STAR_COLUMNS) + "。")
    class_cols = [c for c in branches.columns if c.startswith("类别：")]
    parts.append(
        "党员分类：" + "，".join(f"{c.removeprefix('类别：')}{int(branches[c].sum())}名" for c in class_cols) + "。"
    )
    if "承诺：作出" in branches.columns:  # SPEC §10b counts (year reports)
        parts.append(register_sentence(branches))
    lists = [c for c in branches.columns if c.startswith("结果运用：")]
    if lists:
        parts.append(
            "结果运用：" + "，".join(f"{c.removeprefix('结果运用：')}{int(branches[c].sum())}名" for c in lists) + "。"
        )
    parts += counts_sentence(branches)  # 双推双评 and 发展党员, when their registers are there
    parts[1:1] = left_out
    return Report(title, branches, summary, parts, skipped, signer, list(problems or []))


def register_sentence(branches: pd.DataFrame) -> str:
    """承诺践诺, 先锋超市 and 后进转化 in one sentence of the report upward."""
    n = {c: branches[c].fillna(0).sum() for c in branches.columns if c.startswith(("承诺：", "先锋超市：", "后进："))}
    return (
        f"承诺践诺：作出承诺{int(n['承诺：作出'])}项、兑现{int(n['承诺：兑现'])}项，"
        f"{int(n['承诺：未作出承诺'])}名党员未作出承诺；先锋超市兑换积分{n['先锋超市：兑换积分']:g}分；"
        f"后进党员：提出{int(n['后进：提出'])}名，转化合格{int(n['后进：转化合格'])}名，"
        f"期满未评定{int(n['后进：期满未评定'])}名。"
    )

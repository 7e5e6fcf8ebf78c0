"""Privacy by construction (SPEC §11): public documents are built from an allow-list of fields.

A public row can only hold the fields named here; anything else (联系方式, 详细住址, 身份证号,
身体状况, 生活困难 …) cannot reach a public document even by mistake, because rows are built
by picking allowed keys, never by dropping forbidden ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

PUBLIC_FIELDS = frozenset(
    {
        "name",
        "branch",
        "total",
        "ytd",
        "rank",
        "stars",
        "grade",
        "board",
        "net",
        "group",
        "post",
        "duty",
        "leader",
        "cadre",
        "period_total",
        "result",  # 双评结果公示: name, branch, result only (seed 004)
        "commitment",  # 承诺公开: the commitment itself (never 完成情况 or the evaluations)
    }
)


class PrivacyError(ValueError):
    """A public document asked for a field outside the allow-list."""


def public_rows(records: Iterable[Mapping[str, object]], fields: list[str]) -> list[list[object]]:
    leaked = [f for f in fields if f not in PUBLIC_FIELDS]
    if leaked:
        raise PrivacyError(f"公开文件不得包含字段：{'、'.join(leaked)}")
    return [[record.get(f, "") for f in fields] for record in records]

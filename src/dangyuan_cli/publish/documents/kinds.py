"""What each document says (SPEC §11): title, opening, table, 公示期, 落款 — from computed frames.

Pure functions: frames in, `Document` out. Public kinds build their rows through the privacy
allow-list; internal kinds are marked 内部资料.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from pandas.api.extensions import ExtensionDtype
from pandas.core.dtypes.cast import maybe_box_native  # what DataFrame.to_dict applies to a value

from dangyuan_cli.core.formatting import fmt
from dangyuan_cli.core.periods import Period
from dangyuan_cli.core.records import STAR_COLUMNS
from dangyuan_cli.publish.documents.calendar import Span, chinese_date
from dangyuan_cli.publish.documents.privacy import public_rows


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # 公示 name in Chinese
    period_kind: str
    public: bool
    columns: tuple[str, ...]
    fields: tuple[str, ...]


KINDS = {
    k.name: k
    for k in (
        Kind(
            "ranking",
            "党员积分排名公示",
            "quarter",
            True,
            ("名次", "姓名", "本季度积分", "年度累计积分"),
            ("rank", "name", "period_total", "ytd"),
        ),
        Kind("board", "蓝黄红榜", "month", True, ("榜单", "姓名", "当月净得分"), ("board", "name", "net")),
        Kind(
            "stars",
            "积分定星结果公示",
            "year",
            True,
            ("名次", "姓名", "年度积分", "星级", "评定等次"),
            ("rank", "name", "total", "stars", "grade"),
        ),
        Kind(
            "groups",
            "无职党员定岗编组公布",
            "any",
            True,
            ("小组", "岗位职责", "组长", "包组干部", "成员"),
            ("group", "duty", "leader", "cadre", "name"),
        ),
        Kind("votes", "入党积极分子双评结果公示", "year", True, ("姓名", "评议结果"), ("name", "result")),
        Kind(
            "consequences",
            "积分定星结果运用名单",
            "year",
            False,
            ("名单", "姓名", "依据", "期限"),
            ("list", "name", "reason", "due"),
        ),
        Kind("commitments", "党员承诺公开", "year", True, ("姓名", "承诺事项"), ("name", "commitment")),
        Kind(
            "report",
            "党员积分定星工作情况报告",
            "any",
            False,
            ("乡镇（街道）", "党支部", "党员", "参加积分", "平均积分", "变化", *STAR_COLUMNS),
            ("township", "branch", "党员", "参加积分", "平均积分", "变化", *STAR_COLUMNS),
        ),
    )
}


@dataclass
class Document:
    kind: str
    branch: str
    title: str
    public: bool
    intro: list[str]
    columns: list[str]
    rows: list[list[object]]
    signer: str
    date: str
    notes: list[str] = field(default_factory=list)
    issued: dt.date | None = None  # the document date: the .docx's created/modified time

    @property
    def file_stem(self) -> str:
        return self.title if self.public else f"{self.title}（内部资料）"

    def context(self) -> dict:
        return {
            "kind": self.kind,
            "branch": self.branch,
            "title": self.title,
            "public": self.public,
            "intro": self.intro,
            "columns": self.columns,
            "rows": [["" if v is None else str(v) for v in r] for r in self.rows],
            "signer": self.signer,
            "date": self.date,
            "notes": self.notes,
            "issued": self.issued.isoformat() if self.issued else "",
        }


def public_notice(span: Span, days_text: str, objections: str) -> str:
    return f"公示时间：{chinese_date(span.first)}至{chinese_date(span.last)}（{days_text}）{span.note}。公示期间，{objections}"


def formatted_records(kind: Kind, records: pd.DataFrame) -> list[dict[str, str]]:
    """The records as the document shows them: the kind's fields, each value as its text —
    `records[fields].to_dict("records")` formatted, column by column: to_dict's values are the
    column's own (`tolist`), those of an object or extension column made native as it makes
    them (pd.NA → None, numpy scalars → Python's); text passes as it is."""
    fields = [f for f in kind.fields if f in records.columns]
    if not fields or not records.columns.is_unique:  # rows of nothing, or a label twice: to_dict's own way
        return [{k: fmt(v) for k, v in r.items()} for r in records[fields].to_dict("records")]
    texts = []
    for name in fields:
        column = records[name]
        boxed = column.dtype == object or isinstance(column.dtype, ExtensionDtype)
        texts.append([v if v.__class__ is str else fmt(maybe_box_native(v) if boxed else v) for v in column.tolist()])
    return [dict(zip(fields, row, strict=True)) for row in zip(*texts, strict=True)]


def build(
    kind: Kind,
    branch: str,
    period: Period,
    records: pd.DataFrame | list[dict[str, str]],
    published: dt.date,
    span: Span | None,
    signer: str,
    objections: str,
    days_text: str,
    intro: str,
) -> Document:
    """One branch's document of `kind` from its records (already filtered and ordered; a list:
    already `formatted_records`)."""
    data = records if isinstance(records, list) else formatted_records(kind, records)
    if kind.public:
        rows = public_rows(data, list(kind.fields))
    else:
        rows = [[r.get(f, "") for f in kind.fields] for r in data]
    paragraphs = [intro]
    if span is not None:
        paragraphs.append(public_notice(span, days_text, objections))
    return Document(
        kind=kind.name,
        branch=branch,
        title=f"{branch}党支部{period.label}{kind.label}",
        public=kind.public,
        intro=paragraphs,
        columns=list(kind.columns),
        rows=rows,
        signer=signer.format(branch=branch),
        date=chinese_date(published),
        issued=published,
    )


INTROS = {
    "ranking": "根据《关于全面推行党员积分定星管理的实施意见》（焦组〔2018〕45号）“每季度初，对上一季度支部党员积分情况进行排名公示”的要求，现将{branch}党支部{label}党员积分排名情况公示如下（年度累计积分为本年1月至季末）。",
    "board": "根据党员量化积分“蓝黄红榜”机制，现将{branch}党支部{label}党员积分评定结果公示如下：红榜为当月净得分居前{red}的党员，黄榜为当月净得分为负或被一票否决的党员，其余党员列入蓝榜。",
    "stars": "根据《关于全面推行党员积分定星管理的实施意见》（焦组〔2018〕45号），经支部党员大会评定，现将{branch}党支部{label}党员积分定星结果公示如下，接受党员群众监督。",
    "groups": "根据《关于推行农村（社区）无职党员“一编三定”的实施意见》，现将{branch}党支部无职党员定岗编组情况公布如下，接受群众监督。",
    "votes": "根据《关于实行“双推双评三全程”进一步规范发展党员工作的实施意见》（焦组〔2018〕45号），{branch}党支部召开有群众代表参加的支部党员大会，对入党积极分子进行了党员评议、群众评议。现将{label}评议结果公示如下，接受党员群众监督。",
    "commitments": "根据党员承诺践诺制度（承诺、践诺、评诺、督诺），现将{branch}党支部党员{label}承诺事项公开如下，接受党员群众监督。",
    "consequences": "以下为{branch}党支部{label}积分定星结果运用名单，供支部委员会研究使用，注意保密。",
}

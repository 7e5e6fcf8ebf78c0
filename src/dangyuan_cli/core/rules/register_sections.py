"""The sections of the rules file for the registers that came last: `[votes]` (双推双评),
`[develop]` (发展党员), `[commitments]` (承诺践诺) and `[shop]` (先锋超市); `sections.Rules` holds them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from dangyuan_cli.core.rules.base import MAX_MONTHS, STRICT, points_field


class Strict(BaseModel):
    model_config = STRICT  # see `base.STRICT`


RESULT_WORDS = ("好", "较好", "一般", "差")  # the 评诺 results (seed 002 评诺)
WORD_TEXT = 20  # a word in a mapping, not a sentence
MAX_WORDS = 50


def _words_field(default: list[str]):
    return Field(default, max_length=MAX_WORDS)


DEFAULT_RATINGS = {
    "好": ["优秀", "优", "满意", "非常满意", "A"],
    "较好": ["良好", "良", "比较满意", "较满意", "B"],
    "一般": ["合格", "中", "基本满意", "基本合格", "C"],
    "差": ["较差", "不合格", "不满意", "D"],
}


class CommitmentRules(Strict):
    """承诺践诺 (seeds 000, 002): how the evaluation words read, and the optional link to points."""

    # the words or grades written in 自评/书记点评/党员互评/群众测评 → 评诺 result; the result names count as themselves
    ratings: dict[Literal["好", "较好", "一般", "差"], list[str]] = DEFAULT_RATINGS
    done_words: list[str] = _words_field(["已完成", "完成", "已兑现", "兑现", "已践诺", "践诺", "已落实"])
    undone_words: list[str] = _words_field(["未完成", "未兑现", "没有完成", "未践诺", "未落实", "未履行"])
    # the link to points, off by default (0): a completed commitment → 贡献加分, an unfulfilled one → 违规扣分
    done_points: float = points_field(0, low=0)
    undone_points: float = points_field(0, low=0)

    @field_validator("ratings", mode="before")
    @classmethod
    def _added_to_the_defaults(cls, given: object) -> object:
        """A rules file adds aliases (a word it maps moves there from its default result)."""
        if not isinstance(given, dict):
            return given
        merged = {r: list(w) for r, w in DEFAULT_RATINGS.items()}
        words = {w for v in given.values() if isinstance(v, list) for w in v}
        for result in merged:
            merged[result] = [w for w in merged[result] if w not in words]
        for result, value in given.items():
            merged[result] = [*merged.get(result, []), *value] if isinstance(value, list) else value
        return merged

    @field_validator("ratings")
    @classmethod
    def _each_word_once(cls, ratings: dict[str, list[str]]) -> dict[str, list[str]]:
        seen: dict[str, str] = {}
        for result, words in ratings.items():
            if len(words) > MAX_WORDS:
                raise ValueError(f"“{result}”的别名太多，至多{MAX_WORDS}个")
            for w in words:
                if not w.strip() or len(w) > WORD_TEXT:
                    raise ValueError(f"“{result}”的别名应为不超过{WORD_TEXT}字的词，如“优秀”")
                other = seen.setdefault(w.strip(), result)
                if other != result or (w.strip() in RESULT_WORDS and w.strip() != result):
                    raise ValueError(f"“{w}”同时对应“{other}”和“{result}”，每个词只能对应一个结果")
        return ratings

    @model_validator(mode="after")
    def _done_and_undone_apart(self) -> CommitmentRules:
        both = sorted(set(self.done_words) & set(self.undone_words))
        if both:
            raise ValueError(f"done_words 与 undone_words 不能有相同的词：{'、'.join(both)}")
        return self


class ShopRules(Strict):
    """先锋超市 (seed 000): which points are redeemable; spending never changes scores or stars."""

    # net: 贡献加分 − 违规扣分 (default); contribution: 贡献加分 only. The base 100 is never money.
    redeemable: Literal["net", "contribution"] = "net"
    start: dt.date | None = None  # points dated before this day are not redeemable (None: all)


class VoteRules(Strict):
    """双推双评 (seed 004 (一)(二)): quorum, the 双评 thresholds and the bar after 取消."""

    # who counts as the branch's members for the quorum: ranked (正式/预备, not exempt, not moved
    # out — the reading) or all (正式/预备 党员, exempt ones too: 支部党员总数)
    member_base: Literal["ranked", "all"] = "ranked"
    party_quorum: float = Field(0.5, ge=0, le=1, description="参加评议的党员须超过支部党员总数的此比例")
    mass_ratio: float = Field(2 / 3, ge=0, le=10, description="参加评议的群众不低于到会党员的此倍数")
    excellent_over: float = Field(0.5, ge=0, le=1, description="综合评价“优秀”须超过此比例")
    item_poor_max: float = Field(0.2, ge=0, le=1, description="每个单项“差”不得超过此比例")
    disqualify_poor_over: float = Field(0.5, ge=0, le=1, description="综合评价“差”超过此比例即取消资格")
    bar_months: int = Field(6, ge=0, le=MAX_MONTHS, description="取消资格后不得再次确定的月数")
    nomination_over: float = Field(0.5, ge=0, le=1, description="双推：同意的党员须超过支部党员的此比例")


class DevelopRules(Strict):
    """发展党员 timeline (seed 004 (三)全程记实, 《发展党员工作细则》)."""

    min_age: int = Field(18, ge=14, le=60, description="申请入党时的最低年龄")
    activist_months: int = Field(12, ge=0, le=MAX_MONTHS, description="确定积极分子至确定发展对象的最少月数")
    probation_months: int = Field(12, ge=1, le=MAX_MONTHS, description="预备期月数")
    lookahead_months: int = Field(3, ge=1, le=24, description="提醒“下一期间”到期事项的月数")

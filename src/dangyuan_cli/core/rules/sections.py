"""The sections of the rules file `dangyuan.toml` (`[points]`, `[stars]`, … and `Rules`, their whole).

Every number a seed leaves open lives here, never in code, with its bounds; loading the file and
saying what is wrong with it is `model`.
"""

from __future__ import annotations

import string
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from dangyuan_cli.core.rules.base import MAX_DAYS, MAX_GROUP, MAX_MONTHS, MAX_POINTS, STRICT, points_field
from dangyuan_cli.core.rules.register_sections import CommitmentRules, DevelopRules, ShopRules, VoteRules


class Strict(BaseModel):
    model_config = STRICT  # see `base.STRICT`


PRESETS = ("jiaozuo", "sanmenxia", "six-class", "four-class", "named-stars")
DEFAULT_PRESET = "jiaozuo"
RULES_FILE = "dangyuan.toml"

PointType = Literal["基础积分", "贡献加分", "违规扣分", "一票否决"]

GRADE_TEXT = 20  # a grade word (优秀, 合格 …), not a paragraph
SIGNER_FIELDS = ("branch",)  # the names `announce.signer` may use, filled per branch


def check_format(text: str, allowed: tuple[str, ...]) -> str:
    """A str.format template that may use only `{name}` of `allowed`: no index, attribute,
    conversion or format spec (`{branch:>999999999}` would build gigabytes)."""
    names = "、".join(f"{{{n}}}" for n in allowed)
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        raise ValueError(f"花括号不成对；只能使用 {names}，要写花括号本身请写 {{{{ 或 }}}}") from None
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if name not in allowed or spec or conversion:
            raise ValueError(f"只能使用 {names}，不能写“{shown}”")
    return text


def check_grades(grades: dict[str, str], counts: range) -> dict[str, str]:
    """Star count → grade word: every count in `counts` once, nothing else, short words."""
    allowed = [str(n) for n in counts]
    wrong = [k for k in grades if k not in allowed]
    if wrong:
        raise ValueError(f"键只能是星数 {'、'.join(allowed)}，不能写“{'、'.join(wrong)}”")
    missing = [k for k in allowed if k not in grades]
    if missing:
        raise ValueError(f"缺少{'、'.join(missing)}星对应的评定等次（需写全 {'、'.join(allowed)}）")
    bad = [k for k, v in grades.items() if not v.strip() or len(v) > GRADE_TEXT]
    if bad:
        raise ValueError(f"{'、'.join(bad)}星的评定等次应为不超过{GRADE_TEXT}字的文字，如“优秀”“合格”")
    return grades


class Item(Strict):
    name: str
    type: PointType
    points: float = points_field(0, description="分值为空时的默认分值")
    mode: Literal["sum", "highest"] = "sum"
    cap: float | None = Field(default=None, ge=0, le=MAX_POINTS)
    cap_period: Literal["year", "half", "quarter", "month"] = "year"
    applies_to: list[Literal["正式党员", "预备党员", "入党积极分子"]] = []
    star: str | None = None  # named-star scheme (seed 001): which star this item earns


class PointsRules(Strict):
    base_points: float = points_field(100, low=0)
    veto: Literal["zero", "cap"] = "zero"
    veto_cap: float = points_field(60, low=0)
    month_cutoff_day: int = Field(0, ge=0, le=28)
    major_deduction: float = points_field(10, low=0)
    duty_points: float = points_field(0, low=0)
    lost_contact_months: int = Field(6, ge=1, le=MAX_MONTHS)


class NamedStarRules(Strict):
    names: list[str] = Field(
        ["理论学习星", "服务群众星", "爱岗敬业星", "求实创新星", "清正廉洁星"], min_length=1, max_length=10
    )
    integrity_star: str = "清正廉洁星"
    quarters_for_year: int = Field(2, ge=1, le=4)
    grades: dict[str, str] = {
        "5": "优秀",
        "4": "合格",
        "3": "合格",
        "2": "不合格",
        "1": "不合格",
        "0": "不合格",
    }

    @field_validator("names")
    @classmethod
    def _names_distinct(cls, names: list[str]) -> list[str]:
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"星的名称重复：{'、'.join(dupes)}")
        return names

    @field_validator("grades")
    @classmethod
    def _a_grade_for_every_count(cls, grades: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        """A member earns 0…len(names) stars; each count needs its grade (stars.py looks it up)."""
        names = info.data.get("names")
        return grades if names is None else check_grades(grades, range(len(names) + 1))


class StarRules(Strict):
    scheme: Literal["quota", "named"] = "quota"
    one_star_below: float = points_field(60)
    two_star_below: float = points_field(100)
    five_star_max: float = Field(0.15, ge=0, le=1)
    four_star_max: float = Field(0.30, ge=0, le=1)
    quota_base: Literal["ranked", "all"] = "ranked"
    min_three_or_below: float = Field(0.20, ge=0, le=1)
    five_star_branch_bonus: float = Field(1.2, ge=1, le=3)
    grades: dict[str, str] = {
        "5": "优秀",
        "4": "合格",
        "3": "合格",
        "2": "基本合格",
        "1": "不合格",
    }
    named: NamedStarRules = NamedStarRules()

    @field_validator("grades")
    @classmethod
    def _a_grade_for_every_star(cls, grades: dict[str, str]) -> dict[str, str]:
        return check_grades(grades, range(1, 6))


class BoardRules(Strict):
    red_ratio: float = Field(0.20, ge=0, le=1)
    remind_ratio: float = Field(0.10, ge=0, le=1)
    # quarters in a row (0 = list nobody); more than two years of boards is never asked for
    consecutive_red: int = Field(2, ge=0, le=8)
    consecutive_yellow: int = Field(2, ge=0, le=8)


class ClassifyRules(Strict):
    scheme: Literal["six-class", "four-class"] = "six-class"
    precedence: list[str] = [
        "后进党员",
        "在职党员",
        "外出务工党员",
        "年老体弱党员",
        "贫困党员",
        "在村务农（工）无职党员",
    ]
    elderly_age: int = Field(65, ge=40, le=100)
    frail_words: list[str] = ["行动不便", "常年患病", "长期卧床"]
    office_words: list[str] = [
        "书记",
        "主任",
        "委员",
        "会计",
        "文书",
        "团支部",
        "妇联",
        "村民小组",
        "组长",
        "村务监督委员会",
        "监委会",
    ]
    away_days: int = Field(183, ge=1, le=366)  # 外出务工满6个月; more than a year is no longer "away"


class ConsequenceRules(Strict):
    activist_low_below: float = points_field(100)
    activist_priority_min: float = points_field(100)
    nomination_ratio: float = Field(0.10, ge=0, le=1)
    nomination_years: int = Field(3, ge=1, le=20)  # 换届 every 3–5 years; each year is recomputed
    laggard_months: int = Field(6, ge=1, le=MAX_MONTHS)
    # the 期限 of the lists (seeds: 帮扶 ≥ 6 months, 延长预备期 ≤ 1 year, 6-month bar after 取消)
    help_months: int = Field(6, ge=1, le=MAX_MONTHS)
    probation_extension_months: int = Field(12, ge=1, le=12)
    requalify_months: int = Field(6, ge=1, le=MAX_MONTHS)


class PostRules(Strict):
    min_group: int = Field(2, ge=1, le=MAX_GROUP)
    max_group: int = Field(15, ge=1, le=MAX_GROUP)
    balance_slack: int = Field(1, ge=0, le=MAX_GROUP)
    excuse_elderly: bool = True

    @model_validator(mode="after")
    def _min_within_max(self) -> PostRules:
        if self.min_group > self.max_group:
            raise ValueError(f"min_group（{self.min_group}）不能大于 max_group（{self.max_group}）")
        return self


class AnnounceRules(Strict):
    public_days: int = Field(7, ge=1, le=MAX_DAYS)
    development_working_days: int = Field(5, ge=1, le=MAX_DAYS)
    signer: str = Field("中共{branch}党支部", max_length=200)
    objections: str = Field("如有异议，请以书面或口头形式向党支部或上级党组织反映。", max_length=2000)
    # the 公示's objection channel (GB/T 9704 公示 names whom to call); a branch may set its own
    contact_person: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=50)

    @field_validator("signer")
    @classmethod
    def _signer_names_only_branch(cls, value: str) -> str:
        return check_format(value, SIGNER_FIELDS)


class LimitsRules(Strict):
    """How big a sheet may be before it is refused unread (reading builds every cell from A1 to the
    last one). Far above any real register — a county roster is a few thousand rows by 20 columns —
    and low enough that reading one workbook stays within a few hundred MB."""

    max_rows: int = Field(200_000, ge=1, le=1_048_576)
    max_columns: int = Field(200, ge=1, le=16_384)
    max_cells: int = Field(3_000_000, ge=1, le=100_000_000, description="行数×列数")
    max_sheet_mb: int = Field(100, ge=1, le=4_000, description="一个工作表解压后的大小")
    max_file_mb: int = Field(100, ge=1, le=4_000)
    max_ratio: int = Field(200, ge=10, le=100_000, description="解压后与压缩后大小之比；真实台账约5–30倍")


class BranchRules(Strict):
    rating: int = Field(0, ge=0, le=5, description="设星定级结果，5 = 五星党组织")
    items: list[Item] = []
    contact_person: str | None = Field(None, max_length=50)  # None: [announce]'s
    contact_phone: str | None = Field(None, max_length=50)


class Rules(Strict):
    preset: str = DEFAULT_PRESET
    extends: str | None = None
    title: str = ""
    area: str = ""  # 乡镇（街道）名称，用于汇总报告；空则用工作目录名
    points: PointsRules = PointsRules()
    stars: StarRules = StarRules()
    boards: BoardRules = BoardRules()
    classify: ClassifyRules = ClassifyRules()
    consequences: ConsequenceRules = ConsequenceRules()
    posts: PostRules = PostRules()
    announce: AnnounceRules = AnnounceRules()
    votes: VoteRules = VoteRules()
    develop: DevelopRules = DevelopRules()
    limits: LimitsRules = LimitsRules()
    commitments: CommitmentRules = CommitmentRules()
    shop: ShopRules = ShopRules()
    items: list[Item] = []
    branches: dict[str, BranchRules] = {}

    @model_validator(mode="after")
    def _three_or_below_possible(self) -> Rules:
        s = self.stars
        bonus = s.five_star_branch_bonus if any(b.rating == 5 for b in self.branches.values()) else 1.0
        top = (s.five_star_max + s.four_star_max) * bonus
        if s.scheme == "quota" and top > 1 - s.min_three_or_below + 1e-9:
            raise ValueError(
                f"stars.five_star_max + stars.four_star_max（×五星支部系数{bonus:g}）= {top:.0%}，"
                f"超过 1 − stars.min_three_or_below = {1 - s.min_three_or_below:.0%}，"
                "“三星以下要有一定数量”（焦组〔2018〕45号）无法满足；请调低名额比例"
            )
        if s.one_star_below > s.two_star_below:
            raise ValueError("stars.one_star_below 不能大于 stars.two_star_below")
        names = [i.name for i in self.items]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"items 中项目重名：{'、'.join(dupes)}")
        return self

    def items_for(self, branch: str) -> dict[str, Item]:
        """The catalogue a branch uses: the common items plus its own (003 自主设定项目)."""
        catalogue = {i.name: i for i in self.items}
        extra = self.branches.get(branch)
        if extra:
            catalogue.update({i.name: i for i in extra.items})
        return catalogue

    def contact_for(self, branch: str) -> tuple[str, str]:
        """(联系人, 联系电话) of a branch's 公示: its own entry in [branches], else [announce]'s."""
        own = self.branches.get(branch)
        person = own.contact_person if own and own.contact_person is not None else self.announce.contact_person
        phone = own.contact_phone if own and own.contact_phone is not None else self.announce.contact_phone
        return person.strip(), phone.strip()

    def branch_rating(self, branch: str) -> int:
        found = self.branches.get(branch)
        return found.rating if found else 0

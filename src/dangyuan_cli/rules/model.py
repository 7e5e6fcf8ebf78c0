"""The rules file `dangyuan.toml`: a validated model; presets are TOML files beside this module.

Every number a seed leaves open lives here, never in code. An unknown key or a bad value is
reported with its dotted key and what is allowed, all problems at once.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

PRESETS = ("jiaozuo", "sanmenxia", "six-class", "four-class", "named-stars")
DEFAULT_PRESET = "jiaozuo"
RULES_FILE = "dangyuan.toml"

PointType = Literal["基础积分", "贡献加分", "违规扣分", "一票否决"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(Strict):
    name: str
    type: PointType
    points: float = Field(default=0, description="分值为空时的默认分值")
    mode: Literal["sum", "highest"] = "sum"
    cap: float | None = Field(default=None, ge=0)
    cap_period: Literal["year", "half", "quarter", "month"] = "year"
    applies_to: list[Literal["正式党员", "预备党员", "入党积极分子"]] = []
    star: str | None = None  # named-star scheme (seed 001): which star this item earns


class PointsRules(Strict):
    base_points: float = Field(100, ge=0)
    veto: Literal["zero", "cap"] = "zero"
    veto_cap: float = Field(60, ge=0)
    month_cutoff_day: int = Field(0, ge=0, le=28)
    major_deduction: float = Field(10, ge=0)
    duty_points: float = Field(0, ge=0)
    lost_contact_months: int = Field(6, ge=1)


class NamedStarRules(Strict):
    names: list[str] = ["理论学习星", "服务群众星", "爱岗敬业星", "求实创新星", "清正廉洁星"]
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


class StarRules(Strict):
    scheme: Literal["quota", "named"] = "quota"
    one_star_below: float = 60
    two_star_below: float = 100
    five_star_max: float = Field(0.15, ge=0, le=1)
    four_star_max: float = Field(0.30, ge=0, le=1)
    quota_base: Literal["ranked", "all"] = "ranked"
    min_three_or_below: float = Field(0.20, ge=0, le=1)
    five_star_branch_bonus: float = Field(1.2, ge=1, le=3)
    grades: dict[Literal["5", "4", "3", "2", "1"], str] = {
        "5": "优秀",
        "4": "合格",
        "3": "合格",
        "2": "基本合格",
        "1": "不合格",
    }
    named: NamedStarRules = NamedStarRules()


class BoardRules(Strict):
    red_ratio: float = Field(0.20, ge=0, le=1)
    remind_ratio: float = Field(0.10, ge=0, le=1)
    consecutive_red: int = Field(2, ge=0)
    consecutive_yellow: int = Field(2, ge=0)


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
    away_days: int = Field(183, ge=1)


class ConsequenceRules(Strict):
    activist_low_below: float = 100
    activist_priority_min: float = 100
    nomination_ratio: float = Field(0.10, ge=0, le=1)
    nomination_years: int = Field(3, ge=1)
    laggard_months: int = Field(6, ge=1)


class PostRules(Strict):
    min_group: int = Field(2, ge=1)
    max_group: int = Field(15, ge=1)
    balance_slack: int = Field(1, ge=0)
    excuse_elderly: bool = True


class AnnounceRules(Strict):
    public_days: int = Field(7, ge=1)
    development_working_days: int = Field(5, ge=1)
    signer: str = "中共{branch}党支部"
    objections: str = "如有异议，请以书面或口头形式向党支部或上级党组织反映。"


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
    limits: LimitsRules = LimitsRules()
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

    def branch_rating(self, branch: str) -> int:
        found = self.branches.get(branch)
        return found.rating if found else 0


class RulesError(Exception):
    """The rules file cannot be used; `problems` lists every bad key."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.source = source
        self.problems = problems


def preset_text(name: str) -> str:
    if name not in PRESETS:
        raise RulesError(name, [f"preset: 未知的预设“{name}”，可选：{'、'.join(PRESETS)}"])
    return resources.files("dangyuan_cli.rules").joinpath("presets", f"{name}.toml").read_text("utf-8")


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif key == "items" and isinstance(value, list):  # a preset adds to, or redefines, items by name
            names = {i.get("name") for i in value if isinstance(i, dict)}
            merged[key] = [i for i in merged.get(key, []) if i.get("name") not in names] + value
        else:
            merged[key] = value
    return merged


def _resolve(data: dict, source: str, seen: tuple[str, ...] = ()) -> dict:
    """Apply `extends`/`preset`: the named preset's values under this file's own."""
    parent = data.get("extends") or (data.get("preset") if source == "workspace" else None)
    if not parent or parent in seen:
        return data
    try:
        base = tomllib.loads(preset_text(parent))
    except tomllib.TOMLDecodeError as exc:  # a broken built-in preset is our bug, said plainly
        raise RulesError(parent, [f"内置预设{parent}格式错误：{exc}"]) from None
    base = _resolve(base, "preset", (*seen, parent))
    merged = _merge(base, {k: v for k, v in data.items() if k != "extends"})
    merged["preset"] = data.get("preset", parent)
    return merged


def _describe(err: dict) -> str:
    key = ".".join(str(p) for p in err["loc"]) or "规则文件"
    kind, ctx = err["type"], err.get("ctx", {})
    if kind == "extra_forbidden":
        return f"{key}: 未知的设置项，请检查拼写"
    if kind == "literal_error":
        return f"{key}: 取值“{err['input']}”无效，可选：{ctx.get('expected', '')}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        word = {
            "greater_than_equal": "不小于",
            "less_than_equal": "不大于",
            "greater_than": "大于",
            "less_than": "小于",
        }
        return f"{key}: 取值{err['input']}不合理，应{word[kind]}{bound}"
    if kind in ("float_parsing", "int_parsing", "float_type", "int_type", "int_from_float"):
        return f"{key}: 应为数字，实为“{err['input']}”"
    if kind == "value_error":
        return f"{key}: {ctx.get('error', err['msg'])!s}"
    return f"{key}: {err['msg']}"


def parse_rules(data: dict, source: str = "workspace") -> Rules:
    resolved = _resolve(data, source)
    try:
        return Rules.model_validate(resolved)
    except ValidationError as exc:
        raise RulesError(source, [_describe(e) for e in exc.errors()]) from None


def load_rules(workspace: Path | None = None, preset: str | None = None) -> Rules:
    """The workspace's `dangyuan.toml`, or the named/default preset when there is none."""
    path = Path(workspace) / RULES_FILE if workspace else None
    if path and path.is_file():
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise RulesError(str(path), [f"{RULES_FILE}: 格式错误（{exc}）"]) from None
        except UnicodeDecodeError:
            raise RulesError(str(path), [f"{RULES_FILE}: 请以UTF-8编码保存"]) from None
        data.setdefault("preset", preset or DEFAULT_PRESET)
        return parse_rules(data, "workspace")
    return parse_rules({"preset": preset or DEFAULT_PRESET}, "workspace")

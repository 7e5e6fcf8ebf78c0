"""The registers of SPEC §2: canonical columns, aliases, value kinds and header signatures.

A sheet is recognised by the columns its header row contains, never by its file name.
Adding an alias is a one-line change here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

CATEGORIES = {
    "正式党员": ("正式", "党员", "中共党员"),
    "预备党员": ("预备", "中共预备党员"),
    "入党积极分子": ("积极分子",),
}
POINT_TYPES = {
    "基础积分": ("基础", "基础分"),
    "贡献加分": ("贡献", "加分", "奖励加分"),
    "违规扣分": ("违规", "扣分"),
    "一票否决": ("否决",),
}
STATUSES = {"有效": ("正常", "生效"), "撤销": ("作废", "已撤销", "取消", "无效")}
APPROVERS = {"支委会": ("支部委员会",), "支部大会": ("党员大会", "支部党员大会")}
CONTACT_WAYS = {
    "电话": ("打电话", "电话联系"),
    "微信": ("视频", "微信视频"),
    "短信": (),
    "书面": ("书面汇报", "信件"),
    "当面": ("面谈", "当面汇报", "走访"),
}
RESULTS = {"合格": ("已转化",), "不合格": ("未转化",)}
RATINGS = {"优秀": ("好",), "一般": ("合格", "称职"), "差": ("较差", "不合格")}
VOTER_KINDS = {"党员": ("正式党员",), "群众": ("群众代表",)}


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text | name | names | date | month_date | number | flag | choice | year
    required: bool = False
    choices: dict[str, tuple[str, ...]] | None = None
    # a dropdown list offered by `init` (defaults to the choice names)
    dropdown: tuple[str, ...] = ()


@dataclass(frozen=True)
class Register:
    key: str
    title: str
    columns: tuple[Column, ...]
    # columns that must all be present for a header row to count as this register
    signature: frozenset[str]
    # registers laid out in blocks headed by `编组名称：…` lines (seed 004 附件2/3)
    grouped: bool = False
    seed: str = ""
    by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    required: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {c.name: c for c in self.columns})
        object.__setattr__(self, "required", tuple(c.name for c in self.columns if c.required))


def _column(name: str, *aliases: str, **kw: object) -> Column:
    return Column(name, tuple(aliases), **kw)  # type: ignore[arg-type]


# 编号 tells members of one name apart (SPEC §2), in the roster and in any register naming members.
# Not 序号 (it counts rows) nor a bare 编码 (in a ledger it may code the item).
_NUMBER = _column("编号", "党员编号", "人员编号", "党员编码")

_RATING_COLS = tuple(
    _column(n, kind="choice", choices=RATINGS) for n in ("政治表现", "道德品行", "遵纪守法", "工作表现", "履行承诺")
)

REGISTERS: tuple[Register, ...] = (
    Register(
        "roster",
        "党员名册",
        (
            _column("党支部", "所在支部", "支部名称", "所在党支部"),
            _NUMBER,
            _column("姓名", "党员姓名", kind="name", required=True),
            _column("性别"),
            _column("出生年月", "出生日期", "出生时间", kind="month_date"),
            _column("入党时间", "入党日期", kind="month_date"),
            _column("人员类别", "身份", "党员类别", "类别", kind="choice", choices=CATEGORIES),
            _column("职务", "党内职务", "村内职务", "党内职务/村内职务", "现任职务"),
            _column("联系方式", "电话", "手机", "联系电话", "手机号码"),
            _column("详细住址", "住址", "家庭住址"),
            _column("身体状况", "健康状况"),
            _column("生活困难", "困难情况", "是否困难", kind="flag"),
            _column("外出务工", "流动情况", "是否外出", "是否流动", kind="flag"),
            _column("外出时间", "外出日期", kind="date"),
            _column("外出去向", "外出地点", "流入地"),
            _column("免于积分", "不参加积分", kind="flag"),
            _column("后进党员", "是否后进", kind="flag"),
            _column("转入日期", "转入时间", kind="date"),
            _column("转出日期", "转出时间", kind="date"),
            _column("备注"),
        ),
        frozenset({"姓名"}),
        seed="000, 001, 004",
    ),
    Register(
        "posts",
        "岗位清单",
        (
            _column("岗位名称", "岗位", required=True),
            _column("职责任务", "岗位职责", required=True),
            _column("标准要求"),
        ),
        frozenset({"岗位名称", "职责任务"}),
        seed="004 附件1",
    ),
    Register(
        "claims",
        "认岗申报",
        (
            _NUMBER,
            _column("姓名", kind="name", required=True),
            _column("第一志愿", "认领岗位", "申报岗位", required=True),
            _column("第二志愿"),
            _column("特长"),
            _column("组长", "是否组长", kind="flag"),
        ),
        frozenset({"姓名", "第一志愿"}),
        seed="004 (二)量身定岗",
    ),
    Register(
        "groups",
        "定岗编组台账",
        (
            _column("编组名称", "小组名称", "组名"),
            _column("包组干部"),
            _column("组长"),
            _NUMBER,
            _column("姓名", kind="name", required=True),
            _column("性别"),
            _column("出生年月", "出生日期", kind="month_date"),
            _column("入党时间", "入党日期", kind="month_date"),
            _column("联系方式", "电话", "手机"),
            _column("职责任务", "岗位职责", required=True),
            _column("服务承诺"),
            _column("详细住址", "住址", "家庭住址"),
            _column("备注"),
        ),
        frozenset({"姓名", "职责任务"}),
        grouped=True,
        seed="004 附件2",
    ),
    Register(
        "duty",
        "履岗记实台账",
        (
            _column("编组名称", "小组名称"),
            _column("活动时间", "时间", "日期", kind="date", required=True),
            _column("参与党员", "参加党员", "参与人员", kind="names", required=True),
            _column("履岗内容", "活动内容", required=True),
            _column("取得成效", "成效"),
            _column("备注"),
        ),
        frozenset({"活动时间", "参与党员", "履岗内容"}),
        grouped=True,
        seed="004 附件3",
    ),
    Register(
        "points",
        "积分台账",
        (
            _column("党支部", "所在支部", "支部名称"),
            _column("日期", "登记日期", "时间", kind="date", required=True),
            _NUMBER,
            _column("姓名", "党员姓名", kind="name", required=True),
            _column("积分类型", "类型", "积分类别", kind="choice", choices=POINT_TYPES, required=True),
            _column("事项", "积分事项", "积分项目", "项目", "事由", required=True),
            _column("分值", "积分", "分数", kind="number"),
            _column("证明人", "依据"),
            _column("认定", "认定方式", kind="choice", choices=APPROVERS),
            _column("登记人"),
            _column("状态", kind="choice", choices=STATUSES),
            _column("撤销原因"),
        ),
        frozenset({"日期", "姓名", "积分类型", "事项"}),
        seed="002, 003, 004",
    ),
    Register(
        "contacts",
        "流动党员联系台账",
        (
            _column("党支部", "所在支部"),
            _column("日期", "联系日期", "联系时间", kind="date", required=True),
            _NUMBER,
            _column("姓名", "党员姓名", "流动党员", kind="name", required=True),
            _column("方式", "联系方式", kind="choice", choices=CONTACT_WAYS),
            _column("内容", "联系内容", "汇报内容"),
        ),
        frozenset({"日期", "姓名", "方式"}),
        seed="000, 002, 003",
    ),
    Register(
        "commitments",
        "承诺践诺台账",
        (
            _NUMBER,
            _column("姓名", kind="name", required=True),
            _column("年度", "年份", kind="year", required=True),
            _column("承诺事项", "承诺内容", required=True),
            _column("完成情况"),
            _column("自评"),
            _column("书记点评"),
            _column("党员互评"),
            _column("群众测评"),
        ),
        frozenset({"姓名", "年度", "承诺事项"}),
        seed="000, 002",
    ),
    Register(
        "redemptions",
        "先锋超市兑换台账",
        (
            _column("日期", "兑换日期", kind="date", required=True),
            _NUMBER,
            _column("姓名", kind="name", required=True),
            _column("物品", "兑换物品"),
            _column("消耗积分", "使用积分", kind="number", required=True),
        ),
        frozenset({"日期", "姓名", "消耗积分"}),
        seed="000",
    ),
    Register(
        "laggards",
        "后进党员转化台账",
        (
            _NUMBER,
            _column("姓名", kind="name", required=True),
            _column("转入日期", "转入时间", kind="date", required=True),
            _column("帮扶责任人", "帮扶人"),
            _column("结果", "转化结果", kind="choice", choices=RESULTS),
            _column("结果日期", "转化日期", kind="date"),
        ),
        frozenset({"姓名", "转入日期", "帮扶责任人"}),
        seed="000",
    ),
    Register(
        "development",
        "发展党员记实",
        (
            _column("姓名", kind="name", required=True),
            _column("出生年月", "出生日期", kind="month_date"),
            _column("申请入党日期", "递交申请书日期", "申请入党时间", kind="date"),
            _column("确定积极分子日期", "确定入党积极分子日期", kind="date"),
            _column("确定发展对象日期", kind="date"),
            _column("接收预备党员日期", "接收预备党员时间", kind="date"),
            _column("转正日期", "转正时间", kind="date"),
            _column("培养联系人"),
        ),
        frozenset({"姓名", "申请入党日期"}),
        seed="004 (三)全程记实",
    ),
    Register(
        "ballots",
        "民主评议票",
        (
            _column("被评议人", kind="name", required=True),
            _column("被评议人编号", "被评议党员编号"),  # a bare 编号 on a ballot sheet numbers the ballots
            _column("评议人类别", "评议人身份", kind="choice", choices=VOTER_KINDS, required=True),
            _column("综合评价", kind="choice", choices=RATINGS, required=True),
            *_RATING_COLS,
            _column("推荐", "是否推荐", "同意推荐", kind="flag"),  # 双推: a 党员's 是/否 on the same sheet
            _column("评议日期", "评议时间", kind="date"),
        ),
        frozenset({"被评议人", "评议人类别", "综合评价"}),
        seed="004 (二)双评",
    ),
)

# Township-wide registers carry a 党支部 column; every register accepts one.
_BRANCH = _column("党支部", "所在支部", "支部名称", "所在党支部")
REGISTERS = tuple(
    r if "党支部" in r.by_name else Register(r.key, r.title, (_BRANCH, *r.columns), r.signature, r.grouped, r.seed)
    for r in REGISTERS
)

# A register whose signature is one column cannot miss "one of several": these columns, two or more
# of them beside the missing signature column, say the sheet is that register all the same.
NEAR_HINTS = {"roster": frozenset({"出生年月", "入党时间", "人员类别"})}

# Words on context lines above or below a table (seed 004 附件2/3).
CONTEXT_LABELS = {
    "编组名称": "编组名称",
    "小组名称": "编组名称",
    "时间": "时间",
    "包组干部": "包组干部",
    "组长": "组长",
}
FOOT_WORDS = ("签字", "签名", "注：", "注:", "制表", "填表人", "审核人", "负责人：", "盖章")


def clean_header(raw: object) -> str:
    """`姓 名`, `分值（分）`, `*日期` → `姓名`, `分值`, `日期`."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    text = re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", "", text)
    return re.sub(r"[\s*※:：]+", "", text)


def alias_table(register: Register) -> dict[str, str]:
    table: dict[str, str] = {}
    for column in register.columns:
        for label in (column.name, *column.aliases):
            table.setdefault(clean_header(label), column.name)
    return table


ALIASES = {r.key: alias_table(r) for r in REGISTERS}

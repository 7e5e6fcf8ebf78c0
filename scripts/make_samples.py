"""Generate `sample_ledgers/`: a township (城关镇) of three branches with a full year of registers.

Deterministic (fixed seed, fixed file metadata): running it twice gives the same data. The files
carry the mess of real registers on purpose: merged title rows, aliases, text dates, full-width
digits, an old `.xls`, signature lines, blank spacer rows, a revoked entry, a veto, exempt
members, activists, probationary members, two members with one name, gaps in duty records and in
contacts with floating members. Usage: python scripts/make_samples.py sample_ledgers
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

from openpyxl import Workbook

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛"
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "桂兰",
    "军",
    "丽",
    "伟",
    "芳",
    "勇",
    "敏",
    "磊",
    "静",
    "洋",
    "艳",
    "强",
    "娟",
    "涛",
    "霞",
    "明",
    "玲",
    "超",
    "燕",
    "刚",
    "红",
    "平",
    "华",
    "辉",
    "梅",
    "鹏",
    "兰",
    "海",
    "萍",
    "亮",
    "英",
    "俊",
    "玉",
    "斌",
    "凤",
    "飞",
    "琴",
    "宏",
    "云",
    "波",
    "丹",
    "振华",
    "春梅",
    "国庆",
    "淑珍",
    "德明",
    "金凤",
    "永刚",
    "海燕",
    "文杰",
    "小红",
    "建华",
    "丽娟",
    "卫东",
    "雪梅",
    "志刚",
    "慧敏",
]
YEAR = 2025
FW = str.maketrans("0123456789-", "０１２３４５６７８９－")

POSTS = [
    ("政策法律宣传岗", "宣传党的政策和法律法规", "每季度开展宣传不少于1次"),
    ("带头致富示范岗", "带头发展产业，带动群众增收", "每人联系带动2户以上"),
    ("民事纠纷调解岗", "调解邻里纠纷，化解矛盾", "小事不出组，大事不出村"),
    ("环境卫生保护岗", "维护责任区环境卫生", "责任区每月巡查2次以上"),
    ("村情民意收集岗", "收集群众意见建议", "每月收集反映不少于1条"),
    ("文体活动组织岗", "组织群众文体活动", "每季度组织活动1次以上"),
    ("便民服务代办岗", "为群众代办事项", "代办事项按时办结"),
]
CONTRIB = [
    ("参加义务劳动", 2),
    ("志愿服务", 2),
    ("帮扶困难群众", 3),
    ("调解纠纷", 2),
    ("带头致富", 5),
    ("急难险重任务", 5),
]
DEDUCT = [("不参加组织生活", 5), ("不落实党组织分配工作", 5), ("参与集体上访", 10)]
BASE_DEDUCT = [("无故不参加三会一课", -5), ("未按时交纳党费", -5)]


class Branch:
    def __init__(self, name: str, size: int, seed: int) -> None:
        self.name = name
        self.rng = random.Random(seed)
        self.members = self._members(size)

    def _members(self, size: int) -> list[dict]:
        rng = self.rng
        names: list[str] = []
        while len(names) < size:
            n = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if n not in names:
                names.append(n)
        members = []
        offices = [
            "党支部书记",
            "村委会主任",
            "支部委员",
            "村会计",
            "妇联主任",
            "村民小组长",
            "村务监督委员会主任",
        ]
        for i, name in enumerate(names):
            born = dt.date(rng.randint(1945, 1998), rng.randint(1, 12), 1)
            joined = dt.date(min(born.year + rng.randint(20, 40), 2023), rng.randint(1, 12), 1)
            m = {
                "编号": f"{i + 1:03d}",
                "姓名": name,
                "性别": rng.choice("男男男女"),
                "出生年月": born,
                "入党时间": joined,
                "人员类别": "正式党员",
                "职务": offices[i] if i < len(offices) else "",
                "联系方式": f"13{rng.randint(100000000, 999999999)}",
                "详细住址": f"{self.name}{rng.randint(1, 8)}组{rng.randint(1, 60)}号",
                "身体状况": "健康",
                "生活困难": "",
                "外出务工": "",
                "外出时间": None,
                "外出去向": "",
                "免于积分": "",
                "转入日期": None,
                "转出日期": None,
                "备注": "",
            }
            members.append(m)
        plain = members[len(offices) :]
        # elderly: four over 65, two of them bedridden and exempt
        for m, health, exempt in zip(
            plain[0:4], ["长期卧床", "行动不便", "常年患病", "健康"], ["是", "√", "", ""], strict=True
        ):
            m["出生年月"] = dt.date(rng.randint(1940, 1958), rng.randint(1, 12), 1)
            m["入党时间"] = dt.date(m["出生年月"].year + 25, 7, 1)
            m["身体状况"], m["免于积分"] = health, exempt
        for m in plain[4:9]:  # away for work
            m["外出务工"] = "是"
            m["外出时间"] = dt.date(YEAR - rng.randint(0, 3), rng.randint(1, 6), rng.randint(1, 28))
            m["外出去向"] = rng.choice(["郑州", "广州", "深圳", "上海", "苏州"])
            m["出生年月"] = dt.date(rng.randint(1978, 1995), rng.randint(1, 12), 1)
            m["入党时间"] = dt.date(m["出生年月"].year + 24, 6, 1)
        for m in plain[9:11]:
            m["生活困难"] = rng.choice(["是", "低保户"])
        for m in plain[11:13]:  # probationary members joined in the year before
            m["人员类别"] = "预备党员"
            m["出生年月"] = dt.date(rng.randint(1990, 2000), rng.randint(1, 12), 1)
            m["入党时间"] = dt.date(YEAR - 1, rng.randint(3, 10), 1)
        for m in plain[13:16]:  # activists
            m["人员类别"] = "入党积极分子"
            m["出生年月"] = dt.date(rng.randint(1992, 2002), rng.randint(1, 12), 1)
            m["入党时间"] = None
        return members

    def scored(self) -> list[dict]:
        return [m for m in self.members if not m["免于积分"] and not m["转出日期"]]

    def entries(self, year: int) -> list[dict]:
        """A year of points entries; a few planted cases make every rule visible."""
        rng = random.Random(len(self.name) * 1000 + year)
        rows = []
        scored = self.scored()
        strong = {m["姓名"] for m in scored[:: max(1, len(scored) // 6)]}
        for m in scored:
            n = rng.randint(2, 9) + (5 if m["姓名"] in strong else 0)
            for _ in range(n):
                item, pts = rng.choice(CONTRIB)
                day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                rows.append(self._entry(day, m, "贡献加分", item, pts if rng.random() < 0.8 else None, rng))
            if rng.random() < 0.35:
                item, pts = rng.choice(DEDUCT[:2])
                rows.append(self._entry(dt.date(year, rng.randint(1, 12), 10), m, "违规扣分", item, pts, rng))
            if rng.random() < 0.15:
                item, pts = rng.choice(BASE_DEDUCT)
                rows.append(self._entry(dt.date(year, rng.randint(1, 12), 5), m, "基础积分", item, pts, rng))
        plain = [m for m in scored if not m["职务"] and m["人员类别"] == "正式党员"]
        laggard, weak = plain[-1], plain[-2]
        rows = [r for r in rows if r["姓名"] not in (label(laggard), label(weak))]
        # a laggard (003): below base, no contribution, one major deduction
        rows.append(self._entry(dt.date(year, 4, 12), laggard, "违规扣分", "参与集体上访", 10, rng))
        rows.append(self._entry(dt.date(year, 9, 8), laggard, "违规扣分", "不参加组织生活", 5, rng))
        # a one-star member: many deductions
        for month in (2, 5, 7, 10, 11, 12):
            rows.append(self._entry(dt.date(year, month, 15), weak, "违规扣分", "不参加组织生活", 5, rng))
        rows.append(self._entry(dt.date(year, 6, 20), weak, "违规扣分", "参与集体上访", 10, rng))
        rows.append(self._entry(dt.date(year, 8, 3), weak, "基础积分", "无故不参加三会一课", -5, rng))
        # planted cases for the consequence lists (SPEC §9)
        probationary = [m for m in scored if m["人员类别"] == "预备党员"]
        activists = [m for m in scored if m["人员类别"] == "入党积极分子"]
        if self.name == "东关村" and year == YEAR:  # a probationary member at 二星 → 延长预备期审查
            rows = [r for r in rows if r["姓名"] != label(probationary[1])]
            rows.append(self._entry(dt.date(year, 7, 9), probationary[1], "违规扣分", "不落实党组织分配工作", 5, rng))
        if self.name == "西河村":  # an activist below 100 two years running → 取消资格
            rows = [r for r in rows if r["姓名"] != label(activists[2])]
            rows.append(self._entry(dt.date(year, 6, 2), activists[2], "违规扣分", "不参加组织生活", 5, rng))
        if self.name == "南岭社区" and year == YEAR:
            # the branch secretary with no contribution this year (三星及以下 → 上级约谈)
            rows = [r for r in rows if not (r["姓名"] == label(scored[0]) and r["积分类型"] == "贡献加分")]
            rows = [r for r in rows if r["姓名"] != label(activists[0])]
            rows.append(self._entry(dt.date(year, 3, 2), activists[0], "基础积分", "无故不参加三会一课", -5, rng))
        if year == YEAR:
            # a revoked entry (003: 扫的是他家和堂兄弟门口的路)
            first = scored[len(scored) // 2]
            revoked = self._entry(dt.date(year, 5, 18), first, "贡献加分", "志愿服务", 5, rng)
            revoked["事项"] = "义务打扫街巷"
            revoked["状态"], revoked["撤销原因"] = "撤销", "群众反映只扫了自家门口，本人承认"
            rows.append(revoked)
            # a county-level award counted once (mode highest)
            rows.append(self._entry(dt.date(year, 6, 30), scored[0], "贡献加分", "获得县级以上表彰", 10, rng))
            rows.append(self._entry(dt.date(year, 12, 1), scored[0], "贡献加分", "获得县级以上表彰", 8, rng))
            # a veto (004: 一票否决须经支部大会认定) — in 西河村 it hits a probationary member
            vetoed = scored[5] if self.name != "西河村" else next(m for m in scored if m["人员类别"] == "预备党员")
            rows.append(self._entry(dt.date(year, 8, 20), vetoed, "一票否决", "受到刑事处罚", None, rng))
            # an entry not in the catalogue (a warning: 未列入项目清单)
            rows.append(self._entry(dt.date(year, 3, 12), scored[1], "贡献加分", "捐资修路", 6, rng))
        rows.sort(key=lambda r: (r["日期"], r["姓名"]))
        return rows

    def _entry(self, day: dt.date, m: dict, kind: str, item: str, pts: float | None, rng: random.Random) -> dict:
        return {
            "日期": day,
            "姓名": label(m),
            "积分类型": kind,
            "事项": item,
            "分值": pts,
            "证明人": rng.choice(["支委会记录", "群众证实", "活动签到表", ""]),
            "认定": "支部大会" if kind == "一票否决" else rng.choice(["支委会", "支部大会"]),
            "登记人": "组织委员",
            "状态": "",
            "撤销原因": "",
        }


def label(m: dict) -> str:
    """How other registers write a member: with the 编号 when the roster has two of that name."""
    return m.get("称呼") or m["姓名"]


def date_text(d: dt.date | None, style: int) -> object:
    """The same date the ways clerks type it."""
    if d is None:
        return None
    return [
        d,
        f"{d.year}.{d.month}.{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        d.strftime("%Y%m%d"),
        f"{d:%Y-%m-%d}",
    ][style % 5]


def month_text(d: dt.date | None, style: int) -> object:
    if d is None:
        return None
    return [f"{d.year}.{d.month}", f"{d.year}年{d.month}月", f"{d.year}-{d.month:02d}", d][style % 4]


def fixed_props(wb: Workbook) -> None:
    stamp = dt.datetime(2026, 1, 5, 9, 0, 0)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "组织委员"


def sheet_with(
    wb: Workbook,
    title: str,
    sheet: str,
    header: list[str],
    rows: list[list],
    pre: list[str] = (),
    foot: list[str] = (),
) -> None:
    ws = wb.create_sheet(sheet)
    r = 1
    if title:
        ws.cell(1, 1, title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        r = 2
    for line in pre:
        ws.cell(r, 1, line)
        r += 1
    for c, h in enumerate(header, 1):
        ws.cell(r, c, h)
    r += 1
    for row in rows:
        for c, value in enumerate(row, 1):
            if value is not None and value != "":
                ws.cell(r, c, value)
        r += 1
    r += 1
    for line in foot:
        ws.cell(r, 1, line)
        r += 1


def roster_rows(b: Branch, header: list[str], mess: bool) -> list[list]:
    rows = []
    for i, m in enumerate(b.members):
        row = []
        for h in header:
            key = {
                "出生日期": "出生年月",
                "身份": "人员类别",
                "手机": "联系方式",
                "住址": "详细住址",
                "党内职务": "职务",
                "入党日期": "入党时间",
                "不参加积分": "免于积分",
                "流动情况": "外出务工",
                "序号": "编号",
            }.get(h, h)
            value = m.get(key)
            if key in ("出生年月", "入党时间") and mess:
                value = month_text(value, i)
            elif key in ("外出时间", "转入日期", "转出日期") and mess:
                value = date_text(value, i)
            elif key == "人员类别" and mess and value == "正式党员" and i % 3 == 0:
                value = "正式"
            row.append(value)
        rows.append(row)
    return rows


def points_rows(entries: list[dict], header: list[str], mess: bool) -> list[list]:
    rows = []
    for i, e in enumerate(entries):
        row = []
        for h in header:
            key = {"依据": "证明人", "积分": "分值", "分值（分）": "分值", "类型": "积分类型"}.get(h, h)
            value = e.get(key)
            if key == "日期" and mess:
                value = date_text(value, i)
            elif key == "分值" and value is not None and mess:
                value = [
                    value,
                    f"{value:g}分",
                    f"{value:g}".translate(FW),
                    f"+{value:g}" if value > 0 else f"{value:g}",
                ][i % 4]
            row.append(value)
        rows.append(row)
    return rows


def write_xls(path: Path, sheet: str, title: str, header: list[str], rows: list[list]) -> None:
    """An old-format `.xls`, as kept on old office machines."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    ws.write_merge(0, 0, 0, len(header) - 1, title)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, h in enumerate(header):
        ws.write(1, c, h)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write(r, c, dt.datetime(value.year, value.month, value.day), date_style)
            elif value is not None:
                ws.write(r, c, value)
    book.save(str(path))


def groups_for(b: Branch) -> dict[str, list[dict]]:
    rng = random.Random(len(b.name) * 7)
    eligible = [
        m
        for m in b.members
        if not m["职务"] and m["人员类别"] != "入党积极分子" and not m["免于积分"] and not m["外出务工"]
    ]
    posts = [p[0] for p in POSTS[:5]]
    groups: dict[str, list[dict]] = {p: [] for p in posts}
    for i, m in enumerate(eligible):
        groups[posts[i % len(posts)]].append(m)
    rng.shuffle(posts)
    return groups


def write_branch_dongguan(root: Path, b: Branch) -> None:
    """东关村: one file per register, merged titles, aliases, text dates, a `.xls` for 2024."""
    folder = root / b.name
    folder.mkdir(parents=True)
    wb = Workbook()
    wb.remove(wb.active)
    header = [
        "序号",
        "姓名",
        "性别",
        "出生日期",
        "入党日期",
        "身份",
        "党内职务",
        "手机",
        "住址",
        "身体状况",
        "生活困难",
        "外出务工",
        "外出时间",
        "外出去向",
        "不参加积分",
        "转入日期",
        "转出日期",
        "备注",
    ]
    sheet_with(
        wb,
        f"城关镇{b.name}党支部党员名册",
        "党员名册",
        header,
        roster_rows(b, header, True),
        foot=["制表人：组织委员        审核人：支部书记"],
    )
    fixed_props(wb)
    wb.save(folder / "党员名册.xlsx")

    header = [
        "序号",
        "日期",
        "姓名",
        "积分类型",
        "事项",
        "分值（分）",
        "依据",
        "认定",
        "登记人",
        "状态",
        "撤销原因",
    ]
    entries = b.entries(YEAR)
    rows = points_rows(entries, header[1:], True)
    rows = [[i + 1, *r] for i, r in enumerate(rows)]
    rows.insert(40, [None] * len(header))  # a blank spacer row
    wb = Workbook()
    wb.remove(wb.active)
    sheet_with(
        wb,
        f"{b.name}党支部{YEAR}年党员积分台账",
        "积分台账",
        header,
        rows,
        pre=[f"填报单位：{b.name}党支部"],
        foot=["登记人签字：            支部书记签字："],
    )
    fixed_props(wb)
    wb.save(folder / f"积分台账{YEAR}.xlsx")

    header = ["日期", "姓名", "积分类型", "事项", "分值", "证明人", "认定", "登记人", "状态", "撤销原因"]
    write_xls(
        folder / f"积分台账{YEAR - 1}.xls",
        "积分台账",
        f"{b.name}党支部{YEAR - 1}年积分台账",
        header,
        points_rows(b.entries(YEAR - 1), header, False),
    )
    write_one_bian(folder, b, with_groups=True)


def write_one_bian(folder: Path, b: Branch, with_groups: bool) -> None:
    """岗位清单, 认岗申报, 定岗编组台账 (附件2) and 履岗记实台账 (附件3)."""
    rng = random.Random(len(b.name) * 13)
    wb = Workbook()
    wb.remove(wb.active)
    sheet_with(
        wb,
        f"{b.name}无职党员岗位清单",
        "岗位清单",
        ["序号", "岗位名称", "职责任务", "标准要求"],
        [[i + 1, *p] for i, p in enumerate(POSTS)],
    )
    eligible = [m for m in b.members if not m["职务"] and m["人员类别"] != "入党积极分子" and not m["免于积分"]]
    claims = []
    for m in eligible:
        first, second = rng.sample([p[0] for p in POSTS], 2)
        if rng.random() < 0.35:
            first = "环境卫生保护岗"  # over-subscribed on purpose
        claims.append([label(m), first, second, rng.choice(["", "懂农机", "会电脑", "能说会道", "文艺特长"])])
    sheet_with(wb, f"{b.name}无职党员认岗申报表", "认岗申报", ["姓名", "第一志愿", "第二志愿", "特长"], claims)
    groups = groups_for(b)
    officers = [m for m in b.members if m["职务"]]
    if with_groups:
        ws = wb.create_sheet("定岗编组台账")
        ws.cell(1, 1, f"{b.name}无职党员定岗编组台账")
        ws.merge_cells("A1:I1")
        r = 2
        header = [
            "姓名",
            "性别",
            "出生年月",
            "入党时间",
            "联系方式",
            "职责任务",
            "服务承诺",
            "详细住址",
            "备注",
        ]
        duties = dict((p[0], p[1]) for p in POSTS)
        for gi, (post, members) in enumerate(groups.items()):
            ws.cell(r, 1, f"编组名称：{post.removesuffix('岗')}组")
            ws.cell(r + 1, 1, "包组干部")
            ws.cell(r + 1, 2, officers[gi % len(officers)]["姓名"])
            ws.cell(r + 2, 1, "组  长")
            ws.cell(r + 2, 2, label(members[0]))
            for c, h in enumerate(header, 1):
                ws.cell(r + 3, c, h)
            r += 4
            for m in members:
                values = [
                    label(m),
                    m["性别"],
                    month_text(m["出生年月"], 1),
                    month_text(m["入党时间"], 1),
                    m["联系方式"],
                    duties[post],
                    "履职尽责，服务群众",
                    m["详细住址"],
                    "",
                ]
                for c, value in enumerate(values, 1):
                    ws.cell(r, c, value)
                r += 1
            r += 1
    # 履岗记实: one block per group per month; 文体 group skips two months on purpose
    ws = wb.create_sheet("履岗记实台账")
    ws.cell(1, 1, f"{b.name}无职党员履岗记实台账")
    r = 2
    for post, members in groups.items():
        for month in range(1, 13):
            if post == "村情民意收集岗" and month in (7, 8):
                continue
            ws.cell(r, 1, f"编组名称：{post.removesuffix('岗')}组")
            ws.cell(r, 4, f"时间：{YEAR}年{month}月")
            for c, h in enumerate(["活动时间", "参与党员", "履岗内容", "取得成效", "备注"], 1):
                ws.cell(r + 1, c, h)
            r += 2
            for k in range(rng.randint(1, 2)):
                day = dt.date(YEAR, month, rng.randint(1, 28))
                active = [label(m) for m in members if rng.random() < 0.7] or [label(members[0])]
                if post == "环境卫生保护岗":
                    active = [n for n in active if n != label(members[-1])] or [label(members[0])]
                sep = "、" if k % 2 == 0 else "，"
                for c, value in enumerate(
                    [date_text(day, k), sep.join(active), f"{post.removesuffix('岗')}活动", "群众满意", ""], 1
                ):
                    if value:
                        ws.cell(r, c, value)
                r += 1
            ws.cell(r, 1, "组长签字：")
            ws.cell(r, 4, "包组干部签字：")
            r += 2
    fixed_props(wb)
    wb.save(folder / "一编三定台账.xlsx")


def write_branch_summary(root: Path, b: Branch) -> None:
    """西河村 / 南岭社区: one workbook with several registers, no titles (branch from the folder)."""
    folder = root / b.name
    folder.mkdir(parents=True)
    wb = Workbook()
    wb.remove(wb.active)
    header = [
        "编号",
        "姓名",
        "性别",
        "出生年月",
        "入党时间",
        "人员类别",
        "职务",
        "联系方式",
        "详细住址",
        "身体状况",
        "困难情况",
        "流动情况",
        "外出时间",
        "外出去向",
        "免于积分",
        "转入日期",
        "转出日期",
        "备注",
    ]
    sheet_with(wb, "", "名册", header, roster_rows(b, header, False))
    header = ["日期", "姓名", "积分类型", "事项", "分值", "证明人", "认定", "登记人", "状态", "撤销原因"]
    entries = b.entries(YEAR - 1) + b.entries(YEAR)
    sheet_with(wb, "", "积分登记", header, points_rows(entries, header, False))
    sheet_with(wb, "", "说明", ["填表说明"], [["本工作簿由组织委员维护，每月15日前更新。"]])
    fixed_props(wb)
    wb.save(folder / f"{YEAR}年党建台账汇总.xlsx")
    write_one_bian(folder, b, with_groups=False)


def write_township(root: Path, branches: list[Branch]) -> None:
    """Township-wide registers with a 党支部 column: floating-member contacts, development, ballots."""
    rng = random.Random(99)
    rows = []
    for b in branches:
        away = [m for m in b.members if m["外出务工"]]
        for k, m in enumerate(away):
            quarters = [1, 2, 3, 4]
            if k == 0:
                quarters = [1]  # no contact after Q1 → 失联
            elif k == 1:
                quarters = [1, 2, 4]  # a missed quarter
            for q in quarters:
                day = dt.date(YEAR, q * 3 - rng.randint(0, 2), rng.randint(1, 28))
                rows.append(
                    [
                        f"{b.name}党支部",
                        date_text(day, k + q),
                        label(m),
                        rng.choice(["电话", "微信", "书面"]),
                        "汇报思想和工作情况",
                    ]
                )
    rows.sort(key=lambda r: (r[0], str(r[1])))
    wb = Workbook()
    wb.remove(wb.active)
    sheet_with(wb, "城关镇流动党员联系台账", "联系台账", ["党支部", "联系日期", "姓名", "方式", "内容"], rows)
    dev, ballots = [], []
    for b in branches:
        activists = [m for m in b.members if m["人员类别"] == "入党积极分子"]
        for k, m in enumerate(activists):
            applied = dt.date(YEAR - 2, 3 + k, 10)
            dev.append(
                [
                    f"{b.name}党支部",
                    label(m),
                    month_text(m["出生年月"], 0),
                    applied,
                    dt.date(YEAR - 2, 9 + k, 1),
                    None,
                    None,
                    None,
                    b.members[0]["姓名"],
                ]
            )
            members = len([x for x in b.members if x["人员类别"] != "入党积极分子"])
            voters = members // 2 + 2
            for v in range(voters + int(voters * 0.7)):
                kind = "党员" if v < voters else "群众"
                roll = rng.random()
                overall = (
                    ("优秀" if roll < 0.7 else "一般")
                    if k == 0
                    else (("差" if roll < 0.6 else "一般") if k == 1 else ("优秀" if roll < 0.45 else "一般"))
                )
                ballots.append(
                    [
                        f"{b.name}党支部",
                        label(m),
                        kind,
                        overall,
                        "优秀",
                        "优秀" if rng.random() < 0.9 else "差",
                        "优秀",
                        "一般",
                        "优秀",
                    ]
                )
    sheet_with(
        wb,
        "城关镇发展党员全程记实表",
        "发展党员记实",
        [
            "党支部",
            "姓名",
            "出生年月",
            "申请入党日期",
            "确定积极分子日期",
            "确定发展对象日期",
            "接收预备党员日期",
            "转正日期",
            "培养联系人",
        ],
        dev,
    )
    sheet_with(
        wb,
        f"城关镇{YEAR}年入党积极分子民主评议票汇总",
        "民主评议票",
        [
            "党支部",
            "被评议人",
            "评议人类别",
            "综合评价",
            "政治表现",
            "道德品行",
            "遵纪守法",
            "工作表现",
            "履行承诺",
        ],
        ballots,
    )
    fixed_props(wb)
    wb.save(root / "城关镇流动党员与发展党员台账.xlsx")


def write_development(root: Path, branches: list[Branch]) -> None:
    """城关镇发展党员记实.xlsx (issue 12): the probationary members of every roster with their
    stages, and applicants and 发展对象 not yet on a roster — a dozen people at different stages.
    Its own generator, so adding it leaves every other sample file byte-identical. One planted
    rule violation: 南岭社区's 发展对象 determined 10 months after becoming 积极分子 (a warning of
    `develop`, not a register error: `check sample_ledgers` stays clean)."""
    rng = random.Random(4012)
    rows = []
    for b in branches:
        for m in [m for m in b.members if m["人员类别"] == "预备党员"]:
            joined = m["入党时间"]  # month precision in the roster: the 1st of the month
            rows.append(
                [
                    f"{b.name}党支部",
                    label(m),
                    month_text(m["出生年月"], 1),
                    dt.date(joined.year - 3, rng.randint(1, 12), rng.randint(1, 28)),
                    dt.date(joined.year - 2, rng.randint(1, 6), rng.randint(1, 28)),
                    dt.date(joined.year - 1, rng.randint(7, 12), rng.randint(1, 28)),
                    joined,
                    None,
                    b.members[2]["姓名"],
                ]
            )
    people = [  # (branch, name, born, applied, activist, candidate)
        ("东关村", "程雨欣", dt.date(2001, 4, 1), dt.date(YEAR, 3, 18), None, None),
        ("东关村", "罗嘉怡", dt.date(1999, 9, 1), dt.date(YEAR - 1, 11, 2), dt.date(YEAR, 2, 20), None),
        (
            "西河村",
            "贺子轩",
            dt.date(1996, 6, 1),
            dt.date(YEAR - 2, 5, 6),
            dt.date(YEAR - 1, 3, 1),
            dt.date(YEAR, 3, 1),
        ),
        (
            "南岭社区",
            "龚文博",
            dt.date(1997, 1, 1),
            dt.date(YEAR - 2, 4, 9),
            dt.date(YEAR - 1, 9, 1),
            dt.date(YEAR, 7, 1),
        ),
        ("南岭社区", "邱思远", dt.date(2003, 8, 1), dt.date(YEAR, 9, 25), None, None),
        ("西河村", "侯佳琪", dt.date(1998, 12, 1), dt.date(YEAR - 1, 6, 15), dt.date(YEAR, 1, 10), None),
    ]
    for branch, name, born, applied, activist, candidate in people:
        contact = next(b for b in branches if b.name == branch).members[1]["姓名"]
        rows.append([f"{branch}党支部", name, month_text(born, 0), applied, activist, candidate, None, None, contact])
    rows.sort(key=lambda r: r[0])
    wb = Workbook()
    wb.remove(wb.active)
    sheet_with(
        wb,
        "城关镇发展党员全程记实表",
        "发展党员全程记实",
        [
            "党支部",
            "姓名",
            "出生年月",
            "申请入党日期",
            "确定入党积极分子日期",
            "确定发展对象日期",
            "接收预备党员日期",
            "转正日期",
            "培养联系人",
        ],
        rows,
        foot=["填表人：组织委员        审核人：党委组织委员"],
    )
    fixed_props(wb)
    wb.save(root / "城关镇发展党员记实.xlsx")


GOODS = [("洗衣粉", 5), ("食用油", 20), ("大米10斤", 25), ("毛巾", 3), ("香皂", 2), ("牙膏", 4), ("酱油", 6)]
PLEDGES = [
    "带头参加村内环境整治，责任区保持干净",
    "结对帮扶1户困难群众",
    "每季度走访联系群众不少于4户",
    "带头发展特色种植，带动2户增收",
    "调解邻里纠纷，小事不出组",
    "按时参加组织生活，按时足额交纳党费",
    "宣传惠民政策，帮助群众代办事项",
    "带头移风易俗，红白事简办",
]
GRADES = ["优秀", "好", "良好", "较好", "一般", "合格", "满意", "比较满意"]


def write_member_registers(root: Path, branches: list[Branch]) -> None:
    """承诺践诺台账, 先锋超市兑换台账 (one new file each per branch) and the township's
    后进党员转化台账 (第八党支部). Own random generator: every other sample file stays as it was.

    Only cases `check` accepts are planted here (a 后进 member overdue, one proposed but not
    entered, one converted on the exact 6-month day, one judged 不合格, a 帮扶责任人 who is not in
    office, members without a commitment); the error cases (overspend, redemption before earning,
    a result before 6 months) would skip a branch, so the tests plant them on a copy.
    """
    rng = random.Random(1310)
    for b in branches:
        ranked = [
            m
            for m in b.members
            if m["人员类别"] != "入党积极分子" and not m["免于积分"] and not m["转出日期"] and not m["转入日期"]
        ]
        rows = []
        for k, m in enumerate(ranked):
            if k % 11 == 10:  # a few make no commitment: the 督诺 list
                continue
            for item in rng.sample(PLEDGES, rng.choice([1, 1, 2])):
                done = rng.choice(["已完成", "已完成", "已完成", "正在推进", "未完成"])
                grades = [rng.choice(GRADES) for _ in range(4)]
                rows.append([label(m), f"{YEAR}年", item, done, *grades])
        wb = Workbook()
        wb.remove(wb.active)
        sheet_with(
            wb,
            f"{b.name}党支部{YEAR}年党员承诺践诺台账",
            "承诺践诺",
            ["姓名", "年度", "承诺事项", "完成情况", "自评", "书记点评", "党员互评", "群众测评"],
            rows,
        )
        fixed_props(wb)
        wb.save(root / b.name / f"承诺践诺台账{YEAR}.xlsx")
        wb = Workbook()
        wb.remove(wb.active)
        sheet_with(
            wb,
            f"{b.name}先锋超市积分兑换台账",
            "兑换台账",
            ["日期", "姓名", "物品", "消耗积分"],
            _redemptions(b, ranked, rng),
            foot=["经办人签字："],
        )
        fixed_props(wb)
        wb.save(root / b.name / "先锋超市兑换台账.xlsx")
    _conversions(root, branches)


def _redemptions(b: Branch, ranked: list[dict], rng: random.Random) -> list[list]:
    """Quarterly redemptions within 40% of the points surely redeemable by then (explicit values,
    no capped item, not revoked, net of every deduction), so no redemption overspends."""
    entries = b.entries(YEAR)
    rows = []
    for m in ranked:
        if rng.random() < 0.5:
            continue
        spent = 0
        for month in (3, 6, 9, 12):
            day = dt.date(YEAR, month, 20)
            safe = 0.0
            for e in entries:
                if e["姓名"] != label(m) or e["日期"] > day or e["状态"] == "撤销" or e["分值"] is None:
                    continue
                if e["积分类型"] == "贡献加分" and e["事项"] not in ("参加义务劳动", "获得县级以上表彰", "捐资修路"):
                    safe += e["分值"]
                elif e["积分类型"] == "违规扣分":
                    safe -= abs(e["分值"])
            goods, price = rng.choice(GOODS)
            if price <= 0.4 * safe - spent:
                spent += price
                rows.append([date_text(day, month), label(m), goods, f"{price}分" if month == 6 else price])
    return rows


def _conversions(root: Path, branches: list[Branch]) -> None:
    """The township's 第八党支部 register: the points' 后进党员 (plain[-1], plain[-2] of entries())."""
    rows = []
    for b in branches:
        scored = [m for m in b.members if not m["免于积分"] and not m["转出日期"]]
        plain = [m for m in scored if not m["职务"] and m["人员类别"] == "正式党员"]
        laggard, weak = plain[-1], plain[-2]
        secretary = b.members[0]["姓名"]
        if b.name == "东关村":  # overdue: 6 months passed on 2025-11-06 without a result; weak not entered
            rows.append([f"{b.name}党支部", label(laggard), "2025-05-06", secretary, "", ""])
        elif b.name == "西河村":  # converted on the exact day 6 months end; the next helper is not in office
            rows.append([f"{b.name}党支部", label(laggard), "2025.3.1", secretary, "合格", "2025.9.1"])
            rows.append([f"{b.name}党支部", label(weak), "2025年8月15日", label(plain[0]), "", ""])
        else:  # entered in 2024, judged 不合格 after the months → 不合格党员处置审查
            rows.append([f"{b.name}党支部", label(laggard), "2024-10-10", secretary, "不合格", "2025-04-20"])
    wb = Workbook()
    wb.remove(wb.active)
    sheet_with(
        wb,
        "城关镇第八党支部后进党员转化台账",
        "后进党员转化",
        ["党支部", "姓名", "转入日期", "帮扶责任人", "结果", "结果日期"],
        rows,
    )
    fixed_props(wb)
    wb.save(root / "城关镇后进党员转化台账.xlsx")


RULES = """# 城关镇规则文件：焦作方案，东关村为五星党组织（五星、四星名额可×1.2）
preset = "jiaozuo"
area = "城关镇"

[branches."东关村"]
rating = 5

[[branches."西河村".items]]
name = "捐资修路"
type = "贡献加分"
points = 5
"""


def main(target: str) -> None:
    root = Path(target)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    branches = [Branch("东关村", 48, 1), Branch("西河村", 36, 2), Branch("南岭社区", 28, 3)]
    # two members share a name in 西河村, told apart by 编号
    # transfers: one member came to 西河村 in May (earlier entries are not its own), one left 南岭社区
    branches[1].members[30]["转入日期"] = dt.date(YEAR, 5, 1)
    branches[2].members[10]["转出日期"] = dt.date(YEAR, 9, 30)
    twin, other = branches[1].members[20], branches[1].members[25]
    other["姓名"] = twin["姓名"]
    for m in (twin, other):
        m["称呼"] = f"{m['姓名']}（{m['编号']}）"
    write_branch_dongguan(root, branches[0])
    for b in branches[1:]:
        write_branch_summary(root, b)
    write_township(root, branches)
    write_development(root, branches)
    write_member_registers(root, branches)
    (root / "dangyuan.toml").write_text(RULES, encoding="utf-8")
    print(f"sample ledgers written to {root}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sample_ledgers")

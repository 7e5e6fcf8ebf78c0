"""The realistic bench county (issue 15): 10 township folders, 3–4 files per village.

Deterministic (seeded per branch). Per branch: 45–60 members (officers, probationary members,
activists, floating and exempt members), ~350 ledger rows with a free-text 事项 and an explicit
分值 (most items not in the catalogue), 4 post groups (定岗编组, seed 004 附件2) with monthly duty
records (履岗记实, 附件3), quarterly contacts for floating members. Three layouts, one per third of
the villages:
- `files`: a village folder with 党员名册, 积分台账, 一编三定台账 and 流动党员联系台账 files;
- `book`: a village folder with one workbook of many sheets (no titles: the folder names the
  branch) plus 一编三定台账;
- `loose`: the same four files loose in the township folder, their names and titles carrying the
  village name (`东关村积分台账2025.xlsx`).
Villages 5 and 9 of every 20 keep their 名册 or their contacts as an old `.xls` (unless they keep one workbook).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from samples.layouts import date_text, month_text
from samples.people import GIVEN, SURNAMES

YEAR = 2025
TOWNSHIPS = ["城关镇", "东风镇", "柳林镇", "白水乡", "青石乡", "马营镇", "河口镇", "大庄乡", "新集镇", "石门乡"]
# two-character village names: 60 × 60 = 3,600, none containing 村/镇/乡/社/区/党/支/部
FIRST = "东西南北前后上下大小新老高王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
SECOND = "关河岭庄营寨坡沟湾店集屯堡桥口坪岗洼湖塘山峪铺寺园圩坝渡泉井台岔场楼川峰塬嘴垣坊林洲滩寨垛坞庙墩岭湖滨洋畈沿墙堤埠江溪坑岙窑"
ROSTER = [
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
    "备注",
]
LEDGER = ["日期", "姓名", "积分类型", "事项", "分值", "证明人", "认定", "登记人", "状态", "撤销原因"]
GROUP_HEADER = ["姓名", "性别", "出生年月", "入党时间", "联系方式", "职责任务", "服务承诺", "详细住址", "备注"]
DUTY_HEADER = ["活动时间", "参与党员", "履岗内容", "取得成效", "备注"]
CONTACTS = ["日期", "姓名", "方式", "内容"]
POSTS = [
    ("政策法律宣传岗", "宣传党的政策和法律法规", "每季度开展宣传不少于1次"),
    ("带头致富示范岗", "带头发展产业，带动群众增收", "每人联系带动2户以上"),
    ("民事纠纷调解岗", "调解邻里纠纷，化解矛盾", "小事不出组，大事不出村"),
    ("环境卫生保护岗", "维护责任区环境卫生", "责任区每月巡查2次以上"),
]
OFFICES = ["党支部书记", "村委会主任", "支部委员", "村会计", "妇联主任", "村民小组长", "村务监督委员会主任"]
CATALOGUE = [("志愿服务", 2), ("帮扶困难群众", 3), ("调解纠纷", 2), ("带头致富", 5)]  # in the default catalogue
DEEDS = [
    "帮助{who}抢收小麦",
    "为{who}代办医保缴费",
    "参加{place}河道清淤",
    "义务清扫{place}街巷",
    "调解{who}与邻居宅基地纠纷",
    "走访慰问{who}",
    "组织{place}防汛巡查",
    "帮{who}联系销售苹果",
    "参加{place}秸秆禁烧值守",
    "为{place}群众宣讲惠农政策",
    "捐款资助{who}家孩子上学",
    "参与{place}疫苗接种引导",
]
DEDUCTS = ["无故不参加主题党日", "未按时参加组织生活会", "对分配的任务推诿拖延", "在群众中传播不实消息"]
ELDERS = ["张大爷", "李奶奶", "王大娘", "刘五保户", "困难户赵某", "留守儿童家庭", "孤寡老人陈某"]
PLACES = ["一组", "二组", "三组", "四组", "东街", "西街", "村口", "南片"]


def village_names(count: int) -> list[str]:
    names = [a + b + "村" for a in FIRST for b in SECOND]
    names = list(dict.fromkeys(names))  # SECOND repeats a few characters
    random.Random(15).shuffle(names)
    if count > len(names):
        raise SystemExit(f"at most {len(names)} villages")
    return names[:count]


class Village:
    def __init__(self, index: int, name: str) -> None:
        self.index, self.name = index, name
        self.rng = rng = random.Random(15_000 + index)
        self.township = TOWNSHIPS[index % len(TOWNSHIPS)]
        self.layout = ("files", "book", "loose")[index % 3]
        names: list[str] = []
        size = rng.randint(45, 60)
        while len(names) < size:
            n = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if n not in names:
                names.append(n)
        self.members = [self._member(i, n) for i, n in enumerate(names)]
        plain = self.members[len(OFFICES) :]
        for m in plain[0:2]:
            m["人员类别"] = "预备党员"
            m["入党时间"] = dt.date(YEAR - 1, rng.randint(3, 10), 1)
        for m in plain[2:4]:
            m["人员类别"], m["入党时间"] = "入党积极分子", None
        for m in plain[4:6]:
            m["身体状况"], m["免于积分"] = "长期卧床", "是"
        for m in plain[6 : 6 + rng.randint(4, 8)]:
            m["流动情况"] = "外出务工"
            m["外出时间"] = dt.date(YEAR - rng.randint(0, 3), rng.randint(1, 6), rng.randint(1, 28))
            m["外出去向"] = rng.choice(["郑州", "广州", "深圳", "上海", "苏州", "北京"])

    def _member(self, i: int, name: str) -> dict:
        rng = self.rng
        born = dt.date(rng.randint(1945, 1998), rng.randint(1, 12), 1)
        return {
            "编号": f"{i + 1:03d}",
            "姓名": name,
            "性别": rng.choice("男男男女"),
            "出生年月": born,
            "入党时间": dt.date(min(born.year + rng.randint(20, 40), 2023), rng.randint(1, 12), 1),
            "人员类别": "正式党员",
            "职务": OFFICES[i] if i < len(OFFICES) else "",
            "联系方式": f"13{rng.randint(100000000, 999999999)}",
            "详细住址": f"{self.name}{rng.randint(1, 8)}组{rng.randint(1, 60)}号",
            "身体状况": "健康",
            "困难情况": "",
            "流动情况": "",
            "外出时间": None,
            "外出去向": "",
            "免于积分": "",
            "备注": "",
        }

    def scored(self) -> list[dict]:
        return [m for m in self.members if not m["免于积分"]]

    def roster_rows(self) -> list[list]:
        rows = []
        for i, m in enumerate(self.members):
            row = [m[h] for h in ROSTER]
            row[3], row[4] = month_text(m["出生年月"], i), month_text(m["入党时间"], i)
            row[12] = date_text(m["外出时间"], i + 1)
            rows.append(row)
        return rows

    def ledger_rows(self) -> list[list]:
        rng = self.rng
        scored = self.scored()
        rows = []
        for k in range(rng.randint(320, 380)):
            m = rng.choice(scored)
            day = dt.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
            roll = rng.random()
            if roll < 0.15:
                kind, (item, value) = "贡献加分", rng.choice(CATALOGUE)
            elif roll < 0.88:
                deed = rng.choice(DEEDS).format(who=rng.choice(ELDERS), place=rng.choice(PLACES))
                kind, item, value = "贡献加分", f"{day.month}月{day.day}日{deed}", rng.choice([1, 2, 2, 3, 3, 5])
            elif roll < 0.97:
                kind, item, value = "违规扣分", rng.choice(DEDUCTS), rng.choice([2, 3, 5])
            else:
                kind, item, value = "基础积分", "未按时交纳党费", -5
            shown = [value, f"{value}分", str(value)][k % 3]
            rows.append(
                [
                    date_text(day, k),
                    m["姓名"],
                    kind,
                    item,
                    shown,
                    rng.choice(["支委会记录", "群众证实", "活动签到表", "照片"]),
                    rng.choice(["支委会", "支委会", "支部大会"]),
                    "组织委员",
                    "有效",
                    "",
                ]
            )
        rows.sort(key=lambda r: str(r[0]))
        return rows

    def groups(self) -> dict[str, list[dict]]:
        eligible = [
            m
            for m in self.members
            if not m["职务"] and m["人员类别"] != "入党积极分子" and not m["免于积分"] and not m["流动情况"]
        ]
        groups: dict[str, list[dict]] = {p[0]: [] for p in POSTS}
        for i, m in enumerate(eligible):
            groups[POSTS[i % len(POSTS)][0]].append(m)
        return groups

    def contact_rows(self) -> list[list]:
        rng = self.rng
        rows = []
        for k, m in enumerate(m for m in self.members if m["流动情况"]):
            for q in (1, 2, 3, 4) if k else (1, 2, 4):  # one missed quarter per village
                day = dt.date(YEAR, q * 3 - rng.randint(0, 2), rng.randint(1, 28))
                rows.append(
                    [date_text(day, k + q), m["姓名"], rng.choice(["电话", "微信", "书面"]), "汇报思想和工作情况"]
                )
        return rows


class Book:
    """An xlsxwriter workbook with fixed metadata and the few formats the registers need."""

    def __init__(self, path: Path) -> None:
        self.wb = xlsxwriter.Workbook(str(path))
        self.wb.set_properties({"created": dt.datetime(2026, 1, 5, 9, 0), "author": "组织委员"})
        self.title = self.wb.add_format({"bold": True, "font_size": 14, "align": "center"})
        self.date = self.wb.add_format({"num_format": "yyyy-mm-dd"})

    def row(self, ws, r: int, values: list) -> None:
        for c, v in enumerate(values):
            if isinstance(v, dt.date):
                ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), self.date)
            elif v is not None and v != "":
                ws.write(r, c, v)

    def table(self, sheet: str, title: str, header: list[str], rows: list[list], foot: str = "") -> None:
        ws = self.wb.add_worksheet(sheet)
        r = 0
        if title:
            ws.merge_range(0, 0, 0, len(header) - 1, title, self.title)
            r = 1
        ws.write_row(r, 0, header)
        for k, values in enumerate(rows, start=r + 1):
            self.row(ws, k, values)
        if foot:
            ws.write(r + len(rows) + 2, 0, foot)

    def close(self) -> None:
        self.wb.close()


def write_xls(path: Path, sheet: str, title: str, header: list[str], rows: list[list]) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    ws.write_merge(0, 0, 0, len(header) - 1, title)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, h in enumerate(header):
        ws.write(1, c, h)
    for r, row in enumerate(rows, start=2):
        for c, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write(r, c, dt.datetime(v.year, v.month, v.day), date_style)
            elif v is not None and v != "":
                ws.write(r, c, v)
    book.save(str(path))


def one_bian(book: Book, v: Village, titled: bool) -> None:
    """岗位清单 (附件1), 定岗编组台账 (附件2 blocks) and 履岗记实台账 (附件3, one block per group a month)."""
    rng = random.Random(v.index * 7 + 1)
    book.table(
        "岗位清单",
        f"{v.name}无职党员岗位清单" if titled else "",
        ["序号", "岗位名称", "职责任务", "标准要求"],
        [[i + 1, *p] for i, p in enumerate(POSTS)],
    )
    groups = v.groups()
    officers = [m for m in v.members if m["职务"]]
    duties = {p[0]: p[1] for p in POSTS}
    ws = book.wb.add_worksheet("定岗编组台账")
    ws.merge_range(0, 0, 0, len(GROUP_HEADER) - 1, f"{v.name}无职党员定岗编组台账", book.title)
    r = 1
    for gi, (post, members) in enumerate(groups.items()):
        ws.write(r, 0, f"编组名称：{post.removesuffix('岗')}组")
        ws.write_row(r + 1, 0, ["包组干部", officers[gi % len(officers)]["姓名"]])
        ws.write_row(r + 2, 0, ["组  长", members[0]["姓名"]])
        ws.write_row(r + 3, 0, GROUP_HEADER)
        r += 4
        for m in members:
            book.row(
                ws,
                r,
                [
                    m["姓名"],
                    m["性别"],
                    month_text(m["出生年月"], 1),
                    month_text(m["入党时间"], 1),
                    m["联系方式"],
                    duties[post],
                    "履职尽责，服务群众",
                    m["详细住址"],
                    "",
                ],
            )
            r += 1
        r += 1
    ws = book.wb.add_worksheet("履岗记实台账")
    ws.write(0, 0, f"{v.name}无职党员履岗记实台账")
    r = 1
    for post, members in groups.items():
        for month in range(1, 13):
            ws.write(r, 0, f"编组名称：{post.removesuffix('岗')}组")
            ws.write(r, 3, f"时间：{YEAR}年{month}月")
            ws.write_row(r + 1, 0, DUTY_HEADER)
            r += 2
            for k in range(rng.randint(1, 3)):
                day = dt.date(YEAR, month, rng.randint(1, 28))
                active = [m["姓名"] for m in members if rng.random() < 0.7] or [members[0]["姓名"]]
                text = f"{post.removesuffix('岗')}：{rng.choice(DEEDS).format(who=rng.choice(ELDERS), place=rng.choice(PLACES))}"
                book.row(ws, r, [date_text(day, k), "、".join(active), text, "群众满意", ""])
                r += 1
            ws.write(r, 0, "组长签字：")
            ws.write(r, 3, "包组干部签字：")
            r += 2


def write_village(root: Path, v: Village) -> list[Path]:
    township = root / v.township
    if v.layout == "loose":
        folder, prefix, full = township, v.name, f"{v.township}{v.name}党支部"
    else:
        folder, prefix, full = township / v.name, "", f"{v.name}党支部"
    folder.mkdir(parents=True, exist_ok=True)
    titled = v.layout != "book"  # the one-workbook villages write no titles: the folder names them
    old_roster, old_contacts = v.index % 20 == 5, v.index % 20 == 9
    written = []

    def path(name: str) -> Path:
        written.append(folder / f"{prefix}{name}")
        return written[-1]

    if v.layout == "book":
        book = Book(path(f"{YEAR}年党建台账汇总.xlsx"))
        book.table("名册", "", ROSTER, v.roster_rows())
        book.table("积分台账", "", LEDGER, v.ledger_rows())
        book.table("流动党员联系", "", CONTACTS, v.contact_rows())
        book.table("说明", "", ["填表说明"], [["本工作簿由组织委员维护，每月15日前更新。"]])
        book.close()
    else:
        if old_roster:
            write_xls(path("党员名册.xls"), "党员名册", f"{full}党员名册", ROSTER, v.roster_rows())
        else:
            book = Book(path("党员名册.xlsx"))
            book.table(
                "党员名册", f"{full}党员名册", ROSTER, v.roster_rows(), "制表人：组织委员        审核人：支部书记"
            )
            book.close()
        book = Book(path(f"积分台账{YEAR}.xlsx"))
        book.table(
            "积分台账", f"{full}{YEAR}年党员积分台账", LEDGER, v.ledger_rows(), "登记人签字：            支部书记签字："
        )
        book.close()
        if old_contacts:
            write_xls(path("流动党员联系台账.xls"), "联系台账", f"{full}流动党员联系台账", CONTACTS, v.contact_rows())
        else:
            book = Book(path("流动党员联系台账.xlsx"))
            book.table("联系台账", f"{full}流动党员联系台账", CONTACTS, v.contact_rows())
            book.close()
    book = Book(path("一编三定台账.xlsx"))
    one_bian(book, v, titled)
    book.close()
    return written


def make_real_county(target: Path, count: int) -> list[Path]:
    """Write (once; cached by a marker file) the county of `count` villages; all its workbook paths."""
    marker = target / ".complete"
    paths = []
    for i, name in enumerate(village_names(count), start=1):
        v = Village(i, name)
        if marker.exists():
            paths.extend(expected_paths(target, v))
        else:
            paths.extend(write_village(target, v))
    (target / "dangyuan.toml").write_text('# 基准县：默认规则\narea = "示范县"\n', encoding="utf-8")
    marker.touch()
    return paths


def county_stats(count: int) -> tuple[int, int]:
    """(members, ledger rows) of the county of `count` villages, regenerated from the seeds."""
    members = rows = 0
    for i, name in enumerate(village_names(count), start=1):
        v = Village(i, name)
        members, rows = members + len(v.members), rows + len(v.ledger_rows())
    return members, rows


def expected_paths(root: Path, v: Village) -> list[Path]:
    folder = root / v.township / ("" if v.layout == "loose" else v.name)
    prefix = v.name if v.layout == "loose" else ""
    if v.layout == "book":
        names = [f"{YEAR}年党建台账汇总.xlsx"]
    else:
        names = [
            "党员名册.xls" if v.index % 20 == 5 else "党员名册.xlsx",
            f"积分台账{YEAR}.xlsx",
            "流动党员联系台账.xls" if v.index % 20 == 9 else "流动党员联系台账.xlsx",
        ]
    return [folder / f"{prefix}{n}" for n in [*names, "一编三定台账.xlsx"]]

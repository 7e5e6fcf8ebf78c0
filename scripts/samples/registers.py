"""The township's registers beside the branch folders (流动党员联系, 发展党员记实, 民主评议票,
后进党员转化) and each branch's 承诺践诺 and 先锋超市 registers. Each writer has its own random
generator, so adding one left every other sample file as it was."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook

from samples.layouts import date_text, month_text, save, sheet_with
from samples.people import YEAR, Branch, label

# The quarters with a contact, by position among a branch's away members (the rest: all four):
# the first has none after Q1 (→ 失联), the second misses Q3.
CONTACT_QUARTERS = {0: [1], 1: [1, 2, 4]}


def away_members(b: Branch) -> list[dict]:
    return [m for m in b.members if m["外出务工"]]


def township_rows(branches: list[Branch]) -> tuple[list[list], list[list], list[list]]:
    """(contacts, development, ballots) rows of the township workbook, each with a 党支部 column."""
    rng = random.Random(99)
    rows = []
    for b in branches:
        for k, m in enumerate(away_members(b)):
            for q in CONTACT_QUARTERS.get(k, [1, 2, 3, 4]):
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
                # each branch's first activist mostly 优秀, the second mostly 差 (→ 取消资格), the third near half
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
    return rows, dev, ballots


def write_township(root: Path, branches: list[Branch]) -> None:
    """Township-wide registers with a 党支部 column: floating-member contacts, development, ballots."""
    contacts, dev, ballots = township_rows(branches)
    wb = Workbook()
    wb.remove(wb.active)
    sheet_with(wb, "城关镇流动党员联系台账", "联系台账", ["党支部", "联系日期", "姓名", "方式", "内容"], contacts)
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
    save(wb, root / "城关镇流动党员与发展党员台账.xlsx")


# People of the 发展党员记实 not on a roster: (branch, name, born, applied, activist, candidate)
APPLICANTS = [
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
# 发展对象 10 months after becoming 积极分子 (the rule asks 12): a warning of `develop`
INTERVAL_VIOLATION = ("南岭社区", "龚文博")


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
    for branch, name, born, applied, activist, candidate in APPLICANTS:
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
    save(wb, root / "城关镇发展党员记实.xlsx")


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


def committers(b: Branch) -> list[dict]:
    """The members who could write commitments and redeem points (ranked, not moved)."""
    return [
        m
        for m in b.members
        if m["人员类别"] != "入党积极分子" and not m["免于积分"] and not m["转出日期"] and not m["转入日期"]
    ]


def without_commitment(b: Branch) -> list[dict]:
    return [m for k, m in enumerate(committers(b)) if k % 11 == 10]


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
        ranked = committers(b)
        rows = []
        for k, m in enumerate(ranked):
            if k % 11 == 10:  # a few make no commitment: the 督诺 list (`without_commitment`)
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
        save(wb, root / b.name / f"承诺践诺台账{YEAR}.xlsx")
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
        save(wb, root / b.name / "先锋超市兑换台账.xlsx")
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
    """The township's 第八党支部 register: the points' 后进党员 (`Branch.roles`: laggard, weak)."""
    rows = []
    for b in branches:
        roles = b.roles()
        laggard, weak = roles["laggard"], roles["weak"]
        secretary = b.members[0]["姓名"]
        if b.name == "东关村":  # overdue: 6 months passed on 2025-11-06 without a result; weak not entered
            rows.append([f"{b.name}党支部", label(laggard), "2025-05-06", secretary, "", ""])
        elif b.name == "西河村":  # converted on the exact day 6 months end; the next helper is not in office
            rows.append([f"{b.name}党支部", label(laggard), "2025.3.1", secretary, "合格", "2025.9.1"])
            rows.append([f"{b.name}党支部", label(weak), "2025年8月15日", label(roles["first_plain"]), "", ""])
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
    save(wb, root / "城关镇后进党员转化台账.xlsx")


FIVE_STAR_BRANCH = "东关村"
RULES = f"""# 城关镇规则文件：焦作方案，{FIVE_STAR_BRANCH}为五星党组织（五星、四星名额可×1.2）
preset = "jiaozuo"
area = "城关镇"

[branches."{FIVE_STAR_BRANCH}"]
rating = 5

[[branches."西河村".items]]
name = "捐资修路"
type = "贡献加分"
points = 5
"""

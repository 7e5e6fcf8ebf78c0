"""The people of the sample township: three branches' rosters and a year of points entries per
branch, with the planted cases on named roles (`Branch.roles`) so the manifest can list them."""

from __future__ import annotations

import datetime as dt
import random

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
TRANSFERRED_IN = dt.date(YEAR, 5, 1)
TRANSFERRED_OUT = dt.date(YEAR, 9, 30)

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

    def roles(self) -> dict[str, dict]:
        """The members each planted case of `entries()` falls on (also listed in the manifest)."""
        scored = self.scored()
        plain = [m for m in scored if not m["职务"] and m["人员类别"] == "正式党员"]
        probationary = [m for m in scored if m["人员类别"] == "预备党员"]
        activists = [m for m in scored if m["人员类别"] == "入党积极分子"]
        return {
            "laggard": plain[-1],  # 后进 (003): below base, no contribution, one major deduction
            "weak": plain[-2],  # a one-star member: many deductions
            "first_plain": plain[0],
            "probationary_two_star": probationary[1],  # 东关村 only: 二星 → 延长预备期审查
            "activist_low_twice": activists[2],  # 西河村 only: below 100 two years → 取消资格
            "activist_low": activists[0],  # 南岭社区 only
            "secretary_idle": scored[0],  # 南岭社区 only: no contribution → 上级约谈
            "revoked": scored[len(scored) // 2],
            "award": scored[0],  # a county award twice, counted once (mode highest)
            # 西河村's veto hits a probationary member
            "vetoed": scored[5] if self.name != "西河村" else probationary[0],
            "uncatalogued": scored[1],  # 捐资修路: not in the catalogue (but 西河村 adds it)
        }

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
        roles = self.roles()
        laggard, weak = roles["laggard"], roles["weak"]
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
        if self.name == "东关村" and year == YEAR:  # a probationary member at 二星 → 延长预备期审查
            two_star = roles["probationary_two_star"]
            rows = [r for r in rows if r["姓名"] != label(two_star)]
            rows.append(self._entry(dt.date(year, 7, 9), two_star, "违规扣分", "不落实党组织分配工作", 5, rng))
        if self.name == "西河村":  # an activist below 100 two years running → 取消资格
            low = roles["activist_low_twice"]
            rows = [r for r in rows if r["姓名"] != label(low)]
            rows.append(self._entry(dt.date(year, 6, 2), low, "违规扣分", "不参加组织生活", 5, rng))
        if self.name == "南岭社区" and year == YEAR:
            # the branch secretary with no contribution this year (三星及以下 → 上级约谈)
            idle, low = roles["secretary_idle"], roles["activist_low"]
            rows = [r for r in rows if not (r["姓名"] == label(idle) and r["积分类型"] == "贡献加分")]
            rows = [r for r in rows if r["姓名"] != label(low)]
            rows.append(self._entry(dt.date(year, 3, 2), low, "基础积分", "无故不参加三会一课", -5, rng))
        if year == YEAR:
            # a revoked entry (003: 扫的是他家和堂兄弟门口的路)
            revoked = self._entry(dt.date(year, 5, 18), roles["revoked"], "贡献加分", "志愿服务", 5, rng)
            revoked["事项"] = "义务打扫街巷"
            revoked["状态"], revoked["撤销原因"] = "撤销", "群众反映只扫了自家门口，本人承认"
            rows.append(revoked)
            # a county-level award counted once (mode highest)
            rows.append(self._entry(dt.date(year, 6, 30), roles["award"], "贡献加分", "获得县级以上表彰", 10, rng))
            rows.append(self._entry(dt.date(year, 12, 1), roles["award"], "贡献加分", "获得县级以上表彰", 8, rng))
            # a veto (004: 一票否决须经支部大会认定) — in 西河村 it hits a probationary member
            rows.append(self._entry(dt.date(year, 8, 20), roles["vetoed"], "一票否决", "受到刑事处罚", None, rng))
            # an entry not in the catalogue (a warning: 未列入项目清单)
            rows.append(self._entry(dt.date(year, 3, 12), roles["uncatalogued"], "贡献加分", "捐资修路", 6, rng))
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


def township() -> list[Branch]:
    """The three branches, with the cases planted on the rosters."""
    branches = [Branch("东关村", 48, 1), Branch("西河村", 36, 2), Branch("南岭社区", 28, 3)]
    # transfers: one member came to 西河村 in May (earlier entries are not its own), one left 南岭社区
    branches[1].members[30]["转入日期"] = TRANSFERRED_IN
    branches[2].members[10]["转出日期"] = TRANSFERRED_OUT
    # two members share a name in 西河村, told apart by 编号
    twin, other = branches[1].members[20], branches[1].members[25]
    other["姓名"] = twin["姓名"]
    for m in (twin, other):
        m["称呼"] = f"{m['姓名']}（{m['编号']}）"
    return branches

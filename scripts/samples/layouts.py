"""How the sample registers are laid out: the way clerks type dates and numbers, sheets with
titles and signature lines, the roster and points sheets of 东关村 (one file each, an old `.xls`)
and of 西河村/南岭社区 (one summary workbook), and each branch's 一编三定台账."""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from dangyuan_cli.publish.files import FixedTimeZip
from samples.people import POSTS, YEAR, Branch, label

FW = str.maketrans("0123456789-", "０１２３４５６７８９－")
STAMP = dt.datetime(2026, 1, 5, 9, 0, 0)
DUTY_GAP = ("村情民意收集岗", (7, 8))  # a group with no 履岗记实 in these months


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


def save(wb: Workbook, path: Path) -> None:
    """Saves with fixed metadata and zip dates, so `make samples` twice gives the same bytes
    (openpyxl's own save stamps the current time in docProps/core.xml and in every zip entry)."""
    wb.properties.created = wb.properties.modified = STAMP
    wb.properties.creator = wb.properties.lastModifiedBy = "组织委员"
    buffer = io.BytesIO()
    with FixedTimeZip(buffer) as archive:
        ExcelWriter(wb, archive).save()
    path.write_bytes(buffer.getvalue())


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


def write_branch_dongguan(root: Path, b: Branch) -> dict[int, int]:
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
    save(wb, folder / "党员名册.xlsx")

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
    save(wb, folder / f"积分台账{YEAR}.xlsx")

    header = ["日期", "姓名", "积分类型", "事项", "分值", "证明人", "认定", "登记人", "状态", "撤销原因"]
    write_xls(
        folder / f"积分台账{YEAR - 1}.xls",
        "积分台账",
        f"{b.name}党支部{YEAR - 1}年积分台账",
        header,
        points_rows(b.entries(YEAR - 1), header, False),
    )
    return write_one_bian(folder, b, with_groups=True)


def write_one_bian(folder: Path, b: Branch, with_groups: bool) -> dict[int, int]:
    """岗位清单, 认岗申报, 定岗编组台账 (附件2) and 履岗记实台账 (附件3); returns how many
    participations the 履岗记实 has in each month (for the manifest)."""
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
    participations: dict[int, int] = {}
    # 履岗记实: one block per group per month; the DUTY_GAP group skips two months on purpose
    ws = wb.create_sheet("履岗记实台账")
    ws.cell(1, 1, f"{b.name}无职党员履岗记实台账")
    r = 2
    for post, members in groups.items():
        for month in range(1, 13):
            if post == DUTY_GAP[0] and month in DUTY_GAP[1]:
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
                participations[month] = participations.get(month, 0) + len(active)
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
    save(wb, folder / "一编三定台账.xlsx")
    return participations


def write_branch_summary(root: Path, b: Branch) -> dict[int, int]:
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
    save(wb, folder / f"{YEAR}年党建台账汇总.xlsx")
    return write_one_bian(folder, b, with_groups=False)

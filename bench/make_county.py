"""The old bench county (issue 6): N branch workbooks, 60 members and 720 entries each.

Deterministic (seeded). Written with xlsxwriter for speed; each workbook looks like a clerk's:
a merged title, a roster sheet and a points sheet with text dates and `分` suffixes.
The realistic county of issue 15 (10 townships, 3–4 files per village) is in real_county.py.
Usage: python bench/make_county.py DIR [N]          (old county)
       python bench/make_county.py --real DIR [N]   (realistic county)
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from samples.people import GIVEN, SURNAMES

ITEMS = [
    ("贡献加分", "志愿服务", 2),
    ("贡献加分", "帮扶困难群众", 3),
    ("贡献加分", "带头致富", 5),
    ("违规扣分", "不参加组织生活", 5),
]
ROSTER = ["编号", "姓名", "性别", "出生年月", "入党时间", "人员类别", "职务", "联系方式"]
POINTS = ["日期", "姓名", "积分类型", "事项", "分值", "认定", "状态"]


def branch_book(path: Path, index: int, members: int = 60, entries: int = 720) -> None:
    rng = random.Random(index)
    name = f"第{index:03d}村"
    names: list[str] = []
    while len(names) < members:
        n = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        if n not in names:
            names.append(n)
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": dt.datetime(2026, 1, 1)})
    title = wb.add_format({"bold": True, "font_size": 16, "align": "center"})
    ws = wb.add_worksheet("党员名册")
    ws.merge_range(0, 0, 0, len(ROSTER) - 1, f"{name}党支部党员名册", title)
    ws.write_row(1, 0, ROSTER)
    for r, person in enumerate(names, start=2):
        born = f"{rng.randint(1950, 1998)}.{rng.randint(1, 12)}"
        ws.write_row(
            r,
            0,
            [
                f"{r - 1:03d}",
                person,
                rng.choice("男女"),
                born,
                f"{int(born[:4]) + 25}年7月",
                "正式党员",
                "",
                "13900000000",
            ],
        )
    ws = wb.add_worksheet("积分台账")
    ws.merge_range(0, 0, 0, len(POINTS) - 1, f"{name}党支部2025年积分台账", title)
    ws.write_row(1, 0, POINTS)
    for r in range(2, entries + 2):
        kind, item, value = rng.choice(ITEMS)
        day = f"2025.{rng.randint(1, 12)}.{rng.randint(1, 28)}"
        ws.write_row(r, 0, [day, rng.choice(names), kind, item, f"{value}分", "支委会", ""])
    wb.close()


def make_county(target: Path, count: int) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, count + 1):
        folder = target / f"第{i:03d}村"
        folder.mkdir(exist_ok=True)
        path = folder / "台账.xlsx"
        if not path.exists():
            branch_book(path, i)
        paths.append(path)
    return paths


if __name__ == "__main__":
    real = "--real" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--real"]
    count = int(args[1]) if len(args) > 1 else 500
    if real:
        from real_county import make_real_county

        make_real_county(Path(args[0]), count)
    else:
        make_county(Path(args[0]), count)

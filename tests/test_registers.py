"""Register recognition on workbooks built in the test: titles, aliases, blocks, .xls, defects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import entry, member, points_rows, roster_rows, write_book
from dangyuan_cli.registers.frames import contacts_frame, duty_records, entries_frame
from dangyuan_cli.registers.workspace import load_workspace


def messages(ws) -> list[str]:
    return [p.format() for p in ws.problems if p.severity == "error"]


def test_roster_found_under_title_rows_by_its_aliases(tmp_path: Path) -> None:
    rows = [
        ["城关镇东关村党支部党员名册"],
        ["填报日期：2025年12月"],
        [],
        ["序号", "姓 名", "性别", "出生日期", "入党日期", "身份", "手机", "住址"],
        [1, "张三", "男", "1960.5", "1985年7月", "正式", "13800000000", "一组"],
        [2, "李四", "女", "1990-01", "2020.7", "预备", "", ""],
        [3, None, None, None, None, None, None, None],  # a pre-numbered empty row
        ["制表人：王五        审核人：赵六"],
    ]
    write_book(tmp_path / "名册.xlsx", {"Sheet1": rows})
    ws = load_workspace(tmp_path)
    assert messages(ws) == []
    [table] = ws.tables
    assert (table.register.key, table.branch, table.header_row) == ("roster", "东关村", 4)
    first, second = table.rows
    assert first.values["出生年月"].date == dt.date(1960, 5, 1)
    assert second.values["人员类别"] == "预备党员"
    assert first.values["联系方式"] == "13800000000"
    assert len(table.rows) == 2


def test_branch_comes_from_the_column_then_title_then_folder(tmp_path: Path) -> None:
    write_book(
        tmp_path / "西河村" / "名册.xlsx",
        {"名册": [["姓名", "出生年月", "入党时间"], ["甲", "1970.1", "1999.1"]]},
    )
    write_book(
        tmp_path / "镇" / "联系.xlsx",
        {"联系": [["党支部", "日期", "姓名", "方式"], ["西河村党支部", "2025-1-5", "甲", "电话"]]},
    )
    ws = load_workspace(tmp_path)
    assert messages(ws) == []
    assert ws.branches == ["西河村"]
    # the township-wide register's row counts for 甲 of 西河村
    assert contacts_frame(ws)[["branch", "member_id"]].values.tolist() == [["西河村", "西河村-甲"]]


def test_one_workbook_may_hold_several_registers(tmp_path: Path) -> None:
    write_book(
        tmp_path / "东关村" / "台账.xlsx",
        {
            "名册": roster_rows(member("张三")),
            "积分": points_rows(entry("2025-3-1", "张三", "贡献加分", "志愿服务", "2分")),
            "说明": [["本表每月更新"]],
        },
    )
    ws = load_workspace(tmp_path)
    assert sorted(t.register.key for t in ws.tables) == ["points", "roster"]
    assert [p.severity for p in ws.problems] == ["warning"]


def test_group_blocks_carry_their_group_name_and_leaders(tmp_path: Path) -> None:
    header = ["姓名", "性别", "出生年月", "入党时间", "联系方式", "职责任务", "服务承诺", "详细住址", "备注"]
    rows = [
        ["东关村无职党员定岗编组台账"],
        ["编组名称：环境卫生组"],
        ["包组干部", "王书记"],
        ["组  长", "张三"],
        header,
        ["张三", "男", "1970.1", "1999.1", "", "维护卫生", "服务群众", "", ""],
        [],
        ["编组名称：调解组"],
        ["包组干部：李主任"],
        ["组长：李四"],
        header,
        ["李四", "男", "1971.1", "1998.1", "", "调解纠纷", "", "", ""],
    ]
    write_book(tmp_path / "东关村" / "编组.xlsx", {"编组": rows, "名册": roster_rows(member("张三"), member("李四"))})
    ws = load_workspace(tmp_path)
    assert messages(ws) == []
    groups = ws.tables_of("groups")[0].rows
    assert [(r.context["编组名称"], r.context["组长"], r.context["包组干部"]) for r in groups] == [
        ("环境卫生组", "张三", "王书记"),
        ("调解组", "李四", "李主任"),
    ]


def test_duty_blocks_skip_signature_lines(tmp_path: Path) -> None:
    rows = [
        ["东关村无职党员履岗记实台账"],
        ["编组名称：环境卫生组", None, None, "时间：2025年7月"],
        ["活动时间", "参与党员", "履岗内容", "取得成效", "备注"],
        ["2025.7.3", "张三、李四", "清扫街道", "干净", ""],
        ["组长签字：", None, None, "包组干部签字："],
        ["注：开展活动要注意保留照片等资料。"],
    ]
    write_book(tmp_path / "东关村" / "履岗.xlsx", {"履岗": rows, "名册": roster_rows(member("张三"), member("李四"))})
    ws = load_workspace(tmp_path)
    assert messages(ws) == []
    [row] = ws.tables_of("duty")[0].rows
    assert row.context == {"编组名称": "环境卫生组", "时间": "2025年7月"}
    assert duty_records(ws)["participants"].tolist() == ["张三、李四"]


def test_old_xls_files_are_read(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名册")
    sheet.write_merge(0, 0, 0, 2, "东关村党支部党员名册")
    for c, h in enumerate(["姓名", "出生年月", "入党时间"]):
        sheet.write(1, c, h)
    sheet.write(2, 0, "张三")
    sheet.write(2, 1, dt.datetime(1970, 3, 1), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    sheet.write(2, 2, "1995.7")
    (tmp_path / "东关村").mkdir()
    book.save(str(tmp_path / "东关村" / "名册.xls"))
    ws = load_workspace(tmp_path)
    assert messages(ws) == []
    [row] = ws.tables[0].rows
    assert row.values["出生年月"].date == dt.date(1970, 3, 1)


def test_lock_files_and_outputs_are_skipped(tmp_path: Path) -> None:
    write_book(tmp_path / "东关村" / "名册.xlsx", {"名册": roster_rows(member("张三"))})
    (tmp_path / "东关村" / "~$名册.xlsx").write_bytes(b"owner file")
    write_book(tmp_path / "输出" / "2025" / "结果.xlsx", {"x": roster_rows(member("王五"))})
    ws = load_workspace(tmp_path)
    assert ws.files == ["东关村/名册.xlsx"]


def test_every_defect_is_one_located_problem(tmp_path: Path) -> None:
    write_book(
        tmp_path / "东关村" / "台账.xlsx",
        {
            "名册": roster_rows(member("张三"), member("李四", born="1990.5", joined="1985.1")),
            "积分": points_rows(
                entry("2025-02-30", "张三", "贡献加分", "志愿服务", 2),
                entry("2025-03-01", "张三", "贡献加分", "志愿服务", "五分"),
                entry("2025-03-02", "张三", "奖励分", "志愿服务", 2),
                entry("2025-03-03", "张三", "贡献加分", "志愿服务", -2),
                entry("2025-03-04", "张山", "贡献加分", "志愿服务", 2),
            ),
        },
    )
    ws = load_workspace(tmp_path)
    found = messages(ws)
    where = "东关村/台账.xlsx"
    assert any(m.startswith(f"{where}:名册!E4: 入党时间") and "早于出生年月" in m for m in found)
    assert any(m.startswith(f"{where}:积分!A3: 日期") and "不存在" in m for m in found)
    assert any(m.startswith(f"{where}:积分!E4: 分值") and "不是数字" in m for m in found)
    assert any(
        m.startswith(f"{where}:积分!C5: 积分类型") and "基础积分、贡献加分、违规扣分、一票否决" in m for m in found
    )
    assert any(m.startswith(f"{where}:积分!E6: 贡献加分不能为负数") for m in found)
    assert any(m.startswith(f"{where}:积分!B7: “张山”不在东关村的党员名册中；是否为：张三") for m in found)
    assert len(found) == 6


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    write_book(
        tmp_path / "东关村" / "积分.xlsx",
        {"积分": [["东关村积分台账"], ["日期", "姓名", "事项", "分值"], ["2025-1-1", "张三", "志愿服务", 2]]},
    )
    ws = load_workspace(tmp_path)
    assert messages(ws) == [
        "东关村/积分.xlsx:积分!A2: 像是积分台账，但缺少必填列“积分类型”；请补上该列（也可写作：类型、积分类别），此表的数据未读取"
    ]


def test_corrupt_and_empty_workbooks_are_problems_not_crashes(tmp_path: Path) -> None:
    (tmp_path / "坏文件.xlsx").write_bytes(b"this is not a zip file")
    write_book(tmp_path / "空.xlsx", {"Sheet1": []})
    write_book(tmp_path / "只有标题.xlsx", {"Sheet1": [["东关村党支部积分台账"]]})
    ws = load_workspace(tmp_path)
    text = [p.format() for p in ws.problems]
    assert any(t.startswith("坏文件.xlsx: 无法读取此文件") for t in text)
    assert any(t.startswith("空.xlsx: 工作簿是空的") for t in text)
    assert any(t.startswith("只有标题.xlsx:Sheet1: 只有标题“东关村党支部积分台账”") for t in text)


def test_same_name_needs_a_number_and_references_must_use_it(tmp_path: Path) -> None:
    write_book(
        tmp_path / "东关村" / "台账.xlsx",
        {
            "名册": roster_rows(
                member("王伟", 编号="3"),
                member("王伟", born="1990.1", 编号="7"),
                member("刘静"),
                member("刘静", born="1991.2"),
            ),
            "积分": points_rows(
                entry("2025-3-1", "王伟（7）", "贡献加分", "志愿服务", 2),
                entry("2025-3-2", "王伟", "贡献加分", "志愿服务", 2),
                entry("2025-3-3", "刘静(1991.2)", "贡献加分", "志愿服务", 2),
            ),
        },
    )
    ws = load_workspace(tmp_path)
    found = messages(ws)
    assert found == [
        "东关村/台账.xlsx:积分!B4: 名册中有2人叫“王伟”：王伟（编号3，出生1980年5月）；王伟（编号7，出生1990年1月）；请写成“王伟（编号）”或在“编号”列中填写以区分"
    ]
    # the two entries that tell the member apart count for them; the ambiguous one counts for nobody
    entries = entries_frame(ws)
    assert entries[["row", "member_id"]].values.tolist() == [[3, "东关村-7"], [5, "东关村-刘静（1991.2）"]]


def test_same_name_without_any_distinction_is_one_error_listing_the_rows(tmp_path: Path) -> None:
    write_book(tmp_path / "东关村" / "名册.xlsx", {"名册": roster_rows(member("王伟"), member("王伟"))})
    found = messages(load_workspace(tmp_path))
    assert len(found) == 1
    assert found[0].startswith("东关村/名册.xlsx:名册!B3: 名册中有2行都是“王伟（出生1980年5月）”（名册!B3、名册!B4）")
    assert "不同的编号或出生年月" in found[0]

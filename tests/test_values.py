"""Cell parsers: every value form SPEC §2 lists, and property tests."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangyuan_cli.registers import values as v

FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    "raw",
    [
        dt.date(2025, 3, 15),
        dt.datetime(2025, 3, 15, 0, 0),
        "2025-03-15",
        "2025/3/15",
        "2025.3.15",
        "2025年3月15日",
        "20250315",
        20250315,
        45731,  # Excel serial
        45731.0,
        "２０２５年３月１５日",
        " 2025-03-15 00:00:00 ",
    ],
)
def test_day_dates(raw: object) -> None:
    assert v.parse_date(raw).date == dt.date(2025, 3, 15)


@pytest.mark.parametrize("raw", ["2025.3", "2025年3月", "2025-03", "202503", 2025.3, "２０２５.３"])
def test_month_precision_dates(raw: object) -> None:
    parsed = v.parse_date(raw, allow_month=True)
    assert (parsed.date, parsed.precision) == (dt.date(2025, 3, 1), "month")


def test_month_precision_refused_where_a_day_is_needed() -> None:
    with pytest.raises(v.CellError, match="缺少日"):
        v.parse_date("2025.3")


@pytest.mark.parametrize("raw", ["2025-02-30", "2025年13月1日", "2023.2.29"])
def test_impossible_dates_are_errors(raw: str) -> None:
    with pytest.raises(v.CellError, match="不存在"):
        v.parse_date(raw)


@pytest.mark.parametrize("raw", ["三月五日", "明年", "2025-3-x"])
def test_unreadable_dates_say_how_to_write_them(raw: str) -> None:
    with pytest.raises(v.CellError, match="2025年3月15日"):
        v.parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (5, 5),
        ("5", 5),
        ("+5", 5),
        ("5分", 5),
        ("５", 5),
        ("－3", -3),
        ("-3分", -3),
        ("2.5", 2.5),
        (" 10 ", 10),
    ],
)
def test_numbers(raw: object, expected: float) -> None:
    assert v.parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["五分", "5-3", "约5分", "true"])
def test_non_numbers_are_errors(raw: str) -> None:
    with pytest.raises(v.CellError, match="不是数字"):
        v.parse_number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("是", True), ("√", True), ("否", False), ("×", False), ("", False), ("低保户", True), ("无", False)],
)
def test_flags(raw: str, expected: bool) -> None:
    assert v.parse_flag(raw) is expected


def test_names_lose_all_white_space_and_full_width() -> None:
    assert v.normalize_name(" 张\u3000 三 ") == "张三"
    assert v.normalize_name("王ＡＢ") == "王AB"


def test_name_lists_split_on_every_separator() -> None:
    assert v.split_names("张三、李四，王五, 赵六  孙七") == ["张三", "李四", "王五", "赵六", "孙七"]


def test_choice_lists_the_allowed_values() -> None:
    choices = {"有效": ("正常",), "撤销": ("作废",)}
    assert v.parse_choice("作废", choices, "状态") == "撤销"
    with pytest.raises(v.CellError, match="有效、撤销"):
        v.parse_choice("删除", choices, "状态")


def test_column_letters() -> None:
    assert [v.column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


dates = st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2099, 12, 31))


@given(
    dates,
    st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}年{m}月{d}日", "{y}{m:02d}{d:02d}"]),
    st.booleans(),
)
def test_every_written_date_reads_back(day: dt.date, pattern: str, full_width: bool) -> None:
    text = pattern.format(y=day.year, m=day.month, d=day.day)
    if full_width:
        text = text.translate(FULL)
    assert v.parse_date(text).date == day


@given(st.integers(min_value=-999, max_value=999), st.sampled_from(["{}", "{}分", "{:+d}"]), st.booleans())
def test_every_written_number_reads_back(n: int, pattern: str, full_width: bool) -> None:
    text = pattern.format(n)
    if full_width:
        text = text.translate(FULL).replace("-", "－")
    assert v.parse_number(text) == n


@given(st.text(max_size=20))
def test_parsers_never_crash(text: str) -> None:
    for parse in (v.parse_date, v.parse_number):
        with contextlib.suppress(v.CellError):
            parse(text)
    v.parse_flag(text)
    v.normalize_name(text)


@pytest.mark.parametrize("raw", [float("inf"), float("-inf"), 1e308, 10_001, -10_001, 20250315, "12345.5"])
def test_absurd_numbers_are_cell_errors(raw: object) -> None:
    with pytest.raises(v.CellError, match="超出合理范围"):
        v.parse_number(raw)


def test_nan_is_not_a_number() -> None:
    with pytest.raises(v.CellError, match="不是有效数字"):
        v.parse_number(float("nan"))


@pytest.mark.parametrize(
    "raw", [dt.date(9999, 12, 31), dt.datetime(2101, 1, 1), dt.date(1899, 12, 31), "2205-01-01", 73416, 2958465]
)
def test_dates_outside_1900_to_2100_are_cell_errors(raw: object) -> None:
    with pytest.raises(v.CellError, match="应在1900—2100年之间"):
        v.parse_date(raw)


@pytest.mark.parametrize("raw", [float("inf"), float("nan"), 1e300, -1e308, dt.time(12, 0)])
def test_values_no_date_can_hold_are_cell_errors_not_overflow(raw: object) -> None:
    with pytest.raises(v.CellError):
        v.parse_date(raw)


def test_the_last_date_in_the_window_reads() -> None:
    assert v.parse_date(73415).date == dt.date(2100, 12, 31)  # Excel serial


@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers() | st.datetimes() | st.dates())
def test_any_cell_value_gives_a_sane_value_or_a_cell_error(raw: object) -> None:
    with contextlib.suppress(v.CellError):
        parsed = v.parse_date(raw, allow_month=True)
        assert 1900 <= parsed.date.year <= 2100
    with contextlib.suppress(v.CellError):
        assert abs(v.parse_number(raw)) <= v.MAX_NUMBER

"""Dates of a 公示 (SPEC §11): calendar days (seed 001: 不少于七天) or Chinese working days
(seed 004: 5个工作日), with statutory holidays and make-up working days from `chinese-calendar`.

Past the last year that package knows (it raises for unknown years), weekends alone decide and
the result says so, so a clerk can check the official holiday notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar


@dataclass(frozen=True)
class Span:
    first: dt.date
    last: dt.date
    note: str = ""  # set when the holiday calendar did not cover the dates


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, known from the official calendar)."""

    try:
        return bool(chinese_calendar.is_workday(day)), True
    except NotImplementedError:
        return day.weekday() < 5, False


def next_workday(day: dt.date) -> tuple[dt.date, bool]:
    known = True
    while True:
        work, k = is_workday(day)
        known &= k
        if work:
            return day, known
        day += dt.timedelta(days=1)


def calendar_span(first: dt.date, days: int) -> Span:
    return Span(first, first + dt.timedelta(days=days - 1))


def working_span(first: dt.date, days: int) -> Span:
    """`days` working days starting on the first working day on or after `first`."""
    start, known = next_workday(first)
    day, counted = start, 0
    while True:
        work, k = is_workday(day)
        known &= k
        if work:
            counted += 1
            if counted == days:
                break
        day += dt.timedelta(days=1)
    note = "" if known else "（超出节假日数据范围，仅按周末计算工作日，请对照当年放假通知核对）"
    return Span(start, day, note)


def chinese_date(day: dt.date) -> str:
    """`2025年1月10日` — the 落款 date format of GB/T 9704."""
    return f"{day.year}年{day.month}月{day.day}日"

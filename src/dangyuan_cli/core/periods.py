"""Periods (SPEC §6.1): `2025`, `2025H1`, `2025Q3`, `2025-07`, with an optional month cut-off.

With `month_cutoff_day = 15` (seed 002: 自上月15日至本月15日) month M runs from the 16th of M−1
to the 15th of M, and every longer period is the union of its months.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str  # year | half | quarter | month
    year: int
    index: int  # half 1–2, quarter 1–4, month 1–12; 0 for a year
    cutoff: int = 0

    @property
    def months(self) -> tuple[int, int]:
        """First and last calendar month (as named) of the period."""
        if self.kind == "year":
            return 1, 12
        if self.kind == "half":
            return (1, 6) if self.index == 1 else (7, 12)
        if self.kind == "quarter":
            return 3 * self.index - 2, 3 * self.index
        return self.index, self.index

    @functools.cached_property
    def start(self) -> dt.date:
        return month_start(self.year, self.months[0], self.cutoff)

    @functools.cached_property
    def end(self) -> dt.date:
        return month_end(self.year, self.months[1], self.cutoff)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def code(self) -> str:
        return {
            "year": f"{self.year}",
            "half": f"{self.year}H{self.index}",
            "quarter": f"{self.year}Q{self.index}",
            "month": f"{self.year}-{self.index:02d}",
        }[self.kind]

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year}年度"
        if self.kind == "half":
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        return f"{self.year}年{self.index}月"

    def year_to_date(self) -> Period:
        """From the start of the year to the end of this period (a 'year' with a shorter end)."""
        return _YearToDate("ytd", self.year, self.months[1], self.cutoff)

    def previous(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year - 1, 0, self.cutoff)
        count = {"half": 2, "quarter": 4, "month": 12}[self.kind]
        if self.index > 1:
            return Period(self.kind, self.year, self.index - 1, self.cutoff)
        return Period(self.kind, self.year - 1, count, self.cutoff)

    def quarters(self) -> list[Period]:
        return [Period("quarter", self.year, q, self.cutoff) for q in range(1, 5)]


class _YearToDate(Period):
    @property
    def months(self) -> tuple[int, int]:
        return 1, self.index

    @property
    def code(self) -> str:
        return f"{self.year}-01..{self.index:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年1-{self.index}月累计"


def month_start(year: int, month: int, cutoff: int) -> dt.date:
    if not cutoff:
        return dt.date(year, month, 1)
    prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    return dt.date(prev_year, prev_month, cutoff) + dt.timedelta(days=1)


def month_end(year: int, month: int, cutoff: int) -> dt.date:
    if cutoff:
        return dt.date(year, month, cutoff)
    nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return nxt - dt.timedelta(days=1)


_FORMS = (
    (re.compile(r"^(\d{4})年?$"), "year"),
    (re.compile(r"^(\d{4})[Hh]([12])$"), "half"),
    (re.compile(r"^(\d{4})[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})[-./年](\d{1,2})月?$"), "month"),
)


RELATIVE = {
    "last-month": "month",
    "上月": "month",
    "last-quarter": "quarter",
    "上季度": "quarter",
    "last-year": "year",
    "上年": "year",
}


def parse_period(text: str, cutoff: int = 0, today: dt.date | None = None) -> Period:
    """`2025`, `2025H1`, `2025Q3`, `2025-07`; for cron also `last-month`, `last-quarter`,
    `last-year` (上月、上季度、上年), the period before the one holding today."""
    text = text.strip()
    if text in RELATIVE:
        day = today or dt.date.today()
        year, month = month_of(day, cutoff)
        current = {
            "month": Period("month", year, month, cutoff),
            "quarter": Period("quarter", year, (month - 1) // 3 + 1, cutoff),
            "year": Period("year", year, 0, cutoff),
        }[RELATIVE[text]]
        return current.previous()
    for pattern, kind in _FORMS:
        m = pattern.match(text)
        if m:
            year = int(m.group(1))
            index = int(m.group(2)) if kind != "year" else 0
            if kind == "month" and not 1 <= index <= 12:
                break
            return Period(kind, year, index, cutoff)
    raise PeriodError(
        f"期间“{text}”无法识别，应写成 2025（年）、2025H1（半年）、2025Q3（季度）、2025-07（月），"
        "或 last-month、last-quarter、last-year（上月、上季度、上年）"
    )


def month_of(day: dt.date, cutoff: int = 0) -> tuple[int, int]:
    """The (year, month) a date belongs to under the cut-off."""
    if cutoff and day.day > cutoff:
        return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.year, day.month


def bucket_of(day: dt.date, kind: str, cutoff: int = 0) -> tuple[int, int]:
    """(year, index) of the year/half/quarter/month holding `day` — the scope of a catalogue cap."""
    year, month = month_of(day, cutoff)
    if kind == "year":
        return year, 0
    if kind == "half":
        return year, 1 if month <= 6 else 2
    if kind == "quarter":
        return year, (month - 1) // 3 + 1
    return year, month


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the month's end."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = month_end(year, month, 0).day
    return dt.date(year, month, min(day.day, last))


def within(frame, period: Period):
    """Rows of `frame` dated in `period`; column-wise on the `ordinal` column when there is one."""
    if "ordinal" in frame.columns:
        ordinal = frame["ordinal"]
        return (ordinal >= period.start.toordinal()) & (ordinal <= period.end.toordinal())
    return frame["date"].map(period.contains).astype(bool)

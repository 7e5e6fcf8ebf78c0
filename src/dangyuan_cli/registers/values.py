"""Cell-value parsers for what clerks really type.

Each parser takes a raw cell (str, int, float, bool, date, datetime, or "" for empty) and
returns a clean value, or raises `CellError` with a Chinese message that says what is wrong
and how to write it instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Registers describe living members and this century's work: a date outside these years is a typo
# (`2205`, `9999`), and keeping it out here keeps the date arithmetic downstream in range.
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_SERIAL = (dt.date(9999, 12, 31) - EXCEL_EPOCH).days  # Excel's last date: beyond, not a date at all
# One entry of any points scheme we know is worth at most a few dozen points (base 100, caps 12–20);
# 10,000 leaves a hundredfold margin and still catches a date serial (45731) or a phone number
# pasted into 分值, and keeps inf/1e308 away from the sums and the writers.
MAX_NUMBER = 10_000


class CellError(ValueError):
    """A cell whose content cannot be read as the column requires."""


@dataclass(frozen=True)
class DateValue:
    """A date and how precisely it was written ("day" or "month")."""

    date: dt.date
    precision: str = "day"

    def __str__(self) -> str:
        if self.precision == "month":
            return f"{self.date.year}年{self.date.month}月"
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def normalize_text(raw: object) -> str:
    """Full-width → half-width (NFKC), unify minus signs, strip the ends."""
    if raw.__class__ is str and raw.isascii():  # NFKC leaves ASCII as it is: only the ends to strip
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = unicodedata.normalize("NFKC", str(raw))
    return text.replace("\u2212", "-").replace("\u2014", "-").strip()


_SPACE = re.compile(r"\s+")
_NAMES: dict[str, str] = {}  # a county writes each name hundreds of times


def normalize_name(raw: object) -> str:
    """A member's identity within a branch: no white space at all, half-width."""
    if raw.__class__ is str:
        found = _NAMES.get(raw)
        if found is None:
            if len(_NAMES) > 200_000:
                _NAMES.clear()
            found = _NAMES[raw] = _SPACE.sub("", normalize_text(raw))
        return found
    return _SPACE.sub("", normalize_text(raw))


def show(raw: object) -> str:
    """A raw cell as the clerk typed it, for messages."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_MONTH_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_DECIMAL = re.compile(r"\d+(\.\d+)?")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _in_window(date: dt.date, text: str | dt.date) -> DateValue:
    """`date` when its year is plausible; `text` (or the date cell it came from) for the message."""
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        if not isinstance(text, str):
            text = f"{text:%Y-%m-%d}"
        raise CellError(f"日期“{text}”的年份{date.year}不合理，应在{FIRST_YEAR}—{LAST_YEAR}年之间")
    return DateValue(date)


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(f"日期“{text}”的年份{year}不合理，应在{FIRST_YEAR}—{LAST_YEAR}年之间")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"日期“{text}”不存在（{year}年{month}月没有{day}日）") from None


def parse_date(raw: object, allow_month: bool = False) -> DateValue:
    """Read a date in any of the forms SPEC §2 lists.

    Month precision (`2025.3`, `2025年3月`) is accepted only where `allow_month`; it means the
    1st of that month.
    """
    if raw.__class__ is not str:  # text, the usual cell, is none of these types
        if isinstance(raw, dt.datetime):  # the cell stands for its text: formatted only for a message
            return _in_window(raw.date(), raw)
        if isinstance(raw, dt.date):
            return _in_window(raw, raw)
        if isinstance(raw, dt.time | dt.timedelta):  # a time of day (or a negative serial) has no date
            raise CellError(f"“{raw}”是时间，不是日期，请写成如“2025年3月15日”")
        if isinstance(raw, bool):
            raise CellError(f"“{raw}”不是日期")
        if isinstance(raw, int | float):
            return _parse_numeric_date(raw, allow_month)
    text = normalize_text(raw)
    if not text:
        raise CellError("日期为空")
    text_no_time = _TIME_SUFFIX.sub("", text) if ":" in text else text  # a time always has its colon
    for pattern in (_FULL_DATE, _COMPACT_DATE):
        m = pattern.match(text_no_time)
        if m:
            y, mo, d = map(int, m.groups())
            return DateValue(_make_date(y, mo, d, text))
    for pattern in (_MONTH_DATE, _COMPACT_MONTH):
        m = pattern.match(text_no_time)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            if not allow_month:
                raise CellError(f"日期“{text}”缺少日，请写成如“{y}年{mo}月1日”")
            return DateValue(_make_date(y, mo, 1, text), "month")
    if _DECIMAL.fullmatch(text):
        return _parse_numeric_date(float(text), allow_month)
    raise CellError(f"“{text}”不是可识别的日期，请写成如“2025年3月15日”或“2025-03-15”")


def _parse_numeric_date(value: float, allow_month: bool) -> DateValue:
    if not math.isfinite(value):
        raise CellError(f"数字“{value}”不是日期，请写成如“2025年3月15日”")
    text = show(value)
    if float(value).is_integer():
        n = int(value)
        if 19000101 <= n <= 21001231:
            return DateValue(_make_date(n // 10000, n // 100 % 100, n % 100, text))
        if allow_month and 190001 <= n <= 210012:
            return DateValue(_make_date(n // 100, n % 100, 1, text), "month")
        if 1 <= n <= MAX_SERIAL:  # an Excel serial date (1900 system)
            return _in_window(EXCEL_EPOCH + dt.timedelta(days=n), text)
        raise CellError(f"数字“{text}”不是日期")
    year = int(value)
    if 1900 <= year <= 2100:
        # `2025.3` typed into Excel becomes the number 2025.3: year.month
        month = round((value - year) * 100) if len(text.split(".")[1]) == 2 else round((value - year) * 10)
        if not allow_month:
            raise CellError(f"日期“{text}”缺少日，请写成如“{year}年{month}月1日”")
        return DateValue(_make_date(year, month, 1, text), "month")
    if 1 <= value <= MAX_SERIAL:  # serial with a time part
        return _in_window(EXCEL_EPOCH + dt.timedelta(days=int(value)), text)
    raise CellError(f"数字“{text}”不是日期")


_NUMBER = re.compile(r"^([+-]?)\s*(\d+(?:\.\d+)?|\.\d+)\s*分?$")


def parse_number(raw: object) -> float:
    """`5`, `+5`, `5分`, `５`, `－3`, `3.5` → float."""
    if isinstance(raw, bool):
        raise CellError(f"“{raw}”不是数字")
    if isinstance(raw, int | float):
        return _in_range(float(raw), show(raw))
    text = normalize_text(raw)
    m = _NUMBER.match(text)
    if not m:
        raise CellError(f"“{text}”不是数字，请只填数字，如“5”或“-3”")
    value = float(m.group(2))
    return _in_range(-value if m.group(1) == "-" else value, text)


def _in_range(value: float, text: str) -> float:
    if math.isnan(value):
        raise CellError("不是有效数字，请只填数字，如“5”或“-3”")
    if not abs(value) <= MAX_NUMBER:  # also inf
        raise CellError(f"数字“{text}”超出合理范围（绝对值不超过{MAX_NUMBER}），请检查是否误填了日期、电话等")
    return value


_YES = {"是", "有", "√", "✓", "✔", "y", "yes", "true", "1", "○", "●", "已批准", "同意"}
_NO = {"否", "无", "×", "✗", "✘", "n", "no", "false", "0", "不是", "没有", "-", "/"}


def parse_flag(raw: object) -> bool:
    """Yes/no words (是/否/√/×). Any other non-empty text (`低保户`) counts as marked."""
    if is_blank(raw):
        return False
    return normalize_text(raw).lower() not in _NO


def is_explicit_flag(raw: object) -> bool:
    """True when the cell is one of the plain yes/no words."""
    text = normalize_text(raw).lower()
    return text in _YES or text in _NO


def parse_choice(raw: object, choices: dict[str, tuple[str, ...]], column: str) -> str:
    """An enumeration: canonical values with their aliases; messages list the valid values."""
    text = _SPACE.sub("", normalize_text(raw))
    for canonical, aliases in choices.items():
        if text == canonical or text in aliases:
            return canonical
    allowed = "、".join(choices)
    raise CellError(f"{column}“{text}”不是可选值，应为：{allowed}")


_SEPARATORS = re.compile(r"[、，,;；\s]+")


_SPLIT: dict[str, tuple[str, ...]] = {}


def split_names(raw: object) -> list[str]:
    """A list of names separated by `、，, 空格`."""
    if raw.__class__ is not str:
        return [normalize_name(p) for p in _SEPARATORS.split(normalize_text(raw)) if p.strip()]
    found = _SPLIT.get(raw)
    if found is None:
        if len(_SPLIT) > 200_000:
            _SPLIT.clear()
        # the separators include all white space: a part is a name, or "" beside a separator at an end
        names = _NAMES.get  # normalize_name's own memory first: a county writes each name hundreds of times
        parts = _SEPARATORS.split(normalize_text(raw))
        found = _SPLIT[raw] = tuple([names(p) or normalize_name(p) for p in parts if p])
    return list(found)  # each row its own list


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters

"""How numbers and flags read in tables and documents (no heavy imports: used at start-up)."""

from __future__ import annotations


def fmt(value: object) -> str:
    """`120.0` → `120`, None/NaN → ``, True → `是`."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, bool):
        return "是" if value else ""
    return str(value)


def points_text(value: float) -> str:
    """A number as a reason says it (`120.0` → `120`, `2.5` → `2.5`); mapped over a Series of totals."""
    return f"{value:g}"


def star_text(stars: object) -> str:
    return "" if stars is None or (isinstance(stars, float) and stars != stars) else "★" * int(stars)

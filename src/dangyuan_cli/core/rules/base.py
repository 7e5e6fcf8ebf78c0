"""What every section of the rules file shares: the bounds of its numbers and the config of
its models (`sections` and `register_sections` both build on them).
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

# Bounds: generous beyond any seed's scheme, tight enough that date arithmetic, loops and the
# xlsx writer never meet an absurd number (issue 10: 2**63-1 months, 1e308 points).
MAX_POINTS = 10_000  # a member's year is ~100 points; no single rule needs more than this
MAX_MONTHS = 120  # ten years: 失联, 帮扶 periods
MAX_DAYS = 60  # 公示期: seeds say 5 working days or 7 days
MAX_GROUP = 1_000  # a group larger than any village's membership


def points_field(default: float, low: float = -MAX_POINTS, description: str | None = None):
    """A points value: finite (Strict forbids inf/nan) and within ±MAX_POINTS."""
    return Field(default, ge=low, le=MAX_POINTS, description=description)


# allow_inf_nan=False: `inf`/`nan`/`1e999` in a rules file is a located error, never a number.
# Each sections module declares its own `class Strict(BaseModel)` with this config: ruff sees a
# pydantic model (whose mutable defaults are copied per instance) only through a local BaseModel base.
STRICT = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

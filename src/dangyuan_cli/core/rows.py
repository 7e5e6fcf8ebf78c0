"""A part's frames taken apart fast: rows as named tuples (as `DataFrame.itertuples(index=False)`
gives them) and each branch's rows (as a mask per branch gives them).

pandas 3 keeps text in a string dtype whose iteration boxes element by element (a county part
iterates ~100,000 such cells to build its tables); `tolist()` converts a text column at once and
gives the same values (str, or the column's NaN). Other columns are iterated as itertuples does.
"""

from __future__ import annotations

import functools
from collections import namedtuple
from collections.abc import Iterator

import pandas as pd


@functools.lru_cache(maxsize=256)
def _row_type(columns: tuple[str, ...]) -> type:
    return namedtuple("Pandas", columns, rename=True)  # itertuples' own name and renaming


def row_tuples(frame: pd.DataFrame) -> Iterator[tuple]:
    """`frame.itertuples(index=False)`: the same named tuples with the same values."""
    if frame.shape[1] == 0 or frame.shape[1] > 254:  # itertuples' own edge cases: its own way
        return frame.itertuples(index=False)
    columns = [s.tolist() if isinstance(s.dtype, pd.StringDtype) else s for _, s in frame.items()]
    return map(_row_type(tuple(frame.columns))._make, zip(*columns, strict=True))


def frames_by_branch(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each branch's rows in frame order, as `frame[frame["branch"] == b]` gives them (same rows,
    index and dtypes): one groupby over the part, not a mask over the whole part per branch."""
    return dict(tuple(frame.groupby("branch", sort=False))) if not frame.empty else {}

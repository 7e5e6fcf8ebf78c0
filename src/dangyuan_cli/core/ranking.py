"""Ranking shared by boards, stars and consequences: competition rank and top/bottom shares.

Ties are never split: a share takes everyone tied with its last member.
"""

from __future__ import annotations

import math

import pandas as pd


def competition_rank(totals: pd.Series) -> pd.Series:
    """1, 2, 2, 4 — by total, descending."""
    return totals.rank(method="min", ascending=False).astype(int)


def share_size(count: int, ratio: float) -> int:
    """How many of `count` members a share of `ratio` takes: ceil(N × ratio)."""
    return math.ceil(count * ratio - 1e-9) if count else 0


def top_share(values: pd.Series, ratio: float) -> pd.Series:
    """Members within the top ceil(N × ratio) by value, everyone tied with the last one included."""
    if values.empty or ratio <= 0:
        return pd.Series(False, index=values.index)
    threshold = values.sort_values(ascending=False).iloc[share_size(len(values), ratio) - 1]
    return values >= threshold


def bottom_share(values: pd.Series, ratio: float) -> pd.Series:
    """Members within the bottom ceil(N × ratio) by value, ties included."""
    if values.empty or ratio <= 0:
        return pd.Series(False, index=values.index)
    threshold = values.sort_values().iloc[share_size(len(values), ratio) - 1]
    return values <= threshold

"""dangyuan — 党员积分定星与台账管理 (Party-member registers, points and stars)."""

__version__ = "0.1.0"

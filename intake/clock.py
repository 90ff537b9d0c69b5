"""Moments and days: the clock itself is read by the core (`core.clock`), never here.

Services take `now` as an argument; the adapters pass the runtime clock's reading.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

CALL_TIMEZONE = "Africa/Casablanca"


def aware(now: datetime) -> datetime:
    """Return `now`, refusing a naive datetime (a moment without its zone is ambiguous)."""
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one")
    return now


def local_day(moment: datetime, zone: str = CALL_TIMEZONE) -> date:
    """Return the calendar day of `moment` in `zone` (the call's deadlines are local)."""
    return moment.astimezone(ZoneInfo(zone)).date()

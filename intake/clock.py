"""The clock, read only by services and adapters; the domain takes dates as arguments."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CALL_TIMEZONE = "Africa/Casablanca"


def utc_now() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


def resolve(now: datetime | None) -> datetime:
    """Return `now` if given (tests pass a fixed one), else the current time."""
    if now is None:
        return utc_now()
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one")
    return now


def local_day(moment: datetime, zone: str = CALL_TIMEZONE) -> date:
    """Return the calendar day of `moment` in `zone` (the call's deadlines are local)."""
    return moment.astimezone(ZoneInfo(zone)).date()

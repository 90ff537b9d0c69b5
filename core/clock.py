"""The one clock of a process: adapters read it, services and the domain get its readings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from intake.clock import CALL_TIMEZONE, local_day


class Clock(Protocol):
    """Where the current moment comes from (the system's clock, or a pinned one in tests)."""

    def now(self) -> datetime:
        """Return the current moment, aware."""
        ...


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        """Return the current moment, aware, in UTC."""
        return datetime.now(UTC)


# What the workers agree on among themselves (leases, the inbox's times, pruning) is real
# time, whatever the runtime's clock says: tests pin that one to a day of the call, and a
# pinned clock would keep a dead worker's lease from ever running out.
REAL_TIME = SystemClock()


@dataclass
class FixedClock:
    """A clock that shows what it is set to: tests pin the date with it."""

    moment: datetime

    def now(self) -> datetime:
        """Return the pinned moment."""
        return self.moment


def today(clock: Clock, zone: str = CALL_TIMEZONE) -> date:
    """Return the day it is where the Ministry is (deadlines are local to Morocco)."""
    return local_day(clock.now(), zone)

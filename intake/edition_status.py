"""Where an edition of the call stands on a given day: upcoming, open or closed, from its dates."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from intake.eligibility import is_deadline_passed
from intake.schema import Edition


class EditionStatus(StrEnum):
    """Where an edition stands on a day."""

    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


def edition_status(edition: Edition, today: date) -> EditionStatus:
    """Return the status of `edition` on `today` (a local day in Morocco).

    Closed after its closing day, as the eligibility rules count it; upcoming before its
    opening day; open otherwise, as long as one of its dates is known.

    Args:
        edition: the edition, as its data file gives it.
        today: the day, local to the call's time zone.

    Returns:
        The status; `UNKNOWN` when the file gives neither date.
    """
    if is_deadline_passed(edition, today):
        return EditionStatus.CLOSED
    opens = edition.opens_at()
    if opens is not None and today < opens.date():
        return EditionStatus.UPCOMING
    if opens is None and edition.closes_at() is None:
        return EditionStatus.UNKNOWN
    return EditionStatus.OPEN

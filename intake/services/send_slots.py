"""The bot's flood limit shared by every worker: a count of messages sent per second, in the database.

Telegram allows a bot about 30 messages a second in all. Each worker's rate limiter only
knows its own sends; before a send, a worker takes a slot of the current second here, and
waits for the next second when the workers together have used them all.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.delivery_models import SendSlot

MESSAGES_PER_SECOND = 30


def take_send_slot(session: Session, second: int, limit: int = MESSAGES_PER_SECOND) -> bool:
    """Take one of the `limit` sending slots of `second` (a Unix time); return False when none is left."""
    # One UPDATE that reads and counts at once: two workers cannot both see the last free slot.
    if _count_one(session, second, limit):
        return True
    if session.get(SendSlot, second) is not None:
        return False
    fresh = SendSlot(second=second, sent=1)
    if repo.add_or_get(session, fresh, lambda: session.get(SendSlot, second)) is fresh:
        return True
    return _count_one(session, second, limit)  # another worker opened the second first


def _count_one(session: Session, second: int, limit: int) -> bool:
    counted = session.execute(
        update(SendSlot).where(SendSlot.second == second, SendSlot.sent < limit).values(sent=SendSlot.sent + 1)
    )
    return bool(counted.rowcount)  # type: ignore[attr-defined]


def prune_send_slots(session: Session, before: int) -> int:
    """Forget the counts of seconds before `before`; return how many rows went."""
    result = session.execute(delete(SendSlot).where(SendSlot.second < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]

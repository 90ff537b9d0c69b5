"""Services for chat deliveries: take an update in hand once, however often it is delivered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.clock import aware
from intake.models import ProcessedUpdate


def claim_update(session: Session, *, bot_id: int, update_id: int, now: datetime) -> bool:
    """Record that an update is being handled; return False when it already was.

    Several processes may share the table: the primary key decides which one handles it.

    Args:
        session: the unit of work's session.
        bot_id: the bot the update was sent to (update ids are per bot).
        update_id: the update's id.
        now: the current time (default: the clock).

    Returns:
        True the first time, False for every later delivery of the same update.
    """
    key = (bot_id, update_id)
    if session.get(ProcessedUpdate, key) is not None:
        return False
    row = ProcessedUpdate(bot_id=bot_id, update_id=update_id, received_at=aware(now))
    return repo.add_or_get(session, row, lambda: session.get(ProcessedUpdate, key)) is row


def prune_processed_updates(session: Session, *, older_than: datetime) -> int:
    """Forget updates received before `older_than`; return how many rows went.

    Telegram keeps an unconfirmed update for 24 hours, so rows older than that protect nothing.
    """
    result = session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.received_at < older_than))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]

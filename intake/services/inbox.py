"""The durable inbox: updates stored on receipt, claimed by any worker under a lease, one chat at a time.

A webhook worker stores an update (`store_updates`) and commits before it answers Telegram, so
an update Telegram was told about is never only in one process's memory. Workers then claim
(`claim_updates`): a chat's oldest pending update only, and only while nobody holds a live
lease on it, so one chat's updates are applied one at a time, in update-id order, whichever
worker received them. A worker renews its leases while it works (`renew_leases`) and marks
each update done (`finish_updates`); if it dies, its leases run out and another worker takes
the update again. An update claimed `max_attempts` times without being finished (one that
kills its worker each time) is set aside as failed, so its chat is not stuck behind it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from intake.clock import aware
from intake.delivery_models import InboundUpdate

logger = logging.getLogger(__name__)

PENDING, DONE, FAILED = "pending", "done", "failed"
# An update python-telegram-bot could not parse: kept as its ids only, to be counted and recognised.
UNPARSABLE = "unparsable"


@dataclass(frozen=True)
class ClaimedUpdate:
    """An update this worker holds: its row, Telegram's id, its JSON and how many times it was claimed.

    `applied` says a worker before this one committed the update's changes and then stopped.
    """

    id: int
    update_id: int
    payload: str
    attempts: int
    applied: bool = False


@dataclass(frozen=True)
class IncomingUpdate:
    """An update as received: Telegram's id, its chat (None when it has none) and its JSON (None: unparsable)."""

    update_id: int
    chat_id: int | None
    payload: str | None


def store_updates(session: Session, *, bot_id: int, updates: Sequence[IncomingUpdate], now: datetime) -> list[bool]:
    """Store received updates in one statement; for each, return False when it was already stored.

    An update without a payload is one the library could not parse: it is stored as done,
    in the state that counts it (`UNPARSABLE`), and nothing applies it.
    """
    if not updates:
        return []
    now = aware(now)
    rows = [{"bot_id": bot_id, "update_id": u.update_id, "chat_id": u.chat_id, "payload": u.payload,
             "attempts": 0, "received_at": now, "state": PENDING if u.payload is not None else UNPARSABLE,
             "done_at": None if u.payload is not None else now} for u in updates]
    # One INSERT that skips ids already there (a second delivery, or another worker's insert
    # of the same update a moment before), instead of a look-up and an insert per update.
    insert = _dialect_insert(session)(InboundUpdate.__table__).values(rows)
    stored = set(session.scalars(insert.on_conflict_do_nothing(index_elements=["bot_id", "update_id"])
                                 .returning(InboundUpdate.__table__.c.update_id)))
    return [u.update_id in stored for u in updates]


def _dialect_insert(session: Session) -> Callable[..., Any]:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def inbox_counts(session: Session, *, since: datetime) -> dict[str, int]:
    """Return how many updates received since `since` are in each state (pending, done, failed, unparsable)."""
    rows = session.execute(select(InboundUpdate.state, func.count()).where(InboundUpdate.received_at >= aware(since))
                           .group_by(InboundUpdate.state)).all()
    return {PENDING: 0, DONE: 0, FAILED: 0, UNPARSABLE: 0} | {state: int(count) for state, count in rows}


def claim_updates(session: Session, *, bot_id: int, holder: str, now: datetime, lease: timedelta, limit: int,
                  max_attempts: int) -> list[ClaimedUpdate]:
    """Claim up to `limit` updates, each the oldest pending one of its chat, none leased by a live worker."""
    now = aware(now)
    free = or_(InboundUpdate.lease_until.is_(None), InboundUpdate.lease_until < now)
    earlier = aliased(InboundUpdate)
    behind_another = exists().where(
        earlier.bot_id == InboundUpdate.bot_id, earlier.chat_id == InboundUpdate.chat_id,
        earlier.state == PENDING, earlier.update_id < InboundUpdate.update_id,
    )
    # SKIP LOCKED (PostgreSQL): rows another worker is claiming at this moment are left to it
    # instead of waited for; SQLite has one writer at a time and ignores it.
    candidates = session.scalars(
        select(InboundUpdate.id)
        .where(InboundUpdate.bot_id == bot_id, InboundUpdate.state == PENDING, free, ~behind_another)
        .order_by(InboundUpdate.update_id).limit(limit)
        .with_for_update(skip_locked=True, of=InboundUpdate)
    ).all()
    if not candidates:
        return []
    # The WHERE is checked again against the rows as they are now: of two workers, one wins.
    taken = session.execute(
        update(InboundUpdate).where(InboundUpdate.id.in_(candidates), InboundUpdate.state == PENDING, free)
        .values(holder=holder, lease_until=now + lease, attempts=InboundUpdate.attempts + 1)
        .returning(InboundUpdate.id, InboundUpdate.update_id, InboundUpdate.payload, InboundUpdate.attempts,
                   InboundUpdate.applied_at)
        .execution_options(synchronize_session=False)
    ).all()
    claimed: list[ClaimedUpdate] = []
    for row in sorted(taken, key=lambda row: row.update_id):
        if row.attempts > max_attempts:
            _set_aside(session, row.id, row.update_id, now)
            continue
        claimed.append(ClaimedUpdate(row.id, row.update_id, row.payload or "{}", row.attempts,
                                     row.applied_at is not None))
    return claimed


def chats_in_conversation(session: Session, *, bot_id: int) -> set[int]:
    """Return the chats with an update waiting or being answered (the chat's next reply may be on its way).

    The sender of queued messages (the Division's, broadcasts) leaves these chats to its next
    round, so a reply from one worker and a queued message from another do not reach a chat
    in the same second: Telegram's limit of about one message a second per chat then holds for
    the workers together.
    """
    return set(session.scalars(select(InboundUpdate.chat_id).distinct().where(
        InboundUpdate.bot_id == bot_id, InboundUpdate.state == PENDING, InboundUpdate.chat_id.is_not(None))))


def _set_aside(session: Session, row_id: int, update_id: int, now: datetime) -> None:
    logger.error("update %s set aside: claimed too many times without being finished", update_id)
    session.execute(update(InboundUpdate).where(InboundUpdate.id == row_id)
                    .values(state=FAILED, payload=None, chat_id=None, done_at=now, holder=None, lease_until=None))


def renew_leases(session: Session, row_ids: Sequence[int], *, holder: str, until: datetime) -> int:
    """Extend this worker's leases on the updates it is still applying; return how many it still holds."""
    if not row_ids:
        return 0
    result = session.execute(
        update(InboundUpdate)
        .where(InboundUpdate.id.in_(row_ids), InboundUpdate.holder == holder, InboundUpdate.state == PENDING)
        .values(lease_until=aware(until))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def mark_applied(session: Session, row_id: int, *, now: datetime) -> None:
    """Record, in the unit of work that changes something for the update, that its changes are made."""
    session.execute(update(InboundUpdate).where(InboundUpdate.id == row_id, InboundUpdate.applied_at.is_(None))
                    .values(applied_at=aware(now)))


def finish_updates(session: Session, row_ids: Sequence[int], *, now: datetime) -> None:
    """Mark updates done and forget what they said; their ids stay to recognise a second delivery."""
    if not row_ids:
        return
    session.execute(
        update(InboundUpdate).where(InboundUpdate.id.in_(row_ids), InboundUpdate.state == PENDING)
        .values(state=DONE, payload=None, chat_id=None, holder=None, lease_until=None, done_at=aware(now))
        .execution_options(synchronize_session=False)
    )


def prune_inbox(session: Session, *, older_than: datetime) -> int:
    """Forget finished updates received before `older_than` (Telegram redelivers for a day at most)."""
    result = session.execute(
        delete(InboundUpdate).where(InboundUpdate.state != PENDING, InboundUpdate.received_at < aware(older_than))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]

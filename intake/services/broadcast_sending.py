"""Sending a confirmed broadcast: a chat adapter claims deliveries, sends them and marks what happened.

The same rules as the Division's messages to one applicant (`intake/services/staff_messages.py`):
a claim counts an attempt and leases the delivery for CLAIM_LEASE; a blocked bot or a bad
request ends it; other errors are tried again after a growing delay, then failed. A
delivery whose applicant was deleted meanwhile is gone with them: marking it does nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.clock import aware
from intake.models import Applicant
from intake.review_models import Broadcast, BroadcastDelivery, MessageStatus
from intake.schema import Language
from intake.services.staff_messages import CLAIM_LEASE, MAX_ATTEMPTS, MAX_ERROR, RETRY_DELAY


@dataclass(frozen=True)
class BroadcastOutgoing:
    """A claimed delivery to send: to whom, in which language (for the header), and the broadcast's text."""

    id: int
    broadcast_id: int
    external_id: str
    language: Language
    text: str


def claim_deliveries(session: Session, *, channel: str, now: datetime, limit: int,
                     skip: Collection[str] = ()) -> list[BroadcastOutgoing]:
    """Claim due deliveries for one round of sending, at most one per applicant, oldest first.

    Only an applicant's oldest pending delivery is a candidate, so each chat gets one
    broadcast a round and two broadcasts arrive in the order they were confirmed.

    Args:
        session: the unit of work's session.
        channel: the channel the adapter sends on, e.g. "telegram".
        now: the current time.
        limit: how many deliveries at most.
        skip: chat identities already written to this round (by another kind of message).

    Returns:
        The deliveries to send now.
    """
    if limit <= 0:
        return []
    oldest = (select(func.min(BroadcastDelivery.id)).where(BroadcastDelivery.status == MessageStatus.PENDING)
              .group_by(BroadcastDelivery.applicant_id))
    query = (select(BroadcastDelivery.id, Broadcast.id, Applicant.external_id, Applicant.language, Broadcast.text)
             .join(Broadcast, BroadcastDelivery.broadcast_id == Broadcast.id)
             .join(Applicant, BroadcastDelivery.applicant_id == Applicant.id)
             .where(BroadcastDelivery.id.in_(oldest), BroadcastDelivery.next_attempt_at <= aware(now),
                    Applicant.channel == channel)
             .order_by(BroadcastDelivery.id))
    if skip:
        query = query.where(Applicant.external_id.not_in(list(skip)))
    claimed: list[BroadcastOutgoing] = []
    for delivery_id, broadcast_id, external_id, language, text in session.execute(query.limit(limit)).all():
        if _claim(session, delivery_id, now):
            claimed.append(BroadcastOutgoing(delivery_id, broadcast_id, external_id, Language(language), text))
    return claimed


def _claim(session: Session, delivery_id: int, now: datetime) -> bool:
    """Take the delivery if it is still pending and due: False when another sender took it first."""
    result = session.execute(
        update(BroadcastDelivery)
        .where(BroadcastDelivery.id == delivery_id, BroadcastDelivery.status == MessageStatus.PENDING,
               BroadcastDelivery.next_attempt_at <= aware(now))
        .values(attempts=BroadcastDelivery.attempts + 1, next_attempt_at=aware(now) + CLAIM_LEASE)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def mark_delivery_sent(session: Session, delivery_id: int, now: datetime) -> None:
    """Record that the broadcast reached the applicant's chat."""
    row = session.get(BroadcastDelivery, delivery_id)
    if row is not None:
        row.status, row.sent_at, row.next_attempt_at, row.error = MessageStatus.SENT, aware(now), None, None
        repo.flush(session)


def mark_delivery_blocked(session: Session, delivery_id: int, error: str) -> None:
    """Record that the applicant blocked the bot: the broadcast cannot reach them."""
    row = session.get(BroadcastDelivery, delivery_id)
    if row is not None:
        _close(row, MessageStatus.BLOCKED, error)
        repo.flush(session)


def record_delivery_failure(session: Session, delivery_id: int, error: str, now: datetime, *,
                            permanent: bool = False) -> MessageStatus | None:
    """Record a failed attempt: tried again later, or failed after MAX_ATTEMPTS or when the error is `permanent`.

    Returns:
        PENDING when it will be tried again, FAILED, or None when the delivery is gone.
    """
    row = session.get(BroadcastDelivery, delivery_id)
    if row is None:
        return None
    if permanent or row.attempts >= MAX_ATTEMPTS:
        _close(row, MessageStatus.FAILED, error)
    else:
        row.error, row.next_attempt_at = error[:MAX_ERROR], aware(now) + RETRY_DELAY * row.attempts
    repo.flush(session)
    return row.status


def postpone_deliveries(session: Session, delivery_ids: Sequence[int], until: datetime) -> None:
    """Put claimed deliveries back until `until` (the channel asked to wait); the attempt does not count."""
    for delivery_id in delivery_ids:
        row = session.get(BroadcastDelivery, delivery_id)
        if row is not None and row.status == MessageStatus.PENDING:
            row.attempts, row.next_attempt_at = max(0, row.attempts - 1), aware(until)
    repo.flush(session)


def _close(row: BroadcastDelivery, status: MessageStatus, error: str) -> None:
    row.status, row.error, row.next_attempt_at = status, error[:MAX_ERROR], None

"""Broadcasts: one message from the Division to the opted-in applicants of an edition, previewed, then sent.

An admin writes a draft (the text, the edition and optional filters on the verdict and the
language), sees how many applicants it reaches, and confirms it: each applicant of the
audience at that moment gets a delivery, which a chat adapter claims, sends and marks
(`intake/services/broadcast_sending.py`). "Opted in" is the applicant's reminders flag: the
applicants who asked to hear about the edition's deadlines. Confirming is audited and
happens once; a second confirmation of the same draft does nothing. Adapters check the role.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.clock import aware
from intake.eligibility import Verdict
from intake.errors import IntakeError
from intake.models import Applicant, IntakeSession
from intake.review_models import Broadcast, BroadcastDelivery, MessageStatus
from intake.schema import Language
from intake.services.applicants import record_audit
from intake.services.staff_messages import checked_text, text_length

MAX_LISTED = 50
MAX_PROBLEMS = 200  # the report lists this many failures at most; the counts cover them all


class UnknownBroadcast(IntakeError):
    """No broadcast has this id."""


@dataclass(frozen=True)
class Audience:
    """Who a broadcast is for: the opted-in applicants with an intake of `edition`, optionally narrowed."""

    edition: int
    verdict: Verdict | None = None
    language: Language | None = None

    def filters(self) -> dict[str, Any]:
        """Return the filters as stored with the broadcast (None for "any")."""
        return {"verdict": self.verdict.value if self.verdict else None,
                "language": self.language.value if self.language else None}

    @classmethod
    def of(cls, row: Broadcast) -> Audience:
        """Return a stored broadcast's audience."""
        verdict, language = row.filters.get("verdict"), row.filters.get("language")
        return cls(row.edition, Verdict(verdict) if verdict else None, Language(language) if language else None)


@dataclass(frozen=True)
class BroadcastView:
    """A broadcast as staff read it."""

    id: int
    author: str
    text: str
    audience: Audience
    recipients: int
    created_at: datetime
    confirmed_at: datetime | None


@dataclass(frozen=True)
class Preview:
    """A draft and whom it reaches now, by language (each reads the header in their own)."""

    broadcast: BroadcastView
    by_language: dict[Language, int]

    @property
    def recipients(self) -> int:
        """Return how many applicants the broadcast reaches now."""
        return sum(self.by_language.values())


@dataclass(frozen=True)
class Problem:
    """A delivery that did not go through, with the intake it was about and what the channel said."""

    delivery_id: int
    intake_id: int | None
    status: MessageStatus
    attempts: int
    error: str | None


@dataclass(frozen=True)
class Report:
    """A confirmed broadcast's deliveries: how many by status, and the ones that did not go through."""

    broadcast: BroadcastView
    counts: dict[MessageStatus, int]
    problems: list[Problem]


def audience_query(audience: Audience, channel: str) -> Select[int, Language]:
    """Return the query of the audience's applicants (id, language) on a channel.

    They opted in to the deadline reminders, still consent to their data being kept, and
    have an intake of the edition (with the verdict, when one is chosen).
    """
    intake = select(IntakeSession.applicant_id).where(IntakeSession.edition == audience.edition)
    if audience.verdict is not None:
        intake = intake.where(IntakeSession.verdict == audience.verdict.value)
    query = select(Applicant.id, Applicant.language).where(
        Applicant.channel == channel, Applicant.reminders_opt_in.is_(True), Applicant.consent_at.is_not(None),
        Applicant.id.in_(intake))
    if audience.language is not None:
        query = query.where(Applicant.language == audience.language)
    return query.order_by(Applicant.id)


def draft_broadcast(session: Session, *, author: str, text: str, audience: Audience, channel: str,
                    now: datetime) -> int:
    """Store a broadcast's draft, with the size of its audience now.

    Args:
        session: the unit of work's session.
        author: the admin's e-mail.
        text: the message; surrounding blanks are dropped, line breaks kept.
        audience: the edition and filters it is for.
        channel: the channel it will be sent on, e.g. "telegram".
        now: the current time.

    Returns:
        The draft's id.

    Raises:
        InvalidMessage: the text is empty or too long (as for a message to one applicant).
    """
    cleaned = checked_text(text)
    size = len(session.execute(audience_query(audience, channel)).all())
    row = Broadcast(author=author, text=cleaned, edition=audience.edition, filters=audience.filters(),
                    audience=size, created_at=aware(now), confirmed_at=None)
    session.add(row)
    repo.flush(session)
    return row.id


def preview_broadcast(session: Session, broadcast_id: int, channel: str) -> Preview:
    """Return a broadcast and whom it would reach if confirmed now, by language.

    Raises:
        UnknownBroadcast.
    """
    row = _broadcast(session, broadcast_id)
    languages = Counter(Language(language) for _, language in session.execute(audience_query(Audience.of(row),
                                                                                              channel)))
    return Preview(_view(row), {language: languages[language] for language in Language if language in languages})


def confirm_broadcast(session: Session, broadcast_id: int, *, actor: str, channel: str, now: datetime) -> int | None:
    """Confirm a draft: one pending delivery per applicant of its audience now, and an audit entry.

    Args:
        session: the unit of work's session.
        broadcast_id: the draft.
        actor: the admin's e-mail.
        channel: the channel it is sent on, e.g. "telegram".
        now: the current time.

    Returns:
        How many deliveries were created, or None when the broadcast was already confirmed
        (a second confirmation, or a concurrent one that won, does nothing).

    Raises:
        UnknownBroadcast.
    """
    row = _broadcast(session, broadcast_id)
    # The conditional update decides which of two concurrent confirmations creates the deliveries.
    claimed = session.execute(
        update(Broadcast).where(Broadcast.id == broadcast_id, Broadcast.confirmed_at.is_(None))
        .values(confirmed_at=aware(now)).execution_options(synchronize_session=False))
    if int(getattr(claimed, "rowcount", 0) or 0) != 1:
        return None
    recipients = [applicant_id for applicant_id, _ in session.execute(audience_query(Audience.of(row), channel))]
    if recipients:
        session.execute(insert(BroadcastDelivery), [
            {"broadcast_id": broadcast_id, "applicant_id": applicant_id, "status": MessageStatus.PENDING,
             "attempts": 0, "next_attempt_at": aware(now)} for applicant_id in recipients])
    session.execute(update(Broadcast).where(Broadcast.id == broadcast_id).values(audience=len(recipients))
                    .execution_options(synchronize_session=False))
    session.expire(row)
    record_audit(session, actor=actor, action="broadcast.send", target=f"broadcast:{broadcast_id}", now=now,
                 details={"edition": row.edition, "filters": row.filters, "recipients": len(recipients),
                          "characters": text_length(row.text)})
    return len(recipients)


def list_broadcasts(session: Session, limit: int = MAX_LISTED) -> list[tuple[BroadcastView, dict[MessageStatus, int]]]:
    """Return the confirmed broadcasts, newest first, each with its deliveries counted by status."""
    rows = session.scalars(select(Broadcast).where(Broadcast.confirmed_at.is_not(None))
                           .order_by(Broadcast.confirmed_at.desc(), Broadcast.id.desc()).limit(limit)).all()
    counts = _counts(session, [row.id for row in rows])
    return [(_view(row), counts.get(row.id, {})) for row in rows]


def broadcast_report(session: Session, broadcast_id: int) -> Report:
    """Return a broadcast's delivery report: counts by status and the deliveries that did not go through.

    Raises:
        UnknownBroadcast.
    """
    row = _broadcast(session, broadcast_id)
    query = (select(BroadcastDelivery, IntakeSession.id)
             .outerjoin(IntakeSession, (IntakeSession.applicant_id == BroadcastDelivery.applicant_id)
                        & (IntakeSession.edition == row.edition))
             .where(BroadcastDelivery.broadcast_id == broadcast_id,
                    BroadcastDelivery.status.in_([MessageStatus.FAILED, MessageStatus.BLOCKED]))
             .order_by(BroadcastDelivery.id).limit(MAX_PROBLEMS))
    problems = [Problem(d.id, intake_id, d.status, d.attempts, d.error) for d, intake_id in session.execute(query)]
    return Report(_view(row), _counts(session, [broadcast_id]).get(broadcast_id, {}), problems)


def _counts(session: Session, broadcast_ids: list[int]) -> dict[int, dict[MessageStatus, int]]:
    query = (select(BroadcastDelivery.broadcast_id, BroadcastDelivery.status, func.count())
             .where(BroadcastDelivery.broadcast_id.in_(broadcast_ids))
             .group_by(BroadcastDelivery.broadcast_id, BroadcastDelivery.status))
    counts: dict[int, dict[MessageStatus, int]] = {}
    for broadcast_id, status, number in session.execute(query):
        counts.setdefault(broadcast_id, {})[MessageStatus(status)] = int(number)
    return counts


def _broadcast(session: Session, broadcast_id: int) -> Broadcast:
    row = session.get(Broadcast, broadcast_id)
    if row is None:
        raise UnknownBroadcast(f"no broadcast {broadcast_id}")
    return row


def _view(row: Broadcast) -> BroadcastView:
    return BroadcastView(row.id, row.author, row.text, Audience.of(row), row.audience, row.created_at,
                         row.confirmed_at)

"""Messages between the Division and an applicant: queued by staff, sent by a chat adapter, answered back.

A message to the applicant waits as "pending" until an adapter claims it, sends it and
marks what happened (sent, blocked, failed after a few attempts). The applicant answers
by replying to the chat message that carried it; the reply joins the same thread. Every
queued message is written to the audit log (without its text). Only reviewers and admins
may write; adapters check the role.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.clock import aware
from intake.errors import IntakeError, UnknownSession
from intake.models import Applicant, IntakeSession
from intake.review_models import MessageDirection, MessageStatus, StaffMessage
from intake.schema import Language
from intake.services.applicants import record_audit

# Telegram takes 4096 characters (UTF-16 units) a message; the header in the applicant's
# language takes the rest.
MAX_TEXT = 3500
MAX_ATTEMPTS = 3
# A claimed message is left to its sender this long; a sender that died is relieved after it.
CLAIM_LEASE = timedelta(minutes=2)
RETRY_DELAY = timedelta(seconds=30)
MAX_ERROR = 500


class InvalidMessage(IntakeError):
    """A message that cannot be queued, with the reason to show."""


@dataclass(frozen=True)
class ThreadEntry:
    """One message of an intake's thread as staff read it."""

    id: int
    direction: MessageDirection
    author: str | None
    text: str
    status: MessageStatus | None
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    error: str | None


@dataclass(frozen=True)
class Outgoing:
    """A claimed message to send: to whom, in which language, and what."""

    id: int
    session_id: int
    external_id: str
    language: Language
    text: str


def text_length(text: str) -> int:
    """Return a text's length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def checked_text(text: str) -> str:
    """Return a message to send as it will be stored: surrounding blanks dropped, line breaks kept.

    Raises:
        InvalidMessage: the text is empty or longer than MAX_TEXT.
    """
    cleaned = text.replace("\r\n", "\n").strip()
    if not cleaned:
        raise InvalidMessage("Le message est vide.")
    if text_length(cleaned) > MAX_TEXT:
        raise InvalidMessage(f"Le message dépasse {MAX_TEXT} caractères ({text_length(cleaned)}) : raccourcissez-le.")
    return cleaned


def queue_message(session: Session, session_id: int, author: str, text: str, now: datetime) -> int:
    """Queue a message from a staff member to the intake's applicant, and audit it.

    Args:
        session: the unit of work's session.
        session_id: the intake whose applicant is written to.
        author: the staff member's e-mail.
        text: the message; surrounding blanks are dropped, line breaks kept.
        now: the current time.

    Returns:
        The message's id.

    Raises:
        UnknownSession: no intake has this id.
        InvalidMessage: the text is empty or longer than MAX_TEXT.
    """
    if session.get(IntakeSession, session_id) is None:
        raise UnknownSession(f"no intake {session_id}")
    cleaned = checked_text(text)
    row = StaffMessage(session_id=session_id, direction=MessageDirection.TO_APPLICANT, author=author, text=cleaned,
                       status=MessageStatus.PENDING, attempts=0, created_at=aware(now), next_attempt_at=aware(now))
    session.add(row)
    repo.flush(session)
    record_audit(session, actor=author, action="intake.reply", target=f"intake:{session_id}", now=now,
                 details={"message": row.id, "characters": text_length(cleaned)})  # the text stays out of the log
    return row.id


def message_thread(session: Session, session_id: int) -> list[ThreadEntry]:
    """Return an intake's messages, both ways, oldest first."""
    rows = session.scalars(select(StaffMessage).where(StaffMessage.session_id == session_id)
                           .order_by(StaffMessage.created_at, StaffMessage.id))
    return [ThreadEntry(r.id, r.direction, r.author, r.text, r.status, r.attempts, r.created_at, r.sent_at, r.error)
            for r in rows]


def claim_pending(session: Session, *, channel: str, now: datetime, limit: int,
                  skip: Collection[str] = ()) -> list[Outgoing]:
    """Claim pending messages that are due, at most one per applicant, for one round of sending.

    A claim counts an attempt and keeps the message from other senders for CLAIM_LEASE.
    Only an applicant's oldest pending message is a candidate, so each chat gets one
    message a round and the thread arrives in order, a message waiting for a retry included.

    Args:
        session: the unit of work's session.
        channel: the channel the adapter sends on, e.g. "telegram".
        now: the current time.
        limit: how many messages at most.
        skip: chat identities to leave to a later round (in a conversation with the bot now).

    Returns:
        The messages to send now.
    """
    query = (select(StaffMessage, Applicant)
             .join(IntakeSession, StaffMessage.session_id == IntakeSession.id)
             .join(Applicant, IntakeSession.applicant_id == Applicant.id)
             .where(StaffMessage.status == MessageStatus.PENDING, Applicant.channel == channel)
             .order_by(StaffMessage.id))
    claimed: list[Outgoing] = []
    seen: set[int] = set()
    for message, person in session.execute(query).all():
        if person.id in seen:
            continue
        seen.add(person.id)
        if person.external_id not in skip and len(claimed) < limit and _claim(session, message.id, now):
            claimed.append(Outgoing(message.id, message.session_id, person.external_id, Language(person.language),
                                    message.text))
    return claimed


def _claim(session: Session, message_id: int, now: datetime) -> bool:
    """Take the message if it is still pending and due: False when another sender took it first."""
    result = session.execute(
        update(StaffMessage)
        .where(StaffMessage.id == message_id, StaffMessage.status == MessageStatus.PENDING,
               StaffMessage.next_attempt_at <= aware(now))
        .values(attempts=StaffMessage.attempts + 1, next_attempt_at=aware(now) + CLAIM_LEASE)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def mark_sent(session: Session, message_id: int, telegram_message_id: int, now: datetime) -> None:
    """Record that the message reached the chat, in the chat message whose replies answer it."""
    row = session.get_one(StaffMessage, message_id)
    row.status, row.telegram_message_id = MessageStatus.SENT, telegram_message_id
    row.sent_at, row.next_attempt_at, row.error = aware(now), None, None
    repo.flush(session)


def mark_blocked(session: Session, message_id: int, error: str) -> None:
    """Record that the applicant blocked the bot: the message cannot reach them."""
    _close(session.get_one(StaffMessage, message_id), MessageStatus.BLOCKED, error)
    repo.flush(session)


def record_failure(session: Session, message_id: int, error: str, now: datetime, *,
                   permanent: bool = False) -> MessageStatus:
    """Record a failed attempt: tried again later, or failed after MAX_ATTEMPTS or when the error is `permanent`.

    Returns:
        PENDING when it will be tried again, else FAILED.
    """
    row = session.get_one(StaffMessage, message_id)
    if permanent or row.attempts >= MAX_ATTEMPTS:
        _close(row, MessageStatus.FAILED, error)
    else:
        row.error, row.next_attempt_at = error[:MAX_ERROR], aware(now) + RETRY_DELAY * row.attempts
    repo.flush(session)
    return row.status or MessageStatus.FAILED


def postpone(session: Session, message_ids: Sequence[int], until: datetime) -> None:
    """Put claimed messages back until `until` (the channel asked to wait); the attempt does not count."""
    for message_id in message_ids:
        row = session.get_one(StaffMessage, message_id)
        if row.status == MessageStatus.PENDING:
            row.attempts, row.next_attempt_at = max(0, row.attempts - 1), aware(until)
    repo.flush(session)


def _close(row: StaffMessage, status: MessageStatus, error: str) -> None:
    row.status, row.error, row.next_attempt_at = status, error[:MAX_ERROR], None


def record_applicant_reply(session: Session, *, channel: str, external_id: str, reply_to: int, text: str,
                           now: datetime) -> int | None:
    """Add an applicant's answer to the thread of the message it replies to.

    Args:
        session: the unit of work's session.
        channel: the channel the answer came from, e.g. "telegram".
        external_id: the applicant's id on that channel.
        reply_to: the chat message the answer replies to.
        text: the answer.
        now: the current time.

    Returns:
        The intake the answer joined, or None when `reply_to` carried no message to this applicant.
    """
    query = (select(StaffMessage.session_id)
             .join(IntakeSession, StaffMessage.session_id == IntakeSession.id)
             .join(Applicant, IntakeSession.applicant_id == Applicant.id)
             .where(StaffMessage.direction == MessageDirection.TO_APPLICANT,
                    StaffMessage.telegram_message_id == reply_to,
                    Applicant.channel == channel, Applicant.external_id == str(external_id))
             .order_by(StaffMessage.id.desc()).limit(1))
    session_id = session.scalars(query).first()
    if session_id is None:
        return None
    session.add(StaffMessage(session_id=session_id, direction=MessageDirection.FROM_APPLICANT, author=None,
                             text=text, status=None, attempts=0, created_at=aware(now)))
    repo.flush(session)
    return session_id

"""The review workflow's tables: where each intake stands with the Division, its history, its messages and broadcasts.

Kept apart from `intake.models` (the applicant's side), which imports this module at its
end so the tables are always part of the metadata Alembic compares.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intake.models import Base, EnumText


class IntakeReview(Base):
    """An intake's review status and reviewer (a row exists once staff changed something)."""

    __tablename__ = "intake_reviews"

    session_id: Mapped[int] = mapped_column(ForeignKey("intake_sessions.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(40))
    reviewer: Mapped[str | None] = mapped_column(String(254))
    updated_at: Mapped[datetime]


class ReviewEvent(Base):
    """One change to a review (status, reviewer) or a private note, with who and when."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("intake_sessions.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class QuestionHandling(Base):
    """A staff member's mark that an asked question was dealt with (a card written or extended, or set aside).

    The questions page groups the open questions only; a question asked again later is a new
    outcome and opens its group again.
    """

    __tablename__ = "question_handlings"

    outcome_id: Mapped[int] = mapped_column(ForeignKey("answer_outcomes.id", ondelete="CASCADE"), primary_key=True)
    handled_by: Mapped[str] = mapped_column(String(254))
    card_id: Mapped[str | None] = mapped_column(String(128))
    handled_at: Mapped[datetime]


class MessageDirection(StrEnum):
    """Which way a message of an intake's thread went."""

    TO_APPLICANT = "to_applicant"
    FROM_APPLICANT = "from_applicant"


class MessageStatus(StrEnum):
    """Where a message to the applicant stands: waiting for the bot, or what sending it gave."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"


class StaffMessage(Base):
    """One message of an intake's thread: the Division's, sent through the bot, or the applicant's answer.

    `telegram_message_id` is the chat message that carried a message to the applicant, so a
    reply to it finds its thread; `next_attempt_at` keeps a message being sent, or waiting
    to be sent again, away from the other senders until then.
    """

    __tablename__ = "staff_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("intake_sessions.id", ondelete="CASCADE"), index=True)
    direction: Mapped[MessageDirection] = mapped_column(EnumText(MessageDirection))
    author: Mapped[str | None] = mapped_column(String(254))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[MessageStatus | None] = mapped_column(EnumText(MessageStatus))
    attempts: Mapped[int] = mapped_column(default=0)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(500))


class Broadcast(Base):
    """A message from the Division to every opted-in applicant of an edition (optionally narrowed).

    Written as a draft, previewed, then confirmed once: `confirmed_at` is set and one delivery
    per applicant of the audience at that moment is created. `audience` is the number of
    recipients counted when drafted, then the number of deliveries created at confirmation.
    """

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author: Mapped[str] = mapped_column(String(254))
    text: Mapped[str] = mapped_column(Text)
    edition: Mapped[int]
    filters: Mapped[dict[str, Any]]
    audience: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]


class BroadcastDelivery(Base):
    """One applicant's copy of a confirmed broadcast and what sending it gave.

    Goes with the applicant when they are deleted; `next_attempt_at` is the sender's lease,
    as for the Division's messages.
    """

    __tablename__ = "broadcast_deliveries"
    __table_args__ = (UniqueConstraint("broadcast_id", "applicant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"), index=True)
    status: Mapped[MessageStatus] = mapped_column(EnumText(MessageStatus))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]

"""The intake tables, SQLAlchemy 2.0 style; Alembic owns the schema (see `intake/migrations`)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Double, ForeignKey, MetaData, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from intake.checklist import ItemStatus
from intake.schema import Language

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class SessionStatus(StrEnum):
    """Where an intake session stands."""

    IN_PROGRESS = "in_progress"
    FINISHED = "finished"


class StaffRole(StrEnum):
    """What a staff account may do: viewers read; reviewers also review and reply; admins also manage."""

    VIEWER = "viewer"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class ChangeKind(StrEnum):
    """What changed on a checklist item."""

    STATUS = "status"
    NOTE = "note"
    ATTACHMENT = "attachment"


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC date-time on every backend (SQLite keeps no offset, so restore it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store in UTC; refuse naive times, whose zone nobody knows."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return an aware UTC date-time."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EnumText(TypeDecorator[StrEnum]):
    """A StrEnum stored as its plain value in a VARCHAR, the same on SQLite and PostgreSQL."""

    impl = String(20)
    cache_ok = True

    def __init__(self, enum: type[StrEnum]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: StrEnum | str | None, dialect: Dialect) -> str | None:
        """Store the value, after checking it belongs to the enum."""
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> StrEnum | None:
        """Return the enum member."""
        return None if value is None else self.enum(value)


class Base(DeclarativeBase):
    """Base of every intake table."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}  # noqa: RUF012 (SQLAlchemy reads it)


class Applicant(Base):
    """A person using the assistant, known by the chat they write from."""

    __tablename__ = "applicants"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    language: Mapped[Language] = mapped_column(EnumText(Language))
    consent_at: Mapped[datetime | None]
    reminders_opt_in: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class IntakeSession(Base):
    """One pre-eligibility check of an applicant for one edition; versioned against lost updates."""

    __tablename__ = "intake_sessions"
    __table_args__ = (UniqueConstraint("applicant_id", "edition"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"), index=True)
    edition: Mapped[int]
    status: Mapped[SessionStatus] = mapped_column(EnumText(SessionStatus))
    current_question: Mapped[str | None] = mapped_column(String(40))
    answers: Mapped[dict[str, Any]]
    history: Mapped[list[Any]]
    verdict: Mapped[str | None] = mapped_column(String(20))
    reasons: Mapped[list[Any]]
    missing: Mapped[list[Any]]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class ChecklistItemState(Base):
    """An applicant's status, note and files for one dossier item of one edition."""

    __tablename__ = "checklist_item_states"
    __table_args__ = (UniqueConstraint("applicant_id", "edition", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"), index=True)
    edition: Mapped[int]
    item_id: Mapped[str] = mapped_column(String(40))
    status: Mapped[ItemStatus] = mapped_column(EnumText(ItemStatus))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="item_state", order_by="Attachment.id", cascade="all, delete-orphan", passive_deletes=True
    )


class ChecklistEvent(Base):
    """One change to a checklist item, with its time: the item's history."""

    __tablename__ = "checklist_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_state_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_item_states.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ChangeKind] = mapped_column(EnumText(ChangeKind))
    value: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class Attachment(Base):
    """A file attached to a checklist item, stored by reference: the bytes live elsewhere."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_state_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_item_states.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(127))
    sha256: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(String(1024))
    created_at: Mapped[datetime]

    item_state: Mapped[ChecklistItemState] = relationship(back_populates="attachments")


class AskedQuestion(Base):
    """A question an applicant asked the assistant, the answer given and whether it abstained."""

    __tablename__ = "asked_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int | None] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[Language] = mapped_column(EnumText(Language))
    edition: Mapped[int | None]
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    abstained: Mapped[bool]
    sources: Mapped[list[Any]]
    created_at: Mapped[datetime]


class AnswerOutcome(Base):
    """How the assistant answered one message, kept for the staff's review of what it cannot answer.

    Kept for every message: the question with e-mail addresses and phone numbers masked,
    linked to the applicant only when they consented; `reply_message_id` lets the
    "did this help?" buttons of that reply, and only them, record feedback.
    """

    __tablename__ = "answer_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int | None] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[Language] = mapped_column(EnumText(Language))
    question: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Double)
    chosen: Mapped[str | None] = mapped_column(String(128))
    parts: Mapped[int]
    feedback: Mapped[str | None] = mapped_column(String(16))
    reply_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(index=True)


class AuditEntry(Base):
    """One staff action (export, deletion, review), kept without personal data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(128))
    details: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class StaffAccount(Base):
    """A member of the Ministry's division who signs in to the staff workspace."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[StaffRole] = mapped_column(EnumText(StaffRole))
    disabled: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]


class StaffSession(Base):
    """A signed-in staff browser: the cookie's token is kept only as its SHA-256 digest."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class ReminderSent(Base):
    """A deadline reminder claimed for an applicant, so it goes out once across restarts."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("applicant_id", "edition", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"), index=True)
    edition: Mapped[int]
    days_before: Mapped[int]
    sent_at: Mapped[datetime]


# The review workflow's tables and the workers' delivery tables share this metadata, which
# Alembic compares whole. They are registered here rather than in `intake/__init__.py` so that
# reading editions or the clock does not import SQLAlchemy: answering a question from the
# command line never needs it.
from intake import delivery_models as delivery_models  # noqa: E402
from intake import review_models as review_models  # noqa: E402  (they subclass `Base`, above)

"""The review workflow's tables: where each intake stands with the Division, and its history.

Kept apart from `intake.models` (the applicant's side); `intake/__init__.py` imports this
module so the tables are always part of the metadata Alembic compares.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.models import Base


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

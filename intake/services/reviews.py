"""The Division's review of an intake: a status from the data file, a reviewer, private notes.

Every change is kept as an event (who, when, what) for the intake's timeline, and in the
audit log. Only reviewers and admins may change a review; adapters check the role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from datafiles import read_model
from intake import repositories as repo
from intake.clock import aware
from intake.errors import IntakeError, UnknownSession
from intake.models import IntakeSession, StaffRole
from intake.review_models import IntakeReview, ReviewEvent
from intake.schema import LocalizedText
from intake.services.applicants import record_audit
from intake.services.staff import find_staff

STATUSES_FILE = Path(__file__).parent.parent / "data" / "review_statuses.yaml"
MAX_NOTE = 2000
CAN_REVIEW = {StaffRole.REVIEWER, StaffRole.ADMIN}


class ReviewStatus(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    label: LocalizedText


class ReviewStatuses(BaseModel):
    model_config = ConfigDict(extra="forbid")
    statuses: list[ReviewStatus]

    @field_validator("statuses")
    @classmethod
    def _distinct(cls, value: list[ReviewStatus]) -> list[ReviewStatus]:
        ids = [status.id for status in value]
        if not ids or len(set(ids)) != len(ids):
            raise ValueError("statuses must be a non-empty list of distinct ids")
        return value


class InvalidReview(IntakeError):
    """A review change that cannot be made, with the reason to show."""


@dataclass(frozen=True)
class ReviewView:
    status: ReviewStatus
    reviewer: str | None
    events: list[ReviewEvent]


@lru_cache(maxsize=1)
def review_statuses() -> list[ReviewStatus]:
    """Return the workflow's statuses from the validated data file; the first is every intake's start."""
    return read_model(STATUSES_FILE, ReviewStatuses)[0].statuses


def get_review(session: Session, session_id: int) -> ReviewView:
    """Return an intake's review: its status (the first one until staff change it), reviewer and history."""
    statuses = {s.id: s for s in review_statuses()}
    row = session.get(IntakeReview, session_id)
    events = list(session.scalars(select(ReviewEvent).where(ReviewEvent.session_id == session_id)
                                  .order_by(ReviewEvent.id)))
    status = statuses.get(row.status, review_statuses()[0]) if row else review_statuses()[0]
    return ReviewView(status, row.reviewer if row else None, events)


def review_states(session: Session) -> dict[int, tuple[str, str | None]]:
    """Return every reviewed intake's (status, reviewer), by intake id; others are at the first status."""
    return {row.session_id: (row.status, row.reviewer) for row in session.scalars(select(IntakeReview))}


def change_review(session: Session, session_id: int, actor: str, now: datetime, *, status: str | None = None,
                  reviewer: str | None = None, note: str | None = None) -> ReviewView:
    """Apply what changed (status, reviewer, a note), each as an event; `InvalidReview` names a bad value."""
    if session.get(IntakeSession, session_id) is None:
        raise UnknownSession(f"no intake {session_id}")
    row = session.get(IntakeReview, session_id) or IntakeReview(session_id=session_id, status=review_statuses()[0].id,
                                                                updated_at=aware(now))
    changes = _changes(session, row, status, reviewer, note)
    if not changes:
        return get_review(session, session_id)
    for kind, value in changes:
        if kind == "status":
            row.status = value
        elif kind == "reviewer":
            row.reviewer = value or None
        session.add(ReviewEvent(session_id=session_id, actor=actor, kind=kind, value=value, created_at=aware(now)))
    row.updated_at = aware(now)
    session.add(row)
    repo.flush(session)
    record_audit(session, actor=actor, action="review.change", target=f"intake:{session_id}", now=now,
                 details={"changed": [kind for kind, _ in changes]})  # a note's text stays out of the audit log
    return get_review(session, session_id)


def _changes(session: Session, row: IntakeReview, status: str | None, reviewer: str | None,
             note: str | None) -> list[tuple[str, str]]:
    changes: list[tuple[str, str]] = []
    if status is not None and status != row.status:
        if status not in {s.id for s in review_statuses()}:
            raise InvalidReview(f"unknown review status {status[:40]!r}")
        changes.append(("status", status))
    if reviewer is not None and (reviewer.strip().lower() or None) != row.reviewer:
        address = reviewer.strip().lower()
        account = find_staff(session, address) if address else None
        if address and (account is None or account.disabled or account.role not in CAN_REVIEW):
            raise InvalidReview(f"{address[:254]} is not an active reviewer")
        changes.append(("reviewer", address))
    if note is not None and note.strip():
        if len(note) > MAX_NOTE:
            raise InvalidReview(f"a note has at most {MAX_NOTE} characters")
        changes.append(("note", note.strip()))
    return changes

"""Read-only lookups a chat adapter needs between messages, without creating anything."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.models import IntakeSession, SessionStatus
from intake.services.applicants import ApplicantView, get_applicant


@dataclass(frozen=True)
class CheckRef:
    """Which check an applicant worked on last."""

    session_id: int
    edition: int
    status: SessionStatus


def find_applicant(session: Session, *, channel: str, external_id: str) -> ApplicantView | None:
    """Return the applicant known by a chat identity, or None; unlike register_applicant, never create one.

    Args:
        session: the unit of work's session.
        channel: e.g. "telegram".
        external_id: the id on that channel.

    Returns:
        The applicant, or None when this identity has stored nothing.
    """
    found = repo.applicant_by_chat(session, channel, str(external_id))
    return get_applicant(session, found.id) if found is not None else None


def latest_check(session: Session, applicant_id: int) -> CheckRef | None:
    """Return the applicant's most recently changed check, or None if they never started one.

    Args:
        session: the unit of work's session.
        applicant_id: whose checks.

    Returns:
        The session id, edition and status of that check.
    """
    query = (
        select(IntakeSession)
        .where(IntakeSession.applicant_id == applicant_id)
        .order_by(IntakeSession.updated_at.desc(), IntakeSession.id.desc())
        .limit(1)
    )
    row = session.scalars(query).one_or_none()
    return CheckRef(row.id, row.edition, row.status) if row is not None else None

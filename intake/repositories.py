"""Queries on the intake tables. Repositories flush; the caller's unit of work commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Executable, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from intake.errors import NotOwner, StaleSession, UnknownApplicant, UnknownAttachment, UnknownSession
from intake.models import (
    AnswerOutcome,
    Applicant,
    AskedQuestion,
    Attachment,
    ChecklistEvent,
    ChecklistItemState,
    IntakeSession,
)

Row = TypeVar("Row")


def flush(session: Session) -> None:
    """Send pending changes; a versioned row changed by someone else becomes StaleSession."""
    try:
        session.flush()
    except StaleDataError as error:
        raise StaleSession(str(error)) from None


def add_or_get(session: Session, row: Row, existing: Callable[[], Row | None]) -> Row:
    """Insert `row`, or return the one a concurrent insert created first (unique key clash)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        return found
    return row


def applicant(session: Session, applicant_id: int) -> Applicant:
    """Return the applicant, or raise UnknownApplicant."""
    found = session.get(Applicant, applicant_id)
    if found is None:
        raise UnknownApplicant(f"no applicant {applicant_id}")
    return found


def applicant_by_chat(session: Session, channel: str, external_id: str) -> Applicant | None:
    """Return the applicant known by this chat identity, if any."""
    query = select(Applicant).where(Applicant.channel == channel, Applicant.external_id == external_id)
    return session.scalars(query).one_or_none()


def owned_session(session: Session, applicant_id: int, session_id: int) -> IntakeSession:
    """Return an intake session after checking it belongs to the applicant.

    Raises:
        UnknownSession: no such session.
        NotOwner: the session is someone else's (callback data can be forged).
    """
    found = session.get(IntakeSession, session_id)
    if found is None:
        raise UnknownSession(f"no intake session {session_id}")
    if found.applicant_id != applicant_id:
        raise NotOwner(f"intake session {session_id} is not applicant {applicant_id}'s")
    return found


def intake_session_for(session: Session, applicant_id: int, edition: int) -> IntakeSession | None:
    """Return the applicant's session for an edition, if there is one."""
    query = select(IntakeSession).where(
        IntakeSession.applicant_id == applicant_id, IntakeSession.edition == edition
    )
    return session.scalars(query).one_or_none()


def item_states(session: Session, applicant_id: int, edition: int) -> dict[str, ChecklistItemState]:
    """Return the applicant's stored checklist states for an edition, by item id."""
    query = select(ChecklistItemState).where(
        ChecklistItemState.applicant_id == applicant_id, ChecklistItemState.edition == edition
    )
    return {state.item_id: state for state in session.scalars(query)}


def owned_attachment(session: Session, applicant_id: int, attachment_id: int) -> Attachment:
    """Return an attachment after checking it belongs to the applicant."""
    found = session.get(Attachment, attachment_id)
    if found is None:
        raise UnknownAttachment(f"no attachment {attachment_id}")
    if found.item_state.applicant_id != applicant_id:
        raise NotOwner(f"attachment {attachment_id} is not applicant {applicant_id}'s")
    return found


def delete_applicant_rows(session: Session, applicant_id: int) -> tuple[dict[str, int], list[str]]:
    """Delete every row about an applicant, children first; return counts and file locations."""
    state_ids = select(ChecklistItemState.id).where(ChecklistItemState.applicant_id == applicant_id)
    locations = list(session.scalars(select(Attachment.location).where(Attachment.item_state_id.in_(state_ids))))
    counts: dict[str, int] = {}
    statements = {
        "attachments": delete(Attachment).where(Attachment.item_state_id.in_(state_ids)),
        "checklist_events": delete(ChecklistEvent).where(ChecklistEvent.item_state_id.in_(state_ids)),
        "checklist_items": delete(ChecklistItemState).where(ChecklistItemState.applicant_id == applicant_id),
        "intake_sessions": delete(IntakeSession).where(IntakeSession.applicant_id == applicant_id),
        "asked_questions": delete(AskedQuestion).where(AskedQuestion.applicant_id == applicant_id),
        "answer_outcomes": delete(AnswerOutcome).where(AnswerOutcome.applicant_id == applicant_id),
        "applicants": delete(Applicant).where(Applicant.id == applicant_id),
    }
    for name, statement in statements.items():
        counts[name] = _count(session, statement)
    return counts, locations


def _count(session: Session, statement: Executable) -> int:
    # The default synchronisation also removes the deleted objects from the session.
    result = session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


def count_rows(session: Session, model: type[object]) -> int:
    """Return how many rows a table has (for tests and the staff dashboard)."""
    return int(session.scalar(select(func.count()).select_from(model)) or 0)

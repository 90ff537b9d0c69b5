"""Services about applicants: identity, language, consent, reminders, questions asked, deletion."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.clock import aware
from intake.models import Applicant, AskedQuestion, AuditEntry
from intake.schema import Language

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ApplicantView:
    """An applicant as the adapters see it."""

    id: int
    channel: str
    external_id: str
    language: Language
    consent_at: datetime | None
    reminders_opt_in: bool

    @property
    def has_consented(self) -> bool:
        """Return whether the applicant agreed to the storage of their answers."""
        return self.consent_at is not None


@dataclass(frozen=True)
class DeletionReport:
    """What deleting an applicant removed, and where their files' bytes are to delete too."""

    counts: dict[str, int]
    attachment_locations: list[str]


def register_applicant(
    session: Session, *, channel: str, external_id: str, language: Language | str = Language.FR,
    now: datetime,
) -> ApplicantView:
    """Return the applicant for a chat identity, creating it on first contact.

    Args:
        session: the unit of work's session.
        channel: where the applicant writes from, e.g. "telegram".
        external_id: their id on that channel, e.g. the Telegram user id.
        language: the language to use when the applicant is new.
        now: the current time (default: the clock).

    Returns:
        The applicant; an existing one keeps its language.
    """
    found = repo.applicant_by_chat(session, channel, str(external_id))
    if found is not None:
        return _view(found)
    moment = aware(now)
    row = Applicant(
        channel=channel, external_id=str(external_id), language=Language(language),
        reminders_opt_in=False, created_at=moment, updated_at=moment,
    )
    row = repo.add_or_get(session, row, lambda: repo.applicant_by_chat(session, channel, str(external_id)))
    return _view(row)


def get_applicant(session: Session, applicant_id: int) -> ApplicantView:
    """Return an applicant.

    Raises:
        UnknownApplicant.
    """
    return _view(repo.applicant(session, applicant_id))


def set_language(session: Session, applicant_id: int, language: Language | str, *, now: datetime) -> ApplicantView:
    """Change the language the applicant is spoken to in.

    Raises:
        UnknownApplicant; ValueError for a language other than fr, ar, en.
    """
    row = repo.applicant(session, applicant_id)
    row.language = Language(language)
    return _touch(session, row, now)


def record_consent(session: Session, applicant_id: int, *, given: bool = True, now: datetime) -> ApplicantView:
    """Record that the applicant agreed (or no longer agrees) to the storage of their answers.

    Raises:
        UnknownApplicant.
    """
    row = repo.applicant(session, applicant_id)
    row.consent_at = aware(now) if given else None
    return _touch(session, row, now)


def set_reminders(session: Session, applicant_id: int, opt_in: bool, *, now: datetime) -> ApplicantView:
    """Turn deadline reminders on or off for the applicant.

    Raises:
        UnknownApplicant.
    """
    row = repo.applicant(session, applicant_id)
    row.reminders_opt_in = opt_in
    return _touch(session, row, now)


def record_asked_question(
    session: Session, *, applicant_id: int | None, question: str, answer: str, abstained: bool,
    language: Language | str, edition: int | None = None, sources: Sequence[str] = (), now: datetime,
) -> int:
    """Keep a question asked to the assistant with the answer given and whether it abstained.

    Args:
        session: the unit of work's session.
        applicant_id: who asked, or None for an anonymous channel (the CLI).
        question: the question as asked.
        answer: the answer given.
        abstained: whether the assistant declined to answer.
        language: the language of the exchange.
        edition: the edition the answer was about, if any.
        sources: the citations the answer rested on.
        now: the current time (default: the clock).

    Returns:
        The id of the stored row.
    """
    if applicant_id is not None:
        repo.applicant(session, applicant_id)
    row = AskedQuestion(
        applicant_id=applicant_id, question=question, answer=answer, abstained=abstained,
        language=Language(language), edition=edition, sources=list(sources), created_at=aware(now),
    )
    session.add(row)
    repo.flush(session)
    return row.id


def record_audit(
    session: Session, *, actor: str, action: str, target: str | None = None,
    details: dict[str, Any] | None = None, now: datetime,
) -> int:
    """Log a staff action; keep personal data out of `details`.

    Returns:
        The id of the audit entry.
    """
    row = AuditEntry(actor=actor, action=action, target=target, details=details or {}, created_at=aware(now))
    session.add(row)
    repo.flush(session)
    logger.info("audit: %s did %s on %s", actor, action, target)
    return row.id


def delete_applicant_data(
    session: Session, applicant_id: int, *, actor: str = "applicant", now: datetime
) -> DeletionReport:
    """Delete everything stored about an applicant, and log the deletion without personal data.

    Args:
        session: the unit of work's session.
        applicant_id: whose data to delete.
        actor: who asked: "applicant" or a staff member's name.
        now: the current time (default: the clock).

    Returns:
        The number of rows deleted per table, and the locations of attached files,
        whose bytes the caller deletes after the commit.

    Raises:
        UnknownApplicant.
    """
    repo.applicant(session, applicant_id)
    repo.flush(session)
    counts, locations = repo.delete_applicant_rows(session, applicant_id)
    record_audit(session, actor=actor, action="delete_applicant", target=f"applicant:{applicant_id}",
                 details={"counts": counts}, now=now)
    return DeletionReport(counts, locations)


def _touch(session: Session, row: Applicant, now: datetime) -> ApplicantView:
    row.updated_at = aware(now)
    repo.flush(session)
    return _view(row)


def _view(row: Applicant) -> ApplicantView:
    return ApplicantView(
        id=row.id, channel=row.channel, external_id=row.external_id, language=Language(row.language),
        consent_at=row.consent_at, reminders_opt_in=row.reminders_opt_in,
    )

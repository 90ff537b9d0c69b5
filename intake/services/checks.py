"""Services for the guided pre-eligibility check: start or resume, answer, go back, restart, finish."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, object_session

from intake import repositories as repo
from intake.catalog import EditionCatalog, packaged_catalog
from intake.clock import aware, local_day
from intake.eligibility import Decision, evaluate
from intake.errors import CheckIncomplete, ConsentRequired, SessionFinished, StaleSession
from intake.flow import Progress, answer, asked_questions, go_back, next_question, repair, restart
from intake.models import IntakeSession, SessionStatus
from intake.schema import Edition, Question

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckState:
    """What an adapter needs to render a check: the next question and the verdict so far."""

    session_id: int
    applicant_id: int
    edition: int
    status: SessionStatus
    version: int
    answers: dict[str, Any]
    current_question: Question | None
    decision: Decision
    answered: int
    to_ask: int

    @property
    def can_finish(self) -> bool:
        """Return whether every required question is answered."""
        return not self.decision.missing


def start_or_resume_check(
    session: Session, applicant_id: int, edition: int, *,
    catalog: EditionCatalog | None = None, now: datetime,
) -> CheckState:
    """Return the applicant's check for an edition, creating it on first use.

    Args:
        session: the unit of work's session.
        applicant_id: the applicant, who must have given consent.
        edition: the year of the edition.
        catalog: the editions (default: the packaged ones).
        now: the current time (default: the clock).

    Returns:
        The check, at the first unanswered question.

    Raises:
        UnknownApplicant, ConsentRequired, UnknownEdition.
    """
    spec = (catalog or packaged_catalog()).get(edition)
    person = repo.applicant(session, applicant_id)
    if person.consent_at is None:
        raise ConsentRequired(f"applicant {applicant_id} has not consented yet")
    moment = aware(now)
    row = repo.intake_session_for(session, applicant_id, edition)
    if row is None:
        created = _new_row(applicant_id, edition, moment)
        row = repo.add_or_get(session, created, lambda: repo.intake_session_for(session, applicant_id, edition))
        if row is created:
            _store(row, Progress(), spec, moment)
            logger.info("intake session %s started for edition %s", row.id, edition)
    elif repair(_progress(row), spec) != _progress(row):
        # The edition file changed since these answers were given: keep what still fits.
        _store(row, repair(_progress(row), spec), spec, moment)
    return _state(row, spec, moment)


def get_check(
    session: Session, applicant_id: int, session_id: int, *,
    catalog: EditionCatalog | None = None, now: datetime,
) -> CheckState:
    """Return a check as it stands.

    Raises:
        UnknownSession, NotOwner.
    """
    row = repo.owned_session(session, applicant_id, session_id)
    return _state(row, (catalog or packaged_catalog()).get(row.edition), aware(now))


def record_answer(
    session: Session, applicant_id: int, session_id: int, question_id: str, value: Any, *,
    expected_version: int | None = None, catalog: EditionCatalog | None = None, now: datetime,
) -> CheckState:
    """Record one answer; text typed in a chat is read too ("oui", "12", "نعم").

    Args:
        session: the unit of work's session.
        applicant_id: who answers; must own the session.
        session_id: the intake session.
        question_id: a question the earlier answers call for.
        value: the answer (option id, list of ids, bool, int, text) or chat text.
        expected_version: the version the applicant saw, to refuse answers to an old screen.
        catalog: the editions (default: the packaged ones).
        now: the current time (default: the clock).

    Returns:
        The check after the answer.

    Raises:
        InvalidAnswer: with the message in fr/ar/en; UnknownSession, NotOwner,
        SessionFinished, StaleSession.
    """
    row = _writable(session, applicant_id, session_id, expected_version)
    if row.status == SessionStatus.FINISHED:
        raise SessionFinished(f"intake session {session_id} is finished")
    spec = (catalog or packaged_catalog()).get(row.edition)
    moment = aware(now)
    _store(row, answer(_progress(row), spec, question_id, value), spec, moment)
    return _state(row, spec, moment)


def go_back_one(
    session: Session, applicant_id: int, session_id: int, *,
    expected_version: int | None = None, catalog: EditionCatalog | None = None, now: datetime,
) -> CheckState:
    """Take back the last answer so its question is asked again; reopens a finished check.

    Raises:
        UnknownSession, NotOwner, StaleSession.
    """
    return _rewind(session, applicant_id, session_id, expected_version, catalog, now, go_back)


def restart_check(
    session: Session, applicant_id: int, session_id: int, *,
    expected_version: int | None = None, catalog: EditionCatalog | None = None, now: datetime,
) -> CheckState:
    """Forget every answer and start the check again from the first question.

    Raises:
        UnknownSession, NotOwner, StaleSession.
    """
    return _rewind(session, applicant_id, session_id, expected_version, catalog, now,
                   lambda _progress, _spec: restart())


def finish_check(
    session: Session, applicant_id: int, session_id: int, *,
    expected_version: int | None = None, catalog: EditionCatalog | None = None, now: datetime,
) -> CheckState:
    """Close the check and keep its verdict; optional questions may stay unanswered.

    Raises:
        CheckIncomplete: required questions are unanswered. UnknownSession, NotOwner, StaleSession.
    """
    row = _writable(session, applicant_id, session_id, expected_version)
    spec = (catalog or packaged_catalog()).get(row.edition)
    moment = aware(now)
    state = _state(row, spec, moment)
    if state.decision.missing:
        raise CheckIncomplete(list(state.decision.missing))
    if row.status != SessionStatus.FINISHED:
        row.status = SessionStatus.FINISHED
        row.finished_at = moment
        _store(row, _progress(row), spec, moment)
    return _state(row, spec, moment)


def _writable(session: Session, applicant_id: int, session_id: int, expected: int | None) -> IntakeSession:
    row = repo.owned_session(session, applicant_id, session_id)
    if expected is not None and expected != row.version:
        raise StaleSession(f"intake session {session_id} is at version {row.version}, not {expected}")
    return row


def _rewind(
    session: Session, applicant_id: int, session_id: int, expected_version: int | None,
    catalog: EditionCatalog | None, now: datetime, step: Callable[[Progress, Edition], Progress],
) -> CheckState:
    """Reopen a check and move it back with `step` (one question, or to the start)."""
    row = _writable(session, applicant_id, session_id, expected_version)
    spec = (catalog or packaged_catalog()).get(row.edition)
    moment = aware(now)
    _reopen(row)
    _store(row, step(_progress(row), spec), spec, moment)
    return _state(row, spec, moment)


def _reopen(row: IntakeSession) -> None:
    row.status = SessionStatus.IN_PROGRESS
    row.finished_at = None


def _new_row(applicant_id: int, edition: int, moment: datetime) -> IntakeSession:
    return IntakeSession(
        applicant_id=applicant_id, edition=edition, status=SessionStatus.IN_PROGRESS,
        answers={}, history=[], reasons=[], missing=[], created_at=moment, updated_at=moment,
    )


def _progress(row: IntakeSession) -> Progress:
    return Progress(dict(row.answers or {}), tuple(row.history or ()))


def _store(row: IntakeSession, progress: Progress, edition: Edition, moment: datetime) -> None:
    """Write the progress and the verdict it leads to; the flush checks the version."""
    decision = evaluate(progress.answers, edition, local_day(moment, edition.timezone))
    upcoming = next_question(edition, progress.answers)
    # New containers, never in-place edits: the JSON columns only see reassignment.
    row.answers = dict(progress.answers)
    row.history = list(progress.history)
    row.current_question = upcoming.id if upcoming else None
    row.verdict = decision.verdict.value
    row.reasons = [{"rule": r.rule, "outcome": r.outcome.value} for r in decision.reasons]
    row.missing = list(decision.missing)
    row.updated_at = moment
    repo.flush(_session_of(row))


def _state(row: IntakeSession, edition: Edition, moment: datetime) -> CheckState:
    answers = dict(row.answers or {})
    return CheckState(
        session_id=row.id, applicant_id=row.applicant_id, edition=row.edition, status=row.status,
        version=row.version, answers=answers, current_question=next_question(edition, answers),
        decision=evaluate(answers, edition, local_day(moment, edition.timezone)),
        answered=len(answers), to_ask=len(asked_questions(edition, answers)),
    )


def _session_of(row: IntakeSession) -> Session:
    found = object_session(row)
    if found is None:
        raise RuntimeError("row is not attached to a session")
    return found

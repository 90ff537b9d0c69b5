"""The log of what applicants asked (answer outcomes), as staff review it: filter, mark handled.

Outcomes hold the question masked (no e-mail address, no phone number) and anonymous unless
the applicant consented; staff never see more here than the outcome keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.clock import aware
from intake.models import AnswerOutcome
from intake.review_models import QuestionHandling
from intake.services.applicants import record_audit

# An answer whose calibrated probability of being right is under this is shown as low
# confidence: the assistant answered, but staff should check the card it chose.
LOW_CONFIDENCE = 0.6
MOST_QUESTIONS = 2000  # the newest questions a view groups; older ones are in the export


class AnswerClass(StrEnum):
    """How the assistant dealt with a question, as staff filter it."""

    ANSWERED = "answered"
    LOW_CONFIDENCE = "low_confidence"
    REFUSED = "refused"


@dataclass(frozen=True)
class LoggedQuestion:
    """One question asked, as the log keeps it."""

    outcome_id: int
    question: str
    language: str
    decision: str
    answer_class: AnswerClass
    score: float
    chosen: str | None
    feedback: str | None
    asked_at: datetime
    handled_by: str | None


@dataclass(frozen=True)
class QuestionFilter:
    """Which questions a view shows: by age, class, and open or handled."""

    days: int = 30
    answer_class: AnswerClass | None = None
    handled: bool = False


QUESTION_COLUMNS = ["id", "asked_at", "language", "decision", "answer_class", "score", "answered_from", "feedback",
                    "handled_by", "question"]


def question_rows(questions: list[LoggedQuestion]) -> list[list[object]]:
    """Return the question log's cells, in `QUESTION_COLUMNS` order."""
    return [[q.outcome_id, q.asked_at, q.language, q.decision, q.answer_class.value, round(q.score, 3), q.chosen,
             q.feedback, q.handled_by, q.question] for q in questions]


def answer_class(decision: str, score: float) -> AnswerClass:
    """Return how staff see an outcome: answered, answered with low confidence, or refused."""
    if decision != "answered":
        return AnswerClass.REFUSED
    return AnswerClass.LOW_CONFIDENCE if score < LOW_CONFIDENCE else AnswerClass.ANSWERED


def logged_questions(session: Session, chosen: QuestionFilter, now: datetime) -> list[LoggedQuestion]:
    """Return the newest questions the filter keeps (at most `MOST_QUESTIONS`), newest first."""
    since = aware(now) - timedelta(days=chosen.days)
    query = (select(AnswerOutcome, QuestionHandling)
             .outerjoin(QuestionHandling, QuestionHandling.outcome_id == AnswerOutcome.id)
             .where(AnswerOutcome.created_at >= since)
             .where(QuestionHandling.outcome_id.is_not(None) if chosen.handled
                    else QuestionHandling.outcome_id.is_(None))
             .order_by(AnswerOutcome.id.desc()))
    kept: list[LoggedQuestion] = []
    for outcome, handling in session.execute(query):
        logged = _logged(outcome, handling)
        if chosen.answer_class is None or logged.answer_class == chosen.answer_class:
            kept.append(logged)
        if len(kept) >= MOST_QUESTIONS:
            break
    return kept


def mark_handled(session: Session, outcome_ids: Sequence[int], actor: str, now: datetime,
                 card_id: str | None = None) -> int:
    """Mark questions as dealt with (optionally by a card); return how many were newly marked.

    Ids of questions that do not exist, or are already marked, are passed over.
    """
    wanted = set(outcome_ids)
    existing = set(session.scalars(select(AnswerOutcome.id).where(AnswerOutcome.id.in_(wanted))))
    already = set(session.scalars(select(QuestionHandling.outcome_id)
                                  .where(QuestionHandling.outcome_id.in_(existing))))
    fresh = sorted(existing - already)
    session.add_all(QuestionHandling(outcome_id=outcome_id, handled_by=actor, card_id=card_id,
                                     handled_at=aware(now)) for outcome_id in fresh)
    repo.flush(session)
    record_audit(session, actor=actor, action="questions.handle", target=f"card:{card_id}" if card_id else None,
                 details={"questions": len(fresh)}, now=now)
    return len(fresh)


def questions_by_id(session: Session, outcome_ids: Sequence[int]) -> list[LoggedQuestion]:
    """Return the named questions (unknown ids are left out), oldest first."""
    query = (select(AnswerOutcome, QuestionHandling)
             .outerjoin(QuestionHandling, QuestionHandling.outcome_id == AnswerOutcome.id)
             .where(AnswerOutcome.id.in_(set(outcome_ids))).order_by(AnswerOutcome.id))
    return [_logged(outcome, handling) for outcome, handling in session.execute(query)]


def _logged(outcome: AnswerOutcome, handling: QuestionHandling | None) -> LoggedQuestion:
    return LoggedQuestion(outcome.id, outcome.question, str(outcome.language), outcome.decision,
                          answer_class(outcome.decision, outcome.score), outcome.score, outcome.chosen,
                          outcome.feedback, outcome.created_at, handling.handled_by if handling else None)

"""Answer outcomes: what the assistant decided on each message, and the applicant's feedback."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.clock import aware
from intake.models import AnswerOutcome
from intake.schema import Language

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Moroccan and international numbers as people type them: 06 61 42 69 28, +212661426928, 0661-42-69-28.
_PHONE = re.compile(r"(?<!\w)(?:\+|00)?\d(?:[\s.-]?\d){7,13}(?!\w)")
FEEDBACK = ("helpful", "not_helpful")


def mask_contacts(text: str) -> str:
    """Return `text` with e-mail addresses and phone numbers replaced by placeholders."""
    return _PHONE.sub("[téléphone]", _EMAIL.sub("[e-mail]", text))


def record_outcome(
    session: Session, *, applicant_id: int | None, question: str, language: Language | str, decision: str,
    score: float, chosen: str | None, parts: int = 1, now: datetime,
) -> int:
    """Keep how one message was answered, its question masked.

    Args:
        session: the unit of work's session.
        applicant_id: the applicant, only when they consented; None keeps the outcome anonymous.
        question: the message as asked (masked here).
        language: the reply's language.
        decision: answered, refused, gap, unknown_year or empty.
        score: the best candidate's probability.
        chosen: the card or passage answered from.
        parts: how many questions the message held.
        now: the current time (default: the clock).

    Returns:
        The id of the stored row.
    """
    row = AnswerOutcome(
        applicant_id=applicant_id, language=Language(language), question=mask_contacts(question)[:2000],
        decision=decision[:16], score=float(score), chosen=chosen[:128] if chosen else None, parts=parts,
        created_at=aware(now),
    )
    session.add(row)
    repo.flush(session)
    return row.id


def attach_reply(session: Session, outcome_id: int, message_id: int) -> None:
    """Remember which message carries the outcome's feedback buttons."""
    row = session.get(AnswerOutcome, outcome_id)
    if row is not None:
        row.reply_message_id = message_id
        repo.flush(session)


def give_feedback(session: Session, outcome_id: int, message_id: int | None, helpful: bool) -> bool:
    """Record "did this help?" from the buttons of the reply; False for any other message's press.

    A press is accepted only from the message the outcome's reply went out in, so a forged
    press naming another outcome changes nothing.
    """
    row = session.get(AnswerOutcome, outcome_id)
    if row is None or message_id is None or row.reply_message_id != message_id:
        return False
    row.feedback = FEEDBACK[0] if helpful else FEEDBACK[1]
    repo.flush(session)
    return True

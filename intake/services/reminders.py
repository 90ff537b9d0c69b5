"""Services for deadline reminders: who is to be reminded, each applicant at most once per round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.clock import aware
from intake.models import Applicant, ReminderSent
from intake.schema import Language


@dataclass(frozen=True)
class ReminderRecipient:
    """An applicant to remind, and how to reach them."""

    applicant_id: int
    external_id: str
    language: Language


def claim_reminders(
    session: Session, *, channel: str, edition: int, days_before: int, now: datetime
) -> list[ReminderRecipient]:
    """Return the applicants to remind for one round, recording each one as reminded.

    The record is written before the reminder is sent: a crash in between loses one
    reminder rather than sending it twice.

    Args:
        session: the unit of work's session.
        channel: the channel the adapter sends on, e.g. "telegram".
        edition: the edition whose closing date the round announces.
        days_before: the round: how many days before the closing date.
        now: the current time (default: the clock).

    Returns:
        Applicants of that channel who opted in, consented and were not reminded yet.
    """
    moment = aware(now)
    reminded = select(ReminderSent.applicant_id).where(
        ReminderSent.edition == edition, ReminderSent.days_before == days_before
    )
    query = select(Applicant).where(
        Applicant.channel == channel, Applicant.reminders_opt_in.is_(True), Applicant.consent_at.is_not(None),
        Applicant.id.not_in(reminded),
    ).order_by(Applicant.id)
    claimed: list[ReminderRecipient] = []
    for person in session.scalars(query).all():
        if _claim(session, ReminderSent(applicant_id=person.id, edition=edition, days_before=days_before,
                                        sent_at=moment)):
            claimed.append(ReminderRecipient(person.id, person.external_id, Language(person.language)))
    repo.flush(session)
    return claimed


def _claim(session: Session, row: ReminderSent) -> bool:
    """Insert the claim; return False when another process claimed the same reminder first."""

    def existing() -> ReminderSent | None:
        query = select(ReminderSent).where(
            ReminderSent.applicant_id == row.applicant_id, ReminderSent.edition == row.edition,
            ReminderSent.days_before == row.days_before,
        )
        return session.scalars(query).one_or_none()

    return repo.add_or_get(session, row, existing) is row

"""The workspace's overview: where the intakes stand, counted by the database, and the next deadline."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.catalog import EditionCatalog
from intake.clock import aware
from intake.edition_status import EditionStatus, edition_status
from intake.models import IntakeSession
from intake.review_models import IntakeReview
from intake.schema import Edition
from intake.services.intake_search import count_by_verdict
from intake.services.reviews import review_statuses

RECENT_DAYS = 14


@dataclass(frozen=True)
class Overview:
    """Counts by verdict (None: in progress) and review status, intakes started per day, the open edition."""

    by_verdict: dict[str | None, int]
    by_review: dict[str, int]
    started_per_day: list[tuple[date, int]]  # the last `RECENT_DAYS` days, oldest first, zeros included
    next_deadline: Edition | None

    @property
    def total(self) -> int:
        return sum(self.by_verdict.values())


def intake_overview(session: Session, catalog: EditionCatalog, now: datetime, today: date) -> Overview:
    """Return the overview as of `now` (`today` is the day in Morocco, for the editions' status)."""
    years = catalog.years()
    first_status = review_statuses()[0].id
    review = func.coalesce(IntakeReview.status, first_status)
    by_review = dict(session.execute(
        select(review, func.count()).select_from(IntakeSession)
        .outerjoin(IntakeReview, IntakeReview.session_id == IntakeSession.id)
        .where(IntakeSession.edition.in_(years)).group_by(review)).all())
    since = aware(now) - timedelta(days=RECENT_DAYS - 1)
    starts = session.scalars(select(IntakeSession.created_at).where(
        IntakeSession.edition.in_(years), IntakeSession.created_at >= since.replace(hour=0, minute=0, second=0)))
    per_day = Counter(moment.date() for moment in starts)
    days = [since.date() + timedelta(days=n) for n in range(RECENT_DAYS)]
    return Overview(count_by_verdict(session, catalog=catalog), by_review, [(day, per_day[day]) for day in days],
                    _next_deadline(catalog, today))


def _next_deadline(catalog: EditionCatalog, today: date) -> Edition | None:
    """Return the edition open today or the next to open (the latest if several)."""
    current = [catalog.get(year) for year in catalog.years()
               if edition_status(catalog.get(year), today) in (EditionStatus.OPEN, EditionStatus.UPCOMING)]
    return max(current, key=lambda edition: edition.year) if current else None

"""The workspace's overview counts, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from intake_factories import ELIGIBLE_EXISTING, ELIGIBLE_NEW, NOW, make_finished_check
from sqlalchemy.orm import Session, sessionmaker

from intake.catalog import packaged_catalog
from intake.database import unit_of_work
from intake.services.overview import RECENT_DAYS, intake_overview
from intake.services.reviews import change_review


def test_the_overview_counts_verdicts_review_statuses_and_starts_per_day(factory: sessionmaker[Session]) -> None:
    make_finished_check(factory)
    make_finished_check(factory, {**ELIGIBLE_EXISTING, "years_of_state_support": 5})
    _, state = make_finished_check(factory, ELIGIBLE_NEW)
    with unit_of_work(factory) as session:
        change_review(session, state.session_id, "reviewer@mcinet.gov.ma", NOW, status="shortlisted")
    with unit_of_work(factory) as session:
        seen = intake_overview(session, packaged_catalog(), NOW, NOW.date())
    assert seen.total == 3 and sum(seen.by_verdict.values()) == 3 and len(seen.by_verdict) == 2
    assert seen.by_review == {"new": 2, "shortlisted": 1}
    assert len(seen.started_per_day) == RECENT_DAYS
    assert seen.started_per_day[-1] == (NOW.date(), 3) and sum(n for _, n in seen.started_per_day) == 3
    with unit_of_work(factory) as session:
        later = intake_overview(session, packaged_catalog(), NOW + timedelta(days=RECENT_DAYS), NOW.date())
    assert sum(n for _, n in later.started_per_day) == 0  # older starts fall out of the window


def test_the_next_deadline_is_the_open_edition_and_none_once_all_are_closed(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        open_now = intake_overview(session, packaged_catalog(), NOW, NOW.date())
        all_closed = intake_overview(session, packaged_catalog(), NOW, NOW.date().replace(year=2099))
    assert open_now.next_deadline is not None and open_now.next_deadline.year == 2025
    assert all_closed.next_deadline is None and all_closed.total == 0

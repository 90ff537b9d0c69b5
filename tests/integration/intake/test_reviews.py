"""Reviews on SQLite and PostgreSQL: changes become events, and an applicant's deletion takes them along."""

from __future__ import annotations

from intake_factories import NOW, make_finished_check
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from intake import services
from intake.database import unit_of_work
from intake.review_models import IntakeReview, ReviewEvent
from intake.services.reviews import change_review, get_review


def test_unchanged_values_add_no_event_and_deleting_the_applicant_deletes_its_review(
        factory: sessionmaker[Session]) -> None:
    applicant_id, state = make_finished_check(factory)
    with unit_of_work(factory) as session:
        assert get_review(session, state.session_id).status.id == "new"
        change_review(session, state.session_id, "a@mcinet.gov.ma", NOW, status="incomplete", note="RC manquant")
        view = change_review(session, state.session_id, "a@mcinet.gov.ma", NOW, status="incomplete", note="  ")
        assert [(e.kind, e.value) for e in view.events] == [("status", "incomplete"), ("note", "RC manquant")]
    with unit_of_work(factory) as session:
        services.delete_applicant_data(session, applicant_id, now=NOW)
    with unit_of_work(factory) as session:
        assert session.scalar(select(func.count()).select_from(IntakeReview)) == 0
        assert session.scalar(select(func.count()).select_from(ReviewEvent)) == 0

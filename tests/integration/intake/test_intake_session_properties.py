"""Property: any sequence of service calls, valid or not, leaves the stored check consistent."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from intake_factories import NOW, make_applicant, start_check
from sqlalchemy.orm import Session, sessionmaker

from intake import services
from intake.catalog import packaged_catalog
from intake.database import unit_of_work
from intake.errors import CheckIncomplete, InvalidAnswer, SessionFinished
from intake.flow import Progress, repair
from intake.models import IntakeSession, SessionStatus

EDITION = packaged_catalog().get(2025)
QUESTION_IDS = [question.id for question in EDITION.questions]
VALUES = st.one_of(
    st.sampled_from(["new", "existing", "industrial", "other", "association", "none_yet", "oui", "non", "12", "x"]),
    st.booleans(), st.integers(-5, 120), st.none(),
    st.lists(st.sampled_from(["companies", "startups", "research", "training", "public", "banks"]), max_size=3),
)
STEPS = st.lists(st.one_of(
    st.tuples(st.just("answer"), st.sampled_from([*QUESTION_IDS, "unknown"]), VALUES),
    st.tuples(st.sampled_from(["back", "restart", "finish"]), st.none(), st.none()),
), max_size=15)
EXPECTED = (InvalidAnswer, SessionFinished, CheckIncomplete)


def apply(session: Session, applicant_id: int, session_id: int, step: tuple[str, Any, Any]) -> None:
    kind, question_id, value = step
    if kind == "answer":
        services.record_answer(session, applicant_id, session_id, question_id, value, now=NOW)
    elif kind == "back":
        services.go_back_one(session, applicant_id, session_id, now=NOW)
    elif kind == "restart":
        services.restart_check(session, applicant_id, session_id, now=NOW)
    else:
        services.finish_check(session, applicant_id, session_id, now=NOW)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_any_sequence_of_calls_leaves_a_valid_stored_check(factory: sessionmaker[Session],
                                                           steps: list[tuple[str, Any, Any]]) -> None:
    applicant_id = make_applicant(factory)
    session_id = start_check(factory, applicant_id).session_id
    for step in steps:
        try:
            with unit_of_work(factory) as session:
                apply(session, applicant_id, session_id, step)
        except EXPECTED:
            pass
        with factory() as session:
            row = session.get(IntakeSession, session_id)
            progress = Progress(row.answers, tuple(row.history))
            assert repair(progress, EDITION) == progress
            assert row.current_question is None or row.current_question not in row.answers
            if row.status == SessionStatus.FINISHED:
                assert row.missing == [] and row.finished_at is not None

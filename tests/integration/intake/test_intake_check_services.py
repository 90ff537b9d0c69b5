"""The check services against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from intake_factories import AFTER_DEADLINE, ELIGIBLE_EXISTING, NOW, answer_all, make_applicant, start_check
from sqlalchemy.orm import Session, sessionmaker

from intake import services
from intake.database import unit_of_work
from intake.errors import (
    CheckIncomplete,
    ConsentRequired,
    InvalidAnswer,
    NotOwner,
    SessionFinished,
    UnknownApplicant,
    UnknownEdition,
    UnknownSession,
)
from intake.models import IntakeSession, SessionStatus


def test_a_check_starts_at_the_first_question_and_resumes(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    first = start_check(factory, applicant_id)
    assert first.current_question.id == "cluster_status"
    assert first.decision.verdict == "to_confirm"
    answer_all(factory, applicant_id, first.session_id, {"cluster_status": "existing"})
    again = start_check(factory, applicant_id)
    assert again.session_id == first.session_id
    assert again.current_question.id == "previously_labelled"
    assert again.answers == {"cluster_status": "existing"}


def test_a_complete_existing_cluster_is_eligible_and_finishes(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    state = answer_all(factory, applicant_id, start_check(factory, applicant_id).session_id, ELIGIBLE_EXISTING)
    assert state.current_question is None and state.can_finish
    assert state.decision.verdict == "eligible"
    with unit_of_work(factory) as session:
        finished = services.finish_check(session, applicant_id, state.session_id, now=NOW)
    assert finished.status == SessionStatus.FINISHED
    with factory() as session:
        row = session.get(IntakeSession, state.session_id)
        assert row.verdict == "eligible" and row.finished_at == NOW and row.current_question is None
        assert row.answers["years_of_state_support"] == 9


def test_the_stored_verdict_follows_the_clock_passed_in(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    state = start_check(factory, applicant_id)
    with unit_of_work(factory) as session:
        late = services.record_answer(session, applicant_id, state.session_id, "cluster_status", "new",
                                      now=AFTER_DEADLINE)
    assert late.decision.deadline_passed and late.decision.verdict == "not_eligible"
    with factory() as session:
        assert session.get(IntakeSession, state.session_id).reasons == [
            {"rule": "deadline_open", "outcome": "not_eligible"}]


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", "Indiquez un nombre entier entre 1 et 5000."),
    ("en", "Enter a whole number between 1 and 5000."),
    ("ar", "أدخلوا عددا صحيحا بين 1 و5000."),
], ids=["fr", "en", "ar"])
def test_a_wrong_answer_is_explained_in_the_applicants_language(
    factory: sessionmaker[Session], language: str, expected: str
) -> None:
    applicant_id = make_applicant(factory, language=language)
    state = start_check(factory, applicant_id)
    answer_all(factory, applicant_id, state.session_id, {"cluster_status": "new", "sector": "industrial",
                                                         "member_types": ["companies"]})
    with pytest.raises(InvalidAnswer) as caught, unit_of_work(factory) as session:
        services.record_answer(session, applicant_id, state.session_id, "member_count", "zéro", now=NOW)
    with factory() as session:
        person = services.get_applicant(session, applicant_id)
    assert caught.value.in_language(person.language) == expected


def test_chat_text_answers_are_read(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory, language="ar")
    state = start_check(factory, applicant_id)
    typed = {"cluster_status": "عنقود قائم", "previously_labelled": "نعم", "years_of_state_support": "١٠"}
    state = answer_all(factory, applicant_id, state.session_id, typed)
    assert state.answers == {"cluster_status": "existing", "previously_labelled": True, "years_of_state_support": 10}


def test_going_back_and_restarting(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    state = start_check(factory, applicant_id)
    answer_all(factory, applicant_id, state.session_id, {"cluster_status": "new", "sector": "other"})
    with unit_of_work(factory) as session:
        back = services.go_back_one(session, applicant_id, state.session_id, now=NOW)
    assert back.current_question.id == "sector" and back.answers == {"cluster_status": "new"}
    with unit_of_work(factory) as session:
        fresh = services.restart_check(session, applicant_id, state.session_id, now=NOW)
    assert fresh.answers == {} and fresh.current_question.id == "cluster_status"


def test_a_finished_check_is_read_only_until_reopened(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    state = answer_all(factory, applicant_id, start_check(factory, applicant_id).session_id, ELIGIBLE_EXISTING)
    with unit_of_work(factory) as session:
        services.finish_check(session, applicant_id, state.session_id, now=NOW)
    with pytest.raises(SessionFinished), unit_of_work(factory) as session:
        services.record_answer(session, applicant_id, state.session_id, "sector", "other", now=NOW)
    with unit_of_work(factory) as session:
        reopened = services.go_back_one(session, applicant_id, state.session_id, now=NOW)
    assert reopened.status == SessionStatus.IN_PROGRESS


def test_finishing_needs_every_required_answer(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    state = start_check(factory, applicant_id)
    with pytest.raises(CheckIncomplete) as caught, unit_of_work(factory) as session:
        services.finish_check(session, applicant_id, state.session_id, now=NOW)
    assert caught.value.missing[0] == "cluster_status"


def test_an_applicant_cannot_touch_someone_elses_check(factory: sessionmaker[Session]) -> None:
    owner = make_applicant(factory)
    intruder = make_applicant(factory)
    state = start_check(factory, owner)
    calls = [
        lambda s: services.get_check(s, intruder, state.session_id, now=NOW),
        lambda s: services.record_answer(s, intruder, state.session_id, "cluster_status", "new", now=NOW),
        lambda s: services.go_back_one(s, intruder, state.session_id, now=NOW),
        lambda s: services.restart_check(s, intruder, state.session_id, now=NOW),
        lambda s: services.finish_check(s, intruder, state.session_id, now=NOW),
        lambda s: services.build_summary(s, intruder, state.session_id),
    ]
    for call in calls:
        with pytest.raises(NotOwner), unit_of_work(factory) as session:
            call(session)
    with factory() as session:
        assert session.get(IntakeSession, state.session_id).answers == {}


def test_unknown_ids_and_missing_consent_are_refused(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory, consent=False)
    with pytest.raises(ConsentRequired), unit_of_work(factory) as session:
        services.start_or_resume_check(session, applicant_id, 2025, now=NOW)
    with pytest.raises(UnknownApplicant), unit_of_work(factory) as session:
        services.start_or_resume_check(session, 999_999, 2025, now=NOW)
    with pytest.raises(UnknownSession), unit_of_work(factory) as session:
        services.get_check(session, applicant_id, 999_999, now=NOW)
    with pytest.raises(UnknownEdition), unit_of_work(factory) as session:
        services.start_or_resume_check(session, applicant_id, 1999, now=NOW)


def test_applicant_settings(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory, consent=False)
    with unit_of_work(factory) as session:
        again = services.register_applicant(session, channel="telegram", external_id=services.get_applicant(
            session, applicant_id).external_id, language="en", now=NOW)
        assert again.id == applicant_id and again.language == "fr"  # an existing applicant keeps its language
        services.set_language(session, applicant_id, "ar", now=NOW)
        services.set_reminders(session, applicant_id, True, now=NOW)
        services.record_consent(session, applicant_id, now=NOW)
    with factory() as session:
        person = services.get_applicant(session, applicant_id)
    assert (person.language, person.reminders_opt_in, person.has_consented) == ("ar", True, True)
    with pytest.raises(ValueError), unit_of_work(factory) as session:
        services.set_language(session, applicant_id, "de", now=NOW)

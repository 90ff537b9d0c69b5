"""Answer outcomes: kept masked for everyone, linked only with consent, feedback only from the reply."""

from __future__ import annotations

import pytest
from intake_factories import NOW, make_applicant
from sqlalchemy.orm import Session, sessionmaker

from intake import services
from intake.database import unit_of_work
from intake.models import AnswerOutcome
from intake.services.outcomes import attach_reply, give_feedback, mask_contacts, record_outcome


@pytest.mark.parametrize(("text", "masked"), [
    ("Mon mail est ali.b+test@gmail.com, merci", "Mon mail est [e-mail], merci"),
    ("appelez-moi au 06 61 42 69 28 svp", "appelez-moi au [téléphone] svp"),
    ("ou +212661426928 ou 0661-42-69-28", "ou [téléphone] ou [téléphone]"),
    ("Date limite 2025 ? 12 membres dont 5 entreprises", "Date limite 2025 ? 12 membres dont 5 entreprises"),
])
def test_contacts_are_masked_and_numbers_that_are_not_phones_stay(text: str, masked: str) -> None:
    assert mask_contacts(text) == masked


def _outcome(factory: sessionmaker[Session], applicant_id: int | None, question: str = "Quelle date limite ?") -> int:
    with unit_of_work(factory) as session:
        outcome_id = record_outcome(session, applicant_id=applicant_id, question=question, language="fr",
                                    decision="answered", score=0.93, chosen="card:deadline-current", now=NOW)
        attach_reply(session, outcome_id, message_id=77)
    return outcome_id


def test_an_outcome_is_kept_masked_and_anonymous_without_an_applicant(factory: sessionmaker[Session]) -> None:
    outcome_id = _outcome(factory, None, "écrivez à moi@exemple.ma")
    with factory() as session:
        row = session.get(AnswerOutcome, outcome_id)
        assert row is not None
        assert (row.applicant_id, row.question, row.decision, row.chosen) == (
            None, "écrivez à [e-mail]", "answered", "card:deadline-current")


def test_feedback_counts_only_from_the_message_that_carried_the_answer(factory: sessionmaker[Session]) -> None:
    outcome_id = _outcome(factory, None)
    with unit_of_work(factory) as session:
        assert give_feedback(session, outcome_id, message_id=78, helpful=False) is False
        assert give_feedback(session, outcome_id + 1000, message_id=77, helpful=False) is False
        assert give_feedback(session, outcome_id, message_id=77, helpful=True) is True
    with factory() as session:
        assert session.get(AnswerOutcome, outcome_id).feedback == "helpful"  # type: ignore[union-attr]


def test_deleting_an_applicant_removes_their_linked_outcomes_only(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    mine, anonymous = _outcome(factory, applicant_id), _outcome(factory, None)
    with unit_of_work(factory) as session:
        report = services.delete_applicant_data(session, applicant_id, actor="applicant", now=NOW)
    assert report.counts["answer_outcomes"] == 1
    with factory() as session:
        assert session.get(AnswerOutcome, mine) is None and session.get(AnswerOutcome, anonymous) is not None

"""The check's rules shared by every adapter: typed text as an answer, a move that must fit its question."""

from __future__ import annotations

import pytest

from intake.catalog import packaged_catalog
from intake.errors import UnfitMove
from intake.schema import QuestionType
from intake.services.check_flow import CheckMove, CheckStep, move_value, reads_as_answer

EDITION = packaged_catalog().get(2025)
QUESTIONS = {question.id: question for question in EDITION.questions}


@pytest.mark.parametrize(("question", "text", "answer"), [
    ("member_count", "20", True),
    ("member_count", " ٢٥ ", True),
    ("member_count", "-3", True),
    ("member_count", "1 200", True),
    ("member_count", "vingt", False),
    ("member_count", "20 ?", False),
    ("member_count", "Quelle est la date limite", False),
    ("cluster_name", "Cluster Agro Souss", True),
    ("cluster_name", "C'est quoi un cluster ?", False),
    ("cluster_name", "ما هو العنقود؟", False),
    ("has_governance", "oui", True),
    ("has_governance", "نعم", True),
    ("has_governance", "pourquoi", False),
    ("cluster_status", "2", True),
    ("cluster_status", "Nouveau cluster", True),
    ("cluster_status", "nouveau ou pas", False),
    ("member_types", "entreprises, start-ups", True),
    ("member_types", "1, 3", True),
    ("member_types", "des entreprises surtout", False),
    ("member_count", "", False),
])
def test_typed_text_is_an_answer_only_when_it_reads_as_one(question: str, text: str, answer: bool) -> None:
    assert reads_as_answer(QUESTIONS[question], text) is answer


def _first(kind: QuestionType) -> str:
    return next(q.id for q in EDITION.questions if q.type == kind)


def test_a_move_names_an_option_of_its_question_or_is_refused() -> None:
    choice = QUESTIONS[_first(QuestionType.SINGLE_CHOICE)]
    assert move_value(choice, CheckMove(1, 1, 1, CheckStep.ANSWER, 0)) == choice.options[0].id
    with pytest.raises(UnfitMove):
        move_value(choice, CheckMove(1, 1, 1, CheckStep.ANSWER, len(choice.options)))
    yes_no = QUESTIONS[_first(QuestionType.YES_NO)]
    assert move_value(yes_no, CheckMove(1, 1, 1, CheckStep.ANSWER, 1)) is True
    with pytest.raises(UnfitMove):
        move_value(yes_no, CheckMove(1, 1, 1, CheckStep.TOGGLE, 1))

"""Which question comes next: branching on earlier answers, going back, restarting."""

from __future__ import annotations

from typing import Any

import pytest
from intake_cases import ELIGIBLE_EXISTING, ELIGIBLE_NEW

from intake.errors import InvalidAnswer
from intake.flow import Progress, answer, clean_answers, go_back, missing_questions, next_question, repair, restart
from intake.schema import Edition

COMMON_TAIL = ["sector", "member_types", "member_count", "company_share_percent", "legal_form",
               "has_governance", "has_collaborative_projects", "cluster_name"]


def walk(edition: Edition, answers: dict[str, Any]) -> list[str]:
    """Answer questions in the order the flow asks them; return that order."""
    progress, asked = Progress(), []
    while (question := next_question(edition, progress.answers)) is not None:
        asked.append(question.id)
        progress = answer(progress, edition, question.id, answers.get(question.id))
    return asked


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ["cluster_status", *COMMON_TAIL]),
        ({"cluster_status": "existing", "previously_labelled": True, "years_of_state_support": 9},
         ["cluster_status", "previously_labelled", "years_of_state_support", *COMMON_TAIL]),
        ({"cluster_status": "existing", "previously_labelled": False},
         ["cluster_status", "previously_labelled", *COMMON_TAIL]),
        ({"member_types": ["research", "public"]},
         ["cluster_status", *[q for q in COMMON_TAIL if q != "company_share_percent"]]),
        ({"member_types": ["startups"]}, ["cluster_status", *COMMON_TAIL]),
    ],
    ids=["new", "existing_labelled", "existing_not_labelled", "no_companies", "startups_only"],
)
def test_branching(edition: Edition, changes: dict[str, Any], expected: list[str]) -> None:
    answers = {**ELIGIBLE_NEW, "cluster_name": "Atlas", **changes}
    assert walk(edition, answers) == expected


def test_switching_to_new_drops_the_answers_only_an_existing_cluster_gives(edition: Edition) -> None:
    progress = Progress()
    for question_id in ("cluster_status", "previously_labelled", "years_of_state_support", "sector"):
        progress = answer(progress, edition, question_id, ELIGIBLE_EXISTING[question_id])
    progress = answer(progress, edition, "cluster_status", "new")
    assert progress.answers == {"cluster_status": "new", "sector": "industrial"}
    assert progress.history == ("sector", "cluster_status")


def test_a_question_not_called_for_is_refused(edition: Edition) -> None:
    progress = answer(Progress(), edition, "cluster_status", "new")
    with pytest.raises(InvalidAnswer) as caught:
        answer(progress, edition, "years_of_state_support", 9)
    assert "earlier answers" in caught.value.message_en


def test_an_invalid_answer_changes_nothing(edition: Edition) -> None:
    progress = answer(Progress(), edition, "cluster_status", "new")
    with pytest.raises(InvalidAnswer):
        answer(progress, edition, "member_count", -3)
    assert progress.answers == {"cluster_status": "new"}


def test_going_back_asks_the_last_question_again(edition: Edition) -> None:
    progress = Progress()
    for question_id in ("cluster_status", "previously_labelled", "years_of_state_support"):
        progress = answer(progress, edition, question_id, ELIGIBLE_EXISTING[question_id])
    progress = go_back(progress, edition)
    assert next_question(edition, progress.answers).id == "years_of_state_support"
    progress = go_back(progress, edition)
    assert next_question(edition, progress.answers).id == "previously_labelled"
    assert progress.answers == {"cluster_status": "existing"}


def test_going_back_on_an_empty_check_does_nothing(edition: Edition) -> None:
    assert go_back(Progress(), edition) == Progress()
    assert restart() == Progress()


def test_going_back_on_the_branch_question_drops_its_branch(edition: Edition) -> None:
    progress = Progress()
    for question_id in ("cluster_status", "previously_labelled", "years_of_state_support"):
        progress = answer(progress, edition, question_id, ELIGIBLE_EXISTING[question_id])
    progress = answer(progress, edition, "cluster_status", "existing")  # the applicant re-answers it
    progress = go_back(progress, edition)
    assert progress == Progress()


def test_missing_questions_follow_the_branches(edition: Edition) -> None:
    missing = missing_questions(edition, {"cluster_status": "existing"})
    assert missing[0] == "previously_labelled"
    assert "years_of_state_support" not in missing  # asked only once labelled is known
    assert "cluster_name" not in missing_questions(edition, {})  # optional


def test_clean_answers_keeps_only_valid_asked_answers(edition: Edition) -> None:
    raw = {"cluster_status": "new", "years_of_state_support": 9, "member_count": "many", "bogus": 1, "sector": "other"}
    assert clean_answers(edition, raw) == {"cluster_status": "new", "sector": "other"}


def test_repair_keeps_history_in_step_with_answers(edition: Edition) -> None:
    broken = Progress({"cluster_status": "new", "years_of_state_support": 3}, ("years_of_state_support", "x"))
    assert repair(broken, edition) == Progress({"cluster_status": "new"}, ("cluster_status",))

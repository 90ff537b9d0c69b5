"""Answers are checked against their question; chat text is read; messages exist in three languages."""

from __future__ import annotations

from typing import Any

import pytest

from intake.answers import question_or_error, read_answer, validate_answer
from intake.errors import InvalidAnswer
from intake.schema import Edition

VALID = [
    ("cluster_status", "new", "new"),
    ("member_types", ["research", "companies", "research"], ["companies", "research"]),
    ("previously_labelled", False, False),
    ("years_of_state_support", 0, 0),
    ("member_count", 5000, 5000),
    ("company_share_percent", 100, 100),
    ("cluster_name", "  Cluster Atlas  ", "Cluster Atlas"),
    ("cluster_name", None, None),  # optional: may be skipped
]

INVALID = [
    ("cluster_status", "maybe"),
    ("cluster_status", ["new"]),
    ("member_types", []),
    ("member_types", ["companies", "banks"]),
    ("member_types", "companies"),
    ("previously_labelled", "yes"),
    ("previously_labelled", 1),
    ("years_of_state_support", -1),
    ("years_of_state_support", 61),
    ("years_of_state_support", 9.5),
    ("years_of_state_support", True),
    ("member_count", 0),
    ("company_share_percent", 101),
    ("cluster_name", ""),
    ("cluster_name", "x" * 121),
    ("sector", None),
]

FROM_TEXT = [
    ("previously_labelled", "Oui", True),
    ("previously_labelled", "نعم", True),
    ("previously_labelled", "no", False),
    ("years_of_state_support", " 12 ", 12),
    ("years_of_state_support", "١٢", 12),
    ("cluster_status", "Cluster existant", "existing"),
    ("cluster_status", "عنقود جديد", "new"),
    ("cluster_status", "2", "existing"),
    ("member_types", "Companies, research institutions", ["companies", "research"]),
    ("member_types", "مقاولات، مؤسسات البحث", ["companies", "research"]),
    ("cluster_name", "Atlas", "Atlas"),
]


@pytest.mark.parametrize(("question_id", "value", "stored"), VALID)
def test_valid_answers_are_stored_normalised(edition: Edition, question_id: str, value: Any, stored: Any) -> None:
    assert validate_answer(edition.question(question_id), value) == stored


@pytest.mark.parametrize(("question_id", "value"), INVALID)
def test_invalid_answers_get_a_message_in_each_language(edition: Edition, question_id: str, value: Any) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        validate_answer(edition.question(question_id), value)
    error = caught.value
    assert error.question_id == question_id
    assert error.message_fr and error.message_en and error.message_ar
    assert error.message_ar != error.message_fr
    assert error.in_language("ar") == error.message_ar


def test_the_range_message_names_the_bounds(edition: Edition) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        validate_answer(edition.question("company_share_percent"), 150)
    assert caught.value.message_fr == "Indiquez un nombre entier entre 0 et 100."
    assert caught.value.message_en == "Enter a whole number between 0 and 100."
    assert "0" in caught.value.message_ar and "100" in caught.value.message_ar


def test_the_choice_message_lists_the_options_in_the_language(edition: Edition) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        validate_answer(edition.question("sector"), "agri")
    assert "Industriel, Technologique" in caught.value.message_fr
    assert "صناعي" in caught.value.message_ar


@pytest.mark.parametrize(("question_id", "text", "stored"), FROM_TEXT)
def test_chat_text_is_read(edition: Edition, question_id: str, text: str, stored: Any) -> None:
    assert read_answer(edition.question(question_id), text) == stored


@pytest.mark.parametrize(("question_id", "text"), [("member_count", "beaucoup"), ("previously_labelled", "peut-être"),
                                                   ("sector", "agriculture"), ("member_count", "1e3")])
def test_unreadable_chat_text_is_an_invalid_answer(edition: Edition, question_id: str, text: str) -> None:
    with pytest.raises(InvalidAnswer):
        read_answer(edition.question(question_id), text)


def test_an_unknown_question_id_names_the_edition(edition: Edition) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        question_or_error(edition, "budget")
    assert str(edition.year) in caught.value.message_en and "budget" in caught.value.message_en

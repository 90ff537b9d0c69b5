"""Properties: any sequence of answers leaves a check consistent; the verdict is total."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from intake.catalog import packaged_catalog
from intake.eligibility import Decision, Verdict, evaluate
from intake.errors import InvalidAnswer
from intake.flow import Progress, answer, clean_answers, go_back, missing_questions, next_question, restart
from intake.schema import Edition, Question, QuestionType

CATALOG = packaged_catalog()
EDITIONS = st.sampled_from([CATALOG.get(year) for year in CATALOG.years()])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def valid_value(question: Question) -> st.SearchStrategy[Any]:
    """Return a strategy for answers the question accepts."""
    ids = question.option_ids()
    return {
        QuestionType.SINGLE_CHOICE: st.sampled_from(ids or ["_"]),
        QuestionType.MULTIPLE_CHOICE: st.lists(st.sampled_from(ids or ["_"]), min_size=1, unique=True),
        QuestionType.YES_NO: st.booleans(),
        QuestionType.INTEGER: st.integers(question.minimum or 0, question.maximum or 100),
        QuestionType.SHORT_TEXT: st.text(min_size=1, max_size=30).filter(str.strip),
    }[question.type]


@st.composite
def steps(draw: st.DrawFn, edition: Edition) -> list[tuple[str, str | None, Any]]:
    """Draw a sequence of answers (valid or not, asked or not), going back and restarts."""
    drawn = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["answer", "answer", "answer", "junk", "back", "restart"]))
        question = draw(st.sampled_from(edition.questions))
        if kind == "answer":
            drawn.append(("answer", question.id, draw(valid_value(question))))
        elif kind == "junk":
            drawn.append(("answer", draw(st.sampled_from([question.id, "unknown_id"])), draw(JSON)))
        else:
            drawn.append((kind, None, None))
    return drawn


def assert_consistent(progress: Progress, edition: Edition) -> None:
    assert clean_answers(edition, progress.answers) == progress.answers
    assert len(set(progress.history)) == len(progress.history)
    assert set(progress.history) == set(progress.answers)
    upcoming = next_question(edition, progress.answers)
    assert upcoming is None or upcoming.id not in progress.answers
    assert set(missing_questions(edition, progress.answers)).isdisjoint(progress.answers)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), edition=EDITIONS)
def test_any_sequence_of_steps_leaves_a_consistent_check(data: st.DataObject, edition: Edition) -> None:
    progress = Progress()
    for kind, question_id, value in data.draw(steps(edition)):
        if kind == "back":
            progress = go_back(progress, edition)
        elif kind == "restart":
            progress = restart()
        else:
            try:
                progress = answer(progress, edition, question_id or "", value)
            except InvalidAnswer as error:
                assert error.message_fr and error.message_ar and error.message_en
        assert_consistent(progress, edition)
        assert isinstance(evaluate(progress.answers, edition, date(2024, 1, 1)).verdict, Verdict)


@settings(max_examples=300, deadline=None)
@given(answers=st.dictionaries(st.text(max_size=30) | st.sampled_from(
    ["cluster_status", "previously_labelled", "years_of_state_support", "member_types", "member_count",
     "company_share_percent", "sector", "legal_form", "has_governance", "has_collaborative_projects"]),
    JSON, max_size=12), edition=EDITIONS, today=st.dates(date(2000, 1, 1), date(2100, 1, 1)))
def test_evaluate_is_total(answers: dict[str, Any], edition: Edition, today: date) -> None:
    decision = evaluate(answers, edition, today)
    assert isinstance(decision, Decision)
    assert decision.verdict in set(Verdict)
    assert {reason.rule for reason in decision.reasons} <= {rule.id for rule in edition.rules}
    assert set(decision.missing) <= {question.id for question in edition.questions}
    assert list(decision.to_json()) == ["verdict", "reasons", "missing", "deadline_passed"]
    if decision.verdict == Verdict.ELIGIBLE:
        assert not decision.missing and not decision.reasons


@settings(max_examples=100, deadline=None)
@given(data=st.data(), edition=EDITIONS)
def test_valid_complete_answers_never_leave_anything_missing(data: st.DataObject, edition: Edition) -> None:
    progress = Progress()
    while (question := next_question(edition, progress.answers)) is not None:
        progress = answer(progress, edition, question.id, data.draw(valid_value(question)))
    decision = evaluate(progress.answers, edition, date(2020, 1, 1))
    assert decision.missing == ()
    assert decision.undecided == ()

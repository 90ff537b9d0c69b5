"""Which question comes next, and the pure steps of a check: answer, go back, restart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from intake.answers import question_or_error, read_answer, validate_answer
from intake.conditions import Facts, holds
from intake.errors import InvalidAnswer
from intake.messages import Message, localized
from intake.schema import Edition, Question


@dataclass(frozen=True)
class Progress:
    """Where a check stands: the valid answers kept, and the order they were given in."""

    answers: dict[str, Any] = field(default_factory=dict)
    history: tuple[str, ...] = ()


def is_asked(question: Question, answers: Mapping[str, Any]) -> bool:
    """Return whether earlier answers call for this question (unknown means not yet)."""
    return question.ask_if is None or holds(question.ask_if, Facts(answers)) is True


def clean_answers(edition: Edition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only answers to known questions that are asked and valid, in stored form.

    Never raises: whatever comes in, what comes out is a consistent set of answers.
    """
    kept: dict[str, Any] = {}
    for question in edition.questions:
        if question.id not in answers or not is_asked(question, kept):
            continue
        try:
            kept[question.id] = validate_answer(question, answers[question.id])
        except InvalidAnswer:
            continue
    return kept


def asked_questions(edition: Edition, answers: Mapping[str, Any]) -> list[Question]:
    """Return the questions the (clean) answers call for, in order."""
    return [question for question in edition.questions if is_asked(question, answers)]


def next_question(edition: Edition, answers: Mapping[str, Any]) -> Question | None:
    """Return the first question still to answer, or None when the check is complete."""
    return next((q for q in asked_questions(edition, answers) if q.id not in answers), None)


def missing_questions(edition: Edition, answers: Mapping[str, Any]) -> list[str]:
    """Return the ids of required questions, asked given the answers, still unanswered."""
    return [q.id for q in asked_questions(edition, answers) if q.required and q.id not in answers]


def answer(progress: Progress, edition: Edition, question_id: str, value: Any) -> Progress:
    """Return the progress after answering a question; later answers that no longer apply go.

    Raises:
        InvalidAnswer: unknown question, question not asked, or a value that does not fit.
    """
    question = question_or_error(edition, question_id)
    if not is_asked(question, progress.answers):
        raise InvalidAnswer(question_id, localized(Message.NOT_ASKED))
    stored = read_answer(question, value)
    answers = clean_answers(edition, {**progress.answers, question_id: stored})
    return Progress(answers, _history(progress.history, answers, last=question_id))


def go_back(progress: Progress, edition: Edition) -> Progress:
    """Return the progress with the last given answer taken back, so it is asked again."""
    if not progress.history:
        return progress
    last = progress.history[-1]
    answers = clean_answers(edition, {k: v for k, v in progress.answers.items() if k != last})
    return Progress(answers, _history(progress.history[:-1], answers))


def restart() -> Progress:
    """Return an empty progress."""
    return Progress()


def repair(progress: Progress, edition: Edition) -> Progress:
    """Return the progress made consistent with the edition (after a data file changed)."""
    answers = clean_answers(edition, progress.answers)
    return Progress(answers, _history(progress.history, answers))


def _history(history: tuple[str, ...], answers: Mapping[str, Any], last: str | None = None) -> tuple[str, ...]:
    kept = [qid for qid in dict.fromkeys(history) if qid in answers and qid != last]
    kept += [qid for qid in answers if qid not in kept and qid != last]
    if last is not None and last in answers:
        kept.append(last)
    return tuple(kept)

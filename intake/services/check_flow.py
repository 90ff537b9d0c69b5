"""The check's rules between its services and any adapter: what a move or a typed reply does.

A move names the check's own ids (session, version, screen shown) and a step; an adapter
decodes its buttons into moves (Telegram's callback data, a form in the dashboard) and
renders the result. The rules: a check with no question left is finished so its verdict
is kept; a move from a screen no longer shown is refused; typed text answers the open
question only when it reads as an answer. Each function runs inside the caller's unit of work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from intake.answers import read_answer
from intake.catalog import EditionCatalog
from intake.errors import InvalidAnswer, SessionFinished, StaleSession, UnfitMove
from intake.models import SessionStatus
from intake.schema import Edition, Question, QuestionType
from intake.services.checks import (
    CheckState,
    finish_check,
    get_check,
    go_back_one,
    record_answer,
    restart_check,
    start_or_resume_check,
)
from intake.services.lookups import latest_check

_NUMBER = re.compile(r"[-−]?\d+")
VERDICT_SCREEN = 0  # the verdict has no question; questions are numbered from 1


class CheckStep(StrEnum):
    """What a move on the check does (the values are short: they travel in button data)."""

    ANSWER = "a"
    TOGGLE = "t"
    DONE = "d"
    SKIP = "s"
    BACK = "b"
    RESTART = "r"


@dataclass(frozen=True)
class CheckMove:
    """One move on a check: the session, the version and screen it was made on, the step and its argument."""

    session_id: int
    version: int
    screen: int
    step: CheckStep
    arg: int = 0


def screen_of(state: CheckState, edition: Edition) -> int:
    """Return the screen a state shows: its question's number from 1, or 0 for the verdict."""
    question = state.current_question
    if question is None or state.status == SessionStatus.FINISHED:
        return VERDICT_SCREEN
    return [q.id for q in edition.questions].index(question.id) + 1
_QUESTION_MARKS = ("?", "؟")


@dataclass(frozen=True)
class Step:
    """A check before and after one step, and the answer given if the step was an answer."""

    before: CheckState
    after: CheckState
    question: Question | None = None
    value: Any = None


@dataclass(frozen=True)
class Typed:
    """What typed text did to the applicant's open check, if they have one."""

    open: CheckState | None
    answered: Step | None = None
    refused: InvalidAnswer | None = None


def resume(session: Session, applicant_id: int, year: int, catalog: EditionCatalog, now: datetime) -> CheckState:
    """Return the applicant's check for an edition, started if new and finished if complete."""
    return settle(
        session,
        applicant_id,
        start_or_resume_check(session, applicant_id, year, catalog=catalog, now=now),
        catalog,
        now,
    )


def current(session: Session, applicant_id: int, session_id: int, catalog: EditionCatalog, now: datetime) -> CheckState:
    """Return a check as it stands (the owner is checked)."""
    return get_check(session, applicant_id, session_id, catalog=catalog, now=now)


def settle(
    session: Session, applicant_id: int, state: CheckState, catalog: EditionCatalog, now: datetime
) -> CheckState:
    """Finish a check that has no question left, so its verdict is kept."""
    if state.current_question is not None or state.status == SessionStatus.FINISHED:
        return state
    return finish_check(
        session, applicant_id, state.session_id, expected_version=state.version, catalog=catalog, now=now
    )


def checked(
    session: Session, applicant_id: int, move: CheckMove, catalog: EditionCatalog, now: datetime
) -> CheckState:
    """Return the check a move is for, refusing a move whose screen is no longer the one shown.

    A move made on the screen still shown applies even if the version moved (a restart, a
    multi-choice toggle): only a move on another screen is stale.
    """
    state = current(session, applicant_id, move.session_id, catalog, now)
    if move.version == state.version:
        return state
    screen = screen_of(state, catalog.get(state.edition))
    if move.screen == screen:
        return state
    if state.status == SessionStatus.FINISHED:
        raise SessionFinished(f"check {move.session_id} is finished")
    raise StaleSession(f"check {move.session_id} moved on from screen {move.screen}")


def apply_move(session: Session, applicant_id: int, move: CheckMove, catalog: EditionCatalog, now: datetime) -> Step:
    """Apply an answer, skip, back or restart move; return the check before and after."""
    state = checked(session, applicant_id, move, catalog, now)
    session_id, version = state.session_id, state.version
    if move.step == CheckStep.BACK:
        return Step(
            state, go_back_one(session, applicant_id, session_id, expected_version=version, catalog=catalog, now=now)
        )
    if move.step == CheckStep.RESTART:
        return Step(
            state, restart_check(session, applicant_id, session_id, expected_version=version, catalog=catalog, now=now)
        )
    question = state.current_question
    if question is None or move.screen == VERDICT_SCREEN:
        raise SessionFinished(f"check {session_id} has no question to answer")
    value = move_value(question, move)
    after = record_answer(session, applicant_id, session_id, question.id, value, expected_version=version,
                          catalog=catalog, now=now)
    return Step(state, settle(session, applicant_id, after, catalog, now), question, after.answers.get(question.id))


def move_value(question: Question, move: CheckMove) -> Any:
    """Return the answer a move stands for, refusing one that does not fit the question."""
    count = len(question.options)
    if move.step == CheckStep.SKIP and not question.required:
        return None
    if move.step == CheckStep.ANSWER and question.type == QuestionType.YES_NO and move.arg in (0, 1):
        return bool(move.arg)
    if move.step == CheckStep.ANSWER and question.type == QuestionType.SINGLE_CHOICE and move.arg < count:
        return question.options[move.arg].id
    multiple = question.type == QuestionType.MULTIPLE_CHOICE
    if move.step in (CheckStep.DONE, CheckStep.TOGGLE) and multiple and move.arg < 1 << count:
        return [option.id for n, option in enumerate(question.options) if move.arg & (1 << n)]
    raise UnfitMove(f"{move.step} {move.arg} does not fit question {question.id}")


def reads_as_answer(question: Question, text: str) -> bool:
    """Return whether typed text is meant as the answer to the question rather than a question.

    A question mark always makes it a question. Otherwise: any text answers a short-text
    question; a number answers a number question; a button question takes its typed forms
    ("oui", an option's label or number).
    """
    stripped = text.strip()
    if not stripped or stripped.endswith(_QUESTION_MARKS):
        return False
    if question.type == QuestionType.SHORT_TEXT:
        return True
    if question.type == QuestionType.INTEGER:
        return bool(_NUMBER.fullmatch(stripped.replace(" ", "").replace("\u00a0", "")))
    try:
        read_answer(question, stripped)
    except InvalidAnswer:
        return False
    return True


def typed(session: Session, applicant_id: int, text: str, catalog: EditionCatalog, now: datetime) -> Typed:
    """Take typed text as an answer to the applicant's open check when it reads as one."""
    ref = latest_check(session, applicant_id)
    if ref is None or ref.status == SessionStatus.FINISHED:
        return Typed(None)
    state = current(session, applicant_id, ref.session_id, catalog, now)
    question = state.current_question
    if question is None or not reads_as_answer(question, text):
        return Typed(state if question is not None else None)
    value = text.strip().replace("−", "-")
    try:
        after = record_answer(session, applicant_id, state.session_id, question.id, value,
                              expected_version=state.version, catalog=catalog, now=now)
    except InvalidAnswer as error:
        return Typed(state, refused=error)
    step = Step(state, settle(session, applicant_id, after, catalog, now), question, after.answers.get(question.id))
    return Typed(state, answered=step)

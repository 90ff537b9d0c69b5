"""How the eligibility check looks in the chat: one question a message, the verdict with its sources."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup

from bot.telegram.callbacks import Shortcut, ShortcutPress
from bot.telegram.rendering import Row, escape, keyboard
from bot.telegram.texts import say
from datafiles.messages import N_
from intake.eligibility import Reason
from intake.schema import Edition, Language, Question, QuestionType
from intake.services.check_flow import VERDICT_SCREEN, CheckMove, CheckStep, screen_of
from intake.services.checks import CheckState
from intake.services.summaries import answer_label, verdict_label


def state_view(state: CheckState, edition: Edition, language: Language) -> tuple[str, InlineKeyboardMarkup]:
    """Return the message for where a check stands: its current question, or its verdict."""
    if screen_of(state, edition) == VERDICT_SCREEN:
        return verdict_view(state, edition, language)
    return question_view(state, edition, language)


def question_view(
    state: CheckState, edition: Edition, language: Language, selected: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    """Return the current question, its progress line, and its buttons (`selected`: ticked options)."""
    question = state.current_question
    assert question is not None, "a finished check has no question to show"
    lines = [f"<i>{say('progress', language, n=state.answered + 1, total=max(state.to_ask, state.answered + 1))}</i>",
             f"<b>{escape(question.text.get(language))}</b>"]
    hint = {QuestionType.INTEGER: N_("hint_integer"), QuestionType.SHORT_TEXT: N_("hint_text"),
            QuestionType.MULTIPLE_CHOICE: N_("hint_multi")}.get(question.type)
    if hint:
        lines.append(say(hint, language))
    screen = screen_of(state, edition)

    def press(step: CheckStep, arg: int = 0) -> CheckMove:
        return CheckMove(state.session_id, state.version, screen, step, arg)

    rows = _answer_rows(question, language, selected, press)
    if not question.required:
        rows.append([(say("btn_skip", language), press(CheckStep.SKIP))])
    navigation: list[tuple[str, Any]] = [(say("btn_back", language), press(CheckStep.BACK))] if state.answered else []
    rows.append([*navigation, (say("btn_restart", language), press(CheckStep.RESTART))])
    return "\n".join(lines), keyboard(rows)


def _answer_rows(question: Question, language: Language, selected: int, press: Any) -> list[Row]:
    if question.type == QuestionType.YES_NO:
        return [[(say("btn_yes", language), press(CheckStep.ANSWER, 1)),
                 (say("btn_no", language), press(CheckStep.ANSWER, 0))]]
    if question.type == QuestionType.SINGLE_CHOICE:
        return [[(option.label.get(language), press(CheckStep.ANSWER, n))] for n, option in enumerate(question.options)]
    if question.type == QuestionType.MULTIPLE_CHOICE:
        rows: list[Row] = [
            [
                (
                    ("☑ " if selected & (1 << n) else "☐ ") + option.label.get(language),
                    press(CheckStep.TOGGLE, selected ^ (1 << n)),
                )
            ]
            for n, option in enumerate(question.options)
        ]
        return [*rows, [(say("btn_done", language), press(CheckStep.DONE, selected))]]
    return []


def verdict_view(state: CheckState, edition: Edition, language: Language) -> tuple[str, InlineKeyboardMarkup]:
    """Return the verdict, each reason with its source, and the buttons to change answers."""
    decision = state.decision
    paragraphs = [
        f"<b>{say('check_title', language, year=edition.year)}</b>\n"
        f"<b>{say('verdict_title', language, verdict=verdict_label(decision.verdict.value, language))}</b>"
    ]
    if decision.reasons:
        paragraphs.append(say("verdict_why", language))
        paragraphs.extend(reason_text(reason, language) for reason in decision.reasons)
    else:
        paragraphs.append(say("verdict_clear", language))
    paragraphs.append(f"<i>{say('disclaimer', language)}</i>")
    screen = VERDICT_SCREEN
    rows: list[Row] = [
        [(say("btn_back", language), CheckMove(state.session_id, state.version, screen, CheckStep.BACK)),
         (say("btn_restart", language), CheckMove(state.session_id, state.version, screen, CheckStep.RESTART))],
        [(say("btn_dossier", language), ShortcutPress(Shortcut.DOSSIER))],
    ]
    return "\n\n".join(paragraphs), keyboard(rows)


def reason_text(reason: Reason, language: Language) -> str:
    """Return one reason: its explanation, then its source and whether an official text confirms it."""
    source = reason.source.cite()
    if not reason.confirmed:
        source = f"{source} — {say('unconfirmed', language)}"
    return f"• {escape(reason.explanation.get(language))}\n{say('source', language, source=source)}"


def answered_text(question: Question, value: Any, language: Language) -> str:
    """Return what a question message becomes once answered: its short label and the answer."""
    shown = say("skipped", language) if value is None else escape(answer_label(question, value, language))
    colon = " : " if language == Language.FR else ": "
    return f"✓ {escape(question.label(language))}{colon}{shown}"

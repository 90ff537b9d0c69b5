"""Free text: a question answered from the cards and texts, with "did this help?" and nearby topics.

A text can also be a typed answer to the open check; the check takes it when it reads as one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.telegram import eligibility
from bot.telegram.callbacks import FeedbackPress, Press, TopicPress, is_press
from bot.telegram.context import BotContext, Person, pressed, who
from bot.telegram.rendering import escape, keyboard, popup_text, send_html, show_typing
from bot.telegram.texts import say
from intake.schema import Language
from intake.services.applicants import record_asked_question
from intake.services.outcomes import attach_reply, give_feedback, record_outcome
from knowledge.answer_types import Answer
from knowledge.store import IndexUnavailable

logger = logging.getLogger(__name__)
T = TypeVar("T")
# Answers run on threads of their own: the models' native code keeps the cores busy for tens
# of milliseconds, and the updates' database work, on the loop's few threads, never waits behind it.
ANSWER_THREADS = ThreadPoolExecutor(2, thread_name_prefix="answer")


async def _answering(work: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(ANSWER_THREADS, work)


async def on_text(update: Update, context: BotContext) -> None:
    """Answer free text; in the middle of a check, take it as the answer when it reads as one."""
    message = update.effective_message
    if message is None or not message.text:
        return
    person = await who(update, context)
    outcome = await eligibility.typed_reply(context, person, message.text) if person.consented else None
    if outcome is not None and (outcome.answered is not None or outcome.refused is not None):
        return
    await show_typing(context.bot, person.chat_id)
    try:
        text = message.text
        answer = await _answering(lambda: context.runtime.answer(text))
    except IndexUnavailable as error:
        await _unavailable(context, person, error)
        return
    await _reply(context, person, message.text, answer)
    if outcome is not None and outcome.open is not None:
        await eligibility.show_state(context, person, outcome.open, lead=say("back_to_check", person.language))


async def on_topic(update: Update, context: BotContext) -> None:
    """Answer the nearby topic the applicant chose after a refusal."""
    query, press = pressed(update, TopicPress)
    person = await who(update, context)
    try:
        answer = await _answering(lambda: context.runtime.card_answer(press.card_id, person.language))
    except IndexUnavailable as error:
        await query.answer()
        await _unavailable(context, person, error)
        return
    if answer is None:
        await query.answer(popup_text(say("topic_gone", person.language)))
        return
    await query.answer()
    await _reply(context, person, f"[{press.card_id}]", answer)


async def on_feedback(update: Update, context: BotContext) -> None:
    """Record "did this help?" for the answer the pressed message carries."""
    query, press = pressed(update, FeedbackPress)
    person = await who(update, context)
    message_id = query.message.message_id if query.message is not None else None
    accepted = await context.db(lambda s: give_feedback(s, press.outcome_id, message_id, press.helpful))
    await query.answer(popup_text(say("feedback_thanks" if accepted else "forged_button", person.language)))
    if accepted:
        await query.edit_message_reply_markup(reply_markup=None)


async def _unavailable(context: BotContext, person: Person, error: IndexUnavailable) -> None:
    """Say that questions cannot be answered for a moment, and that the check and the dossier still work."""
    logger.warning("a question could not be answered: %s", error)
    await send_html(context.bot, person.chat_id, say("answers_unavailable", person.language))


async def _reply(context: BotContext, person: Person, question: str, answer: Answer) -> None:
    """Send the answer with its buttons, and keep its outcome (and the exchange, with consent)."""
    outcome_id = await context.db(lambda s: _keep(s, person, question, answer, context.runtime.now()))
    sent = await send_html(context.bot, person.chat_id, escape(answer.answer),
                           _buttons(answer, outcome_id, Language(answer.language)))
    await context.db(lambda s: attach_reply(s, outcome_id, sent.message_id))


def _buttons(answer: Answer, outcome_id: int, language: Language) -> InlineKeyboardMarkup | None:
    """Return the nearby topics and "did this help?", or None (an empty keyboard is refused by Telegram)."""
    rows: list[list[tuple[str, Press]]] = [[(topic.label, TopicPress(topic.card_id))] for topic in answer.suggestions]
    if answer.decision != "empty":
        rows.append([(say("helpful", language), FeedbackPress(outcome_id, True)),
                     (say("not_helpful", language), FeedbackPress(outcome_id, False))])
    return keyboard(rows) if rows else None


def _keep(session: Session, person: Person, question: str, answer: Answer, now: datetime) -> int:
    """Keep the outcome for everyone (masked, anonymous without consent) and the exchange with consent."""
    applicant_id = person.applicant_id if person.consented else None
    if applicant_id is not None:
        editions = [int(src.edition) for src in answer.sources if src.edition and src.edition.isdigit()]
        record_asked_question(
            session, applicant_id=applicant_id, question=question, answer=answer.answer,
            abstained=answer.abstained, language=answer.language, edition=editions[0] if editions else None,
            sources=[src.source for src in answer.sources], now=now,
        )
    return record_outcome(
        session,
        applicant_id=applicant_id,
        question=question,
        language=answer.language,
        decision=answer.decision,
        score=answer.score,
        chosen=answer.chosen,
        parts=answer.parts,
        now=now,
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return this conversation's handlers."""
    return [MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
            CallbackQueryHandler(on_topic, pattern=is_press(TopicPress)),
            CallbackQueryHandler(on_feedback, pattern=is_press(FeedbackPress))]

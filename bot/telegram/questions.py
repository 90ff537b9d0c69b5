"""Free text: a question answered from the texts with its sources, or a typed answer to the open check."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session
from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.telegram import eligibility
from bot.telegram.context import BotContext, Person, who
from bot.telegram.rendering import escape, send_html, show_typing
from bot.telegram.texts import say
from intake.services.applicants import record_asked_question
from knowledge.answer_types import Answer

logger = logging.getLogger(__name__)


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
    runtime = context.runtime
    answer = await asyncio.to_thread(runtime.answer, message.text)
    await send_html(context.bot, person.chat_id, escape(answer.answer))
    if person.consented:
        await context.db(lambda s: _keep(s, person, message.text or "", answer))
    if outcome is not None and outcome.open is not None:
        await eligibility.show_state(context, person, outcome.open, lead=say("back_to_check", person.language))


def _keep(session: Session, person: Person, question: str, answer: Answer) -> None:
    """Keep the exchange for the applicant's summary and the staff's review (consented applicants only)."""
    editions = [int(src.edition) for src in answer.sources if src.edition and src.edition.isdigit()]
    record_asked_question(
        session, applicant_id=person.applicant_id, question=question, answer=answer.answer,
        abstained=answer.abstained, language=answer.language, edition=editions[0] if editions else None,
        sources=[f"{src.source} {src.position}".strip() if src.position else src.source for src in answer.sources],
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return this conversation's handlers."""
    return [MessageHandler(filters.TEXT & ~filters.COMMAND, on_text)]

"""An update taken again after its worker stopped, though its changes were made: shown, not applied twice."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.telegram.callbacks import decode
from bot.telegram.context import BotContext, who
from bot.telegram.old_buttons import where_they_are
from bot.telegram.rendering import send_html
from bot.telegram.texts import say

logger = logging.getLogger(__name__)


async def show_where_they_are(update: Update, context: BotContext) -> None:
    """Say the last message was taken into account and show the check, the dossier or the menu as it is now.

    The worker that applied the update may have stopped before its reply went out; the
    user then sees the step the update led to, and nothing is applied a second time.
    """
    if update.effective_user is None:
        return
    logger.warning("update %s was already applied before its worker stopped: showing where the user is",
                   update.update_id)
    person = await who(update, context)
    query = update.callback_query
    if query is not None:
        try:
            await query.answer()
        except TelegramError as error:  # the press may be too old to answer by now
            logger.info("could not answer a press taken again: %s", error)
    text, markup = await where_they_are(context, person, decode(query.data) if query is not None else None)
    await send_html(context.bot, person.chat_id, f"{say('resumed', person.language)}\n\n{text}", markup)

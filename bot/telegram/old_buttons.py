"""A press on a message Telegram no longer lets the bot reach: nothing is applied, the user sees where they are.

Telegram sends such a press with an inaccessible message (dated 0): the bot can neither edit
nor read it, so applying the press would change the check or the consent without the user
seeing it. The press is stopped here, before the conversations' handlers.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, BaseHandler, CallbackQueryHandler

from bot.telegram import dossier
from bot.telegram.callbacks import AttachPress, DossierPress, decode
from bot.telegram.check_views import state_view
from bot.telegram.consent import consent_keyboard, menu_keyboard, welcome_text
from bot.telegram.context import BotContext, Person, who
from bot.telegram.dossier_views import checklist_view
from bot.telegram.rendering import popup_text, send_html
from bot.telegram.texts import say
from intake.errors import NotOwner, UnknownSession
from intake.services import check_flow
from intake.services.check_flow import CheckMove

logger = logging.getLogger(__name__)


class _PressOnUnreachableMessage(CallbackQueryHandler[BotContext, None]):
    """Match presses whose message is inaccessible; every other press goes on to its conversation."""

    def check_update(self, update: object) -> bool | object | None:
        """Return a match only for a press on an inaccessible message."""
        query = update.callback_query if isinstance(update, Update) else None
        if query is None or query.message is None or query.message.is_accessible:
            return None
        return super().check_update(update)


async def old_press(update: Update, context: BotContext) -> None:
    """Apply nothing; say the button is too old and show the check, the dossier or the menu as it is now."""
    query = update.callback_query
    assert query is not None  # the handler matches presses only
    person = await who(update, context)
    await _answer(query, person)
    text, markup = await where_they_are(context, person, decode(query.data))
    await send_html(context.bot, person.chat_id, f"{say('old_button', person.language)}\n\n{text}", markup)
    raise ApplicationHandlerStop


async def _answer(query: CallbackQuery, person: Person) -> None:
    # Telegram may refuse to answer a press this old; the message sent next says it all.
    try:
        await query.answer(popup_text(say("old_button", person.language)))
    except TelegramError as error:
        logger.info("could not answer an old press: %s", error)


async def where_they_are(context: BotContext, person: Person, press: object) -> tuple[str, InlineKeyboardMarkup]:
    """Return where the user is: the consent question, the pressed check, the dossier, or the menu."""
    language, catalog, now = person.language, context.runtime.catalog, context.runtime.now()
    if not person.consented:
        return welcome_text(language), consent_keyboard(language)
    if isinstance(press, CheckMove):
        try:
            state = await context.db(lambda s: check_flow.current(s, person.applicant_id, press.session_id,
                                                                  catalog, now))
            return state_view(state, catalog.get(state.edition), language)
        except (NotOwner, UnknownSession):
            pass  # a forged session id: the menu below
    if isinstance(press, DossierPress | AttachPress):
        view = await context.db(lambda s: dossier.checklist(s, person.applicant_id, catalog))
        return checklist_view(view, language)
    return say("capabilities", language), menu_keyboard(language)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return the handler that stops presses on unreachable messages."""
    return [_PressOnUnreachableMessage(old_press)]

"""Buttons that open a conversation, and the answer to buttons nobody recognises."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.telegram import dossier, eligibility
from bot.telegram.callbacks import Shortcut, ShortcutPress, is_press
from bot.telegram.context import BotContext, language_from_code, pressed, who
from bot.telegram.rendering import popup_text
from bot.telegram.texts import say


async def shortcut(update: Update, context: BotContext) -> None:
    """Open the check or the dossier, as their command would."""
    query, press = pressed(update, ShortcutPress)
    await query.answer()
    if press.target == Shortcut.CHECK:
        await eligibility.open_check(update, context)
    elif press.target == Shortcut.DOSSIER:
        await dossier.open_dossier(update, context)


async def unknown_button(update: Update, context: BotContext) -> None:
    """Answer a press whose data is malformed or forged; nothing changes."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context) if update.effective_user else None
    language = person.language if person else language_from_code(None)
    await query.answer(popup_text(say("forged_button", language)))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return the shortcut handler."""
    return [CallbackQueryHandler(shortcut, pattern=is_press(ShortcutPress))]


def fallback_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return the handler for every other press (registered last)."""
    return [CallbackQueryHandler(unknown_button)]

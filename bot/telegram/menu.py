"""Buttons that open a conversation, and the answer to buttons nobody recognises."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, CallbackQueryHandler

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


class _PressWithoutData(CallbackQueryHandler[BotContext, None]):
    """Match a press with no data at all (a forged client's).

    python-telegram-bot hands such a press to the first CallbackQueryHandler whatever its
    pattern, so it is stopped before the conversations see it.
    """

    def check_update(self, update: object) -> bool | object | None:
        """Return a match only for a press without data nor game."""
        query = update.callback_query if isinstance(update, Update) else None
        if query is None or query.data or query.game_short_name:
            return None
        return True


async def press_without_data(update: Update, context: BotContext) -> None:
    """Answer it as a forged button, and let no other handler see it."""
    await unknown_button(update, context)
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return the shortcut handler."""
    return [CallbackQueryHandler(shortcut, pattern=is_press(ShortcutPress))]


def guard_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return the handler that stops presses without data (registered before the conversations)."""
    return [_PressWithoutData(press_without_data)]


def fallback_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return the handler for every other press (registered last)."""
    return [CallbackQueryHandler(unknown_button)]

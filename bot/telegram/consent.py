"""The consent question and the menu buttons, shared by every conversation that stores something."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.telegram.callbacks import ConsentPress, LanguagePress, Shortcut, ShortcutPress
from bot.telegram.context import BotContext, Person
from bot.telegram.rendering import keyboard, send_html
from bot.telegram.texts import LANGUAGE_NAMES, say
from intake.schema import Language


def consent_keyboard(language: Language) -> InlineKeyboardMarkup:
    """Return the agree / decline buttons, and the other two languages."""
    others = [(LANGUAGE_NAMES[other], LanguagePress(other)) for other in Language if other != language]
    return keyboard([
        [(say("btn_consent_yes", language), ConsentPress(True, language))],
        [(say("btn_consent_no", language), ConsentPress(False, language))],
        others,
    ])


def menu_keyboard(language: Language) -> InlineKeyboardMarkup:
    """Return the buttons that open the check and the dossier."""
    return keyboard([
        [(say("btn_check", language), ShortcutPress(Shortcut.CHECK))],
        [(say("btn_dossier", language), ShortcutPress(Shortcut.DOSSIER))],
    ])


def welcome_text(language: Language) -> str:
    """Return the greeting, what the assistant does, and the consent question."""
    return "\n\n".join([say("welcome", language), say("capabilities", language), say("consent_ask", language)])


async def ask_consent(context: BotContext, person: Person) -> None:
    """Tell the applicant this needs their agreement, and ask for it."""
    text = f"{say('consent_needed', person.language)}\n\n{say('consent_ask', person.language)}"
    await send_html(context.bot, person.chat_id, text, consent_keyboard(person.language))

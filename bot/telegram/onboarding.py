"""/start, /langue, consent, /aide, /contact, unknown commands, and the published command menu."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session
from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ExtBot, MessageHandler, filters

from bot.telegram.callbacks import ConsentPress, LanguagePress, is_press
from bot.telegram.consent import consent_keyboard, menu_keyboard, welcome_text
from bot.telegram.context import CHANNEL, BotContext, Person, pressed, who
from bot.telegram.rendering import edit_html, keyboard, send_html
from bot.telegram.texts import LANGUAGE_NAMES, say
from intake.schema import Language
from intake.services.applicants import record_consent, register_applicant, set_language

logger = logging.getLogger(__name__)

COMMANDS: dict[Language, list[tuple[str, str]]] = {
    Language.FR: [("start", "Commencer"), ("eligibilite", "Vérifier l'éligibilité"),
                  ("dossier", "Les pièces du dossier"), ("resume", "Résumé de mes réponses"),
                  ("rappels", "Rappels de la date limite"), ("langue", "Changer de langue"),
                  ("contact", "Joindre le Ministère"), ("aide", "Aide"), ("supprimer", "Effacer mes données")],
    Language.AR: [("start", "البدء"), ("eligibilite", "التحقق من الأهلية"), ("dossier", "وثائق الملف"),
                  ("resume", "ملخص أجوبتي"), ("rappels", "التذكير بآخر أجل"), ("langue", "تغيير اللغة"),
                  ("contact", "التواصل مع الوزارة"), ("aide", "مساعدة"), ("supprimer", "حذف بياناتي")],
    Language.EN: [("start", "Start"), ("eligibilite", "Check eligibility"), ("dossier", "Dossier documents"),
                  ("resume", "Summary of my answers"), ("rappels", "Deadline reminders"),
                  ("langue", "Change language"), ("contact", "Reach the Ministry"), ("aide", "Help"),
                  ("supprimer", "Erase my data")],
}


async def publish_commands(bot: ExtBot[None]) -> bool:
    """Publish the command menu in each language (French by default); a refusal is only logged."""
    try:
        await bot.set_my_commands(_commands(Language.FR))
        for language in Language:
            await bot.set_my_commands(_commands(language), language_code=language.value)
    except TelegramError as error:
        logger.warning("the server refused setMyCommands: %s", error)
        return False
    return True


async def publish_chat_commands(bot: ExtBot[None], chat_id: int, language: Language) -> None:
    """Show this chat the command menu in its chosen language; a refusal is only logged."""
    try:
        await bot.set_my_commands(_commands(language), scope=BotCommandScopeChat(chat_id))
    except TelegramError as error:
        logger.warning("the server refused setMyCommands for a chat: %s", error)


def _commands(language: Language) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in COMMANDS[language]]


async def start(update: Update, context: BotContext) -> None:
    """Greet, say what the assistant does, and ask for consent if not given yet."""
    person = await who(update, context)
    if person.consented:
        text = f"{say('welcome_back', person.language)}\n\n{say('capabilities', person.language)}"
        await send_html(context.bot, person.chat_id, text, menu_keyboard(person.language))
        return
    await send_html(context.bot, person.chat_id, welcome_text(person.language), consent_keyboard(person.language))


async def consent(update: Update, context: BotContext) -> None:
    """Store the applicant (with their language) when they agree; store nothing when they decline."""
    query, press = pressed(update, ConsentPress)
    person = await who(update, context)
    await query.answer()
    if person.consented:
        await edit_html(query, say("consent_already", person.language))
    elif press.given:
        await context.db(lambda s: _register(s, person.user_id, press.language, context.runtime.now()))
        await edit_html(query, say("consent_thanks", press.language), menu_keyboard(press.language))
    else:
        await edit_html(query, say("consent_declined", press.language))


def _register(session: Session, user_id: int, language: Language, now: datetime) -> None:
    applicant = register_applicant(session, channel=CHANNEL, external_id=str(user_id), language=language, now=now)
    record_consent(session, applicant.id, now=now)


async def languages(update: Update, context: BotContext) -> None:
    """Offer French, Arabic and English."""
    person = await who(update, context)
    buttons = [(LANGUAGE_NAMES[language], LanguagePress(language)) for language in Language]
    await send_html(context.bot, person.chat_id, say("choose_language", person.language), keyboard([buttons]))


async def choose_language(update: Update, context: BotContext) -> None:
    """Switch language: stored for an applicant, carried by the consent buttons for anyone else."""
    query, press = pressed(update, LanguagePress)
    person = await who(update, context)
    await query.answer()
    language = press.language
    if person.applicant is not None:
        applicant_id = person.applicant.id
        await context.db(lambda s: set_language(s, applicant_id, language, now=context.runtime.now()))
        await edit_html(query, say("language_set", language))
    else:
        text = f"{welcome_text(language)}\n\n{say('language_pending', language)}"
        await edit_html(query, text, consent_keyboard(language))
    await publish_chat_commands(context.bot, person.chat_id, language)


async def help_text(update: Update, context: BotContext) -> None:
    """List the commands."""
    person = await who(update, context)
    await send_html(context.bot, person.chat_id, say("help", person.language))


async def contact(update: Update, context: BotContext) -> None:
    """Give the Ministry division's phone and e-mail."""
    person = await who(update, context)
    settings = context.runtime.settings
    text = say("contact", person.language, phone=settings.contact_phone, email=settings.contact_email)
    await send_html(context.bot, person.chat_id, text)


async def unknown_command(update: Update, context: BotContext) -> None:
    """Say the command is unknown and list the known ones."""
    person: Person = await who(update, context)
    text = f"{say('unknown_command', person.language)}\n\n{say('help', person.language)}"
    await send_html(context.bot, person.chat_id, text)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return this conversation's handlers (the unknown-command one is registered last, apart)."""
    return [
        CommandHandler("start", start),
        CommandHandler("langue", languages),
        CommandHandler(["aide", "help"], help_text),
        CommandHandler("contact", contact),
        CallbackQueryHandler(consent, pattern=is_press(ConsentPress)),
        CallbackQueryHandler(choose_language, pattern=is_press(LanguagePress)),
    ]


def fallback_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return the handler for commands nobody else took."""
    return [MessageHandler(filters.COMMAND, unknown_command)]

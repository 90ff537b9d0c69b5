"""A tiny real python-telegram-bot application the emulator tests drive."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

logger = logging.getLogger(__name__)

COMMANDS = [("start", "Commencer"), ("aide", "Aide")]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with two inline buttons."""
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Oui", callback_data="yes"),
                InlineKeyboardButton("Non", callback_data="no"),
            ]
        ]
    )
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        "<b>Bienvenue</b> !", parse_mode="HTML", reply_markup=keyboard
    )


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button press and replace the question by the choice."""
    query = update.callback_query
    assert query is not None
    await query.answer(f"ok {query.data}")
    await query.edit_message_text(f"Choisi : {query.data}")


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Download the document, answer its digest, and send it back when asked."""
    message = update.effective_message
    assert message is not None and message.document is not None
    telegram_file = await message.document.get_file()
    data = bytes(await telegram_file.download_as_bytearray())
    await message.reply_text(f"sha256 {hashlib.sha256(data).hexdigest()} {len(data)}")
    if message.caption == "renvoie":
        await message.reply_document(data[::-1], filename=f"reversed-{message.document.file_name}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo the text back."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(f"echo: {message.text}")


async def remember(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record every update id the bot saw (group -1, before the real handlers)."""
    context.bot_data.setdefault("seen", []).append(update.update_id)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log handler errors and keep them for the tests."""
    logger.warning("handler failed: %s", context.error, exc_info=context.error)
    context.bot_data.setdefault("errors", []).append(context.error)


async def set_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Publish the commands at start-up, tolerating a refusal."""
    try:
        await application.bot.set_my_commands(COMMANDS)
    except TelegramError as error:
        logger.warning("setMyCommands refused: %s", error)
        application.bot_data["commands_refused"] = str(error)


def build_echo_app(
    builder: ApplicationBuilder,  # type: ignore[type-arg]
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Build the echo bot from a builder already pointed at the emulator."""
    application = builder.post_init(set_commands).build()
    application.add_handler(MessageHandler(filters.ALL, remember), group=-1)
    application.add_handler(CallbackQueryHandler(remember), group=-1)
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(choose))
    application.add_handler(MessageHandler(filters.Document.ALL, document))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_error_handler(on_error)
    return application

"""Stickers, voice notes, audio, video, locations and contacts: say the assistant reads text.

Documents and photos are not here: they go to the dossier (`dossier.on_file`), which asks
which checklist item they are for.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.telegram.context import BotContext, who
from bot.telegram.rendering import send_html
from bot.telegram.texts import say

# Only new private messages: in a group the bot would answer every sticker, and an edited
# location (live location) arrives many times.
UNREADABLE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & (
    filters.Sticker.ALL | filters.VOICE | filters.AUDIO | filters.VIDEO | filters.VIDEO_NOTE
    | filters.LOCATION | filters.CONTACT | filters.POLL | filters.Dice.ALL
)


async def unreadable(update: Update, context: BotContext) -> None:
    """Say, in the sender's language, that the assistant reads text and takes documents for the dossier."""
    person = await who(update, context)
    await send_html(context.bot, person.chat_id, say("reads_text", person.language))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return the handler for messages the assistant cannot read."""
    return [MessageHandler(UNREADABLE, unreadable)]

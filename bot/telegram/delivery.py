"""Before every handler: private chats only, and an update a stopped worker already applied is not applied again.

The inbox (`inbox`, `serving`) gives each update to one worker at a time, in order within a
chat and concurrently across chats; `chat_key` is the chat it orders by.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.telegram import resumed
from bot.telegram.context import APPLYING, BotContext
from core.clock import REAL_TIME
from intake.services.inbox import prune_inbox
from intake.services.send_slots import prune_send_slots

logger = logging.getLogger(__name__)

# Telegram keeps an unconfirmed update for a day; twice that covers a redelivery after a long outage.
KEEP_PROCESSED = timedelta(hours=48)
PRUNE_EVERY = timedelta(hours=6)


def chat_key(update: object) -> int | None:
    """Return the chat an update belongs to (its user's, for a press without its message), or None."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


async def handle_once(update: Update, context: BotContext) -> None:
    """Stop updates from groups, edits of old messages, and an update already applied (before every handler)."""
    chat = update.effective_chat
    if (chat is not None and chat.type != ChatType.PRIVATE) or update.edited_message is not None:
        raise ApplicationHandlerStop
    applying = APPLYING.get()
    if applying is not None and applying.claimed.applied:  # a worker applied it, then stopped before the reply
        await resumed.show_where_they_are(update, context)
        raise ApplicationHandlerStop


async def prune_handled(context: BotContext) -> None:
    """Forget finished updates old enough that Telegram cannot deliver them again, and old send counts."""
    cutoff = REAL_TIME.now() - KEEP_PROCESSED  # the inbox's times and the send counts are real time
    removed = await context.db(
        lambda s: prune_inbox(s, older_than=cutoff) + prune_send_slots(s, int(cutoff.timestamp())))
    logger.info("pruned %d finished updates and send counts", removed)

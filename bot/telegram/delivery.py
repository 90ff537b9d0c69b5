"""How updates reach the handlers: once each, in order within a chat, concurrently across chats."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseUpdateProcessor

from bot.telegram import resumed
from bot.telegram.context import APPLYING, BotContext
from intake.services.inbox import prune_inbox
from intake.services.send_slots import prune_send_slots
from intake.services.updates import claim_update, prune_processed_updates

logger = logging.getLogger(__name__)

# Telegram keeps an unconfirmed update for a day; twice that covers a redelivery after a long outage.
KEEP_PROCESSED = timedelta(hours=48)
PRUNE_EVERY = timedelta(hours=6)
# Only a memory guard: updates waiting for their chat's turn must not hold a working slot.
MAX_WAITING_UPDATES = 10_000


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Run updates of different chats concurrently, and each chat's updates one after the other."""

    def __init__(self, max_working: int = 32) -> None:
        super().__init__(MAX_WAITING_UPDATES)
        self._working = asyncio.BoundedSemaphore(max_working)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates, then for a working slot, then process."""
        key = chat_key(update)
        if key is None:
            async with self._working:
                await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._working:
                await coroutine
        finally:
            self._release(key)

    def _release(self, key: int) -> None:
        self._waiting[key] -= 1
        if not self._waiting[key]:
            del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def chat_key(update: object) -> int | None:
    """Return the chat an update belongs to (its user's, for a press without its message), or None."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


async def handle_once(update: Update, context: BotContext) -> None:
    """Stop updates from groups, edits of old messages, and any update already handled (before every handler)."""
    chat = update.effective_chat
    if (chat is not None and chat.type != ChatType.PRIVATE) or update.edited_message is not None:
        raise ApplicationHandlerStop
    applying = APPLYING.get()
    if applying is not None:  # the inbox stores each update once
        if applying.claimed.applied:
            await resumed.show_where_they_are(update, context)
            raise ApplicationHandlerStop
        return
    bot_id, update_id = context.bot.id, update.update_id
    if not await context.db(lambda s: claim_update(s, bot_id=bot_id, update_id=update_id, now=context.runtime.now())):
        logger.info("update %s delivered again: ignored", update_id)
        raise ApplicationHandlerStop


async def prune_handled(context: BotContext) -> None:
    """Forget handled update ids old enough that Telegram cannot deliver them again, and old send counts."""
    cutoff = context.runtime.now() - KEEP_PROCESSED
    removed = await context.db(lambda s: prune_processed_updates(s, older_than=cutoff)
                               + prune_inbox(s, older_than=cutoff) + prune_send_slots(s, int(cutoff.timestamp())))
    logger.info("pruned %d handled update ids", removed)

"""Telegram's flood limit for the whole bot, not one per worker (webhook workers on a shared database).

Each worker keeps python-telegram-bot's AIORateLimiter (30 calls a second in the process, 20 a
minute per group, a 429's retry_after waited out; it does not pace private chats); before a
message goes out, the worker also takes a slot of the current second in the database
(`intake.services.send_slots`), so the workers together stay within the bot's 30 messages a
second. Reading updates and answering presses take no slot: Telegram's limit is on messages.

Telegram's other limit, about one message a second per chat, is kept by where messages come
from rather than by a count: a chat's replies come from the one worker applying its update
(the inbox gives a chat's updates to one worker at a time, in order), at the pace of the
applicant's own messages; queued messages (the Division's, broadcasts) go out at most one a
chat per round, rounds 3 s apart, from one worker at a time (a job lease), and skip a chat
whose update is being answered (`intake.services.inbox.chats_in_conversation`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from telegram.ext import AIORateLimiter, BaseRateLimiter

from intake.database import run_in_unit_of_work
from intake.services.send_slots import take_send_slot

JSONDict = dict[str, Any]
_FREE = ("get", "answercallbackquery", "setwebhook", "deletewebhook", "setmycommands", "setchatmenubutton")


class SharedRateLimiter(BaseRateLimiter[int]):
    """AIORateLimiter behind a per-second count of messages shared by every worker through the database."""

    def __init__(self, inner: AIORateLimiter, sessions: sessionmaker[Session]) -> None:
        self.inner, self.sessions = inner, sessions

    async def initialize(self) -> None:
        """Start the inner limiter."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Stop the inner limiter."""
        await self.inner.shutdown()

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]], args: Any,
        kwargs: dict[str, Any], endpoint: str, data: dict[str, Any], rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Wait for a slot of the bot's messages per second, then for the chat's turn, then send."""
        if not endpoint.lower().startswith(_FREE):
            await self._slot()
        return await self.inner.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)

    async def _slot(self) -> None:
        while True:
            now = time.time()  # real time: the limit is Telegram's, per wall-clock second
            if await asyncio.to_thread(run_in_unit_of_work, self.sessions, partial(take_send_slot, second=int(now))):
                return
            await asyncio.sleep(int(now) + 1 - now)

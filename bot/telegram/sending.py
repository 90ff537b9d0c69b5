"""Sending what the workspace queued, in rounds within Telegram's limits: the loop every kind of message shares.

A kind of message (the Division's message to one applicant, a broadcast's delivery) is an
`Outbox`: how to send one and how to record what happened. A claimed batch is sent in
order; Telegram's RetryAfter puts the rest of the batch back until the wait is over,
Forbidden (the user blocked the bot) marks it blocked, BadRequest fails it at once, and
any other error leaves it to be tried again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

from sqlalchemy.orm import Session
from telegram import Message
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.telegram.context import BotContext

logger = logging.getLogger(__name__)

# Rounds this far apart, each with at most one message per chat, keep every chat under
# Telegram's one message a second; a round's size keeps the bot well under its 30 a
# second overall, with room for the answers it gives meanwhile (the rate limiter counts both).
SEND_EVERY = timedelta(seconds=3)
ROUND_SIZE = 20


class Claimed(Protocol):
    """A claimed message: its row's id is what the outbox records against."""

    @property
    def id(self) -> int: ...


Item = TypeVar("Item", bound=Claimed)


@dataclass(frozen=True)
class Outbox(Generic[Item]):
    """One kind of queued message: how to send it, and how to record each outcome in a unit of work."""

    kind: str  # names the kind in the logs
    send: Callable[[BotContext, Item], Awaitable[Message]]
    sent: Callable[[Session, int, int, datetime], object]  # row id, chat message id, now
    blocked: Callable[[Session, int, str], object]
    failed: Callable[[Session, int, str, datetime, bool], object]  # ..., permanent
    postpone: Callable[[Session, Sequence[int], datetime], object]


async def deliver_batch(context: BotContext, outbox: Outbox[Item], batch: Sequence[Item]) -> bool:
    """Send a claimed batch in order; when Telegram asks to wait, put the rest back and return False."""
    for position, item in enumerate(batch):
        wait = await _deliver(context, outbox, item)
        if wait is not None:
            await _postpone(context, outbox, [i.id for i in batch[position:]], wait)
            return False
    return True


async def _postpone(context: BotContext, outbox: Outbox[Item], row_ids: list[int], wait: timedelta) -> None:
    logger.warning("flood limit: %d %s(s) wait %s", len(row_ids), outbox.kind, wait)
    until = context.runtime.now() + wait
    await context.db(lambda s: outbox.postpone(s, row_ids, until))


async def _deliver(context: BotContext, outbox: Outbox[Item], item: Item) -> timedelta | None:
    """Send one message and record how it went; return how long Telegram asked to wait, if it did."""
    try:
        sent = await outbox.send(context, item)
    except RetryAfter as error:
        return _as_delay(error.retry_after)
    except TelegramError as error:
        await _record_error(context, outbox, item.id, error)
        return None
    chat_message_id = sent.message_id
    await context.db(lambda s: outbox.sent(s, item.id, chat_message_id, context.runtime.now()))
    return None


async def _record_error(context: BotContext, outbox: Outbox[Item], row_id: int, error: TelegramError) -> None:
    """Record a refusal: blocked by the user, failed for a bad request, else tried again later."""
    reason, now = str(error), context.runtime.now()
    if isinstance(error, Forbidden):
        logger.info("%s %s not delivered: the user blocked the bot", outbox.kind, row_id)
        await context.db(lambda s: outbox.blocked(s, row_id, reason))
        return
    permanent = isinstance(error, BadRequest)  # the same request would be refused again
    logger.warning("%s %s not sent (%s): %s", outbox.kind, row_id, "given up" if permanent else "to retry", reason)
    await context.db(lambda s: outbox.failed(s, row_id, reason, now, permanent))


def _as_delay(retry_after: int | timedelta) -> timedelta:
    # python-telegram-bot gives seconds today and a timedelta in its next major version.
    return retry_after if isinstance(retry_after, timedelta) else timedelta(seconds=retry_after)

"""Broadcasts from the workspace: each confirmed broadcast's deliveries sent under a header in the applicant's language.

Called by the sending job of `bot/telegram/staff_messages.py` after the Division's messages
to one applicant, with what is left of the round and the chats already written to.
"""

from __future__ import annotations

from collections.abc import Collection

from telegram import Message
from telegram.constants import ParseMode

from bot.telegram.context import CHANNEL, BotContext
from bot.telegram.rendering import escape
from bot.telegram.sending import Outbox, deliver_batch
from bot.telegram.texts import say
from intake.schema import Language
from intake.services.broadcast_sending import (
    BroadcastOutgoing,
    claim_deliveries,
    mark_delivery_blocked,
    mark_delivery_sent,
    postpone_deliveries,
    record_delivery_failure,
)


def broadcast_text(language: Language, text: str) -> str:
    """Return a broadcast as the applicant reads it (Telegram HTML): the header, then the text as typed."""
    return f"{say('broadcast_header', language)}\n\n{escape(text)}"


async def send_round(context: BotContext, room: int, busy: Collection[str]) -> None:
    """Send up to `room` due deliveries, none to a chat in `busy` (already written to this round)."""
    now = context.runtime.now()
    batch = await context.db(lambda s: claim_deliveries(s, channel=CHANNEL, now=now, limit=room, skip=busy))
    await deliver_batch(context, BROADCASTS, batch)


async def _send(context: BotContext, delivery: BroadcastOutgoing) -> Message:
    return await context.bot.send_message(int(delivery.external_id), broadcast_text(delivery.language, delivery.text),
                                          parse_mode=ParseMode.HTML)


BROADCASTS = Outbox[BroadcastOutgoing](
    "broadcast delivery", _send,
    lambda s, delivery_id, _chat_message, now: mark_delivery_sent(s, delivery_id, now),
    mark_delivery_blocked,
    lambda s, delivery_id, error, now, permanent: record_delivery_failure(s, delivery_id, error, now,
                                                                          permanent=permanent),
    postpone_deliveries)

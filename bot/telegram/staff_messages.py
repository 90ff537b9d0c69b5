"""The Division's messages: sent from the workspace's queue to the applicant, and their replies taken back.

A repeating job sends what staff queued (`intake/services/staff_messages.py`) with a header
in the applicant's language and a reply field open; a text that replies to one of those
messages joins its thread instead of being answered as a question.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import ForceReply, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ApplicationHandlerStop, BaseHandler, MessageHandler, filters

from bot.telegram.context import CHANNEL, BotApplication, BotContext, who
from bot.telegram.rendering import escape, send_html
from bot.telegram.texts import say
from intake.services.staff_messages import (
    Outgoing,
    claim_pending,
    mark_blocked,
    mark_sent,
    postpone,
    record_applicant_reply,
    record_failure,
)

logger = logging.getLogger(__name__)

# Rounds this far apart, each with at most one message per chat, keep every chat under
# Telegram's one message a second; a round's size keeps the bot well under its 30 a
# second overall, with room for the answers it gives meanwhile (AIORateLimiter paces both).
SEND_EVERY = timedelta(seconds=3)
ROUND_SIZE = 20


def schedule(application: BotApplication) -> None:
    """Put the sending of queued messages in the job queue, a round every SEND_EVERY."""
    assert application.job_queue is not None
    application.job_queue.run_repeating(send_round, interval=SEND_EVERY, first=1, name="staff-messages")


async def send_round(context: BotContext) -> None:
    """Send one round of the Division's pending messages; stop the round when Telegram asks to wait."""
    now = context.runtime.now()
    batch = await context.db(lambda s: claim_pending(s, channel=CHANNEL, now=now, limit=ROUND_SIZE))
    for position, message in enumerate(batch):
        wait = await _deliver(context, message)
        if wait is not None:
            await _postpone(context, [m.id for m in batch[position:]], wait)
            return


async def _deliver(context: BotContext, message: Outgoing) -> timedelta | None:
    """Send one message and record how it went; return how long Telegram asked to wait, if it did."""
    try:
        sent = await _send(context, message)
    except RetryAfter as error:
        return _as_delay(error.retry_after)
    except TelegramError as error:
        await _record_error(context, message, error)
        return None
    chat_message_id = sent.message_id
    await context.db(lambda s: mark_sent(s, message.id, chat_message_id, context.runtime.now()))
    return None


async def _record_error(context: BotContext, message: Outgoing, error: TelegramError) -> None:
    """Record a refusal: blocked by the applicant, failed for a bad request, else tried again later."""
    reason, now = str(error), context.runtime.now()
    if isinstance(error, Forbidden):
        logger.info("staff message %s not delivered: the applicant blocked the bot", message.id)
        await context.db(lambda s: mark_blocked(s, message.id, reason))
        return
    permanent = isinstance(error, BadRequest)  # the same request would be refused again
    logger.warning("staff message %s not sent (%s): %s", message.id, "given up" if permanent else "to retry", reason)
    await context.db(lambda s: record_failure(s, message.id, reason, now, permanent=permanent))


async def _send(context: BotContext, message: Outgoing) -> Message:
    """Send the message under its header, with the reply field open so the applicant answers it."""
    text = "\n\n".join((say("staff_message_header", message.language), escape(message.text),
                        say("staff_message_hint", message.language)))
    field = ForceReply(input_field_placeholder=say("staff_reply_placeholder", message.language))
    return await context.bot.send_message(int(message.external_id), text, parse_mode=ParseMode.HTML,
                                          reply_markup=field)


async def _postpone(context: BotContext, message_ids: list[int], wait: timedelta) -> None:
    logger.warning("flood limit: %d staff messages wait %s", len(message_ids), wait)
    until = context.runtime.now() + wait
    await context.db(lambda s: postpone(s, message_ids, until))


def _as_delay(retry_after: int | timedelta) -> timedelta:
    # python-telegram-bot gives seconds today and a timedelta in its next major version.
    return retry_after if isinstance(retry_after, timedelta) else timedelta(seconds=retry_after)


async def on_reply(update: Update, context: BotContext) -> None:
    """Take a reply to a Division message into its thread and say it was passed on; let other texts through."""
    message, user = update.effective_message, update.effective_user
    if message is None or message.reply_to_message is None or not message.text or user is None:
        return
    reply_to, text = message.reply_to_message.message_id, message.text
    joined = await context.db(lambda s: record_applicant_reply(
        s, channel=CHANNEL, external_id=str(user.id), reply_to=reply_to, text=text, now=context.runtime.now()))
    if joined is None:
        return  # a reply to any other message is a question like any text
    person = await who(update, context)
    await send_html(context.bot, person.chat_id, say("staff_reply_received", person.language))
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return this conversation's handlers (registered in a group before the others)."""
    return [MessageHandler(filters.TEXT & ~filters.COMMAND & filters.REPLY, on_reply)]

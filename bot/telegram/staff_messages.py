"""The Division's messages: sent from the workspace's queue to the applicant, and their replies taken back.

A repeating job sends what staff queued (`intake/services/staff_messages.py`) with a header
in the applicant's language and a reply field open, then the broadcasts' deliveries
(`bot/telegram/broadcasts.py`), with the loop and limits of `bot/telegram/sending.py`; a
text that replies to one of those messages joins its thread instead of being answered as a
question.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import ForceReply, Message, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationHandlerStop, BaseHandler, MessageHandler, filters

from bot.telegram import broadcasts
from bot.telegram.context import CHANNEL, BotApplication, BotContext, who
from bot.telegram.job_leases import leased
from bot.telegram.rendering import escape, send_html
from bot.telegram.sending import ROUND_SIZE, SEND_EVERY, Outbox, deliver_batch
from bot.telegram.texts import say
from intake.services.inbox import chats_in_conversation
from intake.services.staff_messages import (
    Outgoing,
    claim_pending,
    mark_blocked,
    mark_sent,
    postpone,
    record_applicant_reply,
    record_failure,
)

# A worker that stops sending hands the job over after this long.
OUTBOX_LEASE = timedelta(seconds=10)


def schedule(application: BotApplication) -> None:
    """Put the sending of what the workspace queued in the job queue, a round every SEND_EVERY."""
    assert application.job_queue is not None
    # One worker sends at a time: two sending rounds at once could write to a chat twice in a second.
    application.job_queue.run_repeating(leased("outbox", send_round, OUTBOX_LEASE), interval=SEND_EVERY, first=1,
                                        name="outbox")


async def send_round(context: BotContext) -> None:
    """Send one round: the Division's messages to one applicant first, then broadcasts to the other chats.

    A chat written to by one kind is skipped by the next, so it still gets one message a
    round; a flood wait on the first kind holds the second until the next round. A chat in a
    conversation with the bot (an update of theirs waiting or being answered, by any worker)
    waits for a later round, so the reply and the queued message do not come in one second.
    """
    now, bot_id = context.runtime.now(), context.bot.id
    talking = {str(chat) for chat in await context.db(lambda s: chats_in_conversation(s, bot_id=bot_id))}
    batch = await context.db(lambda s: claim_pending(s, channel=CHANNEL, now=now, limit=ROUND_SIZE, skip=talking))
    if await deliver_batch(context, STAFF_MESSAGES, batch):
        await broadcasts.send_round(context, ROUND_SIZE - len(batch), talking | {m.external_id for m in batch})


async def _send(context: BotContext, message: Outgoing) -> Message:
    """Send the message under its header, with the reply field open so the applicant answers it."""
    text = "\n\n".join((say("staff_message_header", message.language), escape(message.text),
                        say("staff_message_hint", message.language)))
    field = ForceReply(input_field_placeholder=say("staff_reply_placeholder", message.language))
    return await context.bot.send_message(int(message.external_id), text, parse_mode=ParseMode.HTML,
                                          reply_markup=field)


STAFF_MESSAGES = Outbox[Outgoing](
    "staff message", _send, mark_sent, mark_blocked,
    lambda s, message_id, error, now, permanent: record_failure(s, message_id, error, now, permanent=permanent),
    postpone)


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

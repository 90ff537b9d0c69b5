"""/rappels, and the deadline reminders: planned from the editions at start-up, sent once each."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import cast

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.telegram.callbacks import ReminderPress, is_press
from bot.telegram.consent import ask_consent
from bot.telegram.context import CHANNEL, BotApplication, BotContext, pressed, who
from bot.telegram.rendering import edit_html, keyboard, popup_text, send_html
from bot.telegram.texts import say
from datafiles.messages import N_
from intake.schema import Edition, Language
from intake.services.applicants import set_reminders
from intake.services.reminders import claim_reminders
from knowledge.card_text import long_date

logger = logging.getLogger(__name__)

ROUNDS = (14, 7, 1)


def plan(edition: Edition, now: datetime) -> list[tuple[int, datetime | None]]:
    """Return the rounds to schedule as (days before closing, when; None for at once).

    Rounds still ahead are scheduled at their time; of the rounds already due, only the
    latest runs at once (after a restart it finds everyone already reminded).
    """
    closes = edition.closes_at()
    if closes is None or closes <= now:
        return []
    due = {days: closes - timedelta(days=days) for days in ROUNDS}
    late = [days for days, moment in due.items() if moment <= now]
    ahead: list[tuple[int, datetime | None]] = [(days, moment) for days, moment in due.items() if moment > now]
    return [(min(late), None), *ahead] if late else ahead


def schedule(application: BotApplication) -> int:
    """Put the current edition's reminder rounds in the job queue; return how many."""
    runtime = application.bot_data.runtime
    assert runtime is not None and application.job_queue is not None
    edition = runtime.catalog.latest()
    rounds = plan(edition, runtime.now())
    for days, moment in rounds:
        application.job_queue.run_once(send_round, when=moment or 0, data=(edition.year, days),
                                       name=f"reminders-{edition.year}-{days}")
    logger.info("%d reminder rounds scheduled for edition %s", len(rounds), edition.year)
    return len(rounds)


async def send_round(context: BotContext) -> None:
    """Run one reminder round from the job queue."""
    assert context.job is not None
    year, days = cast(tuple[int, int], context.job.data)
    await remind(context, year, days)


async def remind(context: BotContext, year: int, days: int) -> int:
    """Remind every opted-in applicant not yet reminded for this round; return how many were sent."""
    edition, now = context.runtime.catalog.get(year), context.runtime.now()
    recipients = await context.db(
        lambda s: claim_reminders(s, channel=CHANNEL, edition=year, days_before=days, now=now)
    )
    sent = 0
    for recipient in recipients:
        try:
            await send_html(context.bot, int(recipient.external_id), reminder_text(edition, recipient.language, now))
            sent += 1
        except TelegramError as error:
            logger.warning("reminder not delivered to applicant %s: %s", recipient.applicant_id, error)
    return sent


def reminder_text(edition: Edition, language: Language, now: datetime) -> str:
    """Return the reminder: the closing date and the days left, counted when it is sent."""
    closes = edition.closes_at()
    assert closes is not None
    left = max(0, (closes.date() - now.astimezone(closes.tzinfo).date()).days)
    return say("reminder", language, year=edition.year, deadline=deadline_words(closes, language), days=left)


def deadline_words(moment: datetime, language: Language) -> str:
    """Return a closing date-time in words: 24 juillet 2025, 15:00."""
    comma = "،" if language == Language.AR else ","
    return f"{long_date(moment.date(), language)}{comma} {moment:%H:%M}"


def status_text(edition: Edition, opt_in: bool, language: Language, now: datetime) -> str:
    """Return whether reminders are on, and what they will announce for the current edition."""
    state = say("reminders_state_on" if opt_in else "reminders_state_off", language)
    closes = edition.closes_at()
    if closes is None:
        return f"{state}\n\n{say('reminders_unknown', language, year=edition.year)}"
    key = N_("reminders_closed") if closes <= now else N_("reminders_schedule")
    return f"{state}\n\n{say(key, language, year=edition.year, deadline=deadline_words(closes, language))}"


def _buttons(language: Language) -> InlineKeyboardMarkup:
    return keyboard([[(say("btn_reminders_on", language), ReminderPress(True)),
                      (say("btn_reminders_off", language), ReminderPress(False))]])


async def open_reminders(update: Update, context: BotContext) -> None:
    """Say whether reminders are on and offer to switch them."""
    person = await who(update, context)
    if not person.consented or person.applicant is None:
        await ask_consent(context, person)
        return
    edition = context.runtime.catalog.latest()
    text = status_text(edition, person.applicant.reminders_opt_in, person.language, context.runtime.now())
    await send_html(context.bot, person.chat_id, text, _buttons(person.language))


async def reminder_press(update: Update, context: BotContext) -> None:
    """Turn reminders on or off."""
    query, press = pressed(update, ReminderPress)
    person = await who(update, context)
    if not person.consented:
        await query.answer(popup_text(say("forged_button", person.language)))
        return
    await query.answer()
    applicant_id = person.applicant_id
    await context.db(lambda s: set_reminders(s, applicant_id, press.opt_in, now=context.runtime.now()))
    edition = context.runtime.catalog.latest()
    await edit_html(query, status_text(edition, press.opt_in, person.language, context.runtime.now()),
                    _buttons(person.language))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return this conversation's handlers."""
    return [
        CommandHandler(["rappels", "reminders"], open_reminders),
        CallbackQueryHandler(reminder_press, pattern=is_press(ReminderPress)),
    ]

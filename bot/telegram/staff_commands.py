"""Staff commands: /intakes, /intake ID and /questions, for the Telegram ids in the settings only.

The handlers match only those ids (`filters.User`), so anyone else's /intakes goes on to the
unknown-command reply every applicant gets: nothing says these commands exist. They stay
out of the published command menu for the same reason.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy.orm import Session
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.telegram.context import CHANNEL, BotContext
from bot.telegram.rendering import send_html
from bot.telegram.staff_command_views import bad_id_text, intake_text, intakes_text, questions_text, unknown_intake_text
from core.question_review import question_groups
from intake.catalog import EditionCatalog
from intake.errors import UnknownSession
from intake.services.question_log import QuestionFilter
from intake.services.reviews import get_review, review_states
from intake.services.staff_views import intake_for_staff
from intake.services.summaries import list_summaries

# Longer than this, a number is no intake id (and would overflow the database's integer).
MOST_ID_DIGITS = 18


async def list_intakes(update: Update, context: BotContext) -> None:
    """Send the counts by verdict and review status, and the most recently active intakes."""
    catalog = context.runtime.catalog
    summaries, reviews = await context.db(lambda s: (list_summaries(s, catalog=catalog), review_states(s)))
    await _reply(update, context, intakes_text(summaries, reviews))


async def show_intake(update: Update, context: BotContext) -> None:
    """Send one intake's summary and audit the view, or say in one line why there is none."""
    args = context.args or []
    session_id = requested_id(args)
    if session_id is None:
        await _reply(update, context, bad_id_text(args))
        return
    catalog, now = context.runtime.catalog, context.runtime.now()
    actor = f"{CHANNEL}:{_user_id(update)}"
    try:
        text = await context.db(lambda s: _intake(s, session_id, catalog, actor, now))
    except UnknownSession:
        text = unknown_intake_text(session_id)
    await _reply(update, context, text)


def _intake(session: Session, session_id: int, catalog: EditionCatalog, actor: str, now: datetime) -> str:
    detail = intake_for_staff(session, session_id, catalog, actor, now)
    return intake_text(detail, get_review(session, session_id))


def requested_id(args: Sequence[str]) -> int | None:
    """Return the id of `/intake ID`, or None unless the arguments are one number in ASCII digits."""
    if len(args) != 1 or not (args[0].isascii() and args[0].isdigit()) or len(args[0]) > MOST_ID_DIGITS:
        return None
    return int(args[0])


async def list_questions(update: Update, context: BotContext) -> None:
    """Send the largest open groups of the last 30 days' questions, with their nearest cards."""
    runtime, chosen = context.runtime, QuestionFilter()
    groups = await context.db(lambda s: question_groups(runtime, s, chosen))
    await _reply(update, context, questions_text(groups, chosen.days))


async def _reply(update: Update, context: BotContext, text: str) -> None:
    chat = update.effective_chat
    if chat is None:
        raise RuntimeError("a command came without its chat")
    await send_html(context.bot, chat.id, text)


def _user_id(update: Update) -> int:
    if update.effective_user is None:
        raise RuntimeError("a command came without its sender")
    return update.effective_user.id


def handlers(staff_ids: Collection[int]) -> list[BaseHandler[Update, BotContext, None]]:
    """Return the staff commands, matching only these Telegram user ids (nobody when there are none)."""
    staff = filters.User(user_id=staff_ids)
    return [
        CommandHandler("intakes", list_intakes, filters=staff),
        CommandHandler("intake", show_intake, filters=staff),
        CommandHandler("questions", list_questions, filters=staff),
    ]

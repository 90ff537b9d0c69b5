"""Wiring: the real bot for a Bot API server, its handlers, start-up and shutdown, and its error handler."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from telegram import Update
from telegram.constants import ParseMode
from telegram.error import NetworkError, TelegramError
from telegram.ext import ApplicationBuilder, TypeHandler

from bot.telegram import (
    dossier,
    eligibility,
    media,
    menu,
    old_buttons,
    onboarding,
    privacy,
    questions,
    reminders,
    staff_commands,
    staff_messages,
    summary,
)
from bot.telegram.assistant_bot import assistant_bot
from bot.telegram.context import APPLYING, CONTEXT_TYPES, BotApplication, BotContext, language_from_code, who
from bot.telegram.delivery import PRUNE_EVERY, handle_once, prune_handled
from bot.telegram.job_leases import leased
from bot.telegram.redaction import install_redaction, is_well_formed
from bot.telegram.rendering import popup_text
from bot.telegram.texts import say
from core.runtime import Runtime
from core.settings import Settings
from intake.models import Applicant

logger = logging.getLogger(__name__)


class TokenError(ValueError):
    """The Telegram token is missing or does not look like one."""


def bot_token(settings: Settings) -> str:
    """Return the configured token, refusing a missing or malformed one (without echoing it)."""
    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        raise TokenError("CLUSTER_ASSISTANT_TELEGRAM_TOKEN is not set")
    if not is_well_formed(token):
        raise TokenError("CLUSTER_ASSISTANT_TELEGRAM_TOKEN is malformed (expected digits, ':' and 30+ characters)")
    return token


def build_application(settings: Settings, runtime: Runtime, *, rate_limit: bool = True) -> BotApplication:
    """Build the assistant bot, talking to `settings.telegram_api_url`, around a built runtime.

    The runtime is closed at shutdown. Telegram's flood limits are respected; the benchmark
    can turn that off to compare. Updates reach the handlers through the inbox (`serving`).
    """
    token = bot_token(settings)
    install_redaction(token)
    builder = (
        ApplicationBuilder()
        .bot(assistant_bot(token, settings.telegram_api_url, rate_limit=rate_limit,
                           read_timeout=settings.telegram_read_timeout,
                           shared_limit=None if runtime.engine.dialect.name == "sqlite" else runtime.sessions))
        .context_types(CONTEXT_TYPES)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    application: BotApplication = builder.build()  # type: ignore[assignment]
    application.bot_data.runtime = runtime
    add_handlers(application)
    return application


def add_handlers(application: BotApplication) -> None:
    """Register every conversation, the duplicate guard before them, and the fallbacks after."""
    application.add_handler(TypeHandler(Update, handle_once), group=-2)
    # A group of its own between the guard and the conversations: a reply to the Division
    # stops there, any other text goes on to be answered; so does a press on a message the
    # bot can no longer reach, any other press goes on to its conversation.
    application.add_handlers([*staff_messages.handlers(), *old_buttons.handlers(), *menu.guard_handlers()], group=-1)
    for module in (onboarding, eligibility, dossier, summary, reminders, privacy, menu, questions, media):
        application.add_handlers(module.handlers())
    # Before the fallbacks, matching only the staff ids: anyone else's staff command falls through
    # to the unknown-command reply.
    staff_ids = application.bot_data.runtime.settings.staff_telegram_ids if application.bot_data.runtime else ()
    application.add_handlers(staff_commands.handlers(staff_ids))
    application.add_handlers([*onboarding.fallback_handlers(), *menu.fallback_handlers()])
    application.add_error_handler(on_error)


async def _post_init(application: Any) -> None:
    """Publish the command menu; schedule reminders, the Division's messages and the pruning of handled ids."""
    await onboarding.publish_commands(application.bot)
    await asyncio.to_thread(_sweep_uploads, application.bot_data.runtime)
    reminders.schedule(application)
    staff_messages.schedule(application)
    application.job_queue.run_repeating(leased("prune-updates", prune_handled, PRUNE_EVERY), interval=PRUNE_EVERY,
                                        first=60, name="prune-updates")


def _sweep_uploads(runtime: Runtime) -> None:
    with runtime.sessions() as session:
        known = set(session.scalars(select(Applicant.id)))
    swept = runtime.files.sweep_orphans(known)
    if swept:
        logger.info("removed %d upload folders left by an interrupted deletion", swept)


def is_database_outage(error: BaseException | None) -> bool:
    """Return whether `error` says the database could not be reached (as opposed to a fault in the work)."""
    return isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated)


async def _post_shutdown(application: Any) -> None:
    """Close the runtime's database connections."""
    runtime = application.bot_data.runtime
    if runtime is not None:
        runtime.close()


async def on_error(update: object, context: BotContext) -> None:
    """Log a failed update with its traceback, and apologise in the chat when there is one.

    An update that failed because the database went away, or because the Bot API stopped
    answering, is not apologised for (the apology would not get through either): the inbox
    applies it again when its lease runs out, and if its changes were committed the user is
    shown where they are instead.
    """
    update_id = update.update_id if isinstance(update, Update) else None
    delivery = APPLYING.get()
    outage = "the database" if is_database_outage(context.error) else (
        "the Bot API" if isinstance(context.error, NetworkError) else None)
    if delivery is not None and outage is not None:
        delivery.interrupted_by = outage
        logger.warning("update %s: %s cannot be reached (%s)", update_id, outage, type(context.error).__name__)
        return
    logger.error("update %s failed", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_user is None:
        return
    try:
        language = (await who(update, context)).language
    except Exception:
        language = language_from_code(update.effective_user.language_code)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(popup_text(say("error", language)))
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, say("error", language), parse_mode=ParseMode.HTML)
    except TelegramError as error:
        logger.warning("could not apologise for update %s: %s", update_id, error)

"""/resume: the applicant's intake summary in their language."""

from __future__ import annotations

from sqlalchemy.orm import Session
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.telegram.consent import ask_consent
from bot.telegram.context import BotContext, who
from bot.telegram.rendering import escape, send_html
from bot.telegram.texts import say
from intake.catalog import EditionCatalog
from intake.schema import Language
from intake.services.lookups import latest_check
from intake.services.summaries import build_summary, render_summary_text


async def show_summary(update: Update, context: BotContext) -> None:
    """Send the summary of the applicant's latest check: answers, verdict, reasons, dossier."""
    person = await who(update, context)
    if not person.consented:
        await ask_consent(context, person)
        return
    catalog = context.runtime.catalog
    text = await context.db(lambda s: summary_text(s, person.applicant_id, person.language, catalog))
    await send_html(context.bot, person.chat_id, escape(text) if text else say("no_check", person.language))


def summary_text(session: Session, applicant_id: int, language: Language, catalog: EditionCatalog) -> str | None:
    """Return the summary of the applicant's latest check as text, or None without a check."""
    ref = latest_check(session, applicant_id)
    if ref is None:
        return None
    summary = build_summary(session, applicant_id, ref.session_id, catalog=catalog)
    return render_summary_text(summary, language, catalog=catalog)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return this conversation's handlers."""
    return [CommandHandler(["resume", "summary"], show_summary)]

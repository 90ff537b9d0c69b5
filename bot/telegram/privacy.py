"""/supprimer: delete everything stored about the applicant, files included, after a confirmation."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.telegram.callbacks import DeletePress, is_press
from bot.telegram.context import BotContext, pressed, who
from bot.telegram.rendering import edit_html, keyboard, send_html
from bot.telegram.texts import say
from core.runtime import Runtime
from datafiles.messages import N_
from intake.database import checkpoint_journal
from intake.schema import Language
from intake.services.applicants import DeletionReport, delete_applicant_data

logger = logging.getLogger(__name__)

COUNTED = {  # table -> the message that counts its deleted rows
    "applicants": N_("count_applicants"), "intake_sessions": N_("count_intake_sessions"),
    "asked_questions": N_("count_asked_questions"), "answer_outcomes": N_("count_answer_outcomes"),
    "checklist_items": N_("count_checklist_items"), "checklist_events": N_("count_checklist_events"),
    "attachments": N_("count_attachments"),
}


async def ask_delete(update: Update, context: BotContext) -> None:
    """Ask to confirm the deletion, or say nothing is stored."""
    person = await who(update, context)
    if person.applicant is None:
        await send_html(context.bot, person.chat_id, say("nothing_stored", person.language))
        return
    buttons = keyboard([[(say("btn_delete", person.language), DeletePress(True))],
                        [(say("btn_cancel", person.language), DeletePress(False))]])
    await send_html(context.bot, person.chat_id, say("delete_confirm", person.language), buttons)


async def delete_press(update: Update, context: BotContext) -> None:
    """Delete the applicant's rows and files once confirmed, and say what went."""
    query, press = pressed(update, DeletePress)
    person = await who(update, context)
    await query.answer()
    if not press.confirmed:
        await edit_html(query, say("delete_cancelled", person.language))
        return
    if person.applicant is None:
        await edit_html(query, say("nothing_stored", person.language))
        return
    applicant_id = person.applicant.id
    report = await context.db(lambda s: delete_applicant_data(s, applicant_id, now=context.runtime.now()))
    # The rows are gone (committed) before the bytes: a crash in between leaves files no row points to,
    # never a row pointing to a missing file; the start-up sweep (FileStore.sweep_orphans) removes them.
    erased = await asyncio.to_thread(_forget, context.runtime, report, applicant_id)
    logger.info("applicant %s deleted their data", applicant_id)
    await edit_html(query, deletion_text(report, erased, person.language))


def _forget(runtime: Runtime, report: DeletionReport, applicant_id: int) -> int:
    """Erase the applicant's files and empty SQLite's journal, which still holds the deleted rows."""
    checkpoint_journal(runtime.engine)
    files = runtime.files
    return files.erase(report.attachment_locations) + files.erase_applicant(applicant_id)


def deletion_text(report: DeletionReport, erased_files: int, language: Language) -> str:
    """Return what was deleted, table by table, and how many files left the disk."""
    lines = [say("deleted", language)]
    lines += [f"• {say(message, language, n=report.counts.get(name, 0))}" for name, message in COUNTED.items()]
    lines.append(f"• {say('count_files', language, n=erased_files)}")
    return "\n".join(lines)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return this conversation's handlers."""
    return [
        CommandHandler(["supprimer", "delete"], ask_delete),
        CallbackQueryHandler(delete_press, pattern=is_press(DeletePress)),
    ]

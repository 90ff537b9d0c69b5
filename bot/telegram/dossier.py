"""/dossier: the checklist, each item's status, and documents attached from the chat."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session
from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.telegram.callbacks import STATUS_CODES, AttachPress, DossierPress, DossierStep, is_press
from bot.telegram.consent import ask_consent
from bot.telegram.context import BotContext, pressed, who
from bot.telegram.dossier_views import checklist_view, item_view, picker
from bot.telegram.rendering import edit_html, popup_text, send_html
from bot.telegram.texts import say
from datafiles.messages import N_
from intake import file_store
from intake.catalog import EditionCatalog
from intake.errors import UnknownEdition
from intake.file_store import FileStore
from intake.services.dossier import ChecklistView, attach_file, get_checklist, update_checklist_item
from intake.services.lookups import latest_check

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentFile:
    """A file a message carries, as Telegram describes it."""

    file_id: str
    name: str
    size: int | None


async def open_dossier(update: Update, context: BotContext) -> None:
    """Show the checklist of the edition the applicant is checking (else the latest)."""
    person = await who(update, context)
    if not person.consented:
        await ask_consent(context, person)
        return
    catalog = context.runtime.catalog
    view = await context.db(lambda s: checklist(s, person.applicant_id, catalog))
    text, markup = checklist_view(view, person.language)
    await send_html(context.bot, person.chat_id, text, markup)


def checklist(
    session: Session, applicant_id: int, catalog: EditionCatalog, edition: int | None = None
) -> ChecklistView:
    """Return the applicant's checklist for an edition, by default the one of their latest check."""
    if edition is None:
        ref = latest_check(session, applicant_id)
        edition = ref.edition if ref is not None else catalog.latest().year
    return get_checklist(session, applicant_id, edition, catalog=catalog)


async def dossier_press(update: Update, context: BotContext) -> None:
    """List the items, show one, or set an item's status."""
    query, press = pressed(update, DossierPress)
    person = await who(update, context)
    if not person.consented or not _known_item(context.runtime.catalog, press.edition, press.item):
        await query.answer(popup_text(say("forged_button", person.language)))
        return
    await query.answer()
    catalog = context.runtime.catalog
    if press.step == DossierStep.STATUS:
        item_id = catalog.get(press.edition).checklist[press.item].id
        status = STATUS_CODES[press.status]
        view = await context.db(lambda s: update_checklist_item(
            s, person.applicant_id, press.edition, item_id, status=status, catalog=catalog,
            now=context.runtime.now()))
    else:
        view = await context.db(lambda s: checklist(s, person.applicant_id, catalog, press.edition))
    text, markup = (checklist_view(view, person.language) if press.step == DossierStep.LIST
                    else item_view(view, press.item, person.language))
    await edit_html(query, text, markup)


def _known_item(catalog: EditionCatalog, edition: int, index: int) -> bool:
    try:
        return index < len(catalog.get(edition).checklist)
    except UnknownEdition:
        return False


async def on_file(update: Update, context: BotContext) -> None:
    """Refuse a file of the wrong type or size at once; otherwise ask which item it is for."""
    message = update.effective_message
    sent = file_of(message)
    if message is None or sent is None:
        return
    person = await who(update, context)
    if not person.consented:
        await ask_consent(context, person)
        return
    refusal = file_store.refusal_before_download(sent.name, sent.size)
    if refusal is not None:
        await send_html(
            context.bot, person.chat_id, say(refusal, person.language, name=sent.name, limit=file_store.MAX_MB)
        )
        return
    catalog = context.runtime.catalog
    view = await context.db(lambda s: checklist(s, person.applicant_id, catalog))
    text, markup = picker(view, person.language)
    await send_html(context.bot, person.chat_id, text, markup, reply_to=message.message_id)


def file_of(message: Message | None) -> SentFile | None:
    """Return the document or photo a message carries (a photo is its largest size, as JPEG)."""
    if message is None:
        return None
    if message.document is not None:
        document = message.document
        return SentFile(document.file_id, document.file_name or "document", document.file_size)
    if message.photo:
        photo = message.photo[-1]
        return SentFile(photo.file_id, f"photo-{photo.file_unique_id}.jpg", photo.file_size)
    return None


async def attach_press(update: Update, context: BotContext) -> None:
    """Download the file the pressed message replies to, keep it, and attach it to the chosen item."""
    query, press = pressed(update, AttachPress)
    person = await who(update, context)
    origin = query.message.reply_to_message if isinstance(query.message, Message) else None
    sent = file_of(origin)
    mine = origin is not None and origin.from_user is not None and origin.from_user.id == person.user_id
    if not person.consented or not _known_item(context.runtime.catalog, press.edition, press.item) or not mine:
        await query.answer(popup_text(say("forged_button", person.language)))
        return
    await query.answer()
    if sent is None:
        await edit_html(query, say("attach_lost", person.language))
        return
    data = bytes(await (await context.bot.get_file(sent.file_id)).download_as_bytearray())
    refusal = file_store.refusal_of_content(sent.name, data)
    if refusal is not None:
        await edit_html(query, say(refusal, person.language, name=sent.name, limit=file_store.MAX_MB))
        return
    runtime = context.runtime
    item = runtime.catalog.get(press.edition).checklist[press.item]
    new = await context.db(lambda s: keep_file(s, runtime.files, person.applicant_id, press, sent.name,
                                               data, runtime.catalog, runtime.now()))
    key = N_("attached") if new else N_("already_attached")
    await edit_html(query, say(key, person.language, name=sent.name, item=item.title.get(person.language)))


def keep_file(session: Session, files: FileStore, applicant_id: int, press: AttachPress, name: str, data: bytes,
              catalog: EditionCatalog, now: datetime) -> bool:
    """Store the bytes and attach them; return False when the same file is already on the item."""
    item_id = catalog.get(press.edition).checklist[press.item].id
    view = get_checklist(session, applicant_id, press.edition, catalog=catalog)
    current = next(item for item in view.items if item.item_id == item_id)
    # Checked before writing, so a file sent twice leaves no second copy on disk.
    if any(attachment.sha256 == hashlib.sha256(data).hexdigest() for attachment in current.attachments):
        return False
    ref = files.store(applicant_id, item_id, name, data)
    try:
        attach_file(session, applicant_id, press.edition, item_id, ref, catalog=catalog, now=now)
    except Exception:
        files.erase([ref.location])
        raise
    return True


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return this conversation's handlers."""
    return [
        CommandHandler("dossier", open_dossier),
        CallbackQueryHandler(dossier_press, pattern=is_press(DossierPress)),
        CallbackQueryHandler(attach_press, pattern=is_press(AttachPress)),
        MessageHandler(filters.Document.ALL | filters.PHOTO, on_file),
    ]

"""How the dossier looks in the chat: the checklist with statuses, one item, the item picker."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.telegram.callbacks import STATUS_CODES, AttachPress, DossierPress, DossierStep
from bot.telegram.rendering import Row, escape, keyboard
from bot.telegram.texts import say
from datafiles.messages import N_
from intake.checklist import ItemStatus
from intake.file_store import MAX_MB
from intake.schema import Language
from intake.services.dossier import ChecklistView, ItemView

ICONS = {ItemStatus.TODO: "⬜", ItemStatus.IN_PROGRESS: "🟡", ItemStatus.DONE: "✅", ItemStatus.NOT_APPLICABLE: "➖"}
BUTTON_CHARS = 48
STATUS_NAMES = {ItemStatus.TODO: N_("status_todo"), ItemStatus.IN_PROGRESS: N_("status_in_progress"),
                ItemStatus.DONE: N_("status_done"), ItemStatus.NOT_APPLICABLE: N_("status_not_applicable")}


def status_name(status: ItemStatus, language: Language) -> str:
    """Return a status in words."""
    return say(STATUS_NAMES[status], language)


def checklist_view(view: ChecklistView, language: Language) -> tuple[str, InlineKeyboardMarkup]:
    """Return the checklist: completion, every item with its status, and one button per item."""
    lines = [f"<b>{say('dossier_title', language, year=view.edition, percent=view.completion_percent)}</b>", ""]
    for number, item in enumerate(view.items, start=1):
        lines.append(f"{number}. {ICONS[item.status]} {escape(item.title.get(language))} "
                     f"<i>({status_name(item.status, language)})</i>")
    lines += ["", say("dossier_hint", language, limit=MAX_MB)]
    rows: list[Row] = [
        [(_label(number, item, language), DossierPress(view.edition, DossierStep.VIEW, number - 1))]
        for number, item in enumerate(view.items, start=1)
    ]
    return "\n".join(lines), keyboard(rows)


def item_view(view: ChecklistView, index: int, language: Language) -> tuple[str, InlineKeyboardMarkup]:
    """Return one item: status, why it is needed, its source, confirmed or likely, files; status buttons."""
    item = view.items[index]
    paragraphs = [
        f"<b>{index + 1}. {escape(item.title.get(language))}</b>\n"
        f"{say('item_status', language, status=status_name(item.status, language))}",
        say("item_why", language, why=item.why.get(language)),
        f"{say('source', language, source=item.source)}\n"
        f"{say('item_confirmed' if item.confirmed else 'item_likely', language)}",
    ]
    if item.attachments:
        files = ", ".join(attachment.name for attachment in item.attachments)
        paragraphs.append(say("item_files", language, files=files))
    paragraphs.append(say("dossier_hint", language, limit=MAX_MB))
    buttons = [
        (("• " if status == item.status else "") + status_name(status, language),
         DossierPress(view.edition, DossierStep.STATUS, index, code))
        for code, status in enumerate(STATUS_CODES)
    ]
    rows: list[Row] = [
        buttons[:2],
        buttons[2:],
        [(say("btn_list", language), DossierPress(view.edition, DossierStep.LIST))],
    ]
    return "\n\n".join(paragraphs), keyboard(rows)


def picker(view: ChecklistView, language: Language) -> tuple[str, InlineKeyboardMarkup]:
    """Return the question "which item is this file for?" with one button per applicable item."""
    rows: list[Row] = [
        [(_label(number, item, language), AttachPress(view.edition, number - 1))]
        for number, item in enumerate(view.items, start=1)
        if item.status != ItemStatus.NOT_APPLICABLE
    ]
    return say("attach_which", language), keyboard(rows)


def _label(number: int, item: ItemView, language: Language) -> str:
    title = item.title.get(language)
    short = title if len(title) <= BUTTON_CHARS else title[: BUTTON_CHARS - 1] + "…"
    return f"{number}. {ICONS[item.status]} {short}"

"""Telegram HTML: escaping, splitting long messages under 4096 characters, keyboards, sending."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable, Sequence

from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.telegram.callbacks import Press, encode

logger = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096
_TAG = re.compile(r"<[^>]*>")

Row = Sequence[tuple[str, Press]]


def escape(text: str) -> str:
    """Return plain text made safe for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def popup_text(text: str) -> str:
    """Return HTML as the plain text of a button's pop-up answer (200 characters at most)."""
    return html.unescape(_TAG.sub("", text))[:200]


def visible_length(text: str) -> int:
    """Return how long Telegram counts an HTML text: tags and entities resolved, in UTF-16 units."""
    plain = html.unescape(_TAG.sub("", text))
    return len(plain.encode("utf-16-le")) // 2


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split an HTML message into parts under `limit`, at paragraphs, then lines, then words.

    Tags never span paragraphs in this bot's messages, so whole paragraphs keep theirs;
    a paragraph too long for one message is cut as plain text.
    """
    parts: list[str] = []
    current = ""
    for paragraph in text.strip().split("\n\n"):
        for piece in _fit(paragraph, limit):
            candidate = f"{current}\n\n{piece}" if current else piece
            if visible_length(candidate) <= limit:
                current = candidate
                continue
            parts.append(current)
            current = piece
    if current:
        parts.append(current)
    return parts


def _fit(paragraph: str, limit: int) -> list[str]:
    """Return the paragraph as pieces under the limit (escaped HTML)."""
    if visible_length(paragraph) <= limit:
        return [paragraph]
    plain = html.unescape(_TAG.sub("", paragraph))
    return [escape(piece) for piece in _cut(plain, limit, ("\n", " "))]


def _cut(text: str, limit: int, separators: tuple[str, ...]) -> list[str]:
    """Pack `text` greedily into pieces under `limit`, splitting at the first separator that works."""
    if _units(text) <= limit:
        return [text]
    if not separators:
        return _hard_cut(text, limit)
    pieces: list[str] = []
    current = ""
    separator = separators[0]
    for token in text.split(separator):
        candidate = f"{current}{separator}{token}" if current else token
        if _units(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        if _units(token) <= limit:
            current = token
        else:
            *head, current = _cut(token, limit, separators[1:])
            pieces.extend(head)
    if current:
        pieces.append(current)
    return pieces


def _hard_cut(text: str, limit: int) -> list[str]:
    """Cut a text with no separator, between characters (never inside a surrogate pair)."""
    pieces: list[str] = []
    current = ""
    for character in text:
        if _units(current + character) > limit:
            pieces.append(current)
            current = ""
        current += character
    return [*pieces, current] if current else pieces


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def keyboard(rows: Iterable[Row]) -> InlineKeyboardMarkup:
    """Return an inline keyboard from rows of (label, press)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=encode(press)) for label, press in row] for row in rows if row]
    )


async def send_html(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None,
                    *, reply_to: int | None = None) -> Message:
    """Send an HTML text in as many messages as needed; the keyboard goes on the last one."""
    parts = split_html(text)
    sent: Message | None = None
    for number, part in enumerate(parts, start=1):
        sent = await bot.send_message(
            chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup if number == len(parts) else None,
            reply_parameters=ReplyParameters(reply_to) if reply_to is not None and number == 1 else None,
        )
    assert sent is not None, "nothing to send"
    return sent


async def edit_html(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the pressed message's text (overflow goes to new messages), ignoring "not modified"."""
    first, *rest = split_html(text)
    try:
        await query.edit_message_text(first, parse_mode=ParseMode.HTML, reply_markup=None if rest else markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise
    if rest and query.message is not None:
        await send_html(query.get_bot(), query.message.chat.id, "\n\n".join(rest), markup)


async def edit_keyboard(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the pressed message's keyboard, ignoring "not modified"."""
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


async def show_typing(bot: Bot, chat_id: int) -> None:
    """Show "typing…" in the chat; a refusal only costs the indicator."""
    try:
        await bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError as error:
        logger.info("sendChatAction refused: %s", error)

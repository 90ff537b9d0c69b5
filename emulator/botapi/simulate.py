"""Simulated users: what a person does in the Telegram app, turned into updates for the bot."""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

from botapi.entities import utf16_len
from botapi.errors import ControlError
from botapi.keyboards import find_button
from botapi.state import CallbackRecord, ChatState, Emulator, StoredMessage

_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")


def command_entities(text: str) -> list[dict[str, Any]]:
    """Return the bot_command entity Telegram adds for a leading /command."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]


def _outcome(emulator: Emulator, stored: StoredMessage, update: dict[str, Any]) -> dict[str, Any]:
    """Return what the control API answers after a user action (revision: to wait for changes)."""
    return {
        "message": stored.message,
        "update_id": update["update_id"],
        "revision": emulator.revision,
    }


def _user_message(
    emulator: Emulator, chat: ChatState, body: dict[str, Any], reply_to: int | None
) -> StoredMessage:
    """Store a user's message; writing again unblocks the bot, one-time keyboards close."""
    if reply_to is not None:
        replied = chat.messages.get(reply_to)
        if replied is None:
            raise ControlError(404, f"message {reply_to} not found in chat {chat.chat_id}")
        body["reply_to_message"] = {
            key: value for key, value in replied.message.items() if key != "reply_to_message"
        }
    if chat.blocked:
        chat.blocked = False
    if chat.reply_keyboard and chat.reply_keyboard.get("one_time_keyboard"):
        chat.reply_keyboard = None
    return emulator.add_message(chat, "user", body)


def user_sends_text(
    emulator: Emulator,
    user_id: int,
    text: str,
    *,
    user: dict[str, Any] | None = None,
    reply_to: int | None = None,
) -> dict[str, Any]:
    """Send `text` from user `user_id` to the bot in their private chat."""
    if not text:
        raise ControlError(400, "text is empty")
    chat = emulator.chat_for(user_id, user)
    body: dict[str, Any] = {"text": text}
    entities = command_entities(text)
    if entities:
        body["entities"] = entities
    stored = _user_message(emulator, chat, body, reply_to)
    return _outcome(emulator, stored, emulator.updates.push({"message": stored.message}))


def user_sends_document(
    emulator: Emulator,
    user_id: int,
    data: bytes,
    file_name: str,
    *,
    mime_type: str | None = None,
    caption: str | None = None,
    user: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Send a document from user `user_id`; the bot can then getFile and download it."""
    chat = emulator.chat_for(user_id, user)
    stored_file = emulator.files.add(data, file_name, mime_type)
    body: dict[str, Any] = {"document": stored_file.document()}
    if caption:
        body["caption"] = caption
    stored = _user_message(emulator, chat, body, None)
    outcome = _outcome(emulator, stored, emulator.updates.push({"message": stored.message}))
    return {**outcome, "file_id": stored_file.file_id}


def _pressed_message(
    chat: ChatState, message_id: int | None, data: str | None, text: str | None
) -> StoredMessage | None:
    """Return the message whose button is pressed: the given one, or the latest that has it."""
    if message_id is not None:
        stored = chat.messages.get(message_id)
        if stored is None:
            raise ControlError(404, f"message {message_id} not found in chat {chat.chat_id}")
        return stored
    for stored in sorted(chat.messages.values(), key=lambda s: s.message_id, reverse=True):
        markup = stored.message.get("reply_markup")
        if not stored.deleted and find_button(markup, data=data, text=text):
            return stored
    return None


def _button_data(stored: StoredMessage | None, data: str | None, text: str | None) -> str:
    """Return the callback data of an existing button, refusing buttons that are not there."""
    if stored is None or stored.deleted:
        raise ControlError(409, "no visible message has that button")
    button = find_button(stored.message.get("reply_markup"), data=data, text=text)
    if button is None or "callback_data" not in button:
        raise ControlError(409, f"message {stored.message_id} has no such callback button")
    return str(button["callback_data"])


def user_presses_button(
    emulator: Emulator,
    chat_id: int,
    *,
    message_id: int | None = None,
    data: str | None = None,
    text: str | None = None,
    forge: bool = False,
) -> dict[str, Any]:
    """Press an inline button (by data or text); `forge` sends any data, even without a button."""
    chat = emulator.chats.get(chat_id)
    if chat is None:
        raise ControlError(404, f"chat {chat_id} not found")
    if data is None and text is None:
        raise ControlError(400, "give the button's data or text")
    stored = _pressed_message(chat, message_id, data, text)
    if forge:
        if data is None:
            raise ControlError(400, "a forged press needs data")
    else:
        data = _button_data(stored, data, text)
    return _queue_callback(emulator, chat, stored, data)


def _queue_callback(
    emulator: Emulator, chat: ChatState, stored: StoredMessage | None, data: str
) -> dict[str, Any]:
    """Record a press and queue its callback_query update."""
    record = CallbackRecord(
        callback_query_id=str(secrets.randbits(62)),
        chat_id=chat.chat_id,
        message_id=stored.message_id if stored else None,
        data=data,
        user_id=int(chat.user["id"]),
        revision=emulator.bump(chat.chat_id),
    )
    chat.callbacks.append(record)
    query: dict[str, Any] = {
        "id": record.callback_query_id,
        "from": dict(chat.user),
        "chat_instance": str(-(chat.chat_id * 7919 % 10**15) - 1),
        "data": data,
    }
    if stored is not None:
        query["message"] = stored.message
    update = emulator.updates.push({"callback_query": query})
    return {
        "callback_query_id": record.callback_query_id,
        "update_id": update["update_id"],
        "revision": record.revision,
    }


def user_blocks_bot(emulator: Emulator, chat_id: int, blocked: bool) -> dict[str, Any]:
    """Block (or unblock) the bot; the bot gets a my_chat_member update, as on Telegram."""
    chat = emulator.chats.get(chat_id)
    if chat is None:
        raise ControlError(404, f"chat {chat_id} not found")
    if chat.blocked == blocked:
        return {"blocked": blocked, "update_id": None}
    chat.blocked = blocked
    emulator.bump(chat_id)
    old, new = ("member", "kicked") if blocked else ("kicked", "member")
    member = {
        "chat": chat.chat_object(),
        "from": dict(chat.user),
        "date": int(time.time()),
        "old_chat_member": _member(emulator, old),
        "new_chat_member": _member(emulator, new),
    }
    update = emulator.updates.push({"my_chat_member": member})
    return {"blocked": blocked, "update_id": update["update_id"]}


def _member(emulator: Emulator, status: str) -> dict[str, Any]:
    """Return a ChatMember of the bot with this status."""
    member: dict[str, Any] = {"status": status, "user": emulator.bot_user}
    if status == "kicked":
        member["until_date"] = 0
    return member

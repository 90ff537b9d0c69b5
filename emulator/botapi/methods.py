"""Bot API methods about messages: send, edit, delete, documents, files, callbacks, actions."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from botapi.errors import ApiError, bad_request
from botapi.files import MAX_DOWNLOAD_BYTES, MAX_UPLOAD_BYTES, StoredFile
from botapi.keyboards import Markup, read_markup
from botapi.markup import parse_text
from botapi.params import Params
from botapi.state import CallbackRecord, ChatState, Emulator, StoredMessage

Method = Callable[[Emulator, Params], Awaitable[Any]]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def target_chat(emulator: Emulator, params: Params) -> ChatState:
    """Return the chat a call addresses through its chat_id."""
    if not params.has("chat_id"):
        raise bad_request("chat_id is empty")
    return emulator.bot_chat(params.values["chat_id"])


def formatted_text(params: Params) -> dict[str, Any]:
    """Return `text` and `entities` of a call as Telegram stores them, enforcing the limits."""
    text, entities = _apply_parse_mode(params, "text", "entities")
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return {"text": text, **({"entities": entities} if entities else {})}


def formatted_caption(params: Params) -> dict[str, Any]:
    """Return `caption` and `caption_entities` of a call, if it has a caption."""
    text, entities = _apply_parse_mode(params, "caption", "caption_entities")
    if not text.strip():
        return {}
    if len(text) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return {"caption": text, **({"caption_entities": entities} if entities else {})}


def _apply_parse_mode(params: Params, field: str, entities_field: str) -> tuple[str, list[Any]]:
    """Parse a text field with the call's parse_mode, or take its explicit entities."""
    raw = params.text(field) or ""
    if params.has(entities_field) and not params.has("parse_mode"):
        entities = params.json_value(entities_field)
        return raw, entities if isinstance(entities, list) else []
    return parse_text(raw, params.text("parse_mode"))


def _reply_to(chat: ChatState, params: Params) -> dict[str, Any] | None:
    """Return the message this one replies to, from reply_parameters or reply_to_message_id."""
    reply = params.json_value("reply_parameters") or {}
    message_id = reply.get("message_id") if isinstance(reply, dict) else None
    message_id = message_id or params.integer("reply_to_message_id")
    if not message_id:
        return None
    stored = chat.messages.get(int(message_id))
    if stored is None or stored.deleted:
        if isinstance(reply, dict) and reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return {key: value for key, value in stored.message.items() if key != "reply_to_message"}


def deliver(
    emulator: Emulator, chat: ChatState, body: dict[str, Any], markup: Markup, params: Params
) -> StoredMessage:
    """Store a bot message with its reply and keyboard, and update the chat's keyboard."""
    reply = _reply_to(chat, params)
    if reply is not None:
        body["reply_to_message"] = reply
    if markup.inline:
        body["reply_markup"] = markup.inline
    stored = emulator.add_message(chat, "bot", body, keyboard=markup.keyboard)
    if markup.keyboard and "keyboard" in markup.keyboard:
        chat.reply_keyboard = markup.keyboard
    elif markup.keyboard and markup.keyboard.get("remove_keyboard"):
        chat.reply_keyboard = None
    chat.action = None
    return stored


async def send_message(emulator: Emulator, params: Params) -> dict[str, Any]:
    """sendMessage."""
    chat = target_chat(emulator, params)
    body = formatted_text(params)
    stored = deliver(emulator, chat, body, read_markup(params), params)
    return stored.message


def _bot_message(chat: ChatState, params: Params, missing: str) -> StoredMessage:
    """Return the bot's message a call edits, failing as Telegram does."""
    if params.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    message_id = params.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    stored = chat.messages.get(message_id)
    if stored is None or stored.deleted:
        raise bad_request(missing)
    if stored.sender != "bot":
        raise bad_request("message can't be edited")
    return stored


def _edit(emulator: Emulator, stored: StoredMessage, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply changes (None removes a field) unless nothing changes; return the message."""
    current = stored.message
    if all(current.get(key) == value for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    for key, value in changes.items():
        if value is None:
            current.pop(key, None)
        else:
            current[key] = value
    current["edit_date"] = int(time.time())
    emulator.touch(stored, edited=True)
    return current


async def edit_message_text(emulator: Emulator, params: Params) -> dict[str, Any]:
    """editMessageText; like Telegram, an edit without reply_markup removes the inline keyboard."""
    chat = target_chat(emulator, params)
    stored = _bot_message(chat, params, "message to edit not found")
    if "text" not in stored.message:
        raise bad_request("there is no text in the message to edit")
    body = formatted_text(params)
    markup = read_markup(params, inline_only=True)
    changes = {
        "text": body["text"],
        "entities": body.get("entities"),
        "reply_markup": markup.inline,
    }
    return _edit(emulator, stored, changes)


async def edit_message_reply_markup(emulator: Emulator, params: Params) -> dict[str, Any]:
    """editMessageReplyMarkup."""
    chat = target_chat(emulator, params)
    stored = _bot_message(chat, params, "message to edit not found")
    markup = read_markup(params, inline_only=True)
    return _edit(emulator, stored, {"reply_markup": markup.inline})


async def delete_message(emulator: Emulator, params: Params) -> bool:
    """deleteMessage; in a private chat the bot may delete the user's messages too."""
    chat = target_chat(emulator, params)
    stored = chat.messages.get(params.integer("message_id", required=True) or 0)
    if stored is None or stored.deleted:
        raise bad_request("message to delete not found")
    emulator.touch(stored, deleted=True)
    return True


def _find_callback(emulator: Emulator, query_id: str) -> CallbackRecord | None:
    """Return the unanswered callback query with this id."""
    for chat in emulator.chats.values():
        for record in chat.callbacks:
            if record.callback_query_id == query_id and not record.answered:
                return record
    return None


async def answer_callback_query(emulator: Emulator, params: Params) -> bool:
    """answerCallbackQuery; a query can be answered once."""
    record = _find_callback(emulator, params.text("callback_query_id", required=True) or "")
    if record is None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    record.answered = True
    record.text = params.text("text")
    record.show_alert = params.flag("show_alert")
    record.url = params.text("url")
    record.revision = emulator.bump(record.chat_id)
    return True


def _document_file(emulator: Emulator, params: Params) -> StoredFile:
    """Return the document of a sendDocument call: an upload or a known file_id."""
    upload = params.upload("document")
    if upload is not None:
        if len(upload.data) > MAX_UPLOAD_BYTES:
            raise ApiError(413, "Request Entity Too Large")
        return emulator.files.add(upload.data, upload.filename, upload.content_type)
    reference = params.text("document")
    if not reference:
        raise bad_request("there is no document in the request")
    if reference.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")
    known = emulator.files.get(reference)
    if known is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return known


async def send_document(emulator: Emulator, params: Params) -> dict[str, Any]:
    """sendDocument with an uploaded file or an existing file_id."""
    chat = target_chat(emulator, params)
    stored_file = _document_file(emulator, params)
    body = {"document": stored_file.document(), **formatted_caption(params)}
    stored = deliver(emulator, chat, body, read_markup(params), params)
    return stored.message


async def get_file(emulator: Emulator, params: Params) -> dict[str, Any]:
    """getFile: the file_path to download from /file/bot<token>/<file_path>."""
    stored = emulator.files.get(params.text("file_id", required=True) or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.data) > MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return stored.file_object()


async def send_chat_action(emulator: Emulator, params: Params) -> bool:
    """sendChatAction; the action shows in the transcript until the next bot message."""
    chat = target_chat(emulator, params)
    action = params.text("action") or ""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.action = {"action": action, "date": int(time.time())}
    emulator.bump(chat.chat_id)
    return True


MESSAGE_METHODS: dict[str, Method] = {
    "sendmessage": send_message,
    "editmessagetext": edit_message_text,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
    "answercallbackquery": answer_callback_query,
    "senddocument": send_document,
    "getfile": get_file,
    "sendchataction": send_chat_action,
}

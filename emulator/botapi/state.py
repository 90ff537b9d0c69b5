"""The emulator's state: the bot, users, private chats, messages both ways, button presses."""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from botapi.errors import bad_request, forbidden
from botapi.faults import FaultInjector
from botapi.files import FileStore
from botapi.updates import UpdateQueue
from botapi.waiting import Signal
from botapi.webhook import WebhookDispatcher

logger = logging.getLogger(__name__)

Sender = Literal["user", "bot"]
CALL_LOG_SIZE = 5000
DEFAULT_LANGUAGE = "fr"


@dataclass
class StoredMessage:
    """A message as it stands now, with what the transcript needs to know about its history."""

    message: dict[str, Any]
    sender: Sender
    revision: int
    edited: bool = False
    deleted: bool = False
    keyboard: dict[str, Any] | None = None

    @property
    def message_id(self) -> int:
        """Return the message's id in its chat."""
        return int(self.message["message_id"])

    def entry(self) -> dict[str, Any]:
        """Return the transcript entry for this message."""
        return {
            "message_id": self.message_id,
            "sender": self.sender,
            "revision": self.revision,
            "edited": self.edited,
            "deleted": self.deleted,
            "keyboard": self.keyboard,
            "message": self.message,
        }


@dataclass
class CallbackRecord:
    """A button press and how the bot answered it."""

    callback_query_id: str
    chat_id: int
    message_id: int | None
    data: str | None
    user_id: int
    revision: int
    answered: bool = False
    text: str | None = None
    show_alert: bool = False
    url: str | None = None

    def entry(self) -> dict[str, Any]:
        """Return the transcript entry for this callback query."""
        return asdict(self)


@dataclass
class ChatState:
    """A private chat between the bot and one user."""

    chat_id: int
    user: dict[str, Any]
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    callbacks: list[CallbackRecord] = field(default_factory=list)
    next_message_id: int = 1
    blocked: bool = False
    reply_keyboard: dict[str, Any] | None = None
    action: dict[str, Any] | None = None

    def chat_object(self) -> dict[str, Any]:
        """Return the Telegram Chat object of this private chat."""
        chat: dict[str, Any] = {"id": self.chat_id, "type": "private"}
        for name in ("first_name", "last_name", "username"):
            if self.user.get(name):
                chat[name] = self.user[name]
        return chat


@dataclass
class BotSettings:
    """What the bot configured about itself: commands, menu buttons, name and descriptions."""

    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    menu_buttons: dict[str, dict[str, Any]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


class Emulator:
    """Everything one emulated Telegram keeps for one bot token."""

    def __init__(
        self,
        token: str,
        *,
        bot_username: str = "cluster_assistant_test_bot",
        bot_name: str = "Cluster Assistant",
        first_update_id: int = 1,
    ) -> None:
        prefix = token.split(":", 1)[0]
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": int(prefix) if prefix.isdigit() else 100000001,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.updates = UpdateQueue(first_update_id)
        self.files = FileStore()
        self.faults = FaultInjector()
        self.webhook = WebhookDispatcher(self.updates)
        self.settings = BotSettings()
        self.chats: dict[int, ChatState] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.calls: deque[dict[str, Any]] = deque(maxlen=CALL_LOG_SIZE)
        self.revision = 0
        self._chat_signals: dict[int, Signal] = {}
        self._closed = False
        self._call_seq = 0

    def me(self) -> dict[str, Any]:
        """Return the getMe answer."""
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def user(self, user_id: int, fields: dict[str, Any] | None = None) -> dict[str, Any]:
        """Return the user `user_id`, creating it or updating the given profile fields."""
        user = self.users.setdefault(
            user_id,
            {
                "id": user_id,
                "is_bot": False,
                "first_name": f"User {user_id}",
                "language_code": DEFAULT_LANGUAGE,
            },
        )
        for name in ("first_name", "last_name", "username", "language_code"):
            if fields and fields.get(name):
                user[name] = str(fields[name])
        return user

    def chat_for(self, user_id: int, fields: dict[str, Any] | None = None) -> ChatState:
        """Return the private chat with user `user_id`, opening it if needed."""
        user = self.user(user_id, fields)
        chat = self.chats.get(user_id)
        if chat is None:
            chat = self.chats[user_id] = ChatState(chat_id=user_id, user=user)
        return chat

    def bot_chat(self, chat_id: Any) -> ChatState:
        """Return the chat a bot call addresses, failing as Telegram does."""
        chat = self._find_chat(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat.blocked:
            raise forbidden("bot was blocked by the user")
        return chat

    def _find_chat(self, chat_id: Any) -> ChatState | None:
        """Return the chat with this id or @username, if any."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            wanted = chat_id[1:].lower()
            found = [c for c in self.chats.values() if c.user.get("username", "").lower() == wanted]
            return found[0] if found else None
        try:
            return self.chats.get(int(chat_id))
        except (TypeError, ValueError):
            return None

    def chat_signal(self, chat_id: int) -> Signal:
        """Return the signal that wakes waiters on one chat (one per chat: no wake-up storm)."""
        signal = self._chat_signals.get(chat_id)
        if signal is None:
            signal = self._chat_signals[chat_id] = Signal()
            if self._closed:
                signal.close()
        return signal

    def bump(self, chat_id: int | None = None) -> int:
        """Advance the revision and wake the waiters on `chat_id` (on every chat when None)."""
        self.revision += 1
        if chat_id is None:
            for signal in self._chat_signals.values():
                signal.notify()
        elif chat_id in self._chat_signals:
            self._chat_signals[chat_id].notify()
        return self.revision

    def add_message(
        self,
        chat: ChatState,
        sender: Sender,
        body: dict[str, Any],
        keyboard: dict[str, Any] | None = None,
    ) -> StoredMessage:
        """Store a new message in `chat` from the user or the bot and return it."""
        message = {
            "message_id": chat.next_message_id,
            "from": dict(chat.user if sender == "user" else self.bot_user),
            "chat": chat.chat_object(),
            "date": int(time.time()),
            **body,
        }
        chat.next_message_id += 1
        stored = StoredMessage(message, sender, self.bump(chat.chat_id), keyboard=keyboard)
        chat.messages[stored.message_id] = stored
        return stored

    def touch(self, stored: StoredMessage, *, edited: bool = False, deleted: bool = False) -> None:
        """Mark a message as changed so that transcript waiters see it again."""
        stored.edited = stored.edited or edited
        stored.deleted = stored.deleted or deleted
        stored.revision = self.bump(int(stored.message["chat"]["id"]))

    def record_call(self, method: str, params: dict[str, Any], status: int, error: str) -> None:
        """Log one Bot API call (never the token) for the control API."""
        self._call_seq += 1
        entry = {"seq": self._call_seq, "method": method, "status": status, "time": time.time()}
        entry["params"] = params
        if error:
            entry["error"] = error
        self.calls.append(entry)

    def reset(self) -> None:
        """Forget chats, users, updates, files, faults and calls; keep the bot and its webhook."""
        self.chats.clear()
        self.users.clear()
        self.files.clear()
        self.faults.clear()
        self.calls.clear()
        self.updates.reset()
        self.settings = BotSettings()
        self.bump()

    async def close(self) -> None:
        """Wake every long poll and stop webhook delivery, before the server stops."""
        await self.webhook.stop()
        self._closed = True
        self.updates.signal.close()
        for signal in self._chat_signals.values():
            signal.close()

"""What the control API reads: transcripts, and long polls for the bot's messages and changes."""

from __future__ import annotations

from typing import Any

from botapi.state import ChatState, Emulator


def transcript(emulator: Emulator, chat_id: int) -> dict[str, Any]:
    """Return every message of a chat both ways, as they stand, and every button press."""
    chat = emulator.chats.get(chat_id)
    if chat is None:
        return {"chat": None, "revision": emulator.revision, "entries": [], "callbacks": []}
    entries = [stored.entry() for stored in sorted(chat.messages.values(), key=_by_id)]
    return {
        "chat": chat.chat_object(),
        "user": chat.user,
        "blocked": chat.blocked,
        "reply_keyboard": chat.reply_keyboard,
        "action": chat.action,
        "revision": emulator.revision,
        "entries": entries,
        "callbacks": [record.entry() for record in chat.callbacks],
    }


def _by_id(stored: Any) -> int:
    """Order messages by id."""
    return int(stored.message_id)


def bot_entries_after(chat: ChatState | None, after: int) -> list[dict[str, Any]]:
    """Return the bot's messages in `chat` with an id above `after`."""
    if chat is None:
        return []
    found = [s for s in chat.messages.values() if s.sender == "bot" and s.message_id > after]
    return [stored.entry() for stored in sorted(found, key=_by_id)]


async def wait_bot_messages(
    emulator: Emulator, chat_id: int, after: int, count: int, timeout: float
) -> dict[str, Any]:
    """Long-poll until the bot sent `count` messages after id `after` in the chat, or time out."""

    def ready() -> bool:
        """Return whether enough bot messages arrived."""
        return len(bot_entries_after(emulator.chats.get(chat_id), after)) >= count

    done = await emulator.chat_signal(chat_id).wait_for(ready, timeout)
    messages = bot_entries_after(emulator.chats.get(chat_id), after)
    return {"messages": messages, "timed_out": not done, "revision": emulator.revision}


def changes_since(emulator: Emulator, chat_id: int, since: int) -> dict[str, Any]:
    """Return the messages and button presses of a chat changed after revision `since`."""
    chat = emulator.chats.get(chat_id)
    messages = list(chat.messages.values()) if chat else []
    callbacks = chat.callbacks if chat else []
    return {
        "revision": emulator.revision,
        "entries": [s.entry() for s in sorted(messages, key=_by_id) if s.revision > since],
        "callbacks": [c.entry() for c in callbacks if c.revision > since],
        "reply_keyboard": chat.reply_keyboard if chat else None,
        "action": chat.action if chat else None,
    }


async def wait_changes(
    emulator: Emulator, chat_id: int, since: int, timeout: float, sender: str | None = None
) -> dict[str, Any]:
    """Long-poll until something in the chat changed after revision `since` (from `sender`)."""

    def ready() -> bool:
        """Return whether something of interest changed."""
        found = changes_since(emulator, chat_id, since)
        entries = [e for e in found["entries"] if sender is None or e["sender"] == sender]
        answers = [c for c in found["callbacks"] if sender is None or c["answered"]]
        return bool(entries or (sender != "user" and answers))

    done = await emulator.chat_signal(chat_id).wait_for(ready, timeout)
    return {**changes_since(emulator, chat_id, since), "timed_out": not done}

"""Reply markup as Telegram checks it: inline keyboards, reply keyboards, removal, force reply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botapi.errors import bad_request
from botapi.params import Params

MAX_CALLBACK_DATA_BYTES = 64
INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
BUTTON_FIELDS = ("text", "style", "icon_custom_emoji_id", *INLINE_ACTIONS)


@dataclass(frozen=True)
class Markup:
    """The reply markup of one call: an inline keyboard kept on the message, or a chat keyboard."""

    inline: dict[str, Any] | None = None
    keyboard: dict[str, Any] | None = None


def read_markup(params: Params, *, inline_only: bool = False) -> Markup:
    """Return the checked `reply_markup` parameter of a call."""
    raw = params.json_value("reply_markup")
    if raw is None:
        return Markup()
    if not isinstance(raw, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in raw:
        return Markup(inline=_inline(raw["inline_keyboard"]))
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in raw:
        return Markup(keyboard=_reply_keyboard(raw))
    if raw.get("remove_keyboard") or raw.get("force_reply"):
        return Markup(keyboard=raw)
    raise bad_request("can't parse reply keyboard markup JSON object")


def _inline(rows: Any) -> dict[str, Any]:
    """Check an inline keyboard and return it as Telegram echoes it in the message."""
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            "can't parse inline keyboard button: "
            'field "inline_keyboard" must be an Array of Arrays'
        )
    checked = [[_inline_button(button) for button in row] for row in rows if row]
    return {"inline_keyboard": checked}


def _inline_button(button: Any) -> dict[str, Any]:
    """Check one inline button: a text, exactly one action, callback data of 1-64 bytes."""
    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [name for name in INLINE_ACTIONS if name in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        size = len(str(button["callback_data"]).encode())
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not str(button["url"]).startswith(("http://", "https://", "tg://")):
        raise bad_request("BUTTON_URL_INVALID")
    return {name: button[name] for name in BUTTON_FIELDS if name in button}


def _reply_keyboard(raw: dict[str, Any]) -> dict[str, Any]:
    """Check a reply keyboard; buttons may be plain strings or objects with a text."""
    rows = raw.get("keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse reply keyboard markup JSON object")
    for row in rows:
        for button in row:
            text = button if isinstance(button, str) else (button or {}).get("text")
            if not text:
                raise bad_request("keyboard button text is empty")
    return raw


def button_texts(keyboard: dict[str, Any] | None) -> list[str]:
    """Return the texts of a reply keyboard's buttons, row by row."""
    rows = (keyboard or {}).get("keyboard") or []
    return [button if isinstance(button, str) else button["text"] for row in rows for button in row]


def find_button(
    inline: dict[str, Any] | None, *, data: str | None = None, text: str | None = None
) -> dict[str, Any] | None:
    """Return the inline button with this callback data or this text, if the keyboard has one."""
    rows: list[list[dict[str, Any]]] = (inline or {}).get("inline_keyboard", [])
    for row in rows:
        for button in row:
            if data is not None and button.get("callback_data") == data:
                return button
            if text is not None and button.get("text") == text:
                return button
    return None

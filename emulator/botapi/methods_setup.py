"""Bot API methods about the bot itself: getMe, updates, webhook, commands, menu button, profile."""

from __future__ import annotations

import json
import re
from typing import Any

from botapi.errors import bad_request, conflict
from botapi.methods import Method
from botapi.params import Params
from botapi.state import Emulator

MAX_POLL_TIMEOUT = 50.0
MAX_COMMANDS = 100
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
MENU_BUTTON_TYPES = ("commands", "web_app", "default")
PROFILE_TEXTS = {"name": 64, "description": 512, "short_description": 120}


async def get_me(emulator: Emulator, params: Params) -> dict[str, Any]:
    """getMe."""
    return emulator.me()


async def get_updates(emulator: Emulator, params: Params) -> list[dict[str, Any]]:
    """getUpdates with offset, limit and a long-polling timeout; 409 while a webhook is set."""
    if emulator.webhook.active:
        raise conflict(
            "can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first"
        )
    timeout = min(max(params.number("timeout", 0.0), 0.0), MAX_POLL_TIMEOUT)
    limit = params.integer("limit") or 100
    return await emulator.updates.get(params.integer("offset"), limit, timeout)


async def set_webhook(emulator: Emulator, params: Params) -> bool:
    """setWebhook; an empty url removes the webhook, as on Telegram."""
    url = params.text("url") or ""
    if not url:
        await emulator.webhook.remove()
        return True
    secret = params.text("secret_token")
    if secret is not None and not SECRET_TOKEN.match(secret):
        raise bad_request("secret token contains unallowed characters")
    if params.flag("drop_pending_updates"):
        emulator.updates.drop_all()
    emulator.webhook.set(url, secret, params.integer("max_connections"))
    emulator.webhook.allowed_updates = params.json_value("allowed_updates")
    emulator.updates.interrupt()
    return True


async def delete_webhook(emulator: Emulator, params: Params) -> bool:
    """deleteWebhook."""
    if params.flag("drop_pending_updates"):
        emulator.updates.drop_all()
    await emulator.webhook.remove()
    return True


async def get_webhook_info(emulator: Emulator, params: Params) -> dict[str, Any]:
    """getWebhookInfo."""
    return emulator.webhook.info()


def _scope_key(params: Params) -> str:
    """Return the key of a command list: its scope and language."""
    scope = params.json_value("scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    return f"{json.dumps(scope, sort_keys=True)}|{params.text('language_code') or ''}"


def _checked_commands(raw: Any) -> list[dict[str, str]]:
    """Check a command list as Telegram does."""
    if not isinstance(raw, list) or len(raw) > MAX_COMMANDS:
        raise bad_request("can't parse commands JSON object")
    checked = []
    for item in raw:
        command = str((item or {}).get("command", "")).lstrip("/")
        description = str((item or {}).get("description", "")).strip()
        if not COMMAND_NAME.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("command description is empty or too long")
        checked.append({"command": command, "description": description})
    return checked


async def set_my_commands(emulator: Emulator, params: Params) -> bool:
    """setMyCommands for a scope and language."""
    commands = _checked_commands(params.json_value("commands"))
    emulator.settings.commands[_scope_key(params)] = commands
    return True


async def get_my_commands(emulator: Emulator, params: Params) -> list[dict[str, str]]:
    """getMyCommands for a scope and language."""
    return emulator.settings.commands.get(_scope_key(params), [])


async def delete_my_commands(emulator: Emulator, params: Params) -> bool:
    """deleteMyCommands for a scope and language."""
    emulator.settings.commands.pop(_scope_key(params), None)
    return True


async def set_chat_menu_button(emulator: Emulator, params: Params) -> bool:
    """setChatMenuButton for one chat, or the default one."""
    button = params.json_value("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in MENU_BUTTON_TYPES:
        raise bad_request("can't parse menu button JSON object")
    key = "default"
    if params.has("chat_id"):
        key = str(emulator.bot_chat(params.values["chat_id"]).chat_id)
    emulator.settings.menu_buttons[key] = button
    return True


async def get_chat_menu_button(emulator: Emulator, params: Params) -> dict[str, Any]:
    """getChatMenuButton."""
    buttons = emulator.settings.menu_buttons
    key = params.text("chat_id") or "default"
    return buttons.get(key) or buttons.get("default") or {"type": "default"}


def _profile_setter(field: str) -> Method:
    """Return setMyName, setMyDescription or setMyShortDescription."""

    async def setter(emulator: Emulator, params: Params) -> bool:
        """Store the text for its language."""
        value = params.text(field) or ""
        if len(value) > PROFILE_TEXTS[field]:
            raise bad_request(f"{field} is too long")
        emulator.settings.texts[f"{field}|{params.text('language_code') or ''}"] = value
        return True

    return setter


def _profile_getter(field: str) -> Method:
    """Return getMyName, getMyDescription or getMyShortDescription."""

    async def getter(emulator: Emulator, params: Params) -> dict[str, str]:
        """Return the text for the language, else the default one."""
        texts = emulator.settings.texts
        value = texts.get(f"{field}|{params.text('language_code') or ''}") or texts.get(f"{field}|")
        if field == "name":
            value = value or str(emulator.bot_user["first_name"])
        return {field: value or ""}

    return getter


async def accept(emulator: Emulator, params: Params) -> bool:
    """logOut and close: nothing to do here, answer True."""
    return True


SETUP_METHODS: dict[str, Method] = {
    "getme": get_me,
    "getupdates": get_updates,
    "setwebhook": set_webhook,
    "deletewebhook": delete_webhook,
    "getwebhookinfo": get_webhook_info,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "setchatmenubutton": set_chat_menu_button,
    "getchatmenubutton": get_chat_menu_button,
    "setmyname": _profile_setter("name"),
    "getmyname": _profile_getter("name"),
    "setmydescription": _profile_setter("description"),
    "getmydescription": _profile_getter("description"),
    "setmyshortdescription": _profile_setter("short_description"),
    "getmyshortdescription": _profile_getter("short_description"),
    "logout": accept,
    "close": accept,
}

"""Telegram's refusals, as python-telegram-bot and a raw HTTP client see them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, InvalidToken

from botapi.runner import RunningEmulator

USER = 3003


@pytest.fixture
async def bot(emulator: RunningEmulator) -> AsyncIterator[Bot]:
    """Return an initialised PTB Bot on the emulator, with a chat open with USER."""
    await emulator.client.add_user(USER, first_name="Salma")
    async with Bot(emulator.token, base_url=emulator.bot_api_url) as ptb_bot:
        yield ptb_bot


@pytest.fixture
async def http(emulator: RunningEmulator) -> AsyncIterator[httpx.AsyncClient]:
    """Return a raw HTTP client on the emulator."""
    async with httpx.AsyncClient(base_url=emulator.base_url, trust_env=False) as client:
        yield client


async def test_text_length_limit(bot: Bot) -> None:
    await bot.send_message(USER, "x" * 4096)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "x" * 4097)


@pytest.mark.parametrize(
    ("text", "parse_mode", "error"),
    [
        ("<b>gras</i>", "HTML", "Unmatched end tag"),
        ("<b>gras", "HTML", "Can't find end tag"),
        ("<div>bloc</div>", "HTML", "Unsupported start tag"),
        ("Dépôt avant le 30.", "MarkdownV2", "character '.' is reserved"),
        ("*gras", "MarkdownV2", "Can't find end of Bold"),
    ],
)
async def test_unparsable_text_is_refused(bot: Bot, text: str, parse_mode: str, error: str) -> None:
    with pytest.raises(BadRequest, match=rf"(?i)can't parse entities: {error}"):
        await bot.send_message(USER, text, parse_mode=parse_mode)


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="é" * 32)]])
    await bot.send_message(USER, "64 octets", reply_markup=ok)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("trop", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(USER, "66 octets", reply_markup=too_long)


async def test_unknown_chat_and_unmodified_edit(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999999, "personne")
    sent = await bot.send_message(USER, "même texte")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("même texte", chat_id=USER, message_id=sent.message_id)


async def test_wrong_token_is_unauthorized(
    emulator: RunningEmulator, http: httpx.AsyncClient
) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("123456789:wrong-token", base_url=emulator.bot_api_url):
            pass
    response = await http.post("/bot123456789:wrong-token/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_unknown_method_is_not_found(
    emulator: RunningEmulator, http: httpx.AsyncClient
) -> None:
    response = await http.post(f"/bot{emulator.token}/sendTelepathy")
    assert response.status_code == 404
    assert response.json()["description"] == "Not Found: method not found"


async def test_json_form_and_query_bodies_are_all_accepted(
    emulator: RunningEmulator, http: httpx.AsyncClient
) -> None:
    await emulator.client.add_user(USER)
    url = f"/bot{emulator.token}/sendMessage"
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}

    by_json = await http.post(url, json={"chat_id": USER, "text": "json", "reply_markup": markup})
    by_form = await http.post(
        url, data={"chat_id": str(USER), "text": "form", "reply_markup": json.dumps(markup)}
    )
    by_query = await http.get(url, params={"chat_id": USER, "text": "query"})
    me = await http.post(f"/bot{emulator.token}/getMe", content=b"")

    assert by_json.json()["result"]["reply_markup"] == markup
    assert by_form.json()["result"]["reply_markup"] == markup
    assert by_query.json()["result"]["text"] == "query"
    assert me.json()["result"]["is_bot"] is True


async def test_injected_faults_have_telegram_shapes(
    emulator: RunningEmulator, http: httpx.AsyncClient
) -> None:
    client = emulator.client
    await client.fail_with_retry_after("getMe", retry_after=3)
    await client.fail_with_server_error("getMe", status=502)
    await client.delay("getMe", seconds=0.01)
    url = f"/bot{emulator.token}/getMe"

    limited, failed, delayed, normal = [await http.post(url) for _ in range(4)]

    assert limited.status_code == 429
    assert limited.json()["parameters"] == {"retry_after": 3}
    assert failed.status_code == 502 and failed.json()["ok"] is False
    assert delayed.status_code == 200 and normal.status_code == 200
    assert [fault["hits"] for fault in await client.faults()] == [1, 1, 1]


async def test_a_held_call_waits_until_the_faults_are_cleared(
    emulator: RunningEmulator, http: httpx.AsyncClient
) -> None:
    await emulator.client.hold("getMe")
    held = asyncio.create_task(http.post(f"/bot{emulator.token}/getMe"))
    for _ in range(200):
        if (await emulator.client.faults())[0]["hits"]:
            break
        await asyncio.sleep(0.01)
    other = await http.post(f"/bot{emulator.token}/getWebhookInfo")

    assert other.status_code == 200 and not held.done()
    await emulator.client.clear_faults()
    assert (await held).json()["ok"] is True


async def test_a_second_get_updates_ends_the_first_with_conflict(
    emulator: RunningEmulator, http: httpx.AsyncClient
) -> None:
    url = f"/bot{emulator.token}/getUpdates"
    first = asyncio.create_task(http.post(url, data={"timeout": "20"}))
    for _ in range(100):
        if (await emulator.client.bot_info())["waiting_polls"] or first.done():
            break
        await asyncio.sleep(0.05)

    second = await http.post(url, data={"timeout": "0"})

    assert second.json() == {"ok": True, "result": []}
    assert (await asyncio.wait_for(first, 10)).status_code == 409


async def test_get_updates_conflicts_with_a_webhook_via_ptb(bot: Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:9/hook")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()

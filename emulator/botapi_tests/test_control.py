"""The control API: users, presses, documents, blocking, raw updates, transcripts and long polls."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Bot, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove
from telegram.error import Forbidden

import botapi
from botapi.client import EmulatorClient, EmulatorError
from botapi.control import ControlApi
from botapi.runner import RunningEmulator
from botapi.state import Emulator

from .conftest import AnyApp

USER = 4004


@pytest.fixture
async def http(emulator: RunningEmulator) -> AsyncIterator[httpx.AsyncClient]:
    """Return a raw HTTP client on the emulator."""
    async with httpx.AsyncClient(base_url=emulator.base_url, trust_env=False) as client:
        yield client


async def get_updates(http: httpx.AsyncClient, token: str, offset: int = 0) -> list[dict[str, Any]]:
    """Call getUpdates without waiting and return the updates."""
    response = await http.post(f"/bot{token}/getUpdates", json={"offset": offset, "timeout": 0})
    return response.json()["result"]


async def test_wait_returns_nothing_when_the_bot_is_silent(client: EmulatorClient) -> None:
    await client.send_text(USER, "personne ne répond")

    assert await client.wait_bot_messages(USER, timeout=0.2) == []
    with pytest.raises(TimeoutError):
        await client.expect_bot_messages(USER, timeout=0.2)


async def test_forged_press_reaches_the_bot_and_unknown_buttons_are_refused(
    echo_bot: AnyApp, client: EmulatorClient
) -> None:
    question = await client.ask(USER, "/start")

    with pytest.raises(EmulatorError) as refused:
        await client.press_button(USER, data="inconnu")
    await client.press_button(USER, data="forgé", message_id=question["message_id"], forge=True)
    changes = await client.wait_changes(USER, since=question["revision"], sender="bot")

    assert refused.value.status == 409
    assert [c["text"] for c in changes["callbacks"]] == ["ok forgé"]


async def test_blocking_sends_my_chat_member_and_forbids_messages(
    emulator: RunningEmulator, http: httpx.AsyncClient
) -> None:
    await emulator.client.add_user(USER)
    blocked = await emulator.client.block_bot(USER)

    async with Bot(emulator.token, base_url=emulator.bot_api_url) as bot:
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(USER, "coucou")
        [update] = await get_updates(http, emulator.token)
        await emulator.client.send_text(USER, "je reviens")
        await bot.send_message(USER, "re-bonjour")

    assert update["update_id"] == blocked["update_id"]
    assert update["my_chat_member"]["new_chat_member"]["status"] == "kicked"


async def test_raw_update_injection_and_redelivery_with_a_new_id(
    emulator: RunningEmulator, http: httpx.AsyncClient
) -> None:
    injected = await emulator.client.inject_update({"message": {"message_id": 77, "text": "brut"}})
    again = await emulator.client.redeliver(injected["update_id"], keep_id=False)

    updates = await get_updates(http, emulator.token)

    assert [u["update_id"] for u in updates] == [injected["update_id"], again["update_id"]]
    assert updates[1]["message"] == injected["message"]


async def test_json_document_can_be_fetched_by_get_file_and_downloaded(
    emulator: RunningEmulator, http: httpx.AsyncClient
) -> None:
    content = b"attestation"
    body = {"content_base64": base64.b64encode(content).decode(), "file_name": "a.txt"}
    sent = (await http.post(f"/_emulator/chats/{USER}/documents", json=body)).json()

    found = await http.post(f"/bot{emulator.token}/getFile", json={"file_id": sent["file_id"]})
    file_path = found.json()["result"]["file_path"]
    downloaded = await http.get(f"/file/bot{emulator.token}/{file_path}")

    assert sent["message"]["document"]["mime_type"] == "text/plain"
    assert downloaded.content == content
    assert await emulator.client.download(sent["file_id"]) == content


async def test_transcript_follows_keyboards_actions_and_deletions(
    emulator: RunningEmulator,
) -> None:
    client = emulator.client
    await client.add_user(USER, language_code="en")
    async with Bot(emulator.token, base_url=emulator.bot_api_url) as bot:
        keyboard = ReplyKeyboardMarkup([[KeyboardButton("Oui"), KeyboardButton("Non")]])
        first = await bot.send_message(USER, "Choisissez", reply_markup=keyboard)
        await bot.send_chat_action(USER, "typing")
        shown = await client.transcript(USER)
        await bot.send_message(USER, "Merci", reply_markup=ReplyKeyboardRemove())
        await bot.delete_message(USER, first.message_id)

    final = await client.transcript(USER)
    assert shown["reply_keyboard"]["keyboard"][0][0]["text"] == "Oui"
    assert shown["action"]["action"] == "typing"
    assert final["reply_keyboard"] is None and final["action"] is None
    assert [e["deleted"] for e in final["entries"]] == [True, False]


async def test_changes_long_poll_reports_edits_after_a_revision(emulator: RunningEmulator) -> None:
    await emulator.client.add_user(USER)
    async with Bot(emulator.token, base_url=emulator.bot_api_url) as bot:
        sent = await bot.send_message(USER, "v1")
        revision = (await emulator.client.transcript(USER))["revision"]
        await bot.edit_message_text("v2", chat_id=USER, message_id=sent.message_id)

    changes = await emulator.client.wait_changes(USER, since=revision, timeout=2)

    [entry] = changes["entries"]
    assert entry["edited"] and entry["message"]["text"] == "v2"
    assert changes["revision"] > revision and not changes["timed_out"]


async def test_reset_forgets_chats_but_update_ids_keep_growing(
    emulator: RunningEmulator, http: httpx.AsyncClient
) -> None:
    before = await emulator.client.send_text(USER, "avant")
    await emulator.client.reset()
    after = await emulator.client.send_text(USER, "après")

    assert await emulator.client.chats() != []
    assert (await emulator.client.transcript(USER))["entries"][0]["message"]["text"] == "après"
    assert after["update_id"] > before["update_id"]
    assert [u["update_id"] for u in await get_updates(http, emulator.token)] == [after["update_id"]]


def test_every_control_route_is_documented() -> None:
    readme = (Path(botapi.__file__).parent.parent / "README.md").read_text(encoding="utf-8")

    routes = ControlApi(Emulator("1:docs")).routes()

    undocumented = [
        route.path for route in routes if f"{route.path.replace(':int', '')}`" not in readme
    ]
    assert undocumented == []


@pytest.mark.parametrize("route", ["/_emulator/chats/4004/messages", "/_emulator/updates"])
async def test_a_lone_surrogate_is_refused_and_get_updates_keeps_working(
    emulator: RunningEmulator, http: httpx.AsyncClient, route: str
) -> None:
    # "\ud800" is valid JSON but no character: the escape is sent as it is, not encoded by httpx.
    raw = (b'{"text": "a\\ud800b"}' if route.endswith("messages")
           else b'{"update": {"message": {"message_id": 1, "date": 1, "text": "\\udfff",'
                b' "chat": {"id": 4004, "type": "private"}}}}')
    refused = await http.post(route, content=raw, headers={"Content-Type": "application/json"})
    await emulator.client.send_text(USER, "après")

    updates = await http.post(f"/bot{emulator.token}/getUpdates", json={"timeout": 0})
    assert refused.status_code == 400 and "surrogate" in refused.json()["error"]
    assert updates.status_code == 200
    assert [update["message"]["text"] for update in updates.json()["result"]] == ["après"]


async def test_the_bot_api_refuses_a_text_with_a_lone_surrogate_and_the_transcript_stays_readable(
    emulator: RunningEmulator, http: httpx.AsyncClient
) -> None:
    await emulator.client.send_text(USER, "bonjour")
    raw = b'{"chat_id": 4004, "text": "\\ud83d"}'
    refused = await http.post(f"/bot{emulator.token}/sendMessage", content=raw,
                              headers={"Content-Type": "application/json"})

    transcript = await http.get("/_emulator/chats/4004")
    assert refused.status_code == 400 and refused.json()["ok"] is False
    assert transcript.status_code == 200
    assert [entry["message"]["text"] for entry in transcript.json()["entries"]] == ["bonjour"]

"""The real python-telegram-bot application, polling the emulator over loopback HTTP."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from botapi.client import EmulatorClient
from botapi.runner import RunningEmulator

from .conftest import AnyApp, polling, with_rate_limiter
from .echo_bot import COMMANDS, build_echo_app

USER = 1001


async def test_start_command_gets_a_reply_with_buttons(
    echo_bot: AnyApp, client: EmulatorClient
) -> None:
    reply = await client.ask(USER, "/start")

    message = reply["message"]
    assert message["text"] == "Bienvenue !"
    assert message["entities"] == [{"type": "bold", "offset": 0, "length": 9}]
    assert message["from"]["is_bot"] is True
    buttons = message["reply_markup"]["inline_keyboard"][0]
    assert [b["callback_data"] for b in buttons] == ["yes", "no"]


async def test_button_press_is_answered_and_the_message_edited(
    echo_bot: AnyApp, client: EmulatorClient
) -> None:
    question = await client.ask(USER, "/start")

    await client.press_button(USER, text="Non")
    changes = await client.wait_changes(USER, since=question["revision"], sender="bot")
    while not [e for e in changes["entries"] if e["edited"]] and not changes["timed_out"]:
        changes = await client.wait_changes(USER, since=changes["revision"], sender="bot")

    transcript = await client.transcript(USER)
    edited = transcript["entries"][question["message_id"] - 1]
    assert edited["edited"] is True
    assert edited["message"]["text"] == "Choisi : no"
    assert "reply_markup" not in edited["message"]
    [press] = transcript["callbacks"]
    assert press["data"] == "no" and press["answered"] and press["text"] == "ok no"


async def test_document_is_downloaded_by_the_bot_and_one_comes_back(
    echo_bot: AnyApp, client: EmulatorClient
) -> None:
    content = bytes(range(256)) * 40

    sent = await client.send_document(
        USER, content, "dossier.pdf", mime_type="application/pdf", caption="renvoie"
    )
    replies = await client.expect_bot_messages(USER, after=sent["message"]["message_id"], count=2)

    digest, size = replies[0]["message"]["text"].split()[1:]
    assert digest == hashlib.sha256(content).hexdigest() and int(size) == len(content)
    document = replies[1]["message"]["document"]
    assert document["file_name"] == "reversed-dossier.pdf"
    assert document["file_size"] == len(content)
    assert await client.download(document["file_id"]) == content[::-1]


async def test_duplicate_delivery_reaches_the_bot_twice(
    echo_bot: AnyApp, client: EmulatorClient
) -> None:
    sent = await client.send_text(USER, "bonjour")
    first = await client.expect_bot_messages(USER, after=sent["message"]["message_id"])

    await client.redeliver(sent["update_id"])
    second = await client.expect_bot_messages(USER, after=first[-1]["message_id"])

    assert second[0]["message"]["text"] == "echo: bonjour"
    assert echo_bot.bot_data["seen"].count(sent["update_id"]) == 2


async def test_commands_are_published(echo_bot: AnyApp, client: EmulatorClient) -> None:
    commands = (await client.bot_info())["commands"]

    [published] = commands.values()
    assert [(c["command"], c["description"]) for c in published] == COMMANDS


async def test_refused_set_my_commands_does_not_stop_the_bot(emulator: RunningEmulator) -> None:
    await emulator.client.refuse("setMyCommands", description="Bad Request: refused for the test")

    async with polling(build_echo_app(emulator.application_builder())) as application:
        reply = await emulator.client.ask(USER, "toujours là ?")

    assert reply["message"]["text"] == "echo: toujours là ?"
    assert application.bot_data["commands_refused"] == "Refused for the test"
    [call] = await emulator.client.calls("setMyCommands")
    assert call["status"] == 400


@pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")
async def test_retry_after_is_waited_out_by_the_rate_limiter(emulator: RunningEmulator) -> None:
    await emulator.client.fail_with_retry_after("sendMessage", retry_after=1, count=1)
    builder = with_rate_limiter(emulator.application_builder())

    async with polling(build_echo_app(builder)):
        reply = await emulator.client.ask(USER, "patience", timeout=15)

    assert reply["message"]["text"] == "echo: patience"
    statuses = [call["status"] for call in await emulator.client.calls("sendMessage")]
    assert statuses == [429, 200]
    assert (await emulator.client.faults())[0]["hits"] == 1


async def test_language_code_and_profile_reach_the_bot(
    echo_bot: AnyApp, client: EmulatorClient
) -> None:
    sent = await client.send_text(USER, "salam", language_code="ar", first_name="Amina")
    await client.expect_bot_messages(USER, after=sent["message"]["message_id"])

    sender: dict[str, Any] = sent["message"]["from"]
    assert sender["language_code"] == "ar" and sender["first_name"] == "Amina"
    assert (await client.transcript(USER))["chat"]["first_name"] == "Amina"

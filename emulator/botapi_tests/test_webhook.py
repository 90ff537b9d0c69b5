"""Webhook mode: the emulator POSTs updates with the secret token header; getUpdates gets 409."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Bot
from telegram.error import Conflict

from botapi.runner import RunningEmulator, serving

from .echo_bot import build_echo_app

USER = 2002
SECRET = "s3cret_token-1"


class Receiver:
    """A small webhook endpoint that fails its first delivery, then records updates."""

    def __init__(self) -> None:
        self.attempts = 0
        self.received: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.arrived = asyncio.Event()

    async def hook(self, request: Request) -> Response:
        """Answer 500 once, then 200 and record the update."""
        self.attempts += 1
        if self.attempts == 1:
            return Response(status_code=500)
        self.received.append((dict(request.headers), await request.json()))
        self.arrived.set()
        return Response(status_code=200)

    def app(self) -> Starlette:
        """Return the receiver's ASGI app."""
        return Starlette(routes=[Route("/hook", self.hook, methods=["POST"])])


async def test_webhook_delivers_with_secret_header_and_retries(emulator: RunningEmulator) -> None:
    receiver = Receiver()
    async with (
        serving(receiver.app()) as receiver_url,
        Bot(emulator.token, base_url=emulator.bot_api_url) as bot,
    ):
        await bot.set_webhook(f"{receiver_url}/hook", secret_token=SECRET)
        sent = await emulator.client.send_text(USER, "via webhook")
        await asyncio.wait_for(receiver.arrived.wait(), 10)

        with pytest.raises(Conflict):
            await bot.get_updates()
        info = await bot.get_webhook_info()
        await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()

    headers, update = receiver.received[0]
    assert headers["x-telegram-bot-api-secret-token"] == SECRET
    assert update["update_id"] == sent["update_id"]
    assert update["message"]["text"] == "via webhook"
    assert info.url == f"{receiver_url}/hook" and info.pending_update_count == 0
    assert "500" in (info.last_error_message or "")
    [call] = await emulator.client.calls("setWebhook")
    assert call["params"]["secret_token"] == "***"


async def test_webhook_to_another_host_is_refused(emulator: RunningEmulator) -> None:
    async with Bot(emulator.token, base_url=emulator.bot_api_url) as bot:
        with pytest.raises(Exception, match="loopback"):
            await bot.set_webhook("https://example.org/hook")


def free_port() -> int:
    """Return a port free on loopback right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_ptb_webhook_mode_round_trip(emulator: RunningEmulator) -> None:
    port = free_port()
    application = build_echo_app(emulator.application_builder())
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token=SECRET,
        )
        try:
            reply = await emulator.client.ask(USER, "/start")
        finally:
            await application.updater.stop()
            await application.stop()

    assert reply["message"]["text"] == "Bienvenue !"
    assert (await emulator.client.bot_info())["webhook"]["url"] == f"http://127.0.0.1:{port}/hook"


class HoldingReceiver:
    """A webhook endpoint that holds every update of one chat until released, and records arrivals."""

    def __init__(self, held_chat: int) -> None:
        self.held_chat = held_chat
        self.release = asyncio.Event()
        self.texts: list[str] = []
        self.changed = asyncio.Event()

    async def hook(self, request: Request) -> Response:
        """Record the update's text, then answer 200 (after the release, for the held chat)."""
        update = await request.json()
        self.texts.append(update["message"]["text"])
        self.changed.set()
        if update["message"]["chat"]["id"] == self.held_chat:
            await self.release.wait()
        return Response(status_code=200)

    async def until(self, text: str) -> None:
        """Wait (bounded) until `text` arrived."""
        while text not in self.texts:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 10)


async def test_a_slow_chat_holds_up_only_its_own_next_update(emulator: RunningEmulator) -> None:
    receiver = HoldingReceiver(held_chat=USER)
    async with (
        serving(Starlette(routes=[Route("/hook", receiver.hook, methods=["POST"])])) as receiver_url,
        Bot(emulator.token, base_url=emulator.bot_api_url) as bot,
    ):
        await bot.set_webhook(f"{receiver_url}/hook")
        await emulator.client.send_text(USER, "first, held")
        await receiver.until("first, held")
        await emulator.client.send_text(USER, "second, same chat")
        await emulator.client.send_text(USER + 1, "other chat")
        await receiver.until("other chat")
        arrived_while_held = list(receiver.texts)
        receiver.release.set()
        await receiver.until("second, same chat")
        await bot.delete_webhook()

    assert arrived_while_held == ["first, held", "other chat"], "the other chat is not held up, the same chat is"
    assert receiver.texts == ["first, held", "other chat", "second, same chat"]

"""Fixtures: the real assistant bot polling a fresh emulator, and a user who talks to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.telegram.application import build_application
from bot.telegram.context import BotApplication
from bot.telegram.serving import serving_polling
from botapi.client import EmulatorClient
from botapi.runner import RunningEmulator, running_emulator
from core.clock import FixedClock
from core.runtime import Runtime, build_runtime
from core.settings import Settings
from intake.database import unit_of_work
from intake.delivery_models import InboundUpdate

WAIT = 15.0

# The bot's clock is pinned: replies about deadlines do not change with the day the tests run.
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
async def emulator() -> AsyncIterator[RunningEmulator]:
    """Serve a fresh emulator for one test."""
    async with running_emulator() as running:
        yield running


def bot_settings(emulator: RunningEmulator, data_dir: Path, **overrides: Any) -> Settings:
    """Return settings pointing the bot at the emulator, with the fast hashing embeddings."""
    values: dict[str, Any] = {
        "data_dir": data_dir, "embedding_backend": "hashing", "telegram_token": emulator.token,
        "telegram_api_url": emulator.base_url, "database_url": None, "chroma_url": None,
    }
    return Settings(**{**values, **overrides})


@asynccontextmanager
async def running_bot(
    emulator: RunningEmulator, data_dir: Path, adjust: Callable[[Runtime], None] | None = None, **overrides: Any
) -> AsyncIterator[BotApplication]:
    """Build the runtime and the real application on `data_dir` (settings overridden), poll the emulator, stop."""
    settings = bot_settings(emulator, data_dir, **overrides)
    runtime = build_runtime(settings, clock=FixedClock(NOW))
    if adjust is not None:
        adjust(runtime)
    async with serving_polling(build_application(settings, runtime), poll_timeout=2) as application:
        yield application  # type: ignore[misc]


@pytest.fixture
async def bot(emulator: RunningEmulator, data_dir: Path) -> AsyncIterator[BotApplication]:
    """Run the assistant bot against the test's emulator."""
    async with running_bot(emulator, data_dir) as application:
        yield application


def runtime_of(application: BotApplication) -> Runtime:
    """Return the runtime the application runs with."""
    runtime = application.bot_data.runtime
    assert runtime is not None
    return runtime


def count(application: BotApplication, model: type[Any], *where: Any) -> int:
    """Return how many rows of a table match, read through the bot's own database."""
    with unit_of_work(runtime_of(application).sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def read(application: BotApplication, work: Callable[[Session], Any]) -> Any:
    """Run a read in the bot's database and return its result."""
    with unit_of_work(runtime_of(application).sessions) as session:
        return work(session)


async def inbox_settled(application: BotApplication, timeout: float = WAIT) -> None:
    """Wait until the bot has finished every update it stored (a reply comes just before its update is finished)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while count(application, InboundUpdate, InboundUpdate.state == "pending") > 0:  # type: ignore[arg-type]
        assert asyncio.get_running_loop().time() < deadline, "the bot left updates unfinished"
        await asyncio.sleep(0.05)


class User:
    """A simulated applicant: sends, presses, and waits for exactly the bot messages expected."""

    def __init__(self, client: EmulatorClient, user_id: int, language_code: str = "fr") -> None:
        self.client = client
        self.user_id = user_id
        self.language_code = language_code
        self.last = 0

    async def say(self, text: str, *, replies: int = 1) -> list[dict[str, Any]]:
        """Send a text and return the bot's next `replies` messages."""
        sent = await self.client.send_text(self.user_id, text, language_code=self.language_code)
        self.last = max(self.last, sent["message"]["message_id"])
        return await self.expect(replies)

    async def send_file(self, content: bytes, name: str, mime: str, *, replies: int = 1) -> list[dict[str, Any]]:
        """Send a document and return the bot's next `replies` messages."""
        sent = await self.client.send_document(self.user_id, content, name, mime_type=mime)
        self.last = max(self.last, sent["message"]["message_id"])
        return await self.expect(replies)

    async def press(self, *, text: str | None = None, data: str | None = None, message_id: int | None = None,
                    replies: int = 1) -> list[dict[str, Any]]:
        """Press a visible button (by label or data) and return the bot's next `replies` messages."""
        await self.client.press_button(self.user_id, text=text, data=data, message_id=message_id)
        return await self.expect(replies)

    async def press_for_answer(self, data: str, *, forge: bool = True) -> dict[str, Any]:
        """Press a button with any data (forged by default) and return how the bot answered the press."""
        pressed = await self.client.press_button(self.user_id, data=data, forge=forge)
        return await self.callback_answer(pressed["callback_query_id"])

    async def callback_answer(self, query_id: str) -> dict[str, Any]:
        """Wait until the bot answered a press; return its record."""
        since, deadline = 0, asyncio.get_running_loop().time() + WAIT
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            changes = await self.client.wait_changes(self.user_id, since=since, sender="bot", timeout=left)
            for record in changes["callbacks"]:
                if record["callback_query_id"] == query_id and record["answered"]:
                    return record
            since = changes["revision"]
        raise AssertionError(f"press {query_id} was not answered within {WAIT} s")

    async def expect(self, replies: int) -> list[dict[str, Any]]:
        """Return the bot's next `replies` messages after the last one seen."""
        if replies == 0:
            return []
        found = await self.client.expect_bot_messages(self.user_id, after=self.last, count=replies, timeout=WAIT)
        found = found[:replies]
        self.last = max(entry["message_id"] for entry in found)
        return found

    async def tap(self, *, text: str | None = None, data: str | None = None) -> dict[str, Any]:
        """Press a visible button that changes a message in place; return how the bot answered the press."""
        pressed = await self.client.press_button(self.user_id, text=text, data=data)
        return await self.callback_answer(pressed["callback_query_id"])

    async def tap_edit(self, message_id: int, *, text: str | None = None, data: str | None = None) -> dict[str, Any]:
        """Press a button of a message and return that message once the bot edited it."""
        since = (await self.client.transcript(self.user_id))["revision"]
        await self.client.press_button(self.user_id, text=text, data=data, message_id=message_id)
        deadline = asyncio.get_running_loop().time() + WAIT
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            changes = await self.client.wait_changes(self.user_id, since=since, sender="bot", timeout=left)
            for entry in changes["entries"]:
                if entry["message_id"] == message_id and entry["edited"]:
                    return dict(entry["message"])
            since = changes["revision"]
        raise AssertionError(f"message {message_id} was not edited within {WAIT} s")

    async def consent(self) -> None:
        """Start and accept the storage of data."""
        await self.say("/start")
        language = self.language_code if self.language_code in ("ar", "en") else "fr"
        await self.tap(data=f"cns:1:{language}")


async def until_held(emulator: RunningEmulator) -> None:
    """Wait until a call has reached the emulator's hold (the fault counts its hits before holding)."""
    for _ in range(500):
        if any(fault["hits"] for fault in await emulator.client.faults()):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("no call reached the hold")


def text_of(entry: dict[str, Any]) -> str:
    """Return a transcript entry's text."""
    return str(entry["message"].get("text", ""))


def buttons(entry: dict[str, Any]) -> dict[str, str]:
    """Return a message's inline buttons as label -> callback data."""
    markup = entry["message"].get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}

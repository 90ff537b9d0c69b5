"""Fixtures: a fresh emulator on loopback, and the echo bot polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.botapi.client import EmulatorClient
from bot.botapi.runner import RunningEmulator, running_emulator
from .echo_bot import build_echo_app

AnyApp = Application[Any, Any, Any, Any, Any, Any]
POLL_TIMEOUT = 2


@pytest.fixture
async def emulator() -> AsyncIterator[RunningEmulator]:
    """Serve a fresh emulator for one test."""
    async with running_emulator() as running:
        yield running


@pytest.fixture
def client(emulator: RunningEmulator) -> EmulatorClient:
    """Return the control client of the test's emulator."""
    return emulator.client


@asynccontextmanager
async def polling(application: AnyApp) -> AsyncIterator[AnyApp]:
    """Run an application in polling mode for the block, with its post_init as run_polling does."""
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(timeout=POLL_TIMEOUT)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()


@pytest.fixture
async def echo_bot(emulator: RunningEmulator) -> AsyncIterator[AnyApp]:
    """Run the echo bot against the emulator."""
    async with polling(build_echo_app(emulator.application_builder())) as application:
        yield application


BuilderHook = Callable[[ApplicationBuilder], ApplicationBuilder]  # type: ignore[type-arg]


def with_rate_limiter(builder: ApplicationBuilder) -> ApplicationBuilder:  # type: ignore[type-arg]
    """Add PTB's AIORateLimiter, which waits out 429 retry_after answers."""
    return builder.rate_limiter(AIORateLimiter(max_retries=2))

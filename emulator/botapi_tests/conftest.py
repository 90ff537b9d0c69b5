"""Fixtures: a fresh emulator on loopback, and the echo bot polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from botapi.client import EmulatorClient
from botapi.runner import RunningEmulator, polling_application, running_emulator

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


def polling(application: AnyApp) -> AbstractAsyncContextManager[AnyApp]:
    """Run an application in polling mode (short polls, so that tests stop quickly)."""
    return polling_application(application, poll_timeout=POLL_TIMEOUT)


@pytest.fixture
async def echo_bot(emulator: RunningEmulator) -> AsyncIterator[AnyApp]:
    """Run the echo bot against the emulator."""
    async with polling(build_echo_app(emulator.application_builder())) as application:
        yield application


BuilderHook = Callable[[ApplicationBuilder], ApplicationBuilder]  # type: ignore[type-arg]


def with_rate_limiter(builder: ApplicationBuilder) -> ApplicationBuilder:  # type: ignore[type-arg]
    """Add PTB's AIORateLimiter, which waits out 429 retry_after answers."""
    return builder.rate_limiter(AIORateLimiter(max_retries=2))

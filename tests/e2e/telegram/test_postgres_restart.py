"""A webhook worker on PostgreSQL, the server restarted twice while users walk their checks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.bench_telegram import ASSISTANT_STEPS
from bot.cli_bot import webhook_options
from bot.telegram.application import build_application
from bot.telegram.webhook import serving_webhook
from botapi.runner import RunningEmulator
from core.runtime import build_runtime
from intake.delivery_models import InboundUpdate
from intake.models import IntakeSession
from tests.e2e.chat_page import free_port

from .conftest import bot_settings, read
from .walking import bot_texts, walk

pytestmark = pytest.mark.postgres

USERS = 6
FIRST_USER = 940_000


async def test_users_finish_their_checks_through_two_database_restarts_without_an_apology(
    emulator: RunningEmulator, data_dir: Path, postgres_url: str, restart_postgres: Callable[[], None]
) -> None:
    port = free_port()
    settings = bot_settings(emulator, data_dir, webhook_secret="restart-secret", database_url=postgres_url,
                            update_lease_seconds=2.0)
    options = webhook_options(settings, f"http://127.0.0.1:{port}/hook", "127.0.0.1", port, None)
    application = build_application(settings, build_runtime(settings))
    async with serving_webhook(application, **options):
        users = asyncio.gather(*(walk(emulator, FIRST_USER + n, ASSISTANT_STEPS) for n in range(USERS)))
        for pause in (1.5, 2.5):
            await asyncio.sleep(pause)
            await asyncio.to_thread(restart_postgres)
        await asyncio.wait_for(users, 600)
        for _ in range(100):
            if not read(application, lambda s: s.scalars(select(InboundUpdate).where(
                    InboundUpdate.state != "done")).all()):
                break
            await asyncio.sleep(0.1)
        verdicts = read(application, lambda s: s.scalars(select(IntakeSession.verdict)).all())
        states = read(application, lambda s: set(s.scalars(select(InboundUpdate.state))))

    assert len(verdicts) == USERS and all(verdicts), verdicts
    assert states == {"done"}
    for n in range(USERS):
        assert not [text for text in await bot_texts(emulator, FIRST_USER + n) if text.startswith("Désolé")]

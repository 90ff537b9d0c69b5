"""A broadcast on the real bot: written and confirmed in the workspace, received by the opted-in users, reported.

The workspace runs on the bot's own runtime (the same database), driven over ASGI so the
bot keeps polling on the test's event loop meanwhile.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from workspace_client import ADMIN, PASSWORD, csrf_of, page_text

from bot.dashboard.app import create_dashboard
from bot.telegram.context import BotApplication
from botapi.runner import RunningEmulator
from intake.models import StaffRole
from intake.review_models import BroadcastDelivery, MessageStatus
from intake.services.staff import add_staff

from .conftest import NOW, WAIT, User, count, read, runtime_of, text_of

EXTENSION = "La date limite de l'édition 2025 est prolongée au 15 septembre, 15:00 <heure de Rabat>."


@pytest.fixture
async def workspace(bot: BotApplication) -> AsyncIterator[httpx.AsyncClient]:
    """Return the workspace on the bot's runtime, signed in as an admin."""
    read(bot, lambda s: add_staff(s, ADMIN, PASSWORD, StaffRole.ADMIN, "test", NOW))
    transport = httpx.ASGITransport(app=create_dashboard(runtime_of(bot)))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        token = csrf_of((await client.get("/login")).text)
        signed = await client.post("/login", data={"email": ADMIN, "password": PASSWORD, "csrf_token": token})
        assert signed.status_code == 303, signed.text
        yield client


async def _user(emulator: RunningEmulator, user_id: int, language_code: str = "fr", *, opt_in: bool = True) -> User:
    """Return a user who consented, started the check (an intake of 2025) and turned reminders on or not."""
    user = User(emulator.client, user_id, language_code)
    await user.consent()
    await user.say("/eligibilite")
    [status] = await user.say("/rappels")
    if opt_in:
        await user.tap_edit(status["message_id"], data="rem:1")
    return user


async def _broadcast(workspace: httpx.AsyncClient, text: str) -> str:
    """Preview and confirm a broadcast to every opted-in applicant of 2025; return its report's address."""
    token = csrf_of((await workspace.get("/broadcast")).text)
    preview = await workspace.post("/broadcast/preview", data={"csrf_token": token, "text": text, "edition": "2025"})
    found = re.search(r'action="(/broadcast/\d+)/confirm"', preview.text)
    assert preview.status_code == 200 and found, preview.text
    confirmed = await workspace.post(f"{found.group(1)}/confirm", data={"csrf_token": csrf_of(preview.text)})
    assert confirmed.status_code == 303
    return found.group(1)


async def _until(condition: Callable[[], Any], what: str) -> None:
    """Wait until the bot's sending job has done what `condition` checks (it runs every few seconds)."""
    deadline = asyncio.get_running_loop().time() + WAIT
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{what} did not happen within {WAIT} s")
        await asyncio.sleep(0.05)


async def test_opted_in_users_receive_it_in_their_language_and_the_report_counts_the_blocked_one(
        bot: BotApplication, emulator: RunningEmulator, workspace: httpx.AsyncClient) -> None:
    french, arabic = await _user(emulator, 1301), await _user(emulator, 1302, "ar")
    await _user(emulator, 1303, opt_in=False)
    await _user(emulator, 1304)
    await emulator.client.block_bot(1304)

    report_address = await _broadcast(workspace, EXTENSION)
    [received] = await french.expect(1)
    [received_ar] = await arabic.expect(1)
    await _until(lambda: count(bot, BroadcastDelivery, BroadcastDelivery.status == MessageStatus.PENDING) == 0,
                 "every delivery attempted")
    report = page_text((await workspace.get(report_address)).text)

    assert "📢 Annonce de la Division" in text_of(received) and EXTENSION in text_of(received)
    assert "📢 إعلان من قسم" in text_of(received_ar) and EXTENSION in text_of(received_ar)
    for silent in (1303, 1304):
        assert not any("prolongée" in text_of(e) for e in (await emulator.client.transcript(silent))["entries"])
    assert "3 destinataire(s) à la confirmation." in report
    assert "Envoyés Bloqués par le candidat En échec En attente 2 1 0 0" in report
    assert "bloqués par le candidat 1 Forbidden: bot was blocked by the user" in report

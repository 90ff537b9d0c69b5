"""The sandbox's Bot API routes over HTTP: only its own page and loopback host names may call them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.sandbox.server import sandbox_app
from botapi.runner import DEFAULT_TOKEN, serving
from botapi.state import Emulator

API = f"/bot{DEFAULT_TOKEN}"


@pytest.fixture
async def sandbox() -> AsyncIterator[tuple[Emulator, httpx.AsyncClient]]:
    """Serve the sandbox's app (no bot) on a free loopback port; yield its emulator and a client."""
    emulator = Emulator(DEFAULT_TOKEN)
    async with serving(sandbox_app(emulator), before_stop=emulator.close) as url, \
            httpx.AsyncClient(base_url=url, trust_env=False) as http:
        yield emulator, http


async def test_another_website_cannot_set_a_webhook_nor_post_into_a_chat(
    sandbox: tuple[Emulator, httpx.AsyncClient],
) -> None:
    emulator, http = sandbox
    await http.post("/_emulator/chats/7/messages", json={"text": "bonjour"})
    evil = {"Origin": "https://evil.example"}
    webhook = await http.post(f"{API}/setWebhook", json={"url": "http://127.0.0.1:9/hook"}, headers=evil)
    message = await http.post(f"{API}/sendMessage", data={"chat_id": "7", "text": "https://evil.example"},
                              headers=evil)
    local_page = await http.post(f"{API}/sendMessage", json={"chat_id": 7, "text": "x"},
                                 headers={"Origin": "http://localhost:3000"})

    assert (webhook.status_code, message.status_code, local_page.status_code) == (403, 403, 403)
    assert not emulator.webhook.active
    transcript = (await http.get("/_emulator/chats/7")).json()
    assert [entry["message"]["text"] for entry in transcript["entries"]] == ["bonjour"]


async def test_a_rebound_host_name_cannot_read_updates_nor_files(
    sandbox: tuple[Emulator, httpx.AsyncClient],
) -> None:
    emulator, http = sandbox
    await http.post("/_emulator/chats/7/messages", json={"text": "mon numéro : 0600000000"})
    port = http.base_url.port
    rebound = {"Host": f"evil.example:{port}"}
    updates = await http.post(f"{API}/getUpdates", json={"timeout": 0}, headers=rebound)
    download = await http.get(f"/file{API}/documents/file_0.pdf", headers=rebound)

    assert (updates.status_code, download.status_code) == (403, 403)
    assert "0600000000" not in updates.text
    assert len(emulator.updates.pending) == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
async def test_the_page_and_the_bot_on_loopback_names_are_served(
    sandbox: tuple[Emulator, httpx.AsyncClient], host: str,
) -> None:
    _, http = sandbox
    own = f"{host}:{http.base_url.port}"
    page_call = await http.post(f"{API}/getMe", headers={"Host": own, "Origin": f"http://{own}"})
    bot_call = await http.post(f"{API}/getMe", headers={"Host": own})

    assert (page_call.status_code, bot_call.status_code) == (200, 200)
    assert page_call.json()["result"]["is_bot"] is True


async def test_the_chat_page_refuses_framing_and_runs_only_its_own_scripts(
    sandbox: tuple[Emulator, httpx.AsyncClient],
) -> None:
    _, http = sandbox
    page = await http.get("/", follow_redirects=True)
    script = await http.get("/static/chat.js")

    assert page.status_code == 200 and "<html" in page.text.lower()
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert script.headers["content-security-policy"] == policy

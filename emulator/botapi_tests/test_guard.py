"""Other web pages cannot drive the control API: cross-origin and rebound-host calls get 403."""

from __future__ import annotations

import httpx

from botapi import running_emulator


async def test_cross_origin_and_foreign_host_calls_are_refused() -> None:
    async with running_emulator() as emu, httpx.AsyncClient(base_url=emu.base_url) as http:
        same = await http.post("/_emulator/chats/7/messages", json={"text": "bonjour"},
                               headers={"Origin": emu.base_url})
        evil = await http.post("/_emulator/reset", content="{}", headers={"Origin": "https://evil.example"})
        rebound = await http.get("/_emulator/chats/7", headers={"Host": "evil.example:80"})
        assert same.status_code == 200
        assert evil.status_code == 403 and rebound.status_code == 403
        transcript = await http.get("/_emulator/chats/7")
        assert [e["message"]["text"] for e in transcript.json()["entries"]] == ["bonjour"]

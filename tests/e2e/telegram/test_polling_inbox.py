"""Long polling confirms an update to the Bot API only once the inbox has stored it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from sqlalchemy.exc import OperationalError
from telegram import Update

from bot.telegram.assistant_bot import assistant_bot
from bot.telegram.serving import poll_into_inbox
from botapi.runner import RunningEmulator

from .test_unusable_updates import UNPARSABLE


class FlakyInbox:
    """An inbox whose database refuses the first batch, then takes everything (a fake at the boundary)."""

    def __init__(self) -> None:
        self.stored: list[dict[str, object]] = []
        self.refused = 0

    async def receive_updates(self, updates: Sequence[Update]) -> None:
        """Refuse the first batch as an unreachable database would; keep the others."""
        if not self.refused:
            self.refused += 1
            raise OperationalError("INSERT", {}, ConnectionError("server closed the connection"))
        self.stored.extend(update.to_dict() for update in updates)


async def test_an_update_the_database_could_not_take_is_fetched_again_and_none_is_skipped(
    emulator: RunningEmulator,
) -> None:
    first = await emulator.client.send_text(1301, "Bonjour")
    second = await emulator.client.send_text(1302, "Salam")
    bad = await emulator.client.inject_update(UNPARSABLE)
    inbox = FlakyInbox()
    bot = assistant_bot(emulator.token, emulator.base_url, rate_limit=False)
    async with bot:
        polling = asyncio.create_task(poll_into_inbox(bot, inbox, poll_timeout=1, allowed_updates=None))  # type: ignore[arg-type]
        for _ in range(100):
            if len(inbox.stored) >= 3:
                break
            await asyncio.sleep(0.1)
        polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling

    assert inbox.refused == 1
    expected = [first["update_id"], second["update_id"], bad["update_id"]]
    assert [update["update_id"] for update in inbox.stored] == expected
    assert inbox.stored[0]["message"]["text"] == "Bonjour"  # type: ignore[index]
    assert inbox.stored[2] == {"update_id": bad["update_id"]}  # reduced to its id: the inbox counts it

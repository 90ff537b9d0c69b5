"""Users who walk a whole conversation through the emulator, patient with a bot that restarts under them."""

from __future__ import annotations

import asyncio

from bench.bench_telegram import Step, _act
from botapi.runner import RunningEmulator

STEP_TIMEOUT = 45.0


async def walk(emulator: RunningEmulator, user_id: int, steps: list[Step]) -> None:
    """Play a user's steps; a step whose reply does not come is tried again, as a user would."""
    last = 0
    for step in steps:
        for _ in range(3):
            try:
                last, ok = await _act(emulator.client, user_id, step, last, STEP_TIMEOUT)
            except Exception:  # a press on a button not shown yet: look again
                ok = False
            if ok:
                break
            await asyncio.sleep(1.0)


async def bot_texts(emulator: RunningEmulator, user_id: int) -> list[str]:
    """Return the texts of every message the bot sent the user, and of its answers to presses (pop-ups)."""
    transcript = await emulator.client.transcript(user_id)
    messages = [entry["message"].get("text", "") for entry in transcript["entries"] if entry["sender"] == "bot"]
    return messages + [press["text"] for press in transcript["callbacks"] if press.get("text")]

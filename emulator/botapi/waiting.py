"""Wake long-polling requests when the emulator's state changes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable


class Signal:
    """A broadcast "something changed" that waiters re-check against their own condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.closed = False

    def notify(self) -> None:
        """Wake every current waiter."""
        self._event.set()
        self._event = asyncio.Event()

    def close(self) -> None:
        """Wake every waiter for good, so that shutdown never waits on a long poll."""
        self.closed = True
        self.notify()

    async def wait_for(self, ready: Callable[[], bool], timeout: float) -> bool:
        """Wait until `ready()` holds or `timeout` seconds pass; return `ready()`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0.0)
        while not ready():
            remaining = deadline - loop.time()
            if remaining <= 0 or self.closed:
                return ready()
            event = self._event
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
        return True

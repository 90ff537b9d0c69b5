"""The update queue behind getUpdates and the webhook: ids, confirmation, long polls, redelivery."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from botapi.errors import bad_request, conflict
from botapi.waiting import Signal

logger = logging.getLogger(__name__)

HISTORY_SIZE = 2000


@dataclass
class Pending:
    """An update waiting for the bot; `forced` ones ignore the offset (a redelivery)."""

    update: dict[str, Any]
    forced: bool = False

    @property
    def update_id(self) -> int:
        """Return the update's id."""
        return int(self.update["update_id"])


class UpdateQueue:
    """Updates for the bot, confirmed by getUpdates offsets or by webhook delivery."""

    def __init__(self, first_id: int = 1) -> None:
        self.pending: list[Pending] = []
        self.next_id = first_id
        self.signal = Signal()
        self.history: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._generation = 0
        self.waiting_polls = 0

    def push(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue a new update made of `payload` and return it with its update_id."""
        update = {"update_id": self.next_id, **payload}
        self.next_id += 1
        self.history[update["update_id"]] = update
        while len(self.history) > HISTORY_SIZE:
            self.history.popitem(last=False)
        self.pending.append(Pending(update))
        self.signal.notify()
        return update

    def redeliver(self, update_id: int, *, keep_id: bool = True) -> dict[str, Any]:
        """Deliver a past update again, with its own id (a lost confirmation) or a new one."""
        original = self.history.get(update_id)
        if original is None:
            raise bad_request(f"update {update_id} is not known")
        if not keep_id:
            payload = {key: value for key, value in original.items() if key != "update_id"}
            return self.push(payload)
        self.pending.insert(0, Pending(original, forced=True))
        self.signal.notify()
        return original

    def confirm(self, offset: int) -> None:
        """Forget updates below `offset`; a negative offset keeps only the last -offset ones."""
        if offset < 0:
            keep = self.pending[offset:] if -offset < len(self.pending) else self.pending
            self.pending = list(keep)
            return
        self.pending = [item for item in self.pending if item.forced or item.update_id >= offset]

    def drop_all(self) -> None:
        """Forget every pending update (drop_pending_updates)."""
        self.pending.clear()

    def remove(self, item: Pending) -> None:
        """Forget one delivered update (webhook delivery)."""
        if item in self.pending:
            self.pending.remove(item)

    def _ready(self, offset: int | None) -> list[Pending]:
        """Return the updates a getUpdates call with `offset` would receive now."""
        low = offset if offset is not None and offset > 0 else 0
        return [item for item in self.pending if item.forced or item.update_id >= low]

    async def get(self, offset: int | None, limit: int, timeout: float) -> list[dict[str, Any]]:
        """Answer getUpdates: confirm, then long-poll for at most `timeout` seconds."""
        if offset is not None:
            self.confirm(offset)
        self._generation += 1
        mine = self._generation
        self.signal.notify()
        self.waiting_polls += 1
        try:
            await self.signal.wait_for(
                lambda: bool(self._ready(offset)) or mine != self._generation, timeout
            )
        finally:
            self.waiting_polls -= 1
        if mine != self._generation:
            raise conflict(
                "terminated by other getUpdates request; "
                "make sure that only one bot instance is running"
            )
        batch = self._ready(offset)[: max(1, min(limit, 100))]
        for item in batch:
            if item.forced:
                self.pending.remove(item)
        return [item.update for item in sorted(batch, key=lambda entry: entry.update_id)]

    def interrupt(self) -> None:
        """End any waiting getUpdates with a conflict (a webhook was set)."""
        self._generation += 1
        self.signal.notify()

    def reset(self) -> None:
        """Forget every update; ids keep growing, as the bot's offset would skip reused ones."""
        self.pending.clear()
        self.history.clear()
        self.signal.notify()

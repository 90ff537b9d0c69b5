"""Webhook delivery: POST pending updates to the bot's URL with its secret token, each chat's in order."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from botapi.errors import bad_request
from botapi.loopback import is_loopback
from botapi.updates import Pending, UpdateQueue

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0)


def check_webhook_url(url: str) -> None:
    """Refuse URLs that are not HTTP(S) on this machine: the emulator never leaves loopback."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request("bad webhook: An HTTP URL must be provided for webhook")
    host = parts.hostname
    if not is_loopback(host):
        raise bad_request("bad webhook: the emulator delivers only to loopback addresses")


def chat_of(update: dict[str, Any]) -> object:
    """Return the chat an update belongs to (its sender's when it has no chat), for per-chat order."""
    for value in update.values():
        if not isinstance(value, dict):
            continue
        message = value.get("message")
        chat = value.get("chat") or (message.get("chat") if isinstance(message, dict) else None)
        if isinstance(chat, dict) and "id" in chat:
            return chat["id"]
        sender = value.get("from")  # a press on a message the bot can no longer access
        if isinstance(sender, dict) and "id" in sender:
            return sender["id"]  # a private chat's id is its user's
    return None


class WebhookDispatcher:
    """The webhook in force and the task that delivers updates to it."""

    def __init__(self, updates: UpdateQueue) -> None:
        self.updates = updates
        self.url = ""
        self.secret_token: str | None = None
        self.max_connections = 40
        self.allowed_updates: list[str] | None = None
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.delivered = 0
        self._failures: dict[object, int] = {}  # failed deliveries in a row, per chat
        self._retry_at: dict[object, float] = {}  # when a chat's failed delivery is tried again
        self._settled = 0  # deliveries ended, successful or not
        self._task: asyncio.Task[None] | None = None

    @property
    def active(self) -> bool:
        """Return whether a webhook is set (getUpdates is then refused)."""
        return bool(self.url)

    def set(self, url: str, secret_token: str | None, max_connections: int | None) -> None:
        """Set the webhook and start delivering to it."""
        check_webhook_url(url)
        self.url = url
        self.secret_token = secret_token
        self.max_connections = max_connections or 40
        self.last_error_date = self.last_error_message = None
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._deliver_forever(), name="webhook-delivery")
        self.updates.signal.notify()

    async def remove(self) -> None:
        """Remove the webhook; pending updates stay for getUpdates."""
        self.url = ""
        self.secret_token = None
        await self.stop()

    async def stop(self) -> None:
        """Stop the delivery task."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def info(self) -> dict[str, Any]:
        """Return the getWebhookInfo answer."""
        info: dict[str, Any] = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates.pending),
        }
        if self.url:
            info["max_connections"] = self.max_connections
        if self.allowed_updates:
            info["allowed_updates"] = self.allowed_updates
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info

    async def _deliver_forever(self) -> None:
        """Deliver pending updates as Telegram does: up to `max_connections` at once, each chat's in order.

        A chat's next update waits until the bot accepted the one before; a failed delivery is
        retried after a growing delay, holding up that chat only.
        """
        in_flight: dict[object, asyncio.Task[None]] = {}
        loop = asyncio.get_running_loop()
        async with httpx.AsyncClient(timeout=10.0, trust_env=False) as client:
            try:
                while self.url and not self.updates.signal.closed:
                    ready = self._deliverable(in_flight, loop.time())
                    if not ready:
                        await self._wait_for_change(in_flight)
                        continue
                    for chat, item in ready:
                        in_flight[chat] = asyncio.create_task(self._deliver(client, item, chat, in_flight))
            finally:
                for task in in_flight.values():
                    task.cancel()
                await asyncio.gather(*in_flight.values(), return_exceptions=True)

    async def _wait_for_change(self, in_flight: dict[object, asyncio.Task[None]]) -> None:
        """Wait until an update can go, or a delivery ends (a failure sets a new retry time)."""
        loop, settled = asyncio.get_running_loop(), self._settled
        await self.updates.signal.wait_for(
            lambda: self._settled != settled or bool(self._deliverable(in_flight, loop.time())),
            self._next_retry(loop.time()))

    def _deliverable(self, in_flight: dict[object, asyncio.Task[None]], now: float) -> list[tuple[object, Pending]]:
        """Return (chat, update) pairs to post now: each the oldest pending update of a chat with nothing in flight."""
        ready: list[tuple[object, Pending]] = []
        seen: set[object] = set()
        for item in self.updates.pending:
            if len(in_flight) + len(ready) >= self.max_connections:
                break
            chat = chat_of(item.update)
            if chat in seen:
                continue
            seen.add(chat)
            if chat not in in_flight and self._retry_at.get(chat, 0.0) <= now:
                ready.append((chat, item))
        return ready

    def _next_retry(self, now: float) -> float:
        """Return how long until a chat's failed delivery is due again (30 s when none waits)."""
        due = [at for at in self._retry_at.values() if at > now]
        return min(due) - now if due else 30.0

    async def _deliver(self, client: httpx.AsyncClient, item: Pending, chat: object,
                       in_flight: dict[object, asyncio.Task[None]]) -> None:
        """Post one update; on success forget it, on failure hold its chat back for a growing delay."""
        try:
            if await self._post(client, item):
                self._failures.pop(chat, None)
                self._retry_at.pop(chat, None)
                self.updates.remove(item)
                self.delivered += 1
            else:
                failures = self._failures.get(chat, 0)
                self._failures[chat] = failures + 1
                delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
                self._retry_at[chat] = asyncio.get_running_loop().time() + delay
        finally:
            in_flight.pop(chat, None)
            self._settled += 1
            self.updates.signal.notify()

    async def _post(self, client: httpx.AsyncClient, item: Pending) -> bool:
        """POST one update; return whether the bot accepted it (any 2xx)."""
        headers = {SECRET_HEADER: self.secret_token} if self.secret_token else {}
        try:
            response = await client.post(self.url, json=item.update, headers=headers)
        except httpx.HTTPError as error:
            self._failed(f"Connection failed: {type(error).__name__}")
            return False
        if 200 <= response.status_code < 300:
            return True
        self._failed(f"Wrong response from the webhook: {response.status_code}")
        return False

    def _failed(self, message: str) -> None:
        """Record a delivery failure the way getWebhookInfo reports it."""
        logger.info("webhook delivery failed: %s", message)
        self.last_error_date = int(time.time())
        self.last_error_message = message

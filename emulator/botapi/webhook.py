"""Webhook delivery: POST each pending update to the bot's URL with its secret token, in order."""

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
        """Deliver pending updates one at a time, retrying failures with a growing delay."""
        failures = 0
        async with httpx.AsyncClient(timeout=10.0, trust_env=False) as client:
            while self.url and not self.updates.signal.closed:
                await self.updates.signal.wait_for(lambda: bool(self.updates.pending), 30.0)
                if not self.updates.pending or not self.url:
                    continue
                item = self.updates.pending[0]
                if await self._post(client, item):
                    failures = 0
                    self.updates.remove(item)
                    self.delivered += 1
                    continue
                delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
                failures += 1
                await asyncio.sleep(delay)

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

"""Bot API calls that survive a short outage: 5xx answers and failed connections are retried with backoff.

python-telegram-bot retries nothing but a 429 (through AIORateLimiter): one 502 lost the
reply, and a Bot API slower than its 5-second read timeout made the bot apologise for a
message that then arrived anyway. Here a call is tried again, after 0.5, 1, 2, 4 and 8
seconds, when nothing can have been done with it: the server answered 5xx, or the
connection was never made. A call that may have been done (the answer did not come in
time) is tried again only when doing it twice changes nothing (get*, set*, edit*,
delete*, answerCallbackQuery); a message is not sent again here. The read timeout (20 s
by default) is long enough for a slow server to answer; a call still unanswered then
fails, and the inbox applies its update again later (`application.on_error`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from telegram.error import NetworkError

from bot.telegram.aiohttp_request import AiohttpRequest

logger = logging.getLogger(__name__)

BACKOFF_SECONDS = (0.5, 1.0, 2.0, 4.0, 8.0)
# No connection was made, or none came free in time: the call cannot have reached the server.
_NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
_SAME_IF_REPEATED = ("get", "set", "edit", "delete", "answercallbackquery")


def method_of(url: str) -> str:
    """Return the Bot API method a URL calls, lower-cased."""
    return url.rstrip("/").rsplit("/", 1)[-1].lower()


def safe_to_repeat(error: NetworkError, method: str) -> bool:
    """Return whether a call that failed with `error` can be made again without doing anything twice."""
    if isinstance(error.__cause__, _NOT_SENT):
        return True
    return method.startswith(_SAME_IF_REPEATED)


class RetryingRequest(AiohttpRequest):
    """AiohttpRequest that retries 5xx answers and unsent calls with backoff."""

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Make the call; on a 5xx or a connection that failed, wait and try again."""
        name = method_of(url)
        for attempt, delay in enumerate(BACKOFF_SECONDS, start=1):
            try:
                code, payload = await super().do_request(url, method, *args, **kwargs)
            except NetworkError as error:
                if not safe_to_repeat(error, name):
                    raise
                logger.warning("Bot API %s failed (%s), attempt %d: retrying in %.1f s", name,
                               type(error.__cause__ or error).__name__, attempt, delay)
            else:
                if code < 500:
                    return code, payload
                logger.warning("Bot API %s answered %d, attempt %d: retrying in %.1f s", name, code, attempt, delay)
            await asyncio.sleep(delay)
        return await super().do_request(url, method, *args, **kwargs)

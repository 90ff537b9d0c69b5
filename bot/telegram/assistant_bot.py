"""The bot object the application talks through: python-telegram-bot's ExtBot, forgiving a press answered late.

Telegram accepts the answer to a button press only for a short while. A press applied late
(after a worker stopped and another took the update over, or behind a long flood wait) used
to fail at `query.answer()`, before the handler sent the next step, so the user saw nothing.
The answer is a courtesy (it stops the button's spinner): a late one is logged and skipped,
and the handler goes on.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from telegram.error import BadRequest
from telegram.ext import AIORateLimiter, ExtBot

from bot.telegram.retrying_request import RetryingRequest
from bot.telegram.shared_rate_limit import SharedRateLimiter
from bot.telegram.unparsable import SkippingRequest

logger = logging.getLogger(__name__)

# A 429's retry_after is waited out this many times before the call fails.
RETRIES_AFTER_FLOOD = 3
_LATE_ANSWER = ("query is too old", "query id is invalid")
# python-telegram-bot's ApplicationBuilder default: the answers of many chats at once.
CONNECTION_POOL_SIZE = 256


class AssistantBot(ExtBot[None]):
    """ExtBot whose answer to a press that came too late is skipped instead of failing the handler."""

    async def answer_callback_query(self, *args: Any, **kwargs: Any) -> bool:
        """Answer a press; return False, without raising, when Telegram says the press is too old to answer."""
        try:
            return await super().answer_callback_query(*args, **kwargs)
        except BadRequest as error:
            if not any(part in error.message.lower() for part in _LATE_ANSWER):
                raise
            logger.info("a press came too late to be answered: %s", error.message)
            return False


def assistant_bot(token: str, api_url: str, *, rate_limit: bool, read_timeout: float = 20.0,
                  shared_limit: sessionmaker[Session] | None = None) -> AssistantBot:
    """Return the bot for a Bot API server at `api_url`; getUpdates skips the updates the library cannot parse.

    With `shared_limit` (the sessions of a database the workers share), the bot's messages
    per second are counted there for all workers together.
    """
    base = api_url.rstrip("/")
    limiter: AIORateLimiter | SharedRateLimiter | None = None
    if rate_limit:
        limiter = AIORateLimiter(max_retries=RETRIES_AFTER_FLOOD)
        if shared_limit is not None:
            limiter = SharedRateLimiter(limiter, shared_limit)
    return AssistantBot(
        token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot",
        request=RetryingRequest(connection_pool_size=CONNECTION_POOL_SIZE, read_timeout=read_timeout),
        # One connection for the long poll, as the builder's own default.
        get_updates_request=SkippingRequest(connection_pool_size=1),
        rate_limiter=limiter,  # type: ignore[arg-type]
    )

"""Updates python-telegram-bot cannot parse: logged once, without what the user wrote, and skipped.

The library parses a whole getUpdates batch at once and, when one update fails (a field it
requires is missing, say), confirms none of them: the same batch came back about 200 times a
second, the bot answered nobody, and each round logged the batch whole, users' names and
texts included. Here each update of a batch is tried alone first; one that cannot be parsed
is replaced by a bare update with its id only, so the library returns the rest of the batch;
the inbox counts the bare one (`is_bare`) and nobody applies it. The webhook server uses
`parse_update`.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, Update
from telegram.request import HTTPXRequest

JSONDict = dict[str, Any]
logger = logging.getLogger(__name__)


def parse_update(data: object, bot: Bot | None) -> Update | None:
    """Return the update `data` stands for, or None (logged once, without its content) when it cannot be parsed."""
    try:
        if not isinstance(data, dict):
            raise TypeError("an update is a JSON object")
        return Update.de_json(data, bot)
    except Exception as error:  # the library raises whatever its constructors raise
        _skipped(data, error)
        return None


def _skipped(data: object, error: Exception) -> None:
    update_id = data.get("update_id") if isinstance(data, dict) else None
    kinds = ", ".join(sorted(str(key) for key in data if key != "update_id")) if isinstance(data, dict) else "?"
    # The kind of update and the error's type only: the error's message may quote the user's text.
    logger.warning("update %s skipped: python-telegram-bot cannot parse its %s (%s)",
                   update_id, kinds or "content", type(error).__name__)


def is_bare(update: Update) -> bool:
    """Return whether `update` is one `readable_batch` reduced to its id (Telegram never sends one like it)."""
    return not update.to_dict().keys() - {"update_id"}


def readable_batch(updates: list[Any]) -> list[JSONDict]:
    """Return a getUpdates batch with each update the library cannot parse reduced to its id."""
    readable: list[JSONDict] = []
    for data in updates:
        if parse_update(data, None) is not None:
            readable.append(data)
        elif isinstance(data, dict) and isinstance(data.get("update_id"), int):
            readable.append({"update_id": data["update_id"]})
        # Without an id it cannot be confirmed; Telegram never sends one, and the next id moves past it.
    return readable


class SkippingRequest(HTTPXRequest):
    """The request python-telegram-bot sends getUpdates with (and nothing else): each batch made readable first."""

    @staticmethod
    def parse_json_payload(payload: bytes) -> JSONDict:
        """Parse the Bot API's answer, with the updates the library cannot parse reduced to their ids."""
        answer = HTTPXRequest.parse_json_payload(payload)
        if isinstance(answer.get("result"), list):
            answer["result"] = readable_batch(answer["result"])
        return answer

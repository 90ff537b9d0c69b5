"""Keep the bot token out of the logs: it is part of every Bot API URL, which HTTP clients and errors may log."""

from __future__ import annotations

import logging
import re

REDACTED = "[token]"
TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
WATCHED = ("httpx", "httpcore", "aiohttp", "telegram", "apscheduler", "uvicorn", "bot")


class TokenRedactor(logging.Filter):
    """Replace the token in a record's message and traceback by a placeholder; never drop a record."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place if the token shows anywhere in it."""
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, REDACTED), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, REDACTED)
        return True


def is_well_formed(token: str) -> bool:
    """Return whether a string looks like a bot token: digits, a colon, 30 or more URL-safe characters."""
    return bool(TOKEN_PATTERN.fullmatch(token))


def install_redaction(token: str) -> TokenRedactor:
    """Redact `token` on the loggers that could see it, and quiet httpx's per-request lines.

    A logger's filter sees only records logged on that very logger, so the filter goes on
    every existing logger under the watched names and on the root handlers, which every
    propagated record passes through.
    """
    redactor = TokenRedactor(token)
    manager = logging.Logger.manager
    names = [name for name in manager.loggerDict if name.split(".")[0] in WATCHED]
    for name in {*WATCHED, *names}:
        _add_once(logging.getLogger(name), redactor)
    for handler in logging.getLogger().handlers:
        _add_once(handler, redactor)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return redactor


def _add_once(target: logging.Filterer, redactor: TokenRedactor) -> None:
    for existing in target.filters:
        if isinstance(existing, TokenRedactor) and existing.token == redactor.token:
            return
    target.addFilter(redactor)

"""The `run` command: the Telegram bot, polling the Bot API or behind a webhook."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer

from bot.cli_options import DataDirOption, build_settings, fail, runtime_or_fail
from core.settings import Settings

_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def register(app: typer.Typer) -> None:
    """Add the bot command to the main app."""
    app.command("run")(run)


def run(
    webhook_url: Annotated[str | None, typer.Option(
        "--webhook-url", help="Public HTTPS URL Telegram posts updates to; without it, the bot polls.")] = None,
    listen: Annotated[str, typer.Option("--listen", help="Address the webhook server listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port the webhook server listens on.", min=1, max=65535)] = 8443,
    url_path: Annotated[str | None, typer.Option(
        "--url-path", help="Path the webhook server answers on (default: the path of --webhook-url).")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Run the Telegram bot: long polling, or a webhook server with --webhook-url."""
    # python-telegram-bot is imported here: the other commands start faster without it.
    from telegram import Update
    from telegram.error import InvalidToken

    from bot.telegram.application import TokenError, bot_token, build_application
    from bot.telegram.serving import run_until_stopped, serving_polling
    from bot.telegram.webhook import serving_webhook

    settings = build_settings(data_dir)
    try:
        bot_token(settings)
    except TokenError as error:
        raise fail(str(error)) from None
    options = webhook_options(settings, webhook_url, listen, port, url_path) if webhook_url else None
    application = build_application(settings, runtime_or_fail(settings), rate_limit=settings.telegram_rate_limit)
    _quiet_rejected_token()
    try:
        serving = (serving_polling(application, allowed_updates=Update.ALL_TYPES) if options is None
                   else serving_webhook(application, **options))
        asyncio.run(run_until_stopped(serving))
    except InvalidToken:
        raise fail("the Bot API server rejected CLUSTER_ASSISTANT_TELEGRAM_TOKEN", code=1) from None


class _RejectedTokenReported(logging.Filter):
    """Drop python-telegram-bot's traceback for a rejected token: `run` says it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but an InvalidToken traceback."""
        from telegram.error import InvalidToken

        return not (record.exc_info and isinstance(record.exc_info[1], InvalidToken))


def _quiet_rejected_token() -> None:
    reported = _RejectedTokenReported()
    logging.getLogger("telegram.ext").addFilter(reported)
    for handler in logging.getLogger().handlers:
        handler.addFilter(reported)


def webhook_options(
    settings: Settings, webhook_url: str, listen: str, port: int, url_path: str | None
) -> dict[str, Any]:
    """Return the webhook server's options; the secret token is required and checked on every call.

    Raises:
        typer.Exit: (code 2) for a missing or malformed secret or URL.
    """
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        raise fail("webhook mode needs CLUSTER_ASSISTANT_WEBHOOK_SECRET (1-256 characters: A-Z, a-z, 0-9, _ and -)")
    if not _SECRET.fullmatch(secret):
        raise fail("CLUSTER_ASSISTANT_WEBHOOK_SECRET must be 1-256 characters among A-Z, a-z, 0-9, _ and -")
    from telegram import Update

    parts = urlsplit(webhook_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(f"--webhook-url must be an http(s) URL, not {webhook_url!r}")
    return {
        "listen": listen,
        "port": port,
        "url_path": (url_path if url_path is not None else parts.path).strip("/"),
        "webhook_url": webhook_url,
        "secret_token": secret,
        "allowed_updates": Update.ALL_TYPES,
    }

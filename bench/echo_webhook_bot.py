"""The bare python-telegram-bot echo bot of bench_echo_bot, behind python-telegram-bot's own webhook server.

Run: `python -m bench.echo_webhook_bot TOKEN API_URL WEBHOOK_URL PORT SECRET` (the scale-out
benchmark starts it as the baseline worker).
"""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import ApplicationBuilder

from bench.bench_echo_bot import echo_bot_factory


def main(argv: list[str]) -> None:
    """Serve the echo bot behind a webhook until interrupted."""
    token, api_url, webhook_url, port, secret = argv
    builder = ApplicationBuilder().token(token).base_url(f"{api_url}/bot").base_file_url(f"{api_url}/file/bot")
    application = echo_bot_factory(concurrent=True)(builder)
    application.run_webhook(listen="127.0.0.1", port=int(port), url_path="hook", webhook_url=webhook_url,
                            secret_token=secret, allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Webhook mode: a small HTTP server (Starlette on uvicorn) that stores Telegram's updates in the inbox.

Each update is committed to the database before the server answers 200 (`inbox.Inbox`), and
applied from there by this worker or any other sharing the database. python-telegram-bot's
own webhook server answers 400 to an update it cannot parse and logs it whole, users' names
and texts included; Telegram then delivers that update again, before any later one. This
server checks the secret token, skips such an update once, logged without its content
(`unparsable.parse_update`), and answers 200, as the polling side does.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram.ext import Application

from bot.telegram.serving import running_with_inbox

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
STARTUP_SECONDS = 15.0
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def webhook_app(accept: Callable[[object], Awaitable[None]], url_path: str, secret_token: str) -> Starlette:
    """Return the web app that hands each update Telegram posts to `/url_path` to `accept`, then answers 200."""

    async def receive(request: Request) -> Response:
        """Store one update; refuse a call without the secret token; 503 when it cannot be stored (Telegram retries)."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret_token.encode()):
            return Response(status_code=403)
        try:
            data = json.loads(await request.body())
        except ValueError:
            return Response(status_code=400)
        try:
            await accept(data)
        except SQLAlchemyError as error:
            logger.warning("an update could not be stored (%s): Telegram will deliver it again", type(error).__name__)
            return Response(status_code=503)
        return Response()

    return Starlette(routes=[Route(f"/{url_path.strip('/')}", receive, methods=["POST"])])


WEBHOOK_KEEP_ALIVE_SECONDS = 75


@asynccontextmanager
async def serving_webhook(
    application: AnyApplication, *, listen: str, port: int, url_path: str, webhook_url: str,
    secret_token: str, allowed_updates: Sequence[str] | None = None,
) -> AsyncIterator[None]:
    """Run the bot behind its webhook server for the block: Telegram's posts go to the inbox."""
    async with running_with_inbox(application) as inbox:
        # Idle connections are kept longer than the clients and proxies in front keep theirs
        # (httpx 5 s; nginx's upstream keepalive 60 s): a post sent as the server closes
        # one would fail and wait for a retry.
        config = uvicorn.Config(webhook_app(inbox.receive, url_path, secret_token), host=listen, port=port,
                                log_level="warning", access_log=False, timeout_keep_alive=WEBHOOK_KEEP_ALIVE_SECONDS)
        server = _ServerWithoutSignals(config)
        serving = asyncio.create_task(server.serve(), name="webhook-server")
        try:
            await _started(server, serving)
            await application.bot.set_webhook(webhook_url, secret_token=secret_token, allowed_updates=allowed_updates)
            yield
        finally:
            server.should_exit = True
            await serving


class _ServerWithoutSignals(uvicorn.Server):
    """uvicorn without its own signal handlers: `serving.run_until_stopped` stops the server, then the bot."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Leave SIGINT and SIGTERM to `serving.run_until_stopped`."""
        yield


async def _started(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    deadline = asyncio.get_running_loop().time() + STARTUP_SECONDS
    while not server.started:
        if task.done():
            raise RuntimeError("the webhook server stopped during start-up (is the port in use?)")
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the webhook server did not start")
        await asyncio.sleep(0.02)

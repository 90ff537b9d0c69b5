"""Serve the emulator and the web chat page on one loopback port, and run the real bot on it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Callable, Iterator
from typing import Any

import uvicorn
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from telegram.ext import Application

from bot.sandbox.page_headers import PageHeaders
from bot.telegram.serving import serving_polling
from botapi.app import create_app
from botapi.runner import DEFAULT_TOKEN, check_loopback
from botapi.state import Emulator
from core.settings import Settings

logger = logging.getLogger(__name__)
BotFactory = Callable[[Settings], Application[Any, Any, Any, Any, Any, Any]]
STARTUP_SECONDS = 15.0


def sandbox_app(emulator: Emulator) -> Starlette:
    """Return the emulator's app with the chat page at `/` and its assets under `/static`."""

    async def index(_request: Any) -> Response:
        """Send the chat page."""
        return RedirectResponse("/static/index.html")

    app = create_app(emulator, extra_routes=[
        Route("/", index, methods=["GET"]),
        Mount("/static", StaticFiles(packages=[("bot", "sandbox_static")]), name="static"),
    ])
    app.add_middleware(PageHeaders)
    return app


def sandbox_settings(settings: Settings, base_url: str) -> Settings:
    """Return the settings the bot runs with inside the sandbox: the emulator's token and URL."""
    return settings.model_copy(update={"telegram_token": SecretStr(DEFAULT_TOKEN), "telegram_api_url": base_url})


async def run_sandbox(settings: Settings, build_bot: BotFactory, host: str = "127.0.0.1", port: int = 8765,
                      on_ready: Callable[[str], None] = lambda url: None) -> None:
    """Serve the sandbox until SIGINT (Ctrl-C) or SIGTERM."""
    check_loopback(host)
    # Telegram's update ids only grow; a bot deduplicates on them (across restarts, in its
    # database), so each sandbox run starts past the ids an earlier run on the same data used.
    emulator = Emulator(DEFAULT_TOKEN, bot_username="cluster_assistant_bot", bot_name="Assistant clusters",
                        first_update_id=int(time.time() * 1000))
    config = uvicorn.Config(sandbox_app(emulator), host=host, port=port, log_level="warning", access_log=False)
    server = _QuietServer(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    serving = asyncio.create_task(server.serve(), name="sandbox-server")
    try:
        await _wait_started(server, serving)
        url = f"http://{host}:{port}"
        async with serving_polling(build_bot(sandbox_settings(settings, url)), poll_timeout=2):
            on_ready(url)
            # The bot stops first, then the server it talks to: no failed poll on the way out.
            await stop.wait()
    finally:
        await emulator.close()
        server.should_exit = True
        await asyncio.wait_for(asyncio.shield(serving), 10)


class _QuietServer(uvicorn.Server):
    """uvicorn without its own signal handlers: `run_sandbox` stops the bot, then the server."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Leave SIGINT and SIGTERM to `run_sandbox`."""
        yield


async def _wait_started(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_SECONDS
    while not server.started:
        if task.done():
            raise RuntimeError("the sandbox server stopped during start-up (is the port in use?)")
        if loop.time() > deadline:
            raise TimeoutError("the sandbox server did not start")
        await asyncio.sleep(0.02)

"""Run the emulator: in-process on a free loopback port (tests, bench) or blocking (the CLI)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from telegram.ext import Application, ApplicationBuilder

from botapi.app import create_app
from botapi.client import EmulatorClient
from botapi.loopback import is_loopback
from botapi.state import Emulator

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456789:emulator-test-token-not-a-secret"
STARTUP_SECONDS = 10.0
SHUTDOWN_SECONDS = 5.0


def check_loopback(host: str) -> None:
    """Refuse to serve anywhere but on this machine's loopback interface."""
    if not is_loopback(host):
        raise ValueError(f"the emulator serves on loopback only, not on {host!r}")


def _uvicorn_config(
    app: object, *, log_level: str = "warning", host: str = "127.0.0.1", port: int = 0
) -> uvicorn.Config:
    """Return uvicorn settings: no access log (paths carry the token), quick shutdown."""
    return uvicorn.Config(
        app,  # type: ignore[arg-type]
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        lifespan="on",
        ws="none",
        timeout_graceful_shutdown=2,
        # Longer than the clients keep an idle connection (httpx: 5 s): with equal times, a
        # request sent as the server closes the connection fails with a ReadError.
        timeout_keep_alive=30,
    )


@dataclass
class RunningEmulator:
    """A started emulator: its state, its URLs and a control client."""

    emulator: Emulator
    base_url: str
    client: EmulatorClient

    @property
    def token(self) -> str:
        """Return the bot token the emulator accepts."""
        return self.emulator.token

    @property
    def bot_api_url(self) -> str:
        """Return the value for ApplicationBuilder.base_url."""
        return f"{self.base_url}/bot"

    @property
    def file_url(self) -> str:
        """Return the value for ApplicationBuilder.base_file_url."""
        return f"{self.base_url}/file/bot"

    def application_builder(self) -> ApplicationBuilder:  # type: ignore[type-arg]
        """Return a python-telegram-bot builder already pointed at this emulator."""
        return (
            ApplicationBuilder()
            .token(self.token)
            .base_url(self.bot_api_url)
            .base_file_url(self.file_url)
        )


@asynccontextmanager
async def polling_application(
    application: Application[Any, Any, Any, Any, Any, Any], *, poll_timeout: int = 2
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run a PTB application in polling mode for the block, with the hooks run_polling calls."""
    try:
        async with application:
            if application.post_init is not None:
                await application.post_init(application)
            await application.start()
            if application.updater is None:
                raise RuntimeError("the application was built without an updater")
            await application.updater.start_polling(timeout=poll_timeout)
            try:
                yield application
            finally:
                await application.updater.stop()
                await application.stop()
                if application.post_stop is not None:
                    await application.post_stop(application)
    finally:
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def _wait_started(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    """Wait until uvicorn listens, failing if it stopped or took too long."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_SECONDS
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("the emulator's server stopped during start-up")
        if loop.time() > deadline:
            raise TimeoutError("the emulator's server did not start")
        await asyncio.sleep(0.01)


class _InProcessServer(uvicorn.Server):
    """uvicorn without its signal handlers: the host process (pytest, the bench) owns signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Leave SIGINT and SIGTERM to the host process."""
        yield


def _base_url(host: str, port: int) -> str:
    """Return the HTTP base URL of a loopback host and port."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@asynccontextmanager
async def serving(
    app: object,
    *,
    host: str = "127.0.0.1",
    before_stop: Callable[[], Awaitable[None]] | None = None,
) -> AsyncIterator[str]:
    """Serve an ASGI app with uvicorn on a free port of a loopback `host`; yield its base URL."""
    check_loopback(host)
    server = _InProcessServer(_uvicorn_config(app, host=host))
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP,
    # and without it every answer waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind((host, 0))
    task = asyncio.create_task(server.serve(sockets=[sock]), name="botapi-serving")
    try:
        await _wait_started(server, task)
        yield _base_url(host, sock.getsockname()[1])
    finally:
        if before_stop is not None:
            await before_stop()
        server.should_exit = True
        await asyncio.wait_for(asyncio.shield(task), SHUTDOWN_SECONDS)
        sock.close()


@asynccontextmanager
async def running_emulator(
    token: str = DEFAULT_TOKEN,
    *,
    host: str = "127.0.0.1",
    bot_username: str = "cluster_assistant_test_bot",
) -> AsyncIterator[RunningEmulator]:
    """Serve a fresh emulator on a free loopback port in this event loop, then stop it."""
    emulator = Emulator(token, bot_username=bot_username)
    async with serving(create_app(emulator), host=host, before_stop=emulator.close) as base_url:
        logger.info("emulator listening on %s", base_url)
        async with EmulatorClient(base_url) as client:
            yield RunningEmulator(emulator, base_url, client)


def serve(host: str, port: int, token: str, *, log_level: str = "warning") -> None:
    """Serve an emulator until interrupted (for `cluster-assistant sandbox` and manual runs)."""
    check_loopback(host)
    config = _uvicorn_config(create_app(Emulator(token)), log_level=log_level, host=host, port=port)
    logger.info("emulator listening on http://%s:%s", host, port)
    uvicorn.Server(config).run()

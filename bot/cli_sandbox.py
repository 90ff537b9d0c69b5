"""`cluster-assistant sandbox`: the real bot, a local Bot API and a web chat page, offline."""

from __future__ import annotations

import asyncio
import socket
from typing import Annotated

import typer

from bot.cli_options import DataDirOption, build_settings, console, fail, runtime_or_fail
from core.settings import Settings


def register(app: typer.Typer) -> None:
    """Add the sandbox command to the main app."""
    app.command()(sandbox)


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def sandbox(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port of the chat page.")] = 8765,
    host: Annotated[str, typer.Option("--host", help="Loopback address to serve on.")] = "127.0.0.1",
    data_dir: DataDirOption = None,
) -> None:
    """Try the real bot in a browser: no token, no Telegram, no network (Ctrl-C to stop)."""
    try:
        from botapi.loopback import is_loopback  # a distribution of its own (emulator/)
    except ImportError:
        raise fail("the sandbox needs the Bot API emulator: pip install -e ./emulator "
                   "(bash scripts/run.sh installs it)") from None
    if not is_loopback(host):
        raise fail(f"--host {host!r}: the sandbox serves on loopback only (127.0.0.1, localhost, ::1)")
    if not _port_is_free(host, port):
        raise fail(f"port {port} on {host} is in use; choose another with --port")
    from bot.sandbox.server import run_sandbox  # the web stack loads for this command only

    settings = build_settings(data_dir)
    runtime = runtime_or_fail(settings)

    def build_bot(bot_settings: Settings):  # type: ignore[no-untyped-def]
        from bot.telegram.application import build_application

        return build_application(bot_settings, runtime)

    def ready(url: str) -> None:
        console.print(f"Sandbox ready: open [bold]{url}/[/] in a browser (Ctrl-C to stop).", highlight=False)

    try:
        asyncio.run(run_sandbox(settings, build_bot, host, port, on_ready=ready))
        console.print("sandbox stopped")
    finally:
        runtime.close()

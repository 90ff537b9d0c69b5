"""A local Telegram Bot API emulator: the bot talks HTTP to it; tests and the sandbox play users.

Start it in-process with `running_emulator()` (tests, benchmarks) or blocking with `serve()`;
drive it with `EmulatorClient`. See `botapi/README.md` for the control API.
"""

from botapi.app import create_app
from botapi.client import BotDidNotReply, EmulatorClient, EmulatorError
from botapi.runner import (
    DEFAULT_TOKEN,
    RunningEmulator,
    polling_application,
    running_emulator,
    serve,
    serving,
)
from botapi.state import Emulator

__all__ = [
    "DEFAULT_TOKEN",
    "BotDidNotReply",
    "Emulator",
    "EmulatorClient",
    "EmulatorError",
    "RunningEmulator",
    "create_app",
    "polling_application",
    "running_emulator",
    "serve",
    "serving",
]

"""A local Telegram Bot API emulator: the bot talks HTTP to it; tests and the sandbox play users.

Start it in-process with `running_emulator()` (tests, benchmarks) or blocking with `serve()`;
drive it with `EmulatorClient`. See `bot/botapi/README.md` for the control API.
"""

from bot.botapi.app import create_app
from bot.botapi.client import BotDidNotReply, EmulatorClient, EmulatorError
from bot.botapi.runner import (
    DEFAULT_TOKEN,
    RunningEmulator,
    polling_application,
    running_emulator,
    serve,
    serving,
)
from bot.botapi.state import Emulator

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

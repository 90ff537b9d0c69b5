"""The `cluster-assistant` command: one Typer app, commands grouped by feature."""

from __future__ import annotations

import importlib
import sys

import typer

# Which module registers each top-level command or group, in the order `--help` lists them.
# `main()` imports only the module of the command it runs: importing them all (the database,
# Alembic, the spreadsheet export, password hashing, ...) cost a cold `ask` about 0.5 s.
# `tests/unit/test_cli.py` checks this table against what each module registers.
COMMAND_MODULES = {
    "ingest": "bot.cli_knowledge",
    "ask": "bot.cli_knowledge",
    "chat": "bot.cli_knowledge",
    "eval": "bot.cli_eval",
    "knowledge": "bot.cli_eval",
    "check": "bot.cli_intake",
    "export": "bot.cli_intake",
    "editions": "bot.cli_intake",
    "db": "bot.cli_intake",
    "run": "bot.cli_bot",
    "sandbox": "bot.cli_sandbox",
    "staff": "bot.cli_staff",
    "dashboard": "bot.cli_dashboard",
}


def build_app(modules: list[str] | None = None) -> typer.Typer:
    """Return the command line with the commands of `modules` (default: every command)."""
    app = typer.Typer(
        name="cluster-assistant",
        help="Applicant assistant for the call for projects supporting Moroccan clusters.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    # A callback keeps the app a group even with one command, so `run ...` still names its command.
    app.callback()(_group)
    for module in modules or dict.fromkeys(COMMAND_MODULES.values()):
        importlib.import_module(module).register(app)
    return app


def _group() -> None:
    """Applicant assistant for the call for projects supporting Moroccan clusters."""


def __getattr__(name: str) -> typer.Typer:
    """Build `app`, the whole command line, on first use (tests and tools import it)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    app = globals()["app"] = build_app()
    return app


def main() -> None:
    """Run the command line, importing only the module of the command asked for."""
    module = COMMAND_MODULES.get(sys.argv[1]) if len(sys.argv) > 1 else None
    build_app([module] if module else None)()

"""Benchmark the emulator and the driver against a bare python-telegram-bot echo bot.

Run from the repository root: `.venv/bin/python -m bench.bench_echo_bot --users 20`.
Each user sends /start, presses a button, then chats; every step waits for the bot's reply.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bench.telegram_load import (
    AnyApp,
    AppFactory,
    PressButton,
    Scenario,
    SendText,
    Step,
    run_load,
)

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Encore", callback_data="again")]])


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with one inline button."""
    assert update.effective_message is not None
    await update.effective_message.reply_text("Bonjour !", reply_markup=KEYBOARD)


async def again(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press and edit the message."""
    assert update.callback_query is not None
    await update.callback_query.answer()
    await update.callback_query.edit_message_text("Encore une fois.")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo the text."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


def echo_bot_factory(concurrent: bool) -> AppFactory:
    """Return an application factory for the echo bot."""

    def build(builder: ApplicationBuilder) -> AnyApp:  # type: ignore[type-arg]
        """Build the echo bot on a builder pointed at the emulator."""
        application = builder.concurrent_updates(concurrent).build()
        application.add_handler(CommandHandler("start", start))
        application.add_handler(CallbackQueryHandler(again))
        application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
        return application

    return build


def echo_scenario(steps: int) -> Scenario:
    """Return a scenario of `steps` steps: /start, a button press, then messages."""

    def plan(user_index: int) -> Sequence[Step]:
        """Return one user's steps."""
        opening: list[Step] = [SendText("/start"), PressButton(data="again")]
        chat = [SendText(f"message {n} de l'utilisateur {user_index}") for n in range(steps)]
        return (opening + chat)[:steps]

    return plan


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--step-timeout", type=float, default=10.0)
    parser.add_argument("--concurrent", action="store_true", help="PTB concurrent_updates")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    report = asyncio.run(
        run_load(
            echo_bot_factory(args.concurrent),
            echo_scenario(args.steps),
            users=args.users,
            step_timeout=args.step_timeout,
        )
    )
    print(report.summary())
    return 0 if report.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

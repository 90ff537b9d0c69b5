"""Running the bot: its life cycle around the inbox, long polling into the inbox, until a signal stops it.

Both ways of receiving updates end in the database first (`inbox.Inbox`): the webhook server
stores each update before it answers 200 (`webhook`), and long polling stores each update of
a batch before it asks for the next batch, which is what confirms the batch to Telegram. So
in either mode an update Telegram was told about is applied, by this process or another one
sharing the database, even when the process dies in the middle of it.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot
from telegram.error import Conflict, NetworkError, RetryAfter
from telegram.ext import Application

from bot.telegram.inbox import Inbox

logger = logging.getLogger(__name__)
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
BACKOFF_SECONDS = (1.0, 2.0, 4.0, 8.0, 15.0)


@asynccontextmanager
async def running_with_inbox(application: AnyApplication) -> AsyncIterator[Inbox]:
    """Start the bot and its inbox worker for the block, with the hooks python-telegram-bot's runners call."""
    # Database work runs in the loop's default executor (asyncio.to_thread), on few threads:
    # with 32, threads fighting for the interpreter made one worker on 2 cores 40% slower.
    settings = application.bot_data.runtime.settings
    threads = ThreadPoolExecutor(settings.worker_threads, thread_name_prefix="work")
    asyncio.get_running_loop().set_default_executor(threads)
    try:
        async with application:
            if application.post_init is not None:
                await application.post_init(application)
            await application.start()
            inbox = Inbox(application, application.bot_data.runtime, max_working=settings.worker_updates_at_once)
            working = asyncio.create_task(inbox.work(), name="inbox")
            try:
                yield inbox
            finally:
                working.cancel()
                await asyncio.gather(working, return_exceptions=True)
                await application.stop()
                if application.post_stop is not None:
                    await application.post_stop(application)
    finally:
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        threads.shutdown(wait=False)


@asynccontextmanager
async def serving_polling(application: AnyApplication, *, poll_timeout: int = 10,
                          allowed_updates: Sequence[str] | None = None) -> AsyncIterator[AnyApplication]:
    """Run the bot by long polling for the block: each batch is stored in the inbox before the next is asked for."""
    async with running_with_inbox(application) as inbox:
        await application.bot.delete_webhook()
        fetching = asyncio.create_task(
            poll_into_inbox(application.bot, inbox, poll_timeout=poll_timeout, allowed_updates=allowed_updates),
            name="polling")
        try:
            yield application
        finally:
            fetching.cancel()
            await asyncio.gather(fetching, return_exceptions=True)


async def poll_into_inbox(bot: Bot, inbox: Inbox, *, poll_timeout: int,
                          allowed_updates: Sequence[str] | None) -> None:
    """Fetch updates until cancelled; the offset moves past an update only once it is stored.

    Telegram forgets the updates before the offset of the next getUpdates call, so an update
    that could not be stored (the database is away) is fetched again in the next round.
    """
    offset, failures = 0, 0
    while True:
        try:
            batch = await bot.get_updates(offset=offset, timeout=poll_timeout, allowed_updates=allowed_updates)
            if batch:
                await inbox.receive_updates(batch)  # one unit of work: stored together, or fetched again
                offset = batch[-1].update_id + 1
            failures = 0
        except RetryAfter as error:
            await asyncio.sleep(float(error.retry_after if isinstance(error.retry_after, int | float)
                                      else error.retry_after.total_seconds()))
        except (NetworkError, Conflict, SQLAlchemyError) as error:
            # Conflict: another process polls with this token, or a webhook was set meanwhile.
            delay = BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS) - 1)]
            failures += 1
            logger.warning("cannot fetch or store updates (%s): trying again in %.0f s", type(error).__name__, delay)
            await asyncio.sleep(delay)


async def run_until_stopped(serving: AbstractAsyncContextManager[object]) -> None:
    """Enter `serving` and stay until SIGINT (Ctrl-C) or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with serving:
        await stop.wait()

"""Webhook workers share one inbox in the database: nothing acknowledged is lost, each chat in order.

The webhook server stores each update (`Inbox.receive`) and commits before it answers 200.
Every worker runs `Inbox.work`: it claims updates (see `intake.services.inbox`), applies each
through the bot's handlers, renews its leases while it works, and marks each done. A worker
killed in the middle loses nothing: its leases run out and another worker, or itself
restarted, takes the update again. If the dead worker had committed the update's changes
(the unit of work that made them also marked it applied, see `context.BotContext.db`), the
update is not applied twice: the user is shown where they are instead (`resumed`), since the
reply may never have gone out. The duplicate guard (`delivery.handle_once`) keeps its table
for polling mode only: the inbox keeps one row per update.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import socket
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from telegram import Update

from bot.telegram.context import APPLYING, BotApplication, Delivery
from bot.telegram.delivery import chat_key
from bot.telegram.unparsable import is_bare, parse_update
from core.clock import REAL_TIME
from core.runtime import Runtime
from intake.database import run_in_unit_of_work
from intake.services import inbox

logger = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ATTEMPTS = 5
IDLE_POLL_SECONDS = 0.2  # how soon a worker sees an update another worker stored
GATHER_SECONDS = 0.01  # how long a woken busy worker lets updates gather before it claims them


def worker_name() -> str:
    """Return a name for this worker's leases: host, process and a random part (a pid is reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


WORKER = worker_name()  # this process, in the inbox's and the jobs' leases


class Inbox:
    """Store updates on receipt; claim, apply and finish them, in any worker sharing the database."""

    def __init__(self, application: BotApplication, runtime: Runtime, *, max_working: int) -> None:
        self.application, self.runtime = application, runtime
        self.holder = WORKER
        self.clock = REAL_TIME
        self.lease = timedelta(seconds=runtime.settings.update_lease_seconds)
        self.max_working = max_working
        self._held: dict[int, asyncio.Task[None]] = {}
        # Applied updates not yet marked done: marked in the unit of work of the next claim.
        self._finished: list[int] = []
        self._wake = asyncio.Event()

    async def receive(self, data: object) -> None:
        """Store one update Telegram posted; one the library cannot parse is logged, counted and skipped.

        Raises:
            SQLAlchemyError: when the database cannot take it; the webhook then answers 5xx
                and Telegram delivers the update again later.
        """
        update = parse_update(data, self.application.bot)
        if update is None:
            update_id = data.get("update_id") if isinstance(data, dict) else None
            if isinstance(update_id, int):
                await self._store([inbox.IncomingUpdate(update_id, None, None)])
            return
        await self._store([inbox.IncomingUpdate(update.update_id, chat_key(update),
                                                json.dumps(data, ensure_ascii=False))])

    async def receive_updates(self, updates: Sequence[Update]) -> None:
        """Store a batch fetched by long polling in one unit of work (`unparsable` reduced those it could not parse
        to their ids: they are counted)."""
        await self._store([
            inbox.IncomingUpdate(update.update_id, None, None) if is_bare(update) else
            inbox.IncomingUpdate(update.update_id, chat_key(update), json.dumps(update.to_dict(), ensure_ascii=False))
            for update in updates
        ])

    async def _store(self, updates: Sequence[inbox.IncomingUpdate]) -> None:
        bot_id, now = self.application.bot.id, self.clock.now()
        stored = await self._db(lambda s: inbox.store_updates(s, bot_id=bot_id, updates=updates, now=now))
        for update, new in zip(updates, stored, strict=True):
            if not new:
                logger.info("update %s delivered again: already stored", update.update_id)
        self._wake.set()

    async def work(self) -> None:
        """Claim and apply stored updates until cancelled; a database outage is waited out."""
        heartbeat = asyncio.create_task(self._renew_forever(), name="inbox-leases")
        try:
            while True:
                # Cleared before the claim, not after: an update stored while the claim runs
                # sets it again, so the worker does not sleep past it.
                self._wake.clear()
                try:
                    more_waiting = await self._claim()
                except SQLAlchemyError as error:
                    logger.warning("cannot claim updates (%s): retrying", type(error).__name__)
                    await asyncio.sleep(1.0)
                    continue
                if not more_waiting:
                    await self._idle()
        finally:
            heartbeat.cancel()
            await self._drain()

    async def _claim(self) -> bool:
        """Claim what there is room for; return whether more may be waiting (all the room was taken)."""
        room = self.max_working - len(self._held)
        # A busy worker claims when a quarter of its places are free, not after each update:
        # a claim per update took a sixth of its Python time (bench_workers: 64.5 steps a
        # second, 77-79 with this). An idle one, with room to spare, claims at once.
        if room < max(1, self.max_working // 4) and self._held:
            await asyncio.wait(list(self._held.values()), return_when=asyncio.FIRST_COMPLETED)
            return True
        bot_id, now = self.application.bot.id, self.clock.now()
        finished, self._finished = self._finished, []

        def finish_and_claim(session: Session) -> list[inbox.ClaimedUpdate]:
            # Marking the finished updates done first lets the claim take their chats' next ones.
            inbox.finish_updates(session, finished, now=now)
            return inbox.claim_updates(session, bot_id=bot_id, holder=self.holder, now=now, lease=self.lease,
                                       limit=room, max_attempts=MAX_ATTEMPTS)

        try:
            claimed = await self._db(finish_and_claim)
        except BaseException:
            # Marked done with the next claim that gets through, or at shutdown when this one
            # was cancelled (marking an update done twice changes nothing).
            self._finished[:0] = finished
            raise
        for item in claimed:
            self._held[item.id] = asyncio.create_task(self._apply(item), name=f"update-{item.update_id}")
        return len(claimed) == room

    async def _idle(self) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for loses a cancellation that
        # arrives as the event is set, and the worker then never stopped.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(IDLE_POLL_SECONDS):
                await self._wake.wait()
                if self._held:
                    # Woken while busy by an update stored or finished: what comes in the next
                    # moments goes into the same claim. Claiming on each wake took one claim per
                    # update, a third of them empty, and a quarter of the worker's Python time.
                    # An idle worker claims at once: nothing is gained by making an update wait.
                    await asyncio.sleep(GATHER_SECONDS)

    async def _apply(self, item: inbox.ClaimedUpdate) -> None:
        """Run one update through the handlers; it is marked done with the next claim (also when a handler failed).

        When the database or the Bot API went away during it, the update is left to its
        lease, which runs out, and the update is applied again (by any worker) once they are back.
        """
        try:
            delivery = Delivery(item)
            APPLYING.set(delivery)
            if item.attempts > 1:
                logger.warning("update %s taken again (attempt %d): a worker stopped during it",
                               item.update_id, item.attempts)
            update = Update.de_json(json.loads(item.payload), self.application.bot)
            await self.application.process_update(update)
            if delivery.interrupted_by is not None:
                logger.warning("update %s waits for %s: taken again when its lease runs out",
                               item.update_id, delivery.interrupted_by)
                return
            self._finished.append(item.id)
        finally:
            self._held.pop(item.id, None)
            self._wake.set()

    async def _finish_pending(self) -> None:
        """Mark done what was applied since the last claim (at shutdown); what cannot be is taken again later."""
        finished, self._finished = self._finished, []
        try:
            await self._db(lambda s: inbox.finish_updates(s, finished, now=self.clock.now()))
        except SQLAlchemyError as error:
            logger.error("%d applied update(s) not marked done (%s): their leases will run out",
                         len(finished), type(error).__name__)

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            try:
                await self._renew([*self._held, *self._finished])
            except SQLAlchemyError as error:
                logger.warning("cannot renew leases (%s)", type(error).__name__)

    async def _renew(self, held: list[int]) -> None:
        until = self.clock.now() + self.lease
        await self._db(lambda s: inbox.renew_leases(s, held, holder=self.holder, until=until))

    async def _drain(self) -> None:
        """Let the updates in hand finish; what is cut off is taken again when its lease runs out."""
        if self._held:
            await asyncio.wait(list(self._held.values()), timeout=self.lease.total_seconds())
        if self._finished:
            await self._finish_pending()

    async def _db(self, work: Callable[[Session], T]) -> T:
        # Not BotContext.db: the inbox's own writes must not mark the update being applied.
        return await asyncio.to_thread(run_in_unit_of_work, self.runtime.sessions, work)

"""Periodic jobs that run in one worker at a time: each round first takes the job's lease in the database."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from bot.telegram.context import BotContext
from bot.telegram.inbox import WORKER
from core.clock import REAL_TIME
from intake.services.job_leases import take_job_lease

logger = logging.getLogger(__name__)

JobCallback = Callable[[BotContext], Coroutine[Any, Any, None]]


def leased(name: str, job: JobCallback, lease: timedelta) -> JobCallback:
    """Return `job` run only by the worker holding its lease (taken or renewed each round, for `lease`).

    The holder renews the lease every round; when it stops, another worker's round takes the
    job over once `lease` has passed since the last renewal.
    """

    async def run_if_held(context: BotContext) -> None:
        now = REAL_TIME.now()
        held = await context.db(lambda s: take_job_lease(s, name, holder=WORKER, now=now, until=now + lease))
        if not held:
            logger.debug("job %s runs in another worker", name)
            return
        await job(context)

    run_if_held.__name__ = f"leased_{name}"
    return run_if_held

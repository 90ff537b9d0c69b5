"""Two webhook workers on one PostgreSQL behind a round-robin proxy, killed with SIGKILL while users talk.

Each worker is a `cluster-assistant run --webhook-url` process. The emulator delivers every
update to the proxy (as Telegram would to the operator's address), which hands it to the
workers in turn and to the other one when a worker does not answer, as nginx does. While 50
users walk a whole check, a worker holding updates is killed three times and restarted.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.bench_telegram import ASSISTANT_STEPS
from bench.webhook_proxy import round_robin_proxy
from botapi.runner import RunningEmulator, serving
from intake.database import create_db_engine, session_factory, unit_of_work
from intake.delivery_models import InboundUpdate
from intake.models import Applicant, IntakeSession
from tests.e2e.chat_page import free_port

from .walking import bot_texts, walk

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[3]
SECRET = "workers-secret"
USERS = 50
FIRST_USER = 910_000


class Worker:
    """One `cluster-assistant run --webhook-url` process, which can be killed and started again."""

    def __init__(self, env: dict[str, str], port: int, proxy_url: str, log: Path) -> None:
        self.env, self.port, self.proxy_url, self.log = env, port, proxy_url, log
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log.open("a") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--webhook-url", f"{self.proxy_url}/hook", "--port",
                str(self.port), "--url-path", "hook", cwd=REPO, env=self.env, stdout=log, stderr=log)
        await self._listening()

    async def _listening(self) -> None:
        async with httpx.AsyncClient(trust_env=False) as client:
            for _ in range(600):
                try:
                    await client.get(f"http://127.0.0.1:{self.port}/hook")
                    return
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        raise AssertionError(f"worker on port {self.port} did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()


@asynccontextmanager
async def workers(emulator: RunningEmulator, database_url: str, data_dir: Path) -> AsyncIterator[list[Worker]]:
    """Start two workers behind the proxy, one after the other (the first builds the index)."""
    ports = [free_port(), free_port()]
    async with serving(round_robin_proxy([f"http://127.0.0.1:{port}/hook" for port in ports])) as proxy_url:
        env = {**os.environ, "CLUSTER_ASSISTANT_TELEGRAM_TOKEN": emulator.token,
               "CLUSTER_ASSISTANT_TELEGRAM_API_URL": emulator.base_url, "CLUSTER_ASSISTANT_DATABASE_URL": database_url,
               "CLUSTER_ASSISTANT_DATA_DIR": str(data_dir), "CLUSTER_ASSISTANT_EMBEDDING_BACKEND": "hashing",
               "CLUSTER_ASSISTANT_WEBHOOK_SECRET": SECRET,
               "CLUSTER_ASSISTANT_UPDATE_LEASE_SECONDS": "3", "CLUSTER_ASSISTANT_LOG_LEVEL": "INFO"}
        started = [Worker(env, port, proxy_url, data_dir / f"worker-{port}.log") for port in ports]
        try:
            for worker in started:
                await worker.start()
            yield started
        finally:
            await asyncio.gather(*(worker.stop() for worker in started))


async def kill_while_holding(worker: Worker, read: Callable[[Callable[[Session], Any]], Any]) -> None:
    """SIGKILL the worker at a moment it holds a stored update it has not finished."""
    assert worker.process is not None
    mark = f":{worker.process.pid}:"
    for _ in range(3000):  # bounded: users are still walking
        held = await asyncio.to_thread(read, lambda s: s.scalars(select(InboundUpdate.id).where(
            InboundUpdate.state == "pending", InboundUpdate.holder.contains(mark))).first())
        if held is not None:
            worker.kill()
            await worker.process.wait()
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the worker never held an update")


async def test_every_user_finishes_their_check_through_three_kills_with_nothing_lost_or_applied_twice(
    emulator: RunningEmulator, postgres_url: str, data_dir: Path
) -> None:
    engine = create_db_engine(postgres_url)
    factory = session_factory(engine)

    def read(work: Callable[[Session], Any]) -> Any:
        with unit_of_work(factory) as session:
            return work(session)

    async with workers(emulator, postgres_url, data_dir) as pair:
        users = asyncio.gather(*(walk(emulator, FIRST_USER + n, ASSISTANT_STEPS) for n in range(USERS)))
        restarting: dict[int, asyncio.Task[None]] = {}
        for victim in (pair[0], pair[1], pair[0]):
            if id(victim) in restarting:
                await restarting.pop(id(victim))
            await kill_while_holding(victim, read)
            # Restarted in the background: the users go on meanwhile, both workers may be down at once.
            restarting[id(victim)] = asyncio.create_task(victim.start())
        await asyncio.gather(*restarting.values())
        await asyncio.wait_for(users, 600)
        for _ in range(200):  # the last updates are marked done just after their replies
            if not read(lambda s: s.scalars(select(InboundUpdate).where(InboundUpdate.state != "done")).all()):
                break
            await asyncio.sleep(0.1)

    checks = read(lambda s: s.execute(select(Applicant.external_id, IntakeSession.verdict, IntakeSession.history)
                                      .join(IntakeSession, IntakeSession.applicant_id == Applicant.id)).all())
    inbox = read(lambda s: s.execute(select(InboundUpdate.state, InboundUpdate.attempts)).all())
    engine.dispose()
    by_user = {external_id: (verdict, history) for external_id, verdict, history in checks}
    assert sorted(by_user) == sorted(str(FIRST_USER + n) for n in range(USERS)), "one check per user"
    assert all(verdict is not None for verdict, _ in by_user.values()), by_user
    for _verdict, history in by_user.values():
        asked = [str(entry) for entry in history]
        assert len(asked) == len(set(asked)), f"an answer applied twice: {history}"
    assert {state for state, _ in inbox} == {"done"}, "every stored update applied"
    assert any(attempts > 1 for _, attempts in inbox), "a killed worker's update was taken again"
    for n in range(USERS):
        texts = await bot_texts(emulator, FIRST_USER + n)
        assert not [text for text in texts if text.startswith("Désolé")], "no apology: nothing truly failed"

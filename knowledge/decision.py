"""Decide, for one question, which candidate answers, or that none does and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from knowledge.calibration import Calibration
from knowledge.candidates import Candidate, Pool, gather
from knowledge.card_index import CardIndex
from knowledge.card_text import Facts
from knowledge.cards import Card
from knowledge.question import Question
from knowledge.retrieval import PassageRetriever

Outcome = Literal["answered", "refused", "gap", "unknown_year", "empty"]
SUGGESTIONS = 3


@dataclass(frozen=True)
class Decision:
    """What the assistant does with one question, and everything that led there (for `--explain`)."""

    question: Question
    outcome: Outcome
    chosen: Candidate | None = None
    candidates: list[Candidate] = field(default_factory=list)
    threshold: float = 0.0
    gap: Card | None = None
    suggestions: list[Card] = field(default_factory=list)
    unknown_year: str | None = None

    @property
    def answered(self) -> bool:
        """Return whether the decision gives an answer."""
        return self.outcome == "answered"

    @property
    def score(self) -> float:
        """Return the best candidate's probability (0 when there is none)."""
        return max((c.probability for c in self.candidates), default=0.0)


def decide(question: Question, cards: CardIndex, retriever: PassageRetriever, calibration: Calibration,
           facts: Facts) -> Decision:
    """Score every candidate with the calibration and answer with the best one if it clears the threshold.

    A deadline asked of a year no edition is of is said unknown unless the best candidate
    states a deadline (`_may_answer`), even above the threshold.
    """
    if not question.terms:
        return Decision(question, "empty")
    pool = gather(question, cards, retriever, facts)
    for candidate in pool.candidates:
        candidate.probability = calibration.probability(candidate.features)
    ranked = sorted(pool.candidates, key=lambda c: -c.probability)
    best = ranked[0] if ranked else None
    common = {"candidates": ranked, "threshold": calibration.threshold}
    unknown = _unknown_year(question, cards, retriever, facts) if _asks_for_a_deadline(pool, cards) else None
    if best is not None and best.probability >= calibration.threshold and _may_answer(best, unknown):
        return Decision(question, "answered", chosen=best, **common)  # type: ignore[arg-type]
    suggestions = _suggestions(pool, cards, calibration)
    if unknown:
        return Decision(question, "unknown_year", unknown_year=unknown, suggestions=suggestions, **common)  # type: ignore[arg-type]
    gap = pool.best_gap if _gap_is_nearest(pool, cards) else None
    return Decision(question, "gap" if gap else "refused", gap=gap, suggestions=suggestions, **common)  # type: ignore[arg-type]


def _may_answer(best: Candidate, unknown_year: str | None) -> bool:
    """Return whether the best candidate may answer a question that may name a year no edition is of.

    A deadline asked of such a year ("la date limite de l'édition 2028") has no right answer
    but a deadline of no particular edition: the edition filter has dropped the other
    editions' cards, and what is left may only name the year (the 2022-2028 envelope). So
    only a candidate that states the kind of fact asked answers it ("labellisés en 2019,
    la date limite de 2024 ?" still gets the 2024 deadline); otherwise the year is said unknown.
    """
    return unknown_year is None or best.features["intent"] > 0


def _unknown_year(question: Question, cards: CardIndex, retriever: PassageRetriever, facts: Facts) -> str | None:
    """Return a year the question names that no edition file, card or passage is of."""
    known = set(facts.deadlines) | cards.editions | retriever.editions
    missing = sorted(question.years - known)
    return missing[0] if missing else None


def _asks_for_a_deadline(pool: Pool, cards: CardIndex) -> bool:
    """Return whether the card nearest by examples, or the one the classifier finds likeliest, gives a deadline.

    Only then is a year the question names the edition it asks about ("la date limite de
    2028", "wach kayn appel f 2027?"), not the year a cluster was labelled ("labellisé en
    2020, pouvons-nous ..."), which no edition needs to cover. Either may miss it: the
    classifier leans to the 2022-2028 envelope for "2028", e5 to other cards for Darija.
    """
    if not len(pool.card_similarity):
        return False
    nearest = (int(np.argmax(pool.card_similarity)), int(np.argmax(pool.card_probability)))
    return any(cards.cards[n].deadline_of is not None for n in nearest)


def _gap_is_nearest(pool: Pool, cards: CardIndex) -> bool:
    """Return whether the nearest card by example questions says what the texts lack."""
    if pool.best_gap is None or not len(pool.card_similarity):
        return False
    nearest = cards.cards[int(np.argmax(pool.card_similarity))]
    return not nearest.answers


def _suggestions(pool: Pool, cards: CardIndex, calibration: Calibration) -> list[Card]:
    """Return the nearest answer cards when the question is on the call's topic, else none."""
    similarity = pool.card_similarity
    if not len(similarity) or pool.answering_similarity < calibration.on_topic_similarity:
        return []
    order = np.argsort(-similarity, kind="stable")
    return [cards.cards[n] for n in order if cards.cards[n].answers][:SUGGESTIONS]

"""Fit the calibration on labelled questions (the dev split): `knowledge calibrate`."""

from __future__ import annotations

import numpy as np

from knowledge.calibration import Calibration, Outcome, choose_threshold, fit_logistic
from knowledge.candidates import FEATURES, Candidate, Pool, gather
from knowledge.card_index import CardIndex
from knowledge.card_text import Facts
from knowledge.evaluation import EvalCase
from knowledge.question import Question, parse_question, split_parts
from knowledge.retrieval import PassageRetriever

EXAMPLE_WEIGHT = 0.2  # an example question counts for this much of a dev question (chosen by dev cross-validation)
ON_TOPIC_QUANTILE = 0.05  # suggestions are offered above what 95% of answerable questions reach


def label(case: EvalCase, candidate: Candidate) -> bool:
    """Return whether a candidate is a right answer to a case."""
    if not case.answerable or not candidate.answers:
        return False
    if candidate.card is not None:
        return candidate.card.id in case.gold
    assert candidate.hit is not None
    return bool(case.gold) and case.is_gold(candidate.hit.passage.source)


def fit_calibration(cases: list[EvalCase], cards: CardIndex, retriever: PassageRetriever, facts: Facts,
                    embedding: str, example_weight: float = EXAMPLE_WEIGHT) -> Calibration:
    """Fit the answerability model and its threshold on labelled cases (their first question each).

    The model also learns from the cards' own example questions, each asked with itself left
    out of the index (`example_weight` per row): a few thousand more labelled questions than
    the dev split has. The threshold is chosen on the cases alone, the real questions.
    """
    pools = [(case, gather(question, cards, retriever, facts)) for case, question in _first_parts(cases)]
    rows = [(c.features, label(case, c), 1.0) for case, pool in pools for c in pool.candidates]
    if example_weight > 0:
        rows += [(c.features, label(case, c), example_weight)
                 for case, pool in _example_pools(cards, retriever, facts) for c in pool.candidates]
    x = np.array([[features[name] for name in FEATURES] for features, _, _ in rows])
    y = np.array([float(right) for _, right, _ in rows])
    weights, bias, mean, scale = fit_logistic(x, y, weights=np.array([w for _, _, w in rows]))
    draft = Calibration(embedding, list(FEATURES), weights.tolist(), bias, mean.tolist(), scale.tolist(), 0.5, 0.0, {})
    outcomes = []
    for case, pool in pools:
        best = max(pool.candidates, key=lambda c: draft.probability(c.features), default=None)
        probability = draft.probability(best.features) if best is not None and best.answers else 0.0
        outcomes.append(Outcome(probability, best is not None and label(case, best), case.answerable))
    threshold, measured = choose_threshold(outcomes)
    similarities = [pool.answering_similarity for case, pool in pools if case.answerable]
    on_topic = float(np.quantile(similarities, ON_TOPIC_QUANTILE)) if similarities else 0.0
    return Calibration(embedding, list(FEATURES), [round(w, 5) for w in weights.tolist()], round(bias, 5),
                       [round(m, 5) for m in mean.tolist()], [round(s, 5) for s in scale.tolist()],
                       round(threshold, 4), round(on_topic, 4), measured)


def _first_parts(cases: list[EvalCase]) -> list[tuple[EvalCase, Question]]:
    parsed = [(case, parse_question(split_parts(case.question)[0])) for case in cases]
    return [(case, question) for case, question in parsed if question.terms]


def _example_pools(cards: CardIndex, retriever: PassageRetriever, facts: Facts) -> list[tuple[EvalCase, Pool]]:
    """Ask every card example as a question, with that example hidden from the index."""
    pools = []
    for row, text in enumerate(cards.example_texts):
        card = cards.cards[int(cards.example_card[row])]
        case = EvalCase(id=f"example:{card.id}:{row}", question=text, answerable=card.answers,
                        gold=(card.id,) if card.answers else ())
        question = parse_question(text)
        if question.terms:
            pools.append((case, gather(question, cards, retriever, facts, hidden_example=row)))
    return pools

"""Fit the calibration on labelled questions (the dev split): `knowledge calibrate`."""

from __future__ import annotations

import numpy as np

from knowledge.calibration import Calibration, Outcome, choose_threshold, fit_logistic
from knowledge.candidates import FEATURES, Candidate, gather
from knowledge.card_index import CardIndex
from knowledge.card_text import Facts
from knowledge.evaluation import EvalCase
from knowledge.question import parse_question, split_parts
from knowledge.retrieval import PassageRetriever

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
                    embedding: str) -> Calibration:
    """Fit the answerability model and its threshold on labelled cases (their first question each)."""
    pools = []
    for case in cases:
        question = parse_question(split_parts(case.question)[0])
        if not question.terms:
            continue
        pools.append((case, gather(question, cards, retriever, facts)))
    rows = [(c.features, label(case, c)) for case, pool in pools for c in pool.candidates]
    x = np.array([[features[name] for name in FEATURES] for features, _ in rows])
    y = np.array([float(right) for _, right in rows])
    weights, bias, mean, scale = fit_logistic(x, y)
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

"""Fit the calibration on labelled questions (the dev split): `knowledge calibrate` and `knowledge cross-validate`."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from knowledge.calibration import Calibration, Outcome, choose_threshold, fit_logistic
from knowledge.candidates import FEATURES, Candidate, Pool, gather
from knowledge.card_index import CardIndex
from knowledge.card_text import Facts
from knowledge.evaluation import EvalCase, Rate
from knowledge.question import Question, parse_question, split_parts
from knowledge.retrieval import PassageRetriever

EXAMPLE_WEIGHT = 0.2  # an example question counts for this much of a dev question (chosen by dev cross-validation)
DOCUMENT_QUESTION_SHARE = 1.0  # a document question counts as much as a card example (chosen by dev cross-validation)
ON_TOPIC_QUANTILE = 0.05  # suggestions are offered above what 95% of answerable questions reach


def label(case: EvalCase, candidate: Candidate) -> bool:
    """Return whether a candidate is a right answer to a case."""
    if not case.answerable or not candidate.answers:
        return False
    if candidate.card is not None:
        return candidate.card.id in case.gold
    assert candidate.hit is not None
    return bool(case.gold) and case.is_gold(candidate.hit.passage.source)


Row = tuple[dict[str, float], bool, float]  # a candidate's features, whether it is right, its weight
Labelled = list[tuple[EvalCase, Pool]]


@dataclass(frozen=True)
class CrossValidation:
    """Dev cross-validation: each question judged by a calibration fitted without its fold."""

    folds: int
    answered_right: Rate  # answerable questions whose best candidate clears the threshold and is right
    refused: Rate  # unanswerable questions whose best candidate stays under it
    by_language: dict[str, tuple[Rate, Rate]]
    partitions: list[tuple[int, int]]  # (answered right, refused) under each partition; the first is the rates above


def fit_calibration(cases: list[EvalCase], cards: CardIndex, retriever: PassageRetriever, facts: Facts,
                    embedding: str, example_weight: float = EXAMPLE_WEIGHT) -> Calibration:
    """Fit the answerability model and its threshold on labelled cases (their first question each).

    The model also learns from the cards' own example questions, each asked with itself left
    out of the index (`example_weight` per row): a few thousand more labelled questions than
    the dev split has. The threshold is chosen on the cases alone, the real questions.
    """
    examples = _example_rows(cards, retriever, facts, example_weight)
    return _fit(_labelled(cases, cards, retriever, facts), examples, embedding)


def cross_validate(cases: list[EvalCase], cards: CardIndex, retriever: PassageRetriever, facts: Facts,
                   embedding: str, folds: int = 5, example_weight: float = EXAMPLE_WEIGHT,
                   partitions: int = 1) -> CrossValidation:
    """Judge each case by a calibration fitted on the other folds (a case's fold comes from its id).

    What `knowledge cross-validate` prints: the way to compare two choices on the dev split
    without judging a question by a model that learnt it. Only first questions are judged,
    by their best candidate, as `fit_calibration` sees them. With `partitions` above 1 the
    whole cross-validation is repeated over other partitions into folds: one partition's
    count moves by about two questions with the folds alone (README, "Measured").
    """
    labelled = _labelled(cases, cards, retriever, facts)
    examples = _example_rows(cards, retriever, facts, example_weight)
    runs = [_judge(labelled, examples, embedding, folds, partition) for partition in range(partitions)]
    judged = runs[0]

    def rate(answerable: bool, language: str | None = None) -> Rate:
        chosen = [right for case, right in judged
                  if case.answerable == answerable and language in (None, case.language)]
        return Rate(sum(chosen), len(chosen))

    languages = sorted({case.language for case, _ in judged})
    counts = [(sum(right for case, right in run if case.answerable),
               sum(right for case, right in run if not case.answerable)) for run in runs]
    return CrossValidation(folds, rate(True), rate(False), {lang: (rate(True, lang), rate(False, lang))
                                                            for lang in languages}, counts)


def _judge(labelled: Labelled, examples: list[Row], embedding: str, folds: int,
           partition: int) -> list[tuple[EvalCase, bool]]:
    judged: list[tuple[EvalCase, bool]] = []
    for fold in range(folds):
        held_out = [(case, pool) for case, pool in labelled if fold_of(case.id, folds, partition) == fold]
        fitted = _fit([item for item in labelled if fold_of(item[0].id, folds, partition) != fold],
                      examples, embedding)
        judged += [(case, _right(fitted, case, pool)) for case, pool in held_out]
    return judged


def fold_of(case_id: str, folds: int, partition: int = 0) -> int:
    """Return a case's fold: stable across runs and machines (a checksum of its id).

    Partition 0 is the checksum of the id alone; each other partition salts it with its number.
    """
    key = case_id if partition == 0 else f"{partition}:{case_id}"
    return zlib.crc32(key.encode("utf-8")) % folds


def _labelled(cases: list[EvalCase], cards: CardIndex, retriever: PassageRetriever, facts: Facts) -> Labelled:
    return [(case, gather(question, cards, retriever, facts)) for case, question in _first_parts(cases)]


def _example_rows(cards: CardIndex, retriever: PassageRetriever, facts: Facts, weight: float) -> list[Row]:
    if weight <= 0:
        return []
    return [(c.features, label(case, c), weight * share)
            for case, pool, share in _example_pools(cards, retriever, facts) for c in pool.candidates]


def _fit(labelled: Labelled, examples: list[Row], embedding: str) -> Calibration:
    rows = [(c.features, label(case, c), 1.0) for case, pool in labelled for c in pool.candidates] + examples
    x = np.array([[features[name] for name in FEATURES] for features, _, _ in rows])
    y = np.array([float(right) for _, right, _ in rows])
    weights, bias, mean, scale = fit_logistic(x, y, weights=np.array([w for _, _, w in rows]))
    draft = Calibration(embedding, list(FEATURES), weights.tolist(), bias, mean.tolist(), scale.tolist(), 0.5, 0.0, {})
    threshold, measured = choose_threshold([_outcome(draft, case, pool) for case, pool in labelled])
    similarities = [pool.answering_similarity for case, pool in labelled if case.answerable]
    on_topic = float(np.quantile(similarities, ON_TOPIC_QUANTILE)) if similarities else 0.0
    return Calibration(embedding, list(FEATURES), [round(w, 5) for w in weights.tolist()], round(bias, 5),
                       [round(m, 5) for m in mean.tolist()], [round(s, 5) for s in scale.tolist()],
                       round(threshold, 4), round(on_topic, 4), measured)


def _outcome(calibration: Calibration, case: EvalCase, pool: Pool) -> Outcome:
    best = max(pool.candidates, key=lambda c: calibration.probability(c.features), default=None)
    probability = calibration.probability(best.features) if best is not None and best.answers else 0.0
    return Outcome(probability, best is not None and label(case, best), case.answerable)


def _right(calibration: Calibration, case: EvalCase, pool: Pool) -> bool:
    outcome = _outcome(calibration, case, pool)
    answered = outcome.probability >= calibration.threshold
    return outcome.right and answered if case.answerable else not answered


def _first_parts(cases: list[EvalCase]) -> list[tuple[EvalCase, Question]]:
    parsed = [(case, parse_question(split_parts(case.question)[0])) for case in cases]
    return [(case, question) for case, question in parsed if question.terms]


def _example_pools(cards: CardIndex, retriever: PassageRetriever,
                   facts: Facts) -> list[tuple[EvalCase, Pool, float]]:
    """Ask every card example and every document question, with itself hidden from the index.

    Each comes with its share of the example weight: 1 for a card example, and
    `DOCUMENT_QUESTION_SHARE` for a document question.
    """
    pools = []
    for row, text in enumerate(cards.example_texts):
        card = cards.cards[int(cards.example_card[row])]
        case = EvalCase(id=f"example:{card.id}:{row}", question=text, answerable=card.answers,
                        gold=(card.id,) if card.answers else ())
        question = parse_question(text)
        if question.terms:
            pools.append((case, gather(question, cards, retriever, facts, hidden_example=row), 1.0))
    documents = cards.documents
    for row, (name, text) in enumerate(zip(documents.documents, documents.texts)):
        case = EvalCase(id=f"document:{name}:{row}", question=text, answerable=True, gold=(f"doc:{name}",))
        question = parse_question(text)
        if question.terms:
            pools.append((case, gather(question, cards, retriever, facts, hidden_document_question=row),
                          DOCUMENT_QUESTION_SHARE))
    return pools

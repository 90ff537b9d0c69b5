"""Candidates for an answer (cards and passages) and the measured features of each.

Every feature is computed the same way for every question: the calibrated model
(`knowledge.calibration`) turns them into one answerability score. Nothing here decides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from knowledge.answer_types import Language
from knowledge.card_index import CardIndex, CardSimilarity
from knowledge.card_text import Facts, card_text
from knowledge.cards import Card
from knowledge.editions import years_named
from knowledge.intents import states_deadline
from knowledge.question import Question
from knowledge.retrieval import Hit, PassageRetriever

FEATURES = (
    "is_card",
    "q2q",
    "q2q_margin",
    "paraphrase",
    "paraphrase_margin",
    "paraphrase_rank",
    "agreement",
    "votes",
    "predicted",
    "predicted_log_odds",
    "predicted_gap",
    "q2p",
    "coverage",
    "lexical_rank",
    "dense_rank",
    "intent",
    "year",
    "past_deadline",
    "gap",
    "gap_margin",
    "unknown_words",
    "document_q2q",
    "document_paraphrase",
)
CARDS_KEPT = 5
PASSAGES_KEPT = 6
PASSAGE_DEPTH = 40  # where the best passage of a document the classifier leans to is looked for
LOG_ODDS_BOUND = 1e-4  # set once, not tuned: the many cards a question is far from all count as this
DOCUMENTS_KEPT = 2  # the documents the classifier leans to most, whose best passage is always a candidate


@dataclass
class Candidate:
    """A card or a passage that might answer, with its features and, once scored, its probability."""

    key: str
    edition: str | None
    features: dict[str, float]
    card: Card | None = None
    hit: Hit | None = None
    probability: float = 0.0
    text: str = field(default="", repr=False)

    @property
    def answers(self) -> bool:
        """Return whether choosing this candidate gives an answer (a gap card does not)."""
        return self.card is None or self.card.answers


@dataclass(frozen=True)
class Pool:
    """The candidates for one question and what the question-level features saw."""

    candidates: list[Candidate]
    best_gap: Card | None
    card_similarity: np.ndarray  # best example cosine, per card of the index
    card_probability: np.ndarray  # the card classifier's probability, per card of the index
    answering_similarity: float  # the best of it among cards that answer: how on-topic the question is


def gather(question: Question, cards: CardIndex, retriever: PassageRetriever, facts: Facts,
           hidden_example: int | None = None, hidden_document_question: int | None = None) -> Pool:
    """Return the candidates for a question: the nearest cards and the best passages.

    `hidden_example` leaves one card example out, `hidden_document_question` one document
    question (calibration asks them as questions themselves).
    """
    vector = np.asarray(retriever.query_vector(question.text), dtype=np.float32)
    vector /= float(np.linalg.norm(vector)) or 1.0
    similarity = cards.similarities(question.text, vector, question.years, hidden_example, hidden_document_question)
    q2q, paraphrase = similarity.q2q, similarity.paraphrase
    answering = [n for n, card in enumerate(cards.cards) if card.answers]
    gaps = [n for n, card in enumerate(cards.cards) if not card.answers]
    gap = float(max(q2q[gaps])) if gaps else 0.0
    predicted_gap = float(similarity.predicted[gaps].sum()) if gaps else 0.0
    shared = {"gap": gap, "unknown_words": _unknown_share(question, cards, retriever), "predicted_gap": predicted_gap}
    order = sorted(answering, key=lambda n: -q2q[n])
    by_paraphrase = sorted(answering, key=lambda n: -paraphrase[n])
    nearest_gap = float(max(paraphrase[gaps])) if gaps else 0.0
    by_votes = sorted(answering, key=lambda n: -similarity.votes[n])
    by_prediction = sorted(answering, key=lambda n: -similarity.predicted[n])
    kept = list(dict.fromkeys(by_prediction[:2] + order[:CARDS_KEPT] + by_paraphrase[:2] + by_votes[:2]))
    candidates = [_card(question, cards, n, similarity, (order, by_paraphrase), facts,
                        {**shared, "gap_margin": float(paraphrase[n]) - nearest_gap}) for n in kept]
    hits = _passages(question, retriever, similarity.document_predicted)
    lexical_order = sorted(range(len(hits)), key=lambda i: -hits[i].lexical)
    dense_order = sorted(range(len(hits)), key=lambda i: -hits[i].dense)
    latest = facts.latest.year if facts.latest else None
    candidates += [_passage(question, hit, (lexical_order.index(i), dense_order.index(i)), shared, latest,
                            _document(similarity, hit.passage.document))
                   for i, hit in enumerate(hits)]
    best_gap = cards.cards[max(gaps, key=lambda n: q2q[n])] if gaps else None
    on_topic = float(max(q2q[answering])) if answering else 0.0
    return Pool([c for c in candidates if _edition_fits(question, c)], best_gap, q2q, similarity.predicted, on_topic)


def _passages(question: Question, retriever: PassageRetriever, document_predicted: dict[str, float]) -> list[Hit]:
    """Return the best passages, and the best passage of each document the card classifier leans to most.

    A question on a detail of one text ("the patents the 2011 contracts promised") can lean
    to its document while retrieval ranks that document's passage below the six kept.
    """
    ranked = retriever.search(question.text, k=PASSAGE_DEPTH if document_predicted else PASSAGES_KEPT)
    kept = ranked[:PASSAGES_KEPT]
    for name in sorted(document_predicted, key=lambda name: -document_predicted[name])[:DOCUMENTS_KEPT]:
        best = next((hit for hit in ranked if hit.passage.document == name), None)
        if best is not None and best not in kept:
            kept.append(best)
    return kept


def _card(question: Question, cards: CardIndex, n: int, similarity: CardSimilarity,
          orders: tuple[list[int], list[int]], facts: Facts, shared: dict[str, float]) -> Candidate:
    card = cards.cards[n]
    q2q, q2p, paraphrase = similarity.q2q, similarity.q2p, similarity.paraphrase
    order, by_paraphrase = orders
    text = card_text(card, Language.FR, facts)
    features = {
        "is_card": 1.0, "q2q": float(q2q[n]), "q2q_margin": _margin(q2q, n, order),
        "paraphrase": float(paraphrase[n]), "paraphrase_margin": _margin(paraphrase, n, order),
        "paraphrase_rank": 1.0 / (1 + by_paraphrase.index(n)),
        "agreement": float(order[0] == n == by_paraphrase[0]), "votes": float(similarity.votes[n]),
        **_predicted(float(similarity.predicted[n])),
        "q2p": float(q2p[n]), "coverage": _coverage(question, cards.stems[n]),
        "lexical_rank": 0.0, "dense_rank": 1.0 / (1 + order.index(n)),
        "intent": _intent(question, text), "year": _year(question, card.edition, text),
        "past_deadline": _past_deadline(question, card.deadline_of is not None and card.deadline_of != "latest"),
        "document_q2q": 0.0, "document_paraphrase": 0.0,
        **shared,
    }
    return Candidate(f"card:{card.id}", card.edition, features, card=card, text=text)


def _document(similarity: CardSimilarity, name: str) -> tuple[float, float, float]:
    """Return how near a document's questions come (each model) and the classifier's probability for it."""
    q2q, paraphrase = similarity.documents.get(name, (0.0, 0.0))
    return q2q, paraphrase, similarity.document_predicted.get(name, 0.0)


def _passage(question: Question, hit: Hit, ranks: tuple[int, int], shared: dict[str, float],
             latest_edition: str | None, document: tuple[float, float, float]) -> Candidate:
    """Return a passage as a candidate; `document` says how near its document's questions come."""
    text = hit.passage.text
    lexical_rank, dense_rank = ranks
    features = {
        "is_card": 0.0,
        "q2q": 0.0,
        "q2q_margin": 0.0,
        "paraphrase": 0.0,
        "paraphrase_margin": 0.0,
        "paraphrase_rank": 0.0,
        "agreement": 0.0,
        "votes": 0.0,
        **_predicted(document[2]),
        "gap_margin": 0.0,
        "q2p": hit.dense,
        "coverage": hit.coverage,
        "lexical_rank": 1.0 / (1 + lexical_rank) if hit.lexical > 0 else 0.0,
        "dense_rank": 1.0 / (1 + dense_rank) if hit.dense > 0 else 0.0,
        "intent": _intent(question, text),
        "year": _year(question, hit.passage.edition, text),
        "past_deadline": _past_deadline(question, states_deadline(text) and hit.passage.edition != latest_edition),
        "document_q2q": document[0],
        "document_paraphrase": document[1],
        **shared,
    }
    return Candidate(f"passage:{hit.passage.id}", hit.passage.edition, features, hit=hit, text=text)


def _predicted(probability: float) -> dict[str, float]:
    """Return the classifier's probability for a candidate as both features that read it."""
    return {"predicted": probability, "predicted_log_odds": _log_odds(probability)}


def _log_odds(probability: float) -> float:
    """Return the classifier's probability as log-odds, kept `LOG_ODDS_BOUND` away from 0 and 1.

    The softmax's probabilities crowd near 0 and 1, where the logistic model cannot tell
    0.9 from 0.999 or 0.01 from 0.0001; on the log-odds scale those are steps of the same
    size (measured in the README, the eleventh step). A probability that is not a number
    (a broken vector) counts as the lowest.
    """
    if math.isnan(probability):
        probability = 0.0
    bounded = min(max(probability, LOG_ODDS_BOUND), 1.0 - LOG_ODDS_BOUND)
    return math.log(bounded / (1.0 - bounded))


def _margin(similarity: np.ndarray, n: int, answering: list[int]) -> float:
    """Return how far a card's similarity stands above the best other answering card's."""
    others = [similarity[m] for m in answering if m != n]
    return float(similarity[n] - (max(others) if others else 0.0))


def _coverage(question: Question, stems: set[str]) -> float:
    terms = [t for t in question.terms if not t.word.isdigit()]
    return sum(bool(t.stems & stems) for t in terms) / len(terms) if terms else 0.0


def _unknown_share(question: Question, cards: CardIndex, retriever: PassageRetriever) -> float:
    """Return the share of the question's words no card and no passage uses ("frais", "meteo")."""
    known, vocabulary = cards.vocabulary, retriever.vocabulary
    terms = [t for t in question.terms if not t.word.isdigit()]
    if not terms:
        return 0.0
    return sum(not (t.stems & known or t.stems & vocabulary) for t in terms) / len(terms)


def _intent(question: Question, text: str) -> float:
    if not question.intents:
        return 0.0
    return 1.0 if any(intent.stated_in(text) for intent in question.intents) else -1.0


def _year(question: Question, edition: str | None, text: str) -> float:
    if not question.years:
        return 0.0
    return 1.0 if edition in question.years or question.years & years_named(text) else 0.0


def _past_deadline(question: Question, gives_one_editions_deadline: bool) -> float:
    """Return 1 for a candidate giving one edition's closing date when the question names no year.

    "Quelle est la date limite ?" asks about the edition now open or latest, not 2024's.
    """
    return float(not question.years and gives_one_editions_deadline)


def _edition_fits(question: Question, candidate: Candidate) -> bool:
    """Return False for a candidate about another edition than the one the question names."""
    if not question.years or candidate.edition is None:
        return True
    return candidate.edition in question.years or bool(question.years & years_named(candidate.text))

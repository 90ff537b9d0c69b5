"""What applicants' questions mean, for the staff's questions page: groups and nearest cards.

Embedding costs milliseconds a question, and the page shows the same questions again and
again: vectors are kept in memory by text (bounded), so only new questions are embedded.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.card_index import CardIndex
from knowledge.embeddings import embed_queries
from knowledge.question_groups import QuestionGroup, group_by_meaning, meaning_vectors, unit_rows

KEPT_VECTORS = 20_000
NEAREST_CARDS = 3


@dataclass(frozen=True)
class NearCard:
    """A card a group of questions leans to, with the classifier's mean probability."""

    card_id: str
    topic: str
    probability: float


@dataclass(frozen=True)
class GroupedQuestions:
    """Groups of the given questions (rows of the input), each with the cards it leans to."""

    groups: list[QuestionGroup]
    nearest: list[list[NearCard]]  # one list per group


class QuestionMeanings:
    """Embeds questions once and groups them against the current cards."""

    def __init__(self, embeddings: Embeddings, paraphrase_model: Embeddings | None) -> None:
        self._embeddings = embeddings
        self._paraphrase_model = paraphrase_model
        self._kept: OrderedDict[str, np.ndarray] = OrderedDict()

    def group(self, questions: list[str], cards: CardIndex) -> GroupedQuestions:
        """Group `questions` by meaning and name the cards each group leans to."""
        if not questions:
            return GroupedQuestions([], [])
        embedded = self._embedded(questions)
        if cards.paraphrases is None:  # the classifier reads the retrieval half only
            embedded = embedded[:, : cards.example_vectors.shape[1]]
        probabilities = np.stack([cards.card_probabilities(q, row) for q, row in zip(questions, embedded)])
        groups = group_by_meaning(meaning_vectors(embedded, probabilities))
        return GroupedQuestions(groups, [_nearest(cards, probabilities[g.members]) for g in groups])

    def _embedded(self, questions: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(q for q in questions if q not in self._kept))
        if missing:
            # Unit halves side by side: the classifier was fitted on exactly that.
            parts = [unit_rows(embed_queries(self._embeddings, missing))]
            if self._paraphrase_model is not None:
                parts.append(unit_rows(embed_queries(self._paraphrase_model, missing)))
            for text, row in zip(missing, np.hstack(parts)):
                self._kept[text] = row
        while len(self._kept) > KEPT_VECTORS:
            self._kept.popitem(last=False)
        for text in questions:
            self._kept.move_to_end(text)
        return np.stack([self._kept[q] for q in questions])


def _nearest(cards: CardIndex, probabilities: np.ndarray) -> list[NearCard]:
    if probabilities.size == 0:
        return []
    mean = probabilities.mean(axis=0)
    return [NearCard(cards.cards[n].id, cards.cards[n].topic.fr, float(mean[n]))
            for n in np.argsort(-mean)[:NEAREST_CARDS]]


"""The answer cards ready for matching: example-question vectors, answer vectors and words.

Embedding a few hundred example questions takes seconds, so vectors are cached in the
data directory by embedding model and text; a changed card re-embeds only its new texts.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.card_classifier import SETTINGS as CLASSIFIER_SETTINGS
from knowledge.card_classifier import CardClassifier, HeldOutClassifiers
from knowledge.card_vectors import SHIPPED_VECTORS, VectorCache, shipped_vectors, unit_vector
from knowledge.cards import Card
from knowledge.character_grams import LENGTHS, SLOTS, WEIGHT, gram_vector
from knowledge.document_questions import DocumentQuestions, Nearest
from knowledge.editions import years_named
from knowledge.terms import passage_stems
from knowledge.text_folding import words

logger = logging.getLogger(__name__)
NEIGHBOURS = 10  # nearest examples that vote for their card


@dataclass(frozen=True)
class CardIndex:
    """Cards, their example vectors (one row per example) and the words of each card."""

    cards: list[Card]
    example_vectors: np.ndarray
    example_card: np.ndarray  # row -> index into `cards`
    answer_vectors: np.ndarray  # one row per card: its answer, as a passage
    stems: list[set[str]]
    paraphrases: _Paraphrases | None = None
    documents: DocumentQuestions = field(default_factory=DocumentQuestions.empty)
    classifier_cache: Path | None = None  # where to keep the classifier's weights, less its digest
    vocabulary: set[str] = field(init=False, repr=False)  # every word and stem some card uses
    example_texts: list[str] = field(init=False, repr=False)  # row -> the example's text
    example_years: list[set[str]] = field(init=False, repr=False)  # the years each example names
    editions: set[str] = field(init=False, repr=False)  # the editions the cards are about or rest on
    classifier: CardClassifier = field(init=False, repr=False)
    _dated_examples: list[tuple[int, set[str]]] = field(init=False, repr=False)
    _held_out: list[HeldOutClassifiers] = field(init=False, repr=False, default_factory=list)

    @classmethod
    def build(cls, cards: list[Card], embeddings: Embeddings, cache: Path | None,
              paraphrase_model: Embeddings | None = None, shipped: Path | None = SHIPPED_VECTORS,
              document_questions: dict[str, list[str]] | None = None,
              classifier_cache: Path | None = None) -> CardIndex:
        """Embed every card's examples and answer, and the documents' questions, reusing the cached vectors.

        `paraphrase_model`, a sentence-similarity model (multilingual USE), compares the
        question with the examples a second time: it tells paraphrases apart better than
        the retrieval model does (measured on the dev split, see the README).
        """
        examples = [(n, text) for n, card in enumerate(cards) for text in card.examples.all()]
        asked = [(name, text) for name, texts in (document_questions or {}).items() for text in texts]
        vectors = VectorCache(cache, embeddings, shipped_vectors(shipped, embeddings))
        example_vectors = vectors.questions([text for _, text in examples])
        answer_vectors = vectors.passages([card.answer.fr for card in cards])
        documents = DocumentQuestions([name for name, _ in asked], [text for _, text in asked],
                                      vectors.questions([text for _, text in asked]))
        vectors.save()
        paraphrases = None
        if paraphrase_model is not None:
            other = VectorCache(cache.with_name(cache.stem + "-paraphrase.npz") if cache else None, paraphrase_model,
                                 shipped_vectors(shipped, paraphrase_model))
            paraphrases = _Paraphrases(paraphrase_model, other.questions([text for _, text in examples]))
            documents = DocumentQuestions(documents.documents, documents.texts, documents.vectors,
                                          other.questions(documents.texts))
            other.save()
        texts = [" ".join([c.topic.fr, c.topic.en, c.topic.ar, c.answer.fr, c.answer.ar, c.answer.en,
                           *c.examples.all()]) for c in cards]
        # English questions keep their words unstemmed (see `knowledge.terms.query_terms`): both forms count.
        stems = [set(passage_stems(text)) | set(words(text)) for text in texts]
        return cls(cards, example_vectors, np.array([n for n, _ in examples], dtype=int), answer_vectors, stems,
                   paraphrases, documents, classifier_cache)

    def __post_init__(self) -> None:
        object.__setattr__(self, "vocabulary", set().union(*self.stems) if self.stems else set())
        texts = [text for card in self.cards for text in card.examples.all()]
        object.__setattr__(self, "example_texts", texts)
        object.__setattr__(self, "example_years", [years_named(text) for text in texts])
        dated = [(row, named) for row, named in enumerate(self.example_years) if named]
        object.__setattr__(self, "_dated_examples", dated)
        # Editions, not every year a card names: "2022-2028" in the envelope card or "labellisé
        # en 2020" in the list of clusters say nothing of a 2028 or 2020 call.
        object.__setattr__(self, "editions", {c.edition for c in self.cards if c.edition}.union(
            *({s.edition for s in c.sources if s.edition} for c in self.cards)))
        labels, classes = self._labels()
        path = self.classifier_cache and self.classifier_cache.with_name(
            f"{self.classifier_cache.name}-{self._digest()}.npy")
        object.__setattr__(self, "classifier", CardClassifier.load_or_fit(path, self._rows, labels, classes))

    def similarities(self, question: str, question_vector: np.ndarray, years: set[str],
                     hidden: int | None = None, hidden_document_question: int | None = None) -> CardSimilarity:
        """Return how close the question is to each card's examples and answer, and to each document's questions.

        An example naming a year the question does not name does not count: "Quelle est la
        date limite ?" is not "Quelle était la date limite en 2024 ?". The `hidden` example (or
        document question) does not count either: calibration asks each as a question of its own.
        """
        fits = np.ones(len(self.example_texts), dtype=bool)
        for row, example_years in self._dated_examples:  # most examples name no year: only these can fail
            fits[row] = example_years <= years
        if hidden is not None:
            fits[hidden] = False
        by_example = self.example_vectors @ question_vector
        paraphrase_vector = None
        if self.paraphrases is None:
            paraphrase, joined = np.zeros_like(by_example), question_vector
        else:
            paraphrase_vector = self.paraphrases.vector(question)
            paraphrase = self.paraphrases.similarities(paraphrase_vector)
            joined = np.concatenate([question_vector, paraphrase_vector])
        joined = np.concatenate([joined, gram_vector(question)])
        if hidden_document_question is not None:
            hidden = len(self.example_texts) + hidden_document_question  # its row among the classifier's
        classifier = self.classifier if hidden is None else self._held_out_classifiers().without(hidden)
        predicted = classifier.probabilities(joined)
        documents = self.documents.names
        return CardSimilarity(q2q=self._best_per_card(by_example, fits), q2p=self.answer_vectors @ question_vector,
                              paraphrase=self._best_per_card(paraphrase, fits),
                              votes=self._votes(by_example + paraphrase, fits),
                              predicted=predicted[:len(self.cards)],
                              documents=self.documents.nearest(question_vector, paraphrase_vector,
                                                               hidden_document_question),
                              document_predicted=dict(zip(documents, predicted[len(self.cards):].tolist())))

    def card_probabilities(self, question: str, joined: np.ndarray) -> np.ndarray:
        """Return the classifier's probability for each card (not the documents) of a question.

        `joined` is the question's unit vectors side by side, as `similarities` joins them.
        """
        return self.classifier.probabilities(np.concatenate([joined, gram_vector(question)]))[:len(self.cards)]

    def _labels(self) -> tuple[np.ndarray, int]:
        """Return the classifier's classes, one per row of `_rows`, and how many classes there are.

        Each card is a class, and so is each document with questions: a question is then
        weighed against the cards and the documents at once ("the 2011 contracts' targets"
        leans to the 2011 press article, not to the card on the first edition).
        """
        documents = self.documents
        labels = np.concatenate([self.example_card, len(self.cards) + documents.labels]) if documents.texts \
            else self.example_card
        return labels, len(self.cards) + (len(documents.names) if documents.texts else 0)

    def _rows(self) -> np.ndarray:
        """Return the classifier's rows: the examples' then the document questions' views side by side."""
        documents = self.documents
        views = [self.example_vectors] + ([self.paraphrases.example_vectors] if self.paraphrases else [])
        texts = list(self.example_texts)
        if documents.texts:  # `build` embeds the documents' questions with both models
            other = [documents.paraphrase_vectors] if documents.paraphrase_vectors is not None else []
            views = [np.vstack(pair) for pair in zip(views, [documents.vectors, *other], strict=True)]
            texts += documents.texts
        width = sum(view.shape[1] for view in views)
        rows = np.empty((len(texts), width + SLOTS), dtype=np.float32)  # one array: the fit's peak memory
        start = 0
        for view in views:
            rows[:, start:start + view.shape[1]] = view
            start += view.shape[1]
        for row, text in enumerate(texts):
            rows[row, width:] = gram_vector(text)
        return rows

    def _digest(self) -> str:
        """Return what the classifier's weights depend on, hashed: texts, classes and the views' settings."""
        documents = self.documents
        parts = [CLASSIFIER_SETTINGS, SLOTS, LENGTHS, WEIGHT, self.paraphrases is not None, self.example_texts,
                 self.example_card.tolist(), documents.texts, documents.labels.tolist() if documents.texts else []]
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:16]

    def _held_out_classifiers(self) -> HeldOutClassifiers:
        if not self._held_out:  # only calibration needs them: fitted on first use
            self._held_out.append(HeldOutClassifiers.fit(self._rows(), *self._labels()))
        return self._held_out[0]

    def _best_per_card(self, by_example: np.ndarray, fits: np.ndarray) -> np.ndarray:
        best = np.full(len(self.cards), -1.0)
        np.maximum.at(best, self.example_card[fits], by_example[fits])
        return best

    def _votes(self, by_example: np.ndarray, fits: np.ndarray) -> np.ndarray:
        """Return each card's share of the question's nearest examples (all cards, gaps included)."""
        votes = np.zeros(len(self.cards))
        candidates = np.flatnonzero(fits)
        nearest = candidates[np.argsort(-by_example[candidates])[:NEIGHBOURS]]
        np.add.at(votes, self.example_card[nearest], 1.0 / max(len(nearest), 1))
        return votes


@dataclass(frozen=True)
class CardSimilarity:
    """Per card: best example cosine, cosine to its answer, best paraphrase similarity, share of nearest
    examples, and the classifier's probability."""

    q2q: np.ndarray
    q2p: np.ndarray
    paraphrase: np.ndarray
    votes: np.ndarray
    predicted: np.ndarray
    documents: Nearest  # per document, its nearest question in each model (`knowledge.document_questions`)
    document_predicted: dict[str, float]  # per document with questions, the classifier's probability


class _Paraphrases:
    """The examples as seen by the paraphrase model, and its question vectors, cached."""

    def __init__(self, model: Embeddings, example_vectors: np.ndarray) -> None:
        self._model = model
        self._examples = example_vectors
        self._questions: dict[str, np.ndarray] = {}

    @property
    def example_vectors(self) -> np.ndarray:
        return self._examples

    def vector(self, question: str) -> np.ndarray:
        """Return the question's unit vector in the paraphrase model, cached."""
        vector = self._questions.get(question)
        if vector is None:
            if len(self._questions) >= 1024:
                self._questions.pop(next(iter(self._questions)))
            embedded = np.asarray(self._model.embed_query(question), dtype=np.float32)
            vector = self._questions[question] = unit_vector(embedded)
        return vector

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        similarity: np.ndarray = self._examples @ vector
        return similarity

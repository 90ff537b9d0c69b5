"""The answer cards ready for matching: example-question vectors, answer vectors and words.

Embedding a few hundred example questions takes seconds, so vectors are cached in the
data directory by embedding model and text; a changed card re-embeds only its new texts.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.card_classifier import CardClassifier, HeldOutClassifiers
from knowledge.cards import Card
from knowledge.document_questions import DocumentQuestions, Nearest
from knowledge.editions import years_named
from knowledge.embeddings import embed_queries
from knowledge.terms import passage_stems
from knowledge.text_folding import words

logger = logging.getLogger(__name__)
SHIPPED_VECTORS = Path(__file__).parent / "data" / "vectors"
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
              document_questions: dict[str, list[str]] | None = None) -> CardIndex:
        """Embed every card's examples and answer, and the documents' questions, reusing the cached vectors.

        `paraphrase_model`, a sentence-similarity model (multilingual USE), compares the
        question with the examples a second time: it tells paraphrases apart better than
        the retrieval model does (measured on the dev split, see the README).
        """
        examples = [(n, text) for n, card in enumerate(cards) for text in card.examples.all()]
        asked = [(name, text) for name, texts in (document_questions or {}).items() for text in texts]
        vectors = _VectorCache(cache, embeddings, _shipped(shipped, embeddings))
        example_vectors = vectors.questions([text for _, text in examples])
        answer_vectors = vectors.passages([card.answer.fr for card in cards])
        documents = DocumentQuestions([name for name, _ in asked], [text for _, text in asked],
                                      vectors.questions([text for _, text in asked]))
        vectors.save()
        paraphrases = None
        if paraphrase_model is not None:
            other = _VectorCache(cache.with_name(cache.stem + "-paraphrase.npz") if cache else None, paraphrase_model,
                                 _shipped(shipped, paraphrase_model))
            paraphrases = _Paraphrases(paraphrase_model, other.questions([text for _, text in examples]))
            documents = DocumentQuestions(documents.documents, documents.texts, documents.vectors,
                                          other.questions(documents.texts))
            other.save()
        texts = [" ".join([c.topic.fr, c.topic.en, c.topic.ar, c.answer.fr, c.answer.ar, c.answer.en,
                           *c.examples.all()]) for c in cards]
        # English questions keep their words unstemmed (see `knowledge.terms.query_terms`): both forms count.
        stems = [set(passage_stems(text)) | set(words(text)) for text in texts]
        return cls(cards, example_vectors, np.array([n for n, _ in examples], dtype=int), answer_vectors, stems,
                   paraphrases, documents)

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
        object.__setattr__(self, "classifier", CardClassifier.fit(*self._classes()))

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

    def card_probabilities(self, joined: np.ndarray) -> np.ndarray:
        """Return the classifier's probability for each card (not the documents) of a question's joined vector."""
        return self.classifier.probabilities(joined)[:len(self.cards)]

    def _classes(self) -> tuple[np.ndarray, np.ndarray, int]:
        """Return the classifier's rows, their classes and how many classes there are.

        Each card is a class, and so is each document with questions: a question is then
        weighed against the cards and the documents at once ("the 2011 contracts' targets"
        leans to the 2011 press article, not to the card on the first edition).
        """
        documents = self.documents
        card_rows = self.example_vectors
        document_rows = documents.vectors
        if self.paraphrases is not None:
            card_rows = np.hstack([card_rows, self.paraphrases.example_vectors])
            if documents.texts:
                assert documents.paraphrase_vectors is not None  # `build` embeds them with both models
                document_rows = np.hstack([document_rows, documents.paraphrase_vectors])
        if not documents.texts:
            return card_rows, self.example_card, len(self.cards)
        labels = np.concatenate([self.example_card, len(self.cards) + documents.labels])
        return np.vstack([card_rows, document_rows]), labels, len(self.cards) + len(documents.names)

    def _held_out_classifiers(self) -> HeldOutClassifiers:
        if not self._held_out:  # only calibration needs them: fitted on first use
            self._held_out.append(HeldOutClassifiers.fit(*self._classes()))
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
            vector = self._questions[question] = _unit(np.asarray(self._model.embed_query(question), dtype=np.float32))
        return vector

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        similarity: np.ndarray = self._examples @ vector
        return similarity


def _shipped(folder: Path | None, model: Embeddings) -> Path | None:
    return folder / f"{getattr(model, 'name', type(model).__name__)}.npz" if folder else None


class _VectorCache:
    """Vectors by (kind, text) digest in one `.npz` file per embedding model.

    The package ships the built-in cards' vectors (`knowledge/data/vectors/`, written by
    `scripts/ship_card_vectors.py`), so a new data directory answers at once; the data
    directory's own file holds what staff cards added.
    """

    def __init__(self, path: Path | None, embeddings: Embeddings, shipped: Path | None = None) -> None:
        self._path = path
        self._embeddings = embeddings
        self._known: dict[str, np.ndarray] = {}
        self._dirty = False
        for source in (shipped, path):
            if source is not None and source.exists():
                self._known.update(_read(source))

    def questions(self, texts: list[str]) -> np.ndarray:
        return self._get("q", texts, lambda missing: embed_queries(self._embeddings, missing))

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._get("p", texts, lambda missing: np.asarray(self._embeddings.embed_documents(missing)))

    def _get(self, kind: str, texts: list[str], embed: object) -> np.ndarray:
        keys = [hashlib.sha256(f"{kind}\0{text}".encode()).hexdigest()[:24] for text in texts]
        missing = sorted({(k, t) for k, t in zip(keys, texts) if k not in self._known})
        if missing:
            logger.info("embedding %d new card texts", len(missing))
            fresh = embed([t for _, t in missing])  # type: ignore[operator]
            self._known.update({k: _unit(np.asarray(v, dtype=np.float32)) for (k, _), v in zip(missing, fresh)})
            self._dirty = True
        if not keys:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._known[k] for k in keys])

    def save(self) -> None:
        """Write the cache; two processes reloading at once each write their own partial file first."""
        if self._path is None or not self._dirty:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        # A partial name of its own: with a shared one, a second writer renamed the first's file
        # away and the first failed its question (the bot and the workspace reload together).
        partial = self._path.with_name(f".{self._path.stem}.{secrets.token_hex(6)}.partial.npz")
        try:
            np.savez(partial, keys=np.array(list(self._known)), vectors=np.stack(list(self._known.values())))
            partial.replace(self._path)  # readers see the old file or the new one, never half of one
        except OSError as error:  # only a cache: the vectors stay in memory
            logger.warning("cannot keep the card vectors in %s: %s", self._path, error)
            partial.unlink(missing_ok=True)


def _read(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path) as stored:
            return dict(zip(stored["keys"].tolist(), stored["vectors"]))
    except (OSError, ValueError, KeyError) as error:  # a torn or foreign file: embed again
        logger.warning("ignoring the card vector cache %s: %s", path, error)
        return {}


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector

"""Hybrid retrieval: BM25 over French stems and a multilingual dense model, fused by rank."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

import bm25s
import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.embeddings import embed_queries
from knowledge.language import detect_language
from knowledge.retriever_modes import RetrieverMode
from knowledge.store import Passage, PassageStore, all_passages, dense_scores
from knowledge.terms import QueryTerm, passage_stems, query_terms

logger = logging.getLogger(__name__)
RRF_K = 20
_YEAR = re.compile(r"(?:19|20)\d\d")
_INTERROGATIVES = frozenset({"quand", "combien", "when", "where", "متي", "كم", "اين"})
DENSE_DEPTH = 30
PHRASE_BONUS = 0.01
QUERY_CACHE_SIZE = 1024
UNKNOWN_WORD_RARITY = 10.0


@dataclass(frozen=True)
class Hit:
    """A passage with the evidence that ranked it."""

    passage: Passage
    score: float
    lexical: float
    dense: float
    coverage: float


class PassageRetriever:
    """Rank indexed passages for a question; built once, reloaded when the index changes."""

    def __init__(self, store: PassageStore, embeddings: Embeddings, mode: RetrieverMode = "hybrid") -> None:
        self.store = store
        self.embeddings = embeddings
        self.mode = mode
        self._vectors: dict[str, list[float]] = {}
        self.reload()

    def reload(self) -> None:
        """Read every passage from the store and rebuild the lexical index.

        The new index is built aside and swapped in with one assignment, so a search
        running in another thread sees either the old index or the new one, never a mix.
        """
        self._index = _LexicalIndex.build(all_passages(self.store))
        logger.info("retriever loaded %d passages", len(self._index.passages))

    @property
    def passages(self) -> list[Passage]:
        """Return the passages of the current index."""
        return self._index.passages

    @property
    def editions(self) -> set[str]:
        """Return the editions the passages belong to."""
        return {p.edition for p in self._index.passages if p.edition}

    @property
    def vocabulary(self) -> set[str]:
        """Return every stem some passage uses."""
        return self._index.vocabulary

    def search(self, question: str, k: int = 8) -> list[Hit]:
        """Return the `k` best passages for a question, best first."""
        index = self._index  # one snapshot for the whole search
        if not index.passages:
            return []
        terms = query_terms(question, stem_unknown=detect_language(question) != "en")
        size = len(index.passages)
        lexical = index.lexical(terms) if self.mode != "dense" else np.zeros(size)
        dense = self._dense(question, index) if self.mode != "bm25" else np.zeros(size)
        fused = self._fuse(terms, lexical, dense, index)
        order = np.argsort(-fused, kind="stable")[:k]
        return [Hit(index.passages[i], float(fused[i]), float(lexical[i]), float(dense[i]),
                    index.coverage(terms, int(i))) for i in order if fused[i] > 0]

    def query_vector(self, question: str) -> list[float]:
        """Return the question's embedding (cached: applicants ask the same questions again)."""
        return self.query_vectors([question])[0]

    def query_vectors(self, questions: list[str]) -> list[list[float]]:
        """Return the embeddings of several questions, the ones not cached embedded in one batch.

        e5 embeds a batch one text per core, so the parts of a message cost about one pass
        instead of one each; its vectors are the same as one at a time.
        """
        # Applicants ask the same few questions again and again; the model is the slow part.
        found = {q: self._vectors[q] for q in questions if q in self._vectors}
        missing = [q for q in dict.fromkeys(questions) if q not in found]
        if missing:
            for question, vector in zip(missing, embed_queries(self.embeddings, missing).tolist()):
                if len(self._vectors) >= QUERY_CACHE_SIZE:
                    self._vectors.pop(next(iter(self._vectors)))
                found[question] = self._vectors[question] = vector
        return [found[q] for q in questions]

    def _dense(self, question: str, index: _LexicalIndex) -> np.ndarray:
        vector = self.query_vector(question)
        scores = np.zeros(len(index.passages))
        for doc_id, similarity in dense_scores(self.store, vector, min(DENSE_DEPTH, len(index.passages))).items():
            if doc_id in index.by_id:
                scores[index.by_id[doc_id]] = max(similarity, 1e-6)
        return scores

    def _fuse(self, terms: list[QueryTerm], lexical: np.ndarray, dense: np.ndarray,
              index: _LexicalIndex) -> np.ndarray:
        # BM25's order over passages it cannot score is arbitrary, so only scored passages
        # take part; its weight is the share of the question's words the corpus knows,
        # which keeps it from drowning the dense ranking on English or Arabic questions.
        known = sum(bool(t.stems & index.vocabulary) for t in terms) / len(terms) if terms else 0.0
        weight = {"hybrid": max(known, 0.15), "bm25": 1.0, "dense": 0.0}[self.mode]
        fused = weight * _rrf(lexical) + (0.0 if self.mode == "bm25" else 1.0) * _rrf(dense)
        if self.mode != "dense":
            # Question words found side by side ("nouveaux clusters") mark the passage about them.
            phrases = np.array([index.phrase_matches(terms, i) for i in range(len(index.passages))])
            fused = fused + PHRASE_BONUS * phrases * (fused > 0)
        return fused


def _rrf(scores: np.ndarray) -> np.ndarray:
    """Return reciprocal-rank scores for positive entries, zero elsewhere."""
    out = np.zeros_like(scores, dtype=float)
    positive = np.flatnonzero(scores > 0)
    ranked = positive[np.argsort(-scores[positive], kind="stable")]
    out[ranked] = 1.0 / (RRF_K + np.arange(1, len(ranked) + 1))
    return out


@dataclass(frozen=True)
class _LexicalIndex:
    """Everything the lexical side knows about one set of passages, built at once."""

    passages: list[Passage]
    stems: list[set[str]]
    bigrams: list[set[tuple[str, str]]]
    by_id: dict[str, int]
    idf: dict[str, float]
    vocabulary: set[str]
    bm25: bm25s.BM25

    @classmethod
    def build(cls, passages: list[Passage]) -> _LexicalIndex:
        """Index passages: stems, bigrams, IDF and BM25."""
        sequences = [passage_stems(p.text) for p in passages]
        # Coverage also counts the words of the title and section heading: "Axes
        # d'evaluation" is what the bullets under it are about.
        stems = [set(seq) | set(passage_stems(f"{p.title} {p.section}")) for seq, p in zip(sequences, passages)]
        frequency = Counter(s for found in stems for s in found)
        bm25 = bm25s.BM25()
        if passages:
            bm25.index([seq or ["_"] for seq in sequences], show_progress=False)
        return cls(passages, stems, [set(pairwise(seq)) for seq in sequences],
                   {p.id: i for i, p in enumerate(passages)},
                   {s: math.log(1 + len(passages) / (df + 0.5)) for s, df in frequency.items()},
                   set(frequency), bm25)

    def weight(self, term: QueryTerm) -> float:
        """Return a question word's rarity; a word no passage uses weighs like a fairly rare one."""
        known = [self.idf[s] for s in term.stems if s in self.idf]
        # A word no passage uses may be a filler ("deja", "renseignements") or the topic of
        # a question the texts cannot answer ("meteo"): it weighs like a fairly rare word.
        return max(known) if known else math.log(1 + UNKNOWN_WORD_RARITY)

    def coverage(self, terms: list[QueryTerm], index: int) -> float:
        """Return the IDF-weighted share of the question's words that passage `index` holds.

        A year only picks the edition (see `knowledge.candidates`) and "quand" only asks for a
        date (see `knowledge.intents`): alone they support nothing.
        """
        terms = [t for t in terms if not _YEAR.fullmatch(t.word) and t.word not in _INTERROGATIVES]
        total = sum(self.weight(t) for t in terms)
        found = sum(self.weight(t) for t in terms if t.stems & self.stems[index])
        return found / total if total else 0.0

    def phrase_matches(self, terms: list[QueryTerm], index: int) -> int:
        """Return how many adjacent pairs of question words stand side by side in the passage."""
        pairs = self.bigrams[index]
        return sum(any((a, b) in pairs for a in first.stems for b in second.stems)
                   for first, second in pairwise(terms))

    def lexical(self, terms: list[QueryTerm]) -> np.ndarray:
        """Return BM25 scores of every passage for the question's known stems."""
        query = sorted({s for t in terms for s in t.stems if s in self.vocabulary})
        if not query:
            return np.zeros(len(self.passages))
        return np.asarray(self.bm25.get_scores(query), dtype=float)

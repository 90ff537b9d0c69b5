"""The card texts' vectors, cached by embedding model and text, and the ones the package ships."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.embeddings import embed_queries
from knowledge.kept_files import keep_whole

logger = logging.getLogger(__name__)
SHIPPED_VECTORS = Path(__file__).parent / "data" / "vectors"


def shipped_vectors(folder: Path | None, model: Embeddings) -> Path | None:
    """Return the file of `folder` that holds the shipped vectors of `model`."""
    return folder / f"{getattr(model, 'name', type(model).__name__)}.npz" if folder else None


class VectorCache:
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
            self._known.update({k: unit_vector(np.asarray(v, dtype=np.float32)) for (k, _), v in zip(missing, fresh)})
            self._dirty = True
        if not keys:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._known[k] for k in keys])

    def save(self) -> None:
        """Write the cache; two processes reloading at once each write their own partial file first."""
        if self._path is None or not self._dirty:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        keep_whole(self._path, self._write, "card vectors")

    def _write(self, path: Path) -> None:
        np.savez(path, keys=np.array(list(self._known)), vectors=np.stack(list(self._known.values())))


def _read(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path) as stored:
            return dict(zip(stored["keys"].tolist(), stored["vectors"]))
    except (OSError, ValueError, KeyError) as error:  # a torn or foreign file: embed again
        logger.warning("ignoring the card vector cache %s: %s", path, error)
        return {}


def unit_vector(vector: np.ndarray) -> np.ndarray:
    """Return the vector scaled to length 1 (a zero vector stays zero)."""
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector

"""The knowledge base of one data directory: its store, its retriever and its built-in pack."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from chromadb.api.shared_system_client import SharedSystemClient
from langchain_core.embeddings import Embeddings

from knowledge.ingest import IngestReport, ingest_file, ingest_paths, remove_source, writer_lock
from knowledge.loading import file_digest
from knowledge.retrieval import PassageRetriever, RetrieverMode
from knowledge.store import open_store

logger = logging.getLogger(__name__)
PACK_PREFIX = "pack:"


class KnowledgeBase:
    """Everything indexed under one data directory (or on one Chroma server)."""

    def __init__(self, data_dir: Path, embeddings: Embeddings, chroma_url: str | None = None,
                 mode: RetrieverMode = "hybrid") -> None:
        self.data_dir = data_dir
        self._embeddings = embeddings
        self._chroma_url = chroma_url
        self.store = open_store(embeddings, None if chroma_url else data_dir / "chroma", chroma_url)
        self.retriever = PassageRetriever(self.store, embeddings, mode)
        self._generation = self._read_generation()
        self._reloading = threading.Lock()

    def _read_generation(self) -> str:
        marker = self.data_dir / "index-generation"
        return marker.read_text() if marker.exists() else ""

    def refresh(self) -> None:
        """Reload the passages if another process changed the index since they were read."""
        generation = self._read_generation()
        if generation == self._generation:
            return
        with self._reloading:  # several threads may notice the change; one reloads
            if generation == self._generation:
                return
            logger.info("index changed on disk; reloading passages")
            if not self._chroma_url:
                # An embedded Chroma client caches segment readers that another process's
                # writes make stale; only a new client sees them.
                SharedSystemClient.clear_system_cache()
                self.store = open_store(self._embeddings, self.data_dir / "chroma", None)
                self.retriever.store = self.store
            self.retriever.reload()
            self._generation = generation

    def ingest(self, paths: list[Path], edition: str | None = None,
               on_file: Callable[[Path], None] = lambda _: None) -> IngestReport:
        """Index files and folders, one writer at a time across processes."""
        with writer_lock(self.data_dir):
            report = ingest_paths(self.store, paths, edition, on_file)
        self._after_write()
        return report

    def remove(self, path: str) -> int:
        """Drop one document from the index; return how many passages went."""
        with writer_lock(self.data_dir):
            removed = remove_source(self.store, path)
        self._after_write()
        return removed

    def ensure_pack(self) -> int:
        """Index this version of the built-in pack once per data directory; return files indexed.

        A marker holds the pack's digest, so a document staff removed stays removed until
        a new version of the pack ships.
        """
        marker = self.data_dir / "pack-digest"
        digest = pack_digest()
        if marker.exists() and marker.read_text() == digest:
            return 0
        with writer_lock(self.data_dir):
            changed = [ingest_file(self.store, path, source=PACK_PREFIX + name)[0] for name, path in pack_files()]
            marker.write_text(digest)
        self._after_write()
        logger.info("knowledge pack: %d documents indexed", sum(changed))
        return sum(changed)

    def _after_write(self) -> None:
        self._generation = self._read_generation()
        self.retriever.reload()


def pack_digest() -> str:
    """Return a digest of the whole pack, to tell one version of it from another."""
    digests = hashlib.sha256()
    for name, path in pack_files():
        digests.update(name.encode() + b"\0" + file_digest(path).encode())
    return digests.hexdigest()


def pack_files() -> list[tuple[str, Path]]:
    """Return the knowledge pack's documents as (name, path), in a stable order."""
    folder = resources.files("knowledge").joinpath("pack")
    return sorted((entry.name, Path(str(entry))) for entry in folder.iterdir()
                  if entry.name.endswith(".md") and entry.name != "README.md")

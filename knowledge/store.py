"""The Chroma collection of passages: embedded on disk by default, or a Chroma server."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

logger = logging.getLogger(__name__)
COLLECTION = "call_texts"


class IndexMismatch(Exception):
    """The index was built with another embedding model; its vectors cannot be compared."""


@dataclass(frozen=True)
class Passage:
    """One indexed passage and where it comes from."""

    id: str
    text: str
    source: str
    title: str
    edition: str | None
    position: str | None
    confirmed: bool = True
    section: str = ""


def open_store(embeddings: Embeddings, persist_dir: Path | None, server_url: str | None) -> Chroma:
    """Open the passage collection on disk, or on a `chroma run` server when a URL is given."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if server_url:
        url = urlparse(server_url)
        client = chromadb.HttpClient(
            host=url.hostname or "127.0.0.1", port=url.port or 8000, ssl=url.scheme == "https",
            settings=settings,
        )
    else:
        assert persist_dir is not None, "an embedded store needs a directory"
        persist_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(persist_dir), settings=settings)
    backend = str(getattr(embeddings, "name", type(embeddings).__name__))
    store = Chroma(
        collection_name=COLLECTION,
        embedding_function=embeddings,
        client=client,
        collection_metadata={"hnsw:space": "cosine", "embedding": backend},
    )
    built_with = (store._collection.metadata or {}).get("embedding", backend)
    if built_with != backend:
        raise IndexMismatch(
            f"this index was built with the {built_with!r} embedding backend, not {backend!r}: set "
            f"CLUSTER_ASSISTANT_EMBEDDING_BACKEND={built_with} or use a new data directory"
        )
    return store


def passage_from(doc_id: str, text: str, metadata: dict[str, Any]) -> Passage:
    """Build a `Passage` from what Chroma stores."""
    return Passage(
        id=doc_id,
        text=text,
        source=str(metadata.get("source", "")),
        title=str(metadata.get("title", "")),
        edition=str(metadata["edition"]) if metadata.get("edition") else None,
        position=str(metadata["position"]) if metadata.get("position") else None,
        confirmed=str(metadata.get("confirmed", "true")).lower() != "false",
        section=str(metadata.get("section", "")),
    )


def all_passages(store: Chroma) -> list[Passage]:
    """Return every stored passage, in a stable order."""
    got = store.get(include=["documents", "metadatas"])
    passages = [passage_from(i, t, m or {}) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])]
    return sorted(passages, key=lambda p: (p.source, int(p.id.split(":")[-1]) if ":" in p.id else 0))


def dense_scores(store: Chroma, query_vector: list[float], k: int) -> dict[str, float]:
    """Return cosine similarities of the `k` nearest passages (k at most the stored count), by id."""
    if k <= 0:
        return {}
    hits = store.similarity_search_by_vector_with_relevance_scores(query_vector, k=k)
    return {doc.id: 1.0 - float(distance) for doc, distance in hits if doc.id}


def documents_of(store: Chroma, source: str) -> dict[str, Any]:
    """Return the stored ids and metadata of one source."""
    return store.get(where={"source": source}, include=["metadatas"])


def replace_source(store: Chroma, source: str, chunks: list[Document]) -> None:
    """Swap a source's passages for new ones; ids are `<digest>:<n>` so they never collide."""
    old = documents_of(store, source)["ids"]
    digest = hashlib.sha256(f"{source}\0{chunks[0].metadata['sha256']}".encode()).hexdigest()[:16] if chunks else ""
    ids = [f"{digest}:{n}" for n in range(len(chunks))]
    if chunks:
        store.add_documents(chunks, ids=ids)
    stale = [i for i in old if i not in set(ids)]
    if stale:
        store.delete(ids=stale)
    logger.info("source %s: %d passages stored, %d removed", source, len(chunks), len(stale))

"""The Chroma collection of passages: embedded on disk by default, or a Chroma server."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import chromadb
import httpx
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from langchain_chroma import Chroma

logger = logging.getLogger(__name__)
COLLECTION = "call_texts"
# A one-entry collection beside the passages: the generation every process compares with its own.
STATE_COLLECTION = "cluster_assistant_state"


class IndexUnavailable(Exception):
    """The Chroma server cannot be reached for now: questions wait, the rest of the assistant goes on."""


@contextmanager
def _server_reached() -> Iterator[None]:
    """Turn a Chroma server that cannot be reached into IndexUnavailable."""
    try:
        yield
    except httpx.HTTPError as error:
        raise IndexUnavailable(f"the Chroma server cannot be reached ({type(error).__name__})") from error


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

    @property
    def document(self) -> str:
        """Return its source's file name: how document questions and `doc:` gold answers name it."""
        return Path(self.source).name


@dataclass
class PassageStore:
    """The passage collection: read through chromadb itself, written through langchain's `Chroma`.

    Answering only reads; langchain's vector store (with langsmith's tracing behind it) took
    about 0.4 s of a cold `ask` to import, so it is built on the first write only.
    """

    client: ClientAPI
    collection: Collection
    embeddings: Embeddings
    metadata: dict[str, Any]
    _writer: Chroma | None = field(default=None, repr=False)
    _state: Collection | None = field(default=None, repr=False)

    def state(self) -> Collection:
        """Return the one-entry collection holding the published generation (opened once)."""
        if self._state is None:
            self._state = self.client.get_or_create_collection(STATE_COLLECTION, embedding_function=None)
        return self._state

    def writer(self) -> Chroma:
        """Return langchain's vector store over the same collection (it embeds what it adds)."""
        if self._writer is None:
            from langchain_chroma import Chroma  # imported here: see the class's docstring

            self._writer = Chroma(collection_name=COLLECTION, embedding_function=self.embeddings, client=self.client,
                                  collection_metadata=self.metadata)
        return self._writer


def open_store(embeddings: Embeddings, persist_dir: Path | None, server_url: str | None) -> PassageStore:
    """Open the passage collection on disk, or on a `chroma run` server when a URL is given."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    client: ClientAPI
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
    metadata = {"hnsw:space": "cosine", "embedding": backend}
    # As langchain's `Chroma` opens it: no embedding function of Chroma's own (its default one
    # downloads a model), and the metadata of an existing collection is left as it was.
    collection = client.get_or_create_collection(name=COLLECTION, embedding_function=None, metadata=metadata)
    built_with = (collection.metadata or {}).get("embedding", backend)
    if built_with != backend:
        raise IndexMismatch(
            f"this index was built with the {built_with!r} embedding backend, not {backend!r}: set "
            f"CLUSTER_ASSISTANT_EMBEDDING_BACKEND={built_with} or use a new data directory"
        )
    return PassageStore(client, collection, embeddings, metadata)


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


def all_passages(store: PassageStore) -> list[Passage]:
    """Return every stored passage, in a stable order."""
    got = store.collection.get(include=["documents", "metadatas"])
    documents, metadatas = got["documents"] or [], got["metadatas"] or []
    passages = [passage_from(i, t, dict(m or {})) for i, t, m in zip(got["ids"], documents, metadatas)]
    return sorted(passages, key=lambda p: (p.source, int(p.id.split(":")[-1]) if ":" in p.id else 0))


def dense_scores(store: PassageStore, query_vector: list[float], k: int) -> dict[str, float]:
    """Return cosine similarities of the `k` nearest passages (k at most the stored count), by id."""
    if k <= 0:
        return {}
    # Ids and distances only: the retriever holds the passages, and reading their texts and
    # metadata back cost about 2 ms a question.
    query: list[Sequence[float] | Sequence[int]] = [query_vector]
    with _server_reached():
        hits = store.collection.query(query_embeddings=query, n_results=k, include=["distances"])
    distances = hits["distances"] or [[]]
    return {doc_id: 1.0 - float(distance) for doc_id, distance in zip(hits["ids"][0], distances[0])}


def documents_of(store: PassageStore, source: str) -> dict[str, Any]:
    """Return the stored ids and metadata of one source."""
    return dict(store.collection.get(where={"source": source}, include=["metadatas"]))


def replace_source(store: PassageStore, source: str, chunks: list[Document]) -> None:
    """Swap a source's passages for new ones; ids are `<digest>:<n>` so they never collide."""
    old = documents_of(store, source)["ids"]
    digest = hashlib.sha256(f"{source}\0{chunks[0].metadata['sha256']}".encode()).hexdigest()[:16] if chunks else ""
    ids = [f"{digest}:{n}" for n in range(len(chunks))]
    if chunks:
        store.writer().add_documents(chunks, ids=ids)
    stale = [i for i in old if i not in set(ids)]
    if stale:
        store.collection.delete(ids=stale)
    logger.info("source %s: %d passages stored, %d removed", source, len(chunks), len(stale))


def published_generation(store: PassageStore) -> str:
    """Return the generation the last writer published on the store (a Chroma server every host shares).

    Raises:
        IndexUnavailable: the server cannot be reached.
    """
    with _server_reached():
        found = store.state().get(ids=["generation"], include=["metadatas"])
    metadatas = found["metadatas"] or []
    return str(metadatas[0].get("value", "")) if metadatas and metadatas[0] else ""


def publish_generation(store: PassageStore, generation: str) -> None:
    """Publish a new generation after a write, for every process on every host to reload."""
    vector: list[Sequence[float] | Sequence[int]] = [[1.0]]
    store.state().upsert(ids=["generation"], embeddings=vector, metadatas=[{"value": generation}])

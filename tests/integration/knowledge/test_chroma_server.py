"""The knowledge base on a `chroma run` server: what several processes share in scale-out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from chroma_server import ChromaServer

from knowledge.base import KnowledgeBase
from knowledge.embeddings import HashingEmbeddings
from tests.integration.knowledge.factories import write_text


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma"))
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def test_two_processes_share_one_index_through_the_server(chroma_url: str, tmp_path: Path) -> None:
    writer = KnowledgeBase(tmp_path / "worker-a", HashingEmbeddings(), {"2023", "2024", "2025"}, chroma_url=chroma_url)
    reader = KnowledgeBase(tmp_path / "worker-b", HashingEmbeddings(), {"2023", "2024", "2025"}, chroma_url=chroma_url)
    path = write_text(tmp_path, "call.txt", "Les porteurs ont jusqu'au 25 octobre à 15h, pour l'année 2024.")
    assert writer.ingest([path]).indexed == [str(path)]
    reader.retriever.reload()
    assert {p.source for p in reader.retriever.passages} == {str(path.resolve())}
    assert reader.retriever.search("25 octobre")[0].passage.edition == "2024"
    assert writer.ingest([path]).unchanged == [str(path)]
    assert writer.remove(str(path)) > 0

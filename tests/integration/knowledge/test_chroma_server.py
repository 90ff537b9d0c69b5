"""The knowledge base on a `chroma run` server: what several processes share in scale-out."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from knowledge.base import KnowledgeBase
from knowledge.embeddings import HashingEmbeddings
from tests.integration.knowledge.factories import write_text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = _free_port()
    server = subprocess.Popen([chroma, "run", "--path", str(tmp_path_factory.mktemp("chroma")),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):  # bounded wait for the server to listen
            try:
                httpx.get(f"{url}/api/v2/heartbeat", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.skip("the chroma server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


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

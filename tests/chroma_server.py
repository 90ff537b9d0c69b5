"""A `chroma run` server for the tests that need one (a pytest plugin, see tests/conftest.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from postgres_server import free_port


@dataclass
class ChromaServer:
    """A Chroma server process on a fixed port and folder, which a test may stop and start again."""

    path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Return the server's address."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the server and wait until it answers its heartbeat (skip the test if it never does)."""
        chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
        self.process = subprocess.Popen([chroma, "run", "--path", str(self.path), "--host", "127.0.0.1",
                                         "--port", str(self.port)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        for _ in range(300):  # bounded wait for the server to listen
            try:
                httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        pytest.skip("the chroma server did not start")

    def stop(self) -> None:
        """Stop the server (its data stays in its folder)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """Return a running Chroma server of the test's own, stopped after it."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma"))
    server.start()
    try:
        yield server
    finally:
        server.stop()

"""The blocking `serve()` for the CLI: its own process, loopback only, the token never logged."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import pytest

from botapi.runner import serve

TOKEN = "987654321:serve-test-token"


def free_port() -> int:
    """Return a port free on loopback right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(base_url: str, deadline_seconds: float = 15.0) -> None:
    """Poll the health route until the server answers (bounded)."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/_emulator/health", timeout=1.0, trust_env=False).is_success:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError("the emulator process did not come up")


def test_serve_runs_in_its_own_process_and_never_logs_the_token() -> None:
    port = free_port()
    code = (
        "import logging; logging.basicConfig(level=logging.DEBUG);"
        "from botapi.runner import serve;"
        f"serve('127.0.0.1', {port}, {TOKEN!r}, log_level='debug')"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base_url)
        me = httpx.post(f"{base_url}/bot{TOKEN}/getMe", trust_env=False).json()
        wrong = httpx.post(f"{base_url}/botnope/getMe", trust_env=False)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=15)

    assert me["result"]["id"] == 987654321
    assert wrong.status_code == 401
    assert "getMe" in output and TOKEN not in output and "serve-test-token" not in output


def test_serve_refuses_to_listen_beyond_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        serve("0.0.0.0", 8081, TOKEN)

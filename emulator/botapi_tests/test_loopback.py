"""The emulator's one loopback rule: where it serves, whom it answers, where it delivers webhooks."""

from __future__ import annotations

import pytest

from botapi.loopback import is_loopback


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("localhost", True), ("LOCALHOST", True), ("::1", True),
    ("[::1]", True), ("0.0.0.0", False), ("192.168.1.5", False), ("evil.example", False),
    ("localhost.evil.example", False), ("", False),
])
def test_only_this_machine_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback

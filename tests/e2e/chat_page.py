"""Driving the sandbox's chat page in Chromium as an applicant, and starting the project's servers.

Shared by the sandbox test and the workspace's browser test.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
NAVIGATION = {"◀ Retour", "↺ Recommencer", "Passer"}
# A browser test module sets `pytestmark = BROWSER` and imports Playwright with importorskip.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_command(arguments: list[str], data_dir: Path, log_name: str, ready: Callable[[], bool],
                  env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start `cluster-assistant ARGUMENTS` as a user would and wait until `ready()` (bounded)."""
    log = (data_dir / log_name).open("w")
    process = subprocess.Popen([sys.executable, "-m", "bot", *arguments, "--data-dir", str(data_dir)],
                               stdout=log, stderr=subprocess.STDOUT, text=True, env=env or os.environ.copy())
    for _ in range(1200):  # the first start indexes the knowledge pack and loads the models
        try:
            if ready():
                return process
        except Exception:
            pass
        if process.poll() is not None:
            pytest.fail(f"{arguments[0]} exited: {(data_dir / log_name).read_text()}")
        time.sleep(0.1)
    process.terminate()
    pytest.fail(f"{arguments[0]} did not start: {(data_dir / log_name).read_text()}")


def stop_command(process: subprocess.Popen[str], data_dir: Path, log_name: str) -> None:
    """Stop a started command; it must exit cleanly and log no traceback.

    Uvicorn shuts down gracefully on SIGTERM, then re-raises the signal so that the process
    ends as signalled (what service managers expect): -SIGTERM is a clean stop too.
    """
    process.terminate()
    assert process.wait(timeout=20) in (0, -signal.SIGTERM), (data_dir / log_name).read_text()
    assert "Traceback" not in (data_dir / log_name).read_text()


def send(page: object, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")


def bot_bubbles(page: object) -> object:
    return page.locator(".bubble.bot")


def wait_for_bot_text(page: object, pattern: str) -> str:
    bubble = bot_bubbles(page).filter(has_text=re.compile(pattern)).last
    bubble.wait_for()
    return bubble.inner_text()


def answer_current_question(page: object, bubble: object) -> None:
    buttons = [b for b in bubble.locator(".keyboard button").all_inner_texts() if b not in NAVIGATION]
    if "Terminé ✓" in buttons:
        bubble.locator(".keyboard button").nth(0).click()
        page.locator(".bubble.bot").last.locator(".keyboard button", has_text="☑").first.wait_for()
        page.locator(".bubble.bot").last.locator(".keyboard button", has_text="Terminé ✓").click()
    elif buttons:
        bubble.locator(".keyboard button").nth(0).click()
    else:
        send(page, "20")


def run_check(page: object) -> str:
    """Answer every question with the first choice (or 20) until the verdict shows."""
    send(page, "/eligibilite")
    for _ in range(1, 25):
        bubble = bot_bubbles(page).filter(has_text=re.compile(r"Question \d+ / \d+|Résultat")).last
        bubble.wait_for()
        text = bubble.inner_text()
        if "Résultat" in text:
            return text
        answer_current_question(page, bubble)
        # The next screen is a new progress line (or the verdict): a ticked box is not one.
        page.wait_for_function(
            "([before]) => { const step = /Question \\d+ \\/ \\d+|Résultat/;"
            " const b = [...document.querySelectorAll('.bubble.bot')].filter(e => step.test(e.innerText)).pop();"
            " return b && b.innerText.split('\\n')[0] !== before; }", arg=[text.split("\n")[0]])
    raise AssertionError("the check never reached a verdict")

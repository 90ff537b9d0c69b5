"""The sandbox as a person uses it: the real bot, in Debian's Chromium, through the chat page."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"),
]
NAVIGATION = {"◀ Retour", "↺ Recommencer", "Passer"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def sandbox_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `cluster-assistant sandbox` as a user would, and stop it at the end."""
    port = _free_port()
    data_dir = tmp_path_factory.mktemp("sandbox-data")
    log = (data_dir / "sandbox.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "sandbox", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ.copy(),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # bounded wait: the first start indexes the knowledge pack
            try:
                if httpx.get(f"{url}/_emulator/bot", timeout=1).json()["commands"]:
                    break
            except (httpx.HTTPError, ValueError, KeyError):
                pass
            if process.poll() is not None:
                pytest.fail(f"the sandbox exited: {(data_dir / 'sandbox.log').read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        assert process.wait(timeout=20) == 0, (data_dir / "sandbox.log").read_text()
        log.close()
        assert "Traceback" not in (data_dir / "sandbox.log").read_text()


@pytest.fixture
def page(sandbox_url: str) -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        page = browser.new_page(locale="fr-FR")
        page.set_default_timeout(20_000)
        page.goto(sandbox_url)
        yield page
        browser.close()


def _send(page: object, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")


def _bot_bubbles(page: object) -> object:
    return page.locator(".bubble.bot")


def _wait_for_bot_text(page: object, pattern: str) -> str:
    bubble = _bot_bubbles(page).filter(has_text=re.compile(pattern)).last
    bubble.wait_for()
    return bubble.inner_text()


def _answer_current_question(page: object, bubble: object) -> None:
    buttons = [b for b in bubble.locator(".keyboard button").all_inner_texts() if b not in NAVIGATION]
    if "Terminé ✓" in buttons:
        bubble.locator(".keyboard button").nth(0).click()
        page.locator(".bubble.bot").last.locator(".keyboard button", has_text="☑").first.wait_for()
        page.locator(".bubble.bot").last.locator(".keyboard button", has_text="Terminé ✓").click()
    elif buttons:
        bubble.locator(".keyboard button").nth(0).click()
    else:
        _send(page, "20")


def _run_check(page: object) -> str:
    """Answer every question with the first choice (or 20) until the verdict shows."""
    _send(page, "/eligibilite")
    for _ in range(1, 25):
        bubble = _bot_bubbles(page).filter(has_text=re.compile(r"Question \d+ / \d+|Résultat")).last
        bubble.wait_for()
        text = bubble.inner_text()
        if "Résultat" in text:
            return text
        _answer_current_question(page, bubble)
        # The next screen is a new progress line (or the verdict): a ticked box is not one.
        page.wait_for_function(
            "([before]) => { const step = /Question \\d+ \\/ \\d+|Résultat/;"
            " const b = [...document.querySelectorAll('.bubble.bot')].filter(e => step.test(e.innerText)).pop();"
            " return b && b.innerText.split('\\n')[0] !== before; }", arg=[text.split("\n")[0]])
    raise AssertionError("the check never reached a verdict")


def test_a_new_user_checks_eligibility_asks_fills_the_dossier_and_deletes_everything(
        page: object, tmp_path: Path) -> None:
    _send(page, "/start")
    page.locator(".keyboard button", has_text="J'accepte").last.click()

    verdict = _run_check(page)
    assert re.search(r"Résultat : .+", verdict)

    _send(page, "Quelle est la date limite ?")
    assert "Source :" in _wait_for_bot_text(page, r"24 juillet 2025")
    _send(page, "ما هو رقم الهاتف للحصول على المعلومات؟")
    # the only bubble in Arabic is the reply to the Arabic question
    assert "05 37 73 93 46" in _wait_for_bot_text(page, r"[\u0600-\u06ff]{4}")

    statutes = tmp_path / "statuts.pdf"
    statutes.write_bytes(b"%PDF-1.4\n% statuts de l'association\n")
    page.set_input_files("#file", str(statutes))
    picker = _bot_bubbles(page).filter(has_text="À quelle pièce").last
    picker.wait_for()
    picker.locator(".keyboard button").first.click()
    assert "statuts.pdf" in _wait_for_bot_text(page, r"est joint à")

    _send(page, "/supprimer")
    _bot_bubbles(page).filter(has_text="Supprimer toutes vos données").last.locator(
        ".keyboard button", has_text="tout supprimer").click()
    deleted = _wait_for_bot_text(page, r"Toutes vos données ont été supprimées")
    assert "fichiers joints : 1" in deleted
    page.screenshot(path=str(tmp_path / "sandbox.png"))

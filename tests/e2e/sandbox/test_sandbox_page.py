"""The sandbox as a person uses it: the real bot, in Debian's Chromium, through the chat page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from e2e.chat_page import (
    BROWSER,
    CHROMIUM,
    CHROMIUM_ARGS,
    bot_bubbles,
    free_port,
    run_check,
    send,
    start_command,
    stop_command,
    wait_for_bot_text,
)

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = BROWSER


@pytest.fixture(scope="module")
def sandbox_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `cluster-assistant sandbox` as a user would, and stop it at the end."""
    port = free_port()
    data_dir = tmp_path_factory.mktemp("sandbox-data")
    url = f"http://127.0.0.1:{port}"
    process = start_command(["sandbox", "--port", str(port)], data_dir, "sandbox.log",
                            lambda: bool(httpx.get(f"{url}/_emulator/bot", timeout=1).json()["commands"]))
    try:
        yield url
    finally:
        stop_command(process, data_dir, "sandbox.log")


@pytest.fixture
def page(sandbox_url: str) -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="fr-FR")
        page.set_default_timeout(20_000)
        page.goto(sandbox_url)
        yield page
        browser.close()


def test_a_new_user_checks_eligibility_asks_fills_the_dossier_and_deletes_everything(
        page: object, tmp_path: Path) -> None:
    send(page, "/start")
    page.locator(".keyboard button", has_text="J'accepte").last.click()

    verdict = run_check(page)
    assert re.search(r"Résultat : .+", verdict)

    send(page, "Quelle est la date limite ?")
    assert "Source :" in wait_for_bot_text(page, r"24 juillet 2025")
    send(page, "ما هو رقم الهاتف للحصول على المعلومات؟")
    # the only bubble in Arabic is the reply to the Arabic question
    assert "05 37 73 93 46" in wait_for_bot_text(page, r"[\u0600-\u06ff]{4}")

    statutes = tmp_path / "statuts.pdf"
    statutes.write_bytes(b"%PDF-1.4\n% statuts de l'association\n")
    page.set_input_files("#file", str(statutes))
    picker = bot_bubbles(page).filter(has_text="À quelle pièce").last
    picker.wait_for()
    picker.locator(".keyboard button").first.click()
    assert "statuts.pdf" in wait_for_bot_text(page, r"est joint à")

    send(page, "/supprimer")
    bot_bubbles(page).filter(has_text="Supprimer toutes vos données").last.locator(
        ".keyboard button", has_text="tout supprimer").click()
    deleted = wait_for_bot_text(page, r"Toutes vos données ont été supprimées")
    assert "fichiers joints : 1" in deleted
    page.screenshot(path=str(tmp_path / "sandbox.png"))

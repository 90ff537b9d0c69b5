"""The staff workspace as the Division uses it, in Debian's Chromium, beside the running bot.

Two processes on one data directory, started as an operator would: `cluster-assistant
sandbox` (the real bot, the Bot API emulator and the chat page an applicant uses) and
`cluster-assistant dashboard`. Accounts come from `cluster-assistant staff add`.

Set WORKSPACE_SCREENSHOTS to a folder to keep the screenshots (the README's come from here).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e.chat_page import (
    BROWSER,
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    run_check,
    send,
    start_command,
    stop_command,
    wait_for_bot_text,
)

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = BROWSER
PASSWORD = "Kenitra-Clusters-2026"
ADMIN, VIEWER = "admin@mcinet.gov.ma", "viewer@mcinet.gov.ma"
QUESTION = "Le salaire de l'animateur du cluster est-il financé par le Ministère ?"
CARD_ANSWER = "Les textes consultés ne disent pas si le salaire de l'animateur est financé."


@dataclass(frozen=True)
class Servers:
    sandbox: str
    dashboard: str
    data_dir: Path


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The bot's sandbox and the workspace on one data directory, with an admin and a viewer."""
    data_dir = tmp_path_factory.mktemp("workspace-data")
    env = {**os.environ, "CLUSTER_ASSISTANT_EMBEDDING_BACKEND": "hashing"}  # fast to load; calibrated too
    for email, role in ((ADMIN, "admin"), (VIEWER, "viewer")):
        subprocess.run([sys.executable, "-m", "bot", "staff", "add", email, "--role", role, "--password-stdin",
                        "--data-dir", str(data_dir)], input=PASSWORD, text=True, env=env, check=True,
                       capture_output=True)
    sandbox, dashboard = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    bot = start_command(["sandbox", "--port", sandbox.rsplit(":", 1)[1]], data_dir, "sandbox.log",
                        lambda: bool(httpx.get(f"{sandbox}/_emulator/bot", timeout=1).json()["commands"]), env)
    try:
        workspace = start_command(["dashboard", "--port", dashboard.rsplit(":", 1)[1]], data_dir, "dashboard.log",
                                  lambda: httpx.get(f"{dashboard}/login", timeout=1).status_code == 200, env)
        try:
            yield Servers(sandbox, dashboard, data_dir)
        finally:
            stop_command(workspace, data_dir, "dashboard.log")
    finally:
        stop_command(bot, data_dir, "sandbox.log")


@pytest.fixture(scope="module")
def browser(servers: Servers) -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _tab(browser: Any, url: str) -> Any:
    page = browser.new_context(locale="fr-FR", accept_downloads=True).new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    return page


def _sign_in(page: Any, dashboard: str, email: str) -> None:
    page.goto(f"{dashboard}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Se connecter')")
    page.wait_for_url(f"{dashboard}/intakes")


def _screenshot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if folder := os.environ.get("WORKSPACE_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def _division_message_id(servers: Servers, user_id: str) -> int:
    transcript = httpx.get(f"{servers.sandbox}/_emulator/chats/{user_id}", timeout=5).json()
    return max(e["message_id"] for e in transcript["entries"]
               if e["sender"] == "bot" and "Message de la Division" in e["message"].get("text", ""))


def test_the_division_reviews_an_intake_writes_to_the_applicant_and_turns_a_question_into_an_answer(
        servers: Servers, browser: Any, tmp_path: Path) -> None:
    applicant = _tab(browser, servers.sandbox)
    send(applicant, "/start")
    applicant.locator(".keyboard button", has_text="J'accepte").last.click()
    verdict = run_check(applicant)
    send(applicant, QUESTION)
    wait_for_bot_text(applicant, r"Source|Division|texte")
    user_id = applicant.evaluate("localStorage.getItem('sandbox-user')")

    staff = _tab(browser, f"{servers.dashboard}/intakes")
    assert staff.url.endswith("/login")  # a visitor gets the sign-in page, never data
    _sign_in(staff, servers.dashboard, ADMIN)
    staff.evaluate("window.sameDocument = true")  # gone if the page reloads
    staff.select_option("select[name=verdict]", _verdict_id(verdict))  # htmx swaps the results in place
    staff.wait_for_url(re.compile(r"verdict="))
    staff.locator("#results", has_text="1 dossier(s)").wait_for()
    assert staff.evaluate("window.sameDocument === true")
    _screenshot(staff, tmp_path, "workspace-intakes.png")

    with staff.expect_download() as exported:
        staff.click("a:has-text('CSV')")
    assert f"telegram,{user_id}" in Path(exported.value.path()).read_text(encoding="utf-8-sig")

    staff.locator("table tbody a").first.click()
    staff.select_option("select[name=status]", "in_review")
    staff.fill("textarea[name=note]", "Statuts à vérifier <b>avant</b> le comité")
    staff.click("button:has-text('Enregistrer')")
    assert "Suivi : En cours d'examen" in staff.inner_text("main")
    assert "Statuts à vérifier <b>avant</b> le comité" in staff.inner_text("main")  # text, not markup

    staff.fill("textarea[name=text]", "Merci d'envoyer les statuts signés de l'association.")
    staff.click("button:has-text('Envoyer au candidat')")
    assert "statuts signés" in wait_for_bot_text(applicant, r"Message de la Division")
    httpx.post(f"{servers.sandbox}/_emulator/chats/{user_id}/messages", timeout=5, json={
        "text": "Je les envoie demain.", "reply_to_message_id": _division_message_id(servers, user_id)})
    wait_for_bot_text(applicant, r"transmise à la Division")
    staff.reload()
    assert "Je les envoie demain." in staff.inner_text("#messages")
    _screenshot(staff, tmp_path, "workspace-intake.png")

    staff.goto(f"{servers.dashboard}/questions")
    group = staff.locator("section.group", has_text=QUESTION)
    group.locator("a:has-text('Écrire une nouvelle fiche')").click()
    _fill_card(staff)
    staff.click("button:has-text('Enregistrer la fiche')")
    staff.wait_for_url(re.compile(r"/knowledge/cards/salaire-animateur$"))
    send(applicant, QUESTION)
    assert CARD_ANSWER in wait_for_bot_text(applicant, re.escape(CARD_ANSWER))  # the running bot, no restart

    staff.goto(f"{servers.dashboard}/knowledge")
    notice = tmp_path / "avis-2026.txt"
    notice.write_text("Appel à projets clusters 2026\n\nLes dossiers se déposent avant le 30 juin 2026.\n")
    staff.set_input_files("input[name=document]", str(notice))
    staff.fill("input[name=edition]", "2026")
    staff.click("button:has-text('Indexer')")
    assert "passages indexés" in staff.inner_text("main")

    staff.click("button:has-text('Se déconnecter')")
    staff.goto(f"{servers.dashboard}/intakes")
    assert staff.url.endswith("/login")


def test_a_viewer_reads_but_cannot_review_or_broadcast(servers: Servers, browser: Any) -> None:
    viewer = _tab(browser, f"{servers.dashboard}/login")
    _sign_in(viewer, servers.dashboard, VIEWER)
    assert "Diffusion" not in viewer.inner_text("header")
    viewer.goto(f"{servers.dashboard}/broadcast")
    assert "Accès refusé" in viewer.inner_text("main")
    viewer.goto(f"{servers.dashboard}/knowledge")
    assert viewer.locator("input[name=document]").count() == 0


def _verdict_id(verdict_text: str) -> str:
    lowered = verdict_text.lower()
    return "not_eligible" if "non éligible" in lowered or "pas éligible" in lowered else \
        "to_confirm" if "confirmer" in lowered else "eligible"


def _fill_card(page: Any) -> None:
    fields = {"id": "salaire-animateur", "topic_fr": "Salaire de l'animateur", "topic_ar": "أجر منشط العنقود",
              "topic_en": "The facilitator's salary", "answer_fr": CARD_ANSWER,
              "answer_ar": "لا تحدد النصوص التي تم الاطلاع عليها ما إذا كان أجر المنشط ممولا.",
              "answer_en": "The texts consulted do not say whether the facilitator's salary is funded.",
              "source_0_document": "Page de l'appel à projets 2023", "source_0_edition": "2023",
              "source_0_date": "2023",
              "examples_en": "Is the facilitator's pay covered?\nDoes the Ministry fund the cluster manager?"}
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    page.select_option("select[name=kind]", "not_in_texts")

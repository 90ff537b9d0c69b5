"""Closing the loop in the workspace: what applicants asked, grouped, turned into answers the bot gives.

The bot is another process reading the same data directory: a second runtime on it
stands for the bot here (the Telegram round trip is in the browser test).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from intake_factories import NOW
from sqlalchemy import select
from starlette.testclient import TestClient
from workspace_client import ADMIN, REVIEWER, VIEWER, csrf_of, page_text, sign_in

from core.clock import FixedClock
from core.runtime import Runtime, build_runtime
from core.settings import Settings
from intake.database import unit_of_work
from intake.models import AuditEntry
from intake.services.outcomes import record_outcome
from knowledge.loading import MAX_FILE_BYTES

SALARIES = ["Les salaires de l'animateur du cluster sont-ils pris en charge ?",
            "est-ce que le salaire de l'animateur est finance ?",
            "Le salaire de l'animateur du cluster est-il financé par le Ministère ?"]
OTHER = "Quelle est la date limite de dépôt des dossiers en 2025 ?"
NEW_CARD = {
    "id": "animateur-salaire", "kind": "not_in_texts",
    "topic_fr": "Salaire de l'animateur", "topic_ar": "أجر منشط العنقود", "topic_en": "The facilitator's salary",
    "answer_fr": "Les textes consultés ne disent pas si le salaire de l'animateur est financé.",
    "answer_ar": "لا تحدد النصوص التي تم الاطلاع عليها ما إذا كان أجر المنشط ممولا.",
    "answer_en": "The texts consulted do not say whether the facilitator's salary is funded.",
    "source_0_document": "Page de l'appel à projets 2023", "source_0_edition": "2023", "source_0_date": "2023",
    "examples_en": "Is the cluster facilitator's pay covered?",
}


def _ask(runtime: Runtime, questions: list[str], decision: str = "refused") -> list[int]:
    with unit_of_work(runtime.sessions) as session:
        return [record_outcome(session, applicant_id=None, question=q, language="fr", decision=decision, score=0.2,
                               chosen=None, now=NOW) for q in questions]


def _bot(data_dir: Path) -> Runtime:
    return build_runtime(Settings(data_dir=data_dir, embedding_backend="hashing"), clock=FixedClock(NOW))


def _form(page: str, **fields: str | list[str]) -> dict[str, str | list[str]]:
    return {"csrf_token": csrf_of(page), **fields}


def test_questions_with_the_same_need_form_one_group_that_staff_can_mark_handled(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    ids = _ask(staff_runtime, [*SALARIES, OTHER])
    client = sign_in(staff_client, REVIEWER)
    page = client.get("/questions").text
    assert "2 groupe(s), 4 question(s)" in page_text(page)
    assert "3 question(s)" in page_text(page) and "non répondu : 3" in page_text(page)
    response = client.post("/questions/handled", data=_form(page, question=[str(i) for i in ids[:3]]))
    assert response.status_code == 303
    assert "1 groupe(s), 1 question(s)" in page_text(client.get("/questions").text)
    handled = page_text(client.get("/questions?status=handled").text)
    assert "3 question(s)" in handled and f"traitée par {REVIEWER}" in handled


def test_an_admin_adds_a_groups_questions_to_a_card_and_the_bot_answers_them_with_it(
        staff_client: TestClient, staff_runtime: Runtime, data_dir: Path) -> None:
    bot = _bot(data_dir)
    question = "Le Ministère paie-t-il la rémunération du coordinateur de la grappe ?"
    scoring = next(card for card in bot.knowledge.cards.cards if card.id == "scoring-unknown")
    assert scoring.answer.fr not in bot.answer(question).answer
    ids = _ask(staff_runtime, [question])
    client = sign_in(staff_client, ADMIN)
    page = client.get("/questions").text
    response = client.post("/questions/examples", data=_form(page, card="scoring-unknown", question=[str(ids[0])]))
    assert response.status_code == 303
    assert "scoring-unknown.yaml" in {p.name for p in (data_dir / "cards").iterdir()}
    assert scoring.answer.fr in bot.answer(question).answer  # the bot's next answer, no restart
    assert "Aucune question" in page_text(client.get("/questions").text)
    bot.close()


def test_a_new_card_written_from_a_group_is_validated_saved_and_used_without_a_restart(
        staff_client: TestClient, staff_runtime: Runtime, data_dir: Path) -> None:
    bot = _bot(data_dir)
    ids = _ask(staff_runtime, SALARIES)
    client = sign_in(staff_client, ADMIN)
    form_page = client.get("/knowledge/cards/new?" + "&".join(f"question={i}" for i in ids)).text
    assert all(q in page_text(form_page) for q in SALARIES)  # the group's questions are the examples
    fields = {**NEW_CARD, "examples_fr": "\n".join(SALARIES), "question": [str(i) for i in ids]}
    too_long = client.post("/knowledge/cards", data=_form(form_page, **{**fields, "topic_fr": "x" * 61}))
    assert too_long.status_code == 400 and "60" in page_text(too_long.text)
    assert not (data_dir / "cards").exists()
    saved = client.post("/knowledge/cards", data=_form(form_page, **fields))
    assert saved.status_code == 303 and saved.headers["location"] == "/knowledge/cards/animateur-salaire"
    assert "Salaire de l'animateur" in page_text(client.get("/knowledge").text)
    answer = bot.answer("Est-ce que le salaire de l'animateur est financé ?")
    assert answer.answer.startswith(NEW_CARD["answer_fr"])
    assert "Aucune question" in page_text(client.get("/questions").text)
    again = client.post("/knowledge/cards", data=_form(form_page, **fields))
    assert again.status_code == 400 and "déjà pris" in page_text(again.text)
    bot.close()


def test_a_retired_card_is_no_longer_used_and_can_be_restored(
        staff_client: TestClient, data_dir: Path) -> None:
    bot = _bot(data_dir)
    client = sign_in(staff_client, ADMIN)
    page = client.get("/knowledge/cards/scoring-unknown").text
    assert client.post("/knowledge/cards/scoring-unknown/retire", data=_form(page, retired="1")).status_code == 303
    assert "retirée" in page_text(client.get("/knowledge/cards/scoring-unknown").text)
    assert "scoring-unknown" not in {card.id for card in (bot.knowledge.refresh() or bot.knowledge).cards.cards}
    assert client.post("/knowledge/cards/scoring-unknown/retire", data=_form(page, retired="0")).status_code == 303
    bot.knowledge.refresh()
    assert "scoring-unknown" in {card.id for card in bot.knowledge.cards.cards}
    bot.close()


@pytest.mark.parametrize("email", [REVIEWER, VIEWER])
def test_only_admins_change_cards(staff_client: TestClient, staff_runtime: Runtime, email: str) -> None:
    ids = _ask(staff_runtime, SALARIES[:1])
    client = sign_in(staff_client, email)
    page = client.get("/knowledge/cards/scoring-unknown").text
    assert "Enregistrer la fiche" not in page
    assert client.post("/questions/examples", data=_form(page, card="scoring-unknown",
                                                         question=[str(ids[0])])).status_code == 403
    assert client.post("/knowledge/cards", data=_form(page, **NEW_CARD)).status_code == 403
    assert client.post("/knowledge/cards/scoring-unknown/retire", data=_form(page, retired="1")).status_code == 403
    assert client.get("/knowledge/cards/new").status_code == 403


def test_forged_or_odd_requests_change_nothing(staff_client: TestClient, staff_runtime: Runtime,
                                               data_dir: Path) -> None:
    ids = _ask(staff_runtime, SALARIES)
    client = sign_in(staff_client, ADMIN)
    page = client.get("/questions").text
    forged = {"csrf_token": "forged", "question": [str(i) for i in ids]}
    assert client.post("/questions/handled", data=forged).status_code == 403
    assert client.post("/knowledge/cards", data={**NEW_CARD, "csrf_token": "forged"}).status_code == 403
    assert client.post("/questions/examples", data=_form(page, card="no-such-card",
                                                         question=[str(ids[0])])).status_code == 400
    assert client.post("/questions/handled", data=_form(page, question=["x", "-1", "9" * 40])).status_code == 400
    assert client.get("/knowledge/cards/no-such-card").status_code == 404
    odd = client.get("/questions?days=-5&class=%27%20OR%201=1&status=" + "x" * 5000)
    assert odd.status_code == 200 and "3 question(s)" in page_text(odd.text)
    assert not (data_dir / "cards").exists()
    staff_client.cookies.clear()
    assert staff_client.get("/questions").headers["location"] == "/login"
    assert staff_client.get("/knowledge").headers["location"] == "/login"


def test_an_admin_uploads_a_document_that_is_indexed_and_can_remove_it(
        staff_client: TestClient, tmp_path: Path) -> None:
    client = sign_in(staff_client, ADMIN)
    page = client.get("/knowledge").text
    text = "Appel à projets clusters 2026\n\nLes dossiers de l'édition 2026 se déposent en ligne avant le 30 juin.\n"
    uploaded = client.post("/knowledge/documents", data={"csrf_token": csrf_of(page), "edition": "2026"},
                           files={"document": ("appel 2026.txt", text.encode(), "text/plain")})
    assert uploaded.status_code == 200 and "passages indexés" in page_text(uploaded.text)
    listing = page_text(client.get("/knowledge").text)
    assert "2026" in listing
    wrong = client.post("/knowledge/documents", data={"csrf_token": csrf_of(page)},
                        files={"document": ("virus.exe", b"MZ", "application/octet-stream")})
    assert wrong.status_code == 400 and "non pris en charge" in page_text(wrong.text)
    source = next(s for s in staff_client.app.state.runtime.knowledge.retriever.passages  # type: ignore[attr-defined]
                  if s.source.endswith("appel-2026.txt")).source
    removed = client.post("/knowledge/documents/remove", data={"csrf_token": csrf_of(page), "source": source})
    assert removed.status_code == 303 and "appel-2026" not in client.get("/knowledge").text


def test_the_question_log_exports_as_csv_and_xlsx_with_formulas_neutralised_and_is_audited(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    _ask(staff_runtime, [*SALARIES, "=HYPERLINK(\"http://x\")"])
    client = sign_in(staff_client, VIEWER)
    csv_file = client.get("/exports/questions.csv?days=30")
    assert csv_file.status_code == 200 and "attachment" in csv_file.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "question" and len(rows) == 5
    assert {row[-1] for row in rows[1:]} == {*SALARIES, "'=HYPERLINK(\"http://x\")"}
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/exports/questions.xlsx").content))
    assert workbook.active is not None and workbook.active.max_row == 5
    assert client.get("/exports/questions.pdf").status_code == 404
    with unit_of_work(staff_runtime.sessions) as session:
        targets = list(session.scalars(select(AuditEntry.target).where(AuditEntry.actor == VIEWER,
                                                                         AuditEntry.action == "export")))
    assert targets == ["questions.csv", "questions.xlsx"]
    staff_client.cookies.clear()
    assert staff_client.get("/exports/questions.csv").status_code == 401


def test_an_oversized_upload_is_refused_with_the_limit_and_nothing_is_indexed(staff_client: TestClient) -> None:
    client = sign_in(staff_client, ADMIN)
    page = client.get("/knowledge").text
    too_big = b"a" * (MAX_FILE_BYTES + 1)
    refused = client.post("/knowledge/documents", data={"csrf_token": csrf_of(page)},
                          files={"document": ("appel.txt", too_big, "text/plain")})
    assert refused.status_code == 400 and "50 Mo au plus" in page_text(refused.text)
    assert "appel.txt" not in page_text(client.get("/knowledge").text)
    empty = client.post("/knowledge/documents", data={"csrf_token": csrf_of(page)})
    assert empty.status_code == 400 and "Choisissez un fichier" in page_text(empty.text)

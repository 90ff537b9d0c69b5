"""Writing to an applicant from the workspace: queued for the bot, shown in the thread, refused input kept."""

from __future__ import annotations

from intake_factories import NOW, make_finished_check
from sqlalchemy import func, select
from starlette.testclient import TestClient
from workspace_client import REVIEWER, VIEWER, csrf_of, page_text, sign_in

from core.runtime import Runtime
from intake.database import unit_of_work
from intake.models import Applicant, AuditEntry
from intake.review_models import StaffMessage
from intake.services.staff_messages import MAX_TEXT, claim_pending, mark_sent, record_applicant_reply


def _messages(runtime: Runtime) -> int:
    with unit_of_work(runtime.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(StaffMessage)) or 0)


def _bot_sends_and_applicant_answers(runtime: Runtime, applicant_id: int, answer: str) -> None:
    """Do what the bot does: send the queued message, then take the applicant's reply to it."""
    with unit_of_work(runtime.sessions) as session:
        [outgoing] = claim_pending(session, channel="telegram", now=NOW, limit=10)
        mark_sent(session, outgoing.id, 321, NOW)
        external_id = session.get_one(Applicant, applicant_id).external_id
        record_applicant_reply(session, channel="telegram", external_id=external_id, reply_to=321, text=answer,
                               now=NOW)


def test_a_reviewers_message_is_queued_shown_with_its_status_and_audited(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    applicant_id, state = make_finished_check(staff_runtime.sessions)
    address = f"/intakes/{state.session_id}"
    token = csrf_of(sign_in(staff_client, REVIEWER).get(address).text)

    response = staff_client.post(f"{address}/messages",
                                 data={"csrf_token": token, "text": "Il manque vos <b>statuts</b>."})
    queued = page_text(staff_client.get(address).text)
    _bot_sends_and_applicant_answers(staff_runtime, applicant_id, "Je les envoie demain.")
    answered = page_text(staff_client.get(address).text)

    assert response.status_code == 303 and response.headers["location"] == f"{address}#messages"
    assert f"{REVIEWER} → candidat · en attente d'envoi Il manque vos <b>statuts</b>." in queued
    assert "<b>statuts</b>" not in staff_client.get(address).text  # shown as text, never as markup
    assert "envoyé le 2025-07-01 09:00 UTC" in answered
    assert "réponse du candidat Je les envoie demain." in answered
    with unit_of_work(staff_runtime.sessions) as session:
        audits = session.scalars(select(AuditEntry).where(AuditEntry.action == "intake.reply")).all()
        assert [(a.actor, a.target) for a in audits] == [(REVIEWER, f"intake:{state.session_id}")]


def test_refused_messages_say_why_keep_the_text_and_queue_nothing(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    _, state = make_finished_check(staff_runtime.sessions)
    address = f"/intakes/{state.session_id}"
    token = csrf_of(sign_in(staff_client, REVIEWER).get(address).text)
    too_long = "Merci de compléter. " * (MAX_TEXT // 20) + "Fin du message trop long."

    empty = staff_client.post(f"{address}/messages", data={"csrf_token": token, "text": "  \r\n "})
    long = staff_client.post(f"{address}/messages", data={"csrf_token": token, "text": too_long})
    forged = staff_client.post(f"{address}/messages", data={"csrf_token": "forged", "text": "Bonjour"})
    unknown = staff_client.post("/intakes/99999/messages", data={"csrf_token": token, "text": "Bonjour"})

    assert empty.status_code == 400 and "Le message est vide." in page_text(empty.text)
    assert long.status_code == 400 and f"dépasse {MAX_TEXT} caractères" in page_text(long.text)
    assert too_long.strip() in page_text(long.text)  # the text comes back in the form, to shorten
    assert f'action="{address}/messages"' in long.text
    assert (forged.status_code, unknown.status_code) == (403, 404)
    assert _messages(staff_runtime) == 0


def test_a_viewer_reads_the_thread_but_cannot_write(staff_client: TestClient, staff_runtime: Runtime) -> None:
    _, state = make_finished_check(staff_runtime.sessions)
    address = f"/intakes/{state.session_id}"
    shown = sign_in(staff_client, VIEWER).get(address).text

    refused = staff_client.post(f"{address}/messages", data={"csrf_token": csrf_of(shown), "text": "Bonjour"})

    assert "Messages avec le candidat" in shown and "/messages" not in shown
    assert refused.status_code == 403 and _messages(staff_runtime) == 0

"""Broadcasting from the workspace: admins preview, confirm and read the report; everyone else is turned away."""

from __future__ import annotations

import html
import re

from intake_factories import NOW, make_applicant, start_check
from sqlalchemy import func, select
from starlette.testclient import TestClient
from workspace_client import ADMIN, REVIEWER, VIEWER, csrf_of, page_text, sign_in

from core.runtime import Runtime
from intake import services
from intake.database import unit_of_work
from intake.models import AuditEntry
from intake.review_models import Broadcast, BroadcastDelivery
from intake.services.broadcast_sending import claim_deliveries, mark_delivery_blocked, mark_delivery_sent
from intake.services.staff_messages import MAX_TEXT

EXTENSION = "La date limite de l'édition 2025 est prolongée au 15 septembre."


def _applicant(runtime: Runtime, language: str = "fr", opted_in: bool = True) -> int:
    """Return an applicant with a 2025 intake, reminders on or off."""
    applicant_id = make_applicant(runtime.sessions, language=language)
    start_check(runtime.sessions, applicant_id)
    with unit_of_work(runtime.sessions) as session:
        services.set_reminders(session, applicant_id, opted_in, now=NOW)
    return applicant_id


def _count(runtime: Runtime, model: type[object]) -> int:
    with unit_of_work(runtime.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _preview(client: TestClient, text: str = EXTENSION, **fields: str) -> tuple[int, str]:
    """Post the form; return the status and the page."""
    token = csrf_of(client.get("/broadcast").text)
    response = client.post("/broadcast/preview", data={"csrf_token": token, "text": text, "edition": "2025",
                                                       "verdict": "", "language": "", **fields})
    return response.status_code, response.text


def _confirm_address(page: str) -> str:
    found = re.search(r'action="(/broadcast/\d+/confirm)"', page)
    assert found, "the preview has no confirm form"
    return found.group(1)


def _typed(page: str) -> str:
    """Return what the form's text field holds."""
    found = re.search(r"<textarea[^>]*>([^<]*)</textarea>", page)
    assert found, "the page has no text field"
    return html.unescape(found.group(1))


def _bot_sends(runtime: Runtime) -> None:
    """Do what the bot does: the first chat receives it, the second blocked the bot."""
    with unit_of_work(runtime.sessions) as session:
        first, second = claim_deliveries(session, channel="telegram", now=NOW, limit=10)
        mark_delivery_sent(session, first.id, NOW)
        mark_delivery_blocked(session, second.id, "Forbidden: bot was blocked by the user")


def test_an_admin_previews_confirms_once_and_reads_the_report(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    _applicant(staff_runtime)
    _applicant(staff_runtime, "ar")
    _applicant(staff_runtime, opted_in=False)
    sign_in(staff_client, ADMIN)

    status, preview = _preview(staff_client)
    confirm = _confirm_address(preview)
    token = csrf_of(preview)
    confirmed = staff_client.post(confirm, data={"csrf_token": token})
    again = staff_client.post(confirm, data={"csrf_token": token})
    queued = page_text(staff_client.get(confirmed.headers["location"]).text)
    _bot_sends(staff_runtime)
    report = page_text(staff_client.get(confirmed.headers["location"]).text)
    listing = page_text(staff_client.get("/broadcast").text)

    shown = page_text(preview)
    assert status == 200 and "2 destinataire(s) : 1 en français, 1 en arabe" in shown
    assert "Annonce de la Division des plateformes technologiques et des clusters" in shown and EXTENSION in shown
    assert "إعلان من قسم المنصات التكنولوجية والعناقيد" in shown
    assert "Confirmer l'envoi à 2 candidat(s)" in shown
    assert confirmed.status_code == again.status_code == 303
    assert confirmed.headers["location"] == confirm.removesuffix("/confirm")
    assert "Envoyés Bloqués par le candidat En échec En attente 0 0 0 2" in queued
    assert "Envoyés Bloqués par le candidat En échec En attente 1 1 0 0" in report
    assert "bloqués par le candidat 1 Forbidden: bot was blocked by the user" in report
    assert f"{ADMIN} 2025 tous verdicts, toutes langues 2 1 1 0 0 rapport" in listing
    assert _count(staff_runtime, BroadcastDelivery) == 2
    with unit_of_work(staff_runtime.sessions) as session:
        audits = session.scalars(select(AuditEntry).where(AuditEntry.action == "broadcast.send")).all()
        assert [(a.actor, a.details["recipients"]) for a in audits] == [(ADMIN, 2)]


def test_filters_narrow_the_audience_and_a_draft_can_be_reopened(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    _applicant(staff_runtime)
    _applicant(staff_runtime, "ar")
    sign_in(staff_client, ADMIN)

    _, in_arabic = _preview(staff_client, language="ar")
    _, nobody = _preview(staff_client, verdict="eligible")  # no check is finished: nobody has a verdict yet
    draft = _confirm_address(in_arabic).removesuffix("/confirm").removeprefix("/broadcast/")
    reopened = staff_client.get(f"/broadcast?from={draft}").text

    assert "1 destinataire(s) : 1 en arabe" in page_text(in_arabic)
    assert "0 destinataire(s)" in page_text(nobody) and "rien à envoyer" in page_text(nobody)
    assert "/confirm" not in nobody
    assert _typed(reopened) == EXTENSION and '<option value="ar" selected>' in reopened


def test_viewers_and_reviewers_get_the_403_page_and_visitors_the_sign_in_page(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    _applicant(staff_runtime)
    sign_in(staff_client, ADMIN)
    draft = _confirm_address(_preview(staff_client)[1])
    staff_client.cookies.clear()

    for email in (VIEWER, REVIEWER):
        token = csrf_of(sign_in(staff_client, email).get("/intakes").text)
        pages = [staff_client.get("/broadcast"), staff_client.get(draft.removesuffix("/confirm")),
                 staff_client.post("/broadcast/preview", data={"csrf_token": token, "text": EXTENSION,
                                                               "edition": "2025"}),
                 staff_client.post(draft, data={"csrf_token": token})]
        assert [p.status_code for p in pages] == [403] * 4
        assert all("Accès refusé" in page_text(p.text) for p in pages)
        assert 'href="/broadcast"' not in staff_client.get("/intakes").text
        staff_client.cookies.clear()
    visitor = [staff_client.get("/broadcast"), staff_client.post("/broadcast/preview", data={"text": EXTENSION})]

    assert [(v.status_code, v.headers["location"]) for v in visitor] == [(303, "/login")] * 2
    assert (_count(staff_runtime, Broadcast), _count(staff_runtime, BroadcastDelivery)) == (1, 0)


def test_forged_tokens_refused_input_and_unknown_broadcasts(staff_client: TestClient, staff_runtime: Runtime) -> None:
    _applicant(staff_runtime)
    sign_in(staff_client, ADMIN)
    draft = _confirm_address(_preview(staff_client)[1])
    too_long = "Prolongation. " * (MAX_TEXT // 14) + "Fin du message trop long."

    forged = [staff_client.post("/broadcast/preview", data={"csrf_token": "forged", "text": EXTENSION,
                                                            "edition": "2025"}),
              staff_client.post(draft, data={"csrf_token": "forged"})]
    empty_status, empty = _preview(staff_client, "  \r\n ")
    long_status, long = _preview(staff_client, too_long)
    edition_status, edition = _preview(staff_client, edition="1999")
    token = csrf_of(staff_client.get("/broadcast").text)
    unknown = [staff_client.get("/broadcast/99999"), staff_client.post("/broadcast/99999/confirm",
                                                                         data={"csrf_token": token})]

    assert [f.status_code for f in forged] == [403, 403]
    assert empty_status == 400 and "Le message est vide." in page_text(empty)
    assert long_status == 400 and f"dépasse {MAX_TEXT} caractères" in page_text(long)
    assert _typed(long) == too_long and _typed(empty) == "  \r\n "  # the text comes back in the form, to shorten
    assert edition_status == 400 and "Choisissez une édition" in page_text(edition) and EXTENSION in page_text(edition)
    assert [u.status_code for u in unknown] == [404, 404] and "diffusion 99999" in page_text(unknown[0].text)
    assert (_count(staff_runtime, Broadcast), _count(staff_runtime, BroadcastDelivery)) == (1, 0)


def test_a_script_looking_text_is_shown_as_text(staff_client: TestClient, staff_runtime: Runtime) -> None:
    _applicant(staff_runtime)
    sign_in(staff_client, ADMIN)
    text = '<script>alert("x")</script> <b>gras</b>'

    _, preview = _preview(staff_client, text)
    confirmed = staff_client.post(_confirm_address(preview), data={"csrf_token": csrf_of(preview)})
    report = staff_client.get(confirmed.headers["location"]).text

    for page in (preview, report, staff_client.get(f"/broadcast?from={confirmed.headers['location'][11:]}").text):
        assert "<script>" not in page and "<b>gras</b>" not in page
        assert text in page_text(page)

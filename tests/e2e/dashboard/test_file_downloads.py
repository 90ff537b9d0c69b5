"""Staff download an applicant's attached files from the intake page: only that intake's, audited."""

from __future__ import annotations

import re

from intake_factories import NOW, make_finished_check
from sqlalchemy import select
from starlette.testclient import TestClient
from workspace_client import VIEWER, page_text, sign_in

from core.runtime import Runtime
from intake import services
from intake.database import unit_of_work
from intake.models import AuditEntry

STATUTES = b"%PDF-1.7\nstatuts de l'association\n"


def _attach(runtime: Runtime, applicant_id: int, name: str, data: bytes) -> int:
    ref = runtime.files.store(applicant_id, "statutes", name, data)
    with unit_of_work(runtime.sessions) as session:
        return services.attach_file(session, applicant_id, 2025, "statutes", ref, now=NOW).id


def test_a_file_attached_by_the_applicant_downloads_from_the_intake_page(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    applicant_id, state = make_finished_check(staff_runtime.sessions)
    _attach(staff_runtime, applicant_id, "statuts signés é.pdf", STATUTES)
    client = sign_in(staff_client, VIEWER)
    page = client.get(f"/intakes/{state.session_id}").text
    link = re.search(r'href="(/intakes/\d+/files/\d+)"', page)
    assert link and "statuts signés é.pdf" in page_text(page)
    download = client.get(link.group(1))
    assert download.status_code == 200 and download.content == STATUTES
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''statuts%20sign%C3%A9s%20%C3%A9.pdf" in download.headers["content-disposition"]
    with unit_of_work(staff_runtime.sessions) as session:
        actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.actor == VIEWER)))
    assert "file.download" in actions


def test_another_intakes_file_or_an_unknown_one_is_not_found_and_visitors_are_sent_to_sign_in(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    owner, _ = make_finished_check(staff_runtime.sessions)
    _, other_state = make_finished_check(staff_runtime.sessions)
    attachment_id = _attach(staff_runtime, owner, "statuts.pdf", STATUTES)
    client = sign_in(staff_client, VIEWER)
    assert client.get(f"/intakes/{other_state.session_id}/files/{attachment_id}").status_code == 404
    assert client.get(f"/intakes/{other_state.session_id}/files/999999").status_code == 404
    assert client.get("/intakes/999999/files/1").status_code == 404
    assert client.get(f"/intakes/{other_state.session_id}/files/abc").status_code == 404
    staff_client.cookies.clear()
    assert staff_client.get(f"/intakes/{other_state.session_id}/files/{attachment_id}").headers["location"] == "/login"

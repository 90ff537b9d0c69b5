"""The staff workspace over HTTP (Starlette's test client) on a real SQLite runtime: access, CSRF, the list."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from intake_factories import ELIGIBLE_EXISTING, ELIGIBLE_NEW, NOW, make_finished_check
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.dashboard.app import create_dashboard
from core.runtime import Runtime, build_runtime
from core.settings import Settings
from intake.database import unit_of_work
from intake.models import AuditEntry, StaffRole
from intake.services.reviews import change_review
from intake.services.staff import add_staff

PASSWORD = "Kenitra-Clusters-2026"
EMAIL = "reviewer@mcinet.gov.ma"


@pytest.fixture
def runtime(warm_copy: Path) -> Iterator[Runtime]:
    runtime = build_runtime(Settings(data_dir=warm_copy, embedding_backend="hashing"))
    with unit_of_work(runtime.sessions) as session:
        add_staff(session, EMAIL, PASSWORD, StaffRole.REVIEWER, "test", NOW)
    yield runtime
    runtime.close()


@pytest.fixture
def client(runtime: Runtime) -> TestClient:
    return TestClient(create_dashboard(runtime), base_url="http://127.0.0.1", follow_redirects=False)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the form has no CSRF field"
    return found.group(1)


def _sign_in(client: TestClient, password: str = PASSWORD) -> TestClient:
    token = _csrf(client.get("/login").text)
    response = client.post("/login", data={"email": EMAIL, "password": password, "csrf_token": token})
    assert response.status_code == 303, response.text
    return client


@pytest.mark.parametrize("path", ["/", "/intakes", "/intakes?verdict=eligible"])
def test_a_visitor_who_is_not_signed_in_gets_the_login_page_and_no_data(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_the_login_form_works_without_javascript_and_sets_a_strict_http_only_cookie(client: TestClient) -> None:
    page = client.get("/login")
    assert 'name="email"' in page.text and 'name="password"' in page.text and "csrf" in page.text
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": _csrf(page.text)})
    assert response.status_code == 303 and response.headers["location"] == "/intakes"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("ca_staff=")).lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/intakes").status_code == 200


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_a_login_without_the_forms_token_is_refused(client: TestClient, token: str | None) -> None:
    client.get("/login")
    data = {"email": EMAIL, "password": PASSWORD} | ({"csrf_token": token} if token is not None else {})
    response = client.post("/login", data=data)
    assert response.status_code == 403 and "ca_staff=" not in response.headers.get("set-cookie", "")


def test_a_wrong_password_is_told_plainly_and_repeated_failures_lock(client: TestClient) -> None:
    for _ in range(5):
        page = client.get("/login")
        response = client.post("/login", data={"email": EMAIL, "password": "wrong", "csrf_token": _csrf(page.text)})
        assert response.status_code == 401 and "incorrect" in response.text
    page = client.get("/login")
    locked = client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": _csrf(page.text)})
    assert locked.status_code == 429 and "bloqué" in locked.text


def test_the_intake_list_filters_by_the_address_and_shows_text_as_text(client: TestClient, runtime: Runtime) -> None:
    make_finished_check(runtime.sessions, {**ELIGIBLE_NEW, "cluster_name": "Atlas <script>alert(1)</script>"})
    make_finished_check(runtime.sessions, {**ELIGIBLE_EXISTING, "years_of_state_support": 5,
                                           "cluster_name": "Rif Agro"}, language="ar")
    _sign_in(client)
    everything = client.get("/intakes").text
    assert "2 dossier(s)" in everything and "Rif Agro" in everything
    assert "<script>alert(1)</script>" not in everything and "&lt;script&gt;" in everything
    eligible = client.get("/intakes?verdict=eligible").text
    assert "1 dossier(s)" in eligible and "Rif Agro" not in eligible
    assert "1 dossier(s)" in client.get("/intakes?language=ar").text
    assert "Rif Agro" in client.get("/intakes?q=rif").text
    odd = client.get("/intakes?edition=1999&page=-3&verdict=%27%20OR%201=1--&q=" + "x" * 5000)
    assert odd.status_code == 200 and "édition inconnue" in odd.text and "0 dossier(s)" in odd.text


def test_sign_out_needs_the_token_and_the_old_cookie_then_opens_nothing(client: TestClient) -> None:
    _sign_in(client)
    page = client.get("/intakes").text
    old_cookie = client.cookies.get("ca_staff")
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert client.get("/intakes").status_code == 200  # a forged sign-out changed nothing
    assert client.post("/logout", data={"csrf_token": _csrf(page)}).status_code == 303
    client.cookies.set("ca_staff", old_cookie or "")
    assert client.get("/intakes").status_code == 303


def test_unknown_addresses_and_methods_get_errors_not_data(client: TestClient) -> None:
    assert client.get("/nowhere").status_code == 404
    assert client.put("/intakes").status_code == 405


def test_an_intake_page_shows_answers_reasons_and_checklist_and_its_view_is_audited(client: TestClient,
                                                                                  runtime: Runtime) -> None:
    _, state = make_finished_check(runtime.sessions, {**ELIGIBLE_EXISTING, "years_of_state_support": 5,
                                                      "cluster_name": "Rif Agro"})
    _sign_in(client)
    page = client.get(f"/intakes/{state.session_id}")
    assert page.status_code == 200
    assert "Rif Agro" in page.text and "Pièces du dossier" in page.text and "source :" in page.text
    assert client.get(f"/intakes/{state.session_id + 999}").status_code == 404
    assert client.get("/intakes/abc").status_code == 404
    with unit_of_work(runtime.sessions) as session:
        views = session.scalars(select(AuditEntry).where(AuditEntry.action == "intake.view")).all()
        assert [(v.actor, v.target) for v in views] == [(EMAIL, f"intake:{state.session_id}")]


def test_exports_follow_the_lists_filters_need_a_sign_in_and_are_audited(client: TestClient, runtime: Runtime) -> None:
    make_finished_check(runtime.sessions, {**ELIGIBLE_NEW, "cluster_name": "=HYPERLINK(\"x\")"})
    make_finished_check(runtime.sessions, {**ELIGIBLE_EXISTING, "years_of_state_support": 5, "cluster_name": "Rif"})
    assert client.get("/exports/intakes.csv").status_code == 401
    _sign_in(client)
    everything = client.get("/exports/intakes.csv")
    assert everything.status_code == 200 and everything.headers["content-type"].startswith("text/csv")
    lines = everything.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and "'=HYPERLINK" in everything.content.decode("utf-8-sig")
    assert len(client.get("/exports/intakes.csv?verdict=eligible").content.decode("utf-8-sig").splitlines()) == 2
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/exports/intakes.xlsx?q=rif").content))
    assert workbook.active is not None and workbook.active.max_row == 2
    assert client.get("/exports/intakes.pdf").status_code == 404
    with unit_of_work(runtime.sessions) as session:
        exports = session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
        assert [(e.actor, e.target, e.details["rows"]) for e in exports] == [
            (EMAIL, "csv", 2), (EMAIL, "csv", 1), (EMAIL, "xlsx", 1)]


def test_the_xlsx_export_keeps_a_name_typed_with_control_characters_without_them(
        client: TestClient, runtime: Runtime) -> None:
    make_finished_check(runtime.sessions, {**ELIGIBLE_NEW, "cluster_name": "Rif\x08 Agro\x1f"})
    _sign_in(client)
    response = client.get("/exports/intakes.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header, row = ([cell.value for cell in line] for line in sheet.iter_rows())
    assert dict(zip(header, row))["cluster_name"] == "Rif Agro"


def _account(runtime: Runtime, email: str, role: StaffRole) -> None:
    with unit_of_work(runtime.sessions) as session:
        add_staff(session, email, PASSWORD, role, "test", NOW)


def test_a_reviewer_changes_status_reviewer_and_notes_and_each_change_is_in_the_timeline(
        client: TestClient, runtime: Runtime) -> None:
    _, state = make_finished_check(runtime.sessions)
    _sign_in(client)
    address = f"/intakes/{state.session_id}"
    token = _csrf(client.get(address).text)
    response = client.post(f"{address}/review", data={"csrf_token": token, "status": "in_review",
                                                      "reviewer": EMAIL, "note": "<b>Statuts</b> manquants"})
    assert response.status_code == 303
    page = client.get(address).text
    assert "Suivi : En cours d&#39;examen" in page and "statut : in_review" in page
    assert "&lt;b&gt;Statuts&lt;/b&gt; manquants" in page and f"examinateur : {EMAIL}" in page
    bad = client.post(f"{address}/review", data={"csrf_token": token, "status": "approved' OR 1=1"})
    assert bad.status_code == 400 and "unknown review status" in bad.text
    nobody = client.post(f"{address}/review", data={"csrf_token": token, "reviewer": "intruder@example.org"})
    assert nobody.status_code == 400 and "not an active reviewer" in nobody.text
    assert client.post(f"{address}/review", data={"csrf_token": "forged", "status": "rejected"}).status_code == 403
    assert client.post("/intakes/99999/review", data={"csrf_token": token, "status": "rejected"}).status_code == 404
    assert "Suivi : En cours d&#39;examen" in client.get(address).text


def test_a_viewer_reads_but_cannot_change_a_review(client: TestClient, runtime: Runtime) -> None:
    _, state = make_finished_check(runtime.sessions)
    _account(runtime, "viewer@mcinet.gov.ma", StaffRole.VIEWER)
    page = client.get("/login")
    client.post("/login", data={"email": "viewer@mcinet.gov.ma", "password": PASSWORD, "csrf_token": _csrf(page.text)})
    address = f"/intakes/{state.session_id}"
    shown = client.get(address).text
    assert "Suivi : Nouveau" in shown and "/review" not in shown
    token = _csrf(shown)  # the sign-out form's token
    assert client.post(f"{address}/review", data={"csrf_token": token, "status": "rejected"}).status_code == 403
    assert "Suivi : Nouveau" in client.get(address).text


def test_the_list_shows_and_filters_by_review_status_and_reviewer(client: TestClient, runtime: Runtime) -> None:
    _, first = make_finished_check(runtime.sessions, {**ELIGIBLE_NEW, "cluster_name": "Souss Tech"})
    make_finished_check(runtime.sessions, {**ELIGIBLE_NEW, "cluster_name": "Oriental Bio"})
    with unit_of_work(runtime.sessions) as session:
        change_review(session, first.session_id, EMAIL, NOW, status="shortlisted", reviewer=EMAIL)
    _sign_in(client)
    listed = client.get("/intakes").text
    assert "Présélectionné" in listed and "Nouveau" in listed
    shortlisted = client.get("/intakes?review=shortlisted").text
    assert "Souss Tech" in shortlisted and "Oriental Bio" not in shortlisted
    mine = client.get(f"/intakes?reviewer={EMAIL.upper()}").text
    assert "Souss Tech" in mine and "Oriental Bio" not in mine
    assert "2 dossier(s)" in client.get("/intakes?review=nonsense").text  # an unknown status filters nothing
    assert len(client.get("/exports/intakes.csv?review=new").content.decode("utf-8-sig").splitlines()) == 2


def test_the_list_filters_by_completion_and_activity_dates_and_sorts_by_a_column(
        client: TestClient, runtime: Runtime) -> None:
    make_finished_check(runtime.sessions, {**ELIGIBLE_NEW, "cluster_name": "Atlas Textile"})
    make_finished_check(runtime.sessions, {**ELIGIBLE_NEW, "cluster_name": "Bouregreg Digital"})
    _sign_in(client)
    by_name = client.get("/intakes?sort=name").text
    assert by_name.index("Atlas Textile") < by_name.index("Bouregreg Digital")
    by_name_down = client.get("/intakes?sort=-name").text
    assert by_name_down.index("Bouregreg Digital") < by_name_down.index("Atlas Textile")
    assert "2 dossier(s)" in client.get("/intakes?completion=none").text
    assert "0 dossier(s)" in client.get("/intakes?completion=complete").text
    day = NOW.date().isoformat()
    assert "2 dossier(s)" in client.get(f"/intakes?from={day}&to={day}").text
    assert "0 dossier(s)" in client.get("/intakes?from=2099-01-01").text
    odd = client.get("/intakes?from=31/12/2025&sort=%3Cscript%3E&completion=everything")
    assert odd.status_code == 200 and "date invalide" in odd.text and "2 dossier(s)" in odd.text


def test_htmx_is_served_from_the_installed_package_and_the_list_updates_in_place(client: TestClient) -> None:
    script = client.get("/static/htmx/htmx.min.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"] and b"htmx" in script.content
    _sign_in(client)
    page = client.get("/intakes").text
    assert '<script src="/static/htmx/htmx.min.js"' in page
    assert 'hx-get="/intakes"' in page and 'hx-select="#results"' in page and 'id="results"' in page

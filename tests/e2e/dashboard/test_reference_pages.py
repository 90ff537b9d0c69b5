"""The workspace's reference pages over HTTP on a real SQLite runtime: the editions of the call and the audit log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from intake_factories import AFTER_DEADLINE, NOW, make_finished_check
from starlette.testclient import TestClient
from workspace_client import ADMIN, REVIEWER, VIEWER, page_text, sign_in

from core.clock import FixedClock
from core.runtime import Runtime
from intake.database import unit_of_work
from intake.schema import Edition
from intake.services.applicants import record_audit

FIXTURE_YEARS = (2023, 2024, 2025)  # tests/conftest.py's FIXTURE_EDITIONS


@pytest.fixture
def runtime(staff_runtime: Runtime) -> Runtime:
    # NOW is 1 July 2025: the 2025 edition is open (it closes on 24 July), 2023 and 2024 are closed.
    return staff_runtime


@pytest.fixture
def client(staff_client: TestClient) -> TestClient:
    return staff_client


_sign_in = sign_in
_text = page_text


def _row(page: str, marker: str) -> str:
    """Return the text of the one table row of `page` whose HTML contains `marker`."""
    rows = [row for row in page.split("<tr>") if marker in row]
    assert len(rows) == 1, f"{len(rows)} rows hold {marker!r}"
    return _text(rows[0].split("</tr>")[0])


def _cited(edition: Edition, source_id: str) -> str:
    return edition.sources[source_id].document


@pytest.mark.parametrize("path", ["/editions", "/editions/2025", "/editions/1999", "/audit", "/audit?action=export"])
def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_the_editions_page_lists_each_edition_with_its_deadline_its_source_and_its_status(
        client: TestClient, runtime: Runtime) -> None:
    page = _sign_in(client, VIEWER).get("/editions")
    assert page.status_code == 200 and 'href="/editions"' in page.text  # the nav links to it
    for year in FIXTURE_YEARS:
        edition = runtime.catalog.get(year)
        closes = edition.closes_at()
        assert closes is not None
        row = _row(page.text, f'href="/editions/{year}"')
        assert closes.strftime("%Y-%m-%d %H:%M") in row
        assert _cited(edition, edition.deadline.source) in row
        assert ("confirmé" if edition.deadline.confirmed else "à confirmer") in row
    latest, previous = _row(page.text, 'href="/editions/2025"'), _row(page.text, 'href="/editions/2024"')
    assert "2025-07-24 15:00" in latest and "à confirmer" in latest  # a date from the press only
    assert "ouverte" in latest and "close" in previous and "ouverte" not in previous


def test_an_edition_is_closed_the_day_after_its_deadline(client: TestClient, runtime: Runtime) -> None:
    runtime.clock = FixedClock(AFTER_DEADLINE)
    page = _sign_in(client, VIEWER).get("/editions").text
    assert "ouverte" not in page and "close" in _row(page, 'href="/editions/2025"')
    runtime.clock = FixedClock(AFTER_DEADLINE - timedelta(days=1))  # 24 July, the closing day itself
    assert "ouverte" in _row(_sign_in(client, VIEWER).get("/editions").text, 'href="/editions/2025"')


def test_an_edition_page_shows_each_rule_and_item_with_its_explanation_and_source(
        client: TestClient, runtime: Runtime) -> None:
    edition = runtime.catalog.get(2023)
    page = _sign_in(client, REVIEWER).get("/editions/2023")
    assert page.status_code == 200
    shown = _text(page.text)
    for rule in edition.rules:
        row = _row(page.text, f"<code>{rule.id}</code>")
        assert rule.explanation.fr in row and _cited(edition, rule.source) in row
        assert ("confirmé" if rule.confirmed else "à confirmer") in row
    assert {rule.confirmed for rule in edition.rules} == {True, False}  # both marks were checked above
    for item in edition.checklist:
        assert item.title.fr in shown and _cited(edition, item.source) in shown
    source = edition.sources[edition.deadline.source]
    assert source.edition and source.date  # the citation gives the source's edition and date
    assert f"{source.document}, édition {source.edition}, {source.date}" in shown


def test_an_unknown_edition_is_a_404_page(client: TestClient) -> None:
    _sign_in(client, VIEWER)
    missing = client.get("/editions/1999")
    assert missing.status_code == 404 and "1999" in missing.text and "Introuvable" in missing.text
    assert client.get("/editions/abc").status_code == 404


def test_an_admin_sees_exports_and_intake_views_made_through_the_workspace_newest_first(
        client: TestClient, runtime: Runtime) -> None:
    _, state = make_finished_check(runtime.sessions)
    _sign_in(client, ADMIN)
    assert client.get("/exports/intakes.csv").status_code == 200
    runtime.clock = FixedClock(NOW + timedelta(minutes=5))
    assert client.get(f"/intakes/{state.session_id}").status_code == 200
    page = client.get("/audit")
    assert page.status_code == 200 and 'href="/audit"' in page.text
    viewed, exported = _row(page.text, "<td>intake.view</td>"), _row(page.text, "<td>export</td>")
    assert ADMIN in exported and "csv" in exported and '"rows": 1' in exported
    assert f"intake:{state.session_id}" in viewed
    assert page.text.index("<td>intake.view</td>") < page.text.index("<td>export</td>")  # newest first


@pytest.mark.parametrize("email", [REVIEWER, VIEWER])
def test_reviewers_and_viewers_are_refused_the_audit_log(client: TestClient, email: str) -> None:
    _sign_in(client, email)
    client.get("/exports/intakes.csv")
    refused = client.get("/audit")
    assert refused.status_code == 403 and "ne permet pas" in refused.text and "export" not in refused.text
    assert 'href="/audit"' not in client.get("/editions").text  # nor is it offered in the nav


def test_the_audit_log_filters_by_actor_and_action_and_shows_details_as_text(
        client: TestClient, runtime: Runtime) -> None:
    with unit_of_work(runtime.sessions) as session:
        record_audit(session, actor="system", action="staff.locked", target="x@mcinet.gov.ma", now=NOW,
                     details={"why": "<script>alert(1)</script>"})
    _sign_in(client, ADMIN)
    client.get("/exports/intakes.csv")
    everything = client.get("/audit").text
    assert "<td>staff.add</td>" in everything and "<td>staff.locked</td>" in everything
    assert "<script>alert(1)</script>" not in everything and "&lt;script&gt;alert(1)&lt;/script&gt;" in everything
    exports = client.get("/audit?action=export").text
    assert "1 entrée(s)" in exports and "<td>staff.add</td>" not in exports and "<td>staff.locked</td>" not in exports
    mine = client.get(f"/audit?actor={ADMIN.upper()}").text
    assert "2 entrée(s)" in mine and "<td>staff.sign_in</td>" in mine and "<td>staff.locked</td>" not in mine
    assert "0 entrée(s)" in client.get("/audit?action=no.such.action").text


def test_odd_audit_addresses_are_shown_with_a_note_not_an_error(client: TestClient, runtime: Runtime) -> None:
    _sign_in(client, ADMIN)
    everything = _count(client.get("/audit").text)
    assert everything > 0
    for query, note in [("page=-3", "page invalide"), ("page=abc", "page invalide"),
                        ("actor=" + "x" * 5000, "acteur trop long"),
                        ("action=%27%20OR%201=1--", "action mal formée")]:
        response = client.get("/audit?" + query)
        assert response.status_code == 200 and note in response.text
        assert _count(response.text) == everything  # the bad filter is ignored, the log still shown
    assert client.get("/audit?page=999999").status_code == 200


def _count(page: str) -> int:
    found = re.search(r"(\d+) entrée\(s\)", page)
    assert found, "the page gives no count"
    return int(found.group(1))


def test_the_audit_log_has_pages_of_fifty(client: TestClient, runtime: Runtime) -> None:
    with unit_of_work(runtime.sessions) as session:
        for minute in range(60):
            record_audit(session, actor="system", action="test.tick", target=f"tick-{minute:02d}",
                         now=NOW + timedelta(minutes=minute))
    _sign_in(client, ADMIN)
    first = client.get("/audit?action=test.tick").text
    assert "60 entrée(s), page 1 sur 2" in first and "tick-59" in first and "tick-09" not in first
    second = client.get("/audit?action=test.tick&page=2").text
    assert "tick-09" in second and "tick-10" not in second and "action=test.tick&amp;page=1" in second
    assert "tick-00" in client.get("/audit?action=test.tick&page=999").text  # past the end: the last page

"""The workspace in French (by default), Arabic (right to left) and English: the switch, the choice, the pages."""

from __future__ import annotations

import re

import pytest
from intake_factories import ELIGIBLE_EXISTING, ELIGIBLE_NEW, make_finished_check
from starlette.testclient import TestClient
from workspace_client import ADMIN, REVIEWER, VIEWER, page_text, sign_in

from bot.dashboard.languages import LANGUAGE_COOKIE, local_path, preferred_language
from core.runtime import Runtime
from datafiles.language import Language

YEAR = 365 * 24 * 3600


def _html_tag(page: str) -> str:
    found = re.search(r"<html[^>]*>", page)
    assert found, "the page has no html element"
    return found.group(0)


def _in(client: TestClient, language: str) -> TestClient:
    """Choose a language through the switch, as a staff member does."""
    assert client.get(f"/language/{language}?next=/login").status_code == 303
    return client


def test_the_switch_keeps_the_language_in_a_lax_cookie_for_a_year_and_goes_back(staff_client: TestClient) -> None:
    response = staff_client.get("/language/ar", params={"next": "/intakes?verdict=eligible&page=2"})
    assert response.status_code == 303 and response.headers["location"] == "/intakes?verdict=eligible&page=2"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{LANGUAGE_COOKIE}=")).lower()
    assert cookie.startswith("ca_lang=ar;") and f"max-age={YEAR}" in cookie and "samesite=lax" in cookie
    assert "path=/" in cookie
    assert _html_tag(staff_client.get("/login").text) == '<html lang="ar" dir="rtl">'


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example",
                                    "/\t/evil.example", "javascript:alert(1)", "http:/evil.example", "intakes", ""])
def test_the_switch_only_goes_back_to_a_page_of_this_site(staff_client: TestClient, target: str) -> None:
    response = staff_client.get("/language/en", params={"next": target})
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_the_switch_without_a_page_to_go_back_to_goes_home(staff_client: TestClient) -> None:
    assert staff_client.get("/language/en").headers["location"] == "/"


@pytest.mark.parametrize("code", ["de", "AR", "xx-evil", "fr;q=1"])
def test_an_unknown_language_is_a_404_and_changes_nothing(staff_client: TestClient, code: str) -> None:
    response = staff_client.get(f"/language/{code}", params={"next": "/intakes"})
    assert response.status_code == 404 and "fr, ar" in response.text
    assert LANGUAGE_COOKIE not in response.headers.get("set-cookie", "")
    assert _html_tag(staff_client.get("/login").text) == '<html lang="fr" dir="ltr">'


def test_every_page_offers_the_switch_back_to_itself(staff_client: TestClient) -> None:
    login = staff_client.get("/login").text
    for code, name in (("fr", "Français"), ("ar", "العربية"), ("en", "English")):
        assert f'href="/language/{code}?next=%2Flogin" lang="{code}"' in login and name in login
    sign_in(staff_client, VIEWER)
    listed = staff_client.get("/intakes?verdict=eligible").text
    assert 'href="/language/ar?next=%2Fintakes%3Fverdict%3Deligible"' in listed


def test_french_is_the_default_with_the_french_texts(staff_client: TestClient) -> None:
    page = staff_client.get("/login").text
    assert _html_tag(page) == '<html lang="fr" dir="ltr">' and "Mot de passe" in page and "Se connecter" in page
    assert 'aria-current="true">Français' in page


def test_the_login_page_in_arabic_is_right_to_left_with_arabic_labels(staff_client: TestClient) -> None:
    page = _in(staff_client, "ar").get("/login").text
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "كلمة المرور" in page and "البريد الإلكتروني" in page and "تسجيل الدخول" in page
    assert "Mot de passe" not in page and "Se connecter" not in page
    refused = staff_client.post("/login", data={"email": VIEWER, "password": "wrong", "csrf_token": "forged"})
    assert refused.status_code == 403 and "انتهت صلاحية الاستمارة" in refused.text


def test_the_intake_list_in_arabic_translates_the_labels_and_keeps_the_data(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    make_finished_check(staff_runtime.sessions, {**ELIGIBLE_NEW, "cluster_name": "Atlas (Tanger) <b>Textile</b>"})
    make_finished_check(staff_runtime.sessions, {**ELIGIBLE_EXISTING, "years_of_state_support": 5,
                                                 "cluster_name": "عنقود سوس للتكنولوجيا"}, language="ar")
    page = sign_in(_in(staff_client, "ar"), REVIEWER).get("/intakes").text
    shown = page_text(page)
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "الملفات" in shown and "عدد الملفات: 2." in shown and "تصفية" in shown and "جديد" in shown
    assert "Atlas (Tanger) &lt;b&gt;Textile&lt;/b&gt;" in page and "عنقود سوس للتكنولوجيا" in page
    assert "<bdi>Atlas (Tanger) &lt;b&gt;Textile&lt;/b&gt;</bdi>" in page  # a name keeps its own direction
    assert re.search(r'<time datetime="2025-07-01T[^"]+" dir="ltr">2025-07-01 [0-9]{2}:[0-9]{2} UTC</time>', page)
    assert "Dossiers" not in shown and "Filtrer" not in shown and "dossier(s)" not in shown


def test_the_intake_list_and_an_intake_in_english(staff_client: TestClient, staff_runtime: Runtime) -> None:
    _, state = make_finished_check(staff_runtime.sessions, {**ELIGIBLE_NEW, "cluster_name": "Atlas Textile"})
    sign_in(_in(staff_client, "en"), REVIEWER)
    listed = staff_client.get("/intakes")
    assert _html_tag(listed.text) == '<html lang="en" dir="ltr">'
    shown = page_text(listed.text)
    assert "Applications" in shown and "1 application(s)." in shown and "Last activity" in shown
    assert "Atlas Textile" in shown and "Dossiers" not in shown
    intake = page_text(staff_client.get(f"/intakes/{state.session_id}").text)
    assert "Review: New" in intake and "Application documents" in intake and "Messages with the applicant" in intake
    assert "Pièces du dossier" not in intake


def test_data_with_its_own_languages_is_shown_in_the_pages_language(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    edition = staff_runtime.catalog.get(2023)
    sign_in(_in(staff_client, "ar"), VIEWER)
    page = page_text(staff_client.get("/editions/2023").text)
    assert all(rule.explanation.ar in page for rule in edition.rules)
    assert all(item.title.ar in page for item in edition.checklist)
    assert edition.rules[0].explanation.fr not in page and "قواعد الأهلية" in page
    refused = staff_client.get("/audit")
    assert refused.status_code == 403 and "الاطلاع على سجل التدقيق" in page_text(refused.text)


def test_the_intake_page_gives_answers_and_reasons_in_the_pages_language(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    _, state = make_finished_check(staff_runtime.sessions, {**ELIGIBLE_NEW, "sector": "other",
                                                            "cluster_name": "Rif Agro"})
    sign_in(_in(staff_client, "en"), ADMIN)
    page = page_text(staff_client.get(f"/intakes/{state.session_id}").text)
    spec = staff_runtime.catalog.get(2025)
    sector = next(q for q in spec.questions if q.id == "sector")
    assert "Rif Agro" in page and f"{sector.label('en')} " in page and sector.label("fr") not in page
    assert any(rule.explanation.en in page for rule in spec.rules)
    assert not any(rule.explanation.fr in page for rule in spec.rules)


@pytest.mark.parametrize(("header", "expected"), [
    ("ar-MA,ar;q=0.9,fr;q=0.8", '<html lang="ar" dir="rtl">'),
    ("de-DE,de;q=0.9,en;q=0.5", '<html lang="en" dir="ltr">'),
    ("de-DE", '<html lang="fr" dir="ltr">'),
    ("", '<html lang="fr" dir="ltr">'),
])
def test_without_the_cookie_the_browsers_languages_choose(staff_client: TestClient, header: str,
                                                          expected: str) -> None:
    assert _html_tag(staff_client.get("/login", headers={"Accept-Language": header}).text) == expected


def test_the_cookie_wins_over_the_browsers_languages(staff_client: TestClient) -> None:
    page = _in(staff_client, "fr").get("/login", headers={"Accept-Language": "ar"}).text
    assert _html_tag(page) == '<html lang="fr" dir="ltr">'


@pytest.mark.parametrize(("header", "expected"), [
    ("fr-FR,fr;q=0.9", Language.FR), ("en-GB, ar;q=0.8", Language.EN), ("fr;q=0.2, ar;q=0.7", Language.AR),
    ("en;q=0, ar;q=0.1", Language.AR), ("AR", Language.AR), ("en;q=abc, ar;q=0.5", Language.AR),
    ("*", Language.FR), ("zh-Hant-TW", Language.FR), (",;;q=,", Language.FR), ("", Language.FR),
])
def test_the_accept_language_header_is_read_with_its_weights(header: str, expected: Language) -> None:
    assert preferred_language(header) == expected


@pytest.mark.parametrize(("target", "kept"), [
    ("/intakes?verdict=eligible", True), ("/", True), ("/intakes/3#messages", True), ("//evil.example/x", False),
    ("/\\evil.example", False), ("https://evil.example/", False), ("/\nevil", False), (None, False), ("", False),
])
def test_only_a_path_on_this_site_is_a_place_to_go_back_to(target: str | None, kept: bool) -> None:
    assert local_path(target) == (target if kept else "/")

"""Signing in to the staff workspace as a test: the accounts the fixtures make, and reading its pages."""

from __future__ import annotations

import html
import re

from starlette.testclient import TestClient

PASSWORD = "Kenitra-Clusters-2026"
ADMIN = "admin@mcinet.gov.ma"
REVIEWER = "reviewer@mcinet.gov.ma"
VIEWER = "viewer@mcinet.gov.ma"



def csrf_of(page: str) -> str:
    """Return the CSRF token of the first form of a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF field"
    return found.group(1)


def sign_in(client: TestClient, email: str) -> TestClient:
    """Sign `client` in as `email` through the login form."""
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": csrf_of(client.get("/login").text)})
    assert response.status_code == 303, response.text
    return client


def page_text(page: str) -> str:
    """Return a page as a reader sees it: tags dropped, entities decoded, spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())

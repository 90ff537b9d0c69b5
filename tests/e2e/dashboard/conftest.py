"""The workspace on a real SQLite runtime, with one account per role, and how a test signs in."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from intake_factories import NOW
from starlette.testclient import TestClient

from bot.dashboard.app import create_dashboard
from core.clock import FixedClock
from core.runtime import Runtime, build_runtime
from core.settings import Settings
from intake.database import unit_of_work
from intake.models import StaffRole
from intake.services.staff import add_staff

PASSWORD = "Kenitra-Clusters-2026"
ADMIN = "admin@mcinet.gov.ma"
REVIEWER = "reviewer@mcinet.gov.ma"
VIEWER = "viewer@mcinet.gov.ma"


@pytest.fixture
def staff_runtime(data_dir: Path) -> Iterator[Runtime]:
    """A runtime at NOW (1 July 2025) with an admin, a reviewer and a viewer."""
    runtime = build_runtime(Settings(data_dir=data_dir, embedding_backend="hashing"), clock=FixedClock(NOW))
    with unit_of_work(runtime.sessions) as session:
        for email, role in ((ADMIN, StaffRole.ADMIN), (REVIEWER, StaffRole.REVIEWER), (VIEWER, StaffRole.VIEWER)):
            add_staff(session, email, PASSWORD, role, "test", NOW)
    yield runtime
    runtime.close()


@pytest.fixture
def staff_client(staff_runtime: Runtime) -> TestClient:
    return TestClient(create_dashboard(staff_runtime), base_url="http://127.0.0.1", follow_redirects=False)


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

"""Staff sign-in sessions on SQLite and PostgreSQL: digests only, expiry, sign-out and disabling end them."""

from __future__ import annotations

from datetime import timedelta

from intake_factories import NOW
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intake.database import unit_of_work
from intake.models import AuditEntry, StaffRole, StaffSession
from intake.services.staff import add_staff, disable_staff, find_staff
from intake.services.staff_sessions import (
    IDLE_LIMIT,
    LIFETIME,
    close_staff_session,
    current_staff_session,
    open_staff_session,
)


def _open(factory: sessionmaker[Session]) -> tuple[str, str]:
    with unit_of_work(factory) as session:
        account = add_staff(session, "viewer@mcinet.gov.ma", "Kenitra-Clusters-2026", StaffRole.VIEWER, "test", NOW)
        token, view = open_staff_session(session, account, NOW)
        return token, view.csrf_token


def _current(factory: sessionmaker[Session], token: str | None, after: timedelta) -> str | None:
    with unit_of_work(factory) as session:
        view = current_staff_session(session, token, NOW + after)
        return view.email if view else None


def test_a_session_is_found_by_its_token_and_the_database_keeps_only_a_digest(factory: sessionmaker[Session]) -> None:
    token, csrf = _open(factory)
    assert _current(factory, token, timedelta(minutes=5)) == "viewer@mcinet.gov.ma"
    with unit_of_work(factory) as session:
        stored = session.scalars(select(StaffSession)).one()
        assert token not in (stored.token_digest, stored.csrf_token) and stored.csrf_token == csrf
    assert _current(factory, token + "x", timedelta()) is None
    assert _current(factory, "", timedelta()) is None


def test_a_session_ends_when_idle_and_at_the_end_of_its_lifetime(factory: sessionmaker[Session]) -> None:
    token, _ = _open(factory)
    assert _current(factory, token, IDLE_LIMIT + timedelta(seconds=1)) is None
    assert _current(factory, token, timedelta()) is None  # it is gone, not just stale
    token, _ = _open_again(factory)
    step = IDLE_LIMIT - timedelta(minutes=1)
    seen = timedelta()
    while seen + step < LIFETIME:
        seen += step
        assert _current(factory, token, seen) == "viewer@mcinet.gov.ma"
    assert _current(factory, token, LIFETIME + timedelta(seconds=1)) is None


def _open_again(factory: sessionmaker[Session]) -> tuple[str, str]:
    with unit_of_work(factory) as session:
        account = find_staff(session, "viewer@mcinet.gov.ma")
        assert account is not None
        token, view = open_staff_session(session, account, NOW)
        return token, view.csrf_token


def test_sign_out_and_disabling_end_sessions_and_are_audited(factory: sessionmaker[Session]) -> None:
    token, _ = _open(factory)
    with unit_of_work(factory) as session:
        close_staff_session(session, token, NOW)
    assert _current(factory, token, timedelta()) is None
    other, _ = _open_again(factory)
    with unit_of_work(factory) as session:
        disable_staff(session, "viewer@mcinet.gov.ma", "test", NOW)
    assert _current(factory, other, timedelta()) is None
    with unit_of_work(factory) as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["staff.add", "staff.sign_in", "staff.sign_out", "staff.sign_in", "staff.disable"]

"""Server-side sessions for the staff workspace: a sign-out or an expiry ends them for good.

The browser holds a random token; the database keeps only its SHA-256 digest, so a copy
of the database opens no session. Each session has its own CSRF token for the forms.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.clock import aware
from intake.models import StaffAccount, StaffRole, StaffSession
from intake.services.applicants import record_audit

IDLE_LIMIT = timedelta(hours=1)  # no request for this long: signed out
LIFETIME = timedelta(hours=10)  # a working day, whatever the activity


@dataclass(frozen=True)
class StaffSessionView:
    """Who a valid session belongs to, and the token its forms must carry."""

    account_id: int
    email: str
    role: StaffRole
    csrf_token: str


def open_staff_session(session: Session, account: StaffAccount, now: datetime) -> tuple[str, StaffSessionView]:
    """Start a session for a signed-in account; return the cookie's token and the session."""
    token = secrets.token_urlsafe(32)
    row = StaffSession(token_digest=_digest(token), account_id=account.id, csrf_token=secrets.token_urlsafe(32),
                       created_at=aware(now), last_seen_at=aware(now))
    session.add(row)
    repo.flush(session)
    record_audit(session, actor=account.email, action="staff.sign_in", now=now)
    return token, StaffSessionView(account.id, account.email, account.role, row.csrf_token)


def current_staff_session(session: Session, token: str | None, now: datetime) -> StaffSessionView | None:
    """Return the live session of a cookie's token (and mark it seen), or None: unknown, expired or disabled."""
    if not token:
        return None
    found = session.execute(select(StaffSession, StaffAccount).join(StaffAccount)
                            .where(StaffSession.token_digest == _digest(token))).one_or_none()
    if found is None:
        return None
    row, account = found
    moment = aware(now)
    if account.disabled or moment - row.last_seen_at > IDLE_LIMIT or moment - row.created_at > LIFETIME:
        session.delete(row)
        repo.flush(session)
        return None
    row.last_seen_at = moment
    repo.flush(session)
    return StaffSessionView(account.id, account.email, account.role, row.csrf_token)


def close_staff_session(session: Session, token: str | None, now: datetime) -> None:
    """End the session of a cookie's token (sign-out); an unknown token changes nothing."""
    if not token:
        return
    row = session.scalar(select(StaffSession).where(StaffSession.token_digest == _digest(token)))
    if row is None:
        return
    account = session.get(StaffAccount, row.account_id)
    session.delete(row)
    repo.flush(session)
    record_audit(session, actor=account.email if account else "unknown", action="staff.sign_out", now=now)


def end_sessions_of(session: Session, account_id: int) -> int:
    """End every session of an account (when it is disabled); return how many ended."""
    rows = list(session.scalars(select(StaffSession).where(StaffSession.account_id == account_id)))
    for row in rows:
        session.delete(row)
    repo.flush(session)
    return len(rows)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

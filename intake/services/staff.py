"""Staff accounts: add, list, disable, and sign in with a lockout after repeated failures.

Passwords are hashed with Argon2 (argon2-cffi's defaults, RFC 9106's second recommended
setting); a weak one is refused with the reason. Every change is in the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.clock import aware
from intake.errors import IntakeError
from intake.models import StaffAccount, StaffRole
from intake.services.applicants import record_audit
from intake.services.staff_sessions import end_sessions_of

MIN_PASSWORD_LENGTH = 12
LOCKOUT_AFTER = 5  # failed sign-ins in a row
LOCKOUT_FOR = timedelta(minutes=15)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The most used passwords (public breach lists) that reach the minimum length.
_COMMON = {"123456789012", "password1234", "motdepasse123", "azertyuiop123", "qwertyuiop123", "aaaaaaaaaaaa",
           "111111111111", "passwordpassword", "iloveyou1234", "administrator", "bienvenue123"}
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("a password nobody has")  # unknown e-mails cost as much time as wrong passwords


class StaffError(IntakeError):
    """A staff account change that cannot be made, with the reason to show."""


class SignIn(StrEnum):
    """How a sign-in attempt ended."""

    OK = "ok"
    WRONG = "wrong"  # unknown e-mail or wrong password: the two look the same from outside
    LOCKED = "locked"
    DISABLED = "disabled"


@dataclass(frozen=True)
class SignInResult:
    outcome: SignIn
    account: StaffAccount | None = None


def normalised_email(email: str) -> str:
    """Return the e-mail in lower case, or raise `StaffError` when it is not one."""
    cleaned = email.strip().lower()
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise StaffError(f"not an e-mail address: {email!r}")
    return cleaned


def password_problem(password: str, email: str) -> str | None:
    """Return why a password is too weak, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if len(set(password)) < 5:
        return "the password repeats too few different characters"
    folded = password.lower()
    if folded in _COMMON or folded.rstrip("0123456789!") in _COMMON:
        return "the password is one of the most used ones"
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 4 and local_part in folded:
        return "the password contains the e-mail address"
    return None


def add_staff(session: Session, email: str, password: str, role: StaffRole, actor: str, now: datetime) -> StaffAccount:
    """Create a staff account; `StaffError` when the e-mail is taken or the password weak."""
    address = normalised_email(email)
    problem = password_problem(password, address)
    if problem:
        raise StaffError(problem)
    fresh = StaffAccount(email=address, password_hash=_HASHER.hash(password), role=StaffRole(role),
                         disabled=False, failed_logins=0, created_at=aware(now))
    account = repo.add_or_get(session, fresh, lambda: find_staff(session, address))  # a concurrent add wins once
    if account is not fresh:
        raise StaffError(f"{address} already has an account")
    record_audit(session, actor=actor, action="staff.add", target=address, details={"role": account.role.value},
                 now=now)
    return account


def find_staff(session: Session, email: str) -> StaffAccount | None:
    """Return the account of an e-mail address (any case), or None."""
    return session.scalar(select(StaffAccount).where(StaffAccount.email == email.strip().lower()))


def list_staff(session: Session) -> list[StaffAccount]:
    """Return every staff account, by e-mail."""
    return list(session.scalars(select(StaffAccount).order_by(StaffAccount.email)))


def disable_staff(session: Session, email: str, actor: str, now: datetime) -> StaffAccount:
    """Disable an account (its sign-ins fail from now on); `StaffError` when there is none."""
    account = find_staff(session, email)
    if account is None:
        raise StaffError(f"no staff account for {email.strip().lower()}")
    account.disabled = True
    end_sessions_of(session, account.id)
    repo.flush(session)
    record_audit(session, actor=actor, action="staff.disable", target=account.email, now=now)
    return account


def sign_in(session: Session, email: str, password: str, now: datetime) -> SignInResult:
    """Check a password; after `LOCKOUT_AFTER` failures in a row the account waits `LOCKOUT_FOR`."""
    account = find_staff(session, email)
    if account is None:
        _verify(_DUMMY_HASH, password)
        return SignInResult(SignIn.WRONG)
    if account.disabled:
        return SignInResult(SignIn.DISABLED)
    if account.locked_until is not None and account.locked_until > aware(now):
        return SignInResult(SignIn.LOCKED)
    if not _verify(account.password_hash, password):
        account.failed_logins += 1
        if account.failed_logins >= LOCKOUT_AFTER:
            account.locked_until, account.failed_logins = aware(now) + LOCKOUT_FOR, 0
            record_audit(session, actor="system", action="staff.locked", target=account.email, now=now)
        repo.flush(session)
        return SignInResult(SignIn.WRONG)
    account.failed_logins, account.locked_until = 0, None
    if _HASHER.check_needs_rehash(account.password_hash):
        account.password_hash = _HASHER.hash(password)
    repo.flush(session)
    return SignInResult(SignIn.OK, account)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False

"""Staff accounts on SQLite and PostgreSQL: Argon2 hashes, weak passwords refused, lockout, disabling, audit."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from intake_factories import NOW
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from bot import cli_staff
from intake.database import unit_of_work
from intake.models import AuditEntry, StaffAccount, StaffRole
from intake.services.staff import (
    LOCKOUT_AFTER,
    LOCKOUT_FOR,
    SignIn,
    StaffError,
    add_staff,
    disable_staff,
    list_staff,
    sign_in,
)

GOOD = "Kenitra-Clusters-2026"


def _add(factory: sessionmaker[Session], email: str = "Reviewer@Mcinet.gov.ma", password: str = GOOD) -> None:
    with unit_of_work(factory) as session:
        add_staff(session, email, password, StaffRole.REVIEWER, "test", NOW)


def _sign_in(factory: sessionmaker[Session], password: str, email: str = "reviewer@mcinet.gov.ma",
             after: timedelta = timedelta()) -> SignIn:
    with unit_of_work(factory) as session:
        return sign_in(session, email, password, NOW + after).outcome


def test_an_account_signs_in_with_its_password_only_and_keeps_no_plain_password(factory: sessionmaker[Session]) -> None:
    _add(factory)
    with unit_of_work(factory) as session:
        stored = session.scalars(select(StaffAccount)).one()
        assert stored.email == "reviewer@mcinet.gov.ma" and stored.password_hash.startswith("$argon2id$")
        assert GOOD not in stored.password_hash
    assert _sign_in(factory, GOOD) is SignIn.OK
    assert _sign_in(factory, GOOD, email=" REVIEWER@mcinet.gov.ma ") is SignIn.OK
    assert _sign_in(factory, GOOD + "x") is SignIn.WRONG
    assert _sign_in(factory, GOOD, email="nobody@mcinet.gov.ma") is SignIn.WRONG


def test_repeated_failures_lock_the_account_for_a_while(factory: sessionmaker[Session]) -> None:
    _add(factory)
    for _ in range(LOCKOUT_AFTER):
        assert _sign_in(factory, "not the password") is SignIn.WRONG
    assert _sign_in(factory, GOOD, after=timedelta(minutes=1)) is SignIn.LOCKED
    assert _sign_in(factory, GOOD, after=LOCKOUT_FOR + timedelta(seconds=1)) is SignIn.OK
    with unit_of_work(factory) as session:
        assert [e.action for e in session.scalars(select(AuditEntry))] == ["staff.add", "staff.locked"]


@pytest.mark.parametrize(("password", "reason"), [
    ("short1!", "at least 12 characters"), ("aaaaaaaaaaaaaaaa", "too few different"),
    ("Password1234", "most used"), ("reviewer-secret-99", "contains the e-mail"),
])
def test_weak_passwords_are_refused_with_the_reason(factory: sessionmaker[Session], password: str, reason: str) -> None:
    with pytest.raises(StaffError, match=reason), unit_of_work(factory) as session:
        add_staff(session, "reviewer@mcinet.gov.ma", password, StaffRole.VIEWER, "test", NOW)
    with unit_of_work(factory) as session:
        assert list_staff(session) == []


def test_one_account_per_address_and_a_disabled_one_cannot_sign_in(factory: sessionmaker[Session]) -> None:
    _add(factory)
    with pytest.raises(StaffError, match="already has an account"):
        _add(factory, email="reviewer@MCINET.gov.ma")
    with unit_of_work(factory) as session:
        disable_staff(session, "reviewer@mcinet.gov.ma", "test", NOW)
    assert _sign_in(factory, GOOD) is SignIn.DISABLED
    with pytest.raises(StaffError, match="no staff account"), unit_of_work(factory) as session:
        disable_staff(session, "other@mcinet.gov.ma", "test", NOW)


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Return a function running the staff commands on an empty data directory."""
    monkeypatch.chdir(tmp_path)
    for name in ("CLUSTER_ASSISTANT_DATABASE_URL", "CLUSTER_ASSISTANT_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    app = typer.Typer()
    cli_staff.register(app)

    def invoke(*args: str, stdin: str | None = None) -> Result:
        return CliRunner().invoke(app, ["staff", *args, "--data-dir", str(tmp_path / "data")], input=stdin)

    return invoke


def test_the_staff_commands_add_list_and_disable(run: Any) -> None:
    added = run("add", "admin@mcinet.gov.ma", "--role", "admin", "--password-stdin", stdin=GOOD + "\n")
    assert added.exit_code == 0, added.output
    assert "admin@mcinet.gov.ma" in added.output
    again = run("add", "admin@mcinet.gov.ma", "--role", "viewer", "--password-stdin", stdin=GOOD + "\n")
    assert again.exit_code == 2 and "already has an account" in again.output
    weak = run("add", "viewer@mcinet.gov.ma", "--role", "viewer", "--password-stdin", stdin="1234\n")
    assert weak.exit_code == 2 and "at least 12 characters" in weak.output
    assert run("add", "x@y.ma", "--role", "boss", "--password-stdin", stdin=GOOD + "\n").exit_code == 2
    assert run("disable", "admin@mcinet.gov.ma").exit_code == 0
    listed = run("list")
    assert "admin@mcinet.gov.ma" in listed.output and "disabled" in listed.output
    assert "viewer@" not in listed.output


def test_the_prompt_asks_again_after_a_weak_password(run: Any) -> None:
    typed = "123\n123\n" + f"{GOOD}\n{GOOD}\n"
    result = run("add", "viewer@mcinet.gov.ma", "--role", "viewer", stdin=typed)
    assert result.exit_code == 0, result.output
    assert "at least 12 characters" in result.output and "created (viewer)" in result.output

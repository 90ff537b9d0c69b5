"""`cluster-assistant staff`: the accounts that sign in to the staff workspace."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated, TypeVar

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.cli_options import DataDirOption, build_settings, console, fail, first_line
from core.clock import SystemClock
from intake.database import SchemaOutOfDate, open_database, unit_of_work
from intake.models import StaffRole
from intake.services.staff import StaffError, add_staff, disable_staff, list_staff, password_problem

Result = TypeVar("Result")
ACTOR = "cli"
RoleOption = Annotated[StaffRole, typer.Option(
    "--role", help="viewer reads; reviewer also reviews and replies; admin also manages cards, documents and staff.")]
PasswordStdinOption = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from standard input (scripts) instead of a prompt.")]


def register(app: typer.Typer) -> None:
    """Add the `staff` group to the main app."""
    staff = typer.Typer(help="Staff accounts of the workspace (add, list, disable).", no_args_is_help=True)
    staff.command("add")(add)
    staff.command("list")(show)
    staff.command("disable")(disable)
    app.add_typer(staff, name="staff")


def add(
    email: Annotated[str, typer.Argument(help="The staff member's e-mail address (their sign-in name).")],
    role: RoleOption,
    password_stdin: PasswordStdinOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Create a staff account (the password is asked twice, or read from standard input)."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else _prompt_password(email)
    account = _in_database(data_dir, lambda session: add_staff(session, email, password, role, ACTOR,
                                                               SystemClock().now()).email)
    console.print(f"staff account {escape(account)} created ({role.value})", soft_wrap=True)


def show(data_dir: DataDirOption = None) -> None:
    """List the staff accounts: e-mail, role, whether disabled or locked, since when."""
    rows = _in_database(data_dir, lambda session: [
        (a.email, a.role.value, "disabled" if a.disabled else "locked" if a.locked_until else "active",
         a.created_at.strftime("%Y-%m-%d")) for a in list_staff(session)])
    table = Table("e-mail", "role", "state", "created")
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    console.print(table if rows else "no staff account yet: cluster-assistant staff add EMAIL --role admin")


def disable(
    email: Annotated[str, typer.Argument(help="The e-mail address of the account to disable.")],
    data_dir: DataDirOption = None,
) -> None:
    """Disable a staff account: it cannot sign in any more (its history stays in the audit log)."""
    address = _in_database(data_dir, lambda session: disable_staff(session, email, ACTOR, SystemClock().now()).email)
    console.print(f"staff account {escape(address)} disabled", soft_wrap=True)


def _prompt_password(email: str) -> str:
    while True:
        password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        problem = password_problem(password, email.strip().lower())
        if problem is None:
            return password
        console.print(f"[yellow]{escape(problem)}[/]; try another")


def _in_database(data_dir: DataDirOption, work: Callable[[Session], Result]) -> Result:
    """Run `work` in one unit of work on the configured database; errors become one-line messages."""
    settings = build_settings(data_dir)
    engine = None
    try:
        engine, factory = open_database(settings.resolved_database_url)
        with unit_of_work(factory) as session:
            return work(session)
    except (StaffError, SchemaOutOfDate) as error:
        raise fail(str(error)) from None
    except SQLAlchemyError as error:
        raise fail(f"database error: {first_line(error)}") from None
    finally:
        if engine is not None:
            engine.dispose()

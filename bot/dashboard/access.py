"""Who is signed in: the session cookie, the CSRF checks, and one unit of work per request."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Collection
from typing import TypeVar

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bot.dashboard.languages import gettext_for
from bot.dashboard.rendering import forbidden
from core.runtime import Runtime
from intake.database import run_in_unit_of_work
from intake.models import StaffRole
from intake.services.staff_sessions import IDLE_LIMIT, LIFETIME, StaffSessionView, current_staff_session

ADMINS = (StaffRole.ADMIN,)
SESSION_COOKIE = "ca_staff"
LOGIN_CSRF_COOKIE = "ca_login_csrf"  # the sign-in form has no session yet: a double-submit cookie guards it
Result = TypeVar("Result")


async def in_unit_of_work(request: Request, work: Callable[[Session], Result]) -> Result:
    """Run `work` in one unit of work, in a worker thread (the database calls block)."""
    runtime: Runtime = request.app.state.runtime
    return await run_in_threadpool(run_in_unit_of_work, runtime.sessions, work)


async def signed_in(request: Request) -> StaffSessionView | None:
    """Return the staff session of the request's cookie, or None."""
    runtime: Runtime = request.app.state.runtime
    token = request.cookies.get(SESSION_COOKIE)
    return await in_unit_of_work(request, lambda session: current_staff_session(session, token, runtime.now()))


async def signed_in_form(request: Request, max_fields: int = 10, roles: Collection[StaffRole] = tuple(StaffRole),
                         what: str = "") -> tuple[StaffSessionView, FormData] | Response:
    """Return the signed-in staff member and a state-changing request's form, or the response refusing it.

    Not signed in: back to `/login`. A form without its session's CSRF token: 403. A role
    outside `roles`: the 403 page naming `what` (a text marked `N_`) the role does not allow.
    """
    staff = await signed_in(request)
    form = await request.form(max_files=0, max_fields=max_fields)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    if not same_token(staff.csrf_token, form.get("csrf_token")):
        _ = gettext_for(request)
        return PlainTextResponse(_("Jeton de formulaire invalide."), status_code=403)
    if staff.role not in roles:
        return forbidden(request, staff, what)
    return staff, form


def same_token(expected: str | None, given: object) -> bool:
    """Compare a CSRF token in constant time; a missing one never matches."""
    return bool(expected) and isinstance(given, str) and hmac.compare_digest(expected or "", given)


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=int(LIFETIME.total_seconds()), httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/")


def set_login_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=int(IDLE_LIMIT.total_seconds()), httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/login")

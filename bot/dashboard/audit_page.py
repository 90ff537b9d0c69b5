"""The audit log page (admins only): staff actions, newest first, filtered from the address."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.dashboard.access import in_unit_of_work, signed_in
from bot.dashboard.rendering import TEMPLATES, forbidden
from datafiles.messages import N_
from intake.models import StaffRole
from intake.services.audit_log import AuditPage, audit_actions, audit_page

MAX_ACTOR = 128  # the column's width: a longer actor cannot be in the log
ACTION = re.compile(r"[a-z][a-z0-9_.]{0,63}")


@dataclass(frozen=True)
class AuditFilter:
    """The actor, action and page asked for; a malformed one is ignored and the page says so."""

    actor: str | None = None
    action: str | None = None
    page: int = 1
    problems: tuple[str, ...] = ()  # texts marked N_, translated by the template

    @classmethod
    def from_query(cls, query: QueryParams) -> AuditFilter:
        problems: list[str] = []
        actor = (query.get("actor") or "").strip() or None
        if actor is not None and len(actor) > MAX_ACTOR:
            problems.append(N_("acteur trop long : filtre ignoré"))
            actor = None
        action = (query.get("action") or "").strip() or None
        if action is not None and not ACTION.fullmatch(action):
            problems.append(N_("action mal formée : filtre ignoré"))
            action = None
        page_text = query.get("page") or "1"
        page = int(page_text) if page_text.isdigit() and len(page_text) <= 6 and int(page_text) > 0 else 0
        if not page:
            problems.append(N_("numéro de page invalide : première page affichée"))
        return cls(actor, action, page or 1, tuple(problems))

    def address(self, page: int) -> str:
        """Return the page's address with these filters and a page."""
        values = {"actor": self.actor, "action": self.action, "page": page}
        return "/audit?" + urlencode({k: v for k, v in values.items() if v is not None})


async def audit_log_page(request: Request) -> Response:
    """Show the audit log to admins, 50 entries a page; other roles get a 403 page."""
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    if staff.role != StaffRole.ADMIN:
        return forbidden(request, staff, N_("consulter le journal d'audit"))
    chosen = AuditFilter.from_query(request.query_params)

    def read(session: Session) -> tuple[AuditPage, list[str]]:
        return audit_page(session, actor=chosen.actor, action=chosen.action, page=chosen.page), audit_actions(session)

    page, actions = await in_unit_of_work(request, read)
    return TEMPLATES.TemplateResponse(request, "audit.html", {
        "staff": staff, "chosen": chosen, "page": page, "actions": actions})

"""The editions of the call as the catalog loaded them: the list with their dates and status, then one
edition's eligibility rules and dossier checklist, each with its source. Read-only, for every role.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.dashboard.access import signed_in
from bot.dashboard.languages import gettext_for
from bot.dashboard.rendering import TEMPLATES
from core.runtime import Runtime
from datafiles.messages import N_
from intake.edition_status import EditionStatus, edition_status
from intake.errors import UnknownEdition

STATUS_LABELS = {EditionStatus.OPEN: N_("ouverte"), EditionStatus.CLOSED: N_("close"),
                 EditionStatus.UPCOMING: N_("à venir"), EditionStatus.UNKNOWN: N_("dates inconnues")}
OUTCOME_LABELS = {"not_eligible": N_("non éligible"), "to_confirm": N_("à confirmer")}


async def editions_page(request: Request) -> Response:
    """List every edition, newest first, with its dates, sources and status today."""
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    runtime: Runtime = request.app.state.runtime
    today = runtime.today()
    editions = [runtime.catalog.get(year) for year in sorted(runtime.catalog.years(), reverse=True)]
    return TEMPLATES.TemplateResponse(request, "editions.html", {
        "staff": staff, "today": today, "statuses": STATUS_LABELS,
        "editions": [(edition, edition_status(edition, today)) for edition in editions]})


async def edition_page(request: Request) -> Response:
    """Show one edition's eligibility rules and dossier checklist, each with its source."""
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    runtime: Runtime = request.app.state.runtime
    year: int = request.path_params["year"]
    try:
        edition = runtime.catalog.get(year)
    except UnknownEdition:
        _ = gettext_for(request)
        return TEMPLATES.TemplateResponse(request, "missing.html", {
            "staff": staff, "what": _("fiche pour l'édition %(year)s") % {"year": year}}, status_code=404)
    return TEMPLATES.TemplateResponse(request, "edition.html", {
        "staff": staff, "edition": edition, "status": edition_status(edition, runtime.today()),
        "statuses": STATUS_LABELS, "outcomes": OUTCOME_LABELS})

"""The broadcast pages (admins only): a message to an edition's opted-in applicants, previewed, confirmed, reported.

The admin writes the text and chooses the edition, and optionally a verdict and a language;
the preview stores a draft and shows how many applicants it reaches and what they will read
(the header in each one's language, then the text); confirming queues one delivery per
applicant, which the bot sends within Telegram's limits (`bot/telegram/broadcasts.py`); the
broadcast's page then reports what sending gave. Viewers and reviewers get the 403 page.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.dashboard.access import ADMINS, in_unit_of_work, signed_in, signed_in_form
from bot.dashboard.languages import gettext_for
from bot.dashboard.rendering import TEMPLATES, forbidden
from bot.telegram.context import CHANNEL
from bot.telegram.texts import say
from core.runtime import Runtime
from datafiles.messages import N_
from intake.eligibility import Verdict
from intake.models import StaffRole
from intake.review_models import MessageStatus
from intake.schema import Language
from intake.services.broadcasts import (
    Audience,
    UnknownBroadcast,
    broadcast_report,
    confirm_broadcast,
    draft_broadcast,
    list_broadcasts,
    preview_broadcast,
)
from intake.services.staff_messages import MAX_TEXT, InvalidMessage
from intake.services.staff_sessions import StaffSessionView

WHAT = N_("diffuser des messages aux candidats")
VERDICT_LABELS = {Verdict.ELIGIBLE: N_("éligible"), Verdict.NOT_ELIGIBLE: N_("non éligible"),
                  Verdict.TO_CONFIRM: N_("à confirmer")}
LANGUAGE_LABELS = {Language.FR: N_("français"), Language.AR: N_("arabe"), Language.EN: N_("anglais")}
STATUS_LABELS = {MessageStatus.SENT: N_("envoyés"), MessageStatus.BLOCKED: N_("bloqués par le candidat"),
                 MessageStatus.FAILED: N_("en échec"), MessageStatus.PENDING: N_("en attente")}


async def broadcast_page(request: Request) -> Response:
    """The form to write a broadcast (prefilled from a draft with ?from=ID) and the past broadcasts."""
    staff = await _admin(request)
    if isinstance(staff, Response):
        return staff
    runtime: Runtime = request.app.state.runtime
    chosen = request.query_params.get("from", "")
    fields = {"text": "", "edition": str(runtime.catalog.latest().year), "verdict": "", "language": ""}
    if chosen.isdigit() and len(chosen) < 12:
        try:
            draft = await in_unit_of_work(request, lambda s: broadcast_report(s, int(chosen)).broadcast)
            fields = {"text": draft.text, **_fields_of(draft.audience)}
        except UnknownBroadcast:
            pass  # a stale link: the blank form
    return await _form(request, staff, fields)


async def preview_page(request: Request) -> Response:
    """Store the draft and show its audience and text, with the form that confirms it; refused input comes back."""
    checked = await signed_in_form(request, roles=ADMINS, what=WHAT)
    if isinstance(checked, Response):
        return checked
    staff, form = checked
    runtime: Runtime = request.app.state.runtime
    fields = {name: value if isinstance(value := form.get(name), str) else ""
              for name in ("text", "edition", "verdict", "language")}
    audience = _audience(fields, runtime)
    if audience is None:
        _ = gettext_for(request)
        return await _form(request, staff, fields, _("Choisissez une édition, un verdict et une langue de la liste."))
    try:
        broadcast_id = await in_unit_of_work(request, lambda s: draft_broadcast(
            s, author=staff.email, text=fields["text"], audience=audience, channel=CHANNEL, now=runtime.now()))
    except InvalidMessage as error:
        return await _form(request, staff, fields, str(error))
    return await _shown(request, staff, broadcast_id)


async def confirm_page(request: Request) -> Response:
    """Confirm a draft (once: confirming again changes nothing), then show its report."""
    checked = await signed_in_form(request, roles=ADMINS, what=WHAT)
    if isinstance(checked, Response):
        return checked
    staff, _ = checked
    runtime: Runtime = request.app.state.runtime
    broadcast_id: int = request.path_params["broadcast_id"]
    try:
        await in_unit_of_work(request, lambda s: confirm_broadcast(s, broadcast_id, actor=staff.email,
                                                                   channel=CHANNEL, now=runtime.now()))
    except UnknownBroadcast:
        return _missing(request, staff, broadcast_id)
    return RedirectResponse(f"/broadcast/{broadcast_id}", status_code=303)


async def report_page(request: Request) -> Response:
    """A broadcast: its preview while a draft, its delivery report once confirmed."""
    staff = await _admin(request)
    if isinstance(staff, Response):
        return staff
    return await _shown(request, staff, request.path_params["broadcast_id"])


async def _admin(request: Request) -> StaffSessionView | Response:
    """Return the signed-in admin, or the response for anyone else (sign-in page, 403 page)."""
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    if staff.role != StaffRole.ADMIN:
        return forbidden(request, staff, WHAT)
    return staff


def _audience(fields: dict[str, str], runtime: Runtime) -> Audience | None:
    """Return the audience the form chose, or None when a choice is not one the form offers."""
    edition, verdict, language = fields["edition"], fields["verdict"], fields["language"]
    if not edition.isdigit() or len(edition) != 4 or int(edition) not in runtime.catalog.years():
        return None
    if verdict not in {"", *Verdict} or language not in {"", *Language}:
        return None
    return Audience(int(edition), Verdict(verdict) if verdict else None, Language(language) if language else None)


def _fields_of(audience: Audience) -> dict[str, str]:
    return {"edition": str(audience.edition), "verdict": audience.verdict or "", "language": audience.language or ""}


async def _form(request: Request, staff: StaffSessionView, fields: dict[str, str], problem: str = "") -> Response:
    """The form (with what was typed and why it was refused, if it was) and the past broadcasts."""
    runtime: Runtime = request.app.state.runtime
    past = await in_unit_of_work(request, list_broadcasts)
    return TEMPLATES.TemplateResponse(request, "broadcast.html", {
        "staff": staff, "fields": fields, "problem": problem, "past": past, "max_text": MAX_TEXT,
        "editions": sorted(runtime.catalog.years(), reverse=True), **_labels()},
        status_code=400 if problem else 200)


async def _shown(request: Request, staff: StaffSessionView, broadcast_id: int) -> Response:
    """A draft's preview with the confirm form, or a confirmed broadcast's report."""

    def read(session: Any) -> dict[str, Any]:
        report = broadcast_report(session, broadcast_id)
        if report.broadcast.confirmed_at is not None:
            return {"report": report}
        preview = preview_broadcast(session, broadcast_id, CHANNEL)
        return {"preview": preview, "headers": _headers(preview.by_language or LANGUAGE_LABELS)}

    try:
        shown = await in_unit_of_work(request, read)
    except UnknownBroadcast:
        return _missing(request, staff, broadcast_id)
    return TEMPLATES.TemplateResponse(request, "broadcast_view.html", {"staff": staff, **shown, **_labels()})


def _headers(languages: Any) -> dict[Language, Markup]:
    # The header is the bot's own catalogue text (Telegram HTML: <b>, <i>), shown as the applicant sees it;
    # the broadcast's text itself is escaped by the template like any other.
    return {Language(language): Markup(say("broadcast_header", language)) for language in languages}


def _labels() -> dict[str, Any]:
    return {"verdict_labels": VERDICT_LABELS, "language_labels": LANGUAGE_LABELS, "status_labels": STATUS_LABELS}


def _missing(request: Request, staff: StaffSessionView, broadcast_id: int) -> Response:
    _ = gettext_for(request)
    return TEMPLATES.TemplateResponse(request, "missing.html", {
        "staff": staff, "what": _("diffusion %(id)s") % {"id": broadcast_id}}, status_code=404)

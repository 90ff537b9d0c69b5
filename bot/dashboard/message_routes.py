"""Writing to an applicant from an intake's page: the message is queued, and the bot sends it.

The bot's job (`bot/telegram/staff_messages.py`) sends it within Telegram's limits; the
applicant's reply joins the same thread, shown on the intake's page with each message's
status. Viewers read the thread; reviewers and admins write.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bot.dashboard.access import in_unit_of_work, signed_in_form
from bot.dashboard.languages import gettext_for
from bot.dashboard.rendering import TEMPLATES
from core.runtime import Runtime
from datafiles.messages import N_
from intake.errors import UnknownSession
from intake.services.reviews import CAN_REVIEW
from intake.services.staff_messages import MAX_TEXT, InvalidMessage, message_thread, queue_message
from intake.services.staff_sessions import StaffSessionView

STATUS_LABELS = {"pending": N_("en attente d'envoi"), "sent": N_("envoyé"), "failed": N_("échec de l'envoi"),
                 "blocked": N_("non remis : le candidat a bloqué le bot")}


def thread_context(session: Session, session_id: int) -> dict[str, Any]:
    """Return what the thread's template part needs: the messages, their status labels (marked N_), the limit."""
    return {"thread": message_thread(session, session_id), "message_labels": STATUS_LABELS,
            "max_message": MAX_TEXT}


async def post_message(request: Request) -> Response:
    """Queue a message to the intake's applicant (reviewers and admins); a refused one comes back with its text."""
    checked = await signed_in_form(request)
    if isinstance(checked, Response):
        return checked
    staff, form = checked
    _ = gettext_for(request)
    if staff.role not in CAN_REVIEW:
        return PlainTextResponse(_("Votre rôle ne permet pas d'écrire aux candidats."), status_code=403)
    runtime: Runtime = request.app.state.runtime
    session_id: int = request.path_params["session_id"]
    text = form.get("text")
    draft = text if isinstance(text, str) else ""
    try:
        await in_unit_of_work(request, lambda session: queue_message(session, session_id, staff.email, draft,
                                                                     runtime.now()))
    except UnknownSession:
        return PlainTextResponse(_("Dossier introuvable."), status_code=404)
    except InvalidMessage as error:
        return await _refused(request, staff, session_id, draft, str(error))
    return RedirectResponse(f"/intakes/{session_id}#messages", status_code=303)


async def _refused(request: Request, staff: StaffSessionView, session_id: int, draft: str, reason: str) -> Response:
    """Show the thread and the form again with the reason and the text as typed, so nothing is lost."""
    shown = await in_unit_of_work(request, lambda session: thread_context(session, session_id))
    return TEMPLATES.TemplateResponse(request, "intake_message.html", {
        "staff": staff, "session_id": session_id, "may_review": True, "message": reason, "draft": draft, **shown},
        status_code=400)

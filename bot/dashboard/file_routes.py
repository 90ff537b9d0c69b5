"""Downloading an applicant's attached file from their intake page (every role; audited)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bot.dashboard.access import in_unit_of_work, signed_in
from bot.dashboard.languages import gettext_for
from core.runtime import Runtime
from intake.errors import UnknownAttachment, UnknownSession
from intake.services.staff_views import attachment_for_staff


async def download_attachment(request: Request) -> Response:
    """Send the file as an attachment (never shown inline: it came from an applicant)."""
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    runtime: Runtime = request.app.state.runtime
    session_id: int = request.path_params["session_id"]
    attachment_id: int = request.path_params["attachment_id"]
    try:
        attachment = await in_unit_of_work(request, lambda session: attachment_for_staff(
            session, session_id, attachment_id, staff.email, runtime.now()))
        content = runtime.files.read(attachment.location)
    except (UnknownSession, UnknownAttachment, FileNotFoundError):
        _ = gettext_for(request)
        return PlainTextResponse(_("Fichier introuvable."), status_code=404)
    ascii_name = attachment.name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return Response(content, media_type=attachment.content_type, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(attachment.name)}",
        "X-Content-Type-Options": "nosniff"})

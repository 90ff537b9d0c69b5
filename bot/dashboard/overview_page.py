"""The overview (`/`): where the intakes stand, what applicants ask that is still open, the next deadline."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.dashboard.access import in_unit_of_work, signed_in
from bot.dashboard.broadcast_pages import VERDICT_LABELS
from bot.dashboard.edition_pages import STATUS_LABELS
from bot.dashboard.rendering import TEMPLATES
from core.question_review import question_groups
from core.runtime import Runtime
from intake.edition_status import edition_status
from intake.services.overview import intake_overview
from intake.services.question_log import QuestionFilter
from intake.services.reviews import review_statuses

OPEN_GROUPS_SHOWN = 5


async def overview_page(request: Request) -> Response:
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    runtime: Runtime = request.app.state.runtime

    def read(session: Session) -> dict[str, Any]:
        seen = intake_overview(session, runtime.catalog, runtime.now(), runtime.today())
        groups = question_groups(runtime, session, QuestionFilter())
        return {"overview": seen, "groups": groups[:OPEN_GROUPS_SHOWN], "open_groups": len(groups),
                "deadline_status": edition_status(seen.next_deadline, runtime.today())
                if seen.next_deadline else None}

    shown = await in_unit_of_work(request, read)
    busiest = max((count for _, count in shown["overview"].started_per_day), default=0)
    return TEMPLATES.TemplateResponse(request, "overview.html", {
        "staff": staff, "statuses": review_statuses(), "verdict_labels": VERDICT_LABELS,
        "edition_statuses": STATUS_LABELS,
        "busiest": max(busiest, 1), **shown})

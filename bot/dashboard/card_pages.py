"""The knowledge pages' answer cards: read by every role; written, retired and restored by admins.

A saved card is validated like a card file (`knowledge check`), written to the data
directory's `cards/` under the index lock, and the generation marker tells every other
process (the bot) to reload its cards before its next answer: no restart.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bot.dashboard.access import ADMINS, in_unit_of_work, signed_in, signed_in_form
from bot.dashboard.card_form import blank_fields, card_fields, card_from_fields, submitted_fields
from bot.dashboard.languages import gettext_for
from bot.dashboard.question_pages import EXAMPLE_LANGUAGE, MOST_IDS, outcome_ids
from bot.dashboard.rendering import TEMPLATES, forbidden
from core.runtime import Runtime
from datafiles import DataFileError
from datafiles.messages import N_
from intake.models import StaffRole
from intake.services.applicants import record_audit
from intake.services.question_log import mark_handled, questions_by_id
from intake.services.staff_sessions import StaffSessionView
from knowledge.cards import Card


async def new_card_page(request: Request) -> Response:
    """A blank card form, its examples filled in from the questions named in the address (admins)."""
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    if staff.role != StaffRole.ADMIN:
        return forbidden(request, staff, N_("écrire des fiches de réponse"))
    ids = [int(v) for v in request.query_params.getlist("question") if v.isdigit() and len(v) < 12][:MOST_IDS]
    asked = await in_unit_of_work(request, lambda session: questions_by_id(session, ids))
    examples: dict[str, list[str]] = {}
    for question in asked:
        examples.setdefault(EXAMPLE_LANGUAGE.get(question.language, "fr"), []).append(question.question)
    return _form(request, staff, blank_fields(examples), [q.outcome_id for q in asked], editing=None)


async def card_page(request: Request) -> Response:
    """One card: a form for admins, the same fields read-only for others."""
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    runtime: Runtime = request.app.state.runtime
    card_id: str = request.path_params["card_id"]
    runtime.knowledge.refresh()
    card = (runtime.knowledge.card_set.cards | runtime.knowledge.card_set.retired).get(card_id)
    if card is None:
        _ = gettext_for(request)
        return TEMPLATES.TemplateResponse(request, "missing.html", {
            "staff": staff, "what": _("fiche %(id)s") % {"id": card_id}}, status_code=404)
    return _form(request, staff, card_fields(card), [], editing=card)


async def save_card(request: Request) -> Response:
    """Create or change a card from the form (admins); the questions it came from are marked handled."""
    checked = await signed_in_form(request, max_fields=MOST_IDS + 60,
                                   roles=ADMINS, what=N_("écrire des fiches de réponse"))
    if isinstance(checked, Response):
        return checked
    staff, form = checked
    _ = gettext_for(request)
    runtime: Runtime = request.app.state.runtime
    fields, ids = submitted_fields(form), outcome_ids(form)
    editing = form.get("editing") if isinstance(form.get("editing"), str) and form.get("editing") else None
    card, problems = card_from_fields(fields | ({"id": str(editing)} if editing else {}), _)
    existing = runtime.knowledge.card_set.cards | runtime.knowledge.card_set.retired
    if card is not None and editing is None and card.id in existing:
        problems = [_("l'identifiant « %(id)s » est déjà pris : choisissez-en un autre ou modifiez cette fiche")
                    % {"id": card.id}]
    if card is not None and editing is not None and card.id not in existing:
        problems = [_("cette fiche n'existe plus")]
    if card is None or problems:
        current = existing.get(str(editing)) if editing else None
        return _form(request, staff, fields, ids, editing=current, problems=problems, status=400)
    try:
        await run_in_threadpool(runtime.knowledge.save_card, card)
    except DataFileError as error:
        return _form(request, staff, fields, ids, editing=None, problems=[p.message for p in error.problems],
                     status=400)
    await in_unit_of_work(request, lambda session: _saved(session, runtime, staff.email, card, ids))
    return RedirectResponse(f"/knowledge/cards/{card.id}", status_code=303)


async def retire_card(request: Request) -> Response:
    """Retire a card (the bot stops using it) or restore it (admins)."""
    checked = await signed_in_form(request, roles=ADMINS, what=N_("retirer des fiches de réponse"))
    if isinstance(checked, Response):
        return checked
    staff, form = checked
    runtime: Runtime = request.app.state.runtime
    card_id: str = request.path_params["card_id"]
    retired = form.get("retired") == "1"

    def change(card: Card | None) -> Card:
        assert card is not None  # change_card raised KeyError for an unknown id
        return card.model_copy(update={"retired": retired})

    try:
        await run_in_threadpool(runtime.knowledge.change_card, card_id, change)
    except KeyError:
        _ = gettext_for(request)
        return PlainTextResponse(_("Fiche introuvable."), status_code=404)
    await in_unit_of_work(request, lambda session: record_audit(
        session, actor=staff.email, action="card.retire" if retired else "card.restore", target=f"card:{card_id}",
        now=runtime.now()))
    return RedirectResponse(f"/knowledge/cards/{card_id}", status_code=303)


def _saved(session: Session, runtime: Runtime, actor: str, card: Card, ids: list[int]) -> None:
    record_audit(session, actor=actor, action="card.save", target=f"card:{card.id}",
                 details={"examples": len(card.examples.all()), "from_questions": len(ids)}, now=runtime.now())
    if ids:
        mark_handled(session, ids, actor, runtime.now(), card.id)


def _form(request: Request, staff: StaffSessionView, fields: dict[str, str], ids: list[int], *,
          editing: Card | None, problems: list[str] | None = None, status: int = 200) -> Response:
    runtime: Runtime = request.app.state.runtime
    source = runtime.knowledge.card_set.files.get(editing.id) if editing else None
    return TEMPLATES.TemplateResponse(request, "card.html", {
        "staff": staff, "fields": fields, "questions": ids, "editing": editing, "problems": problems or [],
        "is_admin": staff.role == StaffRole.ADMIN,
        "staff_written": bool(source and source.parent == runtime.knowledge.data_dir / "cards")},
        status_code=status)

"""The questions page: what applicants asked, grouped by need, and what staff do with a group.

Reviewers and admins mark groups handled; admins also add a group's questions as examples
to a card (the bot answers them with it from its next question on) or open a new card
prefilled with them (`card_pages`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bot.dashboard.access import ADMINS, in_unit_of_work, signed_in, signed_in_form
from bot.dashboard.languages import gettext_for, request_language
from bot.dashboard.rendering import TEMPLATES
from core.question_review import question_groups
from core.runtime import Runtime
from datafiles.messages import N_
from intake.models import StaffRole
from intake.services.applicants import record_audit
from intake.services.export import MEDIA_TYPES, ExportFormat, table_bytes
from intake.services.question_log import (
    QUESTION_COLUMNS,
    AnswerClass,
    QuestionFilter,
    logged_questions,
    mark_handled,
    question_rows,
    questions_by_id,
)
from intake.services.reviews import CAN_REVIEW

PERIODS = (7, 30, 90, 365)
MOST_IDS = 500  # questions one form may name
CLASS_LABELS = {AnswerClass.ANSWERED: N_("répondu"), AnswerClass.LOW_CONFIDENCE: N_("confiance faible"),
                AnswerClass.REFUSED: N_("non répondu")}
EXAMPLE_LANGUAGE = {"fr": "fr", "ar": "ar", "en": "en"}  # Darija is asked in either script: fr or ar replies


def question_filter(query: QueryParams) -> QuestionFilter:
    """Read the filter from the address; anything unexpected falls back to the default."""
    days = int(query["days"]) if query.get("days", "").isdigit() and int(query["days"]) in PERIODS else 30
    classes = {c.value: c for c in AnswerClass}
    return QuestionFilter(days, classes.get(query.get("class", "")), query.get("status") == "handled")


async def questions_page(request: Request, message: str = "", status: int = 200) -> Response:
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    runtime: Runtime = request.app.state.runtime
    chosen = question_filter(request.query_params)
    groups = await in_unit_of_work(request, lambda session: question_groups(runtime, session, chosen))
    language = request_language(request)
    cards = sorted(runtime.knowledge.cards.cards, key=lambda c: c.topic.get(language))
    return TEMPLATES.TemplateResponse(request, "questions.html", {
        "staff": staff, "chosen": chosen, "groups": groups, "total": sum(len(g.questions) for g in groups),
        "periods": PERIODS, "labels": CLASS_LABELS,
        "may_handle": staff.role in CAN_REVIEW, "is_admin": staff.role == StaffRole.ADMIN,
        "cards": cards, "topics": {card.id: card.topic.get(language) for card in cards}, "message": message},
        status_code=status)


async def export_questions(request: Request) -> Response:
    """The question log (the page's filter, not grouped) as CSV or XLSX; each export is audited."""
    staff = await signed_in(request)
    _ = gettext_for(request)
    if staff is None:
        return PlainTextResponse(_("Connexion requise."), status_code=401)
    if request.path_params["extension"] not in {f.value for f in ExportFormat}:
        return PlainTextResponse(_("Formats : questions.csv ou questions.xlsx."), status_code=404)
    fmt = ExportFormat(request.path_params["extension"])
    runtime: Runtime = request.app.state.runtime
    chosen = question_filter(request.query_params)

    def export(session: Session) -> bytes:
        rows = question_rows(logged_questions(session, chosen, runtime.now()))
        record_audit(session, actor=staff.email, action="export", target=f"questions.{fmt.value}",
                     now=runtime.now(), details={"rows": len(rows), "days": chosen.days})
        return table_bytes(QUESTION_COLUMNS, rows, fmt, "questions")

    content = await in_unit_of_work(request, export)
    return Response(content, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="questions.{fmt.value}"'})


def outcome_ids(form: FormData) -> list[int]:
    """Return the question ids a form names (malformed ones dropped, at most `MOST_IDS`)."""
    ids = [int(v) for v in form.getlist("question") if isinstance(v, str) and v.isdigit() and len(v) < 12]
    return list(dict.fromkeys(ids))[:MOST_IDS]


async def handle_questions(request: Request) -> Response:
    """Mark a group's questions handled (reviewers and admins)."""
    checked = await signed_in_form(request, max_fields=MOST_IDS + 5, roles=CAN_REVIEW, what=N_("traiter les questions"))
    if isinstance(checked, Response):
        return checked
    staff, form = checked
    runtime: Runtime = request.app.state.runtime
    ids = outcome_ids(form)
    if not ids:
        _ = gettext_for(request)
        return await questions_page(request, _("Aucune question choisie."), 400)
    await in_unit_of_work(request, lambda session: mark_handled(session, ids, staff.email, runtime.now()))
    return RedirectResponse(_back(form), status_code=303)


async def add_examples(request: Request) -> Response:
    """Add a group's questions as examples to a card, then mark them handled by it (admins)."""
    checked = await signed_in_form(request, max_fields=MOST_IDS + 5,
                                   roles=ADMINS, what=N_("modifier les fiches de réponse"))
    if isinstance(checked, Response):
        return checked
    staff, form = checked
    _ = gettext_for(request)
    runtime: Runtime = request.app.state.runtime
    card_id, ids = form.get("card"), outcome_ids(form)
    known = {card.id for card in runtime.knowledge.cards.cards}
    if not isinstance(card_id, str) or card_id not in known or not ids:
        return await questions_page(request, _("Choisissez une fiche et au moins une question."), 400)
    asked = await in_unit_of_work(request, lambda session: questions_by_id(session, ids))
    by_language: dict[str, list[str]] = {}
    for question in asked:
        by_language.setdefault(EXAMPLE_LANGUAGE.get(question.language, "fr"), []).append(question.question)
    try:
        # Embedding the new examples takes a moment: off the event loop.
        await run_in_threadpool(runtime.knowledge.add_examples, card_id, by_language)
    except (KeyError, ValueError) as error:
        return await questions_page(request, _("La fiche n'a pas été modifiée : %(error)s") % {"error": error}, 400)
    await in_unit_of_work(request, lambda session: _examples_added(session, runtime, staff.email, card_id,
                                                                   [q.outcome_id for q in asked]))
    return RedirectResponse(_back(form), status_code=303)


def _examples_added(session: Session, runtime: Runtime, actor: str, card_id: str, ids: list[int]) -> None:
    record_audit(session, actor=actor, action="card.examples", target=f"card:{card_id}",
                 details={"examples": len(ids)}, now=runtime.now())
    mark_handled(session, ids, actor, runtime.now(), card_id)


def _back(form: FormData) -> str:
    """Return the questions view the form came from (only that page's own filters are kept)."""
    back = form.get("back")
    return back if isinstance(back, str) and back.startswith("/questions") and "//" not in back else "/questions"

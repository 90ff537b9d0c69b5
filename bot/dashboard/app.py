"""The staff workspace's routes: sign in and out, the overview and the intake list.

Every page needs a signed-in staff member (anything else is sent to `/login`); every
form carries a CSRF token; each request is one unit of work.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.dashboard.access import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    in_unit_of_work,
    new_login_token,
    same_token,
    set_login_cookie,
    set_session_cookie,
    signed_in,
    signed_in_form,
)
from bot.dashboard.audit_page import audit_log_page
from bot.dashboard.broadcast_pages import VERDICT_LABELS, broadcast_page, confirm_page, preview_page, report_page
from bot.dashboard.card_pages import card_page, new_card_page, retire_card, save_card
from bot.dashboard.edition_pages import edition_page, editions_page
from bot.dashboard.file_routes import download_attachment
from bot.dashboard.intake_list import COMPLETIONS, LANGUAGES, VERDICTS, IntakeFilter, page_of
from bot.dashboard.knowledge_pages import knowledge_page, remove_document, upload_document
from bot.dashboard.languages import choose_language, gettext_for, request_language
from bot.dashboard.message_routes import post_message, thread_context
from bot.dashboard.overview_page import overview_page
from bot.dashboard.question_pages import add_examples, export_questions, handle_questions, questions_page
from bot.dashboard.rendering import TEMPLATES
from core.runtime import Runtime
from datafiles.messages import N_
from intake.errors import UnknownSession
from intake.services.applicants import record_audit
from intake.services.export import MEDIA_TYPES, ExportFormat, export_bytes, export_columns
from intake.services.intake_search import search_intakes
from intake.services.reviews import (
    CAN_REVIEW,
    InvalidReview,
    change_review,
    get_review,
    review_statuses,
)
from intake.services.staff import SignIn, list_staff, sign_in
from intake.services.staff_sessions import close_staff_session, open_staff_session
from intake.services.staff_views import intake_for_staff

MAX_FIELD = 1000
SIGN_IN_ERRORS = {SignIn.WRONG: (401, N_("E-mail ou mot de passe incorrect.")),
                  SignIn.DISABLED: (401, N_("E-mail ou mot de passe incorrect.")),
                  SignIn.LOCKED: (429, N_("Trop d'essais : ce compte est bloqué pendant 15 minutes."))}

# htmx from PyPI (django-js-lib-htmx ships its browser files and needs no Django): no network, no build step.
HTMX = str(resources.files("js_lib_htmx") / "static" / "htmx")

def create_dashboard(runtime: Runtime) -> Starlette:
    """Return the workspace app over a runtime (its database, editions and clock)."""
    app = Starlette(routes=[
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/language/{code:str}", choose_language, methods=["GET"]),
        Route("/", overview_page, methods=["GET"]),
        Route("/intakes", intakes, methods=["GET"]),
        Route("/intakes/{session_id:int}", intake_page, methods=["GET"]),
        Route("/intakes/{session_id:int}/review", review_intake, methods=["POST"]),
        Route("/intakes/{session_id:int}/messages", post_message, methods=["POST"]),
        Route("/exports/intakes.{extension:str}", export_intakes, methods=["GET"]),
        Route("/intakes/{session_id:int}/files/{attachment_id:int}", download_attachment, methods=["GET"]),
        Route("/editions", editions_page, methods=["GET"]),
        Route("/editions/{year:int}", edition_page, methods=["GET"]),
        Route("/audit", audit_log_page, methods=["GET"]),
        Route("/questions", questions_page, methods=["GET"]),
        Route("/questions/handled", handle_questions, methods=["POST"]),
        Route("/questions/examples", add_examples, methods=["POST"]),
        Route("/exports/questions.{extension:str}", export_questions, methods=["GET"]),
        Route("/knowledge", knowledge_page, methods=["GET"]),
        Route("/knowledge/cards/new", new_card_page, methods=["GET"]),
        Route("/knowledge/cards", save_card, methods=["POST"]),
        Route("/knowledge/cards/{card_id:str}", card_page, methods=["GET"]),
        Route("/knowledge/cards/{card_id:str}/retire", retire_card, methods=["POST"]),
        Route("/knowledge/documents", upload_document, methods=["POST"]),
        Route("/knowledge/documents/remove", remove_document, methods=["POST"]),
        Route("/broadcast", broadcast_page, methods=["GET"]),
        Route("/broadcast/preview", preview_page, methods=["POST"]),
        Route("/broadcast/{broadcast_id:int}", report_page, methods=["GET"]),
        Route("/broadcast/{broadcast_id:int}/confirm", confirm_page, methods=["POST"]),
    ])
    app.router.routes.append(Mount("/static/htmx", StaticFiles(directory=HTMX), name="htmx"))
    app.state.runtime = runtime
    return app


async def login_page(request: Request, message: str = "", status: int = 200) -> Response:
    """The sign-in form, with a message (a text marked N_) when the last try failed."""
    token = new_login_token()
    response = TEMPLATES.TemplateResponse(request, "login.html", {
        "csrf": token, "message": gettext_for(request)(message) if message else ""}, status_code=status)
    set_login_cookie(response, request, token)
    return response


async def login(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    if not same_token(request.cookies.get(LOGIN_CSRF_COOKIE), form.get("csrf_token")):
        return await login_page(request, N_("Le formulaire a expiré : recommencez."), 403)
    email, password = form.get("email"), form.get("password")
    if not isinstance(email, str) or not isinstance(password, str) or not email or len(email + password) > MAX_FIELD:
        return await login_page(request, N_("Indiquez votre e-mail et votre mot de passe."), 400)
    runtime: Runtime = request.app.state.runtime

    def check(session: Any) -> tuple[SignIn, str | None]:
        result = sign_in(session, email, password, runtime.now())
        if result.account is None:
            return result.outcome, None
        return result.outcome, open_staff_session(session, result.account, runtime.now())[0]

    outcome, token = await in_unit_of_work(request, check)
    if token is None:
        status, message = SIGN_IN_ERRORS[outcome]
        return await login_page(request, message, status)
    response = RedirectResponse("/intakes", status_code=303)
    set_session_cookie(response, request, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


async def logout(request: Request) -> Response:
    checked = await signed_in_form(request)
    if isinstance(checked, Response):
        return checked
    runtime: Runtime = request.app.state.runtime
    token = request.cookies.get(SESSION_COOKIE)
    await in_unit_of_work(request, lambda session: close_staff_session(session, token, runtime.now()))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def intakes(request: Request) -> Response:
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    runtime: Runtime = request.app.state.runtime
    statuses = review_statuses()
    chosen = IntakeFilter.from_query(request.query_params, runtime.catalog, {s.id for s in statuses})
    page = await in_unit_of_work(request, lambda session: page_of(session, chosen, runtime.catalog))
    return TEMPLATES.TemplateResponse(request, "intakes.html", {
        "staff": staff, "chosen": chosen, "page": page, "reviews": page.reviews, "statuses": statuses,
        "labels": {s.id: s.label.fr for s in statuses},
        "verdicts": VERDICTS, "verdict_labels": VERDICT_LABELS, "languages": LANGUAGES, "completions": COMPLETIONS,
        "editions": sorted(runtime.catalog.years(), reverse=True)})


async def intake_page(request: Request, message: str = "", status: int = 200) -> Response:
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    runtime: Runtime = request.app.state.runtime
    session_id: int = request.path_params["session_id"]

    def read(session: Any) -> dict[str, Any]:
        return {"detail": intake_for_staff(session, session_id, runtime.catalog, staff.email, runtime.now(),
                                           request_language(request)),
                "review": get_review(session, session_id), "statuses": review_statuses(),
                "reviewers": [a.email for a in list_staff(session) if a.role in CAN_REVIEW and not a.disabled],
                **thread_context(session, session_id)}

    try:
        shown = await in_unit_of_work(request, read)
    except UnknownSession:
        _ = gettext_for(request)
        return TEMPLATES.TemplateResponse(request, "missing.html", {
            "staff": staff, "what": _("dossier %(id)s") % {"id": session_id}}, status_code=404)
    return TEMPLATES.TemplateResponse(request, "intake.html", {
        "staff": staff, "may_review": staff.role in CAN_REVIEW, "message": message, **shown}, status_code=status)


async def review_intake(request: Request) -> Response:
    """Change an intake's review status, reviewer or add a note (reviewers and admins)."""
    checked = await signed_in_form(request)
    if isinstance(checked, Response):
        return checked
    staff, form = checked
    _ = gettext_for(request)
    if staff.role not in CAN_REVIEW:
        return PlainTextResponse(_("Votre rôle ne permet pas de modifier le suivi."), status_code=403)
    runtime: Runtime = request.app.state.runtime
    session_id: int = request.path_params["session_id"]
    fields = {name: value if isinstance(value := form.get(name), str) else None
              for name in ("status", "reviewer", "note")}
    try:
        await in_unit_of_work(request, lambda session: change_review(session, session_id, staff.email,
                                                                     runtime.now(), **fields))
    except UnknownSession:
        return PlainTextResponse(_("Dossier introuvable."), status_code=404)
    except InvalidReview as error:
        return await intake_page(request, str(error), 400)
    return RedirectResponse(f"/intakes/{session_id}", status_code=303)


async def export_intakes(request: Request) -> Response:
    """The intake list as CSV or XLSX, with the list's filters; each export is audited."""
    staff = await signed_in(request)
    _ = gettext_for(request)
    if staff is None:
        return PlainTextResponse(_("Connexion requise."), status_code=401)
    if request.path_params["extension"] not in {f.value for f in ExportFormat}:
        return PlainTextResponse(_("Formats : intakes.csv ou intakes.xlsx."), status_code=404)
    fmt = ExportFormat(request.path_params["extension"])
    runtime: Runtime = request.app.state.runtime
    statuses = review_statuses()
    chosen = IntakeFilter.from_query(request.query_params, runtime.catalog, {s.id for s in statuses})

    def export(session: Any) -> bytes:
        kept = [row.summary for row in search_intakes(session, chosen.query(), catalog=runtime.catalog).rows]
        record_audit(session, actor=staff.email, action="export", target=fmt.value, now=runtime.now(),
                     details={"rows": len(kept), "filters": chosen.address(1)})
        return export_bytes(kept, fmt, export_columns(runtime.catalog, chosen.edition))

    content = await in_unit_of_work(request, export)
    return Response(content, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="intakes.{fmt.value}"'})

"""The knowledge page: answer cards and indexed documents; admins upload and remove documents.

An upload follows `cluster-assistant ingest`'s rules (same file types, same size limit,
same errors): the file is kept in the data directory's `documents/` and indexed under the
index lock, so the bot sees it before its next answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bot.dashboard.access import ADMINS, in_unit_of_work, same_token, signed_in, signed_in_form
from bot.dashboard.languages import gettext_for, request_language
from bot.dashboard.rendering import TEMPLATES, forbidden
from core.runtime import Runtime
from datafiles.messages import N_
from intake.models import StaffRole
from intake.services.applicants import record_audit
from knowledge.loading import MAX_FILE_BYTES, SUPPORTED_SUFFIXES

_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class DocumentView:
    source: str
    title: str
    editions: str
    passages: int


def documents(runtime: Runtime) -> list[DocumentView]:
    """Return each indexed document with its editions and passage count, by title."""
    passages = runtime.knowledge.retriever.passages
    counts = Counter(p.source for p in passages)
    titles = {p.source: p.title for p in passages}
    editions: dict[str, set[str]] = {}
    for passage in passages:
        editions.setdefault(passage.source, set()).add(passage.edition or "?")
    return sorted((DocumentView(source, titles[source], ", ".join(sorted(editions[source])), count)
                   for source, count in counts.items()), key=lambda d: d.title.casefold())


async def knowledge_page(request: Request, message: str = "", status: int = 200) -> Response:
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    runtime: Runtime = request.app.state.runtime
    runtime.knowledge.refresh()
    card_set = runtime.knowledge.card_set
    data_cards = runtime.knowledge.data_dir / "cards"
    language = request_language(request)  # cards are listed by their topic in the page's language
    return TEMPLATES.TemplateResponse(request, "knowledge.html", {
        "staff": staff, "is_admin": staff.role == StaffRole.ADMIN, "message": message,
        "cards": sorted(card_set.cards.values(), key=lambda c: (c.kind, c.topic.get(language).casefold())),
        "retired": sorted(card_set.retired.values(), key=lambda c: c.topic.get(language).casefold()),
        "staff_written": {card_id for card_id, path in card_set.files.items() if path.parent == data_cards},
        "problems": runtime.knowledge.card_problems, "documents": documents(runtime),
        "suffixes": " ".join(sorted(SUPPORTED_SUFFIXES)), "max_mb": MAX_FILE_BYTES // (1024 * 1024)},
        status_code=status)


async def upload_document(request: Request) -> Response:
    """Index an uploaded call text (admins), with its edition when given."""
    staff = await signed_in(request)
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    _ = gettext_for(request)
    async with request.form(max_files=1, max_fields=5) as form:
        if not same_token(staff.csrf_token, form.get("csrf_token")):
            return PlainTextResponse(_("Jeton de formulaire invalide."), status_code=403)
        if staff.role != StaffRole.ADMIN:
            return forbidden(request, staff, N_("ajouter des documents"))
        upload, edition = form.get("document"), form.get("edition")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await knowledge_page(request, _("Choisissez un fichier."), 400)
        problem = _upload_problem(upload, edition, _)
        if problem:
            return await knowledge_page(request, problem, 400)
        runtime: Runtime = request.app.state.runtime
        target = _kept_path(runtime, upload.filename)
        target.write_bytes(await upload.read())
    report = await run_in_threadpool(runtime.knowledge.ingest, [target], str(edition) if edition else None)
    await in_unit_of_work(request, lambda session: record_audit(
        session, actor=staff.email, action="document.upload", target=target.name,
        details={"passages": report.passages, "failed": len(report.failed)}, now=runtime.now()))
    if not report.ok:
        target.unlink(missing_ok=True)
        return await knowledge_page(request, _("Le document n'a pas pu être indexé : %(errors)s")
                                    % {"errors": "; ".join(report.failed)}, 400)
    if report.unchanged:
        return await knowledge_page(request, _("%(name)s : déjà indexé, inchangé.") % {"name": target.name})
    return await knowledge_page(request, _("%(name)s : %(count)s passages indexés.")
                                % {"name": target.name, "count": report.passages})


async def remove_document(request: Request) -> Response:
    """Drop a document from the index (admins); its file in `documents/` goes too."""
    checked = await signed_in_form(request, roles=ADMINS, what=N_("retirer des documents"))
    if isinstance(checked, Response):
        return checked
    staff, form = checked
    runtime: Runtime = request.app.state.runtime
    source = form.get("source")
    if not isinstance(source, str) or source not in {d.source for d in documents(runtime)}:
        _ = gettext_for(request)
        return await knowledge_page(request, _("Ce document n'est pas indexé."), 404)
    removed = await run_in_threadpool(runtime.knowledge.remove, source)
    kept = runtime.knowledge.data_dir / "documents"
    if Path(source).parent == kept:
        Path(source).unlink(missing_ok=True)
    await in_unit_of_work(request, lambda session: record_audit(
        session, actor=staff.email, action="document.remove", target=Path(source).name,
        details={"passages": removed}, now=runtime.now()))
    return RedirectResponse("/knowledge", status_code=303)


def _upload_problem(upload: UploadFile, edition: object, gettext: Callable[[str], str]) -> str | None:
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = " ".join(sorted(SUPPORTED_SUFFIXES))
        return gettext("Type de fichier non pris en charge (%(suffix)s) : %(kinds)s.") % {
            "suffix": suffix or gettext("sans extension"), "kinds": kinds}
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        return gettext("Fichier trop volumineux : %(most)s Mo au plus.") % {"most": MAX_FILE_BYTES // (1024 * 1024)}
    if edition and not (isinstance(edition, str) and re.fullmatch(r"20\d\d", edition)):
        return gettext("Édition : une année, par exemple 2025.")
    return None


def _kept_path(runtime: Runtime, filename: str) -> Path:
    folder = runtime.knowledge.data_dir / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    name = _UNSAFE.sub("-", Path(filename).name).strip(".-") or "document"
    return folder / name[-120:]

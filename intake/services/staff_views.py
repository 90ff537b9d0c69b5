"""What staff see of one intake: answers in words, the verdict's reasons with sources, the
checklist and the questions the applicant asked. Each view is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.catalog import EditionCatalog
from intake.errors import NotOwner, UnknownAttachment, UnknownSession
from intake.models import AskedQuestion, IntakeSession
from intake.schema import Language
from intake.services.applicants import record_audit
from intake.services.dossier import AttachmentView, ChecklistView, attachment_view, get_checklist
from intake.services.summaries import IntakeSummary, answer_label, build_summary, reason_texts, verdict_label

QUESTIONS_SHOWN = 100


@dataclass(frozen=True)
class ReasonView:
    explanation: str
    source: str


@dataclass(frozen=True)
class AskedView:
    question: str
    answer: str
    abstained: bool
    asked_at: datetime


@dataclass(frozen=True)
class IntakeDetail:
    """One intake as staff read it (in French, the Division's working language, unless asked otherwise)."""

    summary: IntakeSummary
    verdict: str
    answers: list[tuple[str, str]]  # (question, answer in words), in the check's order
    reasons: list[ReasonView]
    checklist: ChecklistView
    asked: list[AskedView]


def intake_for_staff(session: Session, session_id: int, catalog: EditionCatalog, actor: str,
                     now: datetime, language: Language = Language.FR) -> IntakeDetail:
    """Return one intake for a staff member, its answers and reasons in `language`, and audit the view.

    Raises:
        UnknownSession: there is no such intake.
    """
    row = session.get(IntakeSession, session_id)
    if row is None:
        raise UnknownSession(f"no intake {session_id}")
    summary = build_summary(session, row.applicant_id, session_id, catalog=catalog)
    spec = catalog.get(summary.edition)
    answers = [(q.label(language), answer_label(q, summary.answers[q.id], language))
               for q in spec.questions if q.id in summary.answers]
    reasons = [ReasonView(explanation, cite) for explanation, cite in reason_texts(summary, spec, language)]
    asked = session.scalars(select(AskedQuestion).where(AskedQuestion.applicant_id == row.applicant_id)
                            .order_by(AskedQuestion.id.desc()).limit(QUESTIONS_SHOWN))
    record_audit(session, actor=actor, action="intake.view", target=f"intake:{session_id}", now=now)
    return IntakeDetail(summary, verdict_label(summary.verdict, language) if summary.verdict else "en cours",
                        answers, reasons, get_checklist(session, row.applicant_id, summary.edition, catalog=catalog),
                        [AskedView(a.question, a.answer, a.abstained, a.created_at) for a in asked])


def attachment_for_staff(session: Session, session_id: int, attachment_id: int, actor: str,
                         now: datetime) -> AttachmentView:
    """Return a file attached to this intake's checklist, for download, and audit it.

    Raises:
        UnknownSession: there is no such intake.
        UnknownAttachment: no such file, or it belongs to another applicant (the same answer,
            so an address cannot be used to probe other intakes' files).
    """
    row = session.get(IntakeSession, session_id)
    if row is None:
        raise UnknownSession(f"no intake {session_id}")
    try:
        found = repo.owned_attachment(session, row.applicant_id, attachment_id)
    except NotOwner as error:
        raise UnknownAttachment(str(error)) from error
    if found.item_state.edition != row.edition:
        raise UnknownAttachment(f"attachment {attachment_id} is for another edition's checklist")
    record_audit(session, actor=actor, action="file.download", target=f"intake:{session_id}",
                 details={"attachment": attachment_id}, now=now)
    return attachment_view(found)

"""Plain factory functions for intake test data, each in its own unit of work."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from intake import services
from intake.database import unit_of_work
from intake.services import CheckState, FileRef

# Before the 2025 deadline (24 July 2025, 15:00 in Morocco).
NOW = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)
AFTER_DEADLINE = datetime(2025, 7, 25, 9, 0, tzinfo=UTC)
_ids = itertools.count(1000)

ELIGIBLE_NEW: dict[str, Any] = {
    "cluster_status": "new",
    "sector": "technological",
    "member_types": ["companies", "research", "training"],
    "member_count": 18,
    "company_share_percent": 70,
    "legal_form": "association",
    "has_governance": True,
    "has_collaborative_projects": True,
    "cluster_name": "Atlas Photonics",
}
ELIGIBLE_EXISTING: dict[str, Any] = {
    **ELIGIBLE_NEW, "cluster_status": "existing", "previously_labelled": True, "years_of_state_support": 9,
}


def make_applicant(
    factory: sessionmaker[Session], *, language: str = "fr", consent: bool = True, external_id: str | None = None
) -> int:
    """Create an applicant (with consent unless told otherwise) and return its id."""
    with unit_of_work(factory) as session:
        person = services.register_applicant(
            session, channel="telegram", external_id=external_id or str(next(_ids)), language=language, now=NOW
        )
        if consent:
            services.record_consent(session, person.id, now=NOW)
        return person.id


def start_check(factory: sessionmaker[Session], applicant_id: int, edition: int = 2025) -> CheckState:
    """Start the applicant's check for an edition."""
    with unit_of_work(factory) as session:
        return services.start_or_resume_check(session, applicant_id, edition, now=NOW)


def answer_all(factory: sessionmaker[Session], applicant_id: int, session_id: int,
               answers: dict[str, Any]) -> CheckState:
    """Answer, one unit of work per answer as a chat would, every question the flow asks."""
    state = None
    with unit_of_work(factory) as session:
        state = services.get_check(session, applicant_id, session_id, now=NOW)
    while state.current_question is not None and state.current_question.id in answers:
        with unit_of_work(factory) as session:
            question_id = state.current_question.id
            state = services.record_answer(session, applicant_id, session_id, question_id, answers[question_id],
                                           now=NOW)
    return state


def make_finished_check(factory: sessionmaker[Session], answers: dict[str, Any] | None = None,
                        language: str = "fr") -> tuple[int, CheckState]:
    """Create an applicant whose 2025 check is answered and finished."""
    applicant_id = make_applicant(factory, language=language)
    state = start_check(factory, applicant_id)
    answer_all(factory, applicant_id, state.session_id, answers or ELIGIBLE_NEW)
    with unit_of_work(factory) as session:
        return applicant_id, services.finish_check(session, applicant_id, state.session_id, now=NOW)


def file_ref(name: str = "statuts.pdf", content: bytes = b"%PDF-1.7 statuts") -> FileRef:
    """Return a reference to a file stored outside the database."""
    return FileRef(name=name, size=len(content), content_type="application/pdf",
                   sha256=hashlib.sha256(content).hexdigest(), location=f"uploads/{name}")

"""Summaries for applicants and staff, asked questions, and deleting an applicant's data."""

from __future__ import annotations

import pytest
from intake_factories import ELIGIBLE_NEW, NOW, file_ref, make_applicant, make_finished_check, start_check
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intake import services
from intake.database import unit_of_work
from intake.errors import UnknownApplicant
from intake.models import (
    Applicant,
    AskedQuestion,
    Attachment,
    AuditEntry,
    ChecklistEvent,
    ChecklistItemState,
    IntakeSession,
)
from intake.repositories import count_rows

TEXTS = {
    "fr": ["Résumé de votre pré-vérification, édition 2025", "• Secteur : Technologique",
           "Résultat : à confirmer", "Dossier : 0 % prêt"],
    "ar": ["ملخص التحقق الأولي من الأهلية، دورة 2025", "• القطاع: تكنولوجي", "النتيجة: يتعين التأكد",
           "مقاولات، مؤسسات البحث"],
    "en": ["Summary of your pre-eligibility check, 2025 edition", "• Sector: Technological",
           "Result: to confirm", "In the first editions (2011), a cluster needed at least 15 members"],
}


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_summary_reads_in_the_applicants_language(factory: sessionmaker[Session], language: str) -> None:
    applicant_id, state = make_finished_check(factory, {**ELIGIBLE_NEW, "member_count": 9}, language=language)
    with factory() as session:
        summary = services.build_summary(session, applicant_id, state.session_id)
    assert summary.verdict == "to_confirm"
    assert summary.reasons == [{"rule": "earlier_rule_min_members", "outcome": "to_confirm"}]
    text = services.render_summary_text(summary, summary.language)
    for expected in TEXTS[language]:
        assert expected in text


def test_staff_list_every_summary_with_checklist_progress(factory: sessionmaker[Session]) -> None:
    first_id, _ = make_finished_check(factory)
    second_id = make_applicant(factory, language="ar")
    start_check(factory, second_id)
    with unit_of_work(factory) as session:
        services.update_checklist_item(session, first_id, 2025, "application_form", status="done", now=NOW)
    with factory() as session:
        summaries = services.list_summaries(session)
        assert services.list_summaries(session, edition=2024) == []
    assert [(s.applicant_id, s.status, s.verdict) for s in summaries] == [
        (first_id, "finished", "eligible"), (second_id, "in_progress", "to_confirm")]
    assert summaries[0].checklist_completion == 100 // 9  # support_history is not applicable to a new cluster
    assert summaries[0].next_item == "statutes"
    assert summaries[1].missing[0] == "cluster_status"


def test_asked_questions_are_kept_with_their_answer(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    with unit_of_work(factory) as session:
        services.record_asked_question(session, applicant_id=applicant_id, question="Quelle date limite ?",
                                       answer="Le 24 juillet 2025 à 15h.", abstained=False, language="fr",
                                       edition=2025, sources=["press_2025"], now=NOW)
        services.record_asked_question(session, applicant_id=None, question="Budget ?", answer="",
                                       abstained=True, language="fr", now=NOW)
    with factory() as session:
        rows = session.scalars(select(AskedQuestion).order_by(AskedQuestion.id)).all()
    assert [(r.applicant_id, r.abstained, r.sources) for r in rows] == [
        (applicant_id, False, ["press_2025"]), (None, True, [])]


def test_deleting_an_applicant_removes_everything_about_them(factory: sessionmaker[Session]) -> None:
    applicant_id, _ = make_finished_check(factory)
    other_id, _ = make_finished_check(factory)
    with unit_of_work(factory) as session:
        services.attach_file(session, applicant_id, 2025, "statutes", file_ref(), now=NOW)
        services.update_checklist_item(session, applicant_id, 2025, "governance", status="done", now=NOW)
        services.record_asked_question(session, applicant_id=applicant_id, question="?", answer="!",
                                       abstained=False, language="fr", now=NOW)
    with unit_of_work(factory) as session:
        report = services.delete_applicant_data(session, applicant_id, actor="applicant", now=NOW)
    assert report.counts == {"attachments": 1, "checklist_events": 3, "checklist_items": 2, "intake_sessions": 1,
                             "asked_questions": 1, "answer_outcomes": 0, "applicants": 1}
    assert report.attachment_locations == ["uploads/statuts.pdf"]
    with factory() as session:
        assert session.get(Applicant, applicant_id) is None
        assert [count_rows(session, m) for m in (Attachment, ChecklistEvent, ChecklistItemState)] == [0, 0, 0]
        assert session.scalars(select(IntakeSession.applicant_id)).all() == [other_id]
        audit = session.scalars(select(AuditEntry)).one()
        assert (audit.action, audit.target, audit.details["counts"]["applicants"]) == (
            "delete_applicant", f"applicant:{applicant_id}", 1)
    with pytest.raises(UnknownApplicant), unit_of_work(factory) as session:
        services.delete_applicant_data(session, applicant_id, now=NOW)

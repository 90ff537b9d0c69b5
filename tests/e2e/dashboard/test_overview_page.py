"""The overview page: counts by verdict and review status, starts per day, open questions, next deadline."""

from __future__ import annotations

from intake_factories import ELIGIBLE_NEW, NOW, make_finished_check
from starlette.testclient import TestClient
from workspace_client import REVIEWER, VIEWER, page_text, sign_in

from core.runtime import Runtime
from intake.database import unit_of_work
from intake.services.outcomes import record_outcome
from intake.services.reviews import change_review


def test_the_overview_shows_where_intakes_stand_the_open_questions_and_the_deadline(
        staff_client: TestClient, staff_runtime: Runtime) -> None:
    make_finished_check(staff_runtime.sessions, {**ELIGIBLE_NEW, "cluster_name": "Atlas"})
    _, state = make_finished_check(staff_runtime.sessions, {**ELIGIBLE_NEW, "cluster_name": "Rif"})
    with unit_of_work(staff_runtime.sessions) as session:
        change_review(session, state.session_id, REVIEWER, NOW, status="shortlisted")
        record_outcome(session, applicant_id=None, question="Le salaire de l'animateur est-il financé ?",
                       language="fr", decision="refused", score=0.1, chosen=None, now=NOW)
    shown = page_text(sign_in(staff_client, VIEWER).get("/").text)
    assert "2 vérification(s) d'éligibilité." in shown
    assert "éligible 2" in shown and "Nouveau 1" in shown and "Présélectionné 1" in shown
    assert "Édition 2025 · ouverte" in shown and "2025-07-24 15:00" in shown
    assert "1 groupe(s)" in shown and "Le salaire de l'animateur est-il financé ? (1)" in shown
    assert f"{NOW.date().isoformat()} 2" in shown  # today's starts
    arabic = staff_client.get("/", headers={"Accept-Language": "ar"}).text
    assert 'dir="rtl"' in arabic and "آخر أجل للإيداع" in arabic

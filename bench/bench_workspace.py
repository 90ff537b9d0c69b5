"""The staff workspace with 5,000 intakes: how long its pages take (SQLite, or PostgreSQL).

    .venv/bin/python bench/bench_workspace.py [--intakes 5000] [--questions 500] [--database-url URL]

Fifty checks are run through the real services (varied answers, so verdicts and reasons
are real), then copied with new chat ids, names and dates up to the number asked. Each
page is requested through the app (Starlette's test client, signed in as a reviewer) a
few times; the figures are the median and the slowest, in milliseconds. The questions page
is timed cold (every question embedded) and warm.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from starlette.testclient import TestClient

from bot.dashboard.app import create_dashboard
from core.clock import FixedClock
from core.runtime import Runtime, build_runtime
from core.settings import Settings
from intake import services
from intake.database import unit_of_work
from intake.models import Applicant, IntakeSession, StaffRole
from intake.services.outcomes import record_outcome
from intake.services.staff import add_staff

NOW = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)
EMAIL, PASSWORD = "reviewer@mcinet.gov.ma", "Kenitra-Clusters-2026"
BASE = {"cluster_status": "new", "sector": "technological", "member_types": ["companies", "research", "training"],
        "member_count": 18, "company_share_percent": 70, "legal_form": "association", "has_governance": True,
        "has_collaborative_projects": True}
QUESTIONS = ["Quelle est la date limite de dépôt ?", "wach khass statuts dyal jam3iya ?",
             "Les salaires de l'animateur sont-ils financés ?", "What documents must the file include?",
             "ما هي شروط الأهلية للعناقيد الجديدة؟", "Combien de membres faut-il au minimum ?"]


def run_checks(runtime: Runtime, count: int) -> None:
    """Run `count` real checks with varied answers."""
    rng = random.Random(7)
    for n in range(count):
        answers: dict[str, Any] = {**BASE, "member_count": rng.choice([6, 12, 18, 40]),
                                   "company_share_percent": rng.choice([30, 55, 70, 90]),
                                   "has_governance": rng.random() > 0.2, "cluster_name": f"Cluster {n}"}
        with unit_of_work(runtime.sessions) as session:
            person = services.register_applicant(session, channel="telegram", external_id=f"seed{n}",
                                                 language=rng.choice(["fr", "ar", "en"]), now=NOW)
            services.record_consent(session, person.id, now=NOW)
            state = services.start_or_resume_check(session, person.id, 2025, now=NOW)
            while state.current_question is not None and state.current_question.id in answers:
                question = state.current_question.id
                state = services.record_answer(session, person.id, state.session_id, question, answers[question],
                                               now=NOW)
            services.finish_check(session, person.id, state.session_id, now=NOW)


def copy_intakes(runtime: Runtime, total: int) -> None:
    """Copy the real checks into new applicants until there are `total` intakes."""
    with unit_of_work(runtime.sessions) as session:
        seeds = list(session.execute(select(IntakeSession, Applicant).join(Applicant)))
        for n in range(len(seeds), total):
            row, person = seeds[n % len(seeds)]
            moment = NOW - timedelta(minutes=n)
            applicant = Applicant(channel="telegram", external_id=f"copy{n}", language=person.language,
                                  consent_at=moment, created_at=moment, updated_at=moment)
            session.add(applicant)
            session.flush()
            session.add(IntakeSession(
                applicant_id=applicant.id, edition=row.edition, status=row.status, current_question=None,
                answers={**row.answers, "cluster_name": f"Cluster {n}"}, history=row.history, verdict=row.verdict,
                reasons=row.reasons, missing=row.missing, created_at=moment, updated_at=moment,
                finished_at=moment))


def timed(client: TestClient, path: str, times: int = 5) -> tuple[float, float]:
    durations = []
    for _ in range(times):
        started = time.perf_counter()
        response = client.get(path)
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(durations), max(durations)


def sign_in(client: TestClient) -> None:
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}).status_code == 303


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--intakes", type=int, default=5000)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        runtime = build_runtime(Settings(data_dir=Path(data_dir), database_url=options.database_url),
                                clock=FixedClock(NOW))
        started = time.perf_counter()
        run_checks(runtime, min(50, options.intakes))
        copy_intakes(runtime, options.intakes)
        with unit_of_work(runtime.sessions) as session:
            add_staff(session, EMAIL, PASSWORD, StaffRole.REVIEWER, "bench", NOW)
            for n in range(options.questions):
                record_outcome(session, applicant_id=None, question=f"{QUESTIONS[n % len(QUESTIONS)]} ({n})",
                               language="fr", decision="refused", score=0.2, chosen=None, now=NOW)
        print(f"{options.intakes} intakes and {options.questions} questions on "
              f"{runtime.engine.dialect.name}, made in {time.perf_counter() - started:.1f} s")
        client = TestClient(create_dashboard(runtime), base_url="http://127.0.0.1", follow_redirects=False)
        sign_in(client)
        started = time.perf_counter()
        client.get("/questions")
        print(f"questions page, cold ({options.questions} questions embedded): "
              f"{(time.perf_counter() - started) * 1000:.0f} ms")
        pages = ["/", "/intakes", "/intakes?page=40", "/intakes?verdict=eligible&sort=name", "/intakes?q=cluster%20499",
                 "/intakes?completion=none&sort=completion", "/intakes/1", "/exports/intakes.csv", "/questions"]
        for path in pages:
            median, slowest = timed(client, path)
            print(f"{path:40s} median {median:7.1f} ms   slowest {slowest:7.1f} ms")
        runtime.close()


if __name__ == "__main__":
    main()

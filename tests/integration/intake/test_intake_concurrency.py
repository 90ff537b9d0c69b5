"""Two writers on one check, and a process that dies mid-way: the stored check stays valid."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from intake_factories import NOW, answer_all, make_applicant, start_check
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from intake import services
from intake.catalog import packaged_catalog
from intake.database import unit_of_work
from intake.errors import StaleSession
from intake.flow import Progress, repair
from intake.models import IntakeSession

REPO = Path(__file__).resolve().parents[3]


def stored(factory: sessionmaker[Session], session_id: int) -> IntakeSession:
    with factory() as session:
        row = session.get(IntakeSession, session_id)
        assert row is not None
        session.expunge(row)
        return row


def assert_valid(row: IntakeSession) -> None:
    progress = Progress(row.answers, tuple(row.history))
    assert repair(progress, packaged_catalog().get(row.edition)) == progress


def test_two_connections_answering_at_once_one_wins_the_other_is_stale(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    session_id = start_check(factory, applicant_id).session_id
    version = stored(factory, session_id).version
    raced: list[int] = []

    def other_worker_commits_first(*_: object) -> None:
        # Runs inside the second worker's answer, after it read the check and before it
        # writes: the worst moment for a concurrent answer on another connection.
        if not raced:
            with unit_of_work(factory) as other:
                raced.append(services.record_answer(other, applicant_id, session_id, "cluster_status", "new",
                                                    now=NOW).version)

    with factory() as second:
        event.listen(second, "before_flush", other_worker_commits_first)
        with pytest.raises(StaleSession):
            services.record_answer(second, applicant_id, session_id, "cluster_status", "existing", now=NOW)
        second.rollback()
    assert raced == [version + 1]
    row = stored(factory, session_id)
    assert row.answers == {"cluster_status": "new"}
    assert row.version == version + 1
    assert_valid(row)
    with unit_of_work(factory) as session:  # a retry with fresh data goes through
        retried = services.record_answer(session, applicant_id, session_id, "cluster_status", "existing", now=NOW)
    assert retried.answers == {"cluster_status": "existing"}


def test_the_unit_of_work_reports_a_lost_race_as_stale(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    session_id = start_check(factory, applicant_id).session_id
    with pytest.raises(StaleSession), unit_of_work(factory) as session:
        row = session.get(IntakeSession, session_id)  # this worker holds the row it read
        with unit_of_work(factory) as other:
            services.record_answer(other, applicant_id, session_id, "cluster_status", "new", now=NOW)
        row.answers = {"cluster_status": "existing"}  # a stale write, flushed at commit
    assert stored(factory, session_id).answers == {"cluster_status": "new"}


def test_an_answer_to_an_old_screen_is_refused(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    state = start_check(factory, applicant_id)
    answer_all(factory, applicant_id, state.session_id, {"cluster_status": "new"})
    with pytest.raises(StaleSession), unit_of_work(factory) as session:
        services.record_answer(session, applicant_id, state.session_id, "sector", "industrial",
                               expected_version=state.version, now=NOW)
    assert stored(factory, state.session_id).answers == {"cluster_status": "new"}


def test_a_unit_of_work_that_fails_midway_leaves_the_previous_state(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    session_id = start_check(factory, applicant_id).session_id
    answer_all(factory, applicant_id, session_id, {"cluster_status": "new"})
    before = stored(factory, session_id)
    with pytest.raises(RuntimeError, match="crash"), unit_of_work(factory) as session:
        services.record_answer(session, applicant_id, session_id, "sector", "industrial", now=NOW)
        services.update_checklist_item(session, applicant_id, 2025, "statutes", status="done", now=NOW)
        raise RuntimeError("crash between two steps")
    after = stored(factory, session_id)
    assert (after.answers, after.history, after.version) == (before.answers, before.history, before.version)
    with factory() as session:
        assert services.get_checklist(session, applicant_id, 2025).completion_percent == 0


CRASHING_WORKER = textwrap.dedent("""
    import os, sys
    from datetime import UTC, datetime
    from intake import services
    from intake.database import create_db_engine, session_factory, unit_of_work
    url, applicant_id, session_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    factory = session_factory(create_db_engine(url))
    now = datetime(2025, 7, 1, 9, tzinfo=UTC)
    with unit_of_work(factory) as session:
        services.record_answer(session, applicant_id, session_id, "cluster_status", "new", now=now)
    with unit_of_work(factory) as session:
        services.record_answer(session, applicant_id, session_id, "sector", "industrial", now=now)
        session.flush()
        os._exit(3)  # the process dies after the write reached the database, before the commit
""")


def test_a_process_killed_between_two_steps_loses_only_the_unfinished_step(
    factory: sessionmaker[Session], database_url: str
) -> None:
    applicant_id = make_applicant(factory)
    session_id = start_check(factory, applicant_id).session_id
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", CRASHING_WORKER, database_url, str(applicant_id),
                             str(session_id)], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stderr
    row = stored(factory, session_id)
    assert row.answers == {"cluster_status": "new"}
    assert row.current_question == "sector"
    assert_valid(row)
    with unit_of_work(factory) as session:  # nothing stays locked by the dead process
        state = services.record_answer(session, applicant_id, session_id, "sector", "industrial", now=NOW)
    assert state.answers == {"cluster_status": "new", "sector": "industrial"}

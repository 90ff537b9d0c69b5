"""The packaged migrations: they build the models' schema, re-run harmlessly, and undo cleanly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from intake.database import (
    MIGRATIONS_DIR,
    create_db_engine,
    current_revision,
    downgrade_to,
    open_database,
    upgrade_to_head,
)
from intake.models import Base

TABLES = {
    "applicants",
    "intake_sessions",
    "checklist_item_states",
    "checklist_events",
    "attachments",
    "answer_outcomes",
    "question_handlings",
    "asked_questions",
    "audit_log",
    "inbound_updates",
    "job_leases",
    "send_slots",
    "reminders_sent",
    "staff_accounts",
    "staff_sessions",
    "intake_reviews",
    "review_events",
    "staff_messages",
    "broadcasts",
    "broadcast_deliveries",
    "alembic_version",
}


def test_the_migrated_schema_is_the_models_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert set(inspect(engine).get_table_names()) == TABLES


def test_upgrading_twice_changes_nothing(engine: Engine) -> None:
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert upgrade_to_head(engine) == head
    assert current_revision(engine) == head


def test_downgrade_to_base_removes_every_table(engine: Engine) -> None:
    downgrade_to(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert current_revision(engine) is None
    upgrade_to_head(engine)
    assert set(inspect(engine).get_table_names()) == TABLES


def test_open_database_creates_the_sqlite_file_with_wal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'assistant.sqlite3'}"
    engine, factory = open_database(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        with factory() as session:
            assert session.execute(text("SELECT count(*) FROM applicants")).scalar() == 0
    finally:
        engine.dispose()
    assert (tmp_path / "nested" / "dir" / "assistant.sqlite3").exists()


def test_a_second_process_shares_the_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    writer, _ = open_database(url)
    reader = create_db_engine(url)
    try:
        with writer.connect() as connection:
            connection.execute(text("BEGIN"))
            connection.execute(text("INSERT INTO audit_log (actor, action, details, created_at) "
                                    "VALUES ('t', 'x', '{}', '2025-01-01 00:00:00')"))
            # WAL: the other connection still reads while this write is open.
            with reader.connect() as other:
                assert other.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0
            connection.execute(text("COMMIT"))
        with reader.connect() as other:
            assert other.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1
    finally:
        writer.dispose()
        reader.dispose()

"""Engines, sessions, the unit of work, and upgrading the schema with the packaged migrations."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from intake.errors import StaleSession
from intake.sql_text import register_sqlite_functions

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def create_db_engine(url: str, **options: Any) -> Engine:
    """Create an engine; on SQLite, turn on WAL, a busy timeout and foreign keys, add `intake.sql_text`'s functions."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets a reader and a writer in two processes share the file; the busy timeout
    # makes a second writer wait for the lock instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows are overwritten with zeros instead of lingering in free space: an applicant
    # who deletes their data must not stay readable in the file (see `checkpoint_journal`).
    # Debian's SQLite is built with this on; other builds are not.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
    register_sqlite_functions(dbapi_connection)


def checkpoint_journal(engine: Engine) -> bool:
    """On SQLite, copy the write-ahead log into the database file and empty it; elsewhere do nothing.

    Committed changes, deletions included, otherwise wait in the `-wal` file beside the database
    (with the rows as they were before) until SQLite checkpoints on its own.

    Returns:
        False when a reader in another connection kept the log from being emptied.
    """
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as connection:
        busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        logger.warning("the SQLite write-ahead log could not be emptied: another connection was reading")
    return not busy


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory the adapters use; objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session; commit if the block succeeds, roll back everything if it raises.

    Raises:
        StaleSession: when a versioned row changed under us (at flush or at commit).
    """
    session = factory()
    try:
        yield session
        session.commit()
    except StaleDataError as error:
        session.rollback()
        raise StaleSession(str(error)) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic configuration built in code: no alembic.ini, no dependency on the cwd."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine) -> str | None:
    """Apply every pending migration; return the revision the database is at."""
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    revision = current_revision(engine)
    logger.info("database at revision %s", revision)
    return revision


def downgrade_to(engine: Engine, revision: str) -> None:
    """Undo migrations down to `revision` ("base" removes every table)."""
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, or None before the first migration."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def open_database(url: str) -> tuple[Engine, sessionmaker[Session]]:
    """Create the engine, upgrade the schema to head, and return the session factory.

    The adapters call this once at start-up.
    """
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    return engine, session_factory(engine)

"""Engines, sessions, the unit of work, and upgrading the schema with the packaged migrations."""

from __future__ import annotations

import fcntl
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from intake.errors import StaleSession
from intake.sql_text import register_sqlite_functions

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
WAL_SWITCH_PAUSE_MS = 20
T = TypeVar("T")
# The key of the PostgreSQL advisory lock `db upgrade` holds: any fixed number no other lock uses.
MIGRATION_LOCK_KEY = 0x636C7573  # "clus"


class SchemaOutOfDate(RuntimeError):
    """The database's schema is not the one this code was written for: run `cluster-assistant db upgrade`."""


def create_db_engine(url: str, **options: Any) -> Engine:
    """Create an engine; on SQLite, turn on WAL, a busy timeout and foreign keys, add `intake.sql_text`'s functions."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() != "sqlite":
        # A server restarted under the workers leaves dead connections in the pool: test each
        # one before use, so the first query after a restart does not fail.
        options.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets a reader and a writer in two processes share the file; the busy timeout
    # makes a second writer wait for the lock instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows are overwritten with zeros instead of lingering in free space: an applicant
    # who deletes their data must not stay readable in the file (see `checkpoint_journal`).
    # Debian's SQLite is built with this on; other builds are not.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
    register_sqlite_functions(dbapi_connection)


def _switch_to_wal(cursor: Any) -> None:
    # Processes opening a new database file together race to switch it to WAL, and SQLite
    # answers the losers "database is locked" at once, without waiting out the busy timeout.
    for _ in range(SQLITE_BUSY_TIMEOUT_MS // WAL_SWITCH_PAUSE_MS):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(WAL_SWITCH_PAUSE_MS / 1000)
    cursor.execute("PRAGMA journal_mode=WAL")


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


def run_in_unit_of_work(factory: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run `work` in one unit of work and return what it returns (for adapters that run it in a thread)."""
    with unit_of_work(factory) as session:
        return work(session)


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic configuration built in code: no alembic.ini, no dependency on the cwd."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine) -> str | None:
    """Apply every pending migration; return the revision the database is at.

    Safe to run from several processes at once: each waits for the migration lock, and
    the later ones find the database at head.

    Raises:
        SchemaOutOfDate: when the database is at a revision this code does not know (a newer release's).
    """
    with engine.begin() as connection, _migration_lock(connection):
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except CommandError as error:
            raise SchemaOutOfDate(f"cannot upgrade the database: {error}") from None
    revision = current_revision(engine)
    logger.info("database at revision %s", revision)
    return revision


@contextmanager
def _migration_lock(connection: Connection) -> Iterator[None]:
    """Hold the lock that makes concurrent upgrades wait for each other (until the transaction ends)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        yield
        return
    database = connection.engine.url.database
    if connection.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        yield
        return
    # SQLite runs DDL outside a transaction: a lock file beside the database orders the upgrades.
    with open(f"{database}.migrate.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def head_revision() -> str:
    """Return the latest revision of the packaged migrations."""
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    if head is None:
        raise RuntimeError("the packaged migrations have no head")
    return head


def check_schema(engine: Engine) -> str:
    """Return the database's revision when it is the one this code expects.

    Raises:
        SchemaOutOfDate: with what to run, when the database is older, newer or empty.
    """
    revision, head = current_revision(engine), head_revision()
    if revision != head:
        raise SchemaOutOfDate(
            f"the database is at revision {revision or 'none (empty)'} and this release needs {head}: "
            "run `cluster-assistant db upgrade` once (a deploy step) before starting the workers"
        )
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
    """Create the engine and return the session factory; the adapters call this once at start-up.

    An embedded SQLite file (one host) is upgraded here, under the migration lock. A shared
    server (PostgreSQL) is upgraded by `cluster-assistant db upgrade` as a deploy step: a
    process started on an older or newer schema refuses to run instead of migrating under
    the workers already running.

    Raises:
        SchemaOutOfDate: a shared database not at this release's revision.
    """
    engine = create_db_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            upgrade_to_head(engine)
        else:
            check_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine, session_factory(engine)
